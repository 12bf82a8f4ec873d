package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.ScalarKernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to every layer: each gets an exception whose message names the layer (or the
 * parameter), what was expected and what was given.
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

    private static void rejects(Executable e, String... parts) {
        assertMessage(IllegalArgumentException.class, e, parts);
    }

    private static Convolution conv() {
        return new Convolution(Tensor.zeros(4, 3, 3, 2), Tensor.zeros(4), 1, 0, K);
    }

    // ---- mismatched shapes ----------------------------------------------------------------------

    @Test
    void convolutionNamesExpectedAndActualShapes() {
        rejects(() -> conv().forward(Tensor.zeros(2, 5, 8, 8)), "Convolution", "input", "[N, 3, H, W]",
                "[2, 5, 8, 8]");
        rejects(() -> conv().forward(Tensor.zeros(2, 3, 8)), "Convolution", "[N, 3, H, W]", "[2, 3, 8]");
        rejects(() -> new Convolution(Tensor.zeros(4, 3, 3), Tensor.zeros(4), 1, 0, K), "Convolution", "W",
                "[4, 3, 3]");
        rejects(() -> new Convolution(Tensor.zeros(4, 3, 3, 2), Tensor.zeros(5), 1, 0, K), "Convolution",
                "b", "[4]", "[5]");
        Convolution c = conv();
        c.forward(Tensor.zeros(2, 3, 6, 5)); // out [2, 4, 4, 4]
        rejects(() -> c.backward(Tensor.zeros(2, 4, 4, 3)), "Convolution", "dout", "[2, 4, 4, 4]",
                "[2, 4, 4, 3]");
    }

    @Test
    void maxPoolingNamesExpectedAndActualShapes() {
        MaxPooling p = new MaxPooling(2, 2, 2, 0, K);
        rejects(() -> p.forward(Tensor.zeros(4, 4)), "MaxPooling", "input", "[4, 4]");
        p.forward(Tensor.zeros(1, 2, 4, 6)); // out [1, 2, 2, 3]
        rejects(() -> p.backward(Tensor.zeros(1, 2, 3, 2)), "MaxPooling", "dout", "[1, 2, 2, 3]",
                "[1, 2, 3, 2]");
    }

    @Test
    void affineNamesExpectedAndActualShapes() {
        Affine a = new Affine(Tensor.zeros(12, 5), Tensor.zeros(5), K);
        rejects(() -> a.forward(Tensor.zeros(2, 3, 5)), "Affine", "12", "[2, 3, 5]");
        rejects(() -> a.forward(Tensor.zeros(12)), "Affine", "[12]");
        rejects(() -> new Affine(Tensor.zeros(12, 5), Tensor.zeros(4), K), "Affine", "b", "[5]", "[4]");
        rejects(() -> new Affine(Tensor.zeros(2, 6, 5), Tensor.zeros(5), K), "Affine", "W", "[2, 6, 5]");
        a.forward(Tensor.zeros(2, 3, 4));
        rejects(() -> a.backward(Tensor.zeros(2, 4)), "Affine", "dout", "[2, 5]", "[2, 4]");
    }

    @Test
    void reluAndSoftmaxNameExpectedAndActualShapes() {
        Relu r = new Relu(K);
        r.forward(Tensor.zeros(2, 3));
        rejects(() -> r.backward(Tensor.zeros(3, 2)), "Relu", "dout", "[2, 3]", "[3, 2]");
        rejects(() -> r.forward(null), "Relu", "null");
        SoftmaxWithLoss s = new SoftmaxWithLoss(K);
        rejects(() -> s.forward(Tensor.zeros(2, 3, 4), new int[] {0, 1}), "SoftmaxWithLoss", "scores",
                "[2, 3, 4]");
    }

    // ---- zero / negative sizes ------------------------------------------------------------------

    @Test
    void zeroAndNegativeSizesAreRejected() {
        rejects(() -> Tensor.zeros(2, 0, 3), "shape[1]", ">= 1", "0");
        rejects(() -> Tensor.zeros(-1), "shape[0]", "-1");
        rejects(() -> new Convolution(Tensor.zeros(4, 3, 3, 2), Tensor.zeros(4), 0, 0, K), "Convolution",
                "stride", "0");
        rejects(() -> new Convolution(Tensor.zeros(4, 3, 3, 2), Tensor.zeros(4), 1, -1, K), "Convolution",
                "pad", "-1");
        rejects(() -> new MaxPooling(0, 2, 2, 0, K), "MaxPooling", "pool size", "0x2");
        rejects(() -> new MaxPooling(2, 2, -2, 0, K), "MaxPooling", "stride", "-2");
        rejects(() -> new MaxPooling(2, 2, 2, 2, K), "MaxPooling", "pad", "2");
        rejects(() -> new WindowGeometry(0, 4, 4, 2, 2, 1, 0), "channels", "0");
        rejects(() -> new WindowGeometry(1, 4, 4, 2, -3, 1, 0), "windowW", "-3");
    }

    // ---- output size below 1 --------------------------------------------------------------------

    @Test
    void outputBelowOneNamesHPFAndS() {
        rejects(() -> conv().forward(Tensor.zeros(1, 3, 2, 9)), "below 1", "H=2", "P=0", "F=3", "S=1");
        Convolution padded = new Convolution(Tensor.zeros(1, 1, 7, 7), Tensor.zeros(1), 2, 1, K);
        rejects(() -> padded.forward(Tensor.zeros(1, 1, 4, 9)), "below 1", "H=4", "P=1", "F=7", "S=2");
        rejects(() -> new MaxPooling(3, 5, 1, 1, K).forward(Tensor.zeros(1, 1, 6, 2)), "below 1", "H=2",
                "P=1", "F=5", "S=1");
    }

    // ---- labels -----------------------------------------------------------------------------------

    @Test
    void labelsOutOfRangeOrOfTheWrongLengthAreRejected() {
        SoftmaxWithLoss s = new SoftmaxWithLoss(K);
        Tensor scores = Tensor.zeros(3, 4);
        rejects(() -> s.forward(scores, new int[] {0, 4, 1}), "SoftmaxWithLoss", "labels[1]", "0..3", "4");
        rejects(() -> s.forward(scores, new int[] {0, 1, -1}), "SoftmaxWithLoss", "labels[2]", "-1");
        rejects(() -> s.forward(scores, new int[] {0, 1}), "SoftmaxWithLoss", "length 3", "2");
        rejects(() -> s.forward(scores, null), "SoftmaxWithLoss", "null");
    }

    // ---- backward before forward ------------------------------------------------------------------

    @Test
    void backwardBeforeForwardIsAnIllegalState() {
        Tensor d = Tensor.zeros(1, 1, 1, 1);
        assertMessage(IllegalStateException.class, () -> conv().backward(d), "Convolution", "before forward");
        assertMessage(IllegalStateException.class, () -> new MaxPooling(1, 1, 1, 0, K).backward(d),
                "MaxPooling", "before forward");
        assertMessage(IllegalStateException.class,
                () -> new Affine(Tensor.zeros(1, 1), Tensor.zeros(1), K).backward(d), "Affine", "before forward");
        assertMessage(IllegalStateException.class, () -> new Relu(K).backward(d), "Relu", "before forward");
        assertMessage(IllegalStateException.class, () -> new SoftmaxWithLoss(K).backward(1f),
                "SoftmaxWithLoss", "before forward");
        assertMessage(IllegalStateException.class, () -> new MaxPooling(1, 1, 1, 0, K).activePiece(),
                "MaxPooling", "before forward");
    }
}
