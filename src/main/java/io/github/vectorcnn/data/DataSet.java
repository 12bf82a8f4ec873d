package io.github.vectorcnn.data;

import io.github.vectorcnn.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Labelled images: images [N, C, H, W] as floats in [0, 1] and one class index per image.
 * Construction checks that the counts agree, the values are in range and the labels are
 * non-negative; the arrays are not copied (a data set of 60,000 images is 188 MB of floats).
 */
public final class DataSet {
    private final Tensor images;
    private final int[] labels;
    private final int classes;

    private DataSet(Tensor images, int[] labels, int classes) {
        this.images = images;
        this.labels = labels;
        this.classes = classes;
    }

    /** Wraps images [N, C, H, W] and labels int[N] after checking them. */
    public static DataSet of(Tensor images, int[] labels) {
        if (images == null || labels == null) {
            throw new IllegalArgumentException("DataSet: images and labels must not be null");
        }
        if (images.rank() != 4) {
            throw new IllegalArgumentException("DataSet: images expected shape [N, C, H, W], got "
                    + images.shapeString());
        }
        if (labels.length != images.dim(0)) {
            throw new IllegalArgumentException("DataSet: labels expected " + images.dim(0)
                    + " (one per image), got " + labels.length);
        }
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("DataSet: labels[" + i + "] expected >= 0, got " + labels[i]);
            }
            max = Math.max(max, labels[i]);
        }
        float[] d = images.data();
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] >= 0f && d[i] <= 1f)) {
                throw new IllegalArgumentException("DataSet: pixel " + i + " expected in [0, 1], got " + d[i]);
            }
        }
        return new DataSet(images, labels, max + 1);
    }

    /**
     * Reads an images file (rank 3: N, H, W) and a labels file (rank 1: N), raw or gzip; pixels
     * are scaled from 0..255 to [0, 1] and get one channel.
     */
    public static DataSet readIdx(Path imagesFile, Path labelsFile) throws IOException {
        Idx.Array img = Idx.read(imagesFile, 3);
        Idx.Array lab = Idx.read(labelsFile, 1);
        int n = img.dims()[0], h = img.dims()[1], w = img.dims()[2];
        if (lab.dims()[0] != n) {
            throw new IdxFormatException(labelsFile + ": expected " + n + " labels (one per image in "
                    + imagesFile.getFileName() + "), got " + lab.dims()[0]);
        }
        float[] pixels = new float[img.values().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = img.unsigned(i) / 255f;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = lab.unsigned(i);
        }
        return new DataSet(Tensor.wrap(pixels, n, 1, h, w), labels, max(labels) + 1);
    }

    private static int max(int[] a) {
        return Arrays.stream(a).max().orElse(-1);
    }

    public int size() {
        return labels.length;
    }

    /** The images, [N, C, H, W]; live. */
    public Tensor images() {
        return images;
    }

    /** The labels; live. */
    public int[] labels() {
        return labels;
    }

    /** One more than the largest label. */
    public int classes() {
        return classes;
    }

    public int channels() {
        return images.dim(1);
    }

    public int height() {
        return images.dim(2);
    }

    public int width() {
        return images.dim(3);
    }

    /** Values per image (C·H·W). */
    public int imageSize() {
        return images.size() / labels.length;
    }

    /** A copy of images [from, to). */
    public DataSet slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("DataSet.slice: expected 0 <= from < to <= " + size()
                    + ", got from=" + from + " to=" + to);
        }
        int per = imageSize();
        float[] px = Arrays.copyOfRange(images.data(), from * per, to * per);
        int[] shape = images.shape();
        shape[0] = to - from;
        int[] lab = Arrays.copyOfRange(labels, from, to);
        return new DataSet(Tensor.wrap(px, shape), lab, max(lab) + 1);
    }

    /**
     * Copies the images order[from..from+count) into {@code batchImages} (shape [count, C, H, W])
     * and their labels into {@code batchLabels}: how a trainer fills its reused batch buffers.
     */
    public void gather(int[] order, int from, int count, Tensor batchImages, int[] batchLabels) {
        int per = imageSize();
        if (batchImages.size() != count * per || batchLabels.length != count) {
            throw new IllegalArgumentException("DataSet.gather: buffers expected " + count
                    + " images of " + per + " values, got " + batchImages.shapeString() + " and "
                    + batchLabels.length + " labels");
        }
        if (from < 0 || count < 0 || from > order.length - count) {
            throw new IllegalArgumentException("DataSet.gather: expected 0 <= from and from + count <= "
                    + order.length + " (the order's length), got from=" + from + " count=" + count);
        }
        for (int i = from; i < from + count; i++) {
            if (order[i] < 0 || order[i] >= size()) {
                throw new IllegalArgumentException("DataSet.gather: order[" + i + "] expected 0.." + (size() - 1)
                        + ", got " + order[i]);
            }
        }
        float[] src = images.data(), dst = batchImages.data();
        for (int i = 0; i < count; i++) {
            int k = order[from + i];
            System.arraycopy(src, k * per, dst, i * per, per);
            batchLabels[i] = labels[k];
        }
    }

    @Override
    public String toString() {
        return "DataSet[" + size() + " images " + channels() + "x" + height() + "x" + width()
                + ", " + classes + " classes]";
    }
}
