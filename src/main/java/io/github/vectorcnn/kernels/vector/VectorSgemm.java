package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_MAX_MN;
import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_MIN_K;
import static io.github.vectorcnn.kernels.vector.VectorConstants.KC;
import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MC;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MR5;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NC;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NT_MAX_PACKED;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NT_ROWS;
import static io.github.vectorcnn.kernels.vector.VectorConstants.PARALLEL_MIN_WORK;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SPECIES;

import io.github.vectorcnn.kernels.GemmChecks;
import io.github.vectorcnn.kernels.Parallel;
import jdk.incubator.vector.FloatVector;

/**
 * Blocked SGEMM, C = α·op(A)·op(B) + β·C, in the BLIS layering (see {@link VectorConstants} for
 * the block sizes and why):
 * <pre>
 * for jc over N by NC          B panel  [KC × NC]  (L3)   packed in NR-column strips
 *   for pc over K by KC
 *     for ic over M by MC      A block  [MC × KC]  (L2)   packed in MR-row strips, α folded in
 *       for jr over NC by NR   B strip  [KC × NR]  (L1)
 *         for ir over MC by MR gemm6x2v: C[MR × NR] += A strip · B strip  (MR5 = 5 rows when 5 | M, 6 ∤ M)
 * </pre>
 * Edges: packing pads partial strips with zeros, so the micro-kernel always computes a full tile and
 * only the write-back is clipped. Every C element therefore sees exactly the same sequence of
 * operations (fma over p in order inside a KC block, then one add per KC block) wherever its tile
 * falls, which makes the result independent of how M and N are split across threads.
 *
 * <p>Threads split the output only (columns when N ≥ M, rows otherwise), never K: bitwise
 * identical results for any thread count.
 */
final class VectorSgemm {
    private VectorSgemm() {
    }

    /**
     * Per-thread packing buffers, grown to the largest panels seen and then reused: a steady state
     * allocates nothing, and a thread that only multiplies small matrices never holds the full
     * KC × NC panel (4 MiB at 512 bits).
     */
    private static final class Workspace {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        final float[] lanes = new float[LANES];
        final int[] index = new int[NR];

