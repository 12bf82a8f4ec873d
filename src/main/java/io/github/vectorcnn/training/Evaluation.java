package io.github.vectorcnn.training;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.data.DataSet;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.layers.SoftmaxWithLoss;
import io.github.vectorcnn.networks.SimpleConvNet;

/**
 * Mean cross-entropy and accuracy of a network on the first {@code count} images of a data set.
 * The cross-entropy is the training loss's ({@link SoftmaxWithLoss}): −log max(p, 1e-7), so a
 * confidently wrong image counts at most about 16.1, whichever number is printed.
 */
public record Evaluation(double loss, double accuracy, int count) {

    private static final double MAX_SAMPLE_LOSS = -Math.log(Kernels.LOG_FLOOR);

    /**
     * Images of the network's input size and labels within its classes, or an
     * IllegalArgumentException whose message starts with {@code who}. Checked here, not left to
     * the layers: a 29 × 29 image convolved and pooled can come out the same size as a 28 × 28
     * one, and would be scored without an error.
     */
    static void requireFits(String who, SimpleConvNet net, DataSet data) {
        SimpleConvNet.Config c = net.config();
        if (data.channels() != c.channels() || data.height() != c.height() || data.width() != c.width()) {
            throw new IllegalArgumentException(who + " images expected " + c.channels() + "x" + c.height() + "x"
                    + c.width() + " (the network's input), got " + data.channels() + "x" + data.height() + "x"
                    + data.width());
        }
        if (data.classes() > c.classes()) {
            throw new IllegalArgumentException(who + " labels expected 0.." + (c.classes() - 1) + " for a network with "
                    + c.classes() + " classes, got labels up to " + (data.classes() - 1));
        }
    }

    public static Evaluation of(SimpleConvNet net, DataSet data, int count, int batchSize) {
        if (count < 1 || count > data.size()) {
            throw new IllegalArgumentException("Evaluation: count expected 1.." + data.size() + ", got " + count);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("Evaluation: batchSize expected >= 1, got " + batchSize);
        }
        requireFits("Evaluation:", net, data);
        int classes = net.config().classes();
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        int[] shape = data.images().shape();
        double lossSum = 0;
        int correct = 0;
        Tensor batch = null;
        int[] labels = null;
        for (int start = 0; start < count; start += batchSize) {
            int b = Math.min(batchSize, count - start);
            if (batch == null || batch.dim(0) != b) {
                shape[0] = b;
                batch = Tensor.zeros(shape);
                labels = new int[b];
            }
            data.gather(order, start, b, batch, labels);
            float[] s = net.predict(batch).data();
            for (int i = 0; i < b; i++) {
                int off = i * classes, best = 0;
                double max = s[off];
                for (int j = 1; j < classes; j++) {
                    if (s[off + j] > s[off + best]) {
                        best = j;
                    }
                    max = Math.max(max, s[off + j]);
                }
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    sum += Math.exp(s[off + j] - max);
                }
                // −log max(p, LOG_FLOOR), as the training loss takes it, so the two compare.
                lossSum += Math.min(Math.log(sum) + max - s[off + labels[i]], MAX_SAMPLE_LOSS);
                if (best == labels[i]) {
                    correct++;
                }
            }
        }
        return new Evaluation(lossSum / count, (double) correct / count, count);
    }
}
