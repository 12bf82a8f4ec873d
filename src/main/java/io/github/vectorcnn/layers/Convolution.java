package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.WindowGeometry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 2-D convolution (cross-correlation, as PyTorch's conv2d) by im2col + GEMM, one image at a time.
 *
 * <p>Shapes: x [N, C, H, W], W [FN, C, FH, FW], b [FN] → out [N, FN, OH, OW].
 * Forward per image n: col_n = im2col(x_n) [C·FH·FW, OH·OW]; out_n = W·col_n + b.
 * Cached for backward: col for the whole batch (recomputing it would cost one more im2col).
 * Backward per image: dW += dout_n·col_nᵀ, db += Σ dout_n, dx_n = col2im(Wᵀ·dout_n).
 */
public final class Convolution implements Layer {
    private final Kernels kernels;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor dWeight;
    private final Tensor dBias;
    private final int stride;
    private final int pad;
    private boolean inputGradient = true;

    private WindowGeometry geometry;
    private int batch;
    private float[] col = new float[0];
    private float[] dcol = new float[0];
    private Tensor out;
    private Tensor dx;

    public Convolution(Tensor weight, Tensor bias, int stride, int pad) {
        this(weight, bias, stride, pad, KernelProvider.get());
    }

    public Convolution(Tensor weight, Tensor bias, int stride, int pad, Kernels kernels) {
        Shapes.require(name(), "W", weight, -1, -1, -1, -1);
        Shapes.require(name(), "b", bias, weight.dim(0));
        if (stride < 1) {
            throw new IllegalArgumentException(name() + ": stride expected >= 1, got " + stride);
        }
        if (pad < 0) {
            throw new IllegalArgumentException(name() + ": pad expected >= 0, got " + pad);
        }
        this.kernels = kernels;
        this.weight = weight;
        this.bias = bias;
        this.dWeight = Tensor.zeros(weight.shape());
        this.dBias = Tensor.zeros(bias.shape());
        this.stride = stride;
        this.pad = pad;
    }

    @Override
    public String name() {
        return "Convolution";
    }

    /**
     * Whether backward computes dx. The first layer of a network has no use for it, and skipping
     * it saves a GEMM and a col2im per image; backward then returns null.
     */
    public Convolution computeInputGradient(boolean enabled) {
        this.inputGradient = enabled;
        return this;
    }

    public int filters() {
        return weight.dim(0);
    }

    public int stride() {
        return stride;
    }

    public int pad() {
        return pad;
    }

    @Override
    public Tensor forward(Tensor x) {
        Shapes.require(name(), "input", x, -1, weight.dim(1), -1, -1);
        int n = x.dim(0);
        WindowGeometry g = new WindowGeometry(x.dim(1), x.dim(2), x.dim(3), weight.dim(2),
                weight.dim(3), stride, pad);
        int fn = filters(), k = g.patchSize(), p = g.outputPositions(), colSize = g.colSize();
        if (col.length != (long) n * colSize) {
            col = new float[Math.multiplyExact(n, colSize)];
        }
        out = Shapes.reuse(out, n, fn, g.outH(), g.outW());
        float[] xs = x.data(), w = weight.data(), o = out.data();
        for (int i = 0; i < n; i++) {
            int colOff = i * colSize, outOff = i * fn * p;
            kernels.im2col(g, xs, i * g.inputSize(), col, colOff);
            kernels.sgemm(false, false, fn, p, k, 1f, w, 0, k, col, colOff, p, 0f, o, outOff, p);
            kernels.biasAddRows(fn, p, bias.data(), 0, o, outOff);
        }
        geometry = g;
        batch = n;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Shapes.requireForward(name(), geometry);
        WindowGeometry g = geometry;
        int n = batch, fn = filters(), k = g.patchSize(), p = g.outputPositions();
        Shapes.require(name(), "dout", dout, n, fn, g.outH(), g.outW());
        dWeight.fill(0f);
        dBias.fill(0f);
        float[] d = dout.data(), w = weight.data(), dw = dWeight.data();
        if (inputGradient) {
            dx = Shapes.reuse(dx, n, g.channels(), g.height(), g.width());
            dx.fill(0f);
            if (dcol.length != g.colSize()) {
                dcol = new float[g.colSize()];
            }
        }
        for (int i = 0; i < n; i++) {
            int colOff = i * g.colSize(), dOff = i * fn * p;
            kernels.sgemm(false, true, fn, k, p, 1f, d, dOff, p, col, colOff, p, 1f, dw, 0, k);
            kernels.biasGradRows(fn, p, d, dOff, dBias.data(), 0);
            if (inputGradient) {
                kernels.sgemm(true, false, k, p, fn, 1f, w, 0, k, d, dOff, p, 0f, dcol, 0, p);
                kernels.col2im(g, dcol, 0, dx.data(), i * g.inputSize());
            }
        }
        return inputGradient ? dx : null;
    }

    @Override
    public Map<String, Tensor> params() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("W", weight);
        m.put("b", bias);
        return m;
    }

    @Override
    public Map<String, Tensor> grads() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("W", dWeight);
        m.put("b", dBias);
        return m;
    }
}
