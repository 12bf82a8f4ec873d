package io.github.vectorcnn.cli;

import io.github.vectorcnn.Tensor;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilterGridTest {

    @Test
    void eachFilterIsScaledToItsOwnRangeAsGrayR() {
        Tensor w = Tensor.zeros(12, 1, 2, 2);
        // Filter 0: weights 0, 1, 2, 3 → white (min) … black (max); filter 11: constant → mid gray.
        for (int i = 0; i < 4; i++) {
            w.data()[i] = i;
        }
        for (int i = 0; i < 4; i++) {
            w.data()[11 * 4 + i] = 7f;
        }
        BufferedImage img = FilterGrid.grid(w);
        int cell = 2 * FilterGrid.SCALE, g = FilterGrid.GAP;
        assertEquals(g + 10 * (cell + g), img.getWidth());
        assertEquals(g + 2 * (cell + g), img.getHeight());
        assertEquals(255, gray(img, g, g));                                          // weight 0
        assertEquals(0, gray(img, g + FilterGrid.SCALE, g + FilterGrid.SCALE));     // weight 3
        assertEquals(170, gray(img, g + FilterGrid.SCALE, g));                        // weight 1 → 255·(1 − 1/3)
        assertEquals(128, gray(img, g + (cell + g), g + (cell + g)));                // constant filter 11
        assertEquals(255, gray(img, 0, 0));                                           // the gap is white
    }

    private static int gray(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFF;
    }

    @Test
    void rejectsNonFourDimensionalWeights() {
        assertThrows(IllegalArgumentException.class, () -> FilterGrid.grid(Tensor.zeros(3, 4)));
    }
}
