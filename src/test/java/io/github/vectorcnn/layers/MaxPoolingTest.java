package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.gradcheck.AllKernels;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MaxPooling with its fused relu against a MaxPooling followed by a separate Relu. */
class MaxPoolingTest {
    private final int originalThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(originalThreads);
    }

    static Stream<Arguments> kernelsAndGeometries() {
        int[][] geometries = {
            {7, 3, 24, 24, 2, 2, 2, 0},   // SimpleConvNet's pool, several images per thread
            {3, 2, 9, 8, 3, 3, 2, 1},     // overlapping windows with padding
            {2, 1, 5, 7, 1, 1, 1, 0},     // 1×1: relu alone
        };
        return AllKernels.all().flatMap(k -> Stream.of(geometries).map(g -> Arguments.of(k.name(), k, g)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndGeometries")
    void fusedReluGivesTheBitsOfPoolThenReluOnAnyThreadCount(String name, Kernels k, int[] g) {
        Tensor x = uniform(3, -0.5, g[0], g[1], g[2], g[3]);
        MaxPooling pool = new MaxPooling(g[4], g[5], g[6], g[7], k);
        Relu relu = new Relu(k);
        Tensor expectedOut = relu.forward(pool.forward(x)).copy();
        Tensor dout = uniform(5, 0, expectedOut.shape());
        Tensor expectedDx = pool.backward(relu.backward(dout)).copy();
        int clamped = 0;
        for (float v : expectedOut.data()) {
            clamped += v == 0f ? 1 : 0;
        }
        assertTrue(clamped > 0 && clamped < expectedOut.size(), "some but not all outputs clamped: " + clamped);

        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            MaxPooling fused = new MaxPooling(g[4], g[5], g[6], g[7], k).fusedRelu(true);
            assertEquals("MaxPooling+Relu", fused.name());
            assertArrayEquals(expectedOut.data(), fused.forward(x).data(), threads + " threads: out");
            assertArrayEquals(expectedDx.data(), fused.backward(dout).data(), threads + " threads: dx");
            // A second pass reuses the buffers: the masked dout must not carry over.
            assertArrayEquals(expectedDx.data(), fused.backward(dout).data(), threads + " threads: dx again");
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kernelsAndGeometries")
    void fusedActivePieceMarksClampedOutputs(String name, Kernels k, int[] g) {
        Tensor x = uniform(7, -0.5, g[0], g[1], g[2], g[3]);
        MaxPooling plain = new MaxPooling(g[4], g[5], g[6], g[7], k);
        MaxPooling fused = new MaxPooling(g[4], g[5], g[6], g[7], k).fusedRelu(true);
        Tensor pooled = plain.forward(x);
        fused.forward(x);
        int[] argmax = plain.activePiece(), piece = fused.activePiece();
        for (int i = 0; i < piece.length; i++) {
            int expected = pooled.data()[i] > 0f ? argmax[i] : -1;
            assertEquals(expected, piece[i], "output " + i);
        }
    }

    /** Uniform in [shift − 1, shift + 1): a negative shift makes windows whose maximum relu clamps. */
    private static Tensor uniform(long seed, double shift, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (shift + r.nextDouble() * 2 - 1);
        }
        return t;
    }
}
