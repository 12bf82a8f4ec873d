package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.MAX_SHAPES_PER_KERNEL;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SHAPED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.ScalarKernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The kernels compiled per geometry ({@link ShapedKernels}: {@link ShapedIm2col},
 * {@link ShapedDot3x3}) against the scalar reference or a model of the general path's bits, and
 * the general path that replaces them beyond the cap.
 */
class ShapedKernelsTest {
    private static final Kernels SCALAR = ScalarKernels.INSTANCE;
    private static final Kernels VECTOR = VectorKernels.create();

    /**
     * Stride 1, rows of whole vectors: output widths of 1 to 11 vectors (each count of the last
     * ones after one and two loop steps of copyWholeVectorRow, and one to three with no loop step),
     * changes of W and OH, padding rows above and below the copied block, and blocks with padding
     * columns, which the copy hands to the general block code, and a block of padding rows only.
     * SimpleConvNet's OW = 24 holds whole vectors at 8 lanes, not at 16, where it is left out: the
     * kernels never send such a geometry to these paths.
     */
    private static WindowGeometry[] wholeVectorRows() {
        int l = LANES;
        return Arrays.stream(new WindowGeometry[] {
            new WindowGeometry(2, 10, 2 * l + 4, 3, 5, 1, 0), // OW = 2 vectors, OH = 8
            new WindowGeometry(2, 10, 2 * l + 2, 3, 3, 1, 0), // only W
            new WindowGeometry(2, 10, 2 * l, 3, 3, 1, 1), // padding rows and columns, OH = 10
            new WindowGeometry(2, 12, 2 * l, 3, 3, 1, 1), // OH = 12
            new WindowGeometry(3, 12, 3 * l, 3, 3, 1, 1), // OW = 3 vectors
            new WindowGeometry(1, 28, 28, 5, 5, 1, 0), // SimpleConvNet (OW = 24)
            new WindowGeometry(1, 3, l, 3, 1, 1, 0), // OW = 1 vector
            new WindowGeometry(2, 5, 4 * l + 2, 3, 3, 1, 0), // 4: one loop step, nothing after it
            new WindowGeometry(2, 5, 5 * l, 3, 3, 1, 1), // 5 = 4 + 1, padding rows
            new WindowGeometry(1, 5, 6 * l + 4, 3, 5, 1, 0), // 6 = 4 + 2
            new WindowGeometry(1, 5, 7 * l + 2, 3, 3, 1, 0), // 7 = 4 + 3
            new WindowGeometry(1, 4, 8 * l + 1, 2, 2, 1, 0), // 8 = 4 + 4
            new WindowGeometry(1, 4, 9 * l, 2, 1, 1, 0), // 9 = 4 + 4 + 1
            new WindowGeometry(1, 4, 10 * l, 2, 3, 1, 1), // 10 = 4 + 4 + 2, padding rows and columns
            new WindowGeometry(1, 4, 11 * l + 2, 2, 3, 1, 0), // 11 = 4 + 4 + 3
            new WindowGeometry(2, 7, 2 * l - 2, 5, 3, 1, 2), // two padding rows and columns: every block has some
            new WindowGeometry(1, 1, l, 3, 3, 1, 1), // OH = 1: the blocks of fy = 0 and 2 are padding rows only
        }).filter(g -> g.stride() == 1 && g.outW() % l == 0).toArray(WindowGeometry[]::new);
    }

