package io.github.vectorcnn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    static <T extends Throwable> void rejected(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "\"" + e.getMessage() + "\" should name " + part);
        }
    }

    @Test
    void rowMajorOffsetsAndIndices() {
        Tensor t = Tensor.zeros(2, 3, 4);
        assertEquals(24, t.size());
        assertEquals((1 * 3 + 2) * 4 + 3, t.offset(1, 2, 3));
        assertArrayEquals(new int[] {1, 2, 3}, t.index(23));
        for (int i = 0; i < t.size(); i++) {
            assertEquals(i, t.offset(t.index(i)));
        }
        rejected(IndexOutOfBoundsException.class, () -> t.index(24), "offset", "0..23", "24");
        rejected(IndexOutOfBoundsException.class, () -> t.index(-1), "offset", "0..23", "-1");
        t.set(5f, 1, 0, 2);
        assertEquals(5f, t.data()[14]);
        assertEquals(5f, t.get(1, 0, 2));
    }

    @Test
    void reshapeSharesTheArrayAndShapeIsACopy() {
        Tensor t = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = t.reshape(3, 2);
        assertSame(t.data(), r.data());
        assertEquals("[3, 2]", r.shapeString());
        t.shape()[0] = 99;
        assertEquals(2, t.dim(0));
        assertTrue(t.copy().data() != t.data());
    }

    @Test
    void zeroNegativeAndMissingDimensionsAreRejected() {
        rejected(IllegalArgumentException.class, () -> Tensor.zeros(0), "shape[0]", ">= 1", "got 0");
        rejected(IllegalArgumentException.class, () -> Tensor.zeros(2, -3, 4), "shape[1]", ">= 1", "got -3",
                "[2, -3, 4]");
        rejected(IllegalArgumentException.class, () -> Tensor.zeros(), "at least one dimension", "[]");
        rejected(IllegalArgumentException.class, () -> Tensor.wrap(new float[0], 0), "shape[0]", "got 0");
    }

    @Test
    void dataOfTheWrongLengthIsRejected() {
        rejected(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3),
                "data", "expected 6", "[2, 3]", "got 5");
        Tensor t = Tensor.zeros(2, 3);
        rejected(IllegalArgumentException.class, () -> t.reshape(4, 2), "expected 8", "[4, 2]", "got 6");
    }

    @Test
    void shapesBeyondAJavaArrayAreRejectedNotOverflowed() {
        rejected(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536), "[65536, 65536]",
                "more than");
        rejected(IllegalArgumentException.class, () -> Tensor.zeros(1 << 16, 1 << 16, 1 << 16),
                "more than");
    }

    @Test
    void badIndicesNameTheCoordinateAndTheRange() {
        Tensor t = Tensor.zeros(2, 3);
        rejected(IllegalArgumentException.class, () -> t.offset(1), "index", "expected 2 coordinates", "got 1");
        rejected(IndexOutOfBoundsException.class, () -> t.get(1, 3), "index[1]", "expected 0..2", "got 3");
        rejected(IndexOutOfBoundsException.class, () -> t.set(0f, -1, 0), "index[0]", "expected 0..1", "got -1");
    }
}
