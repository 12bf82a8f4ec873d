package io.github.vectorcnn.cli;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * First-layer filters as a picture, like the book's figure 7-24: one gray square per filter,
 * each scaled to its own minimum..maximum and drawn as the book's {@code gray_r} (high weights
 * dark), enlarged with nearest-neighbour pixels. Multi-channel filters show their first channel.
 * Uses only java.awt and javax.imageio; run headless.
 */
public final class FilterGrid {
    /** Screen pixels per filter weight: a 5×5 filter becomes 40×40. */
    static final int SCALE = 8;
    static final int GAP = 4;
    static final int COLUMNS = 10;
    private static final int LABEL_HEIGHT = 22;

    private FilterGrid() {
    }

    /** The filters of W [FN, C, FH, FW] as a grid of COLUMNS columns. */
    public static BufferedImage grid(Tensor w) {
        if (w.rank() != 4) {
            throw new IllegalArgumentException("FilterGrid: weights expected shape [FN, C, FH, FW], got "
                    + w.shapeString());
        }
        int fn = w.dim(0), c = w.dim(1), fh = w.dim(2), fw = w.dim(3);
        int cols = Math.min(COLUMNS, fn), rows = (fn + cols - 1) / cols;
        int cellW = fw * SCALE, cellH = fh * SCALE;
        BufferedImage img = new BufferedImage(GAP + cols * (cellW + GAP), GAP + rows * (cellH + GAP),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        float[] d = w.data();
        for (int f = 0; f < fn; f++) {
            int base = f * c * fh * fw;
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < fh * fw; i++) {
                min = Math.min(min, d[base + i]);
                max = Math.max(max, d[base + i]);
            }
            float range = max - min;
            int x0 = GAP + (f % cols) * (cellW + GAP), y0 = GAP + (f / cols) * (cellH + GAP);
            for (int y = 0; y < fh; y++) {
                for (int x = 0; x < fw; x++) {
                    float v = d[base + y * fw + x];
                    float t = range > 0 && Float.isFinite(range) ? (v - min) / range : 0.5f;
                    int gray = Math.round(255 * (1 - t)); // gray_r: the largest weight is black
                    int rgb = (gray << 16) | (gray << 8) | gray;
                    for (int dy = 0; dy < SCALE; dy++) {
                        for (int dx = 0; dx < SCALE; dx++) {
                            img.setRGB(x0 + x * SCALE + dx, y0 + y * SCALE + dy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Grids stacked vertically, each under its title. */
    public static BufferedImage titled(String[] titles, Tensor[] weights) {
        BufferedImage[] grids = new BufferedImage[weights.length];
        int width = 0, height = 0;
        for (int i = 0; i < weights.length; i++) {
            grids[i] = grid(weights[i]);
            width = Math.max(width, grids[i].getWidth());
            height += LABEL_HEIGHT + grids[i].getHeight();
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int y = 0;
        for (int i = 0; i < grids.length; i++) {
            g.setColor(Color.BLACK);
            g.drawString(titles[i], GAP, y + LABEL_HEIGHT - 6);
            g.drawImage(grids[i], 0, y + LABEL_HEIGHT, null);
            y += LABEL_HEIGHT + grids[i].getHeight();
        }
        g.dispose();
        return out;
    }

    /** Writes a PNG through a temporary file renamed into place. */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        });
    }
}
