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

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient checks of the mean softmax cross-entropy with respect to the scores. */
class SoftmaxWithLossGradientTest {

    /** n, classes, score scale: from near-uniform softmax to confident rows. */
    static final double[][] CASES = {{1, 2, 1}, {4, 6, 1}, {8, 10, 3}, {3, 17, 5}, {2, 1, 1}};

    static Stream<Arguments> cases() {
        return AllKernels.all().flatMap(k -> Stream.of(CASES).map(c ->
                Arguments.of(k.name(), k, (int) c[0], (int) c[1], c[2])));
    }

    @ParameterizedTest(name = "{0} N={2} K={3} scale={4}")
    @MethodSource("cases")
    void everyScoreAndRandomDirections(String kernels, Kernels k, int n, int classes, double scale) {
        SplittableRandom rng = new SplittableRandom(n * 31L + classes);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        for (GradientCheckOptions.Mode mode : new GradientCheckOptions.Mode[] {
                GradientCheckOptions.Mode.FULL, GradientCheckOptions.Mode.RANDOMIZED}) {
            Tensor scores = KinkFreeInputs.uniform(n + classes, scale, n, classes);
            GradientCheckResult r = GradientCheck.checkLoss(new SoftmaxWithLoss(k), scores, labels,
                    GradientCheckOptions.smooth().withMode(mode));
            assertTrue(r.passed(), r::toString);
        }
    }
}
