package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.kernels.WindowGeometry;

import java.lang.management.ManagementFactory;

/**
 * Child-JVM half of {@code VectorStoresTest}'s fold check: the max-pool kernels over several
 * geometries first (the 2×2 pool's half vectors put a second vector class into the profiles of
 * Vector API methods that every caller shares, and the pools keep C2's queue long), then A·Bᵀ
 * over several shapes, among them the filter gradient per image, NT 30 × 25 × 576, whose 4 × 5
 * blocks end in {@link VectorSgemm#fold4x5}. Run without -Xbatch: the failure needs fold4x5 compiled by C2 from
 * a short tier-3 profile, as background compilation does after such a workload. Prints the bytes
 * per call of fold4x5 (where the kernels use it) and of the product after warm-up.
 */
public final class FoldAfterPoolsProbe {
    private FoldAfterPoolsProbe() {
    }

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        VectorKernels kernels = VectorKernels.create();
        // channels, height, width, window, stride, padding: the geometries of the sweep that
        // first showed fold4x5 boxing; no single one of them was enough.
        int[][] pools = {{3, 27, 27, 5, 2, 2}, {1, 28, 28, 5, 1, 0}, {4, 13, 17, 3, 1, 1}, {6, 24, 24, 2, 2, 0},
                {16, 27, 27, 3, 2, 1}, {16, 28, 28, 3, 2, 0}, {2, 9, 9, 3, 3, 0}, {5, 11, 11, 2, 1, 0}};
        for (int[] q : pools) {
            WindowGeometry g = new WindowGeometry(q[0], q[1], q[2], q[3], q[3], q[4], q[5]);
            float[] x = TypeProfileProbe.sawtooth(q[0] * q[1] * q[2], 37, 101);
            float[] dx = new float[x.length];
            int outs = q[0] * g.outH() * g.outW();
            float[] out = new float[outs];
            float[] dout = TypeProfileProbe.sawtooth(outs, 41, 97);
            int[] argmax = new int[outs];
            for (int i = 0; i < 420; i++) {
                kernels.maxPoolForward(g, x, 0, out, 0, argmax, 0);
            }
            for (int i = 0; i < 420; i++) {
                kernels.maxPoolBackward(g, dout, 0, argmax, 0, dx, 0);
            }
            for (int i = 0; i < 420; i++) {
                kernels.maxPoolBackwardSet(g, dout, 0, argmax, 0, dx, 0);
            }
        }
        // Then A·Bᵀ over the sweep's shapes (M, N, K), the filter gradient per image among them.
        int[][] shapes = {{30, 576, 25}, {25, 576, 30}, {30, 25, 576}, {100, 100, 4320}, {4320, 100, 100},
                {100, 4320, 100}, {7, 33, 17}, {17, 207, 15}, {64, 64, 64}, {300, 300, 300}, {1, 70, 33},
                {70, 1, 33}, {100, 10, 100}, {100, 100, 10}};
        Runnable product = null;
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = TypeProfileProbe.sawtooth(m * k, 37, 101), b = TypeProfileProbe.sawtooth(n * k, 41, 97);
            float[] c = new float[m * n];
            Runnable call = () -> kernels.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
            for (int i = 0; i < 420; i++) {
                call.run();
            }
            if (m == 30 && n == 25) {
                product = call;
            }
        }
        if (VectorConstants.DOT_FOLD_IN_REGISTERS) { // with 16 registers the blocks are 3 × 3, no fold4x5
            float[] acc = TypeProfileProbe.sawtooth(21 * VectorConstants.LANES, 7, 31);
            for (int i = 0; i < 20_000; i++) {
                VectorSgemm.fold4x5(acc, 0);
            }
            System.out.println("fold4x5 allocated " + perCall(() -> VectorSgemm.fold4x5(acc, 0), 10_000));
        }
        System.out.println("NT_30x25x576 allocated " + perCall(product, 100));
    }

    /**
     * The least bytes per call over five rounds, a short pause before each: a compilation still
     * queued behind the pool kernels' allocates for a while and then stops; boxed vectors do not.
     */
    private static long perCall(Runnable call, int calls) {
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long before = MX.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            least = Math.min(least, (MX.getCurrentThreadAllocatedBytes() - before) / calls);
        }
        return least;
    }
}
