package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.FLOAT_VECTOR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SPECIES;

import jdk.incubator.vector.FloatVector;

import java.lang.invoke.MethodHandles;

/**
 * The dot-product blocks of VectorSgemm.dotBlocksNT (C = α·A·Bᵀ + β·C, K contiguous in both: the
 * filter gradient dout·colᵀ) for 16 vector registers, compiled per (lda, ldb): a template of
 * {@link ShapedKernels}, as {@link ShapedIm2col}. Blocks of 3 A rows; dotBlocksNT runs the one or
 * two rows left over. Each block is {@code VectorSgemm.dot3x3} with the row strides as constants:
 * the three A rows and the three B rows are each one base register plus constant displacements,
 * where the general kernel keeps six row offsets and, short of registers, reloads four of them from
 * the stack every step. A long K runs in the same K panels as dotBlocksNT's, every block's
 * accumulators carried through memory from one panel to the next. The same fma chain per lane and
 * the same fold as dotBlocksNT, so the same bits.
 *
 * <p>The loop keeps dot3x3's stride that C2 cannot fold (see dot3x3): counted, C2 unrolled it,
 * loaded the operands of several steps first and kept the accumulators on the stack (in a probe
 * with constant strides: 0.60× on JDK 17, 0.74× on JDK 25). The 90 blocks of SimpleConvNet's
 * filter gradient per image (Zen 3, alternated with dot3x3 in one JVM, median of 70 passes, two
 * runs): 1.22× on JDK 17, 1.15–1.24× on JDK 25; the whole product (with the 3 × 1 edge blocks
 * below), against the build before, two builds alternated in one JVM: 1.05–1.11× on JDK 17,
 * 1.07–1.20× on JDK 25. Those copies were keyed by K's vector length too, a constant of their
 * loops, and ran only when K's vector part fit one panel. Running the panels as well (K's length a
 * parameter, a block's accumulators loaded from memory, zeros or an earlier panel's) cost the
 * product per image 0.98× on JDK 17 (made zeros instead of loaded ones did not win it back:
 * 0.98–0.99×) and nothing on JDK 25, and gained 1.11× on JDK 17 and 1.18× on JDK 25 on the
 * filter gradient over a batch of 100 (K = 57,600), which had run the general kernel panel by
 * panel, on one thread (1.08–1.10× and 1.17–1.19× on two; two builds alternated in one JVM).
 */
final class ShapedDot3x3 {
    /** This copy's row strides; in the template itself (never called) a placeholder. */
    private static final ShapedKernels.DotShape SHAPE = shape();
    private static final int LDA = SHAPE.lda(), LDB = SHAPE.ldb();

    private static ShapedKernels.DotShape shape() {
        ShapedKernels.DotShape s = ShapedKernels.classData(MethodHandles.lookup(), ShapedKernels.DotShape.class);
        return s != null ? s : new ShapedKernels.DotShape(LANES, LANES);
    }

    /**
     * A block's accumulators when it starts from zero (9 of the 3 × 3 block, 3 of the 3 × 1): the
     * starting values are always loaded, from here or from an earlier panel's, so that no vector
     * is chosen by a condition (as VectorSgemm.dot3x3).
     */
    private static final float[] ZEROS = new float[9 * LANES];

    /** Always LANES; deliberately not final (see VectorSgemm.dot3x3). */
    @SuppressWarnings("FieldMayBeFinal")
    private static int step = LANES;

    private ShapedDot3x3() {
    }

    /**
     * C[m0:m1, n0:n1] = α·A·Bᵀ + β·C, m1 − m0 a positive multiple of 3, n1 > n0, K = k: its vector
     * part in panels of kc floats (a multiple of LANES), then its scalar tail. acc: two blocks'
     * accumulators (2 · 9 · LANES floats) when one panel holds K's vector part, else every block's
     * ({@link #accumulatorFloats}). The last one or two columns (N = 25 in the filter gradient) run as
     * 3 × 1 blocks, where dotBlocksNT computes one 3 × 3 block with the last B row repeated.
     */
    static void dotBlocks(int m0, int m1, int n0, int n1, int k, float alpha, float[] a, int aOff, float[] b,
                          int bOff, float beta, float[] c, int cOff, int ldc, float[] acc, int kc) {
        assert m1 > m0 && (m1 - m0) % 3 == 0 && n1 > n0 && kc > 0 && kc % LANES == 0
                : "rows " + m0 + ".." + m1 + ", columns " + n0 + ".." + n1 + ", panel " + kc;
        int nFull = n0 + (n1 - n0) / 3 * 3, bound = k - k % LANES;
        boolean panels = bound > kc;
        // One pass even when K has no whole vector, for the fold.
        int p0 = 0;
        do {
            int len = Math.min(kc, bound - p0);
            boolean resume = p0 > 0, last = p0 + len == bound;
            // As in dotBlocksNT, a block is folded after the next block's dot products (the fold
            // then reads accumulators stored a block earlier); in one panel two blocks'
            // accumulators alternate.
            int block = 0, heldI = -1, heldJ = 0, heldOff = 0;
            for (int i = m0; i < m1; i += 3) {
                for (int j = n0; j < n1; j += j < nFull ? 3 : 1, block++) {
                    int accOff = (panels ? block : block & 1) * 9 * LANES;
                    if (j < nFull) {
                        dot3x3(len, resume, a, aOff + i * LDA + p0, b, bOff + j * LDB + p0, acc, accOff);
                    } else {
                        dot3x1(len, resume, a, aOff + i * LDA + p0, b, bOff + j * LDB + p0, acc, accOff);
                    }
                    if (last) {
                        if (heldI >= 0) {
                            fold(heldI, heldJ, heldJ < nFull ? 3 : 1, bound, k, alpha, a, aOff, b, bOff, beta, c,
                                    cOff, ldc, acc, heldOff);
                        }
                        heldI = i;
                        heldJ = j;
                        heldOff = accOff;
                    }
                }
            }
            if (heldI >= 0) {
                fold(heldI, heldJ, heldJ < nFull ? 3 : 1, bound, k, alpha, a, aOff, b, bOff, beta, c, cOff, ldc, acc,
                        heldOff);
            }
            p0 += kc;
        } while (p0 < bound);
    }

