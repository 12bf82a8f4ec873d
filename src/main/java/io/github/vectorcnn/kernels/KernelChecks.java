package io.github.vectorcnn.kernels;

/**
 * Argument checks of the kernels other than SGEMM ({@link GemmChecks}), shared by every
 * implementation so that all of them fail the same way, before anything is written: sizes are
 * not negative, and every array holds the values the call reads or writes from its offset. A
 * kernel called with a short array used to throw ArrayIndexOutOfBoundsException after writing
 * part of its output, or, for offsets into one large array, to read and write a neighbour's
 * values without an error.
 */
public final class KernelChecks {
    private KernelChecks() {
    }

    /**
     * The image array (x for im2col, dx for col2im, named by {@code image}) holds one image
     * [C, H, W]; col one im2col matrix [C·FH·FW, OH·OW].
     */
    public static void im2col(String kernel, WindowGeometry g, String image, float[] x, int xOff, float[] col,
                              int colOff) {
        range(kernel, image, x == null ? -1 : x.length, xOff, g.inputSize());
        range(kernel, "col", col == null ? -1 : col.length, colOff, g.colSize());
    }

    /** out and argmax hold [C, OH, OW] each. */
    public static void maxPoolForward(WindowGeometry g, float[] x, int xOff, float[] out, int outOff,
                                      int[] argmax, int argmaxOff) {
        long outputs = (long) g.channels() * g.outputPositions();
        range("maxPoolForward", "x", x == null ? -1 : x.length, xOff, g.inputSize());
        range("maxPoolForward", "out", out == null ? -1 : out.length, outOff, outputs);
        range("maxPoolForward", "argmax", argmax == null ? -1 : argmax.length, argmaxOff, outputs);
    }

    /** The arrays; the argmax values are maxPoolForward's and not checked one by one (see ScalarKernels). */
    public static void maxPoolBackward(String kernel, WindowGeometry g, float[] dout, int doutOff, int[] argmax,
                                       int argmaxOff, float[] dx, int dxOff) {
        long outputs = (long) g.channels() * g.outputPositions();
        range(kernel, "dout", dout == null ? -1 : dout.length, doutOff, outputs);
        range(kernel, "argmax", argmax == null ? -1 : argmax.length, argmaxOff, outputs);
        range(kernel, "dx", dx == null ? -1 : dx.length, dxOff, g.inputSize());
    }

    /** n values from each offset. */
    public static void elementwise(String kernel, int n, float[] a, String aName, int aOff, float[] b, String bName,
                                   int bOff) {
        nonNegative(kernel, "n", n);
        range(kernel, aName, a == null ? -1 : a.length, aOff, n);
        range(kernel, bName, b == null ? -1 : b.length, bOff, n);
    }

    /** A rows × cols matrix y (or dy) and a vector of {@code vector} values (bias or db). */
    public static void bias(String kernel, int rows, int cols, String vectorName, float[] v, int vOff, long vector,
                            String matrixName, float[] y, int yOff) {
        nonNegative(kernel, "rows", rows);
        nonNegative(kernel, "cols", cols);
        range(kernel, vectorName, v == null ? -1 : v.length, vOff, vector);
        range(kernel, matrixName, y == null ? -1 : y.length, yOff, (long) rows * cols);
    }

    /**
     * n ≥ 1 rows of classes ≥ 1 scores or probabilities, n labels each in 0..classes−1: a label
     * equal to classes read the next row's first probability.
     */
    public static void softmax(String kernel, int n, int classes, float[] a, String aName, int aOff, int[] labels,
                               float[] b, String bName, int bOff) {
        if (n < 1 || classes < 1) {
            throw new IllegalArgumentException(kernel + ": expected n >= 1 and classes >= 1, got n=" + n
                    + ", classes=" + classes);
        }
        range(kernel, aName, a == null ? -1 : a.length, aOff, (long) n * classes);
        range(kernel, bName, b == null ? -1 : b.length, bOff, (long) n * classes);
        range(kernel, "labels", labels == null ? -1 : labels.length, 0, n);
        for (int r = 0; r < n; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException(kernel + " labels[" + r + "]: expected 0.." + (classes - 1)
                        + ", got " + labels[r]);
            }
        }
    }

    private static void nonNegative(String kernel, String name, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(kernel + " " + name + ": expected >= 0, got " + v);
        }
    }

    /** {@code count} values from {@code off} in an array of {@code length} (−1: null). */
    private static void range(String kernel, String name, int length, int off, long count) {
        if (length < 0) {
            throw new IllegalArgumentException(kernel + " " + name + ": expected an array, got null");
        }
        if (off < 0 || off + count > length) {
            throw new IllegalArgumentException(kernel + " " + name + ": expected " + count + " values from offset "
                    + off + ", array has " + length);
        }
    }
}
