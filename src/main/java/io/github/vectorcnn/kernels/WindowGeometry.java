package io.github.vectorcnn.kernels;

/**
 * The geometry of a sliding window over one NCHW image: the input plane {@code channels × height
 * × width}, a {@code windowH × windowW} window moved by {@code stride} over the input padded by
 * {@code pad} zeros on each side. Shared by convolution (im2col/col2im) and pooling.
 *
 * <p>Output size follows PyTorch: {@code floor((H + 2P − F) / S) + 1}; a geometry whose output
 * would be smaller than 1 is rejected with a message naming H, P, F and S.
 */
public record WindowGeometry(int channels, int height, int width, int windowH, int windowW,
                             int stride, int pad) {

    public WindowGeometry {
        positive("channels", channels);
        positive("height", height);
        positive("width", width);
        positive("windowH", windowH);
        positive("windowW", windowW);
        positive("stride", stride);
        if (pad < 0) {
            throw new IllegalArgumentException("pad: expected >= 0, got " + pad);
        }
        outputSize("height", height, pad, windowH, stride);
        outputSize("width", width, pad, windowW, stride);
    }

    /** {@code floor((size + 2·pad − window) / stride) + 1}, or an exception naming every term. */
    public static int outputSize(String axis, int size, int pad, int window, int stride) {
        long span = (long) size + 2L * pad - window;
        if (span < 0) {
            throw new IllegalArgumentException("output " + axis + " below 1: (H + 2P - F)/S + 1 with H="
                    + size + ", P=" + pad + ", F=" + window + ", S=" + stride
                    + " (the window is larger than the padded input)");
        }
        return (int) (span / stride) + 1;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": expected >= 1, got " + value);
        }
    }

    public int outH() {
        return outputSize("height", height, pad, windowH, stride);
    }

    public int outW() {
        return outputSize("width", width, pad, windowW, stride);
    }

    /** Values in one input image: C·H·W. */
    public int inputSize() {
        return channels * height * width;
    }

    /** Output positions per channel: OH·OW. */
    public int outputPositions() {
        return outH() * outW();
    }

    /** Rows of the im2col matrix: C·FH·FW. */
    public int patchSize() {
        return channels * windowH * windowW;
    }

    /** Values in one im2col matrix: C·FH·FW·OH·OW. */
    public int colSize() {
        return patchSize() * outputPositions();
    }
}
