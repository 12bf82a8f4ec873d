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

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient checks of Affine, including inputs of rank 2 to 4 that it flattens. */
class AffineGradientTest {

    static final int[][] INPUTS = {{1, 1}, {3, 7}, {2, 3, 4, 5}, {4, 2, 3}, {5, 17}};
    static final int[] OUTPUTS = {1, 5, 4, 9, 33};

    static Stream<Arguments> cases() {
        return AllKernels.all().flatMap(k -> Stream.of(0, 1, 2, 3, 4).map(i ->
                Arguments.of(k.name(), k, Arrays.toString(INPUTS[i]) + " -> " + OUTPUTS[i], i)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void everyEntryAndRandomDirections(String kernels, Kernels k, String name, int i) {
        int[] shape = INPUTS[i];
        int d = Arrays.stream(shape).skip(1).reduce(1, (a, b) -> a * b);
        for (GradientCheckOptions.Mode mode : new GradientCheckOptions.Mode[] {
                GradientCheckOptions.Mode.FULL, GradientCheckOptions.Mode.RANDOMIZED}) {
            Affine affine = new Affine(KinkFreeInputs.uniform(i, 1, d, OUTPUTS[i]),
                    KinkFreeInputs.uniform(i + 10, 1, OUTPUTS[i]), k);
            Tensor x = KinkFreeInputs.uniform(i + 20, 1, shape);
            GradientCheckResult r = GradientCheck.checkLayer(name, affine, x,
                    GradientCheckOptions.piecewiseLinear().withMode(mode));
            assertTrue(r.passed(), r::toString);
        }
    }
}
