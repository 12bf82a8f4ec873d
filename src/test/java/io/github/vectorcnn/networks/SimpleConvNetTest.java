package io.github.vectorcnn.networks;

import io.github.vectorcnn.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

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

    @Test
    void sizesThatDoNotFitFailAtConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimpleConvNet(SimpleConvNet.Config.defaults().withInput(1, 4, 4)));
        assertTrue(e.getMessage().contains("H=4"), e.getMessage());
        assertTrue(e.getMessage().contains("F=5"), e.getMessage());
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
