package io.github.vectorcnn.training;

import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Reports training on a stream: on a terminal a progress bar redrawn in place (batch, loss,
 * images/s, ETA), otherwise (a pipe, a log file, CI) plain lines every tenth of an epoch, so logs
 * stay readable.
 */
public final class ConsoleProgress implements TrainingListener {
    /** Redraw at most this often: a terminal repainted per batch costs more than the batch. */
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 24;

    private final PrintWriter out;
    private final boolean live;
    private int epochs;
    private long lastDraw;
    private boolean lineOpen;

    public ConsoleProgress(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    public ConsoleProgress(PrintStream out, boolean live) {
        this(new PrintWriter(out, true), live);
    }

    /** On System.out, live if and only if it is an interactive terminal. */
    public static ConsoleProgress onStandardOut() {
        return new ConsoleProgress(System.out, isTerminal());
    }

    /**
     * System.console() is non-null for a terminal up to JDK 21; from JDK 22 it may be non-null
     * for a pipe too, and Console.isTerminal() (absent in 17, hence reflection) says which.
     */
    public static boolean isTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public void onStart(int firstEpoch, int epochs, int batchesPerEpoch, int trainImages) {
        this.epochs = epochs;
        out.printf(Locale.ROOT, "training on %d images, %d batches per epoch, epochs %d..%d%n",
                trainImages, batchesPerEpoch, firstEpoch, epochs);
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond, double etaSeconds) {
        if (live) {
            long now = System.nanoTime();
            if (batch != batches && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            int filled = (int) ((long) BAR * batch / batches);
            out.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d  loss %.4f  %.0f img/s  ETA %s ",
                    epoch, epochs, "#".repeat(filled), ".".repeat(BAR - filled), batch, batches, loss,
                    imagesPerSecond, duration(etaSeconds));
            out.flush();
            lineOpen = true;
        } else {
            int step = Math.max(1, batches / 10);
            if (batch % step == 0 || batch == batches) {
                out.printf(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.4f %.0f img/s ETA %s%n",
                        epoch, epochs, batch, batches, loss, imagesPerSecond, duration(etaSeconds));
            }
        }
    }

    @Override
    public void onEvaluate(int epoch) {
        if (live) {
            out.print(" evaluating…");
            out.flush();
        }
    }

    @Override
    public void onEpoch(EpochMetrics m) {
        endLine();
        out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f | sample: loss %.4f acc %.4f | test: loss %.4f"
                        + " acc %.4f | %.1f s, %.0f img/s%n",
                m.epoch(), epochs, m.trainLoss(), m.sampleLoss(), m.sampleAccuracy(), m.testLoss(),
                m.testAccuracy(), m.seconds(), m.imagesPerSecond());
    }

    @Override
    public void onDiverged(String message) {
        endLine();
        out.println(message);
    }

    private void endLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
