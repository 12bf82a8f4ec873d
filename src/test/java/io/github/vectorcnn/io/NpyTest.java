package io.github.vectorcnn.io;

import io.github.vectorcnn.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {

    private static byte[] bytes(NpyArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        return out.toByteArray();
    }

    private static NpyArray parse(byte[] b) throws IOException {
        return Npy.read(new ByteArrayInputStream(b), "test", b.length);
    }

    /** A file made by hand the way numpy 1.x writes np.arange(6, dtype='<f4').reshape(2, 3). */
    private static byte[] handMade(String dict, byte[] body) {
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((total + 63) / 64 * 64 - total) + "\n";
        byte[] out = new byte[10 + header.length() + body.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                (byte) header.length(), (byte) (header.length() >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, out, 10, header.length());
        System.arraycopy(body, 0, out, 10 + header.length(), body.length);
        return out;
    }

    @Test
    void roundTripsFloatsAndLongsWithTheirShapes() throws IOException {
        NpyArray f = NpyArray.of(Tensor.wrap(new float[] {1.5f, -2f, Float.NaN, 0f, 7e-30f, 3f}, 2, 3));
        assertEquals(f, parse(bytes(f)));
        NpyArray l = NpyArray.ofLongs(new long[] {Long.MIN_VALUE, -1, 0, 9}, 4);
        assertEquals(l, parse(bytes(l)));
        NpyArray scalar = new NpyArray(new int[0], new float[] {4f}, null);
        assertEquals(scalar, parse(bytes(scalar)));
    }

    @Test
    void headerIsPaddedTo64BytesAndEndsInNewline() throws IOException {
        byte[] b = bytes(NpyArray.of(Tensor.zeros(3, 1, 5, 5)));
        int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals('\n', b[10 + headerLen - 1]);
        String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1, 5, 5), }"), header);
        assertEquals(10 + headerLen + 75 * 4, b.length);
    }

    @Test
    void readsLittleEndianFloat64AndInt32AsNumpyWritesThem() throws IOException {
        byte[] body = new byte[16];
        java.nio.ByteBuffer.wrap(body).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-3);
        NpyArray d = parse(handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", body));
        assertArrayEquals(new float[] {0.25f, -3f}, d.floats());
        byte[] ints = {1, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        NpyArray i = parse(handMade("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", ints));
        assertArrayEquals(new int[] {1, -1}, i.toInts("labels"));
    }

    @Test
    void rejectsWhatItCannotReadWithTheReason() {
        String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        assertMessage("magic", () -> parse("NOTNUMPYFILE".getBytes(StandardCharsets.ISO_8859_1)));
        assertMessage("fortran_order expected False",
                () -> parse(handMade(ok.replace("False", "True"), new byte[8])));
        assertMessage("dtype expected", () -> parse(handMade(ok.replace("<f4", ">f4"), new byte[8])));
        assertMessage("dtype expected", () -> parse(handMade(ok.replace("<f4", "<c8"), new byte[16])));
        assertMessage("needs 8 data bytes, file has 4", () -> parse(handMade(ok, new byte[4])));
        assertMessage("shape dimension", () -> parse(handMade(ok.replace("(2,)", "(-2,)"), new byte[8])));
        // A header claiming 2^31 values must fail on the claim, not on an allocation.
        assertMessage("more than", () -> parse(handMade(ok.replace("(2,)", "(65536, 65536)"), new byte[8])));
        // 300M float64 values fit the count limit but not one byte array; the size is unknown (-1).
        assertMessage("more than one array can hold", () -> Npy.read(new ByteArrayInputStream(
                handMade(ok.replace("<f4", "<f8").replace("(2,)", "(300000000,)"), new byte[8])), "s", -1));
        assertMessage("truncated", () -> Npy.read(new ByteArrayInputStream(handMade(ok, new byte[5])), "s", -1));
        assertMessage("truncated", () -> parse(Arrays.copyOf(handMade(ok, new byte[8]), 30)));
        // Bytes after the array: the header does not describe the file.
        assertMessage("needs 8 data bytes, file has 12", () -> parse(handMade(ok, new byte[12])));
        assertMessage("truncated in the version", () -> parse(Arrays.copyOf(handMade(ok, new byte[8]), 6)));
        assertMessage("truncated in the header length", () -> parse(Arrays.copyOf(handMade(ok, new byte[8]), 9)));
    }

    @Test
    void anArraysShapeCannotBeChangedOrOverflow() {
        NpyArray a = NpyArray.of(Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        a.shape()[0] = 1;
        assertArrayEquals(new int[] {2, 3}, a.shape());
        // 65536^4 wraps to 0 in a long: it must not pass for an empty array.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NpyArray(new int[] {65536, 65536, 65536, 65536}, new float[0], null));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        assertEquals(0, new NpyArray(new int[] {65536, 0, 65536}, new float[0], null).size());
        int[] manyDims = new int[25_000];
        Arrays.fill(manyDims, 1);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> bytes(new NpyArray(manyDims, new float[1], null)));
        assertTrue(tooLong.getMessage().contains("25000 dimensions"), tooLong.getMessage());
    }

    /**
     * Every bit of a deflated entry flipped in turn: each read either gives the original arrays or
     * fails with a NpyFormatException (the CRC-32, or the inflater's own check), never other values.
     */
    @Test
    void npzRejectsAnEntryWhoseBytesChanged(@TempDir Path dir) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        float[] w = new float[64];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.25f - 3f;
        }
        arrays.put("W1", NpyArray.of(Tensor.wrap(w, 8, 8)));
        Path file = dir.resolve("model.npz");
        Npz.write(file, arrays);
        byte[] zip = Files.readAllBytes(file);
        long compressed;
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
            compressed = z.getEntry("W1.npy").getCompressedSize();
        }
        int dataStart = 30 + (zip[26] & 0xFF) + ((zip[27] & 0xFF) << 8) + (zip[28] & 0xFF) + ((zip[29] & 0xFF) << 8);
        int rejected = 0;
        Path bad = dir.resolve("bad.npz");
        for (int bit = 0; bit < 8 * compressed; bit++) {
            byte[] b = zip.clone();
            b[dataStart + bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(bad, b);
            try {
                assertEquals(arrays, Npz.read(bad), "bit " + bit + " changed the values without an error");
            } catch (NpyFormatException e) {
                assertTrue(e.getMessage().startsWith(bad + "!W1.npy: "), e.getMessage());
                rejected++;
            }
        }
        assertTrue(rejected > 4 * compressed, rejected + " of " + 8 * compressed + " flips rejected");
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        NpyFormatException ex = assertThrows(NpyFormatException.class, e);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void npzRoundTripsNamedArraysAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("W1", NpyArray.of(Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2)));
        arrays.put("step", NpyArray.ofLongs(new long[] {12}, 1));
        Path file = dir.resolve("model.npz");
        Npz.write(file, arrays);
        Npz.write(file, arrays); // overwriting goes through the same temporary-and-rename path
        assertEquals(arrays, Npz.read(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void npzRejectsDamagedArchives(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.npz");
        Files.write(file, new byte[] {'P', 'K', 3, 4, 0, 0});
        assertThrows(NpyFormatException.class, () -> Npz.read(file));
        assertThrows(IllegalArgumentException.class,
                () -> Npz.write(dir.resolve("x.npz"), Map.of("a/b", NpyArray.ofInts(new int[] {1}))));
    }
    /**
     * A zip bomb: 40 MB of zeros deflate to about 40 KB. With a limit below the announced size the
     * read is refused before anything is inflated; the default limit (a quarter of the heap) refuses
     * an entry whose central directory announces 4 GB.
     */
    @Test
    void npzRefusesArraysLargerThanTheLimitBeforeInflatingThem(@TempDir Path dir) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("a", NpyArray.of(Tensor.wrap(new float[16], 4, 4)));
        arrays.put("zeros", NpyArray.of(Tensor.wrap(new float[10_000_000], 10_000_000)));
        Path file = dir.resolve("bomb.npz");
        Npz.write(file, arrays);
        assertTrue(Files.size(file) < 100_000, Files.size(file) + " bytes");
        long npyBytes = 40_000_000 + 128;
        assertEquals(arrays, Npz.read(file, npyBytes + 128 + 64)); // both entries fit exactly
        assertMessage(file + "!zeros.npy: arrays expected to take at most 40000000 bytes uncompressed,"
                + " the archive announces " + (npyBytes + 128 + 64) + " up to and including this entry",
                () -> Npz.read(file, 40_000_000));
        assertMessage(file + "!a.npy: arrays expected to take at most 100 bytes uncompressed, the archive"
                + " announces 192", () -> Npz.read(file, 100));

        // The central directory's uncompressed size of the second entry, rewritten as 0xFFFF0000.
        byte[] zip = Files.readAllBytes(file);
        int central = -1;
        for (int i = zip.length - 4; i >= 0 && central < 0; i--) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2
                    && new String(zip, i + 46, 9, StandardCharsets.ISO_8859_1).equals("zeros.npy")) {
                central = i;
            }
        }
        assertTrue(central > 0, "central directory entry of zeros.npy");
        zip[central + 24] = 0;
        zip[central + 25] = 0;
        zip[central + 26] = (byte) 0xFF;
        zip[central + 27] = (byte) 0xFF;
        Path lying = dir.resolve("lying.npz");
        Files.write(lying, zip);
        assertTrue(Runtime.getRuntime().maxMemory() / 4 < 0xFFFF0000L, "the test JVM's heap is too large");
        assertMessage(lying + "!zeros.npy: arrays expected to take at most " + Runtime.getRuntime().maxMemory() / 4
                + " bytes uncompressed, the archive announces " + (0xFFFF0000L + 192), () -> Npz.read(lying));
    }
}
