package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;

import java.util.Map;

/**
 * A differentiable layer: forward, backward returning the input gradient, and its parameters and
 * their gradients by name ("W", "b") for optimizers and the gradient-check harness.
 *
 * <p>Buffers are reused: the tensor returned by {@link #forward} or {@link #backward} is owned by
 * the layer and stays valid until the next call of the same method, so a steady-state training
 * step allocates nothing. Copy it to keep it. {@link #backward} uses what the last
 * {@link #forward} cached and overwrites the parameter gradients.
 */
public interface Layer {

    /** The layer's name in error messages and reports. */
    String name();

    Tensor forward(Tensor x);

    /** dL/dx given dL/dout; also sets every parameter gradient. */
    Tensor backward(Tensor dout);

    /** Parameters by name, in a stable order; the tensors are live (an optimizer updates them). */
    default Map<String, Tensor> params() {
        return Map.of();
    }

    /** Gradients with the same names and shapes as {@link #params()}, set by {@link #backward}. */
    default Map<String, Tensor> grads() {
        return Map.of();
    }
}
