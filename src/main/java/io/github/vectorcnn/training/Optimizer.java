package io.github.vectorcnn.training;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.Parallel;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Updates parameters in place from their gradients (the book's common/optimizer.py). Parameters
 * and gradients are matched by name, as {@code SimpleConvNet.params()} and {@code gradient()}
 * return them.
 *
 * <p>State: per parameter, zero or more slots of the parameter's shape (Momentum's velocity,
 * Adam's m and v …), named {@code slot.param} (e.g. {@code m.W1}), plus the step count. Slots are
 * created at the first update; {@link #state()} and {@link #restore} let a checkpoint save and
 * resume them exactly.
 *
 * <p>Weight decay (L2, λ·w added to the gradient) applies to weights only: tensors of rank 2 or
 * more. Biases are left alone, as in the book's {@code weight_decay_lambda}, because decaying a
 * bias does not curb a layer's capacity, it only shifts its outputs.
 */
public abstract class Optimizer {
    /** Keeps AdaGrad, RMSprop and Adam from dividing by zero; the book's value. */
    public static final float EPSILON = 1e-7f;

    protected final double learningRate;
    protected final double weightDecay;
    private final Map<String, Tensor> slots = new LinkedHashMap<>();
    /** The slots' arrays by parameter name, in slotNames() order: no string building per step. */
    private final Map<String, float[][]> slotArrays = new HashMap<>();
    private long steps;

    protected Optimizer(double learningRate, double weightDecay) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + ": learningRate expected a finite value > 0, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + ": weightDecay expected a finite value >= 0, got " + weightDecay);
        }
        // The updates run in float: a rate that float rounds to 0 or ∞ would train nothing, or
        // turn the weights into ∞ on the first step.
        if ((float) learningRate == 0f || Float.isInfinite((float) learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learningRate expected a value float32"
                    + " holds (" + Float.MIN_NORMAL + " .. " + Float.MAX_VALUE + "), got " + learningRate);
        }
        if (Float.isInfinite((float) weightDecay) || (weightDecay > 0 && (float) weightDecay == 0f)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": weightDecay expected 0 or a value"
                    + " float32 holds (" + Float.MIN_NORMAL + " .. " + Float.MAX_VALUE + "), got " + weightDecay);
        }
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
    }

    /**
     * An optimizer by name (sgd, momentum, nesterov, adagrad, rmsprop, adam; case-insensitive)
     * with the book's hyperparameters; {@code learningRate} NaN means the book's default for it.
     */
    public static Optimizer create(String name, double learningRate, double weightDecay) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        boolean dflt = Double.isNaN(learningRate);
        return switch (n) {
            case "sgd" -> new Sgd(dflt ? Sgd.DEFAULT_LR : learningRate, weightDecay);
            case "momentum" -> new Momentum(dflt ? Momentum.DEFAULT_LR : learningRate,
                    Momentum.DEFAULT_MOMENTUM, weightDecay);
            case "nesterov" -> new Nesterov(dflt ? Nesterov.DEFAULT_LR : learningRate,
                    Nesterov.DEFAULT_MOMENTUM, weightDecay);
            case "adagrad" -> new AdaGrad(dflt ? AdaGrad.DEFAULT_LR : learningRate, weightDecay);
            case "rmsprop" -> new RmsProp(dflt ? RmsProp.DEFAULT_LR : learningRate,
                    RmsProp.DEFAULT_DECAY, weightDecay);
            case "adam" -> new Adam(dflt ? Adam.DEFAULT_LR : learningRate, Adam.DEFAULT_BETA1,
                    Adam.DEFAULT_BETA2, weightDecay);
            default -> throw new IllegalArgumentException("optimizer: expected one of " + NAMES
                    + ", got '" + name + "'");
        };
    }

    /** The names {@link #create} accepts. */
    public static final String NAMES = "sgd, momentum, nesterov, adagrad, rmsprop, adam";

    /** The lower-case name that {@link #create} accepts. */
    public abstract String name();

    /** The slot names per parameter, e.g. {"m", "v"} for Adam; empty for SGD. */
    protected abstract String[] slotNames();

    /**
     * One parameter's update over elements [from, to): {@code p} in place from {@code g}, with
     * weight decay {@code wd} (0 for biases) and the parameter's slots in {@link #slotNames()}
     * order; {@code t} is the 1-based step. Elementwise, so {@link #update} may split a parameter
     * into ranges on several threads and get the same bits.
     */
    protected abstract void apply(float[] p, float[] g, float wd, float[][] slots, long t, int from, int to);

    public double learningRate() {
        return learningRate;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** Hyperparameters by name, for logs and checkpoints. */
    public Map<String, Double> hyperparameters() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("lr", learningRate);
        h.put("weight_decay", weightDecay);
        return h;
    }

    /** Updates every parameter from the gradient of the same name; the names and shapes must agree. */
    public final void update(Map<String, Tensor> params, Map<String, Tensor> grads) {
        if (!params.keySet().equals(grads.keySet())) {
            throw new IllegalArgumentException(name() + ": grads expected names " + params.keySet()
                    + ", got " + grads.keySet());
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor g = grads.get(e.getKey());
            if (!Arrays.equals(e.getValue().shape(), g.shape())) {
                throw new IllegalArgumentException(name() + ": gradient of " + e.getKey() + " expected shape "
                        + e.getValue().shapeString() + ", got " + g.shapeString());
            }
        }
        steps++;
        long t = steps;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            float[][] s = slotArrays(e.getKey(), p);
            float wd = p.rank() >= 2 ? (float) weightDecay : 0f;
            float[] w = p.data(), g = grads.get(e.getKey()).data();
            int n = w.length;
            if (n < 2 * UPDATE_CHUNK) {
                apply(w, g, wd, s, t, 0, n);
            } else {
                Parallel.forEach((n + UPDATE_CHUNK - 1) / UPDATE_CHUNK, (c, worker) ->
                        apply(w, g, wd, s, t, c * UPDATE_CHUNK, Math.min(n, (c + 1) * UPDATE_CHUNK)));
            }
        }
    }

    /**
     * Elements per task when a parameter is split across threads: 64 KB of each array, so a
     * task outlasts the hand-off and SimpleConvNet's W2 (432,000 weights) makes 27 tasks.
     */
    static final int UPDATE_CHUNK = 1 << 14;

    /** The parameter's slot arrays, created zero at its first update and then looked up once. */
    private float[][] slotArrays(String param, Tensor p) {
        float[][] s = slotArrays.get(param);
        if (s == null) {
            String[] names = slotNames();
            s = new float[names.length][];
            for (int i = 0; i < names.length; i++) {
                s[i] = slots.computeIfAbsent(names[i] + "." + param, k -> Tensor.zeros(p.shape())).data();
            }
            slotArrays.put(param, s);
        }
        return s;
    }

    /** Updates done so far. */
    public long steps() {
        return steps;
    }

    /** The slots by {@code slot.param} name; live, empty before the first update. */
    public Map<String, Tensor> state() {
        return Collections.unmodifiableMap(slots);
    }

    /**
     * Replaces the state with saved slots (copied) and step count. Every slot of every parameter
     * must be present with the parameter's shape, and nothing else; a fresh state (steps 0, no
     * slots) is also accepted.
     */
    public void restore(Map<String, Tensor> params, Map<String, Tensor> saved, long savedSteps) {
        if (savedSteps < 0) {
            throw new IllegalArgumentException(name() + ": steps expected >= 0, got " + savedSteps);
        }
        Map<String, Tensor> fresh = new LinkedHashMap<>();
        if (!(savedSteps == 0 && saved.isEmpty())) {
            for (String param : params.keySet()) {
                for (String slot : slotNames()) {
                    String key = slot + "." + param;
                    Tensor t = saved.get(key);
                    if (t == null) {
                        throw new IllegalArgumentException(name() + " state: missing slot " + key);
                    }
                    if (!Arrays.equals(t.shape(), params.get(param).shape())) {
                        throw new IllegalArgumentException(name() + " state: " + key + " expected shape "
                                + params.get(param).shapeString() + ", got " + t.shapeString());
                    }
                    fresh.put(key, t.copy());
                }
            }
            if (fresh.size() != saved.size()) {
                throw new IllegalArgumentException(name() + " state: expected slots " + fresh.keySet()
                        + ", got " + saved.keySet());
            }
        }
        slots.clear();
        slots.putAll(fresh);
        slotArrays.clear();
        steps = savedSteps;
    }

    @Override
    public String toString() {
        return name() + hyperparameters();
    }
}
