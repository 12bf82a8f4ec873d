package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.kernels.WindowGeometry;

import java.lang.management.ManagementFactory;

/**
 * Child-JVM half of {@code VectorStoresTest}: runs the 2×2 pool first, forward and backward, whose
 * 256-bit half vectors
 * put a second vector class into the type profiles that all callers of a Vector API method share,
 * then kernels that must not depend on those profiles: the general pool paths, whose gathers do
 * index arithmetic on a vector of unknown class inside the Vector API, and GEMM micro-kernels whose
 * loops carry accumulators to a store, each with a loop long enough to be compiled on the stack
 * (run with -Xbatch, so compilation happens at the same point every time). Prints one line per
 * kernel: the bytes its last three calls allocated.
 */
public final class TypeProfileProbe {
    private TypeProfileProbe() {
    }

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int lanes = VectorConstants.LANES;
        WindowGeometry pool2 = new WindowGeometry(30, 24, 24, 2, 2, 2, 0);
        float[] x = sawtooth(30 * 24 * 24, 37, 101);
        float[] out = new float[30 * 12 * 12];
        int[] argmax = new int[out.length];
        float[] dx = new float[x.length];
        for (int i = 0; i < 3000; i++) {
            VectorPooling.maxPoolForward(pool2, x, 0, out, 0, argmax, 0);
            VectorPooling.maxPoolBackwardSet(pool2, out, 0, argmax, 0, dx, 0);
        }
        report("maxPoolBackwardSet 2x2", () -> VectorPooling.maxPoolBackwardSet(pool2, out, 0, argmax, 0, dx, 0));

        // The general paths gather their windows: the gather's index arithmetic inside the Vector
        // API calls IntVector.add(int) on a vector whose class C2 on JDK 17 does not know, so its
        // profile must not have seen another class (the 2×2 pool's argmax once subtracted its bias
        // from a half vector through that method: 16 MB boxed per call of these planes).
        WindowGeometry unpadded = new WindowGeometry(20, 130, 130, 3, 3, 1, 0);
        WindowGeometry padded = new WindowGeometry(20, 128, 128, 3, 3, 1, 1);
        float[] big = sawtooth(20 * 130 * 130, 53, 103);
        float[] bigOut = new float[20 * 128 * 128];
        int[] bigArgmax = new int[bigOut.length];
        report("maxPoolForward 3x3", () -> VectorPooling.maxPoolForward(unpadded, big, 0, bigOut, 0, bigArgmax, 0));
        report("maxPoolForward 3x3 pad 1", () -> VectorPooling.maxPoolForward(padded, big, 0, bigOut, 0, bigArgmax, 0));

        int k = 200_000;
        float[] a = new float[k * 2 * lanes + 6 * k], bq = new float[4 * k], tile = new float[8 * lanes];
        float[] b = new float[k * VectorConstants.NR], c = new float[6 * VectorConstants.NR];
        report("edge2vx4", () -> VectorSgemm.edge2vx4(k, a, 0, 2 * lanes, bq, tile));
        report("gemm6x2vSet", () -> VectorSgemm.gemm6x2vSet(k, a, 0, k, b, 0, c, 0, VectorConstants.NR));
    }

    /** Values (i·step mod period) / 50: ties and order changes in every window, no randomness. */
    static float[] sawtooth(int n, int step, int period) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * step % period) / 50f;
        }
        return v;
    }

    private static void report(String kernel, Runnable call) {
        for (int i = 0; i < 3; i++) {
            call.run(); // the first runs compile the loop on the stack, then the whole method
        }
        long before = MX.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        System.out.println(kernel.replace(' ', '_') + " allocated " + (MX.getCurrentThreadAllocatedBytes() - before));
    }
}
