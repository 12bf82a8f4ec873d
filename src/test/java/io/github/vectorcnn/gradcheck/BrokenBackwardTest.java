package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.ScalarKernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import io.github.vectorcnn.layers.Affine;
import io.github.vectorcnn.layers.Convolution;
import io.github.vectorcnn.layers.Layer;
import io.github.vectorcnn.layers.MaxPooling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness must be able to fail: each test hands it a deliberately broken backward pass and
 * asserts that the broken tensor, and only it, is reported as FAIL (not as a kink), in both full
 * and randomized mode. Each test first checks the same layer with correct kernels, so a failure
 * can only come from the breakage.
 */
class BrokenBackwardTest {

    private static GradientCheckOptions options(GradientCheckOptions.Mode mode) {
        return GradientCheckOptions.piecewiseLinear().withMode(mode);
    }

    private static void assertOnlyFails(GradientCheckResult r, String broken) {
        assertTrue(r.hasFailures(), () -> "not detected:\n" + r);
        for (TensorCheck t : r.tensors()) {
            assertEquals(t.name().equals(broken) ? TensorCheck.Status.FAIL : TensorCheck.Status.PASS,
                    t.status(), () -> t.name() + " in\n" + r);
        }
        assertEquals(0, r.kinks(), r::toString);
        assertTrue(r.toString().contains("FAIL " + broken + ": worst at"), r::toString);
    }

    // ---- (a) convolution dW with the filter's height and width axes swapped ----------------------

    /** Runs a convolution and then transposes each FH×FW slice of dW in place. */
    static final class SwappedFilterAxes implements Layer {
        final Convolution conv;

        SwappedFilterAxes(Convolution conv) {
            this.conv = conv;
        }

        @Override
        public String name() {
            return "Convolution with dW axes swapped";
        }

        @Override
        public Tensor forward(Tensor x) {
            return conv.forward(x);
        }

        @Override
        public Tensor backward(Tensor dout) {
            Tensor dx = conv.backward(dout);
            Tensor dw = conv.grads().get("W");
            int fn = dw.dim(0), c = dw.dim(1), f = dw.dim(2);
            float[] d = dw.data();
            for (int n = 0; n < fn; n++) {
                for (int ch = 0; ch < c; ch++) {
                    int base = (n * c + ch) * f * f;
                    for (int y = 0; y < f; y++) {
                        for (int x = y + 1; x < f; x++) {
                            float t = d[base + y * f + x];
                            d[base + y * f + x] = d[base + x * f + y];
                            d[base + x * f + y] = t;
                        }
                    }
                }
            }
            return dx;
        }

        @Override
        public Map<String, Tensor> params() {
            return conv.params();
        }

        @Override
        public Map<String, Tensor> grads() {
            return conv.grads();
        }
    }

    @ParameterizedTest
    @EnumSource(value = GradientCheckOptions.Mode.class, names = {"FULL", "RANDOMIZED"})
    void convolutionWithSwappedFilterAxesInDW(GradientCheckOptions.Mode mode) {
        Tensor x = KinkFreeInputs.uniform(11, 1, 2, 3, 7, 6);
        Convolution good = new Convolution(KinkFreeInputs.uniform(12, 1, 4, 3, 3, 3),
                KinkFreeInputs.uniform(13, 1, 4), 1, 1, ScalarKernels.INSTANCE);
        assertTrue(GradientCheck.checkLayer(good, x, options(mode)).passed());

        GradientCheckResult r = GradientCheck.checkLayer(new SwappedFilterAxes(good), x, options(mode));
        assertOnlyFails(r, "W");
        if (mode == GradientCheckOptions.Mode.FULL) {
            int[] worst = r.tensor("W").worstIndex();
            assertNotEquals(worst[2], worst[3], "the diagonal fy == fx is unaffected by the swap: " + r);
        }
    }

    // ---- (b) a pooling backward that ignores the mask -------------------------------------------

