package io.github.vectorcnn.kernels;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.layers.Convolution;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every {@link Kernels} implementation must do, written once against {@link #kernels()}.
 * {@code ScalarKernelsTest} runs it on the reference kernels, {@code VectorKernelsContractTest}
 * in {@code io.github.vectorcnn.kernels.vector} on the Vector API kernels; the class is public so
 * that a subclass in another package inherits every test and property (checked with JUnit 5.12
 * and jqwik 1.9.3).
 *
 * <p>Three kinds of test: hand-computed tiny cases for each kernel (exact where the arithmetic is
 * exact), jqwik properties over random shapes (the im2col/col2im adjoint identity, convolution
 * against a direct nested loop, pooling against a direct scan, sgemm against Commons Math in
 * double), and the awkward sizes (1, 7, 15, 17, 33, 207 …) where a vector body meets its scalar
 * tail. Every float tolerance is stated where it is used, with its reason.
 */
public abstract class KernelsContract {

    /** The implementation under test. */
    protected abstract Kernels kernels();

    /** Unit roundoff of float32: 2⁻²⁴. */
    static final double U = 0x1p-24;

    /**
     * γₙ = n·u/(1 − n·u), the standard bound on the relative error of n successive float
     * roundings (Higham, Accuracy and Stability of Numerical Algorithms, §3.1); a computed
     * float sum or dot product Σ tᵢ is within γₙ·Σ|tᵢ| of the exact value when every term passes
     * through at most n roundings, in any summation order (blocked, vectorized or FMA-fused).
     */
    static double gamma(int n) {
        return n * U / (1 - n * U);
    }

    static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    static float[] range(int from, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = from + i;
        }
        return a;
    }

    // =============================================================================================
    // im2col / col2im
    // =============================================================================================

    @Test
    void im2colUnfoldsEveryWindowStride1Pad0() {
        // x = [[1 2 3] [4 5 6] [7 8 9]], 2×2 window: rows (fy,fx), columns positions (oy,ox).
        WindowGeometry g = new WindowGeometry(1, 3, 3, 2, 2, 1, 0);
        float[] col = new float[g.colSize()];
        kernels().im2col(g, range(1, 9), 0, col, 0);
        assertArrayEquals(new float[] {
                1, 2, 4, 5,
                2, 3, 5, 6,
                4, 5, 7, 8,
                5, 6, 8, 9}, col, 0f);
    }

    /** The 3×3 image 1..9, window 3×3, stride 2, pad 1: four windows, most cells padding. */
    static final float[] COL_3X3_S2_P1 = {
            0, 0, 0, 5,    // fy=0 fx=0
            0, 0, 4, 6,    // fy=0 fx=1
            0, 0, 5, 0,    // fy=0 fx=2
            0, 2, 0, 8,    // fy=1 fx=0
            1, 3, 7, 9,    // fy=1 fx=1
            2, 0, 8, 0,    // fy=1 fx=2
            0, 5, 0, 0,    // fy=2 fx=0
            4, 6, 0, 0,    // fy=2 fx=1
            5, 0, 0, 0};   // fy=2 fx=2

    @Test
    void im2colWritesZerosForPaddingAndHonoursStrideAndOffsets() {
        WindowGeometry g = new WindowGeometry(1, 3, 3, 3, 3, 2, 1);
        assertEquals(2, g.outH());
        float[] x = new float[2 + 9];
        System.arraycopy(range(1, 9), 0, x, 2, 9);
        // NaN everywhere: the padding zeros must be written, and nothing outside the block touched.
        float[] col = filled(3 + g.colSize() + 3, Float.NaN);
        kernels().im2col(g, x, 2, col, 3);
        assertArrayEquals(COL_3X3_S2_P1, Arrays.copyOfRange(col, 3, 3 + g.colSize()), 0f);
        for (int i : new int[] {0, 1, 2, col.length - 3, col.length - 2, col.length - 1}) {
            assertTrue(Float.isNaN(col[i]), "col[" + i + "] outside the block was written");
        }
    }

    @Test
    void im2colRectangularWindowTwoChannels() {
        // Two 2×3 channels (1..6 and 7..12), window 1×2, stride 1, pad 0: OH = 2, OW = 2.
        WindowGeometry g = new WindowGeometry(2, 2, 3, 1, 2, 1, 0);
        float[] col = new float[g.colSize()];
        kernels().im2col(g, range(1, 12), 0, col, 0);
        assertArrayEquals(new float[] {
                1, 2, 4, 5,      // c=0 fx=0
                2, 3, 5, 6,      // c=0 fx=1
                7, 8, 10, 11,    // c=1 fx=0
                8, 9, 11, 12}, col, 0f);
    }

    @Test
    void col2imSumsOverlappingWindowsIntoWhatIsThere() {
        // col2im(im2col(x)) multiplies each cell by the number of windows covering it:
        // [[1 2 1] [2 4 2] [1 2 1]] for this geometry, and adds onto the 0.5 already in dx.
        WindowGeometry g = new WindowGeometry(1, 3, 3, 3, 3, 2, 1);
        float[] dx = filled(1 + 9, 0.5f);
        float[] col = filled(2 + COL_3X3_S2_P1.length + 2, Float.NaN);   // NaN outside the block
        System.arraycopy(COL_3X3_S2_P1, 0, col, 2, COL_3X3_S2_P1.length);
        kernels().col2im(g, col, 2, dx, 1);
        assertArrayEquals(new float[] {0.5f,
                1.5f, 4.5f, 3.5f,
                8.5f, 20.5f, 12.5f,
                7.5f, 16.5f, 9.5f}, dx, 0f);
    }

    @Test
    void col2imStride1CountsCoverage() {
        WindowGeometry g = new WindowGeometry(1, 3, 3, 2, 2, 1, 0);
        float[] dx = new float[9];
        kernels().col2im(g, filled(g.colSize(), 1f), 0, dx, 0);
        assertArrayEquals(new float[] {1, 2, 1, 2, 4, 2, 1, 2, 1}, dx, 0f);
    }

    @Provide
    Arbitrary<WindowGeometry> geometries() {
        // Windows are clamped to the padded input so that every generated geometry is valid.
        return Combinators.combine(
                Arbitraries.integers().between(1, 3),     // channels
                Arbitraries.integers().between(1, 9),     // height
                Arbitraries.integers().between(1, 9),     // width
                Arbitraries.integers().between(1, 5),     // windowH
                Arbitraries.integers().between(1, 5),     // windowW
                Arbitraries.integers().between(1, 3),     // stride
                Arbitraries.integers().between(0, 2))     // pad
                .as((c, h, w, fh, fw, s, p) -> new WindowGeometry(c, h, w,
                        Math.min(fh, h + 2 * p), Math.min(fw, w + 2 * p), s, p));
    }

    /**
     * ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩: col2im is the adjoint of im2col. Both inner products are
     * accumulated in double. im2col only copies, so the left side is exact up to the double
     * sum; col2im adds at most FH·FW float terms into each cell (one per window row), so each
     * cell is within γ_{FH·FW}·Σ|terms| of its exact value. Hence
     * |lhs − rhs| ≤ γ_{FH·FW+1}·Σ|im2col(x)|·|y| (one more rounding for the double sums' slack).
     */
    @Property(tries = 300)
    void col2imIsTheAdjointOfIm2col(@ForAll("geometries") WindowGeometry g, @ForAll long seed) {
        float[] x = random(seed, g.inputSize());
        float[] y = random(seed + 1, g.colSize());
        float[] col = new float[g.colSize()];
        float[] dx = new float[g.inputSize()];
        kernels().im2col(g, x, 0, col, 0);
        kernels().col2im(g, y, 0, dx, 0);
        double lhs = 0, rhs = 0, abs = 0;
        for (int i = 0; i < col.length; i++) {
            lhs += (double) col[i] * y[i];
            abs += Math.abs((double) col[i] * y[i]);
        }
        for (int i = 0; i < x.length; i++) {
            rhs += (double) x[i] * dx[i];
        }
        double bound = gamma(g.windowH() * g.windowW() + 1) * abs;
        assertTrue(Math.abs(lhs - rhs) <= bound,
                g + ": <im2col x, y> = " + lhs + ", <x, col2im y> = " + rhs + ", bound " + bound);
    }

    /** Small integers make every sum exact, so the identity must hold to the last bit. */
    @Property(tries = 200)
    void col2imIsTheExactAdjointOnIntegers(@ForAll("geometries") WindowGeometry g, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[g.inputSize()], y = new float[g.colSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(-8, 9);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(-8, 9);
        }
        float[] col = new float[g.colSize()], dx = new float[g.inputSize()];
        kernels().im2col(g, x, 0, col, 0);
        kernels().col2im(g, y, 0, dx, 0);
        long lhs = 0, rhs = 0;
        for (int i = 0; i < col.length; i++) {
            lhs += (long) col[i] * (long) y[i];
        }
        for (int i = 0; i < x.length; i++) {
            rhs += (long) x[i] * (long) dx[i];
        }
        assertEquals(lhs, rhs, g.toString());
    }

    // =============================================================================================
    // Convolution through these kernels against a direct nested loop
    // =============================================================================================

    /**
     * The Convolution layer (im2col + sgemm + biasAddRows on these kernels) equals the definition
     * out[n,f,oy,ox] = b[f] + Σ_{c,fy,fx} W[f,c,fy,fx]·x[n,c,oy·S−P+fy,ox·S−P+fx], computed here
     * in double. Each output is a K+1 term float sum (K = C·FH·FW products and the bias), so
     * |out − ref| ≤ γ_{K+2}·(|b| + Σ|W||x|).
     */
    @Property(tries = 200)
    void convolutionForwardEqualsDirectConvolution(@ForAll("geometries") WindowGeometry g,
                                                   @ForAll @IntRange(min = 1, max = 2) int n,
                                                   @ForAll @IntRange(min = 1, max = 3) int filters,
                                                   @ForAll long seed) {
        int c = g.channels(), h = g.height(), w = g.width(), fh = g.windowH(), fw = g.windowW();
        int s = g.stride(), p = g.pad(), oh = g.outH(), ow = g.outW();
        Tensor x = Tensor.wrap(random(seed, n * c * h * w), n, c, h, w);
        Tensor weight = Tensor.wrap(random(seed + 1, filters * c * fh * fw), filters, c, fh, fw);
        Tensor bias = Tensor.wrap(random(seed + 2, filters), filters);
        Tensor out = new Convolution(weight, bias, s, p, kernels()).forward(x);
        assertArrayEquals(new int[] {n, filters, oh, ow}, out.shape());
        int k = c * fh * fw;
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double ref = bias.get(f), abs = Math.abs(bias.get(f));
                        for (int ch = 0; ch < c; ch++) {
                            for (int fy = 0; fy < fh; fy++) {
                                for (int fx = 0; fx < fw; fx++) {
                                    int iy = oy * s - p + fy, ix = ox * s - p + fx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    double t = (double) weight.get(f, ch, fy, fx) * x.get(i, ch, iy, ix);
                                    ref += t;
                                    abs += Math.abs(t);
                                }
                            }
                        }
                        float got = out.get(i, f, oy, ox);
                        double bound = gamma(k + 2) * abs;
                        if (!(Math.abs(got - ref) <= bound)) {
                            fail(g + " n=" + n + " filters=" + filters + ": out[" + i + "," + f + ","
                                    + oy + "," + ox + "] = " + got + ", direct " + ref + ", bound " + bound);
                        }
                    }
                }
            }
        }
    }

    // =============================================================================================
    // sgemm
    // =============================================================================================

    static final float[] A23 = {1, 2, 3, 4, 5, 6};          // 2×3
    static final float[] A23_T = {1, 4, 2, 5, 3, 6};        // its transpose, 3×2
    static final float[] B32 = {7, 8, 9, 10, 11, 12};       // 3×2
    static final float[] B32_T = {7, 9, 11, 8, 10, 12};     // its transpose, 2×3

    @ParameterizedTest(name = "transA={0} transB={1}")
    @ValueSource(ints = {0, 1, 2, 3})
    void sgemmHandComputedEveryTransposeAlphaBeta(int combo) {
        boolean ta = (combo & 1) != 0, tb = (combo & 2) != 0;
        float[] a = ta ? A23_T : A23, b = tb ? B32_T : B32;
        int lda = ta ? 2 : 3, ldb = tb ? 3 : 2;
        // A·B = [[58 64] [139 154]]; 2·AB + 0.5·[[1 2] [3 4]].
        float[] c = {1, 2, 3, 4};
        kernels().sgemm(ta, tb, 2, 2, 3, 2f, a, 0, lda, b, 0, ldb, 0.5f, c, 0, 2);
        assertArrayEquals(new float[] {116.5f, 129f, 279.5f, 310f}, c, 0f);
        // β = 0 must not read C: NaN there must not leak into the result.
        float[] nan = filled(4, Float.NaN);
        kernels().sgemm(ta, tb, 2, 2, 3, 1f, a, 0, lda, b, 0, ldb, 0f, nan, 0, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, nan, 0f);
        // β = 1 accumulates.
        float[] acc = {1, 1, 1, 1};
        kernels().sgemm(ta, tb, 2, 2, 3, -1f, a, 0, lda, b, 0, ldb, 1f, acc, 0, 2);
        assertArrayEquals(new float[] {-57, -63, -138, -153}, acc, 0f);
    }

    @Test
    void sgemmHonoursOffsetsAndLeadingDimensionsAndLeavesTheRestOfC() {
        // A 2×3 inside a 2×5 array at offset 1 (lda 5), B 3×2 inside 3×4 at offset 2 (ldb 4),
        // C 2×2 inside 2×3 at offset 1 (ldc 3): every cell outside the blocks holds a sentinel.
        float[] a = {-9, 1, 2, 3, -9, -9, 4, 5, 6, -9};
        float[] b = {-9, -9, 7, 8, -9, -9, 9, 10, -9, -9, 11, 12};
        float[] c = {-7, Float.NaN, Float.NaN, -7, Float.NaN, Float.NaN, -7};
        kernels().sgemm(false, false, 2, 2, 3, 1f, a, 1, 5, b, 2, 4, 0f, c, 1, 3);
        assertArrayEquals(new float[] {-7, 58, 64, -7, 139, 154, -7}, c, 0f);
    }

    /** Every implementation rejects bad arguments the same way (GemmChecks) before touching C. */
    @Test
    void sgemmRejectsArraysTooShortAndLeadingDimensionsTooSmall() {
        float[] c = filled(4, 7f);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> kernels().sgemm(false, false, 2, 2, 3, 1f, new float[5], 0, 3, new float[6], 0, 2,
                        0f, c, 0, 2));
        assertTrue(e.getMessage().contains("sgemm A") && e.getMessage().contains("array has 5"),
                e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> kernels().sgemm(false, true, 2, 2, 3, 1f, new float[6], 0, 3, new float[6], 0, 2,
                        0f, c, 0, 2));
        assertTrue(e.getMessage().contains("ldb") && e.getMessage().contains("got 2"), e.getMessage());
        assertArrayEquals(filled(4, 7f), c, 0f, "C was written before the arguments were checked");
    }

    @Test
    void sgemmWithKZeroScalesC() {
        float[] c = {1, 2, 3, 4};
        kernels().sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 3f, c, 0, 2);
        assertArrayEquals(new float[] {3, 6, 9, 12}, c, 0f);
        float[] nan = filled(4, Float.NaN);
        kernels().sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, nan, 0, 2);
        assertArrayEquals(new float[4], nan, 0f);
    }

    /**
     * C = α·op(A)·op(B) + β·C against Commons Math's double product. Each float entry is α times
     * a k-term dot product plus β·c: every term passes through at most k + 3 roundings (α·a, the
     * product, k − 1 additions or k with the β·c start, β·c), so
     * |c − ref| ≤ γ_{k+3}·(|α|·Σₚ|aᵢₚ||bₚⱼ| + |β|·|c₀|), whatever the blocking or FMA use.
     * Cells of C outside the m×n block (before the offset, in the ldc gap) must be untouched.
     */
    void checkSgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                    int aOff, int bOff, int cOff, int ldExtra, long seed) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = Math.max(1, aCols) + ldExtra, ldb = Math.max(1, bCols) + ldExtra, ldc = n + ldExtra;
        float[] a = random(seed, aOff + aRows * lda), b = random(seed + 1, bOff + bRows * ldb);
        float[] c = random(seed + 2, cOff + m * ldc + 3);
        float[] c0 = c.clone();
        kernels().sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);

        double[][] opA = new double[m][k], opB = new double[k][n];
        double[][] absA = new double[m][k], absB = new double[k][n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                opA[i][p] = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                absA[i][p] = Math.abs(opA[i][p]);
            }
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                opB[p][j] = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                absB[p][j] = Math.abs(opB[p][j]);
            }
        }
        double[][] ab = new double[m][n], abs = new double[m][n];
        if (k > 0) {
            ab = new Array2DRowRealMatrix(opA, false).multiply(new Array2DRowRealMatrix(opB, false)).getData();
            RealMatrix absProduct = new Array2DRowRealMatrix(absA, false)
                    .multiply(new Array2DRowRealMatrix(absB, false));
            abs = absProduct.getData();
        }
        String where = "sgemm(" + ta + ", " + tb + ", m=" + m + ", n=" + n + ", k=" + k + ", alpha="
                + alpha + ", beta=" + beta + ", offsets " + aOff + "/" + bOff + "/" + cOff + ", ld+"
                + ldExtra + ")";
        boolean[] inBlock = new boolean[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * ldc + j;
                inBlock[at] = true;
                double old = c0[at];
                double ref = alpha * ab[i][j] + (beta == 0f ? 0 : beta * old);
                double bound = gamma(k + 3) * (Math.abs(alpha) * abs[i][j] + Math.abs(beta * old));
                if (!(Math.abs(c[at] - ref) <= bound)) {
                    fail(where + ": C[" + i + "," + j + "] = " + c[at] + ", reference " + ref
                            + ", |diff| " + Math.abs(c[at] - ref) + " > bound " + bound);
                }
            }
        }
        for (int i = 0; i < c.length; i++) {
            if (!inBlock[i] && Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(c0[i])) {
                fail(where + ": C array index " + i + " outside the m×n block was changed");
            }
        }
    }

    @Provide
    Arbitrary<Float> alphas() {
        return Arbitraries.of(1f, -1f, 0.5f, 2.25f, 0f);
    }

    @Provide
    Arbitrary<Float> betas() {
        return Arbitraries.of(0f, 1f, -0.75f, 2f);
    }

    @Property(tries = 300)
    void sgemmMatchesCommonsMathInDouble(@ForAll boolean transA, @ForAll boolean transB,
                                         @ForAll @IntRange(min = 1, max = 40) int m,
                                         @ForAll @IntRange(min = 1, max = 40) int n,
                                         @ForAll @IntRange(min = 0, max = 40) int k,
                                         @ForAll("alphas") float alpha, @ForAll("betas") float beta,
                                         @ForAll @IntRange(min = 0, max = 3) int aOff,
                                         @ForAll @IntRange(min = 0, max = 3) int bOff,
                                         @ForAll @IntRange(min = 0, max = 3) int cOff,
                                         @ForAll @IntRange(min = 0, max = 3) int ldExtra,
                                         @ForAll long seed) {
        checkSgemm(transA, transB, m, n, k, alpha, beta, aOff, bOff, cOff, ldExtra, seed);
    }

    /** Sizes where a vector body, a register block or an unrolled loop meets its tail. */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @org.junit.jupiter.params.provider.CsvSource({
            "1, 1, 1", "7, 15, 17", "17, 33, 7", "6, 32, 64", "13, 65, 31",
            "207, 33, 17", "15, 207, 9", "9, 17, 207", "64, 64, 64", "1, 207, 1"})
    void sgemmAwkwardSizesEveryTranspose(int m, int n, int k) {
        for (int combo = 0; combo < 4; combo++) {
            checkSgemm((combo & 1) != 0, (combo & 2) != 0, m, n, k, 1f, 0f, 0, 0, 0, 0, 31L * m + n);
            checkSgemm((combo & 1) != 0, (combo & 2) != 0, m, n, k, -0.5f, 1f, 1, 2, 3, 5, 17L * k + combo);
        }
    }

    // =============================================================================================
    // max pooling
    // =============================================================================================

    @Test
    void maxPoolForwardPicksTheMaxAndItsOffsetInTheImage() {
        // Two 2×4 channels, 2×2 window, stride 2: argmax counts from the start of the image.
        float[] x = {
                1, 5, 2, 0,
                3, 4, 8, 7,

                -1, -2, 9, 9.5f,
                -3, -0.5f, 1, 2};
        WindowGeometry g = new WindowGeometry(2, 2, 4, 2, 2, 2, 0);
        float[] out = new float[4];
        int[] argmax = new int[4];
        kernels().maxPoolForward(g, x, 0, out, 0, argmax, 0);
        assertArrayEquals(new float[] {5, 8, -0.5f, 9.5f}, out, 0f);
        assertArrayEquals(new int[] {1, 6, 13, 11}, argmax);
    }

    @Test
    void maxPoolForwardTiesGoToTheFirstCellInRowMajorOrder() {
        WindowGeometry g = new WindowGeometry(1, 3, 4, 2, 2, 1, 0);   // OH 2, OW 3, overlapping
        float[] out = new float[6];
        int[] argmax = new int[6];
        kernels().maxPoolForward(g, filled(12, 3f), 0, out, 0, argmax, 0);
        assertArrayEquals(filled(6, 3f), out, 0f);
        assertArrayEquals(new int[] {0, 1, 2, 4, 5, 6}, argmax);
        // A tie between two later cells: the one earlier in the window's row-major order wins.
        float[] x = {0, 0, 0, 0, 0, 7, 0, 0, 0, 7, 0, 0};   // 7 at (1,1) and (2,1)
        kernels().maxPoolForward(g, x, 0, out, 0, argmax, 0);
        assertArrayEquals(new int[] {5, 5, 2, 5, 5, 6}, argmax);
    }

    @Test
    void maxPoolForwardPaddingNeverWins() {
        // All inputs negative and padding 1: a zero-padded pool would output 0 at the border.
        WindowGeometry g = new WindowGeometry(1, 3, 3, 2, 2, 2, 1);   // OH = OW = 2
        float[] x = {-9, -8, -7, -6, -5, -4, -3, -2, -1};
        float[] out = new float[4];
        int[] argmax = new int[4];
        kernels().maxPoolForward(g, x, 0, out, 0, argmax, 0);
        assertArrayEquals(new float[] {-9, -7, -3, -1}, out, 0f);
        assertArrayEquals(new int[] {0, 2, 6, 8}, argmax);
    }

    @Test
    void maxPoolForwardPropagatesNaN() {
        WindowGeometry g = new WindowGeometry(1, 2, 2, 2, 2, 1, 0);
        float[] out = new float[1];
        int[] argmax = new int[1];
        kernels().maxPoolForward(g, new float[] {1, Float.NaN, 5, 2}, 0, out, 0, argmax, 0);
        assertTrue(Float.isNaN(out[0]), "NaN in the window must give NaN, got " + out[0]);
        assertEquals(1, argmax[0]);
    }

    @Test
    void maxPoolForwardRejectsAWindowOfPaddingOnly() {
        // 1×1 window with pad 1: the corner windows hold padding only and have no maximum.
        WindowGeometry g = new WindowGeometry(1, 2, 2, 1, 1, 1, 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> kernels().maxPoolForward(g, new float[4], 0, new float[16], 0, new int[16], 0));
        assertTrue(e.getMessage().contains("pad") && e.getMessage().contains("got 1"), e.getMessage());
    }

    @Test
    void maxPoolForwardHonoursOffsets() {
        WindowGeometry g = new WindowGeometry(1, 2, 2, 2, 2, 2, 0);
        float[] x = {100, 100, 1, 4, 3, 2};   // the image starts at offset 2
        float[] out = {-1, -1, -1};
        int[] argmax = {-1, -1, -1};
        kernels().maxPoolForward(g, x, 2, out, 1, argmax, 2);
        assertArrayEquals(new float[] {-1, 4, -1}, out, 0f);
        assertArrayEquals(new int[] {-1, -1, 1}, argmax, "argmax is relative to the image, not x");
    }

    @Test
    void maxPoolBackwardSumsOverlappingWindowsAndAccumulates() {
        // 3×3 with its max in the centre, 2×2 windows at stride 1: all four pick the centre.
        WindowGeometry g = new WindowGeometry(1, 3, 3, 2, 2, 1, 0);
        float[] x = {0, 1, 0, 1, 9, 1, 0, 1, 0};
        float[] out = new float[4];
        int[] argmax = new int[4];
        kernels().maxPoolForward(g, x, 0, out, 0, argmax, 0);
        assertArrayEquals(new int[] {4, 4, 4, 4}, argmax);
        float[] dx = filled(1 + 9, 0.25f);
        kernels().maxPoolBackward(g, new float[] {9, 1, 2, 3, 4}, 1, argmax, 0, dx, 1);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 10.25f, 0.25f, 0.25f, 0.25f,
                0.25f}, dx, 0f);
    }

    @Provide
    Arbitrary<WindowGeometry> poolGeometries() {
        // Pad at most half the window, as MaxPooling (and PyTorch) allow; windows no larger than
        // the input, so that clamping the pad cannot make the geometry invalid.
        return Combinators.combine(
                Arbitraries.integers().between(1, 3),     // channels
                Arbitraries.integers().between(1, 9),     // height
                Arbitraries.integers().between(1, 9),     // width
                Arbitraries.integers().between(1, 4),     // windowH
                Arbitraries.integers().between(1, 4),     // windowW
                Arbitraries.integers().between(1, 3),     // stride
                Arbitraries.integers().between(0, 2))     // pad
                .as((c, h, w, fh, fw, s, p) -> {
                    int wh = Math.min(fh, h), ww = Math.min(fw, w);
                    return new WindowGeometry(c, h, w, wh, ww, s, Math.min(p, Math.min(wh, ww) / 2));
                });
    }

    /**
     * Forward against a direct scan of each window (first maximum in row-major order, padding
     * skipped), on small integers so that ties are common; backward against a direct scatter.
     * Both are exact: a max selects and the scattered sums are of small integers.
     */
    @Property(tries = 200)
    void maxPoolMatchesADirectScan(@ForAll("poolGeometries") WindowGeometry g, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[g.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(-4, 5);
        }
        int per = g.channels() * g.outputPositions();
        float[] out = new float[per];
        int[] argmax = new int[per];
        kernels().maxPoolForward(g, x, 0, out, 0, argmax, 0);
        float[] dout = new float[per];
        for (int i = 0; i < per; i++) {
            dout[i] = r.nextInt(-8, 9);
        }
        float[] dx = new float[g.inputSize()];
        kernels().maxPoolBackward(g, dout, 0, argmax, 0, dx, 0);

        float[] refDx = new float[g.inputSize()];
        int o = 0, h = g.height(), w = g.width();
        for (int c = 0; c < g.channels(); c++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++, o++) {
                    int best = -1;
                    for (int fy = 0; fy < g.windowH(); fy++) {
                        for (int fx = 0; fx < g.windowW(); fx++) {
                            int iy = oy * g.stride() - g.pad() + fy, ix = ox * g.stride() - g.pad() + fx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                int at = (c * h + iy) * w + ix;
                                if (best < 0 || x[at] > x[best]) {
                                    best = at;
                                }
                            }
                        }
                    }
                    assertEquals(best, argmax[o], g + ": argmax[" + o + "]");
                    assertEquals(x[best], out[o], 0f, g + ": out[" + o + "]");
                    refDx[best] += dout[o];
                }
            }
        }
        assertArrayEquals(refDx, dx, 0f, g + ": dx");
        // The written form overwrites whatever dx held.
        float[] set = filled(g.inputSize(), Float.NaN);
        kernels().maxPoolBackwardSet(g, dout, 0, argmax, 0, set, 0);
        assertArrayEquals(refDx, set, 0f, g + ": dx written by maxPoolBackwardSet");
    }

    @Test
    void maxPoolBackwardSetWritesEveryCellOfItsImageOnly() {
        // One 1×3×17 image (odd H and W: a last row and column no 2×2 window reads; 8 outputs, a
        // row the vector kernel takes at 4, 8 and 16 lanes), its gradient written into garbage
        // between canaries. Window j's only nonzero cell is its (j mod 4)-th, in row-major order.
        WindowGeometry g = new WindowGeometry(1, 3, 17, 2, 2, 2, 0);
        float[] x = new float[51];
        int[] winner = new int[8];
        for (int j = 0; j < 8; j++) {
            winner[j] = (j % 4 / 2) * 17 + 2 * j + j % 2;
            x[winner[j]] = j + 1;
        }
        float[] out = new float[8];
        int[] argmax = new int[8];
        kernels().maxPoolForward(g, x, 0, out, 0, argmax, 0);
        assertArrayEquals(winner, argmax);
        float[] dout = {-0f, 1, -2, 3, -4, 5, -6, Float.NaN};
        float[] dx = filled(1 + 51 + 1, -7f);
        kernels().maxPoolBackwardSet(g, dout, 0, argmax, 0, dx, 1);
        float[] want = new float[53];
        want[0] = want[52] = -7f;
        for (int j = 0; j < 8; j++) {
            want[1 + winner[j]] = 0f + dout[j]; // cell 0 gets 0 + −0 = +0, as zeroing and adding give
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(dx[i]), "dx[" + i + "]");
        }
    }

    // =============================================================================================
    // relu, bias
    // =============================================================================================

    @Test
    void reluHandComputed() {
        float[] x = {-1f, 0f, 2f, -0f, 3.5f, -1e-30f};
        float[] out = filled(x.length + 1, Float.NaN);
        kernels().reluForward(x.length, x, 0, out, 1);
        assertTrue(Float.isNaN(out[0]));
        assertArrayEquals(new float[] {0, 0, 2, 0, 3.5f, 0}, Arrays.copyOfRange(out, 1, out.length), 0f);
        // In place.
        float[] y = x.clone();
        kernels().reluForward(y.length, y, 0, y, 0);
        assertArrayEquals(new float[] {0, 0, 2, 0, 3.5f, 0}, y, 0f);
        // Backward: the gradient passes only where x > 0 (not at 0) and adds onto dx.
        float[] dx = filled(x.length, 1f);
        kernels().reluBackward(x.length, x, 0, new float[] {5, 6, 7, 8, 9, 10}, 0, dx, 0);
        assertArrayEquals(new float[] {1, 1, 8, 1, 10, 1}, dx, 0f);
    }

    @Test
    void biasAddAndGradHandComputed() {
        float[] y = filled(1 + 6, 1f);
        kernels().biasAddRows(2, 3, new float[] {0, 10, 20}, 1, y, 1);
        assertArrayEquals(new float[] {1, 11, 11, 11, 21, 21, 21}, y, 0f);
        y = filled(6, 1f);
        kernels().biasAddCols(2, 3, new float[] {1, 2, 3}, 0, y, 0);
        assertArrayEquals(new float[] {2, 3, 4, 2, 3, 4}, y, 0f);

        float[] dy = {0, 1, 2, 3, 4, 5, 6};   // a 2×3 block at offset 1
        float[] db = {1, 1, 1};
        kernels().biasGradRows(2, 3, dy, 1, db, 1);
        assertArrayEquals(new float[] {1, 7, 16}, db, 0f);
        db = new float[] {1, 1, 1};
        kernels().biasGradCols(2, 3, dy, 1, db, 0);
        assertArrayEquals(new float[] {6, 8, 10}, db, 0f);
    }

    /** Every elementwise and bias kernel over the awkward sizes, against its definition. */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 2, 7, 8, 15, 16, 17, 31, 33, 64, 207})
    void elementwiseAndBiasKernelsAtAwkwardSizes(int size) {
        float[] x = random(size, size + 3), dout = random(size + 1, size + 3);
        float[] out = filled(size + 3, Float.NaN);
        kernels().reluForward(size, x, 3, out, 1);
        float[] dx = random(size + 2, size + 3), dx0 = dx.clone();
        kernels().reluBackward(size, x, 3, dout, 2, dx, 0);
        for (int i = 0; i < size; i++) {
            assertEquals(Math.max(x[3 + i], 0f), out[1 + i], 0f, "relu out[" + i + "]");
            assertEquals(x[3 + i] > 0 ? dx0[i] + dout[2 + i] : dx0[i], dx[i], 0f, "relu dx[" + i + "]");
        }
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[size + 1]), "relu wrote outside [1, 1+n)");

        int rows = 3;
        float[] bias = random(size + 4, size), y = random(size + 5, rows * size), y0 = y.clone();
        kernels().biasAddCols(rows, size, bias, 0, y, 0);
        float[] db = new float[size];
        kernels().biasGradCols(rows, size, y0, 0, db, 0);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < size; j++) {
                assertEquals(y0[r * size + j] + bias[j], y[r * size + j], 0f, "biasAddCols");
            }
        }
        for (int j = 0; j < size; j++) {
            double sum = 0, abs = 0;
            for (int r = 0; r < rows; r++) {
                sum += y0[r * size + j];
                abs += Math.abs(y0[r * size + j]);
            }
            assertEquals(sum, db[j], gamma(rows) * abs, "biasGradCols[" + j + "]");
        }
        float[] rowBias = random(size + 6, rows);
        float[] z = random(size + 7, rows * size), z0 = z.clone();
        kernels().biasAddRows(rows, size, rowBias, 0, z, 0);
        float[] dbRows = {0.5f, 0.5f, 0.5f};
        kernels().biasGradRows(rows, size, z0, 0, dbRows, 0);
        for (int r = 0; r < rows; r++) {
            double sum = 0.5, abs = 0.5;
            for (int j = 0; j < size; j++) {
                assertEquals(z0[r * size + j] + rowBias[r], z[r * size + j], 0f, "biasAddRows");
                sum += z0[r * size + j];
                abs += Math.abs(z0[r * size + j]);
            }
            // A sum of size + 1 floats: within γ_{size+1}·Σ|terms|, in any order.
            assertEquals(sum, dbRows[r], gamma(size + 1) * abs, "biasGradRows[" + r + "]");
        }
    }

    // =============================================================================================
    // softmax + cross-entropy
    // =============================================================================================

    @Test
    void softmaxCrossEntropyHandComputed() {
        // Row 0: equal scores, p = 1/3 each. Row 1: scores ln 1, ln 2, ln 5 → p = 1/8, 2/8, 5/8.
        float[] s = {0, 0, 0, (float) Math.log(1), (float) Math.log(2), (float) Math.log(5)};
        float[] s0 = s.clone();
        float[] probs = filled(1 + 6, Float.NaN);
        int[] labels = {0, 2};
        double loss = kernels().softmaxCrossEntropyForward(2, 3, s, 0, labels, probs, 1);
        assertTrue(Float.isNaN(probs[0]), "probs written before its offset");
        assertArrayEquals(new float[] {1f / 3, 1f / 3, 1f / 3, 1f / 8, 2f / 8, 5f / 8},
                Arrays.copyOfRange(probs, 1, 7), 1e-6f);
        assertEquals((Math.log(3) - Math.log(5.0 / 8)) / 2, loss, 1e-6);
        // Backward with scale 1/2 (dloss = 1, n = 2), adding onto 1.
        float[] d = filled(6, 1f);
        kernels().softmaxCrossEntropyBackward(2, 3, probs, 1, labels, 0.5f, d, 0);
        assertArrayEquals(new float[] {1 + (1f / 3 - 1) / 2, 1 + 1f / 6, 1 + 1f / 6,
                1 + 1f / 16, 1 + 1f / 8, 1 + (5f / 8 - 1) / 2}, d, 1e-6f);
        assertArrayEquals(s0, s, 0f, "the scores are not modified");
    }

    @Test
    void softmaxCrossEntropyHugeLogitsDoNotOverflow() {
        // exp(1000) overflows double, exp(100) overflows float: the row max must be subtracted.
        float[] scores = {1000, 1000, 1000, 3e38f, -3e38f, 0};
        float[] probs = new float[scores.length + 1];
        double loss = kernels().softmaxCrossEntropyForward(1, 3, scores, 0, new int[] {1}, probs, 0);
        assertArrayEquals(new float[] {1f / 3, 1f / 3, 1f / 3}, Arrays.copyOf(probs, 3), 1e-6f);
        assertEquals(Math.log(3), loss, 1e-6);
        // 3e38 against −3e38: their difference overflows to −∞ and its exp is exactly 0.
        float[] p2 = new float[3];
        loss = kernels().softmaxCrossEntropyForward(1, 3, scores, 3, new int[] {0}, p2, 0);
        assertArrayEquals(new float[] {1, 0, 0}, p2, 0f);
        assertEquals(0.0, loss, 1e-12);
    }

    @Test
    void softmaxCrossEntropyLogGuardKeepsTheLossFinite() {
        // The label's probability underflows (e^-200 ≈ 1e-87, below even float's subnormals):
        // the loss is −ln(LOG_FLOOR) ≈ 16.1, not ∞; with two rows it is averaged.
        float[] scores = {200, 0, 0, 0};
        float[] probs = new float[4];
        double loss = kernels().softmaxCrossEntropyForward(2, 2, scores, 0, new int[] {1, 0}, probs, 0);
        double floor = -Math.log(Kernels.LOG_FLOOR);
        assertEquals((floor + Math.log(2)) / 2, loss, 1e-6);
        assertTrue(Double.isFinite(loss));
        // The gradient is not clamped: p − onehot, here (0 − 1) on the wrong-label cell.
        float[] d = new float[4];
        kernels().softmaxCrossEntropyBackward(2, 2, probs, 0, new int[] {1, 0}, 1f, d, 0);
        assertArrayEquals(new float[] {1, -1, -0.5f, 0.5f}, d, 1e-6f);
    }

    /**
     * Against a double-precision softmax over the awkward class counts. Each probability is a
     * float exp of a float difference, divided by a sum: its relative error is a few ulps plus
     * the argument's rounding (|s − max|·2⁻²⁴ with |s − max| ≤ 2 here), so 1e-6 absolute on
     * values ≤ 1 leaves margin; the loss, a mean of logs of those, gets 1e-5.
     */
    @ParameterizedTest(name = "classes={0}")
    @ValueSource(ints = {1, 2, 7, 10, 15, 16, 17, 33, 207})
    void softmaxCrossEntropyAtAwkwardClassCounts(int classes) {
        int n = 3;
        float[] scores = random(classes, n * classes);
        int[] labels = {0, classes / 2, classes - 1};
        float[] probs = new float[n * classes];
        double loss = kernels().softmaxCrossEntropyForward(n, classes, scores, 0, labels, probs, 0);
        double refLoss = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, scores[r * classes + j]);
            }
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(scores[r * classes + j] - max);
            }
            for (int j = 0; j < classes; j++) {
                double p = Math.exp(scores[r * classes + j] - max) / sum;
                assertEquals(p, probs[r * classes + j], 1e-6, "probs[" + r + "," + j + "]");
            }
            refLoss -= Math.log(Math.exp(scores[r * classes + labels[r]] - max) / sum);
        }
        assertEquals(refLoss / n, loss, 1e-5);
        float[] d = new float[n * classes];
        kernels().softmaxCrossEntropyBackward(n, classes, probs, 0, labels, 1f / n, d, 0);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < classes; j++) {
                float expected = (probs[r * classes + j] - (j == labels[r] ? 1f : 0f)) / n;
                assertEquals(expected, d[r * classes + j], 1e-7f, "dscores[" + r + "," + j + "]");
            }
        }
    }

    private static void rejected(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks \"" + part + "\": " + e.getMessage());
        }
    }

    /**
     * Every kernel checks its sizes and arrays before it writes: a short array used to throw
     * ArrayIndexOutOfBoundsException with part of the output written, and a label equal to the
     * class count read the next row.
     */
    @Test
    void everyKernelRejectsBadArgumentsBeforeWritingAnything() {
        Kernels k = kernels();
        WindowGeometry g = new WindowGeometry(2, 5, 5, 3, 3, 1, 0); // x 50 values, col 18 × 9 = 162
        float[] col = new float[162];
        rejected(() -> k.im2col(g, new float[47], 0, col, 0), "im2col x: expected 50 values from offset 0, array has 47");
        rejected(() -> k.im2col(g, new float[50], 0, new float[161], 0), "im2col col: expected 162 values");
        rejected(() -> k.im2col(g, new float[60], -1, col, 0), "from offset -1");
        assertArrayEquals(new float[162], col, "nothing written");
        rejected(() -> k.col2im(g, col, 1, new float[50], 0), "col2im col: expected 162 values from offset 1");
        rejected(() -> k.col2im(g, col, 0, new float[49], 0), "col2im dx: expected 50 values");

        WindowGeometry p = new WindowGeometry(1, 2, 2, 2, 2, 2, 0); // one 2×2 image, one output
        rejected(() -> k.maxPoolForward(p, new float[4], 0, new float[1], 1, new int[1], 0), "maxPoolForward out:");
        rejected(() -> k.maxPoolForward(p, new float[3], 0, new float[1], 0, new int[1], 0), "maxPoolForward x:");
        float[] dx = new float[8];
        rejected(() -> k.maxPoolBackward(p, new float[] {1}, 0, new int[] {0}, 0, dx, 5), "maxPoolBackward dx:");
        rejected(() -> k.maxPoolBackward(p, new float[] {1}, 1, new int[] {0}, 0, dx, 0), "maxPoolBackward dout:");
        assertArrayEquals(new float[8], dx, "nothing added");
        // Rows of 8 outputs, which the vector kernels' 2×2 path takes at 4, 8 and 16 lanes.
        WindowGeometry q = new WindowGeometry(1, 2, 16, 2, 2, 2, 0);
        float[] kept = filled(32, 5f);
        rejected(() -> k.maxPoolBackwardSet(q, new float[8], 0, new int[8], 0, kept, 1),
                "maxPoolBackwardSet dx: expected 32 values from offset 1");
        rejected(() -> k.maxPoolBackwardSet(q, new float[8], 0, new int[7], 0, kept, 0),
                "maxPoolBackwardSet argmax: expected 8 values");
        rejected(() -> k.maxPoolBackwardSet(q, new float[8], 1, new int[8], 0, kept, 0), "maxPoolBackwardSet dout:");
        assertArrayEquals(filled(32, 5f), kept, "nothing written");

        float[] out = new float[35];
        rejected(() -> k.reluForward(40, new float[40], 0, out, 0), "reluForward out: expected 40 values");
        rejected(() -> k.reluForward(-5, new float[4], 0, out, 0), "reluForward n: expected >= 0, got -5");
        rejected(() -> k.reluBackward(3, new float[3], 0, new float[3], 0, new float[2], 0), "reluBackward dx:");
        assertArrayEquals(new float[35], out);
        rejected(() -> k.biasAddRows(-1, 4, new float[2], 0, new float[8], 0), "biasAddRows rows: expected >= 0");
        rejected(() -> k.biasAddRows(3, 4, new float[2], 0, new float[12], 0), "biasAddRows bias: expected 3 values");
        rejected(() -> k.biasAddCols(2, 4, new float[4], 0, new float[7], 0), "biasAddCols y: expected 8 values");
        rejected(() -> k.biasGradRows(2, 4, new float[8], 0, new float[1], 0), "biasGradRows db: expected 2 values");
        rejected(() -> k.biasGradCols(2, 4, new float[8], 1, new float[4], 0), "biasGradCols dy: expected 8 values from offset 1");

        float[] probs = new float[6];
        rejected(() -> k.softmaxCrossEntropyForward(0, 3, new float[0], 0, new int[0], probs, 0),
                "expected n >= 1 and classes >= 1, got n=0");
        rejected(() -> k.softmaxCrossEntropyForward(2, 3, new float[6], 0, new int[] {0, 3}, probs, 0),
                "softmaxCrossEntropyForward labels[1]: expected 0..2, got 3");
        rejected(() -> k.softmaxCrossEntropyBackward(2, 3, probs, 0, new int[] {0}, 1f, new float[6], 0),
                "softmaxCrossEntropyBackward labels: expected 2 values");
        assertArrayEquals(new float[6], probs);
    }
}
