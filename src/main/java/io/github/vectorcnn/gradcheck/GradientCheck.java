package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.layers.Layer;
import io.github.vectorcnn.layers.PiecewiseLinear;
import io.github.vectorcnn.layers.SoftmaxWithLoss;
import io.github.vectorcnn.networks.SimpleConvNet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Central differences against backpropagation, for any {@link Layer}, a loss, or a whole network.
 *
 * <p>A single layer is checked through the scalar L = Σ out ⊙ R, with R a fixed random tensor
 * (seeded by {@link GradientCheckOptions#seed()}) and the sum accumulated in double: backward is
 * called with dout = R, twice (the second must give the same bits: a backward that adds into its
 * gradients is caught on a fresh layer), and every entry of the input and of each parameter is perturbed by
 * ±h in place and compared (see {@link GradientCheckOptions} for modes and tolerances). The
 * difference is divided by the perturbation actually applied in float, (x + h) − (x − h), not by
 * 2h: the two differ by up to ulp(x)/2h relative, 3e-3 at |x| = 1000 with h = 1e-2.
 *
 * <p>Kinks: for a {@link PiecewiseLinear} layer, and for every piecewise-linear layer named in a
 * loss check, the active piece is recorded at x, x + h and x − h; when they differ the
 * perturbation is counted as a crossed kink, not compared. Inputs from {@link KinkFreeInputs}
 * keep kinks away.
 *
 * <p>Tensors are perturbed in place and restored exactly; a checked layer is run forward once
 * more at the unperturbed input at the end, so its caches are as before.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** Checks a layer's input gradient and every parameter gradient at input x. */
    public static GradientCheckResult checkLayer(Layer layer, Tensor x, GradientCheckOptions options) {
        return checkLayer(layer.name(), layer, x, options);
    }

    /**
     * Checks a layer under a caller-chosen subject name (e.g. "Convolution 3x3 stride 2"). When
     * backward returns null (a first convolution that skips its input gradient), only the
     * parameters are checked.
     */
    public static GradientCheckResult checkLayer(String subject, Layer layer, Tensor x,
                                                 GradientCheckOptions options) {
        if (layer == null || x == null || options == null) {
            throw new IllegalArgumentException("checkLayer: layer, x and options must not be null, got "
                    + layer + ", " + x + ", " + options);
        }
        Tensor out = layer.forward(x);
        int[] outShape = out.shape();
        SplittableRandom rng = new SplittableRandom(options.seed());
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        List<PiecewiseLinear> watched = layer instanceof PiecewiseLinear p ? List.of(p) : List.of();

        Tensor dx = layer.backward(Tensor.wrap(r.clone(), outShape));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> analytic = new LinkedHashMap<>();
        if (dx != null) {
            requireSameShape(subject, "input gradient", x, dx);
            tensors.put("input", x);
            analytic.put("input", dx.data().clone());
        }
        Map<String, Tensor> params = layer.params(), grads = layer.grads();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor g = grads.get(e.getKey());
            requireSameShape(subject, "gradient " + e.getKey(), e.getValue(), g);
            tensors.put(e.getKey(), e.getValue());
            analytic.put(e.getKey(), g.data().clone());
        }
        // A backward that adds into its gradients instead of writing them is right once, on a fresh
        // layer, and wrong from the second step of training on: the same dout must give the same
        // gradients again.
        Tensor again = layer.backward(Tensor.wrap(r.clone(), outShape));
        requireRepeated(subject, "input", analytic.get("input"), again);
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            requireRepeated(subject, e.getKey(), analytic.get(e.getKey()), layer.grads().get(e.getKey()));
        }

        DoubleSupplier loss = () -> {
            Tensor o = layer.forward(x);
            if (!o.hasShape(outShape)) {
                throw new IllegalStateException(subject + ": output shape changed from "
                        + Arrays.toString(outShape) + " to " + o.shapeString() + " under perturbation");
            }
            float[] od = o.data();
            double sum = 0;
            for (int i = 0; i < od.length; i++) {
                sum += (double) od[i] * r[i];
            }
            return sum;
        };
        return runThenRestore(() -> run(subject, loss, tensors, analytic, watched, options, rng), () -> layer.forward(x));
    }

    /**
     * Runs the check, then {@code restore} (a forward at the unperturbed point, so caches are as
     * before). When the check throws, its exception is the one that propagates; a failure of the
     * restore is added to it as suppressed instead of replacing it.
     */
    private static GradientCheckResult runThenRestore(Supplier<GradientCheckResult> check,
                                                      Runnable restore) {
        GradientCheckResult result;
        try {
            result = check.get();
        } catch (RuntimeException | Error e) {
            try {
                restore.run();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        restore.run();
        return result;
    }

    private static void requireRepeated(String subject, String name, float[] first, Tensor second) {
        if (first == null) {
            if (second != null) {
                throw new IllegalStateException(subject + ": backward returned an input gradient only the second time");
            }
            return;
        }
        float[] s = second == null ? null : second.data();
        for (int i = 0; i < first.length; i++) {
            if (s == null || Float.floatToRawIntBits(first[i]) != Float.floatToRawIntBits(s[i])) {
                throw new IllegalStateException(subject + ": a second backward with the same dout gave a different "
                        + name + " gradient (at " + i + ": " + first[i] + " then " + (s == null ? "null" : s[i])
                        + "); does backward add into the gradient instead of writing it?");
            }
        }
    }

    /**
     * Checks the gradients of a scalar loss. {@code grads} must already hold the analytic gradient
     * at the current parameters (e.g. from one backward pass); they are copied before anything is
     * perturbed. {@code loss} recomputes the loss from the live {@code params} tensors.
     * {@code watched} lists the piecewise-linear layers the loss runs through, so that a crossed
     * kink is reported as one.
     */
    public static GradientCheckResult checkLoss(String subject, DoubleSupplier loss,
                                                Map<String, Tensor> params, Map<String, Tensor> grads,
                                                Collection<? extends PiecewiseLinear> watched,
                                                GradientCheckOptions options) {
        if (loss == null || params == null || grads == null || watched == null || options == null) {
            throw new IllegalArgumentException("checkLoss: no argument may be null");
        }
        Map<String, float[]> analytic = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor g = grads.get(e.getKey());
            if (g == null) {
                throw new IllegalArgumentException(subject + ": grads expected an entry \"" + e.getKey()
                        + "\" (names " + params.keySet() + "), got names " + grads.keySet());
            }
            requireSameShape(subject, "gradient " + e.getKey(), e.getValue(), g);
            analytic.put(e.getKey(), g.data().clone());
        }
        return runThenRestore(() -> run(subject, loss, params, analytic, List.copyOf(watched), options,
                new SplittableRandom(options.seed())), loss::getAsDouble);
    }

    /** Checks the mean cross-entropy's gradient with respect to the scores [N, K]. */
    public static GradientCheckResult checkLoss(SoftmaxWithLoss layer, Tensor scores, int[] labels,
                                                GradientCheckOptions options) {
        layer.forward(scores, labels);
        Tensor dscores = layer.backward(1f);
        return checkLoss(layer.name(), () -> layer.forward(scores, labels), Map.of("scores", scores),
                Map.of("scores", dscores), List.of(), options);
    }

    /**
     * Checks a SimpleConvNet's loss gradient with respect to W1, b1, W2, b2, W3, b3 on one batch,
     * watching every piecewise-linear layer for crossed kinks.
     */
    public static GradientCheckResult checkNetwork(SimpleConvNet net, Tensor x, int[] labels,
                                                   GradientCheckOptions options) {
        Map<String, Tensor> first = new LinkedHashMap<>();
        net.gradient(x, labels).forEach((name, g) -> first.put(name, g.copy()));
        Map<String, Tensor> grads = net.gradient(x, labels);
        first.forEach((name, g) -> requireRepeated("SimpleConvNet", name, g.data(), grads.get(name)));
        List<PiecewiseLinear> watched = new ArrayList<>();
        for (Layer l : net.layers()) {
            if (l instanceof PiecewiseLinear p) {
                watched.add(p);
            }
        }
        return checkLoss("SimpleConvNet", () -> net.loss(x, labels), net.params(), grads, watched,
                options);
    }

    private static void requireSameShape(String subject, String what, Tensor expected, Tensor actual) {
        if (actual == null || !actual.hasShape(expected.shape())) {
            throw new IllegalArgumentException(subject + ": " + what + " expected shape "
                    + expected.shapeString() + ", got " + (actual == null ? "null" : actual.shapeString()));
        }
    }

    // ---- the comparison loop ------------------------------------------------------------------

    private static GradientCheckResult run(String subject, DoubleSupplier loss,
                                           Map<String, Tensor> tensors, Map<String, float[]> analytic,
                                           List<? extends PiecewiseLinear> watched,
                                           GradientCheckOptions o, SplittableRandom rng) {
        loss.getAsDouble();
        int[][] base = pieces(watched);
        List<TensorCheck> checks = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            boolean full = o.fullFor(t.size());
            Differences d = full
                    ? full(t, analytic.get(e.getKey()), loss, watched, base, o.h())
                    : randomized(t, analytic.get(e.getKey()), loss, watched, base, o, rng);
            checks.add(d.compare(e.getKey(), t, !full, o));
        }
        return new GradientCheckResult(subject, o, checks);
    }

    /** Perturbs each entry by ±h; a kink-crossing entry gets a NaN numeric value and kink = true. */
    private static Differences full(Tensor t, float[] analytic, DoubleSupplier loss,
                                    List<? extends PiecewiseLinear> watched, int[][] base, float h) {
        float[] p = t.data();
        Differences d = new Differences(p.length);
        for (int i = 0; i < p.length; i++) {
            float saved = p[i];
            float plus = saved + h, minus = saved - h;
            double fPlus, fMinus;
            boolean crossed;
            try {
                p[i] = plus;
                fPlus = loss.getAsDouble();
                crossed = !samePieces(base, watched);
                p[i] = minus;
                fMinus = loss.getAsDouble();
                crossed |= !samePieces(base, watched);
            } finally {
                p[i] = saved; // also when the loss throws: the caller's tensor is left as it was
            }
            d.kink[i] = crossed;
            d.numeric[i] = (fPlus - fMinus) / ((double) plus - minus);
            d.analytic[i] = analytic[i];
        }
        return d;
    }

    /** The directional derivative along random ±1 directions, numeric and analytic. */
    private static Differences randomized(Tensor t, float[] analytic, DoubleSupplier loss,
                                          List<? extends PiecewiseLinear> watched, int[][] base,
                                          GradientCheckOptions o, SplittableRandom rng) {
        float[] p = t.data();
        float[] saved = p.clone(), plus = new float[p.length], minus = new float[p.length];
        float h = o.h();
        Differences d = new Differences(o.directions());
        for (int k = 0; k < o.directions(); k++) {
            double directional = 0;
            for (int i = 0; i < p.length; i++) {
                float step = rng.nextBoolean() ? h : -h;
                plus[i] = saved[i] + step;
                minus[i] = saved[i] - step;
                directional += (double) analytic[i] * ((double) plus[i] - minus[i]);
            }
            double fPlus, fMinus;
            boolean crossed;
            try {
                System.arraycopy(plus, 0, p, 0, p.length);
                fPlus = loss.getAsDouble();
                crossed = !samePieces(base, watched);
                System.arraycopy(minus, 0, p, 0, p.length);
                fMinus = loss.getAsDouble();
                crossed |= !samePieces(base, watched);
            } finally {
                System.arraycopy(saved, 0, p, 0, p.length);
            }
            d.kink[k] = crossed;
            d.numeric[k] = (fPlus - fMinus) / (2.0 * h);
            d.analytic[k] = directional / (2.0 * h);
        }
        return d;
    }

    private static int[][] pieces(List<? extends PiecewiseLinear> watched) {
        int[][] p = new int[watched.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = watched.get(i).activePiece();
        }
        return p;
    }

    private static boolean samePieces(int[][] base, List<? extends PiecewiseLinear> watched) {
        for (int i = 0; i < base.length; i++) {
            if (!Arrays.equals(base[i], watched.get(i).activePiece())) {
                return false;
            }
        }
        return true;
    }

    /** The numeric and analytic values of one tensor's comparisons, and which crossed a kink. */
    private static final class Differences {
        final double[] numeric;
        final double[] analytic;
        final boolean[] kink;

        Differences(int n) {
            numeric = new double[n];
            analytic = new double[n];
            kink = new boolean[n];
        }

        /**
         * Compares with |a − n| ≤ atol·scale + rtol·|n|, scale the largest finite |a| or |n| not at
         * a kink, and keeps the comparison furthest beyond its tolerance.
         */
        TensorCheck compare(String name, Tensor t, boolean randomized, GradientCheckOptions o) {
            double scale = 0;
            for (int i = 0; i < numeric.length; i++) {
                // NaN and ∞ fail on their own; they must not blind the tolerance of the rest.
                if (!kink[i] && Double.isFinite(numeric[i]) && Double.isFinite(analytic[i])) {
                    scale = Math.max(scale, Math.max(Math.abs(numeric[i]), Math.abs(analytic[i])));
                }
            }
            double atol = o.atol() * scale;
            double floor = o.rtol() > 0 ? atol / o.rtol() : 0;
            int checked = 0, kinks = 0, worst = -1;
            double maxAbs = 0, maxRel = 0, worstRatio = -1, worstTol = 0;
            for (int i = 0; i < numeric.length; i++) {
                if (kink[i]) {
                    kinks++;
                    continue;
                }
                checked++;
                double n = numeric[i], a = analytic[i];
                double diff = Math.abs(a - n);
                double tol = atol + o.rtol() * Math.abs(n);
                double denom = Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
                double rel = denom > 0 ? diff / denom : (diff > 0 ? Double.POSITIVE_INFINITY : 0);
                // How far beyond tolerance (> 1 fails); a NaN or ∞ value fails and becomes the worst
                // (∞/∞ would be NaN, which no comparison picks).
                double r = !Double.isFinite(n) || !Double.isFinite(a) ? Double.POSITIVE_INFINITY
                        : tol > 0 ? diff / tol : diff > 0 ? Double.POSITIVE_INFINITY : 0;
                maxAbs = Double.isNaN(diff) || Double.isNaN(maxAbs) ? Double.NaN : Math.max(maxAbs, diff);
                maxRel = Double.isNaN(rel) || Double.isNaN(maxRel) ? Double.NaN : Math.max(maxRel, rel);
                if (r > worstRatio) {
                    worstRatio = r;
                    worst = i;
                    worstTol = tol;
                }
            }
            int[] worstIndex = worst < 0 ? null : randomized ? new int[] {worst} : t.index(worst);
            return new TensorCheck(name, t.shape(), randomized, checked, kinks, maxAbs, maxRel,
                    worstIndex, worst < 0 ? Double.NaN : numeric[worst],
                    worst < 0 ? Double.NaN : analytic[worst], worstTol);
        }
    }
}
