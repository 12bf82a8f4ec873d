package io.github.vectorcnn.networks;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.layers.Affine;
import io.github.vectorcnn.layers.Convolution;
import io.github.vectorcnn.layers.Layer;
import io.github.vectorcnn.layers.MaxPooling;
import io.github.vectorcnn.layers.Relu;
import io.github.vectorcnn.layers.SoftmaxWithLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimpleConvNetTest {

    private static SimpleConvNet.Config tiny() {
        return SimpleConvNet.Config.defaults().withInput(2, 9, 8).withConv(3, 3, 1, 1)
                .withHidden(7).withClasses(4).withInit(SimpleConvNet.Init.HE, 0).withSeed(7);
    }

    private static Tensor randomInput(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(shape);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    // A smoke test with a small h, so Relu and pooling kinks are rarely crossed; the thorough
    // network check, with kink detection, is in the gradient-check suite.
    @Test
    void backpropMatchesNumericalGradientOnEveryParameter() {
        SimpleConvNet net = new SimpleConvNet(tiny());
        Tensor x = randomInput(3, 3, 2, 9, 8);
        int[] labels = {0, 3, 1};
        Map<String, Tensor> numeric = net.numericalGradient(x, labels, 1e-3f);
        Map<String, Tensor> analytic = net.gradient(x, labels);
        for (String name : numeric.keySet()) {
            float[] n = numeric.get(name).data(), a = analytic.get(name).data();
            double worst = 0;
            for (int i = 0; i < n.length; i++) {
                worst = Math.max(worst, Math.abs(n[i] - a[i]) / (1e-2 + Math.abs(n[i])));
            }
            assertTrue(worst < 2e-2, name + ": worst relative error " + worst);
        }
    }

    /**
     * The network pools before its first relu (fused into the pool); the book relus first. Built here in the book's
     * order from the same parameter tensors, both must give the same loss and the same gradient
     * bits, on both providers, for the book's pool and an overlapping one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void poolingBeforeTheFirstReluGivesTheBooksOrderBitForBit(String provider) {
        Kernels k = KernelProvider.named(provider);
        for (SimpleConvNet.Config c : List.of(tiny(), tiny().withPool(3, 2), tiny().withInput(2, 12, 12))) {
            SimpleConvNet net = new SimpleConvNet(c, k);
            Map<String, Tensor> p = net.params();
            List<Layer> book = new ArrayList<>(List.of(
                    new Convolution(p.get("W1"), p.get("b1"), c.filterStride(), c.filterPad(), k),
                    new Relu(k),
                    new MaxPooling(c.poolSize(), c.poolSize(), c.poolStride(), 0, k),
                    new Affine(p.get("W2"), p.get("b2"), k),
                    new Relu(k),
                    new Affine(p.get("W3"), p.get("b3"), k)));
            SoftmaxWithLoss loss = new SoftmaxWithLoss(k);
            Tensor x = randomInput(11, 5, c.channels(), c.height(), c.width());
            int[] labels = {0, 3, 1, 2, 3};

            Tensor t = x;
            for (Layer l : book) {
                t = l.forward(t);
            }
            double bookLoss = loss.forward(t, labels);
            Tensor d = loss.backward(1f);
            for (int i = book.size() - 1; i >= 0; i--) {
                d = book.get(i).backward(d);
            }
            Map<String, Tensor> g = net.gradient(x, labels);
            assertEquals(bookLoss, net.lastLoss(), 0.0, c.toString());
            String[][] names = {{"W1", "b1"}, {"W2", "b2"}, {"W3", "b3"}};
            int[] owner = {0, 3, 5};
            for (int layer = 0; layer < 3; layer++) {
                for (int j = 0; j < 2; j++) {
                    String name = names[layer][j];
                    assertArrayEquals(book.get(owner[layer]).grads().get(j == 0 ? "W" : "b").data(),
                            g.get(name).data(), provider + " d" + name + " " + c);
                }
            }
        }
    }

    @Test
    void sizesThatDoNotFitFailAtConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimpleConvNet(SimpleConvNet.Config.defaults().withInput(1, 4, 4)));
        assertTrue(e.getMessage().contains("H=4"), e.getMessage());
        assertTrue(e.getMessage().contains("F=5"), e.getMessage());
        assertTrue(e.getMessage().contains("convolution of 1x4x4 inputs (filterSize 5"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> new SimpleConvNet(SimpleConvNet.Config.defaults().withPool(30, 2)));
        assertTrue(e.getMessage().contains("pooling of the 24x24 convolution output (poolSize 30"), e.getMessage());
    }

    @Test
    void zeroSizesAndStridesNameTheirField() {
        SimpleConvNet.Config book = SimpleConvNet.Config.defaults();
        Map<String, SimpleConvNet.Config> cases = Map.of(
                "filterSize expected >= 1, got 0", book.withConv(30, 0, 0, 1),
                "filterStride expected >= 1, got 0", book.withConv(30, 5, 0, 0),
                "poolSize expected >= 1, got 0", book.withPool(0, 2),
                "poolStride expected >= 1, got 0", book.withPool(2, 0));
        cases.forEach((message, config) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SimpleConvNet(config));
            assertTrue(e.getMessage().contains("SimpleConvNet: " + message), e.getMessage());
        });
    }

    @Test
    void defaultNetworkHasTheBooksShapes() {
        SimpleConvNet net = new SimpleConvNet(SimpleConvNet.Config.defaults());
        assertEquals("[30, 1, 5, 5]", net.params().get("W1").shapeString());
        assertEquals("[4320, 100]", net.params().get("W2").shapeString());
        assertEquals("[100, 10]", net.params().get("W3").shapeString());
        Tensor x = randomInput(1, 2, 1, 28, 28);
        double loss = net.loss(x, new int[] {1, 2});
        assertEquals(Math.log(10), loss, 1e-2, "tiny weights give near-uniform softmax");
    }
}