        void reserve(int aSize, int bSize) {
            if (a.length < aSize) {
                a = new float[aSize];
            }
            if (b.length < bSize) {
                b = new float[bSize];
            }
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        GemmChecks.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (alpha == 0f || k == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        int threads = Parallel.threads();
        boolean dot = !transA && transB && (long) m * n <= DOT_MAX_MN && k >= DOT_MIN_K;
        // Decided once from the whole product, never from a thread's share: the two paths sum in
        // different orders, and the choice must not depend on the thread count.
        boolean dotFallback = dot && (LANES < 8 || (long) ((m + NR - 1) / NR) * k * NR > NT_MAX_PACKED);
        if (threads == 1 || work < PARALLEL_MIN_WORK) {
            if (dot) {
                smallNT(dotFallback, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            } else {
                blocked(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
            return;
        }
        // Split the larger output dimension into tile-aligned ranges. The split only decides who
        // computes a tile, not how: any split gives the same bits.
        boolean byColumns = n >= m;
        int tile = byColumns ? NR : MR;
        int units = ((byColumns ? n : m) + tile - 1) / tile;
        int tasks = Math.min(units, threads);
        int extent = byColumns ? n : m;
        Parallel.forEach(tasks, (t, w) -> {
            int from = Math.min(extent, (int) ((long) units * t / tasks) * tile);
            int to = Math.min(extent, (int) ((long) units * (t + 1) / tasks) * tile);
            if (from >= to) {
                return;
            }
            if (dot) {
                if (byColumns) {
                    smallNT(dotFallback, 0, m, from, to, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                } else {
                    smallNT(dotFallback, from, to, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                }
            } else if (byColumns) {
                blocked(transA, transB, 0, m, from, to, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            } else {
                blocked(transA, transB, from, to, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        });
    }

    /**
     * C[m0:m1, n0:n1] = α·A·Bᵀ + β·C for small C and long K (the convolution filter gradient,
     * dout·colᵀ: 30 × 25 from K = 576 per image). Both operands have K contiguous, so an outer
     * product needs one of them transposed. This transposes A (M = 30 rows fill the NR = 32 lanes
     * of two 512-bit vectors) into K-major strips with gathers, one gather per vector per k: a
     * scalar transpose took as long as the product itself (measured: gather path 1.25–1.3× the dot
     * products on JDK 17 and 25, scalar-transpose path 1.0–1.15×). The micro-kernel then computes
     * Cᵀ tiles of 5 B rows × NR (25 = 5 · 5 for the filter gradient) by broadcast + fma, with no
     * horizontal reduction. Every element of C is one fma chain over p in order, so the tiling
     * and any split over threads give the same bits.
     *
     * <p>{@code dotFallback} sends the product to {@link #dotNT} instead: the caller sets it when
     * the whole transposed A would exceed {@link #NT_MAX_PACKED} floats, and below 256-bit
     * vectors, where gathers are not worth it.
     */
    private static void smallNT(boolean dotFallback, int m0, int m1, int n0, int n1, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        int strips = (m1 - m0 + NR - 1) / NR;
        if (dotFallback) {
            dotNT(m0, m1, n0, n1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Workspace ws = WORKSPACE.get();
        ws.reserve(strips * k * NR, 0);
        float[] at = ws.a, tile = ws.tile;
        int[] index = ws.index;
        for (int t = 0; t < strips; t++) {
            int i0 = m0 + t * NR, rows = Math.min(NR, m1 - i0), base = t * k * NR;
            // Lanes past the last row repeat it: every gathered address stays inside A, and those
            // lanes only feed columns of the tile that are never written back.
            for (int r = 0; r < NR; r++) {
                index[r] = Math.min(r, rows - 1) * lda;
            }
            int src = aOff + i0 * lda;
            for (int p = 0; p < k; p++) {
                int d = base + p * NR;
                FloatVector.fromArray(SPECIES, a, src + p, index, 0).intoArray(at, d);
                FloatVector.fromArray(SPECIES, a, src + p, index, LANES).intoArray(at, d + LANES);
            }
            int j = n0;
            for (; j + NT_ROWS <= n1; j += NT_ROWS) {
                gemmT5x2v(k, b, bOff + j * ldb, ldb, at, base, tile);
                writeBackT(tile, NT_ROWS, rows, alpha, beta, c, cOff + i0 * ldc + j, ldc);
            }
            for (; j < n1; j++) {
                gemmT1x2v(k, b, bOff + j * ldb, at, base, tile);
                writeBackT(tile, 1, rows, alpha, beta, c, cOff + i0 * ldc + j, ldc);
            }
        }
    }

    /** Tile row r, lane i is C[i][j + r]: C = α·acc + β·C (C unread when β = 0), as in dotFinish. */
    private static void writeBackT(float[] tile, int cols, int rows, float alpha, float beta,
                                   float[] c, int c0, int ldc) {
        for (int i = 0; i < rows; i++) {
            int ci = c0 + i * ldc;
            for (int r = 0; r < cols; r++) {
                float sum = tile[r * NR + i];
                c[ci + r] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci + r];
            }
        }
    }

    /**
     * Cᵀ tile of 5 rows of B (unpacked, K contiguous) × one NR strip of transposed A: 10
     * accumulators, two vector loads and five broadcasts per k. Five rows because the filter
     * gradient has N = 25: no edge.
     */
    static void gemmT5x2v(int k, float[] b, int b0, int ldb, float[] at, int a0, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb, b4 = b3 + ldb;
        for (int p = 0; p < k; p++) {
            int ap = a0 + p * NR;
            FloatVector x0 = FloatVector.fromArray(SPECIES, at, ap);
            FloatVector x1 = FloatVector.fromArray(SPECIES, at, ap + LANES);
            FloatVector v = FloatVector.broadcast(SPECIES, b[b0 + p]);
            c00 = v.fma(x0, c00);
            c01 = v.fma(x1, c01);
            v = FloatVector.broadcast(SPECIES, b[b1 + p]);
            c10 = v.fma(x0, c10);
            c11 = v.fma(x1, c11);
            v = FloatVector.broadcast(SPECIES, b[b2 + p]);
            c20 = v.fma(x0, c20);
            c21 = v.fma(x1, c21);
            v = FloatVector.broadcast(SPECIES, b[b3 + p]);
            c30 = v.fma(x0, c30);
            c31 = v.fma(x1, c31);
            v = FloatVector.broadcast(SPECIES, b[b4 + p]);
            c40 = v.fma(x0, c40);
            c41 = v.fma(x1, c41);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
    }

    /** The edge rows of {@link #gemmT5x2v}, one B row at a time, with the same per-element chain. */
    static void gemmT1x2v(int k, float[] b, int b0, float[] at, int a0, float[] tile) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = FloatVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            int ap = a0 + p * NR;
            FloatVector v = FloatVector.broadcast(SPECIES, b[b0 + p]);
            c0 = v.fma(FloatVector.fromArray(SPECIES, at, ap), c0);
            c1 = v.fma(FloatVector.fromArray(SPECIES, at, ap + LANES), c1);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, LANES);
    }

    /**
     * C = α·A·Bᵀ + β·C for small C and long K, the fallback of {@link #smallNT} (narrow vectors
     * or a very long K), where both operands have K contiguous and C is small. Packing would transpose
     * both (more work than the product), so this kernel instead runs dot products along K: a 3 × 4
     * block of C as 12 vector accumulators, 3 + 4 contiguous loads per 12 FMAs, one horizontal
     * reduction per C element at the very end (none inside the loop). Edge elements use
     * {@link #dot1x1}, which sums in exactly the same order, so tiling never changes the bits.
     */
    private static void dotNT(int m0, int m1, int n0, int n1, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        float[] lanes = WORKSPACE.get().lanes;
        int i = m0;
        for (; i + 3 <= m1; i += 3) {
            int j = n0;
            for (; j + 4 <= n1; j += 4) {
                dot3x4(k, alpha, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, beta, c, cOff + i * ldc + j, ldc, lanes);
            }
            for (; j < n1; j++) {
                for (int r = 0; r < 3; r++) {
                    dot1x1(k, alpha, a, aOff + (i + r) * lda, b, bOff + j * ldb, beta, c, cOff + (i + r) * ldc + j, lanes);
                }
            }
        }
        for (; i < m1; i++) {
            for (int j = n0; j < n1; j++) {
                dot1x1(k, alpha, a, aOff + i * lda, b, bOff + j * ldb, beta, c, cOff + i * ldc + j, lanes);
            }
        }
    }

    private static void dot3x4(int k, float alpha, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                               float beta, float[] c, int c0, int ldc, float[] lanes) {
        FloatVector s00 = FloatVector.zero(SPECIES), s01 = FloatVector.zero(SPECIES);
        FloatVector s02 = FloatVector.zero(SPECIES), s03 = FloatVector.zero(SPECIES);
        FloatVector s10 = FloatVector.zero(SPECIES), s11 = FloatVector.zero(SPECIES);
        FloatVector s12 = FloatVector.zero(SPECIES), s13 = FloatVector.zero(SPECIES);
        FloatVector s20 = FloatVector.zero(SPECIES), s21 = FloatVector.zero(SPECIES);
        FloatVector s22 = FloatVector.zero(SPECIES), s23 = FloatVector.zero(SPECIES);
        int a1 = a0 + lda, a2 = a1 + lda, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        int bound = SPECIES.loopBound(k);
        for (int p = 0; p < bound; p += LANES) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            y = FloatVector.fromArray(SPECIES, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            y = FloatVector.fromArray(SPECIES, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            y = FloatVector.fromArray(SPECIES, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
        }
        int ld = ldc;
        dotFinish(s00, k, bound, alpha, a, a0, b, b0, beta, c, c0, lanes);
        dotFinish(s01, k, bound, alpha, a, a0, b, b1, beta, c, c0 + 1, lanes);
        dotFinish(s02, k, bound, alpha, a, a0, b, b2, beta, c, c0 + 2, lanes);
        dotFinish(s03, k, bound, alpha, a, a0, b, b3, beta, c, c0 + 3, lanes);
        dotFinish(s10, k, bound, alpha, a, a1, b, b0, beta, c, c0 + ld, lanes);
        dotFinish(s11, k, bound, alpha, a, a1, b, b1, beta, c, c0 + ld + 1, lanes);
        dotFinish(s12, k, bound, alpha, a, a1, b, b2, beta, c, c0 + ld + 2, lanes);
        dotFinish(s13, k, bound, alpha, a, a1, b, b3, beta, c, c0 + ld + 3, lanes);
        dotFinish(s20, k, bound, alpha, a, a2, b, b0, beta, c, c0 + 2 * ld, lanes);
        dotFinish(s21, k, bound, alpha, a, a2, b, b1, beta, c, c0 + 2 * ld + 1, lanes);
        dotFinish(s22, k, bound, alpha, a, a2, b, b2, beta, c, c0 + 2 * ld + 2, lanes);
        dotFinish(s23, k, bound, alpha, a, a2, b, b3, beta, c, c0 + 2 * ld + 3, lanes);
    }

    private static void dot1x1(int k, float alpha, float[] a, int a0, float[] b, int b0,
                               float beta, float[] c, int ci, float[] lanes) {
        FloatVector s = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(k);
        for (int p = 0; p < bound; p += LANES) {
            s = FloatVector.fromArray(SPECIES, a, a0 + p).fma(FloatVector.fromArray(SPECIES, b, b0 + p), s);
        }
        dotFinish(s, k, bound, alpha, a, a0, b, b0, beta, c, ci, lanes);
    }

    /** Reduces the lanes, adds the scalar tail with fma in order, and writes C = α·sum + β·C. */
    private static void dotFinish(FloatVector s, int k, int bound, float alpha, float[] a, int a0,
                                  float[] b, int b0, float beta, float[] c, int ci, float[] lanes) {
        float sum = VectorConstants.sumLanes(s, lanes);
        for (int p = bound; p < k; p++) {
            sum = Math.fma(a[a0 + p], b[b0 + p], sum);
        }
        c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** C = β·C when there is no product to add; β = 0 writes zeros without reading C. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
            }
        }
    }

    /** C[m0:m1, n0:n1] on the calling thread. */
    private static void blocked(boolean transA, boolean transB, int m0, int m1, int n0, int n1, int k,
                                float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        int kcMax = Math.min(KC, k);
        // Strip height: MR, or MR5 when that tiles M exactly and MR does not (M = 25, the column
        // gradient Wᵀ·dout: five 5-row tiles instead of four 6-row tiles and a 6-row tile for one
        // row). Tile shape never changes the bits: each element's sequence of operations is fixed.
        int sr = (m1 - m0) % MR != 0 && (m1 - m0) % MR5 == 0 ? MR5 : MR;
        ws.reserve(roundUp(Math.min(MC, m1 - m0), sr) * kcMax, kcMax * roundUp(Math.min(NC, n1 - n0), NR));
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, ws.b);
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, sr, ws.a);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bpOff = (jr / NR) * kc * NR;
                        if (sr == MR5) {
                            for (int ir = 0; ir < mc; ir += MR5) {
                                int mr = Math.min(MR5, mc - ir);
                                gemm5x2v(kc, ws.a, (ir / MR5) * kc * MR5, ws.b, bpOff,
                                        c, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr, first, beta, ws.tile);
                            }
                            continue;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            gemm6x2v(kc, ws.a, (ir / MR) * kc * MR, ws.b, bpOff,
                                    c, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr, first, beta, ws.tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] times α into sr-row strips (sr = MR or MR5): strip s holds, for
     * each p, the sr values of column p ({@code dst[s·kc·sr + p·sr + r]}), rows past mc padded with
     * zeros.
     */
    private static void packA(boolean transA, float alpha, float[] a, int aOff, int lda,
                              int ic, int mc, int pc, int kc, int sr, float[] dst) {
        for (int s = 0; s * sr < mc; s++) {
            int base = s * kc * sr;
            int rows = Math.min(sr, mc - s * sr);
            if (sr == MR && rows == MR && alpha == 1f) {
                // The common case, unrolled: six reads and six contiguous writes per p. When N is
                // small each packed A value is used by few B strips (4 in the affine layers), so
                // packing speed shows in the total.
                if (!transA) {
                    int s0 = aOff + (ic + s * MR) * lda + pc, s1 = s0 + lda, s2 = s1 + lda;
                    int s3 = s2 + lda, s4 = s3 + lda, s5 = s4 + lda;
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * MR;
                        dst[d] = a[s0 + p];
                        dst[d + 1] = a[s1 + p];
                        dst[d + 2] = a[s2 + p];
                        dst[d + 3] = a[s3 + p];
                        dst[d + 4] = a[s4 + p];
                        dst[d + 5] = a[s5 + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = aOff + (pc + p) * lda + ic + s * MR, d = base + p * MR;
                        dst[d] = a[src];
                        dst[d + 1] = a[src + 1];
                        dst[d + 2] = a[src + 2];
                        dst[d + 3] = a[src + 3];
                        dst[d + 4] = a[src + 4];
                        dst[d + 5] = a[src + 5];
                    }
                }
                continue;
            }
            for (int p = 0; p < kc; p++) {
                int d = base + p * sr;
                for (int r = 0; r < rows; r++) {
                    float v = transA ? a[aOff + (pc + p) * lda + ic + s * sr + r]
                            : a[aOff + (ic + s * sr + r) * lda + pc + p];
                    dst[d + r] = alpha == 1f ? v : alpha * v;
                }
                for (int r = rows; r < sr; r++) {
                    dst[d + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-column strips: strip t holds, for each p, the NR
     * values of row p ({@code dst[t·kc·NR + p·NR + j]}), columns past nc padded with zeros.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc,
                              int jc, int nc, float[] dst) {
        for (int t = 0; t * NR < nc; t++) {
            int base = t * kc * NR;
            int cols = Math.min(NR, nc - t * NR);
            if (!transB) {
                packStripN(b, bOff + pc * ldb + jc + t * NR, ldb, kc, cols, dst, base);
            } else {
                // op(B)[p][j] = b[j·ldb + p]: read each source row contiguously, scatter by NR.
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (jc + t * NR + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = b[src + p];
                    }
                }
                if (cols < NR) {
                    for (int p = 0; p < kc; p++) {
                        for (int j = cols; j < NR; j++) {
                            dst[base + p * NR + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** One NR-wide strip of a row-major B (kc rows of {@code cols} values), zero-padded to NR. */
    private static void packStripN(float[] b, int src, int ldb, int kc, int cols, float[] dst, int base) {
        if (cols == NR) {
            // Two vector copies per row: a System.arraycopy call per 32 floats costs more than the
            // copy itself, and on the skinny convolution products (K = 25) packing B with
            // arraycopy took as long as the multiplication.
            for (int p = 0; p < kc; p++) {
                int sp = src + p * ldb, d = base + p * NR;
                FloatVector.fromArray(SPECIES, b, sp).intoArray(dst, d);
                FloatVector.fromArray(SPECIES, b, sp + LANES).intoArray(dst, d + LANES);
            }
            return;
        }
        for (int p = 0; p < kc; p++) {
            int sp = src + p * ldb, d = base + p * NR;
            for (int j = 0; j < cols; j++) {
                dst[d + j] = b[sp + j];
            }
            for (int j = cols; j < NR; j++) {
                dst[d + j] = 0f;
            }
        }
    }

    /**
     * The micro-kernel: a 6 × 2-vector tile of C (6x32 at 512 bits, 6x16 at 256) as 12 accumulators,
     * updated by one broadcast of A and two vector loads of B per k step (an outer product: no
     * horizontal reduction anywhere). A and B are packed strips (MR and NR values per k step).
     * Indices are affine in p with constant scales (MR, NR) so C2 hoists every bounds check out of
     * the loop; with a variable stride the per-load checks cost two thirds of the speed.
     *
     * <p>Three copies differ only in the write-back, each straight-line: C2 keeps the 12
     * accumulators in registers only when no branchy code follows the loop in the same method
     * (an inline write-back with branches ran at a third of the speed). {@code gemm6x2vSet}
     * writes C = acc (first K block, β = 0: C is not read), {@code gemm6x2vAdd} C = acc + C (later
     * K blocks, or β = 1), {@code gemm6x2vTile} spills to a scratch tile for edges and other β.
     * All three compute the accumulators identically, so which one runs never changes the bits.
     */
    static void gemm6x2vSet(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR, bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + LANES);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + LANES);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + LANES);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + LANES);
    }

    static void gemm6x2vAdd(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR, bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.add(FloatVector.fromArray(SPECIES, c, cOff)).intoArray(c, cOff);
        c01.add(FloatVector.fromArray(SPECIES, c, cOff + LANES)).intoArray(c, cOff + LANES);
        c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc)).intoArray(c, cOff + ldc);
        c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + LANES)).intoArray(c, cOff + ldc + LANES);
        c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
        c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES)).intoArray(c, cOff + 2 * ldc + LANES);
        c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
        c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES)).intoArray(c, cOff + 3 * ldc + LANES);
        c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
        c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + LANES)).intoArray(c, cOff + 4 * ldc + LANES);
        c50.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
        c51.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + LANES)).intoArray(c, cOff + 5 * ldc + LANES);
    }

    static void gemm6x2vTile(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR, bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
    }

    /** One tile: picks the write-back variant (see {@link #gemm6x2vSet}). */
    static void gemm6x2v(int kc, float[] a, int aOff, float[] b, int bOff,
                         float[] c, int cOff, int ldc, int mr, int nr, boolean first, float beta,
                         float[] tile) {
        if (mr == MR && nr == NR) {
            if (first && beta == 0f) {
                gemm6x2vSet(kc, a, aOff, b, bOff, c, cOff, ldc);
                return;
            }
            if (!first || beta == 1f) {
                gemm6x2vAdd(kc, a, aOff, b, bOff, c, cOff, ldc);
                return;
            }
        }
        if (nr <= LANES) {
            gemm6x1vTile(kc, a, aOff, b, bOff, tile);
        } else {
            gemm6x2vTile(kc, a, aOff, b, bOff, tile);
        }
        writeBack(tile, c, cOff, ldc, mr, nr, first, beta);
    }

    static void gemm5x2vSet(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR5, bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + LANES);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + LANES);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + LANES);
    }

