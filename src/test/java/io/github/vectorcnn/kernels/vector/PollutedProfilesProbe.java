package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.kernels.WindowGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM half of {@code VectorStoresTest}'s profile check: first the Vector API's common
 * methods on float and int vectors of three sizes (as an application that uses the Vector API
 * itself would), so that the type profiles every caller shares are megamorphic, then every
 * kernel family over a few shapes, compiled with -Xbatch. C2 on JDK 17 binds a call on a vector
 * whose class it does not know from that profile; megamorphic, the call stays virtual and the
 * vector is boxed. Prints, per kernel, the bytes one call allocates after warm-up.
 */
public final class PollutedProfilesProbe {
    private PollutedProfilesProbe() {
    }

    /**
     * Why the kernels are known to box after {@link #pollute()} in this JVM, or null. JDK 17 below
     * 16 lanes: the Vector API's own gather, {@code FloatVector.fromArray(species, a, offset,
     * indexMap, mapOffset)}, builds its index vector inside the API with calls C2 binds from the
     * shared profiles, so GATHER_TRANSPOSED_B's packB and the general pool paths boxed (10.5 MB per
     * SimpleConvNet step with -XX:UseAVX=2, 8 lanes; at 4 lanes with gathers, -XX:MaxVectorSize=16,
     * the strided im2col and the general pool paths too). Not fixed: it is not in code the library
     * can cast (casting the general pools' loop-carried vectors changed nothing). JDK 25 boxed
     * nothing at 8 lanes, nor JDK 17 at 16 lanes or at 4 without gathers (-XX:UseAVX=1). JDKs 18–24
     * were not tried and are skipped to be safe. Evaluated in the test's JVM, which the child
     * matches: the child gets no flag that changes the lanes.
     */
    public static String knownToBox() {
        if (Runtime.version().feature() < 25 && VectorConstants.LANES < 16 && VectorConstants.GATHERS) {
            return "JDK " + Runtime.version().feature() + " at " + VectorConstants.LANES
                    + " lanes: the Vector API's gathers box once an application has made the shared"
                    + " profiles megamorphic (see PollutedProfilesProbe.knownToBox)";
        }
        return null;
    }

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static float sink;

