package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.FLOAT_VECTOR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SPECIES;

import io.github.vectorcnn.kernels.KernelChecks;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;
import io.github.vectorcnn.kernels.ScalarKernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

/**
 * The Vector API kernels. Each loop is a vector body up to {@code SPECIES.loopBound(n)} and a scalar
 * tail. im2col, col2im and pooling give the same bits as {@link ScalarKernels} (they only move
 * values, or add them in the same order); SGEMM and the row sums reassociate, within the bounds the
 * tests state.
 *
 * <p>Obtained through {@link io.github.vectorcnn.kernels.KernelProvider}, which calls
 * {@link #create()} reflectively so no other package links against the incubator module.
 */
public final class VectorKernels implements Kernels {
    private static final Kernels SCALAR = ScalarKernels.INSTANCE;
    /** Chunk (64 KiB) of an elementwise kernel split across threads. */
    private static final int ELEMENTWISE_CHUNK = 1 << 14;
    /**
     * Elementwise kernels split across threads from this many elements (4 MiB). They are
     * memory-bound: on SimpleConvNet's pooled relu (432,000 values) two threads took 0.059 ms
     * forward and 0.137 ms backward against one thread's 0.044 and 0.090; on 1,728,000 values
     * two threads were faster backward (0.57 against 0.80 ms).
     */
    private static final int ELEMENTWISE_PARALLEL_MIN = 1 << 20;
    /** l in lane l: compared with a count, the mask of the first lanes. */
    private static final FloatVector LANE_INDEX = FloatVector.zero(SPECIES).addIndex(1);
    private static final ThreadLocal<float[]> LANES_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

    private VectorKernels() {
    }