    static void gemm5x2vAdd(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR5, bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        c00.add(FloatVector.fromArray(SPECIES, c, cOff)).intoArray(c, cOff);
        c01.add(FloatVector.fromArray(SPECIES, c, cOff + LANES)).intoArray(c, cOff + LANES);
        c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc)).intoArray(c, cOff + ldc);
        c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + LANES)).intoArray(c, cOff + ldc + LANES);
        c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
        c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES)).intoArray(c, cOff + 2 * ldc + LANES);
        c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
        c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES)).intoArray(c, cOff + 3 * ldc + LANES);
        c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
        c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + LANES)).intoArray(c, cOff + 4 * ldc + LANES);
    }

    static void gemm5x2vTile(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR5, bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
    }

    /**
     * {@link #gemm6x2v} with 5-row strips (see {@link VectorConstants#MR5}): 10 accumulators, the
     * same per-element operations, hence the same bits.
     */
    static void gemm5x2v(int kc, float[] a, int aOff, float[] b, int bOff,
                         float[] c, int cOff, int ldc, int mr, int nr, boolean first, float beta,
                         float[] tile) {
        if (mr == MR5 && nr == NR) {
            if (first && beta == 0f) {
                gemm5x2vSet(kc, a, aOff, b, bOff, c, cOff, ldc);
                return;
            }
            if (!first || beta == 1f) {
                gemm5x2vAdd(kc, a, aOff, b, bOff, c, cOff, ldc);
                return;
            }
        }
        gemm5x2vTile(kc, a, aOff, b, bOff, tile);
        writeBack(tile, c, cOff, ldc, mr, nr, first, beta);
    }

    /**
     * The last strip of a matrix whose N leaves at most one vector of columns (N = 100 in the
     * affine layers: 3 full strips and 4 columns): half the FMAs of {@link #gemm6x2vTile}, with the
     * same per-element sequence, so the bits are those of the two-vector kernel.
     */
    static void gemm6x1vTile(int kc, float[] a, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES), c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES), c5 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR, bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            c0 = FloatVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[ap + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[ap + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[ap + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[ap + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[ap + 5]).fma(b0, c5);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, NR);
        c2.intoArray(tile, 2 * NR);
        c3.intoArray(tile, 3 * NR);
        c4.intoArray(tile, 4 * NR);
        c5.intoArray(tile, 5 * NR);
    }

    /** C[0:mr, 0:nr] (+)= tile: C = acc + β·C in the first K block (C unread when β = 0), else acc + C. */
    private static void writeBack(float[] tile, float[] c, int cOff, int ldc, int mr, int nr,
                                  boolean first, float beta) {
        if (nr == NR) {
            for (int r = 0; r < mr; r++) {
                store(FloatVector.fromArray(SPECIES, tile, r * NR),
                        FloatVector.fromArray(SPECIES, tile, r * NR + LANES), c, cOff + r * ldc, first, beta);
            }
            return;
        }
        for (int r = 0; r < mr; r++) {
            int ci = cOff + r * ldc, ti = r * NR;
            for (int j = 0; j < nr; j++) {
                float acc = tile[ti + j];
                if (!first) {
                    c[ci + j] = acc + c[ci + j];
                } else if (beta == 0f) {
                    c[ci + j] = acc;
                } else {
                    c[ci + j] = acc + beta * c[ci + j];
                }
            }
        }
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int ci, boolean first, float beta) {
        if (!first) {
            v0.add(FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
            v1.add(FloatVector.fromArray(SPECIES, c, ci + LANES)).intoArray(c, ci + LANES);
        } else if (beta == 0f) {
            v0.intoArray(c, ci);
            v1.intoArray(c, ci + LANES);
        } else {
            v0.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta)).intoArray(c, ci);
            v1.add(FloatVector.fromArray(SPECIES, c, ci + LANES).mul(beta)).intoArray(c, ci + LANES);
        }
    }
}
