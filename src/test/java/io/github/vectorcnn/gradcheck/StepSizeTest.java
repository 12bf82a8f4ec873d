package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.ScalarKernels;
import io.github.vectorcnn.layers.Convolution;
import io.github.vectorcnn.layers.SoftmaxWithLoss;
import org.junit.jupiter.api.Test;

import static io.github.vectorcnn.gradcheck.GradientCheckOptions.Mode.FULL;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The experiment behind the step sizes of {@link GradientCheckOptions}, kept in the suite so
 * that the documented reasons stay true: a piecewise-linear layer's error is float rounding and
 * shrinks as h grows; a smooth loss's error is truncation at large h and rounding at small h.
 */
class StepSizeTest {

    /** How far beyond its tolerance the worst comparison is (> 1 fails), over every tensor. */
    private static double worstRatio(GradientCheckResult r) {
        double worst = 0;
        for (TensorCheck t : r.tensors()) {
            if (t.worstIndex() != null) {
                worst = Math.max(worst, Math.abs(t.worstAnalytic() - t.worstNumeric()) / t.worstTolerance());
            }
        }
        return worst;
    }

    private static GradientCheckResult convolution(float h) {
        // 6 channels, 5×5 filters: 150-term dot products, the largest rounding in the suite.
        Convolution conv = new Convolution(KinkFreeInputs.uniform(1, 1, 4, 6, 5, 5),
                KinkFreeInputs.uniform(2, 1, 4), 1, 2, ScalarKernels.INSTANCE);
        return GradientCheck.checkLayer(conv, KinkFreeInputs.uniform(3, 1, 1, 6, 12, 11),
                GradientCheckOptions.piecewiseLinear().withMode(FULL).withH(h));
    }

    @Test
    void piecewiseLinearLayersAreMostAccurateAtLargeH() {
        GradientCheckResult large = convolution(1e-2f), small = convolution(1e-4f);
        assertTrue(large.passed(), large::toString);
        assertTrue(worstRatio(large) < 0.5, "margin at h = 1e-2: " + worstRatio(large));
        assertFalse(small.passed(), "at h = 1e-4 float rounding alone should break the tolerance:\n" + small);
        assertTrue(worstRatio(small) > 10 * worstRatio(large),
                worstRatio(small) + " vs " + worstRatio(large));
    }

    private static GradientCheckResult softmax(float h) {
        int[] labels = {0, 5, 2, 3, 9, 9, 1, 0};
        Tensor scores = KinkFreeInputs.uniform(4, 4, 8, 10);
        return GradientCheck.checkLoss(new SoftmaxWithLoss(ScalarKernels.INSTANCE), scores, labels,
                GradientCheckOptions.smooth().withMode(FULL).withH(h));
    }

    @Test
    void smoothLossNeedsAnHBetweenTruncationAndRounding() {
        double truncation = softmax(1e-1f).maxRelError();
        double chosen = softmax(GradientCheckOptions.smooth().h()).maxRelError();
        double best = softmax(1e-2f).maxRelError();
        double rounding = softmax(1e-5f).maxRelError();
        assertTrue(softmax(GradientCheckOptions.smooth().h()).passed());
        assertTrue(truncation > 10 * best, "truncation at h = 0.1: " + truncation + " vs " + best);
        assertTrue(rounding > 10 * chosen, "rounding at h = 1e-5: " + rounding + " vs " + chosen);
        assertTrue(chosen < 0.1 * GradientCheckOptions.smooth().rtol(), "chosen h: " + chosen);
    }
}
