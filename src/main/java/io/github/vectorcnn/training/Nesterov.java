package io.github.vectorcnn.training;

import java.util.Map;

/**
 * Nesterov's accelerated gradient in the book's form (after Bengio et al., 2012):
 * v ← μ·v − lr·g; w ← w + μ²·v − (1 + μ)·lr·g.
 */
public final class Nesterov extends Optimizer {
    public static final double DEFAULT_LR = 0.01;
    public static final double DEFAULT_MOMENTUM = 0.9;
    private final double momentum;

    public Nesterov() {
        this(DEFAULT_LR, DEFAULT_MOMENTUM, 0);
    }

    public Nesterov(double learningRate, double momentum, double weightDecay) {
        super(learningRate, weightDecay);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Nesterov: momentum expected in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    public String name() {
        return "nesterov";
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
            float gi = g[i] + wd * p[i];
            v[i] = mu * v[i] - lr * gi;
            p[i] += mu * mu * v[i] - (1 + mu) * lr * gi;
        }
    }
}
