package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.gradcheck.AllKernels;
import io.github.vectorcnn.gradcheck.GradientCheck;
import io.github.vectorcnn.gradcheck.GradientCheckOptions;
import io.github.vectorcnn.gradcheck.GradientCheckResult;
import io.github.vectorcnn.gradcheck.KinkFreeInputs;
import io.github.vectorcnn.kernels.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient checks of Convolution: input, W and b, entry by entry, over awkward geometries. */
class ConvolutionGradientTest {

    /** n, c, h, w, filters, fh, fw, stride, pad. */
    record Case(int n, int c, int h, int w, int filters, int fh, int fw, int stride, int pad) {
        @Override
        public String toString() {
            return String.format("x[%d,%d,%d,%d] W[%d,%d,%d,%d] S%d P%d", n, c, h, w, filters, c, fh, fw,
                    stride, pad);
        }
    }

    static final Case[] CASES = {
        new Case(1, 1, 5, 5, 1, 1, 1, 1, 0),   // 1×1 filter, a plain per-pixel scale
        new Case(2, 3, 7, 6, 4, 3, 3, 1, 1),   // "same" padding, overlapping windows
        new Case(3, 2, 8, 7, 2, 3, 2, 2, 0),   // rectangular filter, stride 2
        new Case(2, 2, 9, 10, 5, 5, 4, 3, 2),  // stride 3, pad 2, five filters
        new Case(2, 4, 6, 9, 3, 2, 5, 2, 2),   // wide filter, pad 2 on a short input
        new Case(1, 1, 4, 11, 3, 4, 1, 1, 2),  // tall 4×1 filter, pad wider than needed
        new Case(2, 3, 5, 5, 2, 5, 5, 1, 0),   // filter as large as the input: 1×1 output
        new Case(3, 1, 7, 3, 1, 2, 2, 3, 1),   // stride 3 skips cells: their gradient is zero
    };

    static Stream<Arguments> cases() {
        return AllKernels.all().flatMap(k -> Stream.of(CASES).map(c -> Arguments.of(k.name(), k, c)));
    }

    private static Convolution layer(Case c, Kernels k, long seed) {
        return new Convolution(KinkFreeInputs.uniform(seed, 1, c.filters, c.c, c.fh, c.fw),
                KinkFreeInputs.uniform(seed + 1, 1, c.filters), c.stride, c.pad, k);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void everyEntryOfInputWeightsAndBias(String kernels, Kernels k, Case c) {
        Tensor x = KinkFreeInputs.uniform(7, 1, c.n, c.c, c.h, c.w);
        GradientCheckResult r = GradientCheck.checkLayer(c.toString(), layer(c, k, 3), x,
                GradientCheckOptions.piecewiseLinear().withMode(GradientCheckOptions.Mode.FULL));
        assertTrue(r.passed(), r::toString);
        assertEquals(x.size(), r.tensor("input").checked());
        assertEquals(c.filters * c.c * c.fh * c.fw, r.tensor("W").checked());
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void randomDirections(String kernels, Kernels k, Case c) {
        Tensor x = KinkFreeInputs.uniform(8, 2, c.n, c.c, c.h, c.w);
        GradientCheckResult r = GradientCheck.checkLayer(c.toString(), layer(c, k, 5), x,
                GradientCheckOptions.piecewiseLinear().withMode(GradientCheckOptions.Mode.RANDOMIZED)
                        .withSeed(11));
        assertTrue(r.passed(), r::toString);
    }

    static Stream<Arguments> kernels() {
        return AllKernels.all().map(k -> Arguments.of(k.name(), k));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void largerLayerInRandomizedMode(String kernels, Kernels k) {
        Case c = new Case(2, 8, 16, 15, 8, 3, 3, 1, 1);
        GradientCheckResult r = GradientCheck.checkLayer(c.toString(), layer(c, k, 9),
                KinkFreeInputs.uniform(10, 1, c.n, c.c, c.h, c.w),
                GradientCheckOptions.piecewiseLinear().withMode(GradientCheckOptions.Mode.RANDOMIZED));
        assertTrue(r.passed(), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void firstLayerWithoutInputGradientStillGetsWeightAndBiasGradients(String kernels, Kernels k) {
        Case c = CASES[2];
        Convolution conv = layer(c, k, 13).computeInputGradient(false);
        GradientCheckResult r = GradientCheck.checkLayer(conv, KinkFreeInputs.uniform(14, 1, c.n, c.c,
                c.h, c.w), GradientCheckOptions.piecewiseLinear());
        assertTrue(r.passed(), r::toString);
        assertEquals(2, r.tensors().size(), r::toString);
    }
}
