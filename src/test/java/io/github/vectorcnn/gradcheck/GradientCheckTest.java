package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.layers.Affine;
import io.github.vectorcnn.layers.Layer;
import io.github.vectorcnn.layers.Relu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.vectorcnn.gradcheck.GradientCheckOptions.Mode.FULL;
import static io.github.vectorcnn.gradcheck.GradientCheckOptions.Mode.RANDOMIZED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientCheckTest {

    /**
     * out = x ⊙ c with parameter "c", whose backward can be told to corrupt one entry of dc: the
     * smallest layer on which the harness's bookkeeping can be checked exactly.
     */
    static class Scale implements Layer {
        final Tensor c;
        final Tensor dc;
        final int corruptAt;
        Tensor x;
        Tensor out;

        Scale(Tensor c, int corruptAt) {
            this.c = c;
            this.dc = Tensor.zeros(c.shape());
            this.corruptAt = corruptAt;
        }

        @Override
        public String name() {
            return "Scale";
        }

        @Override
        public Tensor forward(Tensor x) {
            this.x = x;
            out = Tensor.zeros(x.shape());
            for (int i = 0; i < x.size(); i++) {
                out.data()[i] = x.data()[i] * c.data()[i];
            }
            return out;
        }

        @Override
        public Tensor backward(Tensor dout) {
            Tensor dx = Tensor.zeros(x.shape());
            for (int i = 0; i < x.size(); i++) {
                dx.data()[i] = dout.data()[i] * c.data()[i];
                dc.data()[i] = dout.data()[i] * x.data()[i];
            }
            if (corruptAt >= 0) {
                dc.data()[corruptAt] += 0.5f;
            }
            return dx;
        }

        @Override
        public Map<String, Tensor> params() {
            return Map.of("c", c);
        }

        @Override
        public Map<String, Tensor> grads() {
            return Map.of("c", dc);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GradientCheckOptions.Mode.class, names = {"FULL", "RANDOMIZED"})
    void correctLayerPassesEveryTensor(GradientCheckOptions.Mode mode) {
        Affine affine = new Affine(KinkFreeInputs.uniform(1, 1, 12, 5), KinkFreeInputs.uniform(2, 1, 5),
                KernelProvider.scalar());
        GradientCheckResult r = GradientCheck.checkLayer(affine, KinkFreeInputs.uniform(3, 1, 3, 2, 6),
                GradientCheckOptions.piecewiseLinear().withMode(mode));
        assertTrue(r.passed(), r::toString);
        assertEquals(List.of("input", "W", "b"), r.tensors().stream().map(TensorCheck::name).toList());
        int expected = mode == FULL ? 36 : r.options().directions();
        assertEquals(expected, r.tensor("input").checked());
        assertEquals(mode == RANDOMIZED, r.tensor("W").randomized());
    }

    @Test
    void wrongEntryIsNamedWithItsMultiIndexAndValues() {
        Tensor c = KinkFreeInputs.uniform(5, 1, 3, 4);
        Tensor x = KinkFreeInputs.uniform(6, 1, 3, 4);
        Scale layer = new Scale(c, c.offset(2, 1));
        GradientCheckResult r = GradientCheck.checkLayer(layer, x,
                GradientCheckOptions.piecewiseLinear().withMode(FULL));

        assertFalse(r.passed());
        assertEquals(TensorCheck.Status.PASS, r.tensor("input").status());
        TensorCheck bad = r.tensor("c");
        assertEquals(TensorCheck.Status.FAIL, bad.status());
        assertArrayEquals(new int[] {2, 1}, bad.worstIndex());
        assertEquals(0.5, bad.worstAnalytic() - bad.worstNumeric(), 1e-5);
        String report = r.toString();
        assertTrue(report.contains("FAIL c: worst at [2, 1]"), report);
        assertTrue(report.contains("numeric"), report);
    }

    @Test
    void randomizedModeAlsoFindsOneWrongEntry() {
        Tensor c = KinkFreeInputs.uniform(5, 1, 7, 9);
        Scale layer = new Scale(c, 17);
        GradientCheckResult r = GradientCheck.checkLayer(layer, KinkFreeInputs.uniform(6, 1, 7, 9),
                GradientCheckOptions.piecewiseLinear().withMode(RANDOMIZED));
        assertEquals(TensorCheck.Status.FAIL, r.tensor("c").status(), r::toString);
        assertEquals(TensorCheck.Status.PASS, r.tensor("input").status(), r::toString);
        assertTrue(r.toString().contains("dir ["), r::toString);
    }

    /**
     * At |x| = 1000 the float step (x + h) − (x − h) is not 2h (the ulp there is 6e-5): an
     * identity-like layer checks to 1e-6 only when the difference is divided by the step applied.
     */
    @Test
    void dividesByThePerturbationActuallyApplied() {
        float big = 1000.3f, h = 1e-2f;
        double applied = (double) (big + h) - (big - h);
        assertTrue(Math.abs(applied / (2.0 * h) - 1) > 1e-4, "the premise: 2h is not what is applied");
        Tensor x = Tensor.wrap(new float[] {big, -big, big}, 3);
        Scale layer = new Scale(Tensor.wrap(new float[] {1f, 2f, 1f}, 3), -1);
        GradientCheckResult r = GradientCheck.checkLayer(layer, x,
                GradientCheckOptions.piecewiseLinear().withMode(FULL).withTolerance(1e-7, 1e-6));
        assertTrue(r.tensor("input").passed(), r::toString);
    }

    @Test
    void perturbedTensorsAreRestoredExactly() {
        Tensor x = KinkFreeInputs.uniform(8, 1, 2, 9);
        Tensor w = KinkFreeInputs.uniform(9, 1, 9, 4);
        float[] x0 = x.data().clone(), w0 = w.data().clone();
        Affine affine = new Affine(w, Tensor.zeros(4), KernelProvider.scalar());
        GradientCheck.checkLayer(affine, x, GradientCheckOptions.piecewiseLinear().withMode(FULL));
        GradientCheck.checkLayer(affine, x, GradientCheckOptions.piecewiseLinear().withMode(RANDOMIZED));
        assertArrayEquals(x0, x.data());
        assertArrayEquals(w0, w.data());
    }

    @Test
    void aCrossedReluKinkIsReportedAsAKinkNotAsAWrongGradient() {
        GradientCheckOptions o = GradientCheckOptions.piecewiseLinear().withMode(FULL);
        Tensor x = KinkFreeInputs.awayFromZero(4, o.h(), 2, 5);
        x.data()[3] = o.h() / 2; // within h of zero: x − h is negative, x + h positive
        x.data()[7] = -o.h() / 4;
        GradientCheckResult r = GradientCheck.checkLayer(new Relu(KernelProvider.scalar()), x, o);

        TensorCheck input = r.tensor("input");
        assertEquals(TensorCheck.Status.KINK, input.status(), r::toString);
        assertEquals(2, input.kinks());
        assertEquals(8, input.checked());
        assertFalse(r.hasFailures());
        assertFalse(r.passed(), "a crossed kink leaves the check inconclusive");
        assertTrue(r.toString().contains("KINK input: 2 of 10 perturbations crossed a kink"), r::toString);
    }

    @Test
    void twoPoolingValuesWithinHOfEachOtherAreReportedAsACrossedArgmaxKink() {
        GradientCheckOptions o = GradientCheckOptions.piecewiseLinear().withMode(FULL);
        Tensor x = KinkFreeInputs.separatedGrid(5, o.h(), 1, 1, 4, 4);
        // Window (0, 0) of a 2x2 stride-2 pooling: its two largest values o.h()/2 apart.
        x.set(0.5f, 0, 0, 0, 0);
        x.set(0.5f + o.h() / 2, 0, 0, 0, 1);
        x.set(-0.5f, 0, 0, 1, 0);
        x.set(-0.7f, 0, 0, 1, 1);
        GradientCheckResult r = GradientCheck.checkLayer(
                new io.github.vectorcnn.layers.MaxPooling(2, 2, 2, 0, KernelProvider.scalar()), x, o);
        TensorCheck input = r.tensor("input");
        assertEquals(TensorCheck.Status.KINK, input.status(), r::toString);
        assertEquals(2, input.kinks(), "both near-equal cells cross the argmax: " + r);
        assertFalse(r.hasFailures(), r::toString);
    }

    @Test
    void aDirectionThatCrossesAKinkIsCountedAsAKinkInRandomizedModeToo() {
        GradientCheckOptions o = GradientCheckOptions.piecewiseLinear().withMode(RANDOMIZED);
        Tensor x = KinkFreeInputs.awayFromZero(4, o.h(), 3, 4);
        x.data()[5] = o.h() / 2; // every ±h direction moves it across zero one way or the other
        GradientCheckResult r = GradientCheck.checkLayer(new Relu(KernelProvider.scalar()), x, o);
        assertEquals(o.directions(), r.tensor("input").kinks(), r::toString);
        assertEquals(TensorCheck.Status.KINK, r.status());
    }

    @Test
    void withoutKinkDetectionTheSameInputWouldLookLikeAWrongGradient() {
        // The premise of the kink test: at a crossed kink the central difference is h/2h = 0.5·R,
        // which a gradient check with no kink detection would call a wrong gradient.
        GradientCheckOptions o = GradientCheckOptions.piecewiseLinear().withMode(FULL);
        Relu relu = new Relu(KernelProvider.scalar());
        Tensor x = Tensor.wrap(new float[] {o.h() / 2}, 1);
        Tensor dout = Tensor.wrap(new float[] {1f}, 1);
        relu.forward(x);
        float analytic = relu.backward(dout).data()[0];
        double fPlus = relu.forward(Tensor.wrap(new float[] {x.data()[0] + o.h()}, 1)).data()[0];
        double fMinus = relu.forward(Tensor.wrap(new float[] {x.data()[0] - o.h()}, 1)).data()[0];
        double numeric = (fPlus - fMinus) / (2 * o.h());
        assertEquals(1f, analytic);
        assertEquals(0.75, numeric, 1e-6);
    }

    @Test
    void nanInTheAnalyticGradientFails() {
        Tensor c = KinkFreeInputs.uniform(5, 1, 4);
        Scale layer = new Scale(c, -1) {
            @Override
            public Tensor backward(Tensor dout) {
                Tensor dx = super.backward(dout);
                dc.data()[1] = Float.NaN;
                return dx;
            }
        };
        GradientCheckResult r = GradientCheck.checkLayer(layer, KinkFreeInputs.uniform(6, 1, 4),
                GradientCheckOptions.piecewiseLinear().withMode(FULL));
        assertEquals(TensorCheck.Status.FAIL, r.tensor("c").status());
        assertArrayEquals(new int[] {1}, r.tensor("c").worstIndex());
    }

    @Test
    void anAllZeroAnalyticGradientFailsEvenWhenTheTrueGradientIsTiny() {
        // The absolute tolerance scales with the numeric gradient too, so tiny true gradients
        // cannot hide a missing one.
        Tensor c = Tensor.wrap(new float[] {1e-3f, 2e-3f}, 2);
        Tensor x = Tensor.wrap(new float[] {1e-3f, -1e-3f}, 2);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("c", c);
        Map<String, Tensor> grads = Map.of("c", Tensor.zeros(2));
        GradientCheckResult r = GradientCheck.checkLoss("tiny", () -> {
            double s = 0;
            for (int i = 0; i < 2; i++) {
                s += (double) c.data()[i] * x.data()[i];
            }
            return s;
        }, params, grads, List.of(), GradientCheckOptions.smooth().withMode(FULL));
        assertEquals(TensorCheck.Status.FAIL, r.tensor("c").status(), r::toString);
    }

    @Test
    void layerWithoutInputGradientChecksOnlyItsParameters() {
        io.github.vectorcnn.layers.Convolution conv = new io.github.vectorcnn.layers.Convolution(
                KinkFreeInputs.uniform(1, 1, 2, 1, 2, 2), KinkFreeInputs.uniform(2, 1, 2), 1, 0,
                KernelProvider.scalar()).computeInputGradient(false);
        GradientCheckResult r = GradientCheck.checkLayer(conv, KinkFreeInputs.uniform(3, 1, 1, 1, 4, 4),
                GradientCheckOptions.piecewiseLinear());
        assertEquals(List.of("W", "b"), r.tensors().stream().map(TensorCheck::name).toList());
        assertTrue(r.passed(), r::toString);
    }

    @Test
    void lossCheckRejectsGradientsThatDoNotMatchTheParameters() {
        Map<String, Tensor> params = Map.of("W", Tensor.zeros(2, 3));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.checkLoss("net", () -> 0, params, Map.of("V", Tensor.zeros(2, 3)),
                        List.of(), GradientCheckOptions.smooth()));
        assertTrue(missing.getMessage().contains("\"W\""), missing.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.checkLoss("net", () -> 0, params, Map.of("W", Tensor.zeros(3, 2)),
                        List.of(), GradientCheckOptions.smooth()));
        assertTrue(shape.getMessage().contains("[2, 3]") && shape.getMessage().contains("[3, 2]"),
                shape.getMessage());
    }

    @Test
    void nothingComparedGivesNoWorstIndex() {
        GradientCheckOptions o = GradientCheckOptions.piecewiseLinear().withMode(FULL);
        Tensor x = Tensor.wrap(new float[] {o.h() / 3}, 1);
        TensorCheck t = GradientCheck.checkLayer(new Relu(KernelProvider.scalar()), x, o).tensor("input");
        assertEquals(TensorCheck.Status.KINK, t.status());
        assertNull(t.worstIndex());
        assertEquals(0, t.checked());
    }

    @Test
    void optionsRejectNonsenseNamingTheParameter() {
        GradientCheckOptions o = GradientCheckOptions.piecewiseLinear();
        assertMessage(() -> o.withH(0f), "h", "0.0");
        assertMessage(() -> o.withH(Float.NaN), "h", "NaN");
        assertMessage(() -> o.withTolerance(-1, 1e-3), "atol", "-1.0");
        assertMessage(() -> o.withTolerance(0, 0), "atol, rtol", "both 0");
        assertMessage(() -> o.withDirections(0), "directions", "0");
        assertMessage(() -> o.withMode(null), "mode", "null");
        assertMessage(() -> KinkFreeInputs.separatedGrid(1, -1f, 2, 2), "h", "-1.0");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String name, String got) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(name + ":"), ex.getMessage());
        assertTrue(ex.getMessage().contains(got), ex.getMessage());
    }

    /** out = exp(x) in float; backward may scale its gradient by a wrong factor. */
    static final class Exp implements Layer {
        final float factor;
        Tensor x;

        Exp(float factor) {
            this.factor = factor;
        }

        @Override
        public String name() {
            return "Exp";
        }

        @Override
        public Tensor forward(Tensor x) {
            this.x = x;
            Tensor out = Tensor.zeros(x.shape());
            for (int i = 0; i < x.size(); i++) {
                out.data()[i] = (float) Math.exp(x.data()[i]);
            }
            return out;
        }

        @Override
        public Tensor backward(Tensor dout) {
            Tensor dx = Tensor.zeros(x.shape());
            for (int i = 0; i < x.size(); i++) {
                dx.data()[i] = factor * dout.data()[i] * (float) Math.exp(x.data()[i]);
            }
            return dx;
        }
    }

    /**
     * At x = 88.72, exp(x ± h) overflows float: the numeric derivative is ∞, which used to make
     * the ratio ∞/∞ = NaN that no comparison picked, so even a backward off by 2× passed.
     */
    @Test
    void anInfiniteNumericDerivativeFailsInsteadOfBeingSkipped() {
        for (float factor : new float[] {1f, 0.5f}) {
            GradientCheckResult r = GradientCheck.checkLayer(new Exp(factor), Tensor.wrap(new float[] {88.72f, 0.5f}, 1, 2),
                    GradientCheckOptions.piecewiseLinear().withMode(FULL));
            assertEquals(TensorCheck.Status.FAIL, r.tensor("input").status(), r::toString);
            assertArrayEquals(new int[] {0, 0}, r.tensor("input").worstIndex(), r::toString);
        }
    }

    @Test
    void aCheckWithNothingToCompareFails() {
        GradientCheckResult empty = GradientCheck.checkLoss("empty", () -> 42.0, Map.of(), Map.of(), List.of(),
                GradientCheckOptions.piecewiseLinear());
        assertTrue(empty.hasFailures());
        assertTrue(empty.toString().contains("nothing to check"), empty::toString);
        Layer identityWithoutGradient = new Layer() {
            @Override
            public String name() {
                return "NoInputGradient";
            }

            @Override
            public Tensor forward(Tensor x) {
                return x.copy();
            }

            @Override
            public Tensor backward(Tensor dout) {
                return null;
            }
        };
        assertEquals(TensorCheck.Status.FAIL, GradientCheck.checkLayer(identityWithoutGradient, Tensor.zeros(2, 3),
                GradientCheckOptions.piecewiseLinear()).status());
    }

    /** Correct on a fresh layer, wrong from the second training step on: dc += instead of =. */
    @Test
    void aBackwardThatAddsIntoItsGradientIsCaught() {
        Tensor c = KinkFreeInputs.uniform(7, 1, 2, 3);
        Scale accumulating = new Scale(c, -1) {
            @Override
            public Tensor backward(Tensor dout) {
                float[] before = dc.data().clone();
                Tensor dx = super.backward(dout);
                for (int i = 0; i < before.length; i++) {
                    dc.data()[i] += before[i];
                }
                return dx;
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradientCheck.checkLayer(
                accumulating, KinkFreeInputs.uniform(8, 1, 2, 3), GradientCheckOptions.piecewiseLinear()));
        assertTrue(e.getMessage().contains("second backward with the same dout gave a different c gradient"),
                e.getMessage());
    }

    /**
     * A loss that throws at a perturbed point: the exception is the loss's own (the restoring
     * forward that fails again is attached, not put in its place) and the input is left as it was.
     */
    @Test
    void aLossThatThrowsLeavesTheInputAsItWasAndKeepsItsException() {
        Layer bounded = new Layer() {
            @Override
            public String name() {
                return "Bounded";
            }

            @Override
            public Tensor forward(Tensor x) {
                for (float v : x.data()) {
                    if (v > 1f) {
                        throw new IllegalArgumentException("Bounded: input expected <= 1, got " + v);
                    }
                }
                return x.copy();
            }

            @Override
            public Tensor backward(Tensor dout) {
                return dout.copy();
            }
        };
        float[] values = {0.2f, 0.995f, -0.3f};
        Tensor x = Tensor.wrap(values.clone(), 1, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.checkLayer(bounded, x, GradientCheckOptions.piecewiseLinear().withMode(FULL)));
        assertTrue(e.getMessage().startsWith("Bounded: input expected <= 1, got 1.00"), e.getMessage());
        assertArrayEquals(values, x.data());
    }
}