    /** Each geometry's own copy of ShapedIm2col, defined here whatever the cap, called directly. */
    @Test
    void everyCopyOfShapedIm2colMatchesScalarBitForBit() throws Exception {
        for (WindowGeometry g : wholeVectorRows()) {
            MethodHandle copy = ShapedKernels.define(ShapedIm2col.class, "im2col", ShapedKernels.IM2COL_TYPE, g);
            checkIm2col(g, (x, xOff, col, colOff) -> {
                try {
                    copy.invokeExact(x, xOff, col, colOff);
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    /**
     * What runs for these geometries beyond the cap or with -Dvectorcnn.shaped=false, and the
     * block-at-a-time path that the general kernels take for other rows.
     */
    @Test
    void theGeneralPathsMatchScalarOnRowsOfWholeVectors() {
        for (WindowGeometry g : wholeVectorRows()) {
            checkIm2col(g, (x, xOff, col, colOff) -> VectorKernels.im2colWholeVectorRows(g, x, xOff, col, colOff));
            checkIm2col(g, (x, xOff, col, colOff) -> VectorKernels.im2colBlocks(g, x, xOff, col, colOff));
        }
    }

    /** The kernels' own im2col, whichever path it takes; twice, so the second round reuses copies. */
    @Test
    void vectorIm2colMatchesScalarBitForBitOnRowsOfWholeVectors() {
        for (int round = 0; round < 2; round++) {
            for (WindowGeometry g : wholeVectorRows()) {
                checkIm2col(g, (x, xOff, col, colOff) -> VECTOR.im2col(g, x, xOff, col, colOff));
            }
        }
    }

    /**
     * Copies of ShapedDot3x3 give each element the bits of dotBlocksNT (the model of
     * VectorKernelsTest: one fma chain per lane, the lane tree, the scalar tail of K): one and
     * several row blocks, zero to two edge columns after the whole blocks, K with and without a
     * tail and shorter than a vector, row strides longer than K, operands and C at offsets, a range
     * that starts inside C, β = 0 and 1, K's vector part in one panel and in panels of two vectors
     * (K is given in vectors, so that at any lane count the same shapes end in a shorter panel).
     * SimpleConvNet's filter gradient per image last.
     */
    @Test
    void everyCopyOfShapedDot3x3GivesTheBitsOfOneFmaChainPerLane() throws Exception {
        int[][] shapes = { // {M, N, vectors of K, floats of K after them, extra lda, extra ldb}
            {3, 1, 3, 0, 0, 0}, {3, 2, 3, 3, 1, 0}, {3, 3, 5, 0, 0, 3}, {6, 4, 7, 4, 2, 5}, {9, 5, 13, LANES - 1, 0, 0},
            {3, 7, 8, 0, 7, 1}, {12, 11, 4, 1, 3, 3}, {6, 2, 0, LANES - 1, 1, 2}, {30, 25, 576 / LANES, 0, 0, 0},
        };
        long seed = 50;
        for (int[] shape : shapes) {
            int k = shape[2] * LANES + shape[3];
            for (float beta : new float[] {0f, 1f}) {
                for (int kc : new int[] {Integer.MAX_VALUE / LANES * LANES, 2 * LANES}) {
                    checkDot3x3(shape[0], shape[1], k, k + shape[4], k + shape[5], 0, 0, beta, kc, seed++);
                }
            }
        }
        // Rows 3.. and columns 2.. of a larger C: the range, not the whole product.
        checkDot3x3(9, 13, 100, 103, 100, 3, 2, 1f, Integer.MAX_VALUE / LANES * LANES, seed++);
        checkDot3x3(9, 13, 100, 103, 100, 3, 2, 1f, 3 * LANES, seed);
    }

    private static void checkDot3x3(int m, int n, int k, int lda, int ldb, int m0, int n0, float beta, int kc,
                                    long seed) throws Exception {
        checkDot3x3(ShapedKernels.define(ShapedDot3x3.class, "dotBlocks", ShapedKernels.DOT_3X3_TYPE,
                new ShapedKernels.DotShape(lda, ldb)), m, n, k, lda, ldb, m0, n0, beta, kc, seed);
    }

    private static void checkDot3x3(MethodHandle blocks, int m, int n, int k, int lda, int ldb, int m0, int n0,
                                    float beta, int kc, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int aOff = 3, bOff = 5, cOff = 7, ldc = n + 2;
        float[] a = VectorKernelsTest.random(r, aOff + m * lda), b = VectorKernelsTest.random(r, bOff + n * ldb);
        float[] c = VectorKernelsTest.random(r, cOff + m * ldc);
        boolean panels = k / LANES * LANES > kc;
        float[] c0 = c.clone(), acc = new float[ShapedDot3x3.accumulatorFloats(m - m0, n - n0, panels)];
        // As the workspace may hold another product's: a block must not start from what is there.
        Arrays.fill(acc, Float.NaN);
        float alpha = (seed & 1) == 0 ? 1f : -0.5f;
        try {
            blocks.invokeExact(m0, m, n0, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, ldc, acc, kc);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        String shape = m + "x" + n + "x" + k + " lda " + lda + " ldb " + ldb + " from " + m0 + "," + n0 + " β " + beta
                + " panel " + kc;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                int at = cOff + i * ldc + j;
                float expected = c0[at];
                if (i >= m0 && j >= n0 && j < n) {
                    float sum = VectorKernelsTest.laneChainDot(a, aOff + i * lda, b, bOff + j * ldb, k);
                    expected = beta == 0f ? alpha * sum : alpha * sum + beta * c0[at];
                }
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(c[at]),
                        shape + " C[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void aShapeKeepsItsCopyAndShapesBeyondTheCapGetNone() {
        assumeTrue(SHAPED, "-Dvectorcnn.shaped=false");
        ShapedKernels.Copies copies = new ShapedKernels.Copies(ShapedIm2col.class, "im2col", ShapedKernels.IM2COL_TYPE);
        MethodHandle first = copies.get(new WindowGeometry(1, 3, LANES, 3, 1, 1, 0));
        assertNotNull(first);
        assertSame(first, copies.get(new WindowGeometry(1, 3, LANES, 3, 1, 1, 0)), "an equal geometry");
        for (int i = 1; i < MAX_SHAPES_PER_KERNEL; i++) {
            assertNotNull(copies.get(new WindowGeometry(1, 3 + i, LANES, 3, 1, 1, 0)), "geometry " + i);
        }
        assertNull(copies.get(new WindowGeometry(2, 3, LANES, 3, 1, 1, 0)), "one past the cap");
        assertSame(first, copies.get(new WindowGeometry(1, 3, LANES, 3, 1, 1, 0)), "kept past the cap");
    }

    /** A template whose class file cannot be read: no copy, and no more attempts for that kernel. */
    @Test
    void aCopyThatCannotBeDefinedTurnsItsKernelsCopiesOff() {
        assumeTrue(SHAPED, "-Dvectorcnn.shaped=false");
        Runnable lambda = () -> { };
        ShapedKernels.Copies copies = new ShapedKernels.Copies(lambda.getClass(), "im2col", ShapedKernels.IM2COL_TYPE);
        WindowGeometry g = new WindowGeometry(1, 3, LANES, 3, 1, 1, 0);
        assertNull(copies.get(g));
        assertTrue(copies.broken);
        assertNull(copies.get(new WindowGeometry(1, 4, LANES, 3, 1, 1, 0)), "no second attempt");
        assertEquals(1, copies.byShape.size());
        assertFalse(ShapedKernels.IM2COL.broken, "the kernels' own copies are another kernel's");
    }

    @Test
    void aTemplateWithoutTheMethodIsRefused() {
        assertThrows(NoSuchMethodException.class, () -> ShapedKernels.define(ShapedIm2col.class, "col2im",
                ShapedKernels.IM2COL_TYPE, new WindowGeometry(1, 3, LANES, 3, 1, 1, 0)));
    }

    /**
     * The kernels take the copies: the fallback gives the same bits, so only this notices a
     * condition that never reaches them. Skipped if earlier tests in this JVM have used up the cap.
     */
    @Test
    void theKernelsRunTheCopiesForSimpleConvNetsShapes() {
        assumeTrue(SHAPED, "-Dvectorcnn.shaped=false");
        // SimpleConvNet's conv1 with its output width made three vectors at any lane count.
        WindowGeometry g = new WindowGeometry(1, 3 * LANES + 4, 3 * LANES + 4, 5, 5, 1, 0);
        assumeTrue(ShapedKernels.IM2COL.byShape.containsKey(g) || ShapedKernels.IM2COL.byShape.size() < MAX_SHAPES_PER_KERNEL);
        VECTOR.im2col(g, new float[g.inputSize()], 0, new float[g.colSize()], 0);
        assertTrue(isCopy(ShapedKernels.IM2COL.byShape.get(g)), "im2col " + g);
        if (VectorConstants.DOT_A == 3) {
            ShapedKernels.DotShape shape = new ShapedKernels.DotShape(576, 576);
            assumeTrue(ShapedKernels.DOT_3X3.byShape.containsKey(shape)
                    || ShapedKernels.DOT_3X3.byShape.size() < MAX_SHAPES_PER_KERNEL);
            VECTOR.sgemm(false, true, 30, 25, 576, 1f, new float[30 * 576], 0, 576, new float[25 * 576], 0, 576,
                    1f, new float[30 * 25], 0, 25);
            assertTrue(isCopy(ShapedKernels.DOT_3X3.byShape.get(shape)), "the filter gradient's dot blocks");
            // Over a batch of 100 as one product: K runs in panels.
            int k = 57_600;
            ShapedKernels.DotShape batch = new ShapedKernels.DotShape(k, k);
            assumeTrue(ShapedKernels.DOT_3X3.byShape.containsKey(batch)
                    || ShapedKernels.DOT_3X3.byShape.size() < MAX_SHAPES_PER_KERNEL);
            SplittableRandom r = new SplittableRandom(57_600);
            float[] a = VectorKernelsTest.random(r, 30 * k), b = VectorKernelsTest.random(r, 25 * k);
            float[] c = new float[30 * 25];
            VECTOR.sgemm(false, true, 30, 25, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, 25);
            assertTrue(isCopy(ShapedKernels.DOT_3X3.byShape.get(batch)), "the batch's filter gradient");
            for (int i = 0; i < 30; i++) {
                for (int j = 0; j < 25; j++) {
                    assertEquals(Float.floatToRawIntBits(VectorKernelsTest.laneChainDot(a, i * k, b, j * k, k)),
                            Float.floatToRawIntBits(c[i * 25 + j]), "the batch's filter gradient C[" + i + "," + j + "]");
                }
            }
        }
    }

    /**
     * A training step multiplies with two stride pairs in turn, the filter gradient's per image and
     * the affine forward's edge columns. A thread's workspace keeps both copies at hand, so its
     * products do not go back to ShapedKernels' map, whose lookup allocates its key (24 bytes a
     * switch when the workspace kept one pair). Taken out of the map, the copies are still the
     * workspace's: going back to the map would define new ones. Three pairs, two of which share
     * each stride, so that a key missing either stride mixes them up.
     */
    @Test
    void aWorkspaceKeepsTheCopiesOfStridePairsUsedInTurn() {
        assumeTrue(SHAPED, "-Dvectorcnn.shaped=false");
        assumeTrue(ShapedKernels.DOT_3X3.byShape.size() + 3 < MAX_SHAPES_PER_KERNEL, "the cap is used up");
        VectorSgemm.Workspace ws = new VectorSgemm.Workspace();
        int s1 = 1000 * LANES, s2 = 1001 * LANES;
        int[][] pairs = {{s1, s1}, {s1, s2}, {s2, s1}};
        MethodHandle[] copies = new MethodHandle[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            copies[i] = ws.dotCopy(pairs[i][0], pairs[i][1]);
            assertTrue(isCopy(copies[i]), "strides " + Arrays.toString(pairs[i]));
            for (int j = 0; j < i; j++) {
                assertNotSame(copies[j], copies[i], "a copy per stride pair");
            }
        }
        for (int[] pair : pairs) {
            ShapedKernels.DOT_3X3.byShape.remove(new ShapedKernels.DotShape(pair[0], pair[1]));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < pairs.length; i++) {
                assertSame(copies[i], ws.dotCopy(pairs[i][0], pairs[i][1]), "strides " + Arrays.toString(pairs[i]));
            }
        }
    }

    private static boolean isCopy(MethodHandle h) {
        return h != null && h != ShapedKernels.NONE;
    }

    /**
     * Copies called until C2 has compiled them (the code with constant sizes this is about), then
     * held to the same references as above: SimpleConvNet's im2col geometry and a filter gradient
     * with an edge column.
     */
    @Test
    void compiledCopiesKeepTheirBits() throws Throwable {
        WindowGeometry g = new WindowGeometry(1, 3 * LANES + 4, 3 * LANES + 4, 5, 5, 1, 0);
        MethodHandle im2col = ShapedKernels.define(ShapedIm2col.class, "im2col", ShapedKernels.IM2COL_TYPE, g);
        float[] x = new float[g.inputSize()], col = new float[g.colSize()];
        for (int i = 0; i < 20_000; i++) {
            im2col.invokeExact(x, 0, col, 0);
        }
        checkIm2col(g, (xs, xOff, cs, colOff) -> {
            try {
                im2col.invokeExact(xs, xOff, cs, colOff);
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
        });
        int m = 6, n = 7, k = 8 * LANES + 3;
        MethodHandle blocks = ShapedKernels.define(ShapedDot3x3.class, "dotBlocks", ShapedKernels.DOT_3X3_TYPE,
                new ShapedKernels.DotShape(k, k));
        float[] a = new float[m * k], b = new float[n * k], c = new float[m * n];
        float[] acc = new float[ShapedDot3x3.accumulatorFloats(m, n, true)];
        for (int i = 0; i < 20_000; i++) {
            blocks.invokeExact(0, m, 0, n, k, 1f, a, 0, b, 0, 0f, c, 0, n, acc, (i & 1) == 0 ? 16 * LANES : 3 * LANES);
        }
        checkDot3x3(blocks, m, n, k, k, k, 0, 0, 1f, Integer.MAX_VALUE / LANES * LANES, 77);
        checkDot3x3(blocks, m, n, k, k, k, 0, 0, 1f, 3 * LANES, 78);
    }

    private interface Im2col {
        void run(float[] x, int xOff, float[] col, int colOff);
    }

    /** Two images at odd offsets into arrays prefilled with NaN, so padding must be written. */
    private static void checkIm2col(WindowGeometry g, Im2col im2col) {
        SplittableRandom r = new SplittableRandom(g.hashCode());
        int batch = 2;
        float[] x = new float[batch * g.inputSize() + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        float[] expected = new float[batch * g.colSize() + 3], actual = expected.clone();
        Arrays.fill(expected, Float.NaN);
        Arrays.fill(actual, Float.NaN);
        for (int i = 0; i < batch; i++) {
            SCALAR.im2col(g, x, 1 + i * g.inputSize(), expected, 1 + i * g.colSize());
            im2col.run(x, 1 + i * g.inputSize(), actual, 1 + i * g.colSize());
        }
        assertArrayEquals(expected, actual, g.toString());
    }
}
