package io.github.vectorcnn.training;

import java.util.Map;

/** RMSprop: h ← ρ·h + (1 − ρ)·g²; w ← w − lr·g / (√h + ε). */
public final class RmsProp extends Optimizer {
    public static final double DEFAULT_LR = 0.01;
    public static final double DEFAULT_DECAY = 0.99;
    private final double decay;

    public RmsProp() {
        this(DEFAULT_LR, DEFAULT_DECAY, 0);
    }

    public RmsProp(double learningRate, double decay, double weightDecay) {
        super(learningRate, weightDecay);
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("RmsProp: decay expected in [0, 1), got " + decay);
        }
        this.decay = decay;
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    protected String[] slotNames() {
        return new String[] {"h"};
    }

    @Override
    public Map<String, Double> hyperparameters() {
        Map<String, Double> h = super.hyperparameters();
        h.put("decay", decay);
        return h;
    }

    @Override
    protected void apply(float[] p, float[] g, float wd, float[][] slots, long t, int from, int to) {
        float lr = (float) learningRate, rho = (float) decay, oneMinus = (float) (1 - decay);
        float[] h = slots[0];
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * p[i];
            h[i] = rho * h[i] + oneMinus * gi * gi;
            p[i] -= lr * gi / ((float) Math.sqrt(h[i]) + EPSILON);
        }
    }
}
