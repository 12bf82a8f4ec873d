package io.github.vectorcnn.cli;

import io.github.vectorcnn.training.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Loss and accuracy curves with XChart, side by side in one picture: the loss of every batch
 * (x in epochs, fractional) with the per-epoch losses on the training sample and the test set,
 * and the per-epoch accuracies.
 */
public final class Curves {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;
    private static final Color BATCH = new Color(160, 180, 215);
    private static final Color SAMPLE = new Color(31, 119, 180);
    private static final Color TEST = new Color(214, 39, 40);

    private Curves() {
    }

    /**
     * @param batchLosses every batch's loss from the first epoch on (a resumed run's included)
     * @param batchesPerEpoch to place batch i at epoch (i + 1) / batchesPerEpoch
     */
    public static BufferedImage render(List<EpochMetrics> history, float[] batchLosses, int batchesPerEpoch) {
        XYChart loss = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Loss")
                .xAxisTitle("epoch").yAxisTitle("cross-entropy").build();
        XYChart acc = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Accuracy")
                .xAxisTitle("epoch").yAxisTitle("accuracy").build();
        for (XYChart c : new XYChart[] {loss, acc}) {
            c.getStyler().setChartBackgroundColor(Color.WHITE);
            c.getStyler().setPlotGridLinesVisible(true);
            c.getStyler().setLegendPosition(c == loss ? Styler.LegendPosition.InsideNE : Styler.LegendPosition.InsideSE);
            c.getStyler().setXAxisDecimalPattern("0.#");
            c.getStyler().setXAxisTickMarkSpacingHint(60);
        }
        loss.getStyler().setXAxisMin(0.0);
        acc.getStyler().setYAxisDecimalPattern("0.00");
        if (batchLosses.length > 0) {
            double[] x = new double[batchLosses.length], y = new double[batchLosses.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i + 1) / (double) batchesPerEpoch;
                y[i] = batchLosses[i];
            }
            XYSeries s = loss.addSeries("train (each batch)", x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(BATCH);
        }
        if (!history.isEmpty()) {
            int n = history.size();
            double[] e = new double[n], sl = new double[n], tl = new double[n], sa = new double[n], ta = new double[n];
            for (int i = 0; i < n; i++) {
                EpochMetrics m = history.get(i);
                e[i] = m.epoch();
                sl[i] = m.sampleLoss();
                tl[i] = m.testLoss();
                sa[i] = m.sampleAccuracy();
                ta[i] = m.testAccuracy();
            }
            style(loss.addSeries("train sample", e, sl), SAMPLE);
            style(loss.addSeries("test", e, tl), TEST);
            style(acc.addSeries("train sample", e, sa), SAMPLE);
            style(acc.addSeries("test", e, ta), TEST);
        }
        return sideBySide(BitmapEncoder.getBufferedImage(loss), BitmapEncoder.getBufferedImage(acc));
    }

    private static void style(XYSeries s, Color c) {
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(c);
        s.setLineColor(c);
    }

    private static BufferedImage sideBySide(BufferedImage left, BufferedImage right) {
        BufferedImage out = new BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        return out;
    }
}
