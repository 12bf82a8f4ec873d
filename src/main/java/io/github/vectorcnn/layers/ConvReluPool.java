package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;
import io.github.vectorcnn.kernels.WindowGeometry;

import java.util.Map;

/**
 * Convolution → relu → max pooling, the book's first block, computed one image at a time from
 * start to end: the convolution's output for an image goes to its thread's buffer and is pooled
 * (and relu'd, see {@link MaxPooling#fusedRelu}) while it is still in cache.
 *
 * <p>Shapes: x [N, C, H, W], W [FN, C, FH, FW], b [FN] → out [N, FN, PH, PW]. Cached for
 * backward: what {@link Convolution} and {@link MaxPooling} cache (a copy of x; the argmax and the
 * pooled output), not the convolution's output [N, FN, OH, OW]. Backward per image: the pool's
 * gradient (masked by relu) is scattered into the thread's buffer and the convolution's backward
 * reads it from there.
 *
 * <p>Why: in SimpleConvNet the convolution's output is 6.9 MB for a batch of 100 and its
 * gradient as much again; as separate layers each is written to memory and read back. Fused,
 * neither leaves the cache: forward + backward of the block took 3.17 ms against 4.06 ms as
 * separate layers on one thread, 2.00 against 2.87 ms on two (JMH ConvReluPoolBenchmark, JDK 17).
 *
 * <p>The results are the bits of {@code Convolution → MaxPooling.fusedRelu(true)} (and so of the
 * book's conv → relu → pool; ConvReluPoolTest compares), whatever the thread count: each image
 * runs the same kernels on the same values, and the filter gradient is summed in the
 * convolution's fixed chunks.
 */
public final class ConvReluPool implements Layer, PiecewiseLinear {
    private final Convolution conv;
    private final MaxPooling pool;
    private final Scratch convOut = new Scratch();   // one image's convolution output per worker
    private final Scratch convGrad = new Scratch();  // one image's convolution output gradient per worker

    /** Convolution (weight, bias, stride, pad), relu, then max pooling (poolSize, poolStride, no pad). */
    public ConvReluPool(Tensor weight, Tensor bias, int stride, int pad, int poolSize, int poolStride) {
        this(weight, bias, stride, pad, poolSize, poolStride, KernelProvider.get());
    }

    public ConvReluPool(Tensor weight, Tensor bias, int stride, int pad, int poolSize, int poolStride,
                        Kernels kernels) {
        this.conv = new Convolution(weight, bias, stride, pad, kernels);
        this.pool = new MaxPooling(poolSize, poolSize, poolStride, 0, kernels).fusedRelu(true);
    }

    @Override
    public String name() {
        return "Convolution+Relu+MaxPooling";
    }

    /** Whether backward computes dx (see {@link Convolution#computeInputGradient}). */
    public ConvReluPool computeInputGradient(boolean enabled) {
        conv.computeInputGradient(enabled);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        Shapes.require(name(), "input", x, -1, conv.params().get("W").dim(1), -1, -1);
        // Both geometries are checked before either layer takes the new batch: a forward rejected
        // by the pool after the convolution had taken it left the two layers on different batches,
        // and the next backward silently mixed them.
        WindowGeometry g = conv.geometryFor(x);
        int fn = conv.filters(), per = fn * g.outputPositions();
        WindowGeometry pooled = pool.geometryFor(fn, g.outH(), g.outW());
        conv.beginForward(x, g);
        pool.beginForward(x.dim(0), pooled);
        convOut.reserve();
        Parallel.forEach(x.dim(0), (i, worker) -> {
            float[] buffer = convOut.get(worker, per);
            conv.forwardImage(i, worker, buffer, 0);
            pool.forwardImage(i, buffer, 0);
        });
        return pool.output();
    }

    @Override
    public Tensor backward(Tensor dout) {
        Shapes.requireForward(name(), pool.geometry());
        Shapes.require(name(), "dout", dout, pool.output().shape());
        pool.beginBackward(dout);
        float[] d = dout.data();
        int per = pool.geometry().inputSize();
        convGrad.reserve();
        return conv.backward(new Convolution.OutputGradient() {
            @Override
            public float[] array(int worker) {
                return convGrad.get(worker, per);
            }

            @Override
            public int prepare(int image, int worker) {
                pool.backwardImage(image, worker, d, convGrad.get(worker, per), 0);
                return 0;
            }
        });
    }

    /** The pool's pieces: its argmax, −1 where relu clamped the output (the convolution is linear). */
    @Override
    public int[] activePiece() {
        return pool.activePiece();
    }

    @Override
    public Map<String, Tensor> params() {
        return conv.params();
    }

    @Override
    public Map<String, Tensor> grads() {
        return conv.grads();
    }
}
