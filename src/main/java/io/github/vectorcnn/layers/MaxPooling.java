package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;
import io.github.vectorcnn.kernels.WindowGeometry;

/**
 * Max pooling with an argmax mask, one image at a time.
 *
 * <p>Shapes: x [N, C, H, W] → out [N, C, OH, OW]. Cached for backward: argmax [N, C, OH, OW],
 * each the offset within its image of the winning input. Padding is −∞ and never wins (the
 * book's Pooling ignores its pad argument; this one honours it); as in PyTorch the pad may be at
 * most half the window, so every window holds a real cell.
 *
 * <p>With {@link #fusedRelu(boolean) a fused relu} the layer computes relu(maxpool(x)) and its
 * gradient, as XNNPACK's pooling operators clamp their output: each image's pooled values go
 * through relu while they are still in its thread's cache, and backward masks dout per image
 * before the scatter. Same bits as a separate {@link Relu} after the pool, without the relu
 * layer's two passes over the whole batch (in SimpleConvNet they cost more on two threads than on
 * one: the pooled values sit in the cache of whichever thread pooled the image).
 */
public final class MaxPooling implements Layer, PiecewiseLinear {
    private final Kernels kernels;
    private final int poolH;
    private final int poolW;
    private final int stride;
    private final int pad;
    private boolean fusedRelu;

    private WindowGeometry geometry;
    private int batch;
    private int[] argmax = new int[0];
    private Tensor out;
    private Tensor dx;
    private final Scratch maskedDout = new Scratch(); // fused relu: one image's masked dout per worker

    public MaxPooling(int poolH, int poolW, int stride, int pad) {
        this(poolH, poolW, stride, pad, KernelProvider.get());
    }

    public MaxPooling(int poolH, int poolW, int stride, int pad, Kernels kernels) {
        if (poolH < 1 || poolW < 1) {
            throw new IllegalArgumentException(name() + ": pool size expected >= 1, got "
                    + poolH + "x" + poolW);
        }
        if (stride < 1) {
            throw new IllegalArgumentException(name() + ": stride expected >= 1, got " + stride);
        }
        if (pad < 0 || pad > Math.min(poolH, poolW) / 2) {
            throw new IllegalArgumentException(name() + ": pad expected 0.." + Math.min(poolH, poolW) / 2
                    + " (at most half the " + poolH + "x" + poolW + " window), got " + pad);
        }
        this.kernels = kernels;
        this.poolH = poolH;
        this.poolW = poolW;
        this.stride = stride;
        this.pad = pad;
    }

    @Override
    public String name() {
        return fusedRelu ? "MaxPooling+Relu" : "MaxPooling";
    }

    /** Whether the layer applies relu to its output (and masks its gradient accordingly). */
    public MaxPooling fusedRelu(boolean enabled) {
        this.fusedRelu = enabled;
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        Shapes.require(name(), "input", x, -1, -1, -1, -1);
        WindowGeometry g = beginForward(x.dim(0), x.dim(1), x.dim(2), x.dim(3));
        float[] xs = x.data();
        // Images are independent (each writes its own out and argmax), so any thread count gives
        // the same bits.
        Parallel.forEach(batch, (i, worker) -> forwardImage(i, xs, i * g.inputSize()));
        return out;
    }

    /** The geometry of a forward on images of [channels, height, width], checked; no state is touched. */
    WindowGeometry geometryFor(int channels, int height, int width) {
        return new WindowGeometry(channels, height, width, poolH, poolW, stride, pad);
    }

    /** Sizes out and argmax for n images of [channels, height, width]. */
    WindowGeometry beginForward(int n, int channels, int height, int width) {
        return beginForward(n, geometryFor(channels, height, width));
    }

    /** Sizes out and argmax for n images of the geometry {@link #geometryFor} gave. */
    WindowGeometry beginForward(int n, WindowGeometry g) {
        int per = g.channels() * g.outputPositions();
        if (argmax.length != (long) n * per) {
            argmax = new int[Math.multiplyExact(n, per)];
        }
        out = Shapes.reuse(out, n, g.channels(), g.outH(), g.outW());
        geometry = g;
        batch = n;
        return g;
    }

    /** The last forward's output [N, C, OH, OW]. */
    Tensor output() {
        return out;
    }

    /** The last forward's geometry (its input is the pool's input). */
    WindowGeometry geometry() {
        return geometry;
    }

    /** Pools image i, read from x at xOff, into out and argmax (and applies the fused relu). */
    void forwardImage(int i, float[] x, int xOff) {
        WindowGeometry g = geometry;
        int per = g.channels() * g.outputPositions();
        float[] o = out.data();
        kernels.maxPoolForward(g, x, xOff, o, i * per, argmax, i * per);
        if (fusedRelu) {
            kernels.reluForward(per, o, i * per, o, i * per);
        }
    }

    @Override
    public Tensor backward(Tensor dout) {
        beginBackward(dout);
        WindowGeometry g = geometry;
        dx = Shapes.reuse(dx, batch, g.channels(), g.height(), g.width());
        float[] d = dout.data(), dxs = dx.data();
        // Each image's dx is written whole on its thread (maxPoolBackwardSet: zeroed and scattered
        // into, or for 2×2 stride-2 windows stored by the vector kernels with no zeroing pass).
        Parallel.forEach(batch, (i, worker) -> backwardImage(i, worker, d, dxs, i * g.inputSize()));
        return dx;
    }

    /** Checks dout against the last forward and sizes the per-thread scratch of the fused relu. */
    void beginBackward(Tensor dout) {
        Shapes.requireForward(name(), geometry);
        WindowGeometry g = geometry;
        Shapes.require(name(), "dout", dout, batch, g.channels(), g.outH(), g.outW());
        if (fusedRelu) {
            maskedDout.reserve();
        }
    }

    /** Image i's input gradient, written (not added) to dx at dxOff, from the batch's dout d. */
    void backwardImage(int i, int worker, float[] d, float[] dx, int dxOff) {
        WindowGeometry g = geometry;
        int per = g.channels() * g.outputPositions();
        if (fusedRelu) {
            float[] masked = maskedDout.get(worker, per);
            java.util.Arrays.fill(masked, 0, per, 0f);
            kernels.reluBackward(per, out.data(), i * per, d, i * per, masked, 0);
            kernels.maxPoolBackwardSet(g, masked, 0, argmax, i * per, dx, dxOff);
        } else {
            kernels.maxPoolBackwardSet(g, d, i * per, argmax, i * per, dx, dxOff);
        }
    }

    /** The argmax of each output; with the fused relu, −1 where the output is not positive. */
    @Override
    public int[] activePiece() {
        Shapes.requireForward(name(), geometry);
        int[] piece = java.util.Arrays.copyOf(argmax, batch * geometry.channels() * geometry.outputPositions());
        if (fusedRelu) {
            float[] o = out.data();
            for (int i = 0; i < piece.length; i++) {
                if (!(o[i] > 0f)) {
                    piece[i] = -1;
                }
            }
        }
        return piece;
    }
}
