package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input the gradient-check harness relies on being rejected, beyond the shape, size and label
 * checks of {@link LayerInputChecksTest}: asking a piecewise-linear layer for its active piece
 * before any forward, and an empty output on the width axis or under padding, each with a
 * message naming the layer or the terms.
 */
class LayerBadInputTest {

    private static final ScalarKernels K = ScalarKernels.INSTANCE;

    private static <T extends Throwable> void assertMessage(Class<T> type, Executable e, String... parts) {
        T ex = assertThrows(type, e);
        for (String part : parts) {
            assertTrue(ex.getMessage() != null && ex.getMessage().contains(part),
                    "message lacks \"" + part + "\": " + ex.getMessage());
        }
    }

    @Test
    void activePieceBeforeForwardIsAnIllegalState() {
        assertMessage(IllegalStateException.class, () -> new MaxPooling(2, 2, 2, 0, K).activePiece(),
                "MaxPooling", "before forward");
        assertMessage(IllegalStateException.class, () -> new Relu(K).activePiece(), "Relu", "before forward");
    }

    @Test
    void outputBelowOneOnTheWidthAxisAndUnderPaddingNamesEveryTerm() {
        Convolution wide = new Convolution(Tensor.zeros(2, 1, 2, 5), Tensor.zeros(2), 1, 0, K);
        assertMessage(IllegalArgumentException.class, () -> wide.forward(Tensor.zeros(1, 1, 6, 4)),
                "output width below 1", "W=4", "P=0", "F=5", "S=1");
        Convolution padded = new Convolution(Tensor.zeros(1, 1, 7, 7), Tensor.zeros(1), 2, 1, K);
        assertMessage(IllegalArgumentException.class, () -> padded.forward(Tensor.zeros(1, 1, 4, 9)),
                "output height below 1", "H=4", "P=1", "F=7", "S=2");
        assertMessage(IllegalArgumentException.class,
                () -> new MaxPooling(3, 5, 1, 1, K).forward(Tensor.zeros(1, 1, 6, 2)),
                "output width below 1", "W=2", "P=1", "F=5", "S=1");
    }

    @Test
    void aPadThatWouldOverflowWhenDoubledIsRejectedAtConstruction() {
        assertMessage(IllegalArgumentException.class, () -> new MaxPooling(2, 2, 1, 1 << 30, K),
                "pad expected 0..1", "got " + (1 << 30));
        assertMessage(IllegalArgumentException.class, () -> new MaxPooling(3, 3, 1, 2, K), "pad expected 0..1", "got 2");
    }
}
