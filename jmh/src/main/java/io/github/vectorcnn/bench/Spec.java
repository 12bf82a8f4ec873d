package io.github.vectorcnn.bench;

import io.github.vectorcnn.kernels.WindowGeometry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shapes as benchmark parameter strings, so a shape reads the same in the JMH log, the JSON, the
 * side-by-side script (jmh/compare.py parses the same strings) and on the command line
 * ({@code -p shape=NN:333x444x555}).
 *
 * <ul>
 *   <li>GEMM {@code "NT:30x25x576"}: op(A), op(B) (N plain, T transposed), then M x N x K.
 *   <li>Window {@code "100x1x28x28:5x5:s1p0"}: input N x C x H x W, window FH x FW, stride, pad.
 *   <li>Convolution {@code "100x1x28x28:30x5x5:s1p0"}: input, then FN filters of FH x FW.
 *   <li>Affine {@code "100x4320x100"}: N samples of D values to M outputs.
 * </ul>
 */
public final class Spec {
    private Spec() {
    }

    public record Gemm(boolean transA, boolean transB, int m, int n, int k) {
        /** M, N, K at least 1, and each operand within one array (the benchmarks allocate them). */
        public Gemm {
            if (m < 1 || n < 1 || k < 1 || (long) m * n > Integer.MAX_VALUE || (long) m * k > Integer.MAX_VALUE
                    || (long) k * n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("GEMM shape: expected M, N, K >= 1 and operands of at most"
                        + " 2^31 - 1 floats, got " + m + "x" + n + "x" + k);
            }
        }

        public double gflop() {
            return 2.0 * m * n * k / 1e9;
        }

        public int aRows() {
            return transA ? k : m;
        }

        public int aCols() {
            return transA ? m : k;
        }

        public int bRows() {
            return transB ? n : k;
        }

        public int bCols() {
            return transB ? k : n;
        }
    }

    /** A batch of n images and the window (convolution filter or pooling) slid over each. */
    public record Window(int n, int filters, WindowGeometry geometry) {
        public int imageSize() {
            return geometry.inputSize();
        }

        /** One image's conv/pool output per channel times channels (pooling: C·OH·OW). */
        public int pooledSize() {
            return geometry.channels() * geometry.outputPositions();
        }
    }

    public record Affine(int n, int d, int m) {
    }

    private static final Pattern GEMM = Pattern.compile("([NT])([NT]):(\\d+)x(\\d+)x(\\d+)");
    private static final Pattern WINDOW =
            Pattern.compile("(\\d+)x(\\d+)x(\\d+)x(\\d+):(?:(\\d+)x)?(\\d+)x(\\d+):s(\\d+)p(\\d+)");
    private static final Pattern AFFINE = Pattern.compile("(\\d+)x(\\d+)x(\\d+)");

    public static Gemm gemm(String spec) {
        Matcher m = match(GEMM, spec, "GEMM shape", "NN:MxNxK, e.g. NT:30x25x576");
        return new Gemm(m.group(1).equals("T"), m.group(2).equals("T"), num(m, 3), num(m, 4), num(m, 5));
    }

    /** A pooling or im2col shape (no filter count). */
    public static Window window(String spec) {
        Matcher m = match(WINDOW, spec, "window shape", "NxCxHxW:FHxFW:sSpP, e.g. 100x30x24x24:2x2:s2p0");
        if (m.group(5) != null) {
            throw new IllegalArgumentException("window shape: expected no filter count, got \"" + spec + "\"");
        }
        return build(m, 0);
    }

    /** A convolution shape (with the filter count). */
    public static Window conv(String spec) {
        Matcher m = match(WINDOW, spec, "convolution shape",
                "NxCxHxW:FNxFHxFW:sSpP, e.g. 100x1x28x28:30x5x5:s1p0");
        if (m.group(5) == null) {
            throw new IllegalArgumentException("convolution shape: expected a filter count FN, got \""
                    + spec + "\"");
        }
        return build(m, num(m, 5));
    }

    public static Affine affine(String spec) {
        Matcher m = match(AFFINE, spec, "affine shape", "NxDxM, e.g. 100x4320x100");
        return new Affine(num(m, 1), num(m, 2), num(m, 3));
    }

    private static Window build(Matcher m, int filters) {
        WindowGeometry g = new WindowGeometry(num(m, 2), num(m, 3), num(m, 4), num(m, 6), num(m, 7),
                num(m, 8), num(m, 9));
        return new Window(num(m, 1), filters, g);
    }

    private static Matcher match(Pattern p, String spec, String what, String expected) {
        Matcher m = p.matcher(spec == null ? "" : spec);
        if (!m.matches()) {
            throw new IllegalArgumentException(what + ": expected " + expected + ", got \"" + spec + "\"");
        }
        return m;
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }
}
