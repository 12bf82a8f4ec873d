package io.github.vectorcnn.training;

import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015) in the book's form: with step t,
 * lr_t = lr·√(1 − β2^t) / (1 − β1^t); m ← m + (1 − β1)(g − m); v ← v + (1 − β2)(g² − v);
 * w ← w − lr_t·m / (√v + ε). The bias correction is folded into lr_t, computed in double once
 * per step.
 */
public final class Adam extends Optimizer {
    public static final double DEFAULT_LR = 0.001;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    private final double beta1;
    private final double beta2;

    public Adam() {
        this(DEFAULT_LR, DEFAULT_BETA1, DEFAULT_BETA2, 0);
    }

    public Adam(double learningRate, double beta1, double beta2, double weightDecay) {
        super(learningRate, weightDecay);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Adam: beta1 expected in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: beta2 expected in [0, 1), got " + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    protected String[] slotNames() {
        return new String[] {"m", "v"};
    }

    @Override
    public Map<String, Double> hyperparameters() {
        Map<String, Double> h = super.hyperparameters();
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        return h;
    }

    @Override
    protected void apply(float[] p, float[] g, float wd, float[][] slots, long t, int from, int to) {
        float lrT = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float a1 = (float) (1 - beta1), a2 = (float) (1 - beta2);
        float[] m = slots[0], v = slots[1];
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * p[i];
            m[i] += a1 * (gi - m[i]);
            v[i] += a2 * (gi * gi - v[i]);
            p[i] -= lrT * m[i] / ((float) Math.sqrt(v[i]) + EPSILON);
        }
    }
}
