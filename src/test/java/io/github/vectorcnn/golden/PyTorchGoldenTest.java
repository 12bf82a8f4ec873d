package io.github.vectorcnn.golden;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.io.Npy;
import io.github.vectorcnn.io.NpyArray;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.layers.Affine;
import io.github.vectorcnn.layers.Convolution;
import io.github.vectorcnn.layers.MaxPooling;
import io.github.vectorcnn.layers.SoftmaxWithLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The layers against PyTorch 1.13: conv2d, max_pool2d, and linear + cross_entropy, forward and
 * backward, read from the .npy files that {@code testdata/golden/make_golden.py} wrote (see its
 * README; the tests need no Python). Every case runs on both kernel providers; the vector case is
 * skipped, with the reason, in a JVM or build without the vector kernels.
 *
 * <p>Tolerance, per entry: |library − torch| ≤ {@value #ATOL}·scale + {@value #RTOL}·|torch|, where
 * scale is the largest |torch| value in that array. Both sides compute in float32 but sum in
 * different orders (im2col + GEMM here, direct or blocked loops in torch), so an entry that is a
 * K-term sum may differ by up to about K·2⁻²⁴·Σ|terms| in the worst case; the differences are
 * random-walk sized in practice. With the tolerance above the largest difference seen in these
 * files is about a third of the bound (a conv bias gradient, a 90-term sum) and most are below a
 * twentieth, so the test still catches an error of one part in 10⁵. Run with
 * {@code -Dgolden.report} in the Surefire argLine to print worst/tolerance per array. Pooling selects rather than computes: its output must equal
 * torch's bit for bit and its argmax (in the library's convention, the offset c·H·W + iy·W + ix
 * within the image) must match exactly, ties included.
 */
class PyTorchGoldenTest {

    static final Path DIR = Path.of("testdata", "golden");
    static final double RTOL = 1e-5;
    static final double ATOL = 2e-6;

    // ---- cases ----------------------------------------------------------------------------------

    static List<String> cases(String prefix) {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(prefix) && f.endsWith("_x.npy"))
                    .map(f -> f.substring(0, f.length() - "_x.npy".length()))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> withProviders(String prefix) {
        return Stream.of("scalar", "vector")
                .flatMap(k -> cases(prefix).stream().map(c -> Arguments.of(k, c)));
    }

    static Stream<Arguments> convCases() {
        return withProviders("conv_");
    }

    static Stream<Arguments> poolCases() {
        return withProviders("pool_");
    }

    static Stream<Arguments> linearCases() {
        return withProviders("linear_ce");
    }

    static Kernels kernels(String name) {
        if (name.equals("vector")) {
            assumeTrue(KernelProvider.vector().isPresent(),
                    () -> "vector kernels unavailable: " + KernelProvider.vectorUnavailableReason());
        }
        return KernelProvider.named(name);
    }

    static NpyArray read(String c, String array) {
        try {
            return Npy.read(DIR.resolve(c + "_" + array + ".npy"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tensor tensor(String c, String array) {
        return read(c, array).toTensor();
    }

    static int[] ints(String c, String array) {
        return read(c, array).toInts(c + "_" + array);
    }

    @Test
    void everyGoldenCaseIsPresent() {
        assertEquals(List.of("conv_s1p0", "conv_s1p1_rect", "conv_s2p1", "conv_s2p2_rect"), cases("conv_"));
        assertEquals(List.of("pool_k2s2p0", "pool_k3s2p1", "pool_k3x2s1p1", "pool_ties_k3s2p1"),
                cases("pool_"));
        assertEquals(List.of("linear_ce", "linear_ce_offset100"), cases("linear_ce"));
    }

    // ---- conv2d -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("convCases")
    void convolutionMatchesConv2d(String provider, String c) {
        Kernels k = kernels(provider);
        int[] config = ints(c, "config");
        Convolution conv = new Convolution(tensor(c, "w"), tensor(c, "b"), config[0], config[1], k);

        assertClose(c + " out", tensor(c, "out"), conv.forward(tensor(c, "x")));
        Tensor dx = conv.backward(tensor(c, "r"));
        assertClose(c + " dx", tensor(c, "dx"), dx);
        assertClose(c + " dW", tensor(c, "dw"), conv.grads().get("W"));
        assertClose(c + " db", tensor(c, "db"), conv.grads().get("b"));
    }

    // ---- max_pool2d -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("poolCases")
    void maxPoolingMatchesMaxPool2d(String provider, String c) {
        Kernels k = kernels(provider);
        int[] config = ints(c, "config");
        MaxPooling pool = new MaxPooling(config[0], config[1], config[2], config[3], k);

        Tensor expected = tensor(c, "out"), out = pool.forward(tensor(c, "x"));
        assertEquals(expected.shapeString(), out.shapeString(), c + " out shape");
        assertArrayEquals(expected.data(), out.data(), 0f, c + " out: a max selects, so bit for bit");
        assertArrayEquals(ints(c, "argmax"), pool.activePiece(), c + " argmax");
        assertClose(c + " dx", tensor(c, "dx"), pool.backward(tensor(c, "dout")));
    }

    // ---- linear + cross_entropy -------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("linearCases")
    void affineAndSoftmaxWithLossMatchLinearAndCrossEntropy(String provider, String c) {
        Kernels k = kernels(provider);
        Affine affine = new Affine(tensor(c, "w"), tensor(c, "b"), k);
        SoftmaxWithLoss loss = new SoftmaxWithLoss(k);
        Tensor x = tensor(c, "x");

        Tensor scores = affine.forward(x);
        assertClose(c + " scores", tensor(c, "scores"), scores);
        double l = loss.forward(scores, ints(c, "labels"));
        float expectedLoss = tensor(c, "loss").data()[0];
        assertEquals(expectedLoss, l, ATOL + RTOL * Math.abs(expectedLoss), c + " loss");
        assertClose(c + " probs", tensor(c, "probs"), loss.probabilities());

        Tensor dx = affine.backward(loss.backward(1f));
        assertEquals(x.shapeString(), dx.shapeString(), c + " dx keeps the input's shape");
        assertClose(c + " dx", tensor(c, "dx"), dx);
        assertClose(c + " dW", tensor(c, "dw"), affine.grads().get("W"));
        assertClose(c + " db", tensor(c, "db"), affine.grads().get("b"));
    }

    // ---- comparison -------------------------------------------------------------------------------

    /** Shapes equal and every entry within the class tolerance; reports the worst entry. */
    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shapeString(), actual.shapeString(), what + " shape");
        float[] e = expected.data(), a = actual.data();
        double scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs((double) a[i] - e[i]);
            double ratio = diff == 0 ? 0 : diff / (ATOL * scale + RTOL * Math.abs(e[i]));
            if (!(ratio <= worstRatio)) {   // NaN in the result counts as worst
                worstRatio = ratio;
                worst = i;
            }
        }
        if (System.getProperty("golden.report") != null) {
            System.out.printf("%-32s worst/tolerance = %.3f%n", what, worstRatio);
        }
        if (worst < 0) {
            return;   // every entry equal
        }
        int at = worst;
        double tolerance = ATOL * scale + RTOL * Math.abs(e[at]);
        assertTrue(worstRatio <= 1, () -> what + ": entry " + Arrays.toString(expected.index(at))
                + " is " + a[at] + ", torch has " + e[at] + ": |diff| " + Math.abs((double) a[at] - e[at])
                + " > tolerance " + tolerance + " (ATOL·scale + RTOL·|torch|)");
    }
}
