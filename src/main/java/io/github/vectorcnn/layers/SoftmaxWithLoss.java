package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;

/**
 * Softmax followed by the mean cross-entropy against class indices (the book's SoftmaxWithLoss,
 * with labels as indices rather than one-hot rows).
 *
 * <p>Shapes: scores [N, K], labels int[N] in [0, K) → loss (a scalar, mean over N).
 * Cached for backward: the probabilities [N, K] and the labels. Backward gives
 * dscores = (softmax − onehot)/N for dloss = 1.
 */
public final class SoftmaxWithLoss {
    private final Kernels kernels;
    private Tensor probs;
    private int[] labels;
    private Tensor dx;

    public SoftmaxWithLoss() {
        this(KernelProvider.get());
    }

    public SoftmaxWithLoss(Kernels kernels) {
        this.kernels = kernels;
    }

    public String name() {
        return "SoftmaxWithLoss";
    }

    /** The mean cross-entropy of softmax(scores) against labels; labels are checked first. */
    public double forward(Tensor scores, int[] labels) {
        Shapes.require(name(), "scores", scores, -1, -1);
        int n = scores.dim(0), k = scores.dim(1);
        checkLabels(name(), labels, n, k);
        probs = Shapes.reuse(probs, n, k);
        this.labels = labels.clone();
        return kernels.softmaxCrossEntropyForward(n, k, scores.data(), 0, labels, probs.data(), 0);
    }

    /** dL/dscores for dL = dloss (1 for the loss itself). */
    public Tensor backward(float dloss) {
        Shapes.requireForward(name(), probs);
        int n = probs.dim(0), k = probs.dim(1);
        dx = Shapes.reuse(dx, n, k);
        dx.fill(0f);
        kernels.softmaxCrossEntropyBackward(n, k, probs.data(), 0, labels, dloss / n, dx.data(), 0);
        return dx;
    }

    /** The softmax of the last forward, [N, K]. */
    public Tensor probabilities() {
        Shapes.requireForward(name(), probs);
        return probs;
    }

    /** Rejects a label array of the wrong length or a label outside [0, classes). */
    public static void checkLabels(String who, int[] labels, int n, int classes) {
        if (labels == null) {
            throw new IllegalArgumentException(who + ": labels are null");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException(who + ": labels expected length " + n
                    + " (one per sample), got " + labels.length);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(who + ": labels[" + i + "] expected 0.."
                        + (classes - 1) + ", got " + labels[i]);
            }
        }
    }
}
