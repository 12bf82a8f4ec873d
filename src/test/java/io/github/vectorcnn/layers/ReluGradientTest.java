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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient checks of Relu on inputs that keep every value further than h from zero. */
class ReluGradientTest {

    static final int[][] SHAPES = {{1}, {3, 5}, {2, 3, 4, 5}, {1, 1, 1, 33}, {7, 17}};

    static Stream<Arguments> cases() {
        return AllKernels.all().flatMap(k -> Stream.of(SHAPES).map(s ->
                Arguments.of(k.name(), k, Arrays.toString(s), s)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void everyEntryAndRandomDirections(String kernels, Kernels k, String name, int[] shape) {
        for (GradientCheckOptions.Mode mode : new GradientCheckOptions.Mode[] {
                GradientCheckOptions.Mode.FULL, GradientCheckOptions.Mode.RANDOMIZED}) {
            GradientCheckOptions o = GradientCheckOptions.piecewiseLinear().withMode(mode);
            Tensor x = KinkFreeInputs.awayFromZero(shape.length, o.h(), shape);
            GradientCheckResult r = GradientCheck.checkLayer(new Relu(k), x, o);
            assertTrue(r.passed(), r::toString);
            assertEquals(0, r.kinks());
        }
    }
}
