package io.github.vectorcnn.kernels;

/**
 * The geometry of a sliding window over one NCHW image: the input plane {@code channels × height
 * × width}, a {@code windowH × windowW} window moved by {@code stride} over the input padded by
 * {@code pad} zeros on each side. Shared by convolution (im2col/col2im) and pooling.
 *
 * <p>Output size follows PyTorch: {@code floor((H + 2P − F) / S) + 1}; a geometry whose output
 * would be smaller than 1 is rejected with a message naming H, P, F and S. So is one whose image,
 * output or im2col matrix would not fit in a Java array, rather than overflowing an int.
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
        int oh = outputSize("height", height, pad, windowH, stride);
        int ow = outputSize("width", width, pad, windowW, stride);
        fits("input C·H·W", (long) channels * height * width);
        fits("output positions OH·OW", (long) oh * ow);
    }

    /** {@code floor((size + 2·pad − window) / stride) + 1}, or an exception naming every term. */
    public static int outputSize(String axis, int size, int pad, int window, int stride) {
        long span = (long) size + 2L * pad - window;
        if (span < 0) {
            // The input size is H on the height axis and W on the width axis, as in the formula.
            String in = "width".equals(axis) ? "W" : "H";
            throw new IllegalArgumentException("output " + axis + " below 1: (" + in + " + 2P - F)/S + 1 with "
                    + in + "=" + size + ", P=" + pad + ", F=" + window + ", S=" + stride
                    + " (the window is larger than the padded input)");
        }
        long out = span / stride + 1;
        // The message is built only on failure: outH() and outW() run inside kernel loops, where
        // a concatenation per call allocated about 100 KB per im2col of a batch.
        if (out > Integer.MAX_VALUE) {
            fits("output " + axis, out);
        }
        return (int) out;
    }

    private static int fits(String what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": expected at most " + Integer.MAX_VALUE
                    + " (the largest Java array), got " + value);
        }
        return (int) value;
    }

    /**
     * Rejects a pooling geometry with a window made of padding only, which has no maximum (and
     * would leave no valid argmax for the backward scatter). That happens exactly when pad ≥ the
     * window on an axis; MaxPooling's stricter pad ≤ window/2 (PyTorch's rule) implies this.
     */
    public void requireInputInEveryWindow(String who) {
        if (pad >= windowH || pad >= windowW) {
            throw new IllegalArgumentException(who + ": pad expected < the " + windowH + "x" + windowW
                    + " window (or some window covers padding only), got " + pad);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": expected >= 1, got " + value);
        }
    }

    /**
     * Whether {@code other} slides the same window with the same stride and padding over a plane
     * of the same size: every field but the channel count, which per-plane tables do not depend on.
     */
    public boolean samePlane(WindowGeometry other) {
        return height == other.height && width == other.width && windowH == other.windowH
                && windowW == other.windowW && stride == other.stride && pad == other.pad;
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
        return fits("patch size C·FH·FW", (long) channels * windowH * windowW);
    }

    /** Values in one im2col matrix: C·FH·FW·OH·OW. */
    public int colSize() {
        return fits("im2col size C·FH·FW·OH·OW", (long) patchSize() * outputPositions());
    }
}
