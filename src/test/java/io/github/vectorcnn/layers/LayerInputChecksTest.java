package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to the layers: each mistake fails with an exception naming the layer, the parameter,
 * what was expected and what was given.
 */
class LayerInputChecksTest {

    static <T extends Throwable> void rejected(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "\"" + e.getMessage() + "\" should name " + part);
        }
    }

    static Convolution conv(int filters, int channels, int fh, int fw, int stride, int pad) {
        return new Convolution(Tensor.zeros(filters, channels, fh, fw), Tensor.zeros(filters), stride, pad,
                KernelProvider.scalar());
    }

    // ---- ConvReluPool -------------------------------------------------------------------------------

    @Test
    void convReluPoolNamesItselfForBadShapesAndOrder() {
        ConvReluPool block = new ConvReluPool(Tensor.zeros(2, 3, 3, 3), Tensor.zeros(2), 1, 0, 2, 2,
                KernelProvider.scalar());
        rejected(IllegalStateException.class, () -> block.backward(Tensor.zeros(1, 2, 2, 2)),
                "Convolution+Relu+MaxPooling", "before forward");
        rejected(IllegalArgumentException.class, () -> block.forward(Tensor.zeros(1, 2, 6, 6)),
                "Convolution+Relu+MaxPooling", "input", "[N, 3, H, W]", "got [1, 2, 6, 6]");
        block.forward(Tensor.zeros(2, 3, 6, 6));
        rejected(IllegalArgumentException.class, () -> block.backward(Tensor.zeros(2, 2, 4, 4)),
                "Convolution+Relu+MaxPooling", "dout", "expected shape [2, 2, 2, 2]", "got [2, 2, 4, 4]");
    }

    // ---- SoftmaxWithLoss: labels ------------------------------------------------------------------

    @Test
    void labelsOutsideTheClassRangeAreRejected() {
        SoftmaxWithLoss loss = new SoftmaxWithLoss(KernelProvider.scalar());
        Tensor scores = Tensor.zeros(3, 4);
        rejected(IllegalArgumentException.class, () -> loss.forward(scores, new int[] {0, 4, 1}),
                "SoftmaxWithLoss", "labels[1]", "expected 0..3", "got 4");
        rejected(IllegalArgumentException.class, () -> loss.forward(scores, new int[] {0, 1, -1}),
                "labels[2]", "expected 0..3", "got -1");
        rejected(IllegalArgumentException.class, () -> loss.forward(scores, new int[] {0, 1}),
                "labels", "expected length 3", "got 2");
        rejected(IllegalArgumentException.class, () -> loss.forward(scores, null), "labels are null");
        assertDoesNotThrow(() -> loss.forward(scores, new int[] {0, 3, 2}));
    }

    @Test
    void softmaxWithLossNeedsTwoDimensionalScoresAndAForward() {
        SoftmaxWithLoss loss = new SoftmaxWithLoss(KernelProvider.scalar());
        rejected(IllegalStateException.class, () -> loss.backward(1f), "backward called before forward");
        rejected(IllegalArgumentException.class, () -> loss.forward(Tensor.zeros(2, 3, 1), new int[] {0, 0}),
                "scores", "expected shape [*, *]", "got [2, 3, 1]");
    }

    // ---- Convolution ------------------------------------------------------------------------------

    @Test
    void convolutionRejectsBadParametersAndShapes() {
        rejected(IllegalArgumentException.class, () -> conv(2, 3, 3, 3, 0, 0), "Convolution", "stride",
                ">= 1", "got 0");
        rejected(IllegalArgumentException.class, () -> conv(2, 3, 3, 3, 1, -1), "Convolution", "pad",
                ">= 0", "got -1");
        rejected(IllegalArgumentException.class,
                () -> new Convolution(Tensor.zeros(2, 3, 3), Tensor.zeros(2), 1, 0, KernelProvider.scalar()),
                "Convolution", "W", "[N, C, H, W]", "got [2, 3, 3]");
        rejected(IllegalArgumentException.class,
                () -> new Convolution(Tensor.zeros(2, 3, 3, 3), Tensor.zeros(3), 1, 0, KernelProvider.scalar()),
                "Convolution", "b", "expected shape [2]", "got [3]");
        Convolution c = conv(2, 3, 3, 3, 1, 0);
        rejected(IllegalStateException.class, () -> c.backward(Tensor.zeros(1, 2, 2, 2)), "before forward");
        rejected(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(1, 2, 5, 5)),
                "Convolution", "input", "[N, 3, H, W]", "got [1, 2, 5, 5]");
        rejected(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(3, 5, 5)),
                "input", "got [3, 5, 5]");
        // The filter does not fit: the output would be empty.
        rejected(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(1, 3, 2, 5)),
                "below 1", "H=2", "P=0", "F=3", "S=1");
        c.forward(Tensor.zeros(2, 3, 5, 4));
        rejected(IllegalArgumentException.class, () -> c.backward(Tensor.zeros(2, 2, 3, 3)),
                "Convolution", "dout", "expected shape [2, 2, 3, 2]", "got [2, 2, 3, 3]");
    }

    // ---- MaxPooling -------------------------------------------------------------------------------

    @Test
    void maxPoolingRejectsBadParametersAndShapes() {
        rejected(IllegalArgumentException.class, () -> new MaxPooling(0, 2, 2, 0), "MaxPooling", "pool size",
                "got 0x2");
        rejected(IllegalArgumentException.class, () -> new MaxPooling(2, 2, -1, 0), "stride", "got -1");
        rejected(IllegalArgumentException.class, () -> new MaxPooling(3, 2, 1, 2), "pad", "expected 0..1",
                "got 2");
        MaxPooling p = new MaxPooling(2, 2, 2, 0, KernelProvider.scalar());
        rejected(IllegalStateException.class, () -> p.backward(Tensor.zeros(1, 1, 1, 1)), "before forward");
        rejected(IllegalArgumentException.class, () -> p.forward(Tensor.zeros(4, 4)), "MaxPooling", "input",
                "got [4, 4]");
        rejected(IllegalArgumentException.class, () -> p.forward(Tensor.zeros(1, 1, 1, 4)),
                "output height below 1", "H=1", "P=0", "F=2", "S=2");
        p.forward(Tensor.zeros(2, 3, 4, 5));
        rejected(IllegalArgumentException.class, () -> p.backward(Tensor.zeros(2, 3, 2, 3)),
                "MaxPooling", "dout", "expected shape [2, 3, 2, 2]", "got [2, 3, 2, 3]");
    }

    // ---- Affine, Relu -----------------------------------------------------------------------------

    @Test
    void affineRejectsBadShapes() {
        rejected(IllegalArgumentException.class,
                () -> new Affine(Tensor.zeros(4, 3), Tensor.zeros(4), KernelProvider.scalar()),
                "Affine", "b", "expected shape [3]", "got [4]");
        Affine a = new Affine(Tensor.zeros(12, 5), Tensor.zeros(5), KernelProvider.scalar());
        rejected(IllegalStateException.class, () -> a.backward(Tensor.zeros(2, 5)), "before forward");
        rejected(IllegalArgumentException.class, () -> a.forward(Tensor.zeros(2, 3, 5)),
                "Affine", "12 values per sample", "got [2, 3, 5]");
        rejected(IllegalArgumentException.class, () -> a.forward(Tensor.zeros(12)), "Affine", "got [12]");
        a.forward(Tensor.zeros(2, 3, 2, 2));
        rejected(IllegalArgumentException.class, () -> a.backward(Tensor.zeros(2, 4)),
                "Affine", "dout", "expected shape [2, 5]", "got [2, 4]");
    }

    @Test
    void reluRejectsNullAndMismatchedGradients() {
        Relu r = new Relu(KernelProvider.scalar());
        rejected(IllegalStateException.class, () -> r.backward(Tensor.zeros(2)), "Relu", "before forward");
        rejected(IllegalArgumentException.class, () -> r.forward(null), "Relu", "null");
        r.forward(Tensor.zeros(2, 3));
        rejected(IllegalArgumentException.class, () -> r.backward(Tensor.zeros(3, 2)),
                "Relu", "dout", "expected shape [2, 3]", "got [3, 2]");
    }
}