    public static void main(String[] args) {
        pollute();
        VectorKernels k = VectorKernels.create();
        List<String> lines = new ArrayList<>();
        int[][] pools = {{30, 24, 24, 2, 2, 0}, {16, 27, 27, 3, 2, 1}, {16, 28, 28, 3, 2, 0}, {3, 27, 27, 5, 2, 2},
                {1, 28, 28, 5, 1, 0}, {64, 56, 56, 3, 1, 1}};
        for (int[] q : pools) {
            WindowGeometry g = new WindowGeometry(q[0], q[1], q[2], q[3], q[3], q[4], q[5]);
            String s = q[0] + "x" + q[1] + "x" + q[2] + ":" + q[3] + "s" + q[4] + "p" + q[5];
            float[] x = TypeProfileProbe.sawtooth(q[0] * q[1] * q[2], 37, 101);
            float[] dx = new float[x.length];
            float[] col = new float[g.colSize()];
            lines.add(measure("im2col_" + s, () -> k.im2col(g, x, 0, col, 0)));
            lines.add(measure("col2im_" + s, () -> k.col2im(g, col, 0, dx, 0)));
            if (q[5] < q[3]) {
                int outs = q[0] * g.outH() * g.outW();
                float[] out = new float[outs], dout = TypeProfileProbe.sawtooth(outs, 41, 97);
                int[] argmax = new int[outs];
                lines.add(measure("maxPoolForward_" + s, () -> k.maxPoolForward(g, x, 0, out, 0, argmax, 0)));
                lines.add(measure("maxPoolBackwardSet_" + s,
                        () -> k.maxPoolBackwardSet(g, dout, 0, argmax, 0, dx, 0)));
            }
        }
        int[][] shapes = {{30, 576, 25}, {25, 576, 30}, {30, 25, 576}, {100, 100, 4320}, {4320, 100, 100},
                {100, 4320, 100}, {64, 3136, 576}, {7, 33, 17}, {17, 207, 15}, {100, 10, 100}, {300, 300, 300}};
        for (int[] sh : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = sh[0], n = sh[1], kk = sh[2];
                float[] a = TypeProfileProbe.sawtooth(m * kk, 37, 101), b = TypeProfileProbe.sawtooth(kk * n, 41, 97);
                float[] c = new float[m * n];
                float beta = t == 3 ? 1f : 0f;
                // Small products need more calls before C2 has compiled all their paths (-Xbatch:
                // each call waits for the compilations it triggers).
                int warmUp = (int) Math.min(5000, Math.max(50, 2e8 / ((double) m * n * kk)));
                lines.add(measure("sgemm_" + (ta ? "T" : "N") + (tb ? "T" : "N") + "_" + m + "x" + n + "x" + kk, warmUp,
                        () -> k.sgemm(ta, tb, m, n, kk, 1f, a, 0, ta ? m : kk, b, 0, tb ? kk : n, beta, c, 0, n)));
            }
        }
        float[] v = TypeProfileProbe.sawtooth(4321, 37, 101), w = new float[4321];
        float[] d = TypeProfileProbe.sawtooth(4321, 41, 97);
        lines.add(measure("reluForward", () -> k.reluForward(4321, v, 0, w, 0)));
        lines.add(measure("reluBackward", () -> k.reluBackward(4321, v, 0, d, 0, w, 0)));
        float[] bias = TypeProfileProbe.sawtooth(77, 3, 7), y = TypeProfileProbe.sawtooth(77 * 53, 5, 11);
        float[] db = new float[77];
        lines.add(measure("biasAddRows", () -> k.biasAddRows(77, 53, bias, 0, y, 0)));
        lines.add(measure("biasAddCols", () -> k.biasAddCols(53, 77, bias, 0, y, 0)));
        lines.add(measure("biasGradRows", () -> k.biasGradRows(77, 53, y, 0, db, 0)));
        lines.add(measure("biasGradCols", () -> k.biasGradCols(53, 77, y, 0, db, 0)));
        lines.forEach(System.out::println);
    }

    /**
     * Float and int vectors of 128, 256 and 512 bits through the methods the kernels call; also
     * run before SimpleConvNet's training steps by {@code TrainingStepAllocationProbe}.
     */
    public static void pollute() {
        List<VectorSpecies<Float>> floats =
                List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_256, FloatVector.SPECIES_512);
        float[] f = TypeProfileProbe.sawtooth(64, 7, 13);
        int[] n = new int[64];
        for (int i = 0; i < 3000; i++) {
            for (VectorSpecies<Float> s : floats) {
                FloatVector a = FloatVector.fromArray(s, f, i & 15), b = FloatVector.fromArray(s, f, 16);
                IntVector j = IntVector.fromArray(s.withLanes(int.class), n, i & 15);
                FloatVector r = a.add(b).sub(b).mul(b).fma(a, b).max(b).min(a).neg().abs()
                        .blend(b, a.compare(VectorOperators.GT, b).or(a.compare(VectorOperators.NE, a)))
                        .lanewise(VectorOperators.MAX, b)
                        .reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).reinterpretAsFloats();
                IntVector q = j.add(3).add(j).sub(j).and(1).lanewise(VectorOperators.LSHL, 1);
                sink += r.add(q.reinterpretAsFloats()).reduceLanes(VectorOperators.ADD)
                        + r.rearrange(q.and(s.length() - 1).toShuffle().cast(s)).lane(0);
                r.intoArray(f, 32);
                q.intoArray(n, 32);
            }
        }
    }

    private static String measure(String kernel, Runnable call) {
        return measure(kernel, 300, call);
    }

    private static String measure(String kernel, int warmUp, Runnable call) {
        for (int i = 0; i < warmUp; i++) {
            call.run();
        }
        long before = MX.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        return kernel + " allocated " + (MX.getCurrentThreadAllocatedBytes() - before) / 3;
    }
}
