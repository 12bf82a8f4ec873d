package io.github.vectorcnn.training;

/** AdaGrad: h ← h + g²; w ← w − lr·g / (√h + ε). */
public final class AdaGrad extends Optimizer {
    public static final double DEFAULT_LR = 0.01;

    public AdaGrad() {
        this(DEFAULT_LR, 0);
    }

    public AdaGrad(double learningRate, double weightDecay) {
        super(learningRate, weightDecay);
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    protected String[] slotNames() {
        return new String[] {"h"};
    }

    @Override
    protected void apply(float[] p, float[] g, float wd, float[][] slots, long t, int from, int to) {
        float lr = (float) learningRate;
        float[] h = slots[0];
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * p[i];
            h[i] += gi * gi;
            p[i] -= lr * gi / ((float) Math.sqrt(h[i]) + EPSILON);
        }
    }
}
