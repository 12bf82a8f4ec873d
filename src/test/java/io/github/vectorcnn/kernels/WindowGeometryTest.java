package io.github.vectorcnn.kernels;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowGeometryTest {

    static void assertMessage(IllegalArgumentException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "\"" + e.getMessage() + "\" should name " + part);
        }
    }

    /** Cases checked against torch.nn.functional.conv2d's output shape. */
    @ParameterizedTest(name = "H={0} F={1} S={2} P={3} -> {4}")
    @CsvSource({
            "28, 5, 1, 0, 24",    // SimpleConvNet's convolution
            "24, 2, 2, 0, 12",    // and its pooling
            "7, 3, 2, 1, 4",
            "6, 2, 4, 0, 2",      // floor: (6 − 2)/4 = 1 → 2
            "7, 2, 2, 0, 3",      // an odd size drops its last row
            "1, 3, 1, 1, 1",      // the window exactly fills the padded input
            "5, 1, 3, 2, 3",
            "2, 5, 3, 2, 1"})
    void outputSizeIsPyTorchs(int h, int f, int s, int p, int expected) {
        assertEquals(expected, WindowGeometry.outputSize("height", h, p, f, s));
        WindowGeometry g = new WindowGeometry(1, h, h, f, f, s, p);
        assertEquals(expected, g.outH());
        assertEquals(expected, g.outW());
    }

    @Property(tries = 500)
    void outputSizeIsTheFlooredFormula(@ForAll @IntRange(min = 1, max = 60) int h,
                                       @ForAll @IntRange(min = 1, max = 12) int f,
                                       @ForAll @IntRange(min = 1, max = 5) int s,
                                       @ForAll @IntRange(min = 0, max = 4) int p) {
        if (h + 2 * p < f) {
            assertThrows(IllegalArgumentException.class, () -> WindowGeometry.outputSize("height", h, p, f, s));
        } else {
            assertEquals(Math.floorDiv(h + 2 * p - f, s) + 1, WindowGeometry.outputSize("height", h, p, f, s));
        }
    }

    @Test
    void derivedSizes() {
        WindowGeometry g = new WindowGeometry(3, 7, 6, 3, 2, 2, 1);
        assertEquals(4, g.outH());          // (7 + 2 − 3)/2 + 1
        assertEquals(4, g.outW());          // (6 + 2 − 2)/2 + 1
        assertEquals(3 * 7 * 6, g.inputSize());
        assertEquals(16, g.outputPositions());
        assertEquals(3 * 3 * 2, g.patchSize());
        assertEquals(18 * 16, g.colSize());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "channels, 0, 1, 1, 1, 1, 1, 0, 0",
            "height, 1, -1, 1, 1, 1, 1, 0, -1",
            "width, 1, 1, 0, 1, 1, 1, 0, 0",
            "windowH, 1, 1, 1, 0, 1, 1, 0, 0",
            "windowW, 1, 1, 1, 1, -3, 1, 0, -3",
            "stride, 1, 1, 1, 1, 1, 0, 0, 0"})
    void nonPositiveSizesAreRejectedByName(String name, int c, int h, int w, int fh, int fw, int s,
                                           int p, int actual) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowGeometry(c, h, w, fh, fw, s, p));
        assertMessage(e, name + ":", ">= 1", "got " + actual);
    }

    @Test
    void negativePadIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowGeometry(1, 4, 4, 2, 2, 1, -1));
        assertMessage(e, "pad", ">= 0", "got -1");
    }

    @Test
    void outputBelowOneNamesHPFAndS() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowGeometry(2, 3, 9, 6, 3, 2, 1));
        assertMessage(e, "height", "below 1", "H=3", "P=1", "F=6", "S=2");
        e = assertThrows(IllegalArgumentException.class, () -> new WindowGeometry(2, 9, 2, 3, 5, 1, 0));
        assertMessage(e, "width", "below 1", "W=2", "P=0", "F=5", "S=1");
    }

    @Test
    void sizesBeyondAJavaArrayAreRejectedNotOverflowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowGeometry(65536, 256, 256, 1, 1, 1, 0));
        assertMessage(e, "input C·H·W", "got " + (65536L * 256 * 256));
        // The image (1e9 values) fits, its im2col matrix (1e5 × 982081) does not.
        WindowGeometry big = new WindowGeometry(1000, 1000, 1000, 10, 10, 1, 0);
        e = assertThrows(IllegalArgumentException.class, big::colSize);
        assertMessage(e, "im2col size", "got " + 100_000L * 991 * 991);
        e = assertThrows(IllegalArgumentException.class,
                () -> new WindowGeometry(1, 1, 1, 1, 1, 1, 1_500_000_000));
        assertMessage(e, "output height", "got 3000000001");
    }

    @Test
    void aWindowOfPaddingOnlyIsRejectedForPooling() {
        new WindowGeometry(1, 4, 4, 2, 3, 1, 1).requireInputInEveryWindow("pool");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowGeometry(1, 4, 4, 3, 2, 1, 2).requireInputInEveryWindow("pool"));
        assertMessage(e, "pool:", "pad", "3x2", "got 2");
    }

    @Test
    void samePlaneIgnoresTheChannelCountAndNothingElse() {
        WindowGeometry g = new WindowGeometry(2, 9, 8, 3, 2, 2, 1);
        assertTrue(g.samePlane(new WindowGeometry(5, 9, 8, 3, 2, 2, 1)));
        WindowGeometry[] oneFieldOff = {
            new WindowGeometry(2, 10, 8, 3, 2, 2, 1), new WindowGeometry(2, 9, 9, 3, 2, 2, 1),
            new WindowGeometry(2, 9, 8, 2, 2, 2, 1), new WindowGeometry(2, 9, 8, 3, 3, 2, 1),
            new WindowGeometry(2, 9, 8, 3, 2, 1, 1), new WindowGeometry(2, 9, 8, 3, 2, 2, 0),
        };
        for (WindowGeometry other : oneFieldOff) {
            assertFalse(g.samePlane(other), other.toString());
            assertFalse(other.samePlane(g), other.toString());
        }
    }
}
