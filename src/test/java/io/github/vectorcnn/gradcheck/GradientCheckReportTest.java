package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientCheckReportTest {

    private static String run(List<Kernels> kernels, int expectedStatus) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = GradientCheckReport.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), kernels);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, text);
        return text;
    }

    @Test
    void everyLayerAndTheNetworkPassWithTheScalarKernels() {
        String text = run(List.of(ScalarKernels.INSTANCE), 0);
        for (String layer : new String[] {"Convolution 3x3 S1 P1", "Convolution 5x4 S3 P2", "MaxPooling",
                "Affine", "Relu", "SoftmaxWithLoss", "SimpleConvNet"}) {
            assertTrue(text.contains(layer), layer + " missing from\n" + text);
        }
        for (String tensor : new String[] {"W1", "b1", "W2", "b2", "W3", "b3"}) {
            assertTrue(text.matches("(?s).*\\s" + tensor + "\\s+\\[.*PASS.*"), tensor + " missing from\n" + text);
        }
        assertTrue(text.contains("all 11 checks passed"), text);
    }

    @Test
    void aBrokenKernelMakesTheReportFailAndSayWhere() {
        String text = run(List.of(new BrokenBackwardTest.MaskIgnoringKernels()), 1);
        assertTrue(text.contains("checks did not pass"), text);
        assertTrue(text.contains("MaxPooling 2x2 S2 P0"), text);
        assertTrue(text.contains("FAIL input: worst at"), text);
    }
}
