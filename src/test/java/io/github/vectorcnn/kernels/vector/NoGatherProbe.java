package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.kernels.ScalarKernels;
import io.github.vectorcnn.kernels.WindowGeometry;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Child-JVM half of {@code JitCheckTest}, run with -XX:UseAVX=1 (no AVX2, so no gather
 * instruction): prints the kernels' name and {@link VectorConstants#GATHERS}, then, for the
 * kernels that gather where they can (the strided im2col, the unpadded and padded general
 * max-pool), checks their output against the scalar kernels' bits after a warm-up and prints the
 * bytes the last ten calls allocated.
 */
public final class NoGatherProbe {
    private NoGatherProbe() {
    }

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        VectorKernels v;
        try {
            v = VectorKernels.create();
        } catch (UnsupportedOperationException e) {
            System.out.println("unavailable " + e.getMessage()); // a CPU without FMA3, say
            return;
        }
        if (!MX.isThreadAllocatedMemorySupported() || !MX.isThreadAllocatedMemoryEnabled()) {
            System.out.println("unavailable: no per-thread allocation counter");
            return;
        }
        System.out.println("kernels " + v.name());
        System.out.println("gathers " + VectorConstants.GATHERS);
        WindowGeometry im2col = new WindowGeometry(3, 27, 27, 5, 5, 2, 2);
        float[] x = TypeProfileProbe.sawtooth(im2col.channels() * 27 * 27, 37, 101);
        float[] col = new float[im2col.colSize()], expected = new float[im2col.colSize()];
        ScalarKernels.INSTANCE.im2col(im2col, x, 0, expected, 0);
        report("im2col 3x27x27 5x5 s2p2", () -> v.im2col(im2col, x, 0, col, 0), () -> Arrays.equals(col, expected));
        pool(v, new WindowGeometry(16, 28, 28, 3, 3, 2, 0), "pool 16x28x28 3x3 s2p0");
        pool(v, new WindowGeometry(16, 27, 27, 3, 3, 2, 1), "pool 16x27x27 3x3 s2p1");
    }

    private static void pool(VectorKernels v, WindowGeometry g, String label) {
        float[] x = TypeProfileProbe.sawtooth(g.channels() * g.height() * g.width(), 37, 101);
        int outs = g.channels() * g.outH() * g.outW();
        float[] out = new float[outs], expected = new float[outs];
        int[] argmax = new int[outs], expectedArgmax = new int[outs];
        ScalarKernels.INSTANCE.maxPoolForward(g, x, 0, expected, 0, expectedArgmax, 0);
        report(label, () -> v.maxPoolForward(g, x, 0, out, 0, argmax, 0),
                () -> Arrays.equals(out, expected) && Arrays.equals(argmax, expectedArgmax));
    }

    /** Enough calls for C2 to compile the loops (the gathering ones box their lanes once compiled too). */
    private static void report(String label, Runnable call, java.util.function.BooleanSupplier sameBits) {
        for (int i = 0; i < 300; i++) {
            call.run();
        }
        if (!sameBits.getAsBoolean()) {
            throw new AssertionError(label + ": not the scalar kernel's bits");
        }
        long before = MX.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10; i++) {
            call.run();
        }
        System.out.println(label + " allocated " + (MX.getCurrentThreadAllocatedBytes() - before));
    }
}
