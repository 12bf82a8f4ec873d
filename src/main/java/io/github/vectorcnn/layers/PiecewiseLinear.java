package io.github.vectorcnn.layers;

/**
 * A layer that is linear on pieces of its input space (Relu, max pooling). The gradient-check
 * harness compares {@link #activePiece()} at x + h and x − h: when they differ the central
 * difference straddled a kink and says nothing about the backward pass.
 */
public interface PiecewiseLinear {

    /** A copy of what selects the linear piece in the last forward: signs, or argmax indices. */
    int[] activePiece();
}
