package io.github.vectorcnn.data;

import io.github.vectorcnn.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSetTest {

    static void writeIdx(Path file, boolean gzip, byte[] values, int... dims) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Idx.write(out, gzip, values, dims);
        }
    }

    @Test
    void readsImagesScaledToUnitRangeWithLabels(@TempDir Path dir) throws IOException {
        byte[] px = new byte[2 * 2 * 3];
        px[0] = (byte) 255;
        px[7] = (byte) 51;
        writeIdx(dir.resolve("img"), true, px, 2, 2, 3);
        writeIdx(dir.resolve("lab"), false, new byte[] {7, 2}, 2);
        DataSet d = DataSet.readIdx(dir.resolve("img"), dir.resolve("lab"));
        assertArrayEquals(new int[] {2, 1, 2, 3}, d.images().shape());
        assertEquals(1f, d.images().data()[0]);
        assertEquals(0.2f, d.images().data()[7], 1e-7);
        assertArrayEquals(new int[] {7, 2}, d.labels());
        assertEquals(8, d.classes());
    }

    @Test
    void countMismatchBetweenImagesAndLabelsIsRejected(@TempDir Path dir) throws IOException {
        writeIdx(dir.resolve("img"), false, new byte[3 * 4], 3, 2, 2);
        writeIdx(dir.resolve("lab"), false, new byte[2], 2);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> DataSet.readIdx(dir.resolve("img"), dir.resolve("lab")));
        assertTrue(e.getMessage().contains("expected 3 labels"), e.getMessage());
    }

    @Test
    void ofChecksShapesCountsAndRanges() {
        Tensor img = Tensor.zeros(2, 1, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> DataSet.of(img, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> DataSet.of(img, new int[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> DataSet.of(Tensor.zeros(2, 4), new int[] {1, 1}));
        img.data()[3] = 1.5f;
        assertThrows(IllegalArgumentException.class, () -> DataSet.of(img, new int[] {1, 0}));
    }

    @Test
    void gatherCopiesTheChosenImagesInOrder() {
        Tensor img = Tensor.zeros(3, 1, 1, 2);
        for (int i = 0; i < 6; i++) {
            img.data()[i] = i / 10f;
        }
        DataSet d = DataSet.of(img, new int[] {0, 1, 2});
        Tensor batch = Tensor.zeros(2, 1, 1, 2);
        int[] labels = new int[2];
        d.gather(new int[] {2, 0, 1}, 0, 2, batch, labels);
        assertArrayEquals(new float[] {0.4f, 0.5f, 0f, 0.1f}, batch.data());
        assertArrayEquals(new int[] {2, 0}, labels);
        // Bad arguments are named, and the buffers are left as they were.
        Tensor before = batch.copy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.gather(new int[] {0, 3}, 0, 2, batch, labels));
        assertTrue(e.getMessage().contains("order[1] expected 0..2, got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.gather(new int[] {0, -1}, 0, 2, batch, labels));
        assertTrue(e.getMessage().contains("order[1] expected 0..2, got -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.gather(new int[] {0, 1, 2}, 2, 2, batch, labels));
        assertTrue(e.getMessage().contains("from + count <= 3 (the order's length), got from=2 count=2"), e.getMessage());
        assertArrayEquals(before.data(), batch.data());
        assertArrayEquals(new int[] {2, 0}, labels);
        DataSet s = d.slice(1, 3);
        assertArrayEquals(new int[] {1, 2}, s.labels());
        assertEquals(0.2f, s.images().data()[0]);
    }

    @Test
    void embeddedSliceLoadsFromTheWorkingDirectory() throws IOException {
        // Surefire runs in the project root, where the repository keeps testdata/.
        DataDirectory.Split split = new DataDirectory(DataDirectory.EMBEDDED).load();
        assertEquals(10_000, split.train().size());
        assertEquals(2_000, split.test().size());
        assertEquals(10, split.classes());
        assertArrayEquals(new int[] {10_000, 1, 28, 28}, split.train().images().shape());
        // Fashion-MNIST's first training label is 9 (ankle boot), its first test label 9 as well.
        assertEquals(9, split.train().labels()[0]);
        assertEquals(9, split.test().labels()[0]);
    }

    @Test
    void missingDirectoryOrFileNamesWhatWasExpected(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> new DataDirectory(dir.resolve("nope")).load());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        IOException f = assertThrows(IOException.class, () -> new DataDirectory(dir).load());
        assertTrue(f.getMessage().contains("train-images-idx3-ubyte or train-images-idx3-ubyte.gz"), f.getMessage());
    }
}
