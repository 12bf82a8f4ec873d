package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_A;
import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_B;
import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_COPIES_KEPT;
import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_FOLD_IN_REGISTERS;
import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_MAX_MN;
import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_MIN_K;
import static io.github.vectorcnn.kernels.vector.VectorConstants.DOT_PANEL_FLOATS;
import static io.github.vectorcnn.kernels.vector.VectorConstants.EDGE_COLUMN_WEIGHT;
import static io.github.vectorcnn.kernels.vector.VectorConstants.EDGE_DOT_MIN_K;
import static io.github.vectorcnn.kernels.vector.VectorConstants.EDGE_MAX_COLS;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FLOAT_VECTOR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_ORDER;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_SWAP_1;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_SWAP_2;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_SWAP_3;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_SWAP_4;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_UPPER_1;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_UPPER_2;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_UPPER_3;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOLD_UPPER_4;
import static io.github.vectorcnn.kernels.vector.VectorConstants.GRID_MAX_UNITS_PER_TASK;
import static io.github.vectorcnn.kernels.vector.VectorConstants.KC;
import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MC;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MR4;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MR5;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MR12;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOUR_ROW_MIN_K_IN_PLACE;
import static io.github.vectorcnn.kernels.vector.VectorConstants.FOUR_ROW_TILES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.GATHER_TRANSPOSED_B;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NC;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NC_ONE_BLOCK;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NR3;
import static io.github.vectorcnn.kernels.vector.VectorConstants.NR4;
import static io.github.vectorcnn.kernels.vector.VectorConstants.PACK_A_MIN_N;
import static io.github.vectorcnn.kernels.vector.VectorConstants.PARALLEL_MIN_WORK;
import static io.github.vectorcnn.kernels.vector.VectorConstants.ROW_PANEL_FLOATS;
import static io.github.vectorcnn.kernels.vector.VectorConstants.ROW_PANEL_MAX_ROWS_IN_PLACE;
import static io.github.vectorcnn.kernels.vector.VectorConstants.ROW_PANEL_MAX_STRIPS_IN_PLACE;
import static io.github.vectorcnn.kernels.vector.VectorConstants.ROW_PANEL_MIN_FLOATS;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SPECIES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.TALL_TILES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.TRANSPOSED_B_PANELS;
import static io.github.vectorcnn.kernels.vector.VectorConstants.WIDE_TILES;

import io.github.vectorcnn.kernels.GemmChecks;
import io.github.vectorcnn.kernels.Parallel;
import jdk.incubator.vector.FloatVector;

import java.lang.invoke.MethodHandle;

