package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KinkFreeInputsTest {

    @Test
    void everyPlaneIsAShuffleOfValuesSeparatedBy4hAndAtLeast2hFromZero() {
        float h = 1e-2f;
        for (int[] shape : new int[][] {{1, 1, 1, 1}, {2, 3, 7, 6}, {1, 2, 1, 9}, {3, 5}, {11}}) {
            Tensor t = KinkFreeInputs.separatedGrid(7, h, shape);
            int plane = shape[shape.length - 1] * (shape.length > 1 ? shape[shape.length - 2] : 1);
            for (int start = 0; start < t.size(); start += plane) {
                float[] p = Arrays.copyOfRange(t.data(), start, start + plane);
                Arrays.sort(p);
                for (int i = 0; i < plane; i++) {
                    assertTrue(Math.abs(p[i]) >= 2 * h - 1e-6, "too close to zero: " + p[i]);
                    if (i > 0) {
                        assertTrue(p[i] - p[i - 1] >= 4 * h - 1e-5, "too close: " + p[i - 1] + ", " + p[i]);
                    }
                }
            }
        }
    }

    @Test
    void planesAreShuffledDifferentlyAndReproducibly() {
        Tensor a = KinkFreeInputs.separatedGrid(3, 1e-2f, 2, 1, 4, 5);
        Tensor b = KinkFreeInputs.separatedGrid(3, 1e-2f, 2, 1, 4, 5);
        assertArrayEquals(a.data(), b.data());
        float[] first = Arrays.copyOfRange(a.data(), 0, 20), second = Arrays.copyOfRange(a.data(), 20, 40);
        assertFalse(Arrays.equals(first, second));
        Arrays.sort(first);
        Arrays.sort(second);
        assertArrayEquals(first, second);
    }

    @Test
    void awayFromZeroKeepsEveryValueOutsideTwoH() {
        float h = 0.05f;
        Tensor t = KinkFreeInputs.awayFromZero(9, h, 50, 40);
        int negative = 0;
        for (float v : t.data()) {
            assertTrue(Math.abs(v) >= 2 * h && Math.abs(v) <= 1, "value " + v);
            negative += v < 0 ? 1 : 0;
        }
        assertTrue(negative > 800 && negative < 1200, "both signs: " + negative + " negative of 2000");
    }

    @Test
    void uniformStaysInItsRange() {
        Tensor t = KinkFreeInputs.uniform(1, 3, 1000);
        double max = 0;
        for (float v : t.data()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= 3 && max > 2.9, "max |v| " + max);
        assertEquals(1000, t.size());
    }
}
