package io.github.vectorcnn.bench;

import java.util.SplittableRandom;

/**
 * Result checks run outside the measured region (at trial set-up, on the interpreted or
 * freshly compiled kernel, and at tear-down, on the code JMH has just timed). A wrong result
 * throws, and JMH then reports the trial as failed instead of printing a time for it: a broken
 * kernel must not be reported as fast.
 */
public final class Verify {
    /** float's unit roundoff, 2^-24. */
    static final double UNIT_ROUNDOFF = 0x1p-24;

    private Verify() {
    }

    /** Fills x with uniform values in [-1, 1) from a fixed seed. */
    public static float[] random(float[] x, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return x;
    }

    /** Kernels that only move values (im2col, col2im, pooling) must match the reference bit for bit. */
    public static void sameBits(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": differs from the scalar kernels at index " + i
                        + ": expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    public static void sameInts(String what, int[] expected, int[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                throw new AssertionError(what + ": differs from the scalar kernels at index " + i
                        + ": expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    /**
     * Normwise closeness for results that sum in a different order than the reference:
     * max|expected − actual| ≤ relTol · max|expected|. A kernel that drops a tail or a block is
     * off by O(1) of the values and fails; reassociation error (≈ K·2^-24) passes.
     */
    public static void close(String what, float[] expected, float[] actual, double relTol) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        double scale = 0, worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double diff = Math.abs((double) expected[i] - actual[i]);
            if (!(diff <= worst)) { // also catches NaN
                worst = diff;
                at = i;
            }
        }
        if (!(worst <= relTol * Math.max(scale, Float.MIN_NORMAL))) {
            throw new AssertionError(what + ": differs from the scalar kernels by " + worst + " at index " + at
                    + " (expected " + expected[at] + ", got " + actual[at] + "; allowed " + relTol
                    + " x max|expected| = " + relTol * scale + ")");
        }
    }

    /** Reassociation bound for sums of k products, with a factor 2 of slack. */
    public static double sumTolerance(int k) {
        return 2.0 * (k + 2) * UNIT_ROUNDOFF;
    }

    /**
     * Checks C = α·op(A)·op(B) + β·C0 against double-precision dot products on every entry of the
     * first and last rows and columns (where blocked kernels keep their edge cases) and on 4096
     * random entries. Each entry must be within {@link #sumTolerance} of Σ|α·a·b| + |β·c0|.
     */
    public static void gemm(String what, Spec.Gemm s, float alpha, float[] a, int lda, float[] b, int ldb,
                            float beta, float[] c0, float[] c, int ldc) {
        SplittableRandom rng = new SplittableRandom(7);
        for (int j = 0; j < s.n(); j++) {
            gemmEntry(what, s, alpha, a, lda, b, ldb, beta, c0, c, ldc, 0, j);
            gemmEntry(what, s, alpha, a, lda, b, ldb, beta, c0, c, ldc, s.m() - 1, j);
        }
        for (int i = 0; i < s.m(); i++) {
            gemmEntry(what, s, alpha, a, lda, b, ldb, beta, c0, c, ldc, i, 0);
            gemmEntry(what, s, alpha, a, lda, b, ldb, beta, c0, c, ldc, i, s.n() - 1);
        }
        for (int t = 0; t < 4096; t++) {
            gemmEntry(what, s, alpha, a, lda, b, ldb, beta, c0, c, ldc, rng.nextInt(s.m()), rng.nextInt(s.n()));
        }
    }

    private static void gemmEntry(String what, Spec.Gemm s, float alpha, float[] a, int lda, float[] b, int ldb,
                                  float beta, float[] c0, float[] c, int ldc, int i, int j) {
        double sum = 0, mag = 0;
        for (int p = 0; p < s.k(); p++) {
            double x = s.transA() ? a[p * lda + i] : a[i * lda + p];
            double y = s.transB() ? b[j * ldb + p] : b[p * ldb + j];
            sum += x * y;
            mag += Math.abs(x * y);
        }
        double before = beta == 0f ? 0 : c0[i * ldc + j];
        double expected = alpha * sum + beta * before;
        double bound = sumTolerance(s.k()) * (Math.abs(alpha) * mag + Math.abs(beta * before)) + Float.MIN_NORMAL;
        double got = c[i * ldc + j];
        if (!(Math.abs(got - expected) <= bound)) {
            throw new AssertionError(what + ": C[" + i + "," + j + "] = " + got + ", expected " + expected
                    + " within " + bound);
        }
    }
}
