package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.gradcheck.AllKernels;
import io.github.vectorcnn.gradcheck.GradientCheck;
import io.github.vectorcnn.gradcheck.GradientCheckOptions;
import io.github.vectorcnn.gradcheck.GradientCheckResult;
import io.github.vectorcnn.gradcheck.KinkFreeInputs;
import io.github.vectorcnn.gradcheck.TensorCheck;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ConvReluPool against Convolution followed by MaxPooling with its fused relu, and gradient checks. */
class ConvReluPoolTest {
    private final int originalThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(originalThreads);
    }

    /** n, c, h, w, filters, filter size, conv stride, conv pad, pool size, pool stride. */
    record Case(int n, int c, int h, int w, int filters, int f, int stride, int pad, int pool, int poolStride) {
        @Override
        public String toString() {
            return String.format("x[%d,%d,%d,%d] W[%d,%d,%d,%d] S%d P%d pool %d S%d", n, c, h, w, filters, c, f, f,
                    stride, pad, pool, poolStride);
        }
    }

    static final Case[] CASES = {
        new Case(9, 1, 16, 16, 6, 5, 1, 0, 2, 2),  // SimpleConvNet's block, more images than chunks
        new Case(3, 2, 9, 8, 3, 3, 1, 1, 3, 2),    // padded conv, overlapping pool windows
        new Case(2, 3, 11, 10, 2, 3, 2, 0, 2, 1),  // strided conv, stride-1 pool
        new Case(2, 1, 4, 4, 3, 1, 1, 0, 1, 1),    // 1×1 everything: conv, relu, identity pool
    };

    static Stream<Arguments> cases() {
        return AllKernels.all().flatMap(k -> Stream.of(CASES).map(c -> Arguments.of(k.name(), k, c)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void sameBitsAsConvolutionThenPoolWithReluOnAnyThreadCount(String name, Kernels k, Case c) {
        Tensor w = KinkFreeInputs.uniform(1, 1, c.filters, c.c, c.f, c.f);
        Tensor b = KinkFreeInputs.uniform(2, 0.5, c.filters);
        // A conv output is a sum of c·f² products of uniform(−1, 1) values (σ = √(c·f²/9)); a
        // bias σ down makes pool windows whose maximum relu clamps.
        for (int i = 0; i < b.size(); i++) {
            b.data()[i] -= (float) (Math.sqrt(c.c * c.f * c.f / 9.0));
        }
        Tensor x = KinkFreeInputs.uniform(3, 1, c.n, c.c, c.h, c.w);
        Convolution conv = new Convolution(w, b, c.stride, c.pad, k);
        MaxPooling pool = new MaxPooling(c.pool, c.pool, c.poolStride, 0, k).fusedRelu(true);
        Tensor expectedOut = pool.forward(conv.forward(x)).copy();
        Tensor dout = KinkFreeInputs.uniform(4, 1, expectedOut.shape());
        Tensor expectedDx = conv.backward(pool.backward(dout)).copy();
        int clamped = 0;
        for (float v : expectedOut.data()) {
            clamped += v == 0f ? 1 : 0;
        }
        assertTrue(clamped > 0 && clamped < expectedOut.size(), "outputs clamped: " + clamped + " of "
                + expectedOut.size() + ", the relu or the pool would be untested");

        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (boolean inputGradient : new boolean[] {true, false}) {
                String what = threads + " threads, input gradient " + inputGradient + ": ";
                ConvReluPool fused = new ConvReluPool(w, b, c.stride, c.pad, c.pool, c.poolStride, k)
                        .computeInputGradient(inputGradient);
                for (int pass = 0; pass < 2; pass++) { // the second pass reuses every buffer
                    assertArrayEquals(expectedOut.data(), fused.forward(x).data(), what + "out");
                    Tensor dx = fused.backward(dout);
                    if (inputGradient) {
                        assertArrayEquals(expectedDx.data(), dx.data(), what + "dx");
                    } else {
                        assertNull(dx, what + "dx");
                    }
                    assertArrayEquals(conv.grads().get("W").data(), fused.grads().get("W").data(), what + "dW");
                    assertArrayEquals(conv.grads().get("b").data(), fused.grads().get("b").data(), what + "db");
                }
                assertArrayEquals(pool.activePiece(), fused.activePiece(), what + "active pieces");
            }
        }
    }

    /**
     * Perturbing a weight moves every output of its filter, so kinks are not avoidable by the
     * choice of x: h = 1e-3 (with the looser tolerance that h needs for 25-term sums) keeps them
     * rare, and the crossings that remain are reported and skipped.
     */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void gradientCheckOfInputWeightsAndBias(String name, Kernels k, Case c) {
        ConvReluPool layer = new ConvReluPool(KinkFreeInputs.uniform(5, 1, c.filters, c.c, c.f, c.f),
                KinkFreeInputs.uniform(6, 0.5, c.filters), c.stride, c.pad, c.pool, c.poolStride, k);
        Tensor x = KinkFreeInputs.uniform(7, 1, c.n, c.c, c.h, c.w);
        GradientCheckResult r = GradientCheck.checkLayer(c.toString(), layer, x,
                GradientCheckOptions.smooth().withMode(GradientCheckOptions.Mode.FULL));
        assertFalse(r.hasFailures(), r::toString);
        assertEquals(List.of("input", "W", "b"), r.tensors().stream().map(TensorCheck::name).toList());
        int compared = r.tensors().stream().mapToInt(TensorCheck::checked).sum();
        assertTrue(compared > 10 * r.kinks(), r::toString);
        for (TensorCheck t : r.tensors()) {
            assertTrue(t.checked() > 0, r::toString);
        }
    }

    /**
     * A forward that the pool rejects (a 3×3 image's 1×1 convolution output has no 2×2 window)
     * leaves the layer on the last good batch: the convolution used to take the new input before
     * the pool checked it, and the next backward mixed the two batches.
     */
    @Test
    void aForwardThePoolRejectsLeavesTheLastBatchForBackward() {
        Tensor w = KinkFreeInputs.uniform(8, 1, 1, 1, 3, 3), b = Tensor.zeros(1);
        Tensor x = KinkFreeInputs.uniform(9, 1, 2, 1, 8, 8);
        ConvReluPool reference = new ConvReluPool(w, b, 1, 0, 2, 2);
        Tensor dout = KinkFreeInputs.uniform(10, 1, reference.forward(x).shape());
        Tensor expectedDx = reference.backward(dout).copy();
        ConvReluPool layer = new ConvReluPool(w, b, 1, 0, 2, 2);
        layer.forward(x);
        for (int n : new int[] {2, 5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> layer.forward(KinkFreeInputs.uniform(11, 1, n, 1, 3, 3)));
            assertTrue(e.getMessage().contains("out"), e.getMessage());
            Tensor dx = layer.backward(dout);
            assertArrayEquals(expectedDx.shape(), dx.shape(), "batch " + n);
            assertArrayEquals(expectedDx.data(), dx.data(), "batch " + n);
            assertArrayEquals(reference.grads().get("W").data(), layer.grads().get("W").data(), "batch " + n);
        }
    }
}
