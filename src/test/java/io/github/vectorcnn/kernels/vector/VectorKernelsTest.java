package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;
import io.github.vectorcnn.kernels.ScalarKernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Vector kernels against the scalar reference over awkward shapes. Data movers (im2col, col2im,
 * pooling, relu, bias add, column sums) must give the same bits; SGEMM and row sums reassociate and
 * are held to a bound that grows with the length of the sum.
 */
class VectorKernelsTest {
    private static final Kernels SCALAR = ScalarKernels.INSTANCE;
    private static final Kernels VECTOR = VectorKernels.create();
    private static final double EPS = Math.ulp(1f);

    static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    // ---- geometry: sizes 1–70, windows 1–7, strides 1–3, pads 0–2, channels 1–6 ----------------

    @Provide
    Arbitrary<WindowGeometry> geometries() {
        Arbitrary<Integer> size = Arbitraries.integers().between(1, 70).edgeCases(c -> c.add(1, 15, 16, 17, 33, 64));
        Arbitrary<Integer> window = Arbitraries.integers().between(1, 7);
        Arbitrary<Integer> stride = Arbitraries.integers().between(1, 3);
        Arbitrary<Integer> pad = Arbitraries.integers().between(0, 2);
        Arbitrary<Integer> channels = Arbitraries.integers().between(1, 6);
        return Combinators.combine(channels, size, size, window, window, stride, pad)
                .filter((c, h, w, fh, fw, s, p) -> h + 2 * p >= fh && w + 2 * p >= fw)
                .as(WindowGeometry::new);
    }

    @Property(tries = 300)
    void im2colMatchesScalarBitForBit(@ForAll("geometries") WindowGeometry g,
                                      @ForAll @IntRange(min = 1, max = 5) int batch, @ForAll long seed) {
        checkIm2col(g, batch, seed);
    }

    /**
     * Strided im2col keeps a per-thread plan (window corners, a zero-bordered copy of a channel)
     * for the last geometry: geometries that differ in one field at a time, one after another on
     * the same thread, must not reuse it.
     */
    @Test
    void im2colStridedMatchesScalarWhenTheGeometryChangesFieldByField() {
        WindowGeometry[] sequence = {
            new WindowGeometry(2, 27, 27, 5, 5, 2, 2),
            new WindowGeometry(2, 27, 27, 5, 5, 2, 1), // pad
            new WindowGeometry(2, 27, 27, 3, 5, 2, 1), // window height (14 output rows, not 13)
            new WindowGeometry(2, 27, 27, 3, 3, 2, 1), // window width
            new WindowGeometry(2, 27, 27, 3, 3, 3, 1), // stride
            new WindowGeometry(2, 27, 26, 3, 3, 3, 1), // width
            new WindowGeometry(2, 26, 26, 3, 3, 3, 1), // height
            new WindowGeometry(3, 26, 26, 3, 3, 3, 1), // channels: the plan may stay
            new WindowGeometry(3, 26, 26, 3, 3, 3, 0), // no padding: x itself
        };
        for (int round = 0; round < 2; round++) {
            for (WindowGeometry g : sequence) {
                checkIm2col(g, 2, 5 + round);
            }
        }
    }

    /**
     * Stride 1 with OW = W ("same" padding), where each block is copied as one shifted range of the
     * input plane and its padding columns zeroed after: padding of 1 to 3 columns, images narrower
     * and shorter than the window (down to blocks with no cell inside the image), a 1 × 1 window
     * (one plain copy), widths around the lane counts (so rows of whole vectors, whose in-image
     * blocks take ShapedIm2col, meet this for their padded blocks), and non-square windows (only
     * the columns "same").
     */
    @Test
    void im2colWithSamePaddingMatchesScalarBitForBit() {
        WindowGeometry[] same = {
            new WindowGeometry(3, 27, 27, 3, 3, 1, 1),
            new WindowGeometry(2, 5, 5, 5, 5, 1, 2),
            new WindowGeometry(2, 6, 9, 7, 7, 1, 3),
            new WindowGeometry(1, 2, 3, 5, 5, 1, 2), // window taller and wider than the image
            new WindowGeometry(2, 4, 7, 1, 1, 1, 0),
            new WindowGeometry(2, 9, 8, 3, 3, 1, 1),
            new WindowGeometry(2, 9, 16, 3, 3, 1, 1),
            new WindowGeometry(2, 9, 17, 3, 3, 1, 1),
            new WindowGeometry(1, 7, 33, 5, 5, 1, 2),
            new WindowGeometry(2, 6, 11, 1, 3, 1, 1), // OW = W, OH = H + 2
            new WindowGeometry(1, 4, 6, 1, 5, 1, 2), // OH = H + 4: padding rows wider than the window's half
            new WindowGeometry(2, 7, 6, 5, 3, 1, 1), // a window taller than wide: OH < H
            new WindowGeometry(1, 3, 1, 3, 3, 1, 1), // W ≤ P: blocks with no column inside the image
            new WindowGeometry(2, 2, 1, 5, 5, 1, 2), // W < P: such blocks whose lo is past hi
            new WindowGeometry(2, 1, 5, 5, 5, 1, 2), // P − fy > OH: whole blocks of padding rows
        };
        for (WindowGeometry g : same) {
            assertEquals(g.width(), g.outW(), g.toString());
            checkIm2col(g, 3, 11);
        }
    }

    private static void checkIm2col(WindowGeometry g, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = random(r, batch * g.inputSize());
        float[] expected = new float[batch * g.colSize() + 3], actual = expected.clone();
        Arrays.fill(expected, Float.NaN); // padding must be written, not left over
        Arrays.fill(actual, Float.NaN);
        for (int i = 0; i < batch; i++) {
            SCALAR.im2col(g, x, i * g.inputSize(), expected, 1 + i * g.colSize());
            VECTOR.im2col(g, x, i * g.inputSize(), actual, 1 + i * g.colSize());
        }
        assertArrayEquals(expected, actual, g.toString());
    }

