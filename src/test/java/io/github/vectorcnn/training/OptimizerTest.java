package io.github.vectorcnn.training;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.Parallel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {

    /** One weight w (shape [1, 1]) at 1.0 with gradient 0.5, stepped twice; returns w after each step. */
    private static float[] twoSteps(Optimizer opt) {
        Tensor w = Tensor.wrap(new float[] {1f}, 1, 1);
        Tensor g = Tensor.wrap(new float[] {0.5f}, 1, 1);
        opt.update(Map.of("W", w), Map.of("W", g));
        float first = w.data()[0];
        opt.update(Map.of("W", w), Map.of("W", g));
        return new float[] {first, w.data()[0]};
    }

    // Expected values worked out by hand from the book's update rules with its defaults.
    @Test
    void sgd() {
        assertSteps(new Sgd(), 1 - 0.005, 1 - 0.010);
    }

    @Test
    void momentum() {
        // v1 = -0.005, w1 = 0.995; v2 = 0.9·(-0.005) - 0.005 = -0.0095, w2 = 0.9855
        assertSteps(new Momentum(), 0.995, 0.9855);
    }

    @Test
    void nesterov() {
        // v1 = -0.005; w1 = 1 + 0.81·(-0.005) - 1.9·0.005 = 0.98645
        // v2 = 0.9·(-0.005) - 0.005 = -0.0095; w2 = w1 + 0.81·(-0.0095) - 0.0095 = 0.969255
        assertSteps(new Nesterov(), 0.98645, 0.969255);
    }

    @Test
    void adaGrad() {
        // h1 = 0.25, w1 = 1 - 0.01·0.5/0.5 = 0.99; h2 = 0.5, w2 = 0.99 - 0.005/√0.5 = 0.98292893
        assertSteps(new AdaGrad(), 0.99, 0.98292893);
    }

    @Test
    void rmsProp() {
        // h1 = 0.01·0.25 = 0.0025, w1 = 1 - 0.005/0.05 = 0.9
        // h2 = 0.99·0.0025 + 0.0025 = 0.004975, w2 = 0.9 - 0.005/√0.004975 = 0.82911137
        assertSteps(new RmsProp(), 0.9, 0.82911137);
    }

    @Test
    void adam() {
        // With a constant gradient the bias-corrected m̂/√v̂ is 1: each step moves w by lr.
        assertSteps(new Adam(), 0.999, 0.998);
    }

    private static void assertSteps(Optimizer opt, double first, double second) {
        float[] w = twoSteps(opt);
        assertEquals(first, w[0], 1e-6, opt + " step 1");
        assertEquals(second, w[1], 1e-6, opt + " step 2");
        assertEquals(2, opt.steps());
    }

    @Test
    void weightDecayAppliesToWeightsNotBiases() {
        Tensor w = Tensor.wrap(new float[] {1f}, 1, 1);
        Tensor b = Tensor.wrap(new float[] {1f}, 1);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("W", w);
        params.put("b", b);
        Map<String, Tensor> grads = new LinkedHashMap<>();
        grads.put("W", Tensor.wrap(new float[] {0.5f}, 1, 1));
        grads.put("b", Tensor.wrap(new float[] {0.5f}, 1));
        new Sgd(0.01, 0.1).update(params, grads);
        assertEquals(1 - 0.01 * (0.5 + 0.1), w.data()[0], 1e-7);
        assertEquals(1 - 0.01 * 0.5, b.data()[0], 1e-7);
    }

    /** f(w) = ½ Σ a_i (w_i − c_i)², ∇f = a ⊙ (w − c). */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"})
    void decreasesAQuadratic(String name) {
        float[] a = {1f, 2f, 3f, 0.5f}, c = {0.3f, -0.2f, 0.1f, 0.4f};
        Tensor w = Tensor.zeros(2, 2), g = Tensor.zeros(2, 2);
        Optimizer opt = Optimizer.create(name, 0.05, 0);
        double start = quadratic(a, c, w.data(), g.data());
        double f = start;
        for (int step = 0; step < 300; step++) {
            f = quadratic(a, c, w.data(), g.data());
            opt.update(Map.of("W", w), Map.of("W", g));
        }
        assertTrue(f < 0.1 * start, name + ": f went from " + start + " to " + f);
    }

    private static double quadratic(float[] a, float[] c, float[] w, float[] g) {
        double f = 0;
        for (int i = 0; i < a.length; i++) {
            double d = w[i] - c[i];
            f += 0.5 * a[i] * d * d;
            g[i] = (float) (a[i] * d);
        }
        return f;
    }

    /**
     * A weight large enough to be split into ranges on the thread pool (the last range short)
     * must end with the bits of the same values updated as separate small weights, at 1 and 3
     * threads: every element updated once, by the same formula.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"})
    void largeWeightsSplitAcrossThreadsGiveTheSameBitsAsSmallOnes(String name) {
        int rows = 2 * Optimizer.UPDATE_CHUNK / 7 + 2, n = 7 * rows; // three ranges, the last 13 long
        SplittableRandom r = new SplittableRandom(9);
        float[] w0 = new float[n], g0 = new float[n];
        for (int i = 0; i < n; i++) {
            w0[i] = (float) r.nextGaussian();
            g0[i] = (float) r.nextGaussian();
        }
        int original = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                Tensor big = Tensor.wrap(w0.clone(), rows, 7);
                Optimizer whole = Optimizer.create(name, Double.NaN, 0.01);
                Optimizer pieces = Optimizer.create(name, Double.NaN, 0.01);
                Map<String, Tensor> small = new LinkedHashMap<>(), smallGrads = new LinkedHashMap<>();
                for (int row = 0; row < rows; row += 997) { // rows across every range, and the last
                    small.put("r" + row, Tensor.wrap(Arrays.copyOfRange(w0, row * 7, row * 7 + 7), 1, 7));
                    smallGrads.put("r" + row, Tensor.wrap(Arrays.copyOfRange(g0, row * 7, row * 7 + 7), 1, 7));
                }
                small.put("last", Tensor.wrap(Arrays.copyOfRange(w0, n - 7, n), 1, 7));
                smallGrads.put("last", Tensor.wrap(Arrays.copyOfRange(g0, n - 7, n), 1, 7));
                for (int step = 0; step < 3; step++) {
                    whole.update(Map.of("W", big), Map.of("W", Tensor.wrap(g0, rows, 7)));
                    pieces.update(small, smallGrads);
                }
                for (Map.Entry<String, Tensor> e : small.entrySet()) {
                    int from = e.getKey().equals("last") ? n - 7 : Integer.parseInt(e.getKey().substring(1)) * 7;
                    assertArrayEquals(e.getValue().data(), Arrays.copyOfRange(big.data(), from, from + 7),
                            name + " at " + threads + " threads, elements from " + from);
                }
            }
        } finally {
            Parallel.setThreads(original);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"})
    void restoredStateContinuesBitForBit(String name) {
        float[] a = {1f, 2f, 3f, 0.5f}, c = {0.3f, -0.2f, 0.1f, 0.4f};
        Tensor w = Tensor.zeros(2, 2), g = Tensor.zeros(2, 2);
        Optimizer first = Optimizer.create(name, Double.NaN, 0.01);
        for (int i = 0; i < 5; i++) {
            quadratic(a, c, w.data(), g.data());
            first.update(Map.of("W", w), Map.of("W", g));
        }
        Tensor w2 = w.copy();
        Optimizer second = Optimizer.create(name, Double.NaN, 0.01);
        second.restore(Map.of("W", w2), first.state(), first.steps());
        for (int i = 0; i < 5; i++) {
            quadratic(a, c, w.data(), g.data());
            first.update(Map.of("W", w), Map.of("W", g));
            quadratic(a, c, w2.data(), g.data());
            second.update(Map.of("W", w2), Map.of("W", g));
        }
        assertArrayEquals(w.data(), w2.data());
    }

    @Test
    void restoreRejectsMissingOrMisshapenSlots() {
        Map<String, Tensor> params = Map.of("W", Tensor.zeros(2, 3));
        Adam adam = new Adam();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(params, Map.of("m.W", Tensor.zeros(2, 3)), 4));
        assertTrue(e.getMessage().contains("missing slot v.W"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adam.restore(params,
                Map.of("m.W", Tensor.zeros(2, 3), "v.W", Tensor.zeros(3, 2)), 4));
        assertTrue(e.getMessage().contains("v.W expected shape [2, 3], got [3, 2]"), e.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizer.create("adamw", 0.1, 0))
                .getMessage().contains("got 'adamw'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sgd(-1, 0))
                .getMessage().contains("learningRate"));
        assertThrows(IllegalArgumentException.class, () -> new Sgd().update(
                Map.of("W", Tensor.zeros(2)), Map.of("W", Tensor.zeros(3))));
        assertEquals(0.001, Optimizer.create("ADAM", Double.NaN, 0).learningRate());
        assertEquals(0.01, Optimizer.create("rmsprop", Double.NaN, 0).learningRate());
    }

    @Test
    void ratesThatFloatRoundsToZeroOrInfinityAreRejected() {
        for (double lr : new double[] {1e39, 1e-50}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Optimizer.create("sgd", lr, 0));
            assertTrue(e.getMessage().contains("learningRate expected a value float32 holds")
                    && e.getMessage().contains("got " + lr), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.create("adam", 0.001, 1e-50));
        assertTrue(e.getMessage().contains("weightDecay expected 0 or a value"), e.getMessage());
    }
}