    /**
     * The vector kernels, or an exception saying why they would be slow or cannot run here: the
     * Vector API is only fast when C2 compiles it (not under -Xint, TieredStopAtLevel below 4, or a
     * JVMCI compiler) to FMA instructions ({@link JitCheck#NO_FMA}), and a preferred species below
     * 128 bits means no SIMD worth using.
     */
    public static VectorKernels create() {
        String problem = JitCheck.whyNot();
        if (problem != null) {
            throw new UnsupportedOperationException(problem);
        }
        if (SPECIES.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("preferred vector size is "
                    + SPECIES.vectorBitSize() + " bits; at least 128 needed");
        }
        return new VectorKernels();
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    // ---- im2col / col2im -------------------------------------------------------------------
    // x: [C, H, W]; col: [C·FH·FW, OH·OW]. Each (c, fy, fx, oy) is one row segment of col: the
    // positions ox whose input column ix = ox·S − P + fx lies inside the image form one range
    // [lo, hi); outside it the column is padding. With stride 1 the range is a contiguous copy;
    // im2col with a larger stride gathers over whole planes (VectorIm2colGather) once a plane
    // holds a vector, where gathers compile (VectorConstants.GATHERS).

    @Override
    public void im2col(WindowGeometry g, float[] x, int xOff, float[] col, int colOff) {
        KernelChecks.im2col("im2col", g, "x", x, xOff, col, colOff);
        Im2colPath path = im2colPath(g);
        if (path == Im2colPath.GATHER) {
            VectorIm2colGather.im2col(g, x, xOff, col, colOff);
        } else if (path == Im2colPath.WHOLE_VECTOR_ROWS) {
            if (!ShapedKernels.im2col(g, x, xOff, col, colOff)) {
                im2colWholeVectorRows(g, x, xOff, col, colOff);
            }
        } else {
            im2colBlocks(g, x, xOff, col, colOff);
        }
    }

    /**
     * The loops im2col can run. Every one gives the scalar kernel's bits, so the differential
     * tests cannot tell which ran; VectorKernelsTest holds the choice to the geometries each is
     * for, so that a slip here shows as a failure and not only as a slower layer.
     */
    enum Im2colPath {
        /**
         * Stride > 1, a vector of outputs per plane, a padded plane the thread can keep a copy
         * of, and gathers that compile ({@link VectorIm2colGather#applies}): {@link VectorIm2colGather}.
         */
        GATHER,
        /** Stride 1, OW a multiple of LANES: the geometry's {@link ShapedIm2col} copy, else {@link #im2colWholeVectorRows}. */
        WHOLE_VECTOR_ROWS,
        /** Everything else, one (c, fy, fx) block at a time: {@link #im2colBlocks}. */
        BLOCKS
    }

    static Im2colPath im2colPath(WindowGeometry g) {
        if (VectorIm2colGather.applies(g)) {
            return Im2colPath.GATHER;
        }
        return g.stride() == 1 && g.outW() % LANES == 0 ? Im2colPath.WHOLE_VECTOR_ROWS : Im2colPath.BLOCKS;
    }

    /**
     * Stride 1, rows of whole vectors (OW a multiple of LANES), for geometries without a
     * {@link ShapedIm2col} copy (beyond {@link VectorConstants#MAX_SHAPES_PER_KERNEL}, or with
     * {@code -Dvectorcnn.shaped=false}): the copy's loop with the sizes as parameters, stepping the row
     * offsets rather than multiplying them (with the row width W known only at run time C2 keeps
     * the bounds checks either way). Change the two together. Each (c, fy, fx) block whose columns
     * all lie inside the image is copied row by row; the others (columns in the padding) go to
     * {@link #im2colBlock}. {@link #im2colBlocks}, whose blocks take the blended {@link #copyRows},
     * is slower on these geometries: SimpleConvNet's im2col (100 images of 1 × 28 × 28, 5 × 5, one
     * call per image) ran at 0.56× [0.66× on JDK 25] this loop's speed on Zen 3, the two alternated
     * in one JVM through two class loaders.
     */
    static void im2colWholeVectorRows(WindowGeometry g, float[] x, int xOff, float[] col, int colOff) {
        assert g.stride() == 1 && g.outW() % LANES == 0 : g;
        final int h = g.height(), w = g.width(), p = g.pad(), oh = g.outH(), ow = g.outW();
        int row = colOff;
        for (int c = 0; c < g.channels(); c++) {
            for (int fy = 0; fy < g.windowH(); fy++) {
                // Output rows oyLo ≤ oy < oyHi read input rows inside the image; the rest are zero.
                int oyLo = Math.min(oh, Math.max(0, p - fy)), oyHi = Math.max(oyLo, Math.min(oh, h + p - fy));
                for (int fx = 0; fx < g.windowW(); fx++, row += oh * ow) {
                    if (fx < p || fx - p + ow > w) {
                        im2colBlock(g, x, xOff, c, fy, fx, col, row);
                        continue;
                    }
                    if (oyLo > 0) {
                        Arrays.fill(col, row, row + oyLo * ow, 0f);
                    }
                    if (oyHi < oh) {
                        Arrays.fill(col, row + oyHi * ow, row + oh * ow, 0f);
                    }
                    int src = xOff + (c * h + oyLo - p + fy) * w + fx - p, dst = row + oyLo * ow;
                    for (int oy = oyLo; oy < oyHi; oy++, src += w, dst += ow) {
                        copyWholeVectorRow(ow, x, src, col, dst);
                    }
                }
            }
        }
    }

    /**
     * col[dst …] = x[src …] over one row of ow outputs, ow a multiple of LANES: four vectors per
     * loop step, then the last one to three as straight-line code, so a row of SimpleConvNet's
     * im2col (3 vectors at 8 lanes) has no loop at all. {@link ShapedIm2col}'s copies call it with
     * their constant OW and get their straight-line code only because C2 inlines it into them (it
     * is small, and the copies measured the same as with a private copy of it). With the geometry
     * as constants (Zen 3, variants alternated in one JVM, median of 50 passes, both JDKs) a loop
     * over each row's vectors took 230–330 µs per 100 images and this form 165–180, against 140–170
     * for storing the same bytes from an array that stays in L1.
     */
    static void copyWholeVectorRow(int ow, float[] x, int src, float[] col, int dst) {
        assert ow % LANES == 0 : ow;
        int j = 0;
        for (; j <= ow - 4 * LANES; j += 4 * LANES) {
            copyVector(x, src + j, col, dst + j);
            copyVector(x, src + j + LANES, col, dst + j + LANES);
            copyVector(x, src + j + 2 * LANES, col, dst + j + 2 * LANES);
            copyVector(x, src + j + 3 * LANES, col, dst + j + 3 * LANES);
        }
        if (j < ow) {
            copyVector(x, src + j, col, dst + j);
            if (j + LANES < ow) {
                copyVector(x, src + j + LANES, col, dst + j + LANES);
                if (j + 2 * LANES < ow) {
                    copyVector(x, src + j + 2 * LANES, col, dst + j + 2 * LANES);
                }
            }
        }
    }

    private static void copyVector(float[] x, int src, float[] col, int dst) {
        ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, x, src))).intoArray(col, dst);
    }

    /**
     * im2col one (c, fy, fx) block at a time: stride 1 with OW not a multiple of LANES, or a
     * larger stride without a gathering plan. Package-private for the tests, which hold every path
     * to the scalar one.
     */
    static void im2colBlocks(WindowGeometry g, float[] x, int xOff, float[] col, int colOff) {
        final int oh = g.outH(), ow = g.outW();
        int row = colOff;
        for (int c = 0; c < g.channels(); c++) {
            for (int fy = 0; fy < g.windowH(); fy++) {
                for (int fx = 0; fx < g.windowW(); fx++) {
                    im2colBlock(g, x, xOff, c, fy, fx, col, row);
                    row += oh * ow;
                }
            }
        }
    }

    /** One (c, fy, fx) block of col, col[row, row + OH·OW): any stride and padding. */
    static void im2colBlock(WindowGeometry g, float[] x, int xOff, int c, int fy, int fx,
                            float[] col, int row) {
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW();
        int lo = firstInside(fx - p, s), hi = endInside(fx - p, s, w, ow);
        if (s == 1 && ow == w && lo < hi) {
            copyPlaneShifted(g, x, xOff, c, fy, fx, lo, hi, col, row);
            return;
        }
        if (s == 1 && lo == 0 && hi == ow && ow >= LANES) {
            copyRows(g, x, xOff, c, fy, fx, col, row);
            return;
        }
        for (int oy = 0; oy < oh; oy++) {
            int iy = oy * s - p + fy;
            int dst = row + oy * ow;
            if (iy < 0 || iy >= h || lo >= hi) {
                Arrays.fill(col, dst, dst + ow, 0f);
                continue;
            }
            int src = xOff + (c * h + iy) * w + fx - p;
            if (lo > 0) {
                Arrays.fill(col, dst, dst + lo, 0f);
            }
            if (s == 1) {
                copy(hi - lo, x, src + lo, col, dst + lo);
            } else {
                for (int ox = lo; ox < hi; ox++) {
                    col[dst + ox] = x[src + ox * s];
                }
            }
            if (hi < ow) {
                Arrays.fill(col, dst + hi, dst + ow, 0f);
            }
        }
    }

    /**
     * One (c, fy, fx) block with stride 1 and OW = W ("same" padding: 3 × 3 pad 1, 5 × 5 pad 2)
     * that has a column inside the image (lo < hi): the block's rows inside the image are the
     * input plane's rows shifted by fx − P columns, so they are one contiguous range of the plane,
     * copied at once after the rows outside the image are zeroed. Cells in the padding columns (ox
     * < lo or ox ≥ hi, |fx − P| a row) that fall between the first and the last copied cell receive
     * the neighbouring input row's end or start, and are zeroed after. Row by row, each row paid a
     * fill and a short copy with its tail. On Zen 3, 32 images of 3 × 27 × 27, 3 × 3 pad 1: JMH
     * (Im2colBenchmark, the two builds run one after the other) 334 → 194 µs on JDK 17, 312 → 187
     * on JDK 25, 14 % → 23 % of System.arraycopy's bandwidth; the two builds alternated in one JVM
     * 1.94–2.01×, and 1.50–1.56× with 5 × 5 pad 2. 8 images of 64 × 56 × 56, 3 × 3 pad 1, whose
     * rows hold whole vectors (only the padded blocks come here): 0.97–1.03× in one JVM,
     * 1.01–1.05× in JMH.
     */
    private static void copyPlaneShifted(WindowGeometry g, float[] x, int xOff, int c, int fy, int fx, int lo,
                                         int hi, float[] col, int row) {
        final int h = g.height(), w = g.width(), p = g.pad(), oh = g.outH();
        int oyLo = Math.min(oh, Math.max(0, p - fy)), oyHi = Math.max(oyLo, Math.min(oh, h + p - fy));
        Arrays.fill(col, row, row + oyLo * w, 0f);
        Arrays.fill(col, row + oyHi * w, row + oh * w, 0f);
        if (oyLo == oyHi) {
            return;
        }
        // Output cell o of the block reads x[at + o]; the first and the last cell copied are
        // inside the image, so every cell read lies within the channel's plane.
        int at = xOff + (c * h + fy - p) * w + fx - p;
        int from = oyLo * w + lo, to = (oyHi - 1) * w + hi;
        System.arraycopy(x, at + from, col, row + from, to - from);
        for (int r = row + oyLo * w, end = row + oyHi * w; r < end; r += w) {
            for (int ox = 0; ox < lo; ox++) {
                col[r + ox] = 0f;
            }
            for (int ox = hi; ox < w; ox++) {
                col[r + ox] = 0f;
            }
        }
    }

    @Override
    public void col2im(WindowGeometry g, float[] col, int colOff, float[] dx, int dxOff) {
        KernelChecks.im2col("col2im", g, "dx", dx, dxOff, col, colOff);
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW();
        int row = colOff;
        for (int c = 0; c < g.channels(); c++) {
            for (int fy = 0; fy < g.windowH(); fy++) {
                for (int fx = 0; fx < g.windowW(); fx++) {
                    int lo = firstInside(fx - p, s), hi = endInside(fx - p, s, w, ow);
                    for (int oy = 0; oy < oh && lo < hi; oy++) {
                        int iy = oy * s - p + fy;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int src = row + oy * ow;
                        int dst = dxOff + (c * h + iy) * w + fx - p;
                        if (s == 1) {
                            addInto(hi - lo, col, src + lo, dx, dst + lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                dx[dst + ox * s] += col[src + ox];
                            }
                        }
                    }
                    row += oh * ow;
                }
            }
        }
    }

    /**
     * One (c, fy, fx) block of col for stride 1 when no column is padding and rows hold at least a
     * vector, when the rows do not hold whole vectors (SimpleConvNet's ow = 24 at 16 lanes) and
     * OW ≠ W (with OW = W, {@link #copyPlaneShifted} copies the block at once). Rows outside the image
     * are zero. The rows inside are contiguous in col, so the block is written as consecutive full
     * vectors, each loaded from one input row or blended from the end of one and the start of the
     * next: 1.5 stores per 24-float row instead of 2 (one vector plus an overlapping tail), none of
     * them overlapping, and no per-row range checks or fills. Measured on 100 images of 28×28, 5×5
     * (best of 200 passes, busy machine): JDK 17 26–27 GB/s against 20–21 per row segment, JDK 25
     * 33–39 against 18–19 (System.arraycopy of the same bytes: 36–52).
     */
    private static void copyRows(WindowGeometry g, float[] x, int xOff, int c, int fy, int fx,
                                 float[] col, int row) {
        final int h = g.height(), w = g.width(), p = g.pad(), oh = g.outH(), ow = g.outW();
        int oyLo = Math.min(oh, Math.max(0, p - fy)), oyHi = Math.max(oyLo, Math.min(oh, h + p - fy));
        Arrays.fill(col, row, row + oyLo * ow, 0f);
        Arrays.fill(col, row + oyHi * ow, row + oh * ow, 0f);
        int n = (oyHi - oyLo) * ow;
        int src = xOff + (c * h + oyLo - p + fy) * w + fx - p, dst = row + oyLo * ow;
        // Output vectors run over the block contiguously; one that crosses the end of a row takes
        // its first r lanes from this row and the rest from the start of the next one.
        // Each branch stores its own vector and the mask comes from a compare: with one vector
        // merged after the branches and SPECIES.indexInRange(0, r), some JDK 17 compilations
        // boxed (160 KB allocated per batch of 100 images, five times slower). The compare is
        // against a broadcast float: compare(LT, int) also checked, on JDK 17 in the loop, that
        // the int converts to float exactly (five instructions and a branch per crossing vector;
        // the book's im2col about a tenth faster without them).
        int ox = 0, bound = SPECIES.loopBound(n);
        for (int q = 0; q < bound; q += LANES) {
            int r = ow - ox;
            if (r < LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, src + w - r)
                        .blend(FloatVector.fromArray(SPECIES, x, src + ox),
                                LANE_INDEX.compare(VectorOperators.LT, FloatVector.broadcast(SPECIES, (float) r)));
                ((FloatVector) FLOAT_VECTOR.cast(v)).intoArray(col, dst + q);
                src += w;
                ox = LANES - r;
            } else {
                ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, x, src + ox))).intoArray(col, dst + q);
                if (r == LANES) {
                    src += w;
                    ox = 0;
                } else {
                    ox += LANES;
                }
            }
        }
        if (bound < n) {
            // The last partial vector as a scalar copy of the remaining positions.
            for (int q = bound; q < n; q++) {
                col[dst + q] = x[src + ox];
                if (++ox == ow) {
                    ox = 0;
                    src += w;
                }
            }
        }
    }

    /** The first ox ≥ 0 with ox·s + shift ≥ 0. */
    private static int firstInside(int shift, int s) {
        return shift >= 0 ? 0 : (-shift + s - 1) / s;
    }

    /** One past the last ox < ow with ox·s + shift ≤ w − 1 (0 if none). */
    private static int endInside(int shift, int s, int w, int ow) {
        int last = w - 1 - shift;
        return last < 0 ? 0 : Math.min(ow, last / s + 1);
    }

    /**
     * y[i] = x[i] for i in [0, n): im2col rows are short (24 floats in the book's network), where
     * a System.arraycopy call costs more than the copy.
     */
    private static void copy(int n, float[] x, int xOff, float[] y, int yOff) {
        if (n < LANES) {
            for (int i = 0; i < n; i++) {
                y[yOff + i] = x[xOff + i];
            }
            return;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, x, xOff + i))).intoArray(y, yOff + i);
        }
        if (i < n) {
            // The tail as one more vector ending at n, overlapping the body: a copy may write a
            // value twice, and this avoids a scalar loop of up to LANES − 1 elements per row.
            ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, x, xOff + n - LANES)))
                    .intoArray(y, yOff + n - LANES);
        }
    }

    /** y[i] += x[i] for i in [0, n). */
    private static void addInto(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector sum = FloatVector.fromArray(SPECIES, y, yOff + i)
                    .add(FloatVector.fromArray(SPECIES, x, xOff + i));
            ((FloatVector) FLOAT_VECTOR.cast(sum)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    // ---- GEMM ---------------------------------------------------------------------------------

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        VectorSgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    // ---- max pooling ----------------------------------------------------------------------------

    @Override
    public void maxPoolForward(WindowGeometry g, float[] x, int xOff, float[] out, int outOff,
                               int[] argmax, int argmaxOff) {
        KernelChecks.maxPoolForward(g, x, xOff, out, outOff, argmax, argmaxOff);
        g.requireInputInEveryWindow("maxPoolForward");
        VectorPooling.maxPoolForward(g, x, xOff, out, outOff, argmax, argmaxOff);
    }

    @Override
    public void maxPoolBackward(WindowGeometry g, float[] dout, int doutOff, int[] argmax,
                                int argmaxOff, float[] dx, int dxOff) {
        // A scatter-add; windows may overlap, so it stays scalar to keep the scalar order. A dense
        // vector version for 2x2 stride-2 windows (four masked copies of dout interleaved back
        // into input order and added to dx) ran at 0.71 ms against this loop's 0.46 ms on
        // SimpleConvNet's pool (JDK 17, batch 100, dx cleared per image): adding reads all of dx
        // again. The layer calls maxPoolBackwardSet, whose dense form only writes.
        SCALAR.maxPoolBackward(g, dout, doutOff, argmax, argmaxOff, dx, dxOff);
    }

    @Override
    public void maxPoolBackwardSet(WindowGeometry g, float[] dout, int doutOff, int[] argmax,
                                   int argmaxOff, float[] dx, int dxOff) {
        KernelChecks.maxPoolBackward("maxPoolBackwardSet", g, dout, doutOff, argmax, argmaxOff, dx, dxOff);
        if (!VectorPooling.maxPoolBackwardSet(g, dout, doutOff, argmax, argmaxOff, dx, dxOff)) {
            Kernels.super.maxPoolBackwardSet(g, dout, doutOff, argmax, argmaxOff, dx, dxOff); // zero, then scatter
        }
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void reluForward(int n, float[] x, int xOff, float[] out, int outOff) {
        KernelChecks.elementwise("reluForward", n, x, "x", xOff, out, "out", outOff);
        if (n >= ELEMENTWISE_PARALLEL_MIN) {
            // Elementwise: chunks are independent, so splitting them over threads keeps the bits.
            Parallel.forEach((n + ELEMENTWISE_CHUNK - 1) / ELEMENTWISE_CHUNK, (t, w) -> {
                int from = t * ELEMENTWISE_CHUNK, len = Math.min(ELEMENTWISE_CHUNK, n - from);
                reluForward(len, x, xOff + from, out, outOff + from);
            });
            return;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
            // blend, not max(v, 0): the scalar kernel maps NaN and −0 to 0, and so must this.
            ((FloatVector) FLOAT_VECTOR.cast(v.blend(0f, v.compare(VectorOperators.GT, 0f).not())))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v > 0f ? v : 0f;
        }
    }

    @Override
    public void reluBackward(int n, float[] x, int xOff, float[] dout, int doutOff, float[] dx,
                             int dxOff) {
        KernelChecks.elementwise("reluBackward", n, x, "x", xOff, dout, "dout", doutOff);
        KernelChecks.elementwise("reluBackward", n, dx, "dx", dxOff, dx, "dx", dxOff);
        if (n >= ELEMENTWISE_PARALLEL_MIN) {
            Parallel.forEach((n + ELEMENTWISE_CHUNK - 1) / ELEMENTWISE_CHUNK, (t, w) -> {
                int from = t * ELEMENTWISE_CHUNK, len = Math.min(ELEMENTWISE_CHUNK, n - from);
                reluBackward(len, x, xOff + from, dout, doutOff + from, dx, dxOff + from);
            });
            return;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, dout, doutOff + i);
            FloatVector y = FloatVector.fromArray(SPECIES, dx, dxOff + i);
            // Blend the sum in only where x > 0, so switched-off lanes keep their bits (adding +0
            // would turn −0 into +0). A masked add is not compiled to a masked instruction on
            // JDK 17 and ran several times slower.
            FloatVector passed = y.blend(y.add(d),
                    FloatVector.fromArray(SPECIES, x, xOff + i).compare(VectorOperators.GT, 0f));
            ((FloatVector) FLOAT_VECTOR.cast(passed)).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            if (x[xOff + i] > 0f) {
                dx[dxOff + i] += dout[doutOff + i];
            }
        }
    }

    @Override
    public void biasAddRows(int rows, int cols, float[] bias, int biasOff, float[] y, int yOff) {
        KernelChecks.bias("biasAddRows", rows, cols, "bias", bias, biasOff, rows, "y", y, yOff);
        for (int r = 0; r < rows; r++) {
            FloatVector bv = FloatVector.broadcast(SPECIES, bias[biasOff + r]);
            float b = bias[biasOff + r];
            int yr = yOff + r * cols, j = 0;
            for (int bound = SPECIES.loopBound(cols); j < bound; j += LANES) {
                ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, y, yr + j).add(bv)))
                        .intoArray(y, yr + j);
            }
            for (; j < cols; j++) {
                y[yr + j] += b;
            }
        }
    }

    @Override
    public void biasAddCols(int rows, int cols, float[] bias, int biasOff, float[] y, int yOff) {
        KernelChecks.bias("biasAddCols", rows, cols, "bias", bias, biasOff, cols, "y", y, yOff);
        for (int r = 0; r < rows; r++) {
            addInto(cols, bias, biasOff, y, yOff + r * cols);
        }
    }

    @Override
    public void biasGradRows(int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff) {
        KernelChecks.bias("biasGradRows", rows, cols, "db", db, dbOff, rows, "dy", dy, dyOff);
        // A row sum: lane-wise partial sums then one fixed-order reduction, so the order differs
        // from scalar (within the stated bound) but never between runs or threads.
        float[] lanes = LANES_SCRATCH.get();
        for (int r = 0; r < rows; r++) {
            int yr = dyOff + r * cols, j = 0;
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int bound = SPECIES.loopBound(cols); j < bound; j += LANES) {
                // The cast: a loop-carried receiver, see VectorPooling's probe.
                acc = ((FloatVector) FLOAT_VECTOR.cast(acc)).add(FloatVector.fromArray(SPECIES, dy, yr + j));
            }
            float sum = VectorConstants.sumLanes(acc, lanes);
            for (; j < cols; j++) {
                sum += dy[yr + j];
            }
            db[dbOff + r] += sum;
        }
    }

    @Override
    public void biasGradCols(int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff) {
        KernelChecks.bias("biasGradCols", rows, cols, "db", db, dbOff, cols, "dy", dy, dyOff);
        // Column sums keep the scalar order (rows in turn), so the bits match.
        for (int r = 0; r < rows; r++) {
            addInto(cols, dy, dyOff + r * cols, db, dbOff);
        }
    }

    // ---- softmax + cross-entropy ------------------------------------------------------------------
    // Rows of 10 classes: shorter than one 512-bit vector and dominated by exp, which the Vector
    // API on JDK 17 computes out of line; the scalar kernels are as fast here.

    @Override
    public double softmaxCrossEntropyForward(int n, int classes, float[] scores, int scoresOff,
                                             int[] labels, float[] probs, int probsOff) {
        return SCALAR.softmaxCrossEntropyForward(n, classes, scores, scoresOff, labels, probs, probsOff);
    }

    @Override
    public void softmaxCrossEntropyBackward(int n, int classes, float[] probs, int probsOff,
                                            int[] labels, float scale, float[] dscores,
                                            int dscoresOff) {
        SCALAR.softmaxCrossEntropyBackward(n, classes, probs, probsOff, labels, scale, dscores, dscoresOff);
    }
}
