package io.github.vectorcnn.training;

import java.util.List;
import java.util.Locale;

/**
 * What one epoch measured. {@code trainLoss} is the mean of the epoch's batch losses (the weights
 * moved while it was taken); {@code sampleLoss}/{@code sampleAccuracy} evaluate the end-of-epoch
 * weights on a fixed sample of the training set, {@code testLoss}/{@code testAccuracy} on the whole
 * test set. {@code seconds} and {@code imagesPerSecond} time the training pass alone and are the
 * only fields that differ between two runs with the same seed.
 */
public record EpochMetrics(int epoch, double trainLoss, double sampleLoss, double sampleAccuracy,
                           double testLoss, double testAccuracy, double seconds, double imagesPerSecond) {

    public static final String CSV_HEADER = "epoch,train_loss,train_sample_loss,train_sample_accuracy,"
            + "test_loss,test_accuracy,seconds,images_per_second";

    /** One CSV row; losses and accuracies at full double precision so a rerun can be compared exactly. */
    public String csvRow() {
        return epoch + "," + trainLoss + "," + sampleLoss + "," + sampleAccuracy + "," + testLoss + ","
                + testAccuracy + "," + String.format(Locale.ROOT, "%.3f,%.1f", seconds, imagesPerSecond);
    }

    /**
     * The metrics of one {@link #csvRow}: the losses and accuracies exactly as they were, the
     * timings as rounded there.
     *
     * @throws IllegalArgumentException naming the row when it does not have the 8 fields or one is not a number
     */
    public static EpochMetrics parseCsvRow(String row) {
        String[] f = row.split(",", -1);
        if (f.length != 8) {
            throw new IllegalArgumentException("epoch metrics: expected 8 comma-separated fields ("
                    + CSV_HEADER + "), got " + f.length + " in '" + row + "'");
        }
        try {
            return new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("epoch metrics: expected numbers, got '" + row + "'");
        }
    }

    /** The CSV file content for a history of epochs. */
    public static String csv(List<EpochMetrics> history) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (EpochMetrics m : history) {
            sb.append(m.csvRow()).append('\n');
        }
        return sb.toString();
    }

    /** The same fields as a JSON object. */
    public String json() {
        return String.format(Locale.ROOT, "{\"epoch\": %d, \"train_loss\": %s, \"train_sample_loss\": %s, "
                        + "\"train_sample_accuracy\": %s, \"test_loss\": %s, \"test_accuracy\": %s, "
                        + "\"seconds\": %.3f, \"images_per_second\": %.1f}",
                epoch, num(trainLoss), num(sampleLoss), num(sampleAccuracy), num(testLoss), num(testAccuracy),
                seconds, imagesPerSecond);
    }

    /** JSON has no NaN: a diverged value is written as null. */
    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    public static String json(List<EpochMetrics> history) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < history.size(); i++) {
            sb.append("  ").append(history.get(i).json()).append(i + 1 < history.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }
}
