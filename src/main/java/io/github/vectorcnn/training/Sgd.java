package io.github.vectorcnn.training;

/** Plain stochastic gradient descent: w ← w − lr·g. */
public final class Sgd extends Optimizer {
    public static final double DEFAULT_LR = 0.01;

    public Sgd() {
        this(DEFAULT_LR, 0);
    }

    public Sgd(double learningRate, double weightDecay) {
        super(learningRate, weightDecay);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    protected String[] slotNames() {
        return new String[0];
    }

    @Override
    protected void apply(float[] p, float[] g, float wd, float[][] slots, long t, int from, int to) {
        float lr = (float) learningRate;
        for (int i = from; i < to; i++) {
            p[i] -= lr * (g[i] + wd * p[i]);
        }
    }
}
