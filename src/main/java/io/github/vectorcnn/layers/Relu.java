package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;

/**
 * out = max(x, 0), any shape. Cached for backward: the output, whose sign is the mask
 * (out > 0 exactly where x > 0), so no separate mask array is kept.
 */
public final class Relu implements Layer, PiecewiseLinear {
    private final Kernels kernels;
    private Tensor out;
    private Tensor dx;

    public Relu() {
        this(KernelProvider.get());
    }

    public Relu(Kernels kernels) {
        this.kernels = kernels;
    }

    @Override
    public String name() {
        return "Relu";
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException(name() + ": input is null");
        }
        out = Shapes.reuse(out, x.shape());
        kernels.reluForward(x.size(), x.data(), 0, out.data(), 0);
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Shapes.requireForward(name(), out);
        Shapes.require(name(), "dout", dout, out.shape());
        dx = Shapes.reuse(dx, out.shape());
        dx.fill(0f);
        kernels.reluBackward(out.size(), out.data(), 0, dout.data(), 0, dx.data(), 0);
        return dx;
    }

    @Override
    public int[] activePiece() {
        Shapes.requireForward(name(), out);
        float[] o = out.data();
        int[] signs = new int[o.length];
        for (int i = 0; i < o.length; i++) {
            signs[i] = o[i] > 0f ? 1 : 0;
        }
        return signs;
    }
}
