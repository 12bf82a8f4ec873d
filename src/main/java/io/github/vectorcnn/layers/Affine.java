package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;

import java.util.Map;

/**
 * Fully connected layer: out = x·W + b, flattening x [N, …] to [N, D] (the book's Affine).
 *
 * <p>Shapes: x [N, …] with D values per sample, W [D, M], b [M] → out [N, M].
 * Cached for backward: x itself (the previous layer's output, unchanged until its next forward)
 * and its shape, so dx comes back as [N, …].
 * Backward: dx = dout·Wᵀ, dW = xᵀ·dout, db = Σ_n dout.
 */
public final class Affine implements Layer {
    private final Kernels kernels;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor dWeight;
    private final Tensor dBias;
    /** Built once: a training step asks for them every time and should allocate nothing. */
    private final Map<String, Tensor> params;
    private final Map<String, Tensor> grads;

    private Tensor x;
    private Tensor out;
    private Tensor dx;

    public Affine(Tensor weight, Tensor bias) {
        this(weight, bias, KernelProvider.get());
    }

    public Affine(Tensor weight, Tensor bias, Kernels kernels) {
        Shapes.require(name(), "W", weight, -1, -1);
        Shapes.require(name(), "b", bias, weight.dim(1));
        this.kernels = kernels;
        this.weight = weight;
        this.bias = bias;
        this.dWeight = Tensor.zeros(weight.shape());
        this.dBias = Tensor.zeros(bias.shape());
        this.params = Shapes.named(weight, bias);
        this.grads = Shapes.named(dWeight, dBias);
    }

    @Override
    public String name() {
        return "Affine";
    }

    public int inputSize() {
        return weight.dim(0);
    }

    public int outputSize() {
        return weight.dim(1);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null || x.rank() < 2 || x.size() / x.dim(0) != inputSize()) {
            throw new IllegalArgumentException(name() + ": input expected [N, …] with " + inputSize()
                    + " values per sample, got " + (x == null ? "null" : x.shapeString()));
        }
        int n = x.dim(0), d = inputSize(), m = outputSize();
        out = Shapes.reuse(out, n, m);
        kernels.sgemm(false, false, n, m, d, 1f, x.data(), 0, d, weight.data(), 0, m, 0f, out.data(), 0, m);
        kernels.biasAddCols(n, m, bias.data(), 0, out.data(), 0);
        this.x = x;
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Shapes.requireForward(name(), x);
        int n = x.dim(0), d = inputSize(), m = outputSize();
        Shapes.require(name(), "dout", dout, n, m);
        dx = Shapes.reuse(dx, x.shape());
        kernels.sgemm(false, true, n, d, m, 1f, dout.data(), 0, m, weight.data(), 0, m, 0f, dx.data(), 0, d);
        kernels.sgemm(true, false, d, m, n, 1f, x.data(), 0, d, dout.data(), 0, m, 0f, dWeight.data(), 0, m);
        dBias.fill(0f);
        kernels.biasGradCols(n, m, dout.data(), 0, dBias.data(), 0);
        return dx;
    }

    @Override
    public Map<String, Tensor> params() {
        return params;
    }

    @Override
    public Map<String, Tensor> grads() {
        return grads;
    }
}