    /**
     * Floats of acc {@link #dotBlocks} needs for rows (a multiple of 3) and n columns: every
     * block's accumulators (9 · LANES a block, a 3 × 1 block too) when K's vector part spans more
     * than one panel, else two blocks'.
     */
    static int accumulatorFloats(int rows, int n, boolean panels) {
        return (panels ? rows / 3 * (n / 3 + n % 3) : 2) * 9 * LANES;
    }

    /**
     * VectorSgemm.foldBlock for a whole block of 3 rows and cols (3 or 1) columns, accumulator
     * (r, s) at acc[accOff + (cols·r + s)·LANES]: the same sums in the same order.
     */
    private static void fold(int i, int j, int cols, int bound, int k, float alpha, float[] a, int aOff, float[] b,
                             int bOff, float beta, float[] c, int cOff, int ldc, float[] acc, int accOff) {
        for (int r = 0; r < 3; r++) {
            int ar = aOff + (i + r) * LDA, ci = cOff + (i + r) * ldc + j;
            for (int s = 0; s < cols; s++) {
                float sum = VectorSgemm.foldSum(acc, accOff + (cols * r + s) * LANES);
                int br = bOff + (j + s) * LDB;
                for (int p = bound; p < k; p++) {
                    sum = Math.fma(a[ar + p], b[br + p], sum);
                }
                c[ci + s] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci + s];
            }
        }
    }

    /** One B row against three A rows: the column dot3x3 would compute with s = 0. */
    private static void dot3x1(int len, boolean resume, float[] a, int a0, float[] b, int b0, float[] acc,
                               int accOff) {
        float[] from = resume ? acc : ZEROS;
        int fromOff = resume ? accOff : 0;
        FloatVector s0 = FloatVector.fromArray(SPECIES, from, fromOff);
        FloatVector s1 = FloatVector.fromArray(SPECIES, from, fromOff + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, from, fromOff + 2 * LANES);
        for (int p = 0, st = step; p < len; p += st) {
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            s0 = FloatVector.fromArray(SPECIES, a, a0 + p).fma(y, s0);
            s1 = FloatVector.fromArray(SPECIES, a, a0 + LDA + p).fma(y, s1);
            s2 = FloatVector.fromArray(SPECIES, a, a0 + 2 * LDA + p).fma(y, s2);
        }
        ((FloatVector) FLOAT_VECTOR.cast(s0)).intoArray(acc, accOff);
        ((FloatVector) FLOAT_VECTOR.cast(s1)).intoArray(acc, accOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s2)).intoArray(acc, accOff + 2 * LANES);
    }

    /**
     * dot3x3 over [0, len) of rows a0, a0 + LDA, a0 + 2·LDA and b0, b0 + LDB, b0 + 2·LDB: from the
     * block's accumulators at acc[accOff …] when resuming (an earlier panel), else from zero.
     */
    private static void dot3x3(int len, boolean resume, float[] a, int a0, float[] b, int b0, float[] acc,
                               int accOff) {
        float[] from = resume ? acc : ZEROS;
        int fromOff = resume ? accOff : 0;
        FloatVector s00 = FloatVector.fromArray(SPECIES, from, fromOff);
        FloatVector s01 = FloatVector.fromArray(SPECIES, from, fromOff + 1 * LANES);
        FloatVector s02 = FloatVector.fromArray(SPECIES, from, fromOff + 2 * LANES);
        FloatVector s10 = FloatVector.fromArray(SPECIES, from, fromOff + 3 * LANES);
        FloatVector s11 = FloatVector.fromArray(SPECIES, from, fromOff + 4 * LANES);
        FloatVector s12 = FloatVector.fromArray(SPECIES, from, fromOff + 5 * LANES);
        FloatVector s20 = FloatVector.fromArray(SPECIES, from, fromOff + 6 * LANES);
        FloatVector s21 = FloatVector.fromArray(SPECIES, from, fromOff + 7 * LANES);
        FloatVector s22 = FloatVector.fromArray(SPECIES, from, fromOff + 8 * LANES);
        for (int p = 0, st = step; p < len; p += st) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a0 + LDA + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a0 + 2 * LDA + p);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            y = FloatVector.fromArray(SPECIES, b, b0 + LDB + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            y = FloatVector.fromArray(SPECIES, b, b0 + 2 * LDB + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
        }
        ((FloatVector) FLOAT_VECTOR.cast(s00)).intoArray(acc, accOff + 0 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s01)).intoArray(acc, accOff + 1 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s02)).intoArray(acc, accOff + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s10)).intoArray(acc, accOff + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s11)).intoArray(acc, accOff + 4 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s12)).intoArray(acc, accOff + 5 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s20)).intoArray(acc, accOff + 6 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s21)).intoArray(acc, accOff + 7 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s22)).intoArray(acc, accOff + 8 * LANES);
    }
}
