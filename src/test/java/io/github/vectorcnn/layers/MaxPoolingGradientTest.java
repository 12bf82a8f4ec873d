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

/** Gradient checks of MaxPooling on kink-free inputs (no two values of a window within 4h). */
class MaxPoolingGradientTest {

    record Case(int n, int c, int h, int w, int ph, int pw, int stride, int pad) {
        @Override
        public String toString() {
            return String.format("x[%d,%d,%d,%d] pool %dx%d S%d P%d", n, c, h, w, ph, pw, stride, pad);
        }
    }

    static final Case[] CASES = {
        new Case(1, 1, 4, 4, 2, 2, 2, 0),    // the book's 2×2 stride 2
        new Case(2, 3, 7, 6, 3, 3, 1, 1),    // overlapping windows: a cell can win several
        new Case(2, 2, 9, 8, 2, 3, 2, 1),    // rectangular window with padding
        new Case(3, 2, 10, 11, 4, 5, 3, 2),  // stride 3, pad 2
        new Case(1, 1, 5, 7, 1, 1, 1, 0),    // 1×1 window: identity
        new Case(2, 1, 8, 8, 3, 3, 3, 0),    // stride equals window, ragged border dropped
        new Case(1, 2, 3, 9, 3, 2, 1, 1),    // window height equals the input height
    };

    static Stream<Arguments> cases() {
        return AllKernels.all().flatMap(k -> Stream.of(CASES).map(c -> Arguments.of(k.name(), k, c)));
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("cases")
    void everyEntryAndRandomDirections(String kernels, Kernels k, Case c) {
        for (GradientCheckOptions.Mode mode : new GradientCheckOptions.Mode[] {
                GradientCheckOptions.Mode.FULL, GradientCheckOptions.Mode.RANDOMIZED}) {
            GradientCheckOptions o = GradientCheckOptions.piecewiseLinear().withMode(mode);
            Tensor x = KinkFreeInputs.separatedGrid(17, o.h(), c.n, c.c, c.h, c.w);
            GradientCheckResult r = GradientCheck.checkLayer(c.toString(),
                    new MaxPooling(c.ph, c.pw, c.stride, c.pad, k), x, o);
            assertTrue(r.passed(), r::toString);
            assertEquals(0, r.kinks(), r::toString);
        }
    }

    /**
     * The fused relu: the grid is moved down by whole spacings (so still 2h away from zero and 4h
     * apart) until some windows are clamped to zero and some are not.
     */
    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("cases")
    void withFusedRelu(String kernels, Kernels k, Case c) {
        for (GradientCheckOptions.Mode mode : new GradientCheckOptions.Mode[] {
                GradientCheckOptions.Mode.FULL, GradientCheckOptions.Mode.RANDOMIZED}) {
            GradientCheckOptions o = GradientCheckOptions.piecewiseLinear().withMode(mode);
            MaxPooling layer = new MaxPooling(c.ph, c.pw, c.stride, c.pad, k).fusedRelu(true);
            Tensor x = null;
            for (int sixteenths = 4; sixteenths < 8 && x == null; sixteenths++) {
                Tensor grid = KinkFreeInputs.separatedGrid(17, o.h(), c.n, c.c, c.h, c.w);
                float shift = (float) ((c.h * c.w * sixteenths / 16) * KinkFreeInputs.spacing(o.h()));
                for (int i = 0; i < grid.size(); i++) {
                    grid.data()[i] -= shift;
                }
                layer.forward(grid);
                int clamped = 0, pieces = 0;
                for (int piece : layer.activePiece()) {
                    clamped += piece < 0 ? 1 : 0;
                    pieces++;
                }
                x = clamped > 0 && clamped < pieces ? grid : null;
            }
            assertTrue(x != null, c + ": no shift clamps some windows and not others");
            GradientCheckResult r = GradientCheck.checkLayer(c + " +relu", layer, x, o);
            assertTrue(r.passed(), r::toString);
            assertEquals(0, r.kinks(), r::toString);
        }
    }
}