    @Property(tries = 300)
    void col2imMatchesScalarBitForBit(@ForAll("geometries") WindowGeometry g,
                                      @ForAll @IntRange(min = 1, max = 5) int batch, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] col = random(r, batch * g.colSize());
        float[] expected = random(r, batch * g.inputSize() + 2), actual = expected.clone();
        for (int i = 0; i < batch; i++) {
            SCALAR.col2im(g, col, i * g.colSize(), expected, 1 + i * g.inputSize());
            VECTOR.col2im(g, col, i * g.colSize(), actual, 1 + i * g.inputSize());
        }
        assertArrayEquals(expected, actual, g.toString());
    }

    @Provide
    Arbitrary<WindowGeometry> poolGeometries() {
        // Pooling pads at most half the window, so every window holds a real cell.
        return geometries().filter(g -> 2 * g.pad() <= Math.min(g.windowH(), g.windowW()));
    }

    @Property(tries = 300)
    void maxPoolForwardMatchesScalarBitForBitWithTiesAndNaN(@ForAll("poolGeometries") WindowGeometry g,
                                                            @ForAll @IntRange(min = 1, max = 5) int batch,
                                                            @ForAll long seed) {
        checkMaxPool(g, batch, seed, true);
    }

    /**
     * The 2×2 stride-2 pool has its own kernel: units of LANES/2 outputs that overlap at a row's
     * end, or spill into the next rows when a row is shorter; a NaN hands the image to the general
     * path. h, w from 2: rows of 1 output up to 35, odd heights and widths.
     */
    @Property(tries = 300)
    void maxPool2x2Stride2MatchesScalarBitForBit(@ForAll @IntRange(min = 1, max = 6) int channels,
                                                 @ForAll @IntRange(min = 2, max = 70) int h,
                                                 @ForAll @IntRange(min = 2, max = 70) int w,
                                                 @ForAll @IntRange(min = 1, max = 5) int batch,
                                                 @ForAll boolean withNaN, @ForAll long seed) {
        // Without NaN the fast path runs to the end; with NaN it hands images to the general one.
        checkMaxPool(new WindowGeometry(channels, h, w, 2, 2, 2, 0), batch, seed, withNaN);
    }

    @Test
    void maxPool2x2Stride2OnTheBookShapeMatchesScalar() {
        for (boolean withNaN : new boolean[] {false, true}) {
            checkMaxPool(new WindowGeometry(30, 24, 24, 2, 2, 2, 0), 3, 7, withNaN);
            checkMaxPool(new WindowGeometry(3, 33, 34, 2, 2, 2, 0), 2, 8, withNaN);
        }
    }

    /**
     * Every small plane, one image in an array of exactly its size: the 2×2 kernel's loads reach
     * past a short row's end (rows of fewer than LANES/2 outputs), and the row pairs whose loads
     * would pass the end of the array must be left to the scalar loop, to the float. Planes up to
     * 40 wide cover every row length around one unit at 512, 256 and 128 bits.
     */
    @Test
    void maxPool2x2Stride2ReadsNothingPastTheInputOnEverySmallPlane() {
        for (int channels = 1; channels <= 3; channels++) {
            for (int h = 2; h <= 12; h++) {
                for (int w = 2; w <= 40; w++) {
                    checkMaxPool(new WindowGeometry(channels, h, w, 2, 2, 2, 0), 1, 31L * h + w, false);
                }
            }
        }
    }

    /**
     * A NaN in a window's first cell stays the result without leaving the 2×2 kernel (only later
     * cells send the image to the general path): NaN at the first cell of each output row's
     * first window, the one cell a unit's NaN probe does not read, with ties and −0 around it.
     */
    @Test
    void maxPool2x2Stride2KeepsANaNFirstCellOnItsOwnPath() {
        for (int[] hw : new int[][] {{24, 24}, {9, 17}, {6, 40}}) {
            WindowGeometry g = new WindowGeometry(3, hw[0], hw[1], 2, 2, 2, 0);
            SplittableRandom r = new SplittableRandom(hw[0] * 100 + hw[1]);
            float[] x = new float[2 * g.inputSize()];
            for (int i = 0; i < x.length; i++) {
                int pick = r.nextInt(6);
                x[i] = pick == 0 ? -0f : pick == 1 ? 0f : pick - 3;
            }
            for (int img = 0; img < 2; img++) {
                for (int c = 0; c < g.channels(); c++) {
                    for (int oy = 0; oy < g.outH(); oy += 2) {
                        x[img * g.inputSize() + (c * g.height() + 2 * oy) * g.width()] = Float.NaN;
                    }
                }
            }
            int per = g.channels() * g.outputPositions();
            float[] outS = new float[2 * per], outV = new float[2 * per];
            int[] argS = new int[2 * per], argV = new int[2 * per];
            for (int img = 0; img < 2; img++) {
                SCALAR.maxPoolForward(g, x, img * g.inputSize(), outS, img * per, argS, img * per);
                VECTOR.maxPoolForward(g, x, img * g.inputSize(), outV, img * per, argV, img * per);
            }
            assertArrayEquals(argS, argV, g.toString());
            for (int i = 0; i < outS.length; i++) {
                assertEquals(Float.floatToRawIntBits(outS[i]), Float.floatToRawIntBits(outV[i]), g + " at " + i);
            }
        }
    }

    /**
     * The padded pool keeps a per-thread table of window cells for the last geometry: geometries
     * that differ in one field at a time, one after another on the same thread, must not reuse it.
     */
    @Test
    void maxPoolPaddedMatchesScalarWhenTheGeometryChangesFieldByField() {
        WindowGeometry[] sequence = {
            new WindowGeometry(2, 27, 27, 3, 3, 2, 1),
            new WindowGeometry(2, 27, 27, 3, 3, 1, 1), // stride
            new WindowGeometry(2, 27, 27, 5, 3, 1, 1), // window height
            new WindowGeometry(2, 27, 27, 5, 5, 1, 1), // window width
            new WindowGeometry(2, 27, 27, 5, 5, 1, 2), // pad
            new WindowGeometry(2, 27, 26, 5, 5, 1, 2), // width
            new WindowGeometry(2, 26, 26, 5, 5, 1, 2), // height
            new WindowGeometry(3, 26, 26, 5, 5, 1, 2), // channels: the table may stay
        };
        for (int round = 0; round < 2; round++) {
            for (WindowGeometry g : sequence) {
                checkMaxPool(g, 2, 11 + round, round == 1);
            }
        }
    }

    /** A padded plane whose cell table would pass 2^20 cells takes the scalar loop instead. */
    @Test
    void maxPoolPaddedBeyondTheCellTableLimitMatchesScalar() {
        checkMaxPool(new WindowGeometry(2, 400, 400, 3, 3, 1, 1), 1, 3, true); // 1,440,000 cells
        checkMaxPool(new WindowGeometry(2, 300, 300, 3, 3, 1, 1), 1, 4, true); //   810,000 cells
    }

    /**
     * Images side by side in one array, as the layers store them, with a canary after the last:
     * a kernel that writes past an image's outputs fails here (on threads it would race).
     */
    private static void checkMaxPool(WindowGeometry g, int batch, long seed, boolean withNaN) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[batch * g.inputSize()];
        for (int i = 0; i < x.length; i++) {
            // Few distinct values so ties are common; some NaN, −0/+0 and −∞.
            int pick = r.nextInt(12);
            x[i] = pick == 0 ? (withNaN ? Float.NaN : 0.5f) : pick == 1 ? -0f : pick == 2 ? Float.NEGATIVE_INFINITY : pick - 6;
        }
        int per = g.channels() * g.outputPositions();
        float[] outS = new float[batch * per + 1], outV = new float[batch * per + 1];
        int[] argS = new int[batch * per + 1], argV = new int[batch * per + 1];
        outS[batch * per] = outV[batch * per] = 12345f;
        argS[batch * per] = argV[batch * per] = 12345;
        // Backwards, so an image that wrote into the next one's outputs is not repaired afterwards.
        for (int i = batch - 1; i >= 0; i--) {
            SCALAR.maxPoolForward(g, x, i * g.inputSize(), outS, i * per, argS, i * per);
            VECTOR.maxPoolForward(g, x, i * g.inputSize(), outV, i * per, argV, i * per);
        }
        assertArrayEquals(argS, argV, g.toString());
        for (int i = 0; i < outS.length; i++) {
            assertEquals(Float.floatToRawIntBits(outS[i]), Float.floatToRawIntBits(outV[i]), g + " at " + i);
        }
        float[] dout = random(r, batch * per);
        // Backward adds: start from values, −0 among them, which cells that did not win must keep.
        float[] dxS = random(r, batch * g.inputSize()), dxV;
        for (int i = 0; i < dxS.length; i += 3) {
            dxS[i] = -0f;
        }
        dxV = dxS.clone();
        for (int i = 0; i < batch; i++) {
            SCALAR.maxPoolBackward(g, dout, i * per, argS, i * per, dxS, i * g.inputSize());
            VECTOR.maxPoolBackward(g, dout, i * per, argV, i * per, dxV, i * g.inputSize());
        }
        assertArrayEquals(dxS, dxV, g.toString());

        // The written form: dx starts as garbage (NaN, −0) and every cell must be written; −0 and
        // NaN among dout (0 + −0 is +0). Images backwards and a canary after the last, as above.
        for (int i = 0; i < dout.length; i += 7) {
            dout[i] = i % 2 == 0 ? -0f : Float.NaN;
        }
        int dxSize = batch * g.inputSize();
        float[] setS = random(r, dxSize + 1), setV, twoSteps = new float[dxSize + 1];
        for (int i = 0; i < setS.length; i += 5) {
            setS[i] = i % 2 == 0 ? -0f : Float.NaN;
        }
        setS[dxSize] = twoSteps[dxSize] = 12345f;
        setV = setS.clone();
        for (int i = batch - 1; i >= 0; i--) {
            SCALAR.maxPoolBackward(g, dout, i * per, argS, i * per, twoSteps, i * g.inputSize());
            SCALAR.maxPoolBackwardSet(g, dout, i * per, argS, i * per, setS, i * g.inputSize());
            VECTOR.maxPoolBackwardSet(g, dout, i * per, argV, i * per, setV, i * g.inputSize());
        }
        for (int i = 0; i <= dxSize; i++) {
            assertEquals(Float.floatToRawIntBits(twoSteps[i]), Float.floatToRawIntBits(setS[i]),
                    g + ": scalar set against zero-then-add at " + i);
            assertEquals(Float.floatToRawIntBits(setS[i]), Float.floatToRawIntBits(setV[i]), g + ": set at " + i);
        }
    }

    // ---- SGEMM -------------------------------------------------------------------------------

    /**
     * |c − ref| ≤ 2·(k + 2)·ε·(|α|·Σ_p |a_ip||b_pj| + |β|·|c_ij|) against a double reference: the
     * standard forward bound for a length-k dot product (γ_k ≈ k·ε), doubled for the α scaling and
     * the β·C add and for fma versus separate rounding.
     */
    private static void checkGemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                                  long seed, int pad) {
        SplittableRandom r = new SplittableRandom(seed);
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        float[] a = random(r, Math.max(1, (ta ? k : m) * lda) + 1);
        float[] b = random(r, Math.max(1, (tb ? n : k) * ldb) + 1);
        float[] c0 = random(r, Math.max(1, m * ldc) + 1);
        if (beta == 0f) {
            Arrays.fill(c0, Float.NaN); // β = 0 must not read C
        }
        float[] c = c0.clone();
        VECTOR.sgemm(ta, tb, m, n, k, alpha, a, 1, lda, b, 1, ldb, beta, c, 1, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, mag = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[1 + p * lda + i] : a[1 + i * lda + p];
                    double bv = tb ? b[1 + j * ldb + p] : b[1 + p * ldb + j];
                    sum += av * bv;
                    mag += Math.abs(av * bv);
                }
                double old = beta == 0f ? 0 : c0[1 + i * ldc + j];
                double ref = alpha * sum + beta * old;
                double bound = 2 * (k + 2) * EPS * (Math.abs(alpha) * mag + Math.abs(beta * old)) + Float.MIN_NORMAL;
                float got = c[1 + i * ldc + j];
                assertTrue(Math.abs(got - ref) <= bound, String.format(
                        "ta=%b tb=%b m=%d n=%d k=%d α=%s β=%s: C[%d,%d]=%s, reference %s, bound %s",
                        ta, tb, m, n, k, alpha, beta, i, j, got, ref, bound));
            }
            // Padding between rows is not part of C and must be left alone.
            for (int j = n; j < ldc && i < m; j++) {
                int at = 1 + i * ldc + j;
                assertEquals(Float.floatToRawIntBits(c0[at]), Float.floatToRawIntBits(c[at]), "padding of C");
            }
        }
    }

    @Property(tries = 200)
    void sgemmWithinBoundOnAwkwardShapes(@ForAll boolean ta, @ForAll boolean tb,
                                         @ForAll @IntRange(min = 1, max = 70) int m,
                                         @ForAll @IntRange(min = 1, max = 70) int n,
                                         @ForAll @IntRange(min = 1, max = 70) int k,
                                         @ForAll("scales") float alpha, @ForAll("scales") float beta,
                                         @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll long seed) {
        checkGemm(ta, tb, m, n, k, alpha, beta, seed, pad);
    }

    @Provide
    Arbitrary<Float> scales() {
        return Arbitraries.of(0f, 1f, -1f, 0.5f, 1.75f);
    }

    @Test
    void sgemmAcrossCacheBlocksAndTheConvolutionShapes() {
        // Crosses KC, MC and several NR strips; then the SimpleConvNet products.
        int kc = VectorConstants.KC, mc = VectorConstants.MC, nr = VectorConstants.NR;
        checkGemm(false, false, mc + 7, 3 * nr + 5, kc + 9, 1f, 0f, 1, 0);
        checkGemm(true, true, mc + 1, nr + 1, 2 * kc + 1, -0.5f, 1f, 2, 2);
        // M one A block and packed B: panels of NC_ONE_BLOCK columns, the last one partial (on
        // one thread, so that no column split keeps a share inside one panel; the last strip
        // wider than LANES / 2, so that no edge of dot products takes the columns past a panel).
        int panel = VectorConstants.NC_ONE_BLOCK, edgeFree = nr + VectorConstants.LANES / 2 + 1;
        onOneNewThread(() -> checkGemm(false, false, 64, 2 * panel + nr + 3, kc + 9, 1f, 0f, 11, 0));
        onOneNewThread(() -> checkGemm(false, true, mc, panel + edgeFree, kc, 0.5f, 1f, 12, 1));
        // Two A blocks split by rows across the default threads: each share is one block and
        // takes the narrow panels.
        checkGemm(false, false, 2 * mc, panel + edgeFree, kc + 9, 1f, 0f, 13, 0);
        checkGemm(false, false, 30, 576, 25, 1f, 0f, 3, 0);
        checkGemm(false, true, 30, 25, 576, 1f, 1f, 4, 0);
        checkGemm(true, false, 25, 576, 30, 1f, 0f, 5, 0);
        // The small A·Bᵀ path (4 × 5 dot-product blocks): edge blocks in both directions, scalar
        // tails of K, and a K long enough for a multi-megabyte operand.
        checkGemm(false, true, 7, 5, 100, -1f, 0.5f, 6, 1);
        checkGemm(false, true, 4, 9, 67, 1f, 0f, 7, 0);
        checkGemm(false, true, 1, 1, 64, 1f, 1f, 8, 0);
        checkGemm(false, true, 2 * nr + 3, 11, 130, 1.75f, -1f, 9, 2);
        checkGemm(false, true, 4, 5, (1 << 18) + 3, 1f, 0.5f, 10, 0);
    }

    /**
     * A·Bᵀ with K ≥ {@link VectorConstants#DOT_MIN_K} (the dot-product path while M·N ≤
     * {@link VectorConstants#DOT_MAX_MN}) over the awkward sizes: every edge of the 4 × 5 blocks
     * (3 × 3 with 16 vector registers),
     * K with and without a scalar tail, α and β.
     */
    @Test
    void sgemmSmallATimesBTransposedOnAwkwardSizes() {
        int[] sizes = {1, 7, 15, 17, 33, 207};
        int dotK = VectorConstants.DOT_MIN_K;
        int[] ks = {dotK, dotK + 1, 207, 576, 1000};
        long seed = 100;
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : ks) {
                    float beta = (seed & 1) == 0 ? 0f : 0.5f;
                    checkGemm(false, true, m, n, k, seed % 3 == 0 ? -1.75f : 1f, beta, seed, (int) (seed % 3));
                    seed++;
                }
            }
        }
        checkGemm(false, true, 30, 25, 576, 1f, 0f, seed, 0);
    }

    /**
     * A long K runs the dot-product path in panels of about {@link VectorConstants#DOT_PANEL_FLOATS}
     * floats of both operands, each block's accumulators carried from one panel to the next. The
     * bits must stay those of one uninterrupted fma chain per lane (lane l sums the products
     * p ≡ l mod LANES in increasing p), the halving tree over the lanes, then the scalar tail:
     * modelled here element by element. Edge blocks both ways, three panels (the last short), K
     * with and without a tail; the filter gradient's shape over a batch of 100. The same model for
     * a K of one panel, where each block is written to C after the next one's dot products (one
     * block, an edge block last, the filter gradient per image).
     */
    @Test
    void sgemmDotProductsGiveTheBitsOfOneFmaChainPerLane() {
        // {M, N, K mod LANES}: K is two full panels and a short one, whatever the panel length
        // works out to for M + N; then the batch-wide filter gradient.
        int[][] shapes = {{7, 11, 0}, {7, 11, 5}, {30, 25, 3}, {1, 3, 0}};
        long seed = 900;
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1];
            checkLaneChains(m, n, 2 * (VectorConstants.DOT_PANEL_FLOATS / (m + n)) + 3 * LANES + shape[2], seed++);
        }
        checkLaneChains(30, 25, 57_600, seed++);
        int[][] onePanel = {{1, 1, VectorConstants.DOT_MIN_K}, {4, 5, 207}, {9, 6, 100}, {30, 25, 576}};
        for (int[] shape : onePanel) {
            checkLaneChains(shape[0], shape[1], shape[2], seed++);
        }
    }

    /** The surefire executions that pick the register count must reach the tiles they name. */
    @Test
    void registerCountPropertyPicksTheTiles() {
        String forced = System.getProperty("vectorcnn.vector.registers");
        if (forced != null) {
            assertEquals(Integer.parseInt(forced), VectorConstants.VECTOR_REGISTERS);
        }
        assertEquals(VectorConstants.VECTOR_REGISTERS < 32, VectorConstants.FOUR_ROW_TILES);
        assertEquals(VectorConstants.VECTOR_REGISTERS < 32 ? 3 : 4, VectorConstants.DOT_A);
        assertEquals(VectorConstants.VECTOR_REGISTERS < 32 ? 3 : 5, VectorConstants.DOT_B);
    }

    /**
     * The surefire executions that cap the vectors test the lane counts they are for only if the
     * JVM took the cap: with 128-bit vectors (-XX:MaxVectorSize=16) they ask for 4 lanes in
     * {@code -Dvectorcnn.test.lanes}; with 256 bits (-XX:MaxVectorSize=32) for at most 8 in
     * {@code -Dvectorcnn.test.maxLanes} (8 on AVX-512 and AVX2, 4 on a 128-bit machine).
     */
    @Test
    void laneCountIsTheOneThisRunAsksFor() {
        String lanes = System.getProperty("vectorcnn.test.lanes");
        String maxLanes = System.getProperty("vectorcnn.test.maxLanes");
        assumeTrue(lanes != null || maxLanes != null, "no -Dvectorcnn.test.lanes or -Dvectorcnn.test.maxLanes");
        if (lanes != null) {
            assertEquals(Integer.parseInt(lanes), LANES);
        }
        if (maxLanes != null) {
            assertTrue(LANES <= Integer.parseInt(maxLanes), LANES + " lanes, more than " + maxLanes);
        }
    }

    /**
     * The surefire execution with {@code -Dvectorcnn.shaped=false} must run the general kernels:
     * no copy is made, and im2col of a geometry with rows of whole vectors is left to the caller.
     */
    @Test
    void shapedPropertyTurnsTheCopiesOff() {
        boolean off = !Boolean.parseBoolean(System.getProperty("vectorcnn.shaped", "true"));
        assertEquals(!off, VectorConstants.SHAPED);
        if (off) {
            WindowGeometry g = new WindowGeometry(1, 3, LANES, 3, 1, 1, 0);
            assertFalse(ShapedKernels.im2col(g, new float[g.inputSize()], 0, new float[g.colSize()], 0));
        }
    }

    /**
     * The outer-product paths give each element the bits of one fma chain over p in increasing
     * order per K block, added onto C (β = 1) or not (β = 0), whatever tile computes it. β = 0
     * with one K block reads B in place (6- or 5-row tiles, 6 × 3-vector and 5 × 4-vector ones with
     * 16 lanes and 32 registers, 4-row ones with 16 registers from K = 64); β = 1 or two K blocks pack B (4-row
     * tiles with 16 vector registers, 6- or 5-row with 32): the surefire executions run this
     * class with each count. Full and partial tiles
     * both ways, one-vector strips. Shapes avoid the dot-product paths (A·Bᵀ, and a last strip of
     * at most LANES / 2 columns with an untransposed A and K ≥ 256; with a transposed A that strip
     * is one chain over all of K, so it is kept to one K block), which have their own model above.
     * Wide in-place products, which run in row panels (B's rows read in place or copied), the same.
     */
    @Test
    void sgemmOuterProductTilesGiveTheBitsOfOneFmaChainPerKBlock() {
        int nr = VectorConstants.NR, kc = VectorConstants.KC;
        int[] ms = {1, 3, 4, 5, 6, 7, 13, 25, 30};
        int[] ns = {1, 7, 15, 17, 33, 2 * nr + 3, VectorConstants.NR3 + 1, VectorConstants.NR4 + VectorConstants.NR3 + 1};
        int[] ks = {1, 2, 7, 17, 33, 207};
        long seed = 1300;
        for (boolean ta : new boolean[] {false, true}) {
            for (float beta : new float[] {0f, 1f}) {
                for (int m : ms) {
                    for (int n : ns) {
                        for (int k : ks) {
                            checkFmaChains(ta, m, n, k, beta, seed++);
                        }
                    }
                }
            }
            // Two K blocks (the second added onto the first); the last strip wider than LANES / 2;
            // at least PACK_A_MIN_N columns, where 4-row strips pack an untransposed A after all
            // (its last strip, too, wider than LANES / 2: K ≥ 256 would send it to the dot edge).
            for (float beta : new float[] {0f, 1f}) {
                checkFmaChains(ta, 13, 2 * nr + VectorConstants.LANES + 1, kc + 33, beta, seed++);
                checkFmaChains(ta, 30, nr, 2 * kc + 1, beta, seed++);
                checkFmaChains(ta, 13, VectorConstants.PACK_A_MIN_N + nr + VectorConstants.LANES / 2 + 1, kc + 33,
                        beta, seed++);
            }
            // More than one A block, M a multiple of 5 and not of 6: 6-row strips (tall tiles with
            // 32 registers) and a last block of 10 rows, one strip of them short. On one thread,
            // so that the whole row is one share of at least PACK_A_MIN_N columns (A packed).
            long tallSeed = seed++;
            onOneNewThread(() -> checkFmaChains(ta, VectorConstants.MC + 10,
                    VectorConstants.PACK_A_MIN_N + nr + VectorConstants.LANES / 2 + 1, kc + 33, 1f, tallSeed));
            // Wide products with B in place, which run in row panels: a short row strip, a partial
            // last panel and a partial last strip; the convolution products' M and K; K = 4, where
            // a panel is wider than NC; B's rows read in place (at most
            // ROW_PANEL_MAX_STRIPS_IN_PLACE strips and ROW_PANEL_MAX_ROWS_IN_PLACE rows, up to both
            // limits with 5-row strips: M = 60, K = 30 and M = 30, K = 64) and copied
            // (more strips: 6-row strips with a short last one, `copied` rows, K = 25 and 4, 5-row
            // strips, 13 of them, M = 65, K = 25, and with 16 registers 4-row strips, K = 70, 6-row
            // with 32; more rows: M = 30, K = 100). On one thread, so the whole product is the
            // share that decides, and on a new thread, whose workspace has not yet grown.
            int copied = VectorConstants.ROW_PANEL_MAX_STRIPS_IN_PLACE * VectorConstants.MR + 7;
            int fiveRowStrips = (VectorConstants.ROW_PANEL_MAX_STRIPS_IN_PLACE + 1) * VectorConstants.MR5;
            int[][] wide = {{7, 25}, {30, 25}, {25, 30}, {13, 70}, {7, 4}, {copied, 25}, {copied, 4},
                    {fiveRowStrips, 25}, {copied, 70}, {30, 100}, {60, 30}, {30, 64}};
            for (int[] mk : wide) {
                int n = (int) (VectorConstants.ROW_PANEL_MIN_FLOATS / (mk[0] + mk[1])) + 2 * nr + 5;
                long s = seed++;
                onOneNewThread(() -> checkFmaChains(ta, mk[0], n, mk[1], 0f, s));
            }
        }
    }

    /**
     * A transposed B with one K block, β = 0 and M within one A block is read as a row-major copy
     * of itself, one panel of columns at a time, by the tiles of an in-place B (the affine layer's
     * input gradient dout·Wᵀ, 100 × 4320 × 100). Each element keeps the bits of one fma chain over
     * p, as above, whatever tile computes it: short and full row strips, partial last strips, both
     * A orientations, and K where M·N is small only below the dot-product paths' minimum; several panels
     * with a partial last one, on one thread and split over the default threads; M = MC and
     * K = KC, the largest the copy takes; and with padded rows, offsets and α ≠ 1 against the
     * bound of checkGemm. β = 1 packs B (by gathers from 8 lanes on).
     */
    @Test
    void sgemmTransposedBGivesTheBitsOfOneFmaChain() {
        int nr = VectorConstants.NR;
        int[] ms = {1, 5, 6, 7, 25, 30};
        int[] ns = {1, 7, 17, 33, 2 * nr + 3, VectorConstants.NR3 + 1, VectorConstants.NR4 + VectorConstants.NR3 + 1};
        int[] ks = {1, 7, 17, 33, 63};
        long seed = 1500;
        for (boolean ta : new boolean[] {false, true}) {
            for (float beta : new float[] {0f, 1f}) {
                for (int m : ms) {
                    for (int n : ns) {
                        for (int k : ks) {
                            boolean dot = !ta && m * n <= VectorConstants.DOT_MAX_MN && k >= VectorConstants.DOT_MIN_K;
                            if (!dot) {
                                checkFmaChains(ta, true, m, n, k, beta, seed);
                            }
                            seed++;
                        }
                    }
                }
            }
            checkFmaChains(ta, true, 100, 1037, 100, 0f, seed++);
            long s = seed++;
            onOneNewThread(() -> checkFmaChains(ta, true, 100, 1037, 100, 0f, s));
            // N mod NR above EDGE_MAX_COLS for 4, 8 and 16 lanes: no column edge of dot products.
            checkFmaChains(ta, true, VectorConstants.MC, 525, VectorConstants.KC, 0f, seed++);
            checkGemm(ta, true, 100, 1037, 100, 1.75f, 0f, seed++, 3);
        }
    }

    /**
     * The tall tiles (two 6-row strips at once, A packed with row stride KC) give the bits of the
     * two 6-row tiles over the same operands, Set and Add, for a short and a full K block. Called
     * directly: the products above reach them only where A and B are packed and a K block is full
     * (shapes of at least 12 rows with K > KC: with an untransposed A only from PACK_A_MIN_N
     * columns on).
     */
    @Test
    void tallTilesGiveTheBitsOfTwoSixRowTiles() {
        int kcMax = VectorConstants.KC, nr = VectorConstants.NR, ldc = nr + 3;
        SplittableRandom r = new SplittableRandom(1400);
        float[] a = random(r, 5 + VectorConstants.MR12 * kcMax), b = random(r, 7 + kcMax * nr);
        float[] c0 = random(r, 2 + VectorConstants.MR12 * ldc);
        for (int kc : new int[] {1, 7, kcMax}) {
            for (boolean add : new boolean[] {false, true}) {
                float[] tall = c0.clone(), six = c0.clone();
                if (add) {
                    VectorSgemm.gemm12x2vAddPackedA(kc, a, 5, b, 7, tall, 2, ldc);
                    VectorSgemm.gemm6x2vAdd(kc, a, 5, kcMax, b, 7, six, 2, ldc);
                    VectorSgemm.gemm6x2vAdd(kc, a, 5 + 6 * kcMax, kcMax, b, 7, six, 2 + 6 * ldc, ldc);
                } else {
                    VectorSgemm.gemm12x2vSetPackedA(kc, a, 5, b, 7, tall, 2, ldc);
                    VectorSgemm.gemm6x2vSet(kc, a, 5, kcMax, b, 7, six, 2, ldc);
                    VectorSgemm.gemm6x2vSet(kc, a, 5 + 6 * kcMax, kcMax, b, 7, six, 2 + 6 * ldc, ldc);
                }
                for (int i = 0; i < six.length; i++) {
                    assertEquals(Float.floatToRawIntBits(six[i]), Float.floatToRawIntBits(tall[i]),
                            (add ? "Add" : "Set") + " kc=" + kc + " c[" + i + "]");
                }
            }
        }
    }

    /** Runs the check with one library thread on a thread of its own, rethrowing what it throws. */
    private static void onOneNewThread(Runnable check) {
        int threads = Parallel.threads();
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                check.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        Parallel.setThreads(1);
        try {
            t.start();
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            Parallel.setThreads(threads);
        }
        if (thrown[0] instanceof Error) {
            throw (Error) thrown[0];
        }
        if (thrown[0] != null) {
            throw new AssertionError(thrown[0]);
        }
    }

    private static void checkFmaChains(boolean ta, int m, int n, int k, float beta, long seed) {
        checkFmaChains(ta, false, m, n, k, beta, seed);
    }

    private static void checkFmaChains(boolean ta, boolean tb, int m, int n, int k, float beta, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = random(r, m * k), b = random(r, k * n), c0 = random(r, m * n), c = c0.clone();
        int lda = ta ? m : k, ldb = tb ? k : n;
        VECTOR.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = beta == 0f ? 0f : c0[i * n + j];
                for (int p0 = 0; p0 < k; p0 += VectorConstants.KC) {
                    float block = 0f;
                    for (int p = p0; p < Math.min(k, p0 + VectorConstants.KC); p++) {
                        block = Math.fma(ta ? a[p * lda + i] : a[i * lda + p], tb ? b[j * ldb + p] : b[p * ldb + j],
                                block);
                    }
                    sum = p0 == 0 && beta == 0f ? block : block + sum;
                }
                assertEquals(Float.floatToRawIntBits(sum), Float.floatToRawIntBits(c[i * n + j]),
                        (ta ? "T" : "N") + (tb ? "T " : "N ") + m + "x" + n + "x" + k + " β=" + beta
                                + " C[" + i + "," + j + "]");
            }
        }
    }

    private static void checkLaneChains(int m, int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = random(r, m * k), b = random(r, n * k), c = random(r, m * n), c0 = c.clone();
        float alpha = (seed & 1) == 0 ? 1f : -0.5f, beta = (seed & 1) == 0 ? 0f : 1f;
        VECTOR.sgemm(false, true, m, n, k, alpha, a, 0, k, b, 0, k, beta, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = laneChainDot(a, i * k, b, j * k, k);
                float expected = beta == 0f ? alpha * sum : alpha * sum + beta * c0[i * n + j];
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(c[i * n + j]),
                        m + "x" + n + "x" + k + " C[" + i + "," + j + "]");
            }
        }
    }

    private static final int LANES = VectorConstants.LANES;

    /** The dot-product path's sum for one element, written out: lane chains, lane tree, scalar tail. */
    static float laneChainDot(float[] a, int ar, float[] b, int br, int k) {
        int bound = k / LANES * LANES;
        float[] lane = new float[LANES];
        for (int p = 0; p < bound; p++) {
            lane[p % LANES] = Math.fma(a[ar + p], b[br + p], lane[p % LANES]);
        }
        for (int h = LANES / 2; h >= 1; h /= 2) {
            for (int l = 0; l < h; l++) {
                lane[l] += lane[l + h];
            }
        }
        float sum = lane[0];
        for (int p = bound; p < k; p++) {
            sum = Math.fma(a[ar + p], b[br + p], sum);
        }
        return sum;
    }

    /**
     * The in-place paths (α = 1, β = 0, one K block): A read as rows or, transposed, down its
     * columns; B read with its row stride in full tiles and packed on demand for edge tiles. Every
     * combination of short row strips, partial column strips and K with the awkward sizes, and the
     * layers' shapes.
     */
    @Test
    void sgemmInPlaceOperandsOnAwkwardSizes() {
        int[] sizes = {1, 7, 15, 17, 33, 207};
        int[] ks = {1, 17, 30, VectorConstants.KC};
        long seed = 500;
        for (boolean ta : new boolean[] {false, true}) {
            for (int m : sizes) {
                for (int n : sizes) {
                    for (int k : ks) {
                        checkGemm(ta, false, m, n, k, 1f, 0f, seed, (int) (seed % 3));
                        seed++;
                    }
                }
            }
        }
        // Heights that 6 or 5 divides take the wide tiles (6 × 3 or 5 × 4 vectors at 512 bits) where
        // N allows.
        for (boolean ta : new boolean[] {false, true}) {
            for (int m : new int[] {5, 6, 12, 25, 30}) {
                for (int n : new int[] {1, 17, 47, 48, 49, 64, 96, 100, 207}) {
                    checkGemm(ta, false, m, n, (int) (1 + seed % 40), 1f, 0f, seed, (int) (seed % 3));
                    seed++;
                }
            }
        }
        checkGemm(false, false, 30, 576, 25, 1f, 0f, seed++, 0);
        checkGemm(true, false, 25, 576, 30, 1f, 0f, seed++, 0);
        checkGemm(true, false, 4320, 100, 100, 1f, 0f, seed++, 0);
        checkGemm(false, false, 100, 100, 4320, 1f, 0f, seed++, 0);
        checkGemm(false, true, 100, 4320, 100, 1f, 0f, seed, 0);
    }

    /**
     * The last N mod NR columns when they are few ({@link VectorConstants#EDGE_MAX_COLS}): dot
     * products for an untransposed A with K ≥ {@link VectorConstants#EDGE_DOT_MIN_K}, vectors down
     * M for a transposed one. Every edge width, alone and after full strips; M with and without
     * rows past the last two-vector block; all four transpositions, α and β.
     */
    @Test
    void sgemmColumnEdgeOnAwkwardSizes() {
        int nr = VectorConstants.NR, dotK = VectorConstants.EDGE_DOT_MIN_K;
        long seed = 900;
        for (int r = 1; r <= VectorConstants.EDGE_MAX_COLS; r++) {
            for (int n : new int[] {r, nr + r, 2 * nr + r}) {
                for (int m : new int[] {1, 33, 71}) {
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                        int k = ta ? (int) (1 + seed % 40) : dotK + (int) (seed % 7);
                        float alpha = seed % 3 == 0 ? -1.75f : 1f, beta = (seed & 1) == 0 ? 0f : 0.5f;
                        checkGemm(ta, tb, m, n, k, alpha, beta, seed, (int) (seed % 3));
                        seed++;
                    }
                }
            }
        }
        // The affine layers' products, whose N = 100 leaves 4 columns.
        checkGemm(false, false, 100, 100, 4320, 1f, 0f, seed++, 0);
        checkGemm(true, false, 4320, 100, 100, 1f, 0f, seed, 0);
    }

    @Test
    void sgemmWithEmptyProductScalesC() {
        float[] c = {1f, Float.NaN, 3f, 4f};
        VECTOR.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, c);
        float[] d = {1f, 2f};
        VECTOR.sgemm(false, false, 1, 2, 3, 0f, new float[3], 0, 3, new float[6], 0, 2, 2f, d, 0, 2);
        assertArrayEquals(new float[] {2f, 4f}, d);
    }

    // ---- elementwise -----------------------------------------------------------------------------

    @Property(tries = 100)
    void elementwiseKernelsMatchScalar(@ForAll @IntRange(min = 1, max = 70) int rows,
                                       @ForAll @IntRange(min = 1, max = 70) int cols, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = rows * cols;
        float[] x = random(r, n + 1);
        x[0] = Float.NaN;
        x[n / 2] = -0f;
        float[] outS = new float[n + 1], outV = new float[n + 1];
        SCALAR.reluForward(n, x, 1, outS, 0);
        VECTOR.reluForward(n, x, 1, outV, 0);
        assertArrayEquals(outS, outV, "reluForward");
        float[] dout = random(r, n);
        float[] dxS = random(r, n), dxV = dxS.clone();
        SCALAR.reluBackward(n, x, 0, dout, 0, dxS, 0);
        VECTOR.reluBackward(n, x, 0, dout, 0, dxV, 0);
        assertArrayEquals(dxS, dxV, "reluBackward");

        float[] bias = random(r, Math.max(rows, cols));
        float[] yS = random(r, n), yV = yS.clone();
        SCALAR.biasAddRows(rows, cols, bias, 0, yS, 0);
        VECTOR.biasAddRows(rows, cols, bias, 0, yV, 0);
        assertArrayEquals(yS, yV, "biasAddRows");
        SCALAR.biasAddCols(rows, cols, bias, 0, yS, 0);
        VECTOR.biasAddCols(rows, cols, bias, 0, yV, 0);
        assertArrayEquals(yS, yV, "biasAddCols");

        float[] dbS = random(r, cols), dbV = dbS.clone();
        SCALAR.biasGradCols(rows, cols, yS, 0, dbS, 0);
        VECTOR.biasGradCols(rows, cols, yS, 0, dbV, 0);
        assertArrayEquals(dbS, dbV, "biasGradCols");

        float[] rS = new float[rows], rV = new float[rows];
        SCALAR.biasGradRows(rows, cols, yS, 0, rS, 0);
        VECTOR.biasGradRows(rows, cols, yS, 0, rV, 0);
        for (int i = 0; i < rows; i++) {
            double mag = 0;
            for (int j = 0; j < cols; j++) {
                mag += Math.abs(yS[i * cols + j]);
            }
            // Both sums are within cols·ε·Σ|y| of the exact one.
            assertEquals(rS[i], rV[i], 2 * cols * EPS * mag, "biasGradRows row " + i);
        }
    }

    @Test
    void longReluRunsInChunksAndStillMatchesScalar() {
        // From 2^20 values the kernels split into chunks across the pool; chunk edges must not show.
        SplittableRandom r = new SplittableRandom(12);
        int n = (1 << 20) + 100_003;
        float[] x = random(r, n + 5), dout = random(r, n);
        float[] outS = new float[n + 2], outV = new float[n + 2];
        SCALAR.reluForward(n, x, 5, outS, 2);
        VECTOR.reluForward(n, x, 5, outV, 2);
        assertArrayEquals(outS, outV);
        float[] dxS = random(r, n + 1), dxV = dxS.clone();
        SCALAR.reluBackward(n, x, 5, dout, 0, dxS, 1);
        VECTOR.reluBackward(n, x, 5, dout, 0, dxV, 1);
        assertArrayEquals(dxS, dxV);
    }

    @Test
    void nameComesFromThePreferredSpecies() {
        assertEquals("vector-" + VectorConstants.SPECIES.vectorBitSize(), VECTOR.name());
    }

    /**
     * Which loop im2col runs, per lane count: every loop gives the scalar kernel's bits, so only
     * this test sees a geometry sent down a slower one. The expectations are written out for 4, 8
     * and 16 lanes rather than computed the way the dispatch computes them.
     */
    @Test
    void im2colTakesTheLoopMadeForEachGeometry() {
        int lanes = VectorConstants.LANES;
        assertTrue(lanes == 4 || lanes == 8 || lanes == 16, "lanes: " + lanes);
        VectorKernels.Im2colPath rows = VectorKernels.Im2colPath.WHOLE_VECTOR_ROWS,
                blocks = VectorKernels.Im2colPath.BLOCKS;
        // Where gathers do not compile (JitCheckTest), the strided geometries take the blocks.
        VectorKernels.Im2colPath gather = VectorConstants.GATHERS ? VectorKernels.Im2colPath.GATHER : blocks;
        // SimpleConvNet's conv1, OW = 24: whole rows of 4 or 8 lanes, not of 16.
        assertEquals(lanes == 16 ? blocks : rows, VectorKernels.im2colPath(new WindowGeometry(1, 28, 28, 5, 5, 1, 0)));
        // 64 channels of 56 × 56, 3 × 3 "same": OW = 56, the same split.
        assertEquals(lanes == 16 ? blocks : rows, VectorKernels.im2colPath(new WindowGeometry(64, 56, 56, 3, 3, 1, 1)));
        // OW = 32 holds whole vectors at every lane count; OW = 7 at none.
        assertEquals(rows, VectorKernels.im2colPath(new WindowGeometry(2, 34, 34, 3, 3, 1, 0)));
        assertEquals(blocks, VectorKernels.im2colPath(new WindowGeometry(2, 9, 9, 3, 3, 1, 0)));
        // Strided: 14 × 14 outputs per plane gather; one output per plane, or a padding whose
        // copy would be far larger than the image, take the blocks.
        assertEquals(gather, VectorKernels.im2colPath(new WindowGeometry(3, 27, 27, 5, 5, 2, 2)));
        assertEquals(gather, VectorKernels.im2colPath(new WindowGeometry(1, 32, 32, 2, 2, 2, 0)));
        assertEquals(blocks, VectorKernels.im2colPath(new WindowGeometry(4, 1, 1, 1, 1, 2, 0)));
        assertEquals(blocks, VectorKernels.im2colPath(new WindowGeometry(1, 1, 1, 1, 1, 8, 4000)));
        // 16 times the plane padded, but within the 64 K values a thread may always keep.
        assertEquals(gather, VectorKernels.im2colPath(new WindowGeometry(1, 2, 2, 1, 1, 2, 3)));
        // Two outputs per plane (1 × 2): fewer than a vector at any of these lane counts.
        assertEquals(blocks, VectorKernels.im2colPath(new WindowGeometry(3, 1, 5, 1, 3, 2, 0)));
    }

    /** Which loop the max-pool forward runs: as for im2col, only this test sees a slip. */
    @Test
    void maxPoolForwardTakesTheLoopMadeForEachGeometry() {
        VectorPooling.ForwardPath twoByTwo = VectorPooling.ForwardPath.TWO_BY_TWO_STRIDE_2,
                scalar = VectorPooling.ForwardPath.SCALAR;
        // The general paths gather: where gathers do not compile (JitCheckTest), the scalar loop.
        VectorPooling.ForwardPath unpadded = VectorConstants.GATHERS ? VectorPooling.ForwardPath.UNPADDED : scalar,
                padded = VectorConstants.GATHERS ? VectorPooling.ForwardPath.PADDED : scalar;
        // The CNN pool, whatever the plane: SimpleConvNet's, a 64-channel layer's, a 2 × 2 image.
        assertEquals(twoByTwo, VectorPooling.forwardPath(new WindowGeometry(30, 24, 24, 2, 2, 2, 0)));
        assertEquals(twoByTwo, VectorPooling.forwardPath(new WindowGeometry(64, 56, 56, 2, 2, 2, 0)));
        assertEquals(twoByTwo, VectorPooling.forwardPath(new WindowGeometry(3, 2, 2, 2, 2, 2, 0)));
        assertEquals(twoByTwo, VectorPooling.forwardPath(new WindowGeometry(2047, 64, 64, 2, 2, 2, 0)));
        // 2^23 cells: past the offsets a float lane holds exactly, so the general loop.
        assertEquals(unpadded, VectorPooling.forwardPath(new WindowGeometry(2048, 64, 64, 2, 2, 2, 0)));
        // Other windows and strides.
        assertEquals(unpadded, VectorPooling.forwardPath(new WindowGeometry(20, 130, 130, 3, 3, 1, 0)));
        assertEquals(unpadded, VectorPooling.forwardPath(new WindowGeometry(4, 27, 27, 3, 3, 2, 0)));
        assertEquals(unpadded, VectorPooling.forwardPath(new WindowGeometry(4, 24, 24, 2, 2, 1, 0)));
        assertEquals(padded, VectorPooling.forwardPath(new WindowGeometry(20, 128, 128, 3, 3, 1, 1)));
        assertEquals(padded, VectorPooling.forwardPath(new WindowGeometry(4, 24, 24, 2, 2, 2, 1)));
        // One window per plane (fewer than any lane count), and a padded plane whose cell table
        // would hold 9 · 512² entries.
        assertEquals(scalar, VectorPooling.forwardPath(new WindowGeometry(6, 3, 3, 3, 3, 1, 0)));
        assertEquals(scalar, VectorPooling.forwardPath(new WindowGeometry(1, 512, 512, 3, 3, 1, 1)));
    }

    /**
     * A padding far larger than the image: the gathering im2col would keep a padded copy of 8,001²
     * values per thread, so the strided loop runs, with the same bits as the scalar kernel.
     */
    @Test
    void im2colWithAPaddingFarLargerThanTheImageTakesTheStridedLoop() {
        WindowGeometry huge = new WindowGeometry(1, 1, 1, 1, 1, 8, 4000);
        assertTrue(!VectorIm2colGather.applies(huge), "a 256 MB padded copy for a 4 MB output");
        assertEquals(VectorConstants.GATHERS, VectorIm2colGather.applies(new WindowGeometry(3, 27, 27, 5, 5, 2, 2)),
                "the usual padded case");
        float[] x = {2.5f}, vector = new float[huge.colSize()], scalar = new float[huge.colSize()];
        VectorKernels.create().im2col(huge, x, 0, vector, 0);
        ScalarKernels.INSTANCE.im2col(huge, x, 0, scalar, 0);
        assertArrayEquals(scalar, vector);
    }
}
