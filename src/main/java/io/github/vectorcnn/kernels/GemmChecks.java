package io.github.vectorcnn.kernels;

/** Argument checks shared by every SGEMM implementation, so they all fail the same way. */
public final class GemmChecks {
    private GemmChecks() {
    }

    /** Rejects negative sizes, leading dimensions too small for a row, and arrays too short. */
    public static void check(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm sizes: expected m, n, k >= 0, got m=" + m
                    + ", n=" + n + ", k=" + k);
        }
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        matrix("A", a, aOff, lda, aRows, aCols);
        matrix("B", b, bOff, ldb, bRows, bCols);
        matrix("C", c, cOff, ldc, m, n);
    }

    private static void matrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("sgemm ld" + name.toLowerCase() + ": expected >= "
                    + Math.max(1, cols) + " (columns of " + name + "), got " + ld);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("sgemm " + name + ": a " + rows + "x" + cols
                    + " matrix at offset " + off + " with ld " + ld + " needs " + last
                    + " values, array has " + x.length);
        }
    }
}