/**
 * Blocked SGEMM, C = α·op(A)·op(B) + β·C, in the BLIS layering (see {@link VectorConstants} for
 * the block sizes and why):
 * <pre>
 * for jc over N by NC          B panel  [KC × NC]  (L3)   packed in NR-column strips; NC_ONE_BLOCK
 *                                                         columns (L2) where a thread's rows are
 *                                                         one A block
 *   for pc over K by KC
 *     for ic over M by MC      A block  [MC × KC]  (L2)   row-major: read in place when A is not
 *                                                         transposed, α = 1 and N is short
 *                                                         (PACK_A_MIN_N) or the strips are not
 *                                                         4 rows or tall tiles, else packed, α folded in
 *       for jr over nc by NR   B strip  [KC × NR]  (L1)
 *         for ir over MC by MR gemm6x2v: C[MR × NR] += A strip · B strip  (MR5 = 5 rows: see stripRows;
 *                                  MR4 = 4 rows, gemm4x2v, with 16 vector registers: see stripRows;
 *                                  two strips at once, gemm12x2v, where A and B are packed: TALL_TILES)
 * </pre>
 * Edges: packing pads partial B strips with zeros and edge A strips repeat their last row, so the
 * micro-kernel always computes a full tile and only the write-back is clipped; a last strip of at
 * most {@link VectorConstants#EDGE_MAX_COLS} columns is computed apart ({@link #columnEdge}).
 * Operands are read in place where packing does not pay (see {@link #blocked}): a row-major A
 * with α = 1 on few columns (or in strips of 5 or 6 rows that no tall tile reads); with one K
 * block and β = 0 also B and a transposed A, and 6 × 3- or 5 × 4-vector tiles, and a transposed B
 * through a row-major copy of each panel of its columns where M is one A block
 * ({@link VectorConstants#TRANSPOSED_B_PANELS}). Every C element
 * therefore sees exactly the same sequence of operations (fma over p in order inside a KC block,
 * then one add per KC block) wherever its tile falls, which makes the result independent of how M
 * and N are split across threads.
 * A wide product with B in place runs in row panels strip by strip, B's rows copied into each
 * panel where many strips or a long K read it ({@link VectorConstants#ROW_PANEL_FLOATS},
 * {@link VectorConstants#ROW_PANEL_MAX_STRIPS_IN_PLACE},
 * {@link VectorConstants#ROW_PANEL_MAX_ROWS_IN_PLACE}): the same values, so the same bits.
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
    static final class Workspace {
        float[] a = new float[0];
        float[] b = new float[0];
        /** {@link #columnEdge}'s copy of its B columns. */
        float[] edge = new float[0];
        final float[] tile = new float[MR * NR];
        /**
         * The accumulators of {@link #dotBlocksNT} and of ShapedDot3x3's copies: two blocks' (one
         * written to C while the next is computed; in the last K panel fold4x5 leaves its 20 sums
         * there), or every block's when K runs in panels and they are carried from one panel to
         * the next.
         */
        float[] dotAcc = new float[0];
        /**
         * Rows of an in-place B copied into one contiguous panel ({@link #rowPanelCols}), or a
         * transposed B's panel copied row-major ({@link #transposedPanelCols}).
         */
        float[] rows = new float[0];
        final Split split = new Split();

        float[] rows(int size) {
            if (rows.length < size) {
                rows = new float[size];
            }
            return rows;
        }

        void reserve(int aSize, int bSize) {
            if (a.length < aSize) {
                a = new float[aSize];
            }
            if (b.length < bSize) {
                b = new float[bSize];
            }
        }

        float[] dotAcc(int size) {
            if (dotAcc.length < size) {
                dotAcc = new float[size];
            }
            return dotAcc;
        }

        /**
         * j · ldb for j < NR: the gather offsets down a transposed B's rows (packB, transposeB),
         * for the last ldb. Only gathered over rows B has, so a saturated entry is never used.
         */
        private final int[] strideMap = new int[NR];
        private int strideMapLdb = -1;

        int[] strideMap(int ldb) {
            if (strideMapLdb != ldb) {
                for (int j = 0; j < NR; j++) {
                    strideMap[j] = (int) Math.min(Integer.MAX_VALUE, (long) j * ldb);
                }
                strideMapLdb = ldb;
            }
            return strideMap;
        }

        float[] edge(int size) {
            if (edge.length < size) {
                edge = new float[size];
            }
            return edge;
        }

        /**
         * The ShapedDot3x3 copies (null: none) of up to {@link VectorConstants#DOT_COPIES_KEPT}
         * stride pairs, the first one added replaced first, under keys lda · 2³² + ldb (0: empty;
         * lda ≥ 1). A training step asks for two, the filter gradient's per image and the affine
         * forward's edge columns: kept for one pair, the two evicted each other and every switch
         * allocated ShapedKernels' lookup key, 48 bytes per step on one thread and 96 on two (JDK
         * 17 and 25; all threads' allocated bytes over 500 steps, after 3,000).
         */
        private final MethodHandle[] dotCopies = new MethodHandle[DOT_COPIES_KEPT];
        private final long[] dotKeys = new long[DOT_COPIES_KEPT];
        private int dotNext;

        /** ShapedKernels.dot3x3(lda, ldb), remembered for the next products of those strides. */
        MethodHandle dotCopy(int lda, int ldb) {
            long key = (long) lda << 32 | Integer.toUnsignedLong(ldb);
            for (int i = 0; i < DOT_COPIES_KEPT; i++) {
                if (dotKeys[i] == key) {
                    return dotCopies[i];
                }
            }
            MethodHandle copy = ShapedKernels.dot3x3(lda, ldb);
            dotKeys[dotNext] = key;
            dotCopies[dotNext] = copy;
            dotNext = (dotNext + 1) % DOT_COPIES_KEPT;
            return copy;
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
        // Decided once from the whole product, never from a thread's share: the two paths sum in
        // different orders, and the choice must not depend on the thread count.
        boolean dot = !transA && transB && (long) m * n <= DOT_MAX_MN && k >= DOT_MIN_K;
        int nEdge = n - (dot ? 0 : edgeColumns(transA, n, k));
        boolean bInPlace = readsBInPlace(transB, m, k, beta);
        int sr = stripRows(transA, alpha, m, n, bInPlace, k);
        // Row panels: from the whole product too (the cache the threads' shares stream through is
        // the same), and in blocked only for a share wider than a panel, B's rows copied or not
        // from the share's rows; any choice gives the same bits. A transposed B in place is copied
        // in panels of its own (blocked's copyBT).
        boolean rowPanels = bInPlace && !transB && (long) (k + m) * n >= ROW_PANEL_MIN_FLOATS;
        if (threads == 1 || work < PARALLEL_MIN_WORK) {
            if (dot) {
                dotBlocksNT(0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            } else {
                region(transA, transB, sr, bInPlace, rowPanels, 0, m, 0, n, nEdge, k, alpha, a, aOff, lda, b, bOff, ldb,
                        beta, c, cOff, ldc);
            }
            return;
        }
        // Split the larger output dimension into tile-aligned ranges. The split only decides who
        // computes a tile, not how: any split gives the same bits.
        boolean byColumns = n >= m && (dot || !splitRowsForFewStrips(m, n, sr, threads));
        // The dot products split rows in whole blocks: a share of the filter gradient's 30 rows
        // that is not a multiple of 3 leaves a row or two that take a second pass over K, and over
        // all of B, after ShapedDot3x3's blocks.
        int tile = byColumns ? NR : dot ? DOT_A : sr;
        int units = ((byColumns ? n : m) + tile - 1) / tile;
        Split split = WORKSPACE.get().split;
        split.set(transA, transB, dot, byColumns, m, n, nEdge, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
                ldc, sr, bInPlace, rowPanels, tile, units, Math.min(units, threads));
        try {
            Parallel.forEach(split.tasks, split);
        } finally {
            split.release();
        }
    }

    /**
     * Whether a product wider than tall, whose column strips are too few to share out whole
     * (GRID_MAX_UNITS_PER_TASK), is split by its rows rather than by the grid of
     * {@link Split#runGrid}: when its rows make enough strips. The affine forward (M = N = 100,
     * K = 4320: 7 strips of 16 columns, 25 of 4 rows) is the case. Each thread then reads only its
     * rows of A and packs all of B; with the grid, each read all of A. Inside a two-thread training
     * step, where the layer before has just written A from both cores, the affine forward took
     * 1.19× less time this way on JDK 17 and 1.17× on JDK 25 (Zen 3; 20 blocks of 50 steps per
     * split, alternated in one JVM; the whole step 1.03× and 1.02×). The product alone, repeated
     * on the same operands, ran the same either way (0.995×). Not measured with AVX-512, where
     * the affine forward (4 column strips of 32, 20 of 5 rows) now takes this split as well.
     */
    private static boolean splitRowsForFewStrips(int m, int n, int sr, int threads) {
        int columnStrips = (n + NR - 1) / NR, rowStrips = (m + sr - 1) / sr;
        return tooFewPerTask(columnStrips, Math.min(columnStrips, threads)) && !tooFewPerTask(rowStrips, threads);
    }

    /** Fewer than GRID_MAX_UNITS_PER_TASK strips for each of the tasks. */
    private static boolean tooFewPerTask(int strips, int tasks) {
        return strips < GRID_MAX_UNITS_PER_TASK * tasks;
    }

    /**
     * One product's split over the pool, reused by its calling thread: a capturing lambda here
     * allocated about 100 bytes per parallel call. The pool's hand-off publishes the fields to the
     * helpers, and {@link Parallel#forEach} returns only when they are done with them.
     */
    private static final class Split implements Parallel.Task {
        private boolean transA, transB, dot, byColumns, bInPlace, rowPanels;
        private int m, n, nEdge, k, aOff, lda, bOff, ldb, cOff, ldc, sr, tile, units, tasks;
        private float alpha, beta;
        private float[] a, b, c;

        void set(boolean transA, boolean transB, boolean dot, boolean byColumns, int m, int n, int nEdge, int k,
                 float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float beta, float[] c, int cOff, int ldc, int sr, boolean bInPlace, boolean rowPanels,
                 int tile, int units, int tasks) {
            this.transA = transA;
            this.transB = transB;
            this.dot = dot;
            this.byColumns = byColumns;
            this.m = m;
            this.n = n;
            this.nEdge = nEdge;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.sr = sr;
            this.bInPlace = bInPlace;
            this.rowPanels = rowPanels;
            this.tile = tile;
            this.units = units;
            this.tasks = tasks;
        }

        /** Drops the operands, so a thread's workspace does not keep the last product's arrays alive. */
        void release() {
            a = null;
            b = null;
            c = null;
        }

        @Override
        public void run(int t, int worker) {
            if (!dot && byColumns && tooFewPerTask(units, tasks)) {
                runGrid(t);
                return;
            }
            int extent = byColumns ? n : m;
            int from = Math.min(extent, (int) ((long) units * t / tasks) * tile);
            int to = Math.min(extent, (int) ((long) units * (t + 1) / tasks) * tile);
            if (from >= to) {
                return;
            }
            if (dot) {
                if (byColumns) {
                    dotBlocksNT(0, m, from, to, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                } else {
                    dotBlocksNT(from, to, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                }
            } else if (byColumns) {
                region(transA, transB, sr, bInPlace, rowPanels, 0, m, from, to, nEdge, k, alpha, a, aOff, lda, b,
                        bOff, ldb, beta, c, cOff, ldc);
            } else {
                region(transA, transB, sr, bInPlace, rowPanels, from, to, 0, n, nEdge, k, alpha, a, aOff, lda, b,
                        bOff, ldb, beta, c, cOff, ldc);
            }
        }

        /**
         * Few column strips, and too few rows to split by rows instead
         * ({@link #splitRowsForFewStrips}): whole strips per thread would be uneven (100 columns
         * as three 32-column strips and an edge of 4 gave one of two threads 64 columns and the
         * other 36), so the strips are cut across their rows too. The strips' rows are
         * laid end to end, strip after strip, and each task takes an equal share of the work
         * ({@link #stripWeight} per row), its ends rounded to whole strips of sr rows
         * ({@link #stripRows}). Any row range gives the same bits.
         */
        private void runGrid(int t) {
            int from = gridPosition(t), to = gridPosition(t + 1);
            int s = from / m, r = from % m, lastStrip = to / m, lastRow = to % m;
            while (s < lastStrip) {
                // A strip's remaining rows, or whole strips up to the last one as one region (their
                // B panels packed together).
                int s1 = r > 0 ? s + 1 : lastStrip;
                region(transA, transB, sr, bInPlace, rowPanels, r, m, s * tile, Math.min(n, s1 * tile), nEdge, k,
                        alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                s = s1;
                r = 0;
            }
            if (r < lastRow) {
                region(transA, transB, sr, bInPlace, rowPanels, r, lastRow, s * tile, Math.min(n, (s + 1) * tile),
                        nEdge, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        }

        /**
         * Where task t's share starts, as strip · m + row: the row (a multiple of sr) of the strip at
         * which the work reaches t/tasks of the product; {@code units · m} for the end.
         */
        private int gridPosition(int t) {
            if (t >= tasks) {
                return units * m;
            }
            long total = 0;
            for (int s = 0; s < units; s++) {
                total += stripWeight(s);
            }
            long share = total * m * t / tasks;
            for (int s = 0; ; s++) {
                long strip = (long) stripWeight(s) * m;
                if (share < strip || s == units - 1) {
                    long rows = share / stripWeight(s);
                    return s * m + (int) Math.min(m, (rows + sr / 2) / sr * sr);
                }
                share -= strip;
            }
        }

        /**
         * A strip's work per row, in columns: its width, or EDGE_COLUMN_WEIGHT times that for the
         * last few columns ({@link #columnEdge}), which cost more per column than a full strip.
         */
        private int stripWeight(int s) {
            int j0 = s * tile, width = Math.min(tile, n - j0);
            return j0 >= nEdge ? EDGE_COLUMN_WEIGHT * width : width;
        }
    }

    // ---- A·Bᵀ as register-blocked dot products -----------------------------------------------

    /**
     * C[m0:m1, n0:n1] = α·A·Bᵀ + β·C, K contiguous in both operands (the filter gradient
     * dout·colᵀ: C = 30 × 25, K = 576). Blocks of {@link VectorConstants#DOT_A} A rows ×
     * {@link VectorConstants#DOT_B} B rows as vector accumulators along K (no transposition of
     * either operand), spilled once per block. After the last K panel the 4 × 5 blocks' 20
     * accumulators are loaded back and folded in registers ({@link #fold4x5}: a transposing fold,
     * the 20 sums stored in order); the 3 × 3 blocks' are summed one by one by {@link #foldSum}.
     * Both add the lanes in foldSum's tree. Edge blocks repeat the
     * last row and drop its results, so every element runs the same code: one fma chain per lane
     * over p, the same lane tree, then the scalar tail in order. The bits never depend on the
     * tiling, the thread split or the K panels (a long K runs in panels of
     * {@link VectorConstants#DOT_PANEL_FLOATS}, each block's accumulators carried in memory).
     *
     * <p>Replaces a transposed-A outer product (gathers, then 5 × 2-vector tiles; 11.2 µs on the
     * filter gradient on JDK 17, 10.4 on JDK 25) and 3 × 4 dot products with a horizontal sum per
     * element: 9.1 and 6.2 µs. A transposing fold in registers was tried early on and cost 4 µs of
     * the 11 on JDK 17; the 4 × 5 blocks took it up again when the spilled fold and the writes to C
     * measured a third of the product on an Intel Xeon (model 0xCF, 16 lanes): skipping them took
     * 32 × 25 × 576 from 12.2 to 8.5 µs and 32 × 25 × 64 from 4.9 to 1.5 µs (wrong results, a
     * probe only). fold4x5 and writeBlock4x5 against the spilled fold, builds alternated in one
     * JVM, one thread, median of 15 rounds, two runs per JDK: 30 × 25 × 576 1.10–1.15× on JDK 17,
     * 1.13–1.14× on JDK 25; 32 × 25 × 64 1.37–1.44× and 1.61–1.63×; over a batch (K = 57,600,
     * panels) 0.98–1.03× and 0.99–1.00×; the affine forward's edge columns (100 × 100 × 4320)
     * 1.00–1.06× in four runs on JDK 17 (a fifth 0.88×, in a JVM where both builds ran 1.6× faster
     * than in the others) and 1.00–1.01×. 5 × 5 blocks (25 accumulators)
     * spilled, 12 µs.
     */
    private static void dotBlocksNT(int m0, int m1, int n0, int n1, int k, float alpha,
                                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                    float beta, float[] c, int cOff, int ldc) {
        assert k >= LANES : "K " + k + " has no whole vector: the panels would fold nothing";
        Workspace ws = WORKSPACE.get();
        int bound = SPECIES.loopBound(k);
        // K panels (see DOT_PANEL_FLOATS): a multiple of LANES, so lane l still sums the products
        // p ≡ l (mod LANES) in increasing p in one fma chain, and the bits do not depend on kc.
        // At least 32 vectors per panel, so reloading a block's 20 (or 9) accumulators stays small
        // beside its 640 (288) fma when M + N is large.
        int kc = Math.max(32 * LANES, DOT_PANEL_FLOATS / (m1 - m0 + n1 - n0) / LANES * LANES);
        int blockSize = DOT_A * DOT_B * LANES;
        boolean panels = bound > kc;
        int mFull = m0 + (m1 - m0) / 3 * 3;
        if (DOT_A == 3 && DOT_B == 3 && mFull > m0) {
            // Whole row blocks by the copy compiled for these strides (ShapedDot3x3), in the same
            // K panels; the one or two rows left over here.
            MethodHandle copy = ws.dotCopy(lda, ldb);
            if (copy != null) {
                ShapedKernels.dot3x3Blocks(copy, m0, mFull, n0, n1, k, alpha, a, aOff, b, bOff, beta, c, cOff, ldc,
                        ws.dotAcc(ShapedDot3x3.accumulatorFloats(mFull - m0, n1 - n0, panels)), kc);
                if (mFull < m1) {
                    dotBlocksNT(mFull, m1, n0, n1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                }
                return;
            }
        }
        // A block is written to C after the next block's dot products, not straight after its
        // own, so foldBlock reads what was stored a whole block earlier instead of just before.
        // It was chosen for the spilled fold, some of whose loads straddled two just-stored
        // accumulators, which the store buffer cannot forward (the filter gradient per image,
        // median of 7 JVMs: 8.7 → 7.8 µs on JDK 17, 8.9 → 8.3 on JDK 25). fold4x5 loads whole
        // vectors, which the store buffer can forward; it keeps the delay too, not measured
        // without it. Without panels, two blocks' accumulators alternate in the workspace.
        float[] acc = ws.dotAcc((panels ? ceilDiv(m1 - m0, DOT_A) * ceilDiv(n1 - n0, DOT_B) : 2) * blockSize);
        for (int p0 = 0; p0 < bound; p0 += kc) {
            int p1 = Math.min(bound, p0 + kc);
            boolean resume = p0 > 0, last = p1 == bound;
            int block = 0, heldI = -1, heldJ = 0, heldOff = 0;
            for (int i = m0; i < m1; i += DOT_A) {
                int a0 = aOff + i * lda;
                int a1 = aOff + Math.min(i + 1, m1 - 1) * lda;
                // a3, b3 and b4 are unused (but in range) in the 3 × 3 blocks.
                int a2 = aOff + Math.min(i + 2, m1 - 1) * lda;
                int a3 = aOff + Math.min(i + 3, m1 - 1) * lda;
                for (int j = n0; j < n1; j += DOT_B, block++) {
                    int b0 = bOff + j * ldb;
                    int b1 = bOff + Math.min(j + 1, n1 - 1) * ldb;
                    int b2 = bOff + Math.min(j + 2, n1 - 1) * ldb;
                    int b3 = bOff + Math.min(j + 3, n1 - 1) * ldb;
                    int b4 = bOff + Math.min(j + 4, n1 - 1) * ldb;
                    int accOff = (panels ? block : block & 1) * blockSize;
                    if (DOT_A == 4) {
                        dot4x5(p1 - p0, resume, a, a0 + p0, a1 + p0, a2 + p0, a3 + p0,
                                b, b0 + p0, b1 + p0, b2 + p0, b3 + p0, b4 + p0, acc, accOff);
                    } else {
                        dot3x3(p1 - p0, resume, a, a0 + p0, a1 + p0, a2 + p0, b, b0 + p0, b1 + p0, b2 + p0,
                                acc, accOff);
                    }
                    if (last) {
                        if (heldI >= 0) {
                            foldBlock(heldI, heldJ, m1, n1, bound, k, alpha, a, aOff, lda, b, bOff, ldb,
                                    beta, c, cOff, ldc, acc, heldOff);
                        }
                        heldI = i;
                        heldJ = j;
                        heldOff = accOff;
                    }
                }
            }
            if (heldI >= 0) {
                foldBlock(heldI, heldJ, m1, n1, bound, k, alpha, a, aOff, lda, b, bOff, ldb,
                        beta, c, cOff, ldc, acc, heldOff);
            }
        }
    }

    /**
     * C for the block at rows i, columns j (clipped to m1, n1) from its spilled accumulators at
     * acc[accOff …]: the lane tree (fold4x5, or foldSum per element), then the scalar tail of K.
     */
    private static void foldBlock(int i, int j, int m1, int n1, int bound, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc, float[] acc, int accOff) {
        int rows = Math.min(DOT_A, m1 - i), cols = Math.min(DOT_B, n1 - j);
        if (DOT_FOLD_IN_REGISTERS) {
            fold4x5(acc, accOff);
        }
        if (DOT_FOLD_IN_REGISTERS && rows == DOT_A && cols == DOT_B && bound == k) {
            writeBlock4x5(alpha, beta, acc, accOff, c, cOff + i * ldc + j, ldc);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int ar = aOff + (i + r) * lda, ci = cOff + (i + r) * ldc + j;
            for (int s = 0; s < cols; s++) {
                int q = r * DOT_B + s;
                float sum = DOT_FOLD_IN_REGISTERS ? acc[accOff + q] : foldSum(acc, accOff + q * LANES);
                int br = bOff + (j + s) * ldb;
                for (int p = bound; p < k; p++) {
                    sum = Math.fma(a[ar + p], b[br + p], sum);
                }
                c[ci + s] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci + s];
            }
        }
    }

    /**
     * C for a whole 4 × 5 block from the sums fold4x5 left in order, K without a scalar tail: the
     * 20 elements written out, so that each costs a load, the α·sum (+ β·c) and a store. Through
     * foldBlock's loops, the filter gradient per image spent about 3 ns an element there.
     */
    private static void writeBlock4x5(float alpha, float beta, float[] acc, int accOff, float[] c, int cij, int ldc) {
        for (int r = 0; r < 4; r++, cij += ldc, accOff += 5) {
            if (beta == 0f) {
                c[cij] = alpha * acc[accOff];
                c[cij + 1] = alpha * acc[accOff + 1];
                c[cij + 2] = alpha * acc[accOff + 2];
                c[cij + 3] = alpha * acc[accOff + 3];
                c[cij + 4] = alpha * acc[accOff + 4];
            } else {
                c[cij] = alpha * acc[accOff] + beta * c[cij];
                c[cij + 1] = alpha * acc[accOff + 1] + beta * c[cij + 1];
                c[cij + 2] = alpha * acc[accOff + 2] + beta * c[cij + 2];
                c[cij + 3] = alpha * acc[accOff + 3] + beta * c[cij + 3];
                c[cij + 4] = alpha * acc[accOff + 4] + beta * c[cij + 4];
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * Σ of the LANES floats at x[o..]: halves folded onto each other (x[l] + x[l + LANES/2], …).
     * Not {@code reduceLanes(ADD)}, whose order is unspecified (it differed between interpreted and
     * C2 code on JDK 25). Written out for 16 lanes; the loop gives the same tree for other widths.
     */
    static float foldSum(float[] x, int o) {
        if (LANES == 16) {
            float t0 = x[o] + x[o + 8], t1 = x[o + 1] + x[o + 9];
            float t2 = x[o + 2] + x[o + 10], t3 = x[o + 3] + x[o + 11];
            float t4 = x[o + 4] + x[o + 12], t5 = x[o + 5] + x[o + 13];
            float t6 = x[o + 6] + x[o + 14], t7 = x[o + 7] + x[o + 15];
            float u0 = t0 + t4, u1 = t1 + t5, u2 = t2 + t6, u3 = t3 + t7;
            return (u0 + u2) + (u1 + u3);
        }
        if (LANES == 8) {
            // Written out for the same reason: the loop below adds in place through memory, each
            // level's loads waiting on the stores before them (the filter gradient per image on
            // AVX2, Zen 3, best of 4 × 0.5 s: 35.5 → 29.4 µs).
            float t0 = x[o] + x[o + 4], t1 = x[o + 1] + x[o + 5];
            float t2 = x[o + 2] + x[o + 6], t3 = x[o + 3] + x[o + 7];
            return (t0 + t2) + (t1 + t3);
        }
        for (int h = LANES / 2; h >= 1; h /= 2) {
            for (int l = 0; l < h; l++) {
                x[o + l] += x[o + l + h];
            }
        }
        return x[o];
    }

    /**
     * 20 dot products over [0, len) (a multiple of LANES) from the given row starts: 4 A rows × 5 B
     * rows, 9 loads per 20 fma, 29 of the 32 vector registers. Accumulator (r, s) is spilled
     * to acc[accOff + (5·r + s)·LANES], and starts from there when {@code resume} (the next K
     * panel), else from zero.
     */
    static void dot4x5(int len, boolean resume, float[] a, int a0, int a1, int a2, int a3,
                       float[] b, int b0, int b1, int b2, int b3, int b4, float[] acc, int accOff) {
        // Starting values are always loaded (from a block of zeros when not resuming), so no vector
        // is chosen by a condition.
        float[] from = resume ? acc : DOT_ZEROS;
        int fromOff = resume ? accOff : 0;
        FloatVector s00 = FloatVector.fromArray(SPECIES, from, fromOff);
        FloatVector s01 = FloatVector.fromArray(SPECIES, from, fromOff + 1 * LANES);
        FloatVector s02 = FloatVector.fromArray(SPECIES, from, fromOff + 2 * LANES);
        FloatVector s03 = FloatVector.fromArray(SPECIES, from, fromOff + 3 * LANES);
        FloatVector s04 = FloatVector.fromArray(SPECIES, from, fromOff + 4 * LANES);
        FloatVector s10 = FloatVector.fromArray(SPECIES, from, fromOff + 5 * LANES);
        FloatVector s11 = FloatVector.fromArray(SPECIES, from, fromOff + 6 * LANES);
        FloatVector s12 = FloatVector.fromArray(SPECIES, from, fromOff + 7 * LANES);
        FloatVector s13 = FloatVector.fromArray(SPECIES, from, fromOff + 8 * LANES);
        FloatVector s14 = FloatVector.fromArray(SPECIES, from, fromOff + 9 * LANES);
        FloatVector s20 = FloatVector.fromArray(SPECIES, from, fromOff + 10 * LANES);
        FloatVector s21 = FloatVector.fromArray(SPECIES, from, fromOff + 11 * LANES);
        FloatVector s22 = FloatVector.fromArray(SPECIES, from, fromOff + 12 * LANES);
        FloatVector s23 = FloatVector.fromArray(SPECIES, from, fromOff + 13 * LANES);
        FloatVector s24 = FloatVector.fromArray(SPECIES, from, fromOff + 14 * LANES);
        FloatVector s30 = FloatVector.fromArray(SPECIES, from, fromOff + 15 * LANES);
        FloatVector s31 = FloatVector.fromArray(SPECIES, from, fromOff + 16 * LANES);
        FloatVector s32 = FloatVector.fromArray(SPECIES, from, fromOff + 17 * LANES);
        FloatVector s33 = FloatVector.fromArray(SPECIES, from, fromOff + 18 * LANES);
        FloatVector s34 = FloatVector.fromArray(SPECIES, from, fromOff + 19 * LANES);
        // The loop starts at 0, the panel's offset being in the row starts: started at a variable
        // p0, C2 on JDK 25 compiled it slower (10.3–10.7 µs against 8.4–8.6 for the filter
        // gradient per image).
        for (int p = 0; p < len; p += LANES) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(SPECIES, a, a3 + p);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            s20 = x2.fma(y, s20);
            s30 = x3.fma(y, s30);
            y = FloatVector.fromArray(SPECIES, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            s21 = x2.fma(y, s21);
            s31 = x3.fma(y, s31);
            y = FloatVector.fromArray(SPECIES, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            s22 = x2.fma(y, s22);
            s32 = x3.fma(y, s32);
            y = FloatVector.fromArray(SPECIES, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
            s23 = x2.fma(y, s23);
            s33 = x3.fma(y, s33);
            y = FloatVector.fromArray(SPECIES, b, b4 + p);
            s04 = x0.fma(y, s04);
            s14 = x1.fma(y, s14);
            s24 = x2.fma(y, s24);
            s34 = x3.fma(y, s34);
        }
        ((FloatVector) FLOAT_VECTOR.cast(s00)).intoArray(acc, accOff + 0 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s01)).intoArray(acc, accOff + 1 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s02)).intoArray(acc, accOff + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s03)).intoArray(acc, accOff + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s04)).intoArray(acc, accOff + 4 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s10)).intoArray(acc, accOff + 5 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s11)).intoArray(acc, accOff + 6 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s12)).intoArray(acc, accOff + 7 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s13)).intoArray(acc, accOff + 8 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s14)).intoArray(acc, accOff + 9 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s20)).intoArray(acc, accOff + 10 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s21)).intoArray(acc, accOff + 11 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s22)).intoArray(acc, accOff + 12 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s23)).intoArray(acc, accOff + 13 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s24)).intoArray(acc, accOff + 14 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s30)).intoArray(acc, accOff + 15 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s31)).intoArray(acc, accOff + 16 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s32)).intoArray(acc, accOff + 17 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s33)).intoArray(acc, accOff + 18 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(s34)).intoArray(acc, accOff + 19 * LANES);
    }

    /**
     * The 20 accumulators dot4x5 spilled at acc[accOff …] summed lane by lane in foldSum's tree, by
     * a transposing fold in registers (see VectorConstants.FOLD_UPPER_1), then FOLD_ORDER: the sum
     * of accumulator q = 5·r + s goes to acc[accOff + q] (20 floats rounded up to whole vectors are
     * written). A vector without a partner (w4, q2) is added to its own swap: its other lanes then
     * hold duplicate sums, stored past acc[accOff + 19] and never read.
     *
     * <p>A method of its own that loads the accumulators back, not the end of dot4x5: written
     * there, the fold's blends and lane swaps took the loop's accumulators, and in a training step
     * (JDK 17) C2 boxed them on every step of the loop (150 MB per step, 3.4× slower), where the
     * products alone, timed apart, allocated nothing.
     *
     * <p>Every named vector here is cast to its class as it is made, as the stores are (see
     * VectorConstants.FLOAT_VECTOR). C2 inlines the load intrinsics late, so at parse time a loaded
     * vector is just a FloatVector, and each blend, rearrange and add on it is a virtual call that
     * C2 binds from fold4x5's type profile or by devirtualizing it later. On JDK 17, after the
     * max-pool kernels over several geometries (their half vectors make FloatVector's methods
     * two-class) and then many products, fold4x5 was compiled from a thin profile with 77 such
     * calls left virtual and boxed 20 vectors per call: 1,600 bytes, 64 KB per filter gradient
     * (NT 30 × 25 × 576). Casting the loads alone left 8 (640 bytes); casting every named vector,
     * none. FoldAfterPoolsProbe reproduces it (VectorStoresTest).
     */
    static void fold4x5(float[] acc, int accOff) {
        assert DOT_FOLD_IN_REGISTERS : "the fold is written out for 4, 8 and 16 lanes, not " + LANES;
        FloatVector s00 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 0 * LANES));
        FloatVector s01 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 1 * LANES));
        FloatVector s02 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 2 * LANES));
        FloatVector s03 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 3 * LANES));
        FloatVector s04 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 4 * LANES));
        FloatVector s10 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 5 * LANES));
        FloatVector s11 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 6 * LANES));
        FloatVector s12 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 7 * LANES));
        FloatVector s13 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 8 * LANES));
        FloatVector s14 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 9 * LANES));
        FloatVector s20 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 10 * LANES));
        FloatVector s21 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 11 * LANES));
        FloatVector s22 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 12 * LANES));
        FloatVector s23 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 13 * LANES));
        FloatVector s24 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 14 * LANES));
        FloatVector s30 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 15 * LANES));
        FloatVector s31 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 16 * LANES));
        FloatVector s32 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 17 * LANES));
        FloatVector s33 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 18 * LANES));
        FloatVector s34 = (FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, acc, accOff + 19 * LANES));
        FloatVector z0 = (FloatVector) FLOAT_VECTOR.cast(
                s00.blend(s01, FOLD_UPPER_1).add(s01.blend(s00, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z1 = (FloatVector) FLOAT_VECTOR.cast(
                s02.blend(s03, FOLD_UPPER_1).add(s03.blend(s02, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z2 = (FloatVector) FLOAT_VECTOR.cast(
                s04.blend(s10, FOLD_UPPER_1).add(s10.blend(s04, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z3 = (FloatVector) FLOAT_VECTOR.cast(
                s11.blend(s12, FOLD_UPPER_1).add(s12.blend(s11, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z4 = (FloatVector) FLOAT_VECTOR.cast(
                s13.blend(s14, FOLD_UPPER_1).add(s14.blend(s13, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z5 = (FloatVector) FLOAT_VECTOR.cast(
                s20.blend(s21, FOLD_UPPER_1).add(s21.blend(s20, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z6 = (FloatVector) FLOAT_VECTOR.cast(
                s22.blend(s23, FOLD_UPPER_1).add(s23.blend(s22, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z7 = (FloatVector) FLOAT_VECTOR.cast(
                s24.blend(s30, FOLD_UPPER_1).add(s30.blend(s24, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z8 = (FloatVector) FLOAT_VECTOR.cast(
                s31.blend(s32, FOLD_UPPER_1).add(s32.blend(s31, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector z9 = (FloatVector) FLOAT_VECTOR.cast(
                s33.blend(s34, FOLD_UPPER_1).add(s34.blend(s33, FOLD_UPPER_1).rearrange(FOLD_SWAP_1)));
        FloatVector w0 = (FloatVector) FLOAT_VECTOR.cast(
                z0.blend(z1, FOLD_UPPER_2).add(z1.blend(z0, FOLD_UPPER_2).rearrange(FOLD_SWAP_2)));
        FloatVector w1 = (FloatVector) FLOAT_VECTOR.cast(
                z2.blend(z3, FOLD_UPPER_2).add(z3.blend(z2, FOLD_UPPER_2).rearrange(FOLD_SWAP_2)));
        FloatVector w2 = (FloatVector) FLOAT_VECTOR.cast(
                z4.blend(z5, FOLD_UPPER_2).add(z5.blend(z4, FOLD_UPPER_2).rearrange(FOLD_SWAP_2)));
        FloatVector w3 = (FloatVector) FLOAT_VECTOR.cast(
                z6.blend(z7, FOLD_UPPER_2).add(z7.blend(z6, FOLD_UPPER_2).rearrange(FOLD_SWAP_2)));
        FloatVector w4 = (FloatVector) FLOAT_VECTOR.cast(
                z8.blend(z9, FOLD_UPPER_2).add(z9.blend(z8, FOLD_UPPER_2).rearrange(FOLD_SWAP_2)));
        if (LANES == 4) {
            ((FloatVector) FLOAT_VECTOR.cast(w0.rearrange(FOLD_ORDER))).intoArray(acc, accOff);
            ((FloatVector) FLOAT_VECTOR.cast(w1.rearrange(FOLD_ORDER))).intoArray(acc, accOff + LANES);
            ((FloatVector) FLOAT_VECTOR.cast(w2.rearrange(FOLD_ORDER))).intoArray(acc, accOff + 2 * LANES);
            ((FloatVector) FLOAT_VECTOR.cast(w3.rearrange(FOLD_ORDER))).intoArray(acc, accOff + 3 * LANES);
            ((FloatVector) FLOAT_VECTOR.cast(w4.rearrange(FOLD_ORDER))).intoArray(acc, accOff + 4 * LANES);
            return;
        }
        FloatVector q0 = (FloatVector) FLOAT_VECTOR.cast(
                w0.blend(w1, FOLD_UPPER_3).add(w1.blend(w0, FOLD_UPPER_3).rearrange(FOLD_SWAP_3)));
        FloatVector q1 = (FloatVector) FLOAT_VECTOR.cast(
                w2.blend(w3, FOLD_UPPER_3).add(w3.blend(w2, FOLD_UPPER_3).rearrange(FOLD_SWAP_3)));
        FloatVector q2 = (FloatVector) FLOAT_VECTOR.cast(w4.add(w4.rearrange(FOLD_SWAP_3)));
        if (LANES == 8) {
            ((FloatVector) FLOAT_VECTOR.cast(q0.rearrange(FOLD_ORDER))).intoArray(acc, accOff);
            ((FloatVector) FLOAT_VECTOR.cast(q1.rearrange(FOLD_ORDER))).intoArray(acc, accOff + LANES);
            ((FloatVector) FLOAT_VECTOR.cast(q2.rearrange(FOLD_ORDER))).intoArray(acc, accOff + 2 * LANES);
            return;
        }
        FloatVector f0 = (FloatVector) FLOAT_VECTOR.cast(
                q0.blend(q1, FOLD_UPPER_4).add(q1.blend(q0, FOLD_UPPER_4).rearrange(FOLD_SWAP_4)));
        FloatVector f1 = (FloatVector) FLOAT_VECTOR.cast(q2.add(q2.rearrange(FOLD_SWAP_4)));
        ((FloatVector) FLOAT_VECTOR.cast(f0.rearrange(FOLD_ORDER))).intoArray(acc, accOff);
        ((FloatVector) FLOAT_VECTOR.cast(f1.rearrange(FOLD_ORDER))).intoArray(acc, accOff + LANES);
    }

    /**
     * {@link #dot4x5} for 16 vector registers (AVX2): 3 A rows × 3 B rows, 9 accumulators + 6
     * operands = 15. C2 loads all of a step's operands before its FMAs, so 2 × 5 (10 + 7 = 17)
     * kept an accumulator on the stack and ran at 30 GFLOP/s in L1 on Zen 3. The same fma chain
     * per lane, so the same bits as dot4x5.
     */
    static void dot3x3(int len, boolean resume, float[] a, int a0, int a1, int a2,
                       float[] b, int b0, int b1, int b2, float[] acc, int accOff) {
        float[] from = resume ? acc : DOT_ZEROS;
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
        // The stride is read from a field C2 cannot fold (dot3x3Step), so this is not a counted
        // loop and C2 does not unroll it. Unrolled four times (a constant stride), the loop loaded
        // the operands of all four steps first and kept the accumulators on the stack: a load, an
        // FMA and a store each per step (the disassembly on JDK 17; two steps written out did
        // the same). Without counting, each load keeps its bounds check, and every accumulator
        // stays in a register. The filter gradient per image (NT 30 × 25 × 576), one thread,
        // calls alternated in random order in one JVM, median of the paired ratios on Zen 3:
        // 1.32× on JDK 17, 1.18× on JDK 25.
        for (int p = 0, step = dot3x3Step; p < len; p += step) {
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

    /** Always LANES; deliberately not final (see dot3x3). */
    @SuppressWarnings("FieldMayBeFinal")
    private static int dot3x3Step = LANES;

    private static final float[] DOT_ZEROS = new float[DOT_A * DOT_B * LANES];

    // ---- the last few columns ----------------------------------------------------------------

    /**
     * How many last columns {@link #columnEdge} computes: N mod NR when that is at most
     * {@link VectorConstants#EDGE_MAX_COLS} (and, for an untransposed A, K is long enough for dot
     * products), else none. Decided from the whole product, so every thread split agrees.
     */
    private static int edgeColumns(boolean transA, int n, int k) {
        int r = n % NR;
        if (r == 0 || r > EDGE_MAX_COLS || (!transA && k < EDGE_DOT_MIN_K)) {
            return 0;
        }
        return r;
    }

    /**
     * Whether {@link #blocked} reads B in place (full tiles; edge tiles pack their strip): one K
     * block, β = 0, and B untransposed or, with {@link VectorConstants#TRANSPOSED_B_PANELS} and M
     * within one A block, transposed into row-major panels first. Decided from the whole product
     * (the strip height depends on it) and passed down.
     */
    private static boolean readsBInPlace(boolean transB, int m, int k, float beta) {
        return k <= KC && beta == 0f && (!transB || TRANSPOSED_B_PANELS && m <= MC);
    }

    /**
     * Strip height for a product of m rows: MR4 with 16 vector registers when B is packed or K is
     * long (see below); MR5 wherever 5 divides an untransposed A's M when B is in place and the
     * wide tiles run (their 5-row tiles are four vectors wide: {@link VectorConstants#NR4});
     * otherwise MR, or MR5 when that tiles M exactly and MR does not (M = 25, the column gradient
     * Wᵀ·dout: five 5-row tiles instead of four 6-row tiles and a 6-row tile for one row), unless
     * M spans more than one A block and the tall tiles can run (see below), which want MR. Chosen
     * from the whole product, never from a thread's rows, so every thread runs the kernels one
     * thread would (threads' rows are multiples of it): a 6-row kernel that one thread never calls
     * on M = 100 was compiled on JDK 17 with some vectors boxed (51 KB per training step on two
     * threads). Tile shape never changes the bits: each element's sequence of operations is fixed.
     */
    private static int stripRows(boolean transA, float alpha, int m, int n, boolean bInPlace, int k) {
        // With 16 registers the 6-row kernels keep accumulators on the stack, which costs the
        // packed kernels half their speed (L1: 38 against 80 GFLOP/s). With B in place and a
        // short K the taller tiles still win: each tile's fixed costs (12 stores, setup) are
        // spread over few k steps, and 4 rows make half as many tiles again. Zen 3, best of 4
        // × 0.5 s, 6/5 rows against 4 (JDK 17; JDK 25): NN 30×576×25 14.1 against 23.5 µs (13.7;
        // 19.2), TN 25×576×30 16–17 against 21–31 µs (14.0–14.5; 20.4–22.7); at K = 100 the
        // affine weight gradient TN 4320×100×100 1.65–1.82 ms either way on JDK 17 and 3.0–3.9
        // against 1.76–1.95 ms on JDK 25.
        if (FOUR_ROW_TILES && (!bInPlace || k >= FOUR_ROW_MIN_K_IN_PLACE)) {
            return MR4;
        }
        // With the wide tiles (NR4), 5 rows wherever they tile M, 6 too, for an untransposed A: see
        // NR4. A transposed A keeps 6 rows where they tile M: the affine weight gradient (TN 4320 ×
        // 100 × 100) ran 0.95–0.99× with 5.
        if (WIDE_TILES && bInPlace && !transA && m % MR5 == 0) {
            return MR5;
        }
        // Over more than one A block with B packed, a full K block and A packed (the tall tiles'
        // conditions, from the whole product: transposed, scaled or at least PACK_A_MIN_N
        // columns), the tall tiles (6-row strips only) beat a 5-row tiling that fits M exactly:
        // with 5 rows 2000³ ran at 0.76× the rate of 2048³.
        // Against 5 rows (Intel Xeon 0xCF, one thread, both builds alternated in one JVM, median
        // of 11 paired rounds, JDK 17 and 25): 2000³ 1.17–1.23×, 1000³ 1.11–1.21×, TT 1000³
        // 1.07–1.16×, NN 250 × 1000 × 1000 1.07–1.23×. At M = 100 (one block) 6 rows ran 0.75×.
        if (TALL_TILES && !bInPlace && m > MC && k >= KC && (transA || alpha != 1f || n >= PACK_A_MIN_N)) {
            return MR;
        }
        return m % MR != 0 && m % MR5 == 0 ? MR5 : MR;
    }

    /**
     * C[m0:m1, n0:n1]: strips of sr rows, packed panels for the columns before nEdge,
     * {@link #columnEdge} from there.
     */
    private static void region(boolean transA, boolean transB, int sr, boolean bInPlace, boolean rowPanels,
                               int m0, int m1, int n0, int n1, int nEdge, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
        if (n0 < nEdge) {
            blocked(transA, transB, sr, bInPlace, rowPanels, m0, m1, n0, Math.min(n1, nEdge), k, alpha, a, aOff, lda,
                    b, bOff, ldb, beta, c, cOff, ldc);
        }
        if (n1 > nEdge) {
            columnEdge(transA, transB, m0, m1, Math.max(n0, nEdge), n1, k, alpha, a, aOff, lda, b, bOff, ldb,
                    beta, c, cOff, ldc);
        }
    }

    /**
     * C[m0:m1, j0:j1] for a few last columns (j1 − j0 ≤ {@link VectorConstants#EDGE_MAX_COLS}),
     * without a one-vector tile that would spend 16 lanes on them:
     * <ul>
     *   <li>A untransposed (the affine forward x·W, 100 × 100 × 4320): rows of A and the edge
     *       columns of op(B), copied K-contiguous, as {@link #dotBlocksNT} dot products;</li>
     *   <li>A transposed (the affine weight gradient xᵀ·dout, 4320 × 100 × 100): vectors run down
     *       M, where a transposed A is contiguous, times broadcast B values
     *       ({@link #edge2vx4}); no reduction at all.</li>
     * </ul>
     * Each element's operations do not depend on where its rows fall (dot blocks repeat their last
     * row; a row past the last full vector runs the same fma chain in scalar), so any row split
     * gives the same bits. One thread, median of 5 JVMs of best-of-20 × 200 calls: the forward
     * 701 → 547 µs on JDK 17 (659 → 544 on JDK 25), the weight gradient 570 → 471 µs (618 → 461).
     */
    private static void columnEdge(boolean transA, boolean transB, int m0, int m1, int j0, int j1, int k,
                                   float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        int cols = j1 - j0;
        if (!transA) {
            if (transB) {
                dotBlocksNT(m0, m1, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                return;
            }
            float[] bt = ws.edge(cols * k);
            for (int p = 0; p < k; p++) {
                int src = bOff + p * ldb + j0;
                for (int j = 0; j < cols; j++) {
                    bt[j * k + p] = b[src + j];
                }
            }
            dotBlocksNT(m0, m1, 0, cols, k, alpha, a, aOff, lda, bt, 0, k, beta, c, cOff + j0, ldc);
            return;
        }
        // Four columns at a time, the last one repeated in a partial group; their B values
        // interleaved per p (bq[4p + t]) so the kernel reads them with a constant stride.
        float[] bq = ws.edge(4 * k), tile = ws.tile;
        for (int j = j0; j < j1; j += 4) {
            int q = Math.min(4, j1 - j);
            for (int t = 0; t < 4; t++) {
                int jj = Math.min(j + t, j1 - 1);
                for (int p = 0; p < k; p++) {
                    bq[4 * p + t] = transB ? b[bOff + jj * ldb + p] : b[bOff + p * ldb + jj];
                }
            }
            int i = m0;
            for (; i + 2 * LANES <= m1; i += 2 * LANES) {
                edge2vx4(k, a, aOff + i, lda, bq, tile);
                writeEdge(tile, 2 * LANES, q, alpha, beta, c, cOff + i * ldc + j, ldc);
            }
            for (; i < m1; i++) {
                for (int t = 0; t < q; t++) {
                    float sum = 0f;
                    for (int p = 0; p < k; p++) {
                        sum = Math.fma(a[aOff + p * lda + i], bq[4 * p + t], sum);
                    }
                    int ci = cOff + i * ldc + j + t;
                    c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
                }
            }
        }
    }

    /**
     * 2·LANES rows × 4 columns of Aᵀ·B for a transposed A: per p, two vectors of A's row p (rows i
     * … i + 2·LANES − 1 of op(A)) times four broadcast B values, 8 accumulators. Lane l of column t is the
     * fma chain over p in order, as the scalar rows of {@link #columnEdge}. Column t goes to
     * tile[t·2·LANES …].
     */
    static void edge2vx4(int k, float[] a, int aOff, int lda, float[] bq, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        for (int p = 0; p < k; p++) {
            int ap = aOff + p * lda;
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, ap);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, ap + LANES);
            FloatVector bv = FloatVector.broadcast(SPECIES, bq[4 * p]);
            c00 = x0.fma(bv, c00);
            c01 = x1.fma(bv, c01);
            bv = FloatVector.broadcast(SPECIES, bq[4 * p + 1]);
            c10 = x0.fma(bv, c10);
            c11 = x1.fma(bv, c11);
            bv = FloatVector.broadcast(SPECIES, bq[4 * p + 2]);
            c20 = x0.fma(bv, c20);
            c21 = x1.fma(bv, c21);
            bv = FloatVector.broadcast(SPECIES, bq[4 * p + 3]);
            c30 = x0.fma(bv, c30);
            c31 = x1.fma(bv, c31);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(tile, LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(tile, 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 4 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(tile, 5 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 6 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(tile, 7 * LANES);
    }

    /** C[0:rows, 0:cols] = α·tileᵀ + β·C, tile column t at tile[t·rows …] (C unread when β = 0). */
    private static void writeEdge(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cOff,
                                  int ldc) {
        for (int l = 0; l < rows; l++) {
            for (int t = 0; t < cols; t++) {
                int ci = cOff + l * ldc + t;
                float sum = tile[t * rows + l];
                c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
            }
        }
    }

    /**
     * Columns of a row panel ({@link VectorConstants#ROW_PANEL_FLOATS}): a multiple of the 6-row
     * strip widths (three and two vectors), so only the last panel of a thread's share ends in a
     * partial strip; the 5-row strips' four-vector tiles may leave a two-vector strip at a panel's
     * end. Panels in multiples of four vectors too (smaller ones at K = 25 and 30) ran no faster: NN
     * 30×57600×25 and TN 25×57600×30 with the 5 × 4 tiles, each panel choice paired against the
     * old 6 × 3 and 5 × 3 tiles in one JVM, gave 0.92–1.05× with multiples of four vectors and
     * 0.99–1.04× with these.
     */
    private static int rowPanelCols(int k) {
        return Math.max(6 * LANES, ROW_PANEL_FLOATS / k / (6 * LANES) * (6 * LANES));
    }

    /**
     * Columns of a transposed B's row-major copy: about ROW_PANEL_FLOATS values, in whole sets of
     * the wide tiles' strips (four vectors for 5-row strips, three for 6-row ones).
     */
    private static int transposedPanelCols(int k) {
        return Math.max(12 * LANES, ROW_PANEL_FLOATS / k / (12 * LANES) * (12 * LANES));
    }

    /**
     * dst[p·nc + j] = b[(jc + j)·ldb + p] for p < k, j < nc: op(B)[0:k, jc:jc+nc] of a transposed
     * B, row-major. LANES columns at a time by gathers down the source rows, each gather's LANES
     * lines reused for the next p.
     */
    private static void transposeB(float[] b, int bOff, int ldb, int jc, int nc, int k, float[] dst, Workspace ws) {
        int j = 0;
        if (GATHER_TRANSPOSED_B && nc >= LANES) {
            int[] map = ws.strideMap(ldb);
            for (; j + LANES <= nc; j += LANES) {
                int src = bOff + (jc + j) * ldb;
                for (int p = 0, d = j; p < k; p++, d += nc) {
                    ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, b, src + p, map, 0)))
                            .intoArray(dst, d);
                }
            }
        }
        for (; j < nc; j++) {
            int src = bOff + (jc + j) * ldb;
            for (int p = 0; p < k; p++) {
                dst[p * nc + j] = b[src + p];
            }
        }
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
    private static void blocked(boolean transA, boolean transB, int sr, boolean bInPlace, boolean rowPanels,
                                int m0, int m1, int n0, int n1, int k, float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        int kcMax = Math.min(KC, k);
        // The micro-kernels read A as rows (a row offset and a row stride), so a row-major A with
        // α = 1 is used where it lies; packing it cost a quarter of the affine layer's forward
        // product (M = N = 100, K = 4320), where each A value meets only 4 B strips. Over many
        // columns the packed copy wins (PACK_A_MIN_N). Otherwise A is packed row-major per block
        // with α folded in. Same values, same bits either way.
        // Small K (the convolution products, K = 25 or 30): each B value meets only M / 6 A
        // strips, and packing B took a fifth of the product. Full tiles then read B in place (a
        // variable row stride costs C2 its hoisted bounds checks, ~10% of the kernel, less than
        // the copy); edge tiles pack their strip when they meet it. bInPlace says so, from the
        // whole product (readsBInPlace).
        // The 6- and 5-row strips pack A only for the tall tiles (TALL_TILES: 6-row strips, B
        // packed, a full K block); elsewhere they keep it in place (a convolution product per
        // image, N = 576, B in place: packing its 30 × 25 A ran 0.94–0.96×).
        boolean tallStrips = TALL_TILES && sr == MR && !bInPlace;
        boolean packsA = sr == MR4 || tallStrips && k >= KC;
        boolean direct = !transA && alpha == 1f && (n1 - n0 < PACK_A_MIN_N || !packsA);
        // A transposed B "in place" is a row-major copy of it, one panel of columns at a time
        // (TRANSPOSED_B_PANELS); rowPanels is never set for it.
        boolean copyBT = bInPlace && transB;
        int panelCols = copyBT ? transposedPanelCols(k) : rowPanelCols(k);
        boolean panels = rowPanels && n1 - n0 > panelCols;
        int ncMax = panels || copyBT ? panelCols : !bInPlace && m1 - m0 <= MC ? NC_ONE_BLOCK : NC;
        // Edge strips are packed at their place in the panel (ws.b), and a panel is wider than NC
        // when K is at most 7.
        ws.reserve(direct ? 0 : Math.min(MC, m1 - m0) * kcMax, kcMax * roundUp(Math.min(ncMax, n1 - n0), NR));
        // Few row strips over a short K read B's rows where they lie, a panel at a time
        // (ROW_PANEL_MAX_STRIPS_IN_PLACE, ROW_PANEL_MAX_ROWS_IN_PLACE).
        int strips = (m1 - m0 + sr - 1) / sr;
        boolean copyRows = panels
                && (strips > ROW_PANEL_MAX_STRIPS_IN_PLACE || (long) strips * k > ROW_PANEL_MAX_ROWS_IN_PLACE);
        float[] rows = copyRows || copyBT ? ws.rows(k * Math.min(panelCols, n1 - n0)) : null;
        for (int jc = n0; jc < n1; jc += ncMax) {
            int nc = Math.min(ncMax, n1 - jc);
            // B in place, or a panel of nc of its columns, in place or its rows copied into one
            // contiguous block, which then runs one row strip at a time (an "A block" of sr rows):
            // each strip's sweep writes sr C rows front to back, instead of every strip's rows at
            // once (see ROW_PANEL_FLOATS); or a transposed B copied row-major, whose panel runs as
            // the A block's strips do.
            float[] bs = b;
            int bBase = bOff + jc, ls = ldb;
            if (copyRows) {
                for (int p = 0; p < k; p++) {
                    System.arraycopy(b, bOff + p * ldb + jc, rows, p * nc, nc);
                }
                bs = rows;
                bBase = 0;
                ls = nc;
            } else if (copyBT) {
                transposeB(b, bOff, ldb, jc, nc, k, rows, ws);
                bs = rows;
                bBase = 0;
                ls = nc;
            }
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                if (!bInPlace) {
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, ws);
                }
                // A transposed, α = 1, small K: full-height strips read A in place too (TN: the
                // weight gradient xᵀ·dout, the column gradient Wᵀ·dout); short strips pack it.
                boolean directT = transA && alpha == 1f && bInPlace;
                for (int ic = m0; ic < m1; ic += panels ? sr : MC) {
                    int mc = Math.min(panels ? sr : MC, m1 - ic);
                    float[] ap = a;
                    int aBase = aOff + ic * lda + pc, as = lda;
                    if (!direct && !directT) {
                        packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, ws.a);
                        ap = ws.a;
                        aBase = 0;
                        as = kc;
                    }
                    // In-place B and only full-height strips: wide strips while they fit (four
                    // vectors for 5-row strips, three for 6-row ones), then two-vector ones.
                    boolean wide = WIDE_TILES && bInPlace && mc % sr == 0;
                    int jr = 0;
                    if (wide) {
                        int width = sr == MR5 ? NR4 : NR3;
                        for (; jr + width <= nc; jr += width) {
                            int bIn = bBase + pc * ls + jr;
                            for (int ir = 0; ir < mc; ir += sr) {
                                int ci = cOff + (ic + ir) * ldc + jc + jr;
                                if (directT) {
                                    int aT = aOff + pc * lda + ic + ir;
                                    if (sr == MR5) {
                                        gemm5x4vSetT(kc, a, aT, lda, bs, bIn, ls, c, ci, ldc);
                                    } else {
                                        gemm6x3vSetT(kc, a, aT, lda, bs, bIn, ls, c, ci, ldc);
                                    }
                                } else if (sr == MR5) {
                                    gemm5x4vSetB(kc, ap, aBase + ir * as, as, bs, bIn, ls, c, ci, ldc);
                                } else {
                                    gemm6x3vSetB(kc, ap, aBase + ir * as, as, bs, bIn, ls, c, ci, ldc);
                                }
                            }
                        }
                    }
                    // Two 6-row strips at a time where both operands are packed and the K block
                    // is full, so that A's row stride is the constant KC (gemm12x2vSetPackedA).
                    boolean tall = tallStrips && ap == ws.a && kc == KC && (!first || beta == 0f || beta == 1f);
                    for (; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bpOff = (jr / NR) * kc * NR;
                        int bIn = bBase + pc * ls + jr;
                        boolean packed = !bInPlace;
                        for (int ir = 0; ir < mc; ir += sr) {
                            int mr = Math.min(sr, mc - ir);
                            int ci = cOff + (ic + ir) * ldc + jc + jr;
                            if (tall && nr == NR && ir + MR12 <= mc) {
                                if (first && beta == 0f) {
                                    gemm12x2vSetPackedA(kc, ap, aBase + ir * as, ws.b, bpOff, c, ci, ldc);
                                } else {
                                    gemm12x2vAddPackedA(kc, ap, aBase + ir * as, ws.b, bpOff, c, ci, ldc);
                                }
                                ir += MR12 - sr;
                                continue;
                            }
                            if (directT && mr == sr) {
                                int aT = aOff + pc * lda + ic + ir;
                                if (nr == NR) {
                                    if (sr == MR5) {
                                        gemm5x2vSetT(kc, a, aT, lda, bs, bIn, ls, c, ci, ldc);
                                    } else if (sr == MR4) {
                                        gemm4x2vSetT(kc, a, aT, lda, bs, bIn, ls, c, ci, ldc);
                                    } else {
                                        gemm6x2vSetT(kc, a, aT, lda, bs, bIn, ls, c, ci, ldc);
                                    }
                                    continue;
                                }
                                if (!packed) {
                                    packStripN(bs, bIn, ls, kc, nr, ws.b, bpOff);
                                    packed = true;
                                }
                                if (sr == MR5 && nr <= LANES) {
                                    gemm5x1vTileT(kc, a, aT, lda, ws.b, bpOff, ws.tile);
                                } else if (sr == MR5) {
                                    gemm5x2vTileT(kc, a, aT, lda, ws.b, bpOff, ws.tile);
                                } else if (sr == MR4 && nr <= LANES) {
                                    gemm4x1vTileT(kc, a, aT, lda, ws.b, bpOff, ws.tile);
                                } else if (sr == MR4) {
                                    gemm4x2vTileT(kc, a, aT, lda, ws.b, bpOff, ws.tile);
                                } else if (nr <= LANES) {
                                    gemm6x1vTileT(kc, a, aT, lda, ws.b, bpOff, ws.tile);
                                } else {
                                    gemm6x2vTileT(kc, a, aT, lda, ws.b, bpOff, ws.tile);
                                }
                                writeBack(ws.tile, c, ci, ldc, mr, nr, first, beta);
                                continue;
                            }
                            if (directT && ap == a) {
                                // A short strip: pack this block's A after all.
                                packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, ws.a);
                                ap = ws.a;
                                aBase = 0;
                                as = kc;
                            }
                            if (!packed && mr == sr && nr == NR) {
                                if (sr == MR5) {
                                    gemm5x2vSetB(kc, ap, aBase + ir * as, as, bs, bIn, ls, c, ci, ldc);
                                } else if (sr == MR4) {
                                    gemm4x2vSetB(kc, ap, aBase + ir * as, as, bs, bIn, ls, c, ci, ldc);
                                } else {
                                    gemm6x2vSetB(kc, ap, aBase + ir * as, as, bs, bIn, ls, c, ci, ldc);
                                }
                                continue;
                            }
                            if (!packed) {
                                packStripN(bs, bIn, ls, kc, nr, ws.b, bpOff);
                                packed = true;
                            }
                            if (sr == MR5) {
                                gemm5x2v(kc, ap, aBase + ir * as, as, ws.b, bpOff, c, ci, ldc, mr, nr, first, beta,
                                        ws.tile);
                            } else if (sr == MR4) {
                                gemm4x2v(kc, ap, aBase + ir * as, as, ws.b, bpOff, c, ci, ldc, mr, nr, first, beta,
                                        ws.tile);
                            } else {
                                gemm6x2v(kc, ap, aBase + ir * as, as, ws.b, bpOff, c, ci, ldc, mr, nr, first, beta,
                                        ws.tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs α·op(A)[ic:ic+mc, pc:pc+kc] row-major with row stride kc ({@code dst[i·kc + p]}), the
     * layout the micro-kernels read. A transposed A is read a source row at a time (contiguous,
     * what the prefetcher follows) and written down the columns of dst, which stay in L1.
     */
    private static void packA(boolean transA, float alpha, float[] a, int aOff, int lda,
                              int ic, int mc, int pc, int kc, float[] dst) {
        if (!transA && alpha == 1f) {
            // Rows of kc floats (1 KiB in a full K block): arraycopy, not alpha · a[…] per value.
            for (int i = 0; i < mc; i++) {
                System.arraycopy(a, aOff + (ic + i) * lda + pc, dst, i * kc, kc);
            }
            return;
        }
        if (!transA) {
            for (int i = 0; i < mc; i++) {
                int src = aOff + (ic + i) * lda + pc, d = i * kc;
                for (int p = 0; p < kc; p++) {
                    dst[d + p] = alpha * a[src + p];
                }
            }
            return;
        }
        // Eight rows of dst at a time: per p one 32-byte read of a source row and eight stores
        // into eight dst rows, whose lines stay in L1 for the next 15 p. Sweeping the whole block
        // per p (mc stores to mc lines) took 40% longer than the multiplication it fed.
        int i = 0;
        for (; i + 8 <= mc; i += 8) {
            int src = aOff + pc * lda + ic + i;
            int d0 = i * kc, d1 = d0 + kc, d2 = d1 + kc, d3 = d2 + kc, d4 = d3 + kc, d5 = d4 + kc;
            int d6 = d5 + kc, d7 = d6 + kc;
            for (int p = 0; p < kc; p++) {
                int sp = src + p * lda;
                dst[d0 + p] = alpha * a[sp];
                dst[d1 + p] = alpha * a[sp + 1];
                dst[d2 + p] = alpha * a[sp + 2];
                dst[d3 + p] = alpha * a[sp + 3];
                dst[d4 + p] = alpha * a[sp + 4];
                dst[d5 + p] = alpha * a[sp + 5];
                dst[d6 + p] = alpha * a[sp + 6];
                dst[d7 + p] = alpha * a[sp + 7];
            }
        }
        for (; i < mc; i++) {
            int src = aOff + pc * lda + ic + i, d = i * kc;
            for (int p = 0; p < kc; p++) {
                dst[d + p] = alpha * a[src + p * lda];
            }
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-column strips in ws.b: strip t holds, for each p, the
     * NR values of row p ({@code b[t·kc·NR + p·NR + j]}), columns past nc padded with zeros.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc,
                              int jc, int nc, Workspace ws) {
        float[] dst = ws.b;
        if (!transB) {
            // Full strips row by row, each source row read once front to back, then the last
            // partial strip, rather than strip by strip (every row visited once per strip). Calls alternated
            // in random order in one JVM, Zen 3, median of the paired ratios on JDK 17 and 25:
            // the affine forward (NN 100 × 100 × 4320, B = W read from L3) 1.08–1.12×, 1024³
            // 1.03×. Same values in the same places.
            int full = nc / NR, stripFloats = kc * NR;
            for (int p = 0; p < kc; p++) {
                int sp = bOff + (pc + p) * ldb + jc, d = p * NR;
                for (int t = 0; t < full; t++, sp += NR, d += stripFloats) {
                    ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, b, sp))).intoArray(dst, d);
                    ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, b, sp + LANES)))
                            .intoArray(dst, d + LANES);
                }
            }
            if (full * NR < nc) {
                packStripN(b, bOff + pc * ldb + jc + full * NR, ldb, kc, nc - full * NR, dst, full * stripFloats);
            }
            return;
        }
        // op(B)[p][j] = b[j·ldb + p]. Full strips gather each k step's NR values, ldb apart, and
        // store them as one row of the strip (GATHER_TRANSPOSED_B).
        int full = GATHER_TRANSPOSED_B ? nc / NR : 0;
        if (full > 0) {
            int[] map = ws.strideMap(ldb);
            for (int t = 0; t < full; t++) {
                int src = bOff + (jc + t * NR) * ldb + pc, d = t * kc * NR;
                for (int p = 0; p < kc; p++, d += NR) {
                    ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, b, src + p, map, 0)))
                            .intoArray(dst, d);
                    ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, b, src + p, map, LANES)))
                            .intoArray(dst, d + LANES);
                }
            }
        }
        for (int t = full; t * NR < nc; t++) {
            int base = t * kc * NR;
            int cols = Math.min(NR, nc - t * NR);
            // Read each source row contiguously, scatter by NR.
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

    /** One NR-wide strip of a row-major B (kc rows of {@code cols} values), zero-padded to NR. */
    private static void packStripN(float[] b, int src, int ldb, int kc, int cols, float[] dst, int base) {
        if (cols == NR) {
            // Two vector copies per row: a System.arraycopy call per 32 floats costs more than the
            // copy itself, and on the skinny convolution products (K = 25) packing B with
            // arraycopy took as long as the multiplication.
            for (int p = 0; p < kc; p++) {
                int sp = src + p * ldb, d = base + p * NR;
                ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, b, sp))).intoArray(dst, d);
                ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, b, sp + LANES)))
                        .intoArray(dst, d + LANES);
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
     * writes C = acc (first K block, β = 0: C's values are not used; gemm4x2vSet reads two of each
     * row's only to fetch its lines early), {@code gemm6x2vAdd} C = acc + C (later
     * K blocks, or β = 1), {@code gemm6x2vTile} spills to a scratch tile for edges and other β.
     * All three compute the accumulators identically, so which one runs never changes the bits.
     */
    static void gemm6x2vSet(int kc, float[] a, int aOff, int as, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as,
                a3 = aOff + 3 * as, a4 = aOff + 4 * as,
                a5 = aOff + 5 * as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50)).intoArray(c, cOff + 5 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c51)).intoArray(c, cOff + 5 * ldc + LANES);
    }

    static void gemm6x2vSetB(int kc, float[] a, int aOff, int as,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as,
                a3 = aOff + 3 * as, a4 = aOff + 4 * as,
                a5 = aOff + 5 * as;
        // Offsets carried from step to step, not p · stride (see gemm4x2vSetT).
        for (int p = 0, bp = bOff; p < kc; p++, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50)).intoArray(c, cOff + 5 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c51)).intoArray(c, cOff + 5 * ldc + LANES);
    }

    static void gemm6x2vAdd(int kc, float[] a, int aOff, int as, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as,
                a3 = aOff + 3 * as, a4 = aOff + 4 * as,
                a5 = aOff + 5 * as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00.add(FloatVector.fromArray(SPECIES, c, cOff)))).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01.add(FloatVector.fromArray(SPECIES, c, cOff + LANES))))
                .intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc))))
                .intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + LANES))))
                .intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc))))
                .intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES))))
                .intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc))))
                .intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES))))
                .intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc))))
                .intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + LANES))))
                .intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc))))
                .intoArray(c, cOff + 5 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c51.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + LANES))))
                .intoArray(c, cOff + 5 * ldc + LANES);
    }

    /**
     * Tall tiles: C[12 × NR] = A strip · B strip ({@code Set}) or C += it ({@code Add}), over one
     * full K block. A is packed row-major with row stride {@link VectorConstants#KC} (the constant,
     * so the twelve broadcasts of a k step are one index plus constant displacements, where the
     * 6-row kernels compute each row's index), B is a packed strip of NR columns. 24 accumulators,
     * 2 B vectors and the broadcasts in AVX-512's 32 registers: 12 broadcasts and 2 loads per 24
     * FMAs instead of 6 and 2 per 12. Each element's operations are those of gemm6x2vSet/Add:
     * the same bits. See {@link VectorConstants#TALL_TILES} for when and why.
     * <p>The loop steps the A and B indices themselves (ap++, bp += NR). Counting p and computing
     * bOff + p · NR, JDK 17's C2 loaded 7 broadcasts ahead of their FMAs and so moved one
     * accumulator through the stack every k step (a load and a store), with 13 integer
     * instructions; now it keeps 2 broadcasts live, no accumulator on the stack, 11 integer
     * instructions (2 of them B's bounds checks). Both versions alternated in one JVM, one thread,
     * median of 15 paired rounds, Intel Xeon 0xCF: JDK 17 512³ 1.04–1.10×, 1024³ 1.09–1.10×,
     * 2048³ 1.07–1.09× (two runs, the builds in either order); JDK 25 1.00–1.03×.
     */
    static void gemm12x2vSetPackedA(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        FloatVector c80 = FloatVector.zero(SPECIES), c81 = FloatVector.zero(SPECIES);
        FloatVector c90 = FloatVector.zero(SPECIES), c91 = FloatVector.zero(SPECIES);
        FloatVector c100 = FloatVector.zero(SPECIES), c101 = FloatVector.zero(SPECIES);
        FloatVector c110 = FloatVector.zero(SPECIES), c111 = FloatVector.zero(SPECIES);
        for (int ap = aOff, bp = bOff, aEnd = aOff + kc; ap < aEnd; ap++, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + KC]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2 * KC]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3 * KC]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4 * KC]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ap + 5 * KC]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[ap + 6 * KC]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[ap + 7 * KC]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            av = FloatVector.broadcast(SPECIES, a[ap + 8 * KC]);
            c80 = av.fma(b0, c80);
            c81 = av.fma(b1, c81);
            av = FloatVector.broadcast(SPECIES, a[ap + 9 * KC]);
            c90 = av.fma(b0, c90);
            c91 = av.fma(b1, c91);
            av = FloatVector.broadcast(SPECIES, a[ap + 10 * KC]);
            c100 = av.fma(b0, c100);
            c101 = av.fma(b1, c101);
            av = FloatVector.broadcast(SPECIES, a[ap + 11 * KC]);
            c110 = av.fma(b0, c110);
            c111 = av.fma(b1, c111);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50)).intoArray(c, cOff + 5 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c51)).intoArray(c, cOff + 5 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c60)).intoArray(c, cOff + 6 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c61)).intoArray(c, cOff + 6 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c70)).intoArray(c, cOff + 7 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c71)).intoArray(c, cOff + 7 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c80)).intoArray(c, cOff + 8 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c81)).intoArray(c, cOff + 8 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c90)).intoArray(c, cOff + 9 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c91)).intoArray(c, cOff + 9 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c100)).intoArray(c, cOff + 10 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c101)).intoArray(c, cOff + 10 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c110)).intoArray(c, cOff + 11 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c111)).intoArray(c, cOff + 11 * ldc + LANES);
    }

    static void gemm12x2vAddPackedA(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        FloatVector c80 = FloatVector.zero(SPECIES), c81 = FloatVector.zero(SPECIES);
        FloatVector c90 = FloatVector.zero(SPECIES), c91 = FloatVector.zero(SPECIES);
        FloatVector c100 = FloatVector.zero(SPECIES), c101 = FloatVector.zero(SPECIES);
        FloatVector c110 = FloatVector.zero(SPECIES), c111 = FloatVector.zero(SPECIES);
        for (int ap = aOff, bp = bOff, aEnd = aOff + kc; ap < aEnd; ap++, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap + KC]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap + 2 * KC]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap + 3 * KC]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ap + 4 * KC]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ap + 5 * KC]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[ap + 6 * KC]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[ap + 7 * KC]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            av = FloatVector.broadcast(SPECIES, a[ap + 8 * KC]);
            c80 = av.fma(b0, c80);
            c81 = av.fma(b1, c81);
            av = FloatVector.broadcast(SPECIES, a[ap + 9 * KC]);
            c90 = av.fma(b0, c90);
            c91 = av.fma(b1, c91);
            av = FloatVector.broadcast(SPECIES, a[ap + 10 * KC]);
            c100 = av.fma(b0, c100);
            c101 = av.fma(b1, c101);
            av = FloatVector.broadcast(SPECIES, a[ap + 11 * KC]);
            c110 = av.fma(b0, c110);
            c111 = av.fma(b1, c111);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00.add(FloatVector.fromArray(SPECIES, c, cOff)))).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01.add(FloatVector.fromArray(SPECIES, c, cOff + LANES))))
                .intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc))))
                .intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + LANES))))
                .intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc))))
                .intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES))))
                .intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc))))
                .intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES))))
                .intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc))))
                .intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + LANES))))
                .intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc))))
                .intoArray(c, cOff + 5 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c51.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + LANES))))
                .intoArray(c, cOff + 5 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c60.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc))))
                .intoArray(c, cOff + 6 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c61.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc + LANES))))
                .intoArray(c, cOff + 6 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c70.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc))))
                .intoArray(c, cOff + 7 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c71.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc + LANES))))
                .intoArray(c, cOff + 7 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c80.add(FloatVector.fromArray(SPECIES, c, cOff + 8 * ldc))))
                .intoArray(c, cOff + 8 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c81.add(FloatVector.fromArray(SPECIES, c, cOff + 8 * ldc + LANES))))
                .intoArray(c, cOff + 8 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c90.add(FloatVector.fromArray(SPECIES, c, cOff + 9 * ldc))))
                .intoArray(c, cOff + 9 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c91.add(FloatVector.fromArray(SPECIES, c, cOff + 9 * ldc + LANES))))
                .intoArray(c, cOff + 9 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c100.add(FloatVector.fromArray(SPECIES, c, cOff + 10 * ldc))))
                .intoArray(c, cOff + 10 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c101.add(FloatVector.fromArray(SPECIES, c, cOff + 10 * ldc + LANES))))
                .intoArray(c, cOff + 10 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c110.add(FloatVector.fromArray(SPECIES, c, cOff + 11 * ldc))))
                .intoArray(c, cOff + 11 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c111.add(FloatVector.fromArray(SPECIES, c, cOff + 11 * ldc + LANES))))
                .intoArray(c, cOff + 11 * ldc + LANES);
    }

    static void gemm6x2vTile(int kc, float[] a, int aOff, int as, int last, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + Math.min(1, last) * as, a2 = aOff + Math.min(2, last) * as,
                a3 = aOff + Math.min(3, last) * as, a4 = aOff + Math.min(4, last) * as,
                a5 = aOff + Math.min(5, last) * as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(tile, LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(tile, NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(tile, 2 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(tile, 3 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(tile, 4 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(tile, 4 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50)).intoArray(tile, 5 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c51)).intoArray(tile, 5 * NR + LANES);
    }

    /** One tile: picks the write-back variant (see {@link #gemm6x2vSet}). */
    static void gemm6x2v(int kc, float[] a, int aOff, int as, float[] b, int bOff,
                         float[] c, int cOff, int ldc, int mr, int nr, boolean first, float beta,
                         float[] tile) {
        if (mr == MR && nr == NR) {
            if (first && beta == 0f) {
                gemm6x2vSet(kc, a, aOff, as, b, bOff, c, cOff, ldc);
                return;
            }
            if (!first || beta == 1f) {
                gemm6x2vAdd(kc, a, aOff, as, b, bOff, c, cOff, ldc);
                return;
            }
        }
        if (nr <= LANES) {
            gemm6x1vTile(kc, a, aOff, as, mr - 1, b, bOff, tile);
        } else {
            gemm6x2vTile(kc, a, aOff, as, mr - 1, b, bOff, tile);
        }
        writeBack(tile, c, cOff, ldc, mr, nr, first, beta);
    }

    static void gemm5x2vSet(int kc, float[] a, int aOff, int as, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as, a3 = aOff + 3 * as, a4 = aOff + 4 * as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
    }

    static void gemm5x2vSetB(int kc, float[] a, int aOff, int as,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as, a3 = aOff + 3 * as, a4 = aOff + 4 * as;
        // Offsets carried from step to step, not p · stride (see gemm4x2vSetT).
        for (int p = 0, bp = bOff; p < kc; p++, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
    }

    static void gemm5x2vAdd(int kc, float[] a, int aOff, int as, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as, a3 = aOff + 3 * as, a4 = aOff + 4 * as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00.add(FloatVector.fromArray(SPECIES, c, cOff)))).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01.add(FloatVector.fromArray(SPECIES, c, cOff + LANES))))
                .intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc))))
                .intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + LANES))))
                .intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc))))
                .intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES))))
                .intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc))))
                .intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES))))
                .intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc))))
                .intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + LANES))))
                .intoArray(c, cOff + 4 * ldc + LANES);
    }

    static void gemm5x2vTile(int kc, float[] a, int aOff, int as, int last, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + Math.min(1, last) * as, a2 = aOff + Math.min(2, last) * as,
                a3 = aOff + Math.min(3, last) * as, a4 = aOff + Math.min(4, last) * as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(tile, LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(tile, NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(tile, 2 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(tile, 3 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(tile, 4 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(tile, 4 * NR + LANES);
    }

    /**
     * {@link #gemm6x2v} with 5-row strips (see {@link VectorConstants#MR5}): 10 accumulators, the
     * same per-element operations, hence the same bits.
     */
    static void gemm5x2v(int kc, float[] a, int aOff, int as, float[] b, int bOff,
                         float[] c, int cOff, int ldc, int mr, int nr, boolean first, float beta,
                         float[] tile) {
        if (mr == MR5 && nr == NR) {
            if (first && beta == 0f) {
                gemm5x2vSet(kc, a, aOff, as, b, bOff, c, cOff, ldc);
                return;
            }
            if (!first || beta == 1f) {
                gemm5x2vAdd(kc, a, aOff, as, b, bOff, c, cOff, ldc);
                return;
            }
        }
        if (nr <= LANES) {
            gemm5x1vTile(kc, a, aOff, as, mr - 1, b, bOff, tile);
        } else {
            gemm5x2vTile(kc, a, aOff, as, mr - 1, b, bOff, tile);
        }
        writeBack(tile, c, cOff, ldc, mr, nr, first, beta);
    }

    /**
     * The last strip of a matrix whose N leaves at most one vector of columns and that
     * {@link #columnEdge} does not take (more than {@link VectorConstants#EDGE_MAX_COLS} columns, or
     * a short K with A untransposed): half the FMAs of {@link #gemm6x2vTile}, with the same
     * per-element sequence, so the bits are those of the two-vector kernel.
     */
    static void gemm6x1vTile(int kc, float[] a, int aOff, int as, int last, float[] b, int bOff, float[] tile) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES), c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES), c5 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + Math.min(1, last) * as, a2 = aOff + Math.min(2, last) * as,
                a3 = aOff + Math.min(3, last) * as, a4 = aOff + Math.min(4, last) * as,
                a5 = aOff + Math.min(5, last) * as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            c0 = FloatVector.broadcast(SPECIES, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[a4 + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[a5 + p]).fma(b0, c5);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c0)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c1)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c2)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c3)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c4)).intoArray(tile, 4 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c5)).intoArray(tile, 5 * NR);
    }

    static void gemm5x1vTile(int kc, float[] a, int aOff, int as, int last, float[] b, int bOff, float[] tile) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES), c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + Math.min(1, last) * as, a2 = aOff + Math.min(2, last) * as,
                a3 = aOff + Math.min(3, last) * as, a4 = aOff + Math.min(4, last) * as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            c0 = FloatVector.broadcast(SPECIES, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[a4 + p]).fma(b0, c4);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c0)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c1)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c2)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c3)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c4)).intoArray(tile, 4 * NR);
    }

    /**
     * The kernels above for a transposed A read in place (op(A)[i][p] at aOff + p·lda + i: six
     * consecutive floats per k step, one bounds check for all six) with B in place (SetT) or packed
     * (TileT, full rows only). Same per-element operations, same bits. The affine layer's weight
     * gradient xᵀ·dout (M = 4320, K = 100) spent as long transposing x as multiplying.
     */
    static void gemm6x2vSetT(int kc, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        // Offsets carried from step to step, not p · stride (see gemm4x2vSetT).
        for (int p = 0, bp = bOff, ap = aOff; p < kc; p++, bp += ldb, ap += lda) {
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
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50)).intoArray(c, cOff + 5 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c51)).intoArray(c, cOff + 5 * ldc + LANES);
    }

    static void gemm5x2vSetT(int kc, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        // Offsets carried from step to step, not p · stride (see gemm4x2vSetT).
        for (int p = 0, bp = bOff, ap = aOff; p < kc; p++, bp += ldb, ap += lda) {
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
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
    }

    static void gemm6x2vTileT(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR, ap = aOff + p * lda;
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
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(tile, LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(tile, NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(tile, 2 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(tile, 3 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(tile, 4 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(tile, 4 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50)).intoArray(tile, 5 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c51)).intoArray(tile, 5 * NR + LANES);
    }

    static void gemm6x1vTileT(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] tile) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES), c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES), c5 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR, ap = aOff + p * lda;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            c0 = FloatVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[ap + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[ap + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[ap + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[ap + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[ap + 5]).fma(b0, c5);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c0)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c1)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c2)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c3)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c4)).intoArray(tile, 4 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c5)).intoArray(tile, 5 * NR);
    }

    static void gemm5x1vTileT(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] tile) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = FloatVector.zero(SPECIES), c3 = FloatVector.zero(SPECIES);
        FloatVector c4 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR, ap = aOff + p * lda;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            c0 = FloatVector.broadcast(SPECIES, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[ap + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[ap + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[ap + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[ap + 4]).fma(b0, c4);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c0)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c1)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c2)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c3)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c4)).intoArray(tile, 4 * NR);
    }

    static void gemm5x2vTileT(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR, ap = aOff + p * lda;
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
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(tile, LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(tile, NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(tile, 2 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(tile, 3 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(tile, 4 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(tile, 4 * NR + LANES);
    }

    /**
     * Three-vector-wide (6x48 at 512 bits) full tiles with B read in place, for the small-K
     * products (the convolution's W·col and Wᵀ·dout, K = 25 or 30): 18 accumulators, 3 B loads and
     * 6 broadcasts per 18 fma instead of 2 + 6 per 12, and a third fewer calls, each of which is
     * only K = 25 steps long. Same per-element chain as the two-vector kernels: same bits.
     */
    static void gemm6x3vSetB(int kc, float[] a, int aOff, int as,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES), c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES), c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES), c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES), c32 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES), c42 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES), c52 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = a0 + as, a2 = a1 + as, a3 = a2 + as, a4 = a3 + as, a5 = a4 + as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(SPECIES, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c02)).intoArray(c, cOff + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c12)).intoArray(c, cOff + ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c22)).intoArray(c, cOff + 2 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c32)).intoArray(c, cOff + 3 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c42)).intoArray(c, cOff + 4 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50)).intoArray(c, cOff + 5 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c51)).intoArray(c, cOff + 5 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c52)).intoArray(c, cOff + 5 * ldc + 2 * LANES);
    }

    /**
     * Four-vector-wide (5x64 at 512 bits) full tiles with B read in place, where 5 divides M (the
     * convolution's W·col, M = 30; gemm5x4vSetT runs Wᵀ·dout, M = 25): 20 accumulators + 4 B
     * vectors + 1 broadcast = 25 vector registers, 4 B loads and 5 broadcasts per 20 fma, and 576
     * columns in 9 tiles with no edge. See {@link VectorConstants#NR4} for what it gained over
     * 6 × 3 and 5 × 3. Same per-element chain as the other tiles: same bits.
     */
    static void gemm5x4vSetB(int kc, float[] a, int aOff, int as,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES), c03 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES), c13 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES), c23 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES), c33 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c42 = FloatVector.zero(SPECIES), c43 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = a0 + as, a2 = a1 + as, a3 = a2 + as, a4 = a3 + as;
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(SPECIES, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            c43 = av.fma(b3, c43);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c02)).intoArray(c, cOff + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c03)).intoArray(c, cOff + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c12)).intoArray(c, cOff + ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c13)).intoArray(c, cOff + ldc + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c22)).intoArray(c, cOff + 2 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c23)).intoArray(c, cOff + 2 * ldc + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c32)).intoArray(c, cOff + 3 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c33)).intoArray(c, cOff + 3 * ldc + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c42)).intoArray(c, cOff + 4 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c43)).intoArray(c, cOff + 4 * ldc + 3 * LANES);
    }

    static void gemm6x3vSetT(int kc, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES), c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES), c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES), c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES), c32 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES), c42 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES), c52 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * ldb, ap = aOff + p * lda;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(SPECIES, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c02)).intoArray(c, cOff + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c12)).intoArray(c, cOff + ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c22)).intoArray(c, cOff + 2 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c32)).intoArray(c, cOff + 3 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c42)).intoArray(c, cOff + 4 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c50)).intoArray(c, cOff + 5 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c51)).intoArray(c, cOff + 5 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c52)).intoArray(c, cOff + 5 * ldc + 2 * LANES);
    }

    /** {@link #gemm5x4vSetB} for a transposed A read in place: op(A)'s 5 rows lie together in A's row p. */
    static void gemm5x4vSetT(int kc, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES), c03 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES), c13 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES), c23 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES), c33 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c42 = FloatVector.zero(SPECIES), c43 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * ldb, ap = aOff + p * lda;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bp + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bp + 3 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(SPECIES, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(SPECIES, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(SPECIES, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(SPECIES, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            c43 = av.fma(b3, c43);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c02)).intoArray(c, cOff + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c03)).intoArray(c, cOff + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c12)).intoArray(c, cOff + ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c13)).intoArray(c, cOff + ldc + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c22)).intoArray(c, cOff + 2 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c23)).intoArray(c, cOff + 2 * ldc + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c32)).intoArray(c, cOff + 3 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c33)).intoArray(c, cOff + 3 * ldc + 3 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c40)).intoArray(c, cOff + 4 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c41)).intoArray(c, cOff + 4 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c42)).intoArray(c, cOff + 4 * ldc + 2 * LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c43)).intoArray(c, cOff + 4 * ldc + 3 * LANES);
    }

    /** C[0:mr, 0:nr] (+)= tile: C = acc + β·C in the first K block (C unread when β = 0), else acc + C. */
    private static void writeBack(float[] tile, float[] c, int cOff, int ldc, int mr, int nr,
                                  boolean first, float beta) {
        if (nr == NR) {
            // The vectors stay in this method: handed to a helper that C2 on JDK 17 did not inline
            // (a partial tile is a cold path when the product is compiled), each was boxed: 192
            // bytes per row, 226 KB per call of NN 64×3136×576 (2369 → 1569 µs).
            for (int r = 0; r < mr; r++) {
                int ti = r * NR, ci = cOff + r * ldc;
                for (int h = 0; h < NR; h += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, tile, ti + h);
                    if (!first) {
                        ((FloatVector) FLOAT_VECTOR.cast(v.add(FloatVector.fromArray(SPECIES, c, ci + h))))
                                .intoArray(c, ci + h);
                    } else if (beta == 0f) {
                        ((FloatVector) FLOAT_VECTOR.cast(v)).intoArray(c, ci + h);
                    } else {
                        ((FloatVector) FLOAT_VECTOR.cast(v.add(FloatVector.fromArray(SPECIES, c, ci + h).mul(beta))))
                                .intoArray(c, ci + h);
                    }
                }
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

    // ---- 4-row kernels for 16 vector registers (AVX2) ----------------------------------------

    /**
     * Reads the first and last float of each of a 4-row tile's C rows before its k loop, so their
     * cache lines (and pages) are on the way while the FMAs run: Java has no prefetch instruction.
     * Without it the tile's C is read (Add) or written (Set) only after the loop, and the square
     * products slowed as C outgrew L2 (its rows lie ldc apart, in as many pages). Alternating calls in
     * one JVM (median of the paired ratios, Zen 3, JDK 17 and 25): 1024³ 1.15–1.16×, 2048³
     * 1.18–1.20×, 512³ 1.02–1.07× (C 1 MiB). Touching the next tile's rows instead gained less
     * (1.07–1.12×). The 6-row kernels (32 registers) were not changed: no AVX-512 machine to
     * measure them on. The XOR of the bits is compared with {@link #TOUCH_NEVER}, so the loads
     * cannot be dropped.
     */
    private static void touchRows4(float[] c, int cOff, int ldc) {
        int bits = 0;
        for (int r = 0, row = cOff; r < MR4; r++, row += ldc) {
            bits ^= Float.floatToRawIntBits(c[row]) ^ Float.floatToRawIntBits(c[row + NR - 1]);
        }
        if (bits == TOUCH_NEVER) {
            touchSink++;
        }
    }

    private static final int TOUCH_NEVER = 0x7FC0_5EED;
    /** Written when the XOR of {@link #touchRows4} happens to hit {@link #TOUCH_NEVER}; never read. */
    @SuppressWarnings("unused")
    private static int touchSink;

    /**
     * The kernels above with 4 rows, for CPUs with 16 vector registers (AVX2; see
     * {@link VectorConstants#MR4} and {@link #stripRows} for when). C2 loads all of a k step's
     * broadcasts and B vectors before its FMAs, so a tile needs rows + vectors + accumulators
     * registers: 6 × 2 needs 20 and kept 5 accumulators on the stack (a load, an FMA and a store
     * per k step each: 38 GFLOP/s in L1 on a Zen 3 core whose peak is 101), 4 × 2 needs 14 (71
     * GFLOP/s). Two k steps per iteration (an odd kc takes its first step alone, before the loop)
     * gave 78–87. Same per-element operations in the same order as the 6-row kernels, so the
     * same bits.
     */
    static void gemm4x2vSet(int kc, float[] a, int aOff, int as, float[] b, int bOff, float[] c, int cOff, int ldc) {
        touchRows4(c, cOff, ldc);
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as, a3 = aOff + 3 * as;
        int p = kc & 1;
        if (p != 0) {
            int bp0 = bOff;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        for (; p < kc; p += 2) {
            int bp0 = bOff + p * NR, bp1 = bp0 + NR;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            b0 = FloatVector.fromArray(SPECIES, b, bp1);
            b1 = FloatVector.fromArray(SPECIES, b, bp1 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0 + p + 1]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p + 1]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p + 1]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
    }

    static void gemm4x2vAdd(int kc, float[] a, int aOff, int as, float[] b, int bOff, float[] c, int cOff, int ldc) {
        touchRows4(c, cOff, ldc);
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as, a3 = aOff + 3 * as;
        int p = kc & 1;
        if (p != 0) {
            int bp0 = bOff;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        for (; p < kc; p += 2) {
            int bp0 = bOff + p * NR, bp1 = bp0 + NR;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            b0 = FloatVector.fromArray(SPECIES, b, bp1);
            b1 = FloatVector.fromArray(SPECIES, b, bp1 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0 + p + 1]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p + 1]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p + 1]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00.add(FloatVector.fromArray(SPECIES, c, cOff))))
                .intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01.add(FloatVector.fromArray(SPECIES, c, cOff + LANES))))
                .intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc))))
                .intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + LANES))))
                .intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc))))
                .intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES))))
                .intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc))))
                .intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES))))
                .intoArray(c, cOff + 3 * ldc + LANES);
    }

    static void gemm4x2vTile(int kc, float[] a, int aOff, int as, int last, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + Math.min(1, last) * as, a2 = aOff + Math.min(2, last) * as, a3 = aOff + Math.min(3, last) * as;
        int p = kc & 1;
        if (p != 0) {
            int bp0 = bOff;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        for (; p < kc; p += 2) {
            int bp0 = bOff + p * NR, bp1 = bp0 + NR;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            b0 = FloatVector.fromArray(SPECIES, b, bp1);
            b1 = FloatVector.fromArray(SPECIES, b, bp1 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0 + p + 1]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p + 1]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p + 1]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(tile, LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(tile, NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(tile, 2 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(tile, 3 * NR + LANES);
    }

    static void gemm4x1vTile(int kc, float[] a, int aOff, int as, int last, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + Math.min(1, last) * as, a2 = aOff + Math.min(2, last) * as, a3 = aOff + Math.min(3, last) * as;
        int p = kc & 1;
        if (p != 0) {
            int bp0 = bOff;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            c00 = FloatVector.broadcast(SPECIES, a[a0]).fma(b0, c00);
            c10 = FloatVector.broadcast(SPECIES, a[a1]).fma(b0, c10);
            c20 = FloatVector.broadcast(SPECIES, a[a2]).fma(b0, c20);
            c30 = FloatVector.broadcast(SPECIES, a[a3]).fma(b0, c30);
        }
        for (; p < kc; p += 2) {
            int bp0 = bOff + p * NR, bp1 = bp0 + NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            c00 = FloatVector.broadcast(SPECIES, a[a0 + p]).fma(b0, c00);
            c10 = FloatVector.broadcast(SPECIES, a[a1 + p]).fma(b0, c10);
            c20 = FloatVector.broadcast(SPECIES, a[a2 + p]).fma(b0, c20);
            c30 = FloatVector.broadcast(SPECIES, a[a3 + p]).fma(b0, c30);
            b0 = FloatVector.fromArray(SPECIES, b, bp1);
            c00 = FloatVector.broadcast(SPECIES, a[a0 + p + 1]).fma(b0, c00);
            c10 = FloatVector.broadcast(SPECIES, a[a1 + p + 1]).fma(b0, c10);
            c20 = FloatVector.broadcast(SPECIES, a[a2 + p + 1]).fma(b0, c20);
            c30 = FloatVector.broadcast(SPECIES, a[a3 + p + 1]).fma(b0, c30);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 3 * NR);
    }

    static void gemm4x2vSetB(int kc, float[] a, int aOff, int as,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        int a0 = aOff, a1 = aOff + 1 * as, a2 = aOff + 2 * as, a3 = aOff + 3 * as;
        int p = kc & 1;
        if (p != 0) {
            int bp0 = bOff;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        // Offsets carried from step to step, not p · stride (see gemm4x2vSetT).
        for (int bp0 = bOff + p * ldb; p < kc; p += 2, bp0 += 2 * ldb) {
            int bp1 = bp0 + ldb;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            b0 = FloatVector.fromArray(SPECIES, b, bp1);
            b1 = FloatVector.fromArray(SPECIES, b, bp1 + LANES);
            av = FloatVector.broadcast(SPECIES, a[a0 + p + 1]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[a1 + p + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[a2 + p + 1]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[a3 + p + 1]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
    }

    static void gemm4x2vSetT(int kc, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        int p = kc & 1;
        if (p != 0) {
            int bp0 = bOff;
            int ap0 = aOff;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[ap0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        // Row offsets carried from step to step: from p·lda and p·ldb, C2 multiplied both per
        // step with the strides reloaded from the stack. Calls alternated in random order in one
        // JVM, Zen 3, JDK 17 / 25: the affine weight gradient (TN 4320 × 100 × 100) 1.05× / 1.10×;
        // the same change in the 6- and 5-row in-place kernels: NN 30 × 576 × 25 (gemm6x2vSetB)
        // 1.04× / 1.03×, NN 25 × 576 × 30 (gemm5x2vSetB) 1.05× / 1.07×, TN 25 × 576 × 30
        // (gemm5x2vSetT) 1.11× / 1.19×, TN 30 × 576 × 25 (gemm6x2vSetT) 1.06× / 1.05×; with
        // K ≥ 64 in place (gemm4x2vSetB) NN 32 × 729 × 144 1.06× / 1.06×, NN 64 × 3136 × 72
        // 1.09× / 1.02×.
        for (int ap0 = aOff + p * lda, bp0 = bOff + p * ldb; p < kc; p += 2, ap0 += 2 * lda, bp0 += 2 * ldb) {
            int bp1 = bp0 + ldb;
            int ap1 = ap0 + lda;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[ap0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            b0 = FloatVector.fromArray(SPECIES, b, bp1);
            b1 = FloatVector.fromArray(SPECIES, b, bp1 + LANES);
            av = FloatVector.broadcast(SPECIES, a[ap1]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap1 + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap1 + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap1 + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, cOff);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(c, cOff + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(c, cOff + ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(c, cOff + ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(c, cOff + 2 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(c, cOff + 2 * ldc + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(c, cOff + 3 * ldc);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(c, cOff + 3 * ldc + LANES);
    }

    static void gemm4x2vTileT(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        int p = kc & 1;
        if (p != 0) {
            int bp0 = bOff;
            int ap0 = aOff;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[ap0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        for (; p < kc; p += 2) {
            int bp0 = bOff + p * NR, bp1 = bp0 + NR;
            int ap0 = aOff + p * lda, ap1 = ap0 + lda;
            FloatVector av;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp0 + LANES);
            av = FloatVector.broadcast(SPECIES, a[ap0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap0 + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            b0 = FloatVector.fromArray(SPECIES, b, bp1);
            b1 = FloatVector.fromArray(SPECIES, b, bp1 + LANES);
            av = FloatVector.broadcast(SPECIES, a[ap1]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ap1 + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ap1 + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ap1 + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c01)).intoArray(tile, LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c11)).intoArray(tile, NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c21)).intoArray(tile, 2 * NR + LANES);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 3 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c31)).intoArray(tile, 3 * NR + LANES);
    }

    static void gemm4x1vTileT(int kc, float[] a, int aOff, int lda, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        int p = kc & 1;
        if (p != 0) {
            int bp0 = bOff;
            int ap0 = aOff;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            c00 = FloatVector.broadcast(SPECIES, a[ap0]).fma(b0, c00);
            c10 = FloatVector.broadcast(SPECIES, a[ap0 + 1]).fma(b0, c10);
            c20 = FloatVector.broadcast(SPECIES, a[ap0 + 2]).fma(b0, c20);
            c30 = FloatVector.broadcast(SPECIES, a[ap0 + 3]).fma(b0, c30);
        }
        for (; p < kc; p += 2) {
            int bp0 = bOff + p * NR, bp1 = bp0 + NR;
            int ap0 = aOff + p * lda, ap1 = ap0 + lda;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp0);
            c00 = FloatVector.broadcast(SPECIES, a[ap0]).fma(b0, c00);
            c10 = FloatVector.broadcast(SPECIES, a[ap0 + 1]).fma(b0, c10);
            c20 = FloatVector.broadcast(SPECIES, a[ap0 + 2]).fma(b0, c20);
            c30 = FloatVector.broadcast(SPECIES, a[ap0 + 3]).fma(b0, c30);
            b0 = FloatVector.fromArray(SPECIES, b, bp1);
            c00 = FloatVector.broadcast(SPECIES, a[ap1]).fma(b0, c00);
            c10 = FloatVector.broadcast(SPECIES, a[ap1 + 1]).fma(b0, c10);
            c20 = FloatVector.broadcast(SPECIES, a[ap1 + 2]).fma(b0, c20);
            c30 = FloatVector.broadcast(SPECIES, a[ap1 + 3]).fma(b0, c30);
        }
        ((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(tile, 0);
        ((FloatVector) FLOAT_VECTOR.cast(c10)).intoArray(tile, NR);
        ((FloatVector) FLOAT_VECTOR.cast(c20)).intoArray(tile, 2 * NR);
        ((FloatVector) FLOAT_VECTOR.cast(c30)).intoArray(tile, 3 * NR);
    }

    /** One 4-row tile: picks the write-back variant (see {@link #gemm6x2v}). */
    static void gemm4x2v(int kc, float[] a, int aOff, int as, float[] b, int bOff,
                         float[] c, int cOff, int ldc, int mr, int nr, boolean first, float beta,
                         float[] tile) {
        if (mr == MR4 && nr == NR) {
            if (first && beta == 0f) {
                gemm4x2vSet(kc, a, aOff, as, b, bOff, c, cOff, ldc);
                return;
            }
            if (!first || beta == 1f) {
                gemm4x2vAdd(kc, a, aOff, as, b, bOff, c, cOff, ldc);
                return;
            }
        }
        if (nr <= LANES) {
            gemm4x1vTile(kc, a, aOff, as, mr - 1, b, bOff, tile);
        } else {
            gemm4x2vTile(kc, a, aOff, as, mr - 1, b, bOff, tile);
        }
        writeBack(tile, c, cOff, ldc, mr, nr, first, beta);
    }
}
