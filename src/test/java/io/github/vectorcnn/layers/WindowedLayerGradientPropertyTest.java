package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.gradcheck.GradientCheck;
import io.github.vectorcnn.gradcheck.GradientCheckOptions;
import io.github.vectorcnn.gradcheck.GradientCheckResult;
import io.github.vectorcnn.gradcheck.KinkFreeInputs;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient checks of Convolution and MaxPooling over random geometries (jqwik), with the kernels
 * this JVM picks by default (vector when it loads), beside the fixed cases of
 * {@link ConvolutionGradientTest} and {@link MaxPoolingGradientTest}.
 */
class WindowedLayerGradientPropertyTest {

    private static final Kernels KERNELS = KernelProvider.get();

    @Property(tries = 40, seed = "20261125")
    void convolution(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int c,
                     @ForAll @IntRange(min = 1, max = 11) int h, @ForAll @IntRange(min = 1, max = 11) int w,
                     @ForAll @IntRange(min = 1, max = 5) int filters,
                     @ForAll @IntRange(min = 1, max = 5) int fh, @ForAll @IntRange(min = 1, max = 5) int fw,
                     @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 2) int pad,
                     @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Assume.that(h + 2 * pad >= fh && w + 2 * pad >= fw);
        Convolution conv = new Convolution(KinkFreeInputs.uniform(seed, 1, filters, c, fh, fw),
                KinkFreeInputs.uniform(seed + 1, 1, filters), stride, pad, KERNELS);
        Tensor x = KinkFreeInputs.uniform(seed + 2, 1, n, c, h, w);
        GradientCheckResult r = GradientCheck.checkLayer(conv, x, GradientCheckOptions.piecewiseLinear());
        assertTrue(r.passed(), r::toString);
    }

    @Property(tries = 80, seed = "20261125")
    void maxPooling(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int c,
                    @ForAll @IntRange(min = 1, max = 11) int h, @ForAll @IntRange(min = 1, max = 11) int w,
                    @ForAll @IntRange(min = 1, max = 5) int ph, @ForAll @IntRange(min = 1, max = 5) int pw,
                    @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 2) int pad,
                    @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Assume.that(2 * pad <= Math.min(ph, pw) && h + 2 * pad >= ph && w + 2 * pad >= pw);
        GradientCheckOptions o = GradientCheckOptions.piecewiseLinear();
        Tensor x = KinkFreeInputs.separatedGrid(seed, o.h(), n, c, h, w);
        GradientCheckResult r = GradientCheck.checkLayer(new MaxPooling(ph, pw, stride, pad, KERNELS), x, o);
        assertTrue(r.passed(), r::toString);
    }
}