    /** Sends each output's gradient to every cell of its window, as if the mask were not there. */
    static final class MaskIgnoringKernels extends ScalarKernels {
        @Override
        public void maxPoolBackward(WindowGeometry g, float[] dout, int doutOff, int[] argmax,
                                    int argmaxOff, float[] dx, int dxOff) {
            int h = g.height(), w = g.width(), o = 0;
            for (int c = 0; c < g.channels(); c++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++, o++) {
                        for (int fy = 0; fy < g.windowH(); fy++) {
                            for (int fx = 0; fx < g.windowW(); fx++) {
                                int iy = oy * g.stride() - g.pad() + fy, ix = ox * g.stride() - g.pad() + fx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    dx[dxOff + (c * h + iy) * w + ix] += dout[doutOff + o];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GradientCheckOptions.Mode.class, names = {"FULL", "RANDOMIZED"})
    void poolingBackwardThatIgnoresTheMask(GradientCheckOptions.Mode mode) {
        Tensor x = KinkFreeInputs.separatedGrid(21, options(mode).h(), 2, 3, 8, 7);
        assertTrue(GradientCheck.checkLayer(new MaxPooling(2, 3, 2, 1, ScalarKernels.INSTANCE), x,
                options(mode)).passed());

        GradientCheckResult r = GradientCheck.checkLayer(
                new MaxPooling(2, 3, 2, 1, new MaskIgnoringKernels()), x, options(mode));
        assertOnlyFails(r, "input");
    }

    // ---- (c) a col2im that overwrites instead of adding -----------------------------------------

    /** col2im with '=' where overlapping windows must add: the last window wins. */
    static final class OverwritingCol2im extends ScalarKernels {
        @Override
        public void col2im(WindowGeometry g, float[] col, int colOff, float[] dx, int dxOff) {
            int h = g.height(), w = g.width(), oh = g.outH(), ow = g.outW(), row = colOff;
            for (int c = 0; c < g.channels(); c++) {
                for (int fy = 0; fy < g.windowH(); fy++) {
                    for (int fx = 0; fx < g.windowW(); fx++, row += oh * ow) {
                        for (int oy = 0; oy < oh; oy++) {
                            for (int ox = 0; ox < ow; ox++) {
                                int iy = oy * g.stride() - g.pad() + fy, ix = ox * g.stride() - g.pad() + fx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    dx[dxOff + (c * h + iy) * w + ix] = col[row + oy * ow + ox];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GradientCheckOptions.Mode.class, names = {"FULL", "RANDOMIZED"})
    void col2imThatOverwritesInsteadOfAdding(GradientCheckOptions.Mode mode) {
        // Stride 1 with a 3×2 filter: windows overlap, which is where '=' and '+=' differ.
        Tensor x = KinkFreeInputs.uniform(31, 1, 2, 2, 6, 5);
        Tensor w = KinkFreeInputs.uniform(32, 1, 3, 2, 3, 2), b = KinkFreeInputs.uniform(33, 1, 3);
        assertTrue(GradientCheck.checkLayer(new Convolution(w, b, 1, 1, ScalarKernels.INSTANCE), x,
                options(mode)).passed());

        GradientCheckResult r = GradientCheck.checkLayer(
                new Convolution(w, b, 1, 1, new OverwritingCol2im()), x, options(mode));
        assertOnlyFails(r, "input");
    }

    // ---- (d) an affine backward missing the bias gradient ---------------------------------------

    /** biasGradCols that adds nothing: db stays zero. */
    static final class NoBiasGradient extends ScalarKernels {
        @Override
        public void biasGradCols(int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff) {
        }
    }

    @ParameterizedTest
    @EnumSource(value = GradientCheckOptions.Mode.class, names = {"FULL", "RANDOMIZED"})
    void affineBackwardMissingTheBiasGradient(GradientCheckOptions.Mode mode) {
        Tensor x = KinkFreeInputs.uniform(41, 1, 3, 2, 5);
        Tensor w = KinkFreeInputs.uniform(42, 1, 10, 6), b = KinkFreeInputs.uniform(43, 1, 6);
        assertTrue(GradientCheck.checkLayer(new Affine(w, b, ScalarKernels.INSTANCE), x,
                options(mode)).passed());

        GradientCheckResult r = GradientCheck.checkLayer(new Affine(w, b, new NoBiasGradient()), x,
                options(mode));
        assertOnlyFails(r, "b");
        if (mode == GradientCheckOptions.Mode.FULL) {
            assertEquals(0.0, r.tensor("b").worstAnalytic());
        }
    }
}
