package io.github.vectorcnn.training;

import java.util.Map;

/** Momentum SGD: v ← μ·v − lr·g; w ← w + v. */
public final class Momentum extends Optimizer {
    public static final double DEFAULT_LR = 0.01;
    public static final double DEFAULT_MOMENTUM = 0.9;
    private final double momentum;

    public Momentum() {
        this(DEFAULT_LR, DEFAULT_MOMENTUM, 0);
    }

    public Momentum(double learningRate, double momentum, double weightDecay) {
        super(learningRate, weightDecay);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Momentum: momentum expected in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    public String name() {
        return "momentum";
    }

    @Override
    protected String[] slotNames() {
        return new String[] {"v"};
    }

    @Override
    public Map<String, Double> hyperparameters() {
        Map<String, Double> h = super.hyperparameters();
        h.put("momentum", momentum);
        return h;
    }

    @Override
    protected void apply(float[] p, float[] g, float wd, float[][] slots, long t, int from, int to) {
        float lr = (float) learningRate, mu = (float) momentum;
        float[] v = slots[0];
        for (int i = from; i < to; i++) {
            v[i] = mu * v[i] - lr * (g[i] + wd * p[i]);
            p[i] += v[i];
        }
    }
}
