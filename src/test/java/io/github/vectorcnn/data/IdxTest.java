package io.github.vectorcnn.data;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {

    static byte[] idx(boolean gzip, byte[] values, int... dims) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Idx.write(out, gzip, values, dims);
        return out.toByteArray();
    }

    static byte[] randomValues(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static Idx.Array read(byte[] file, int rank) throws IOException {
        return Idx.read(new ByteArrayInputStream(file), "mem", file.length, rank, Idx.DEFAULT_MAX_VALUES);
    }

    @Test
    void roundTripsRawAndGzip() throws IOException {
        byte[] values = randomValues(1, 3 * 4 * 5);
        for (boolean gzip : new boolean[] {false, true}) {
            Idx.Array a = read(idx(gzip, values, 3, 4, 5), 3);
            assertArrayEquals(new int[] {3, 4, 5}, a.dims());
            assertArrayEquals(values, a.values());
        }
    }

    @Test
    void unsignedValuesAbove127() throws IOException {
        Idx.Array a = read(idx(false, new byte[] {(byte) 255, (byte) 128, 0}, 3), 1);
        assertEquals(255, a.unsigned(0));
        assertEquals(128, a.unsigned(1));
    }

    @Test
    void rejectsWrongMagicTypeAndRank() throws IOException {
        byte[] good = idx(false, randomValues(2, 8), 2, 2, 2);
        byte[] magic = good.clone();
        magic[0] = 1;
        assertMessage(magic, 3, "magic number");
        byte[] type = good.clone();
        type[2] = 0x0D; // float
        assertMessage(type, 3, "element type expected 0x08");
        assertMessage(good, 1, "rank expected 1, got 3");
    }

    @Test
    void rejectsTruncatedAndTrailingBytes() throws IOException {
        byte[] good = idx(false, randomValues(3, 20), 4, 5);
        assertMessage(Arrays.copyOf(good, good.length - 1), 2, "truncated");
        assertMessage(Arrays.copyOf(good, good.length + 3), 2, "trailing bytes");
        assertMessage(Arrays.copyOf(good, 6), 2, "truncated in the dimensions");
        byte[] gz = idx(true, randomValues(3, 20), 4, 5);
        assertThrows(IdxFormatException.class, () -> read(Arrays.copyOf(gz, gz.length - 9), 2));
    }

    @Test
    void hugeClaimedCountFailsWithoutAllocating() throws IOException {
        // 2^31 images of 28×28: raw, the file size gives it away; gzip, the stream runs dry.
        byte[] good = idx(false, randomValues(4, 2 * 28 * 28), 2, 28, 28);
        ByteBuffer.wrap(good).putInt(4, Integer.MIN_VALUE); // 2^31 as unsigned
        assertMessage(good, 3, "dimension 0 expected 1..2147483647, got 2147483648");
        ByteBuffer.wrap(good).putInt(4, 3_000_000); // 2.35e9 values: more than an array holds
        assertMessage(good, 3, "hold more than");
        ByteBuffer.wrap(good).putInt(4, 2_000);
        assertMessage(good, 3, "truncated");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = Arrays.copyOf(good, 16);
        ByteBuffer.wrap(header).putInt(4, 300_000); // 235 MB claimed, 1.5 kB delivered
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(header);
            gz.write(randomValues(5, 1500));
        }
        assertMessage(out.toByteArray(), 3, "truncated");
    }

    @Test
    void gzipClaimAboveTheLimitIsRejectedBeforeReading() throws IOException {
        // A gzip bomb: 400,000 images (313 MB) of zeros would inflate from well under 1 MB.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[16];
        ByteBuffer.wrap(header).put(2, (byte) 8).put(3, (byte) 3).putInt(4, 400_000).putInt(8, 28).putInt(12, 28);
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(header);
        }
        assertMessage(out.toByteArray(), 3, "more than the limit of 268435456 values");
        byte[] small = idx(true, randomValues(7, 40), 40);
        assertThrows(IdxFormatException.class,
                () -> Idx.read(new ByteArrayInputStream(small), "mem", small.length, 1, 39));
        assertEquals(40, Idx.read(new ByteArrayInputStream(small), "mem", small.length, 1, 40).values().length);
    }

    @Test
    void rejectsZeroDimension() throws IOException {
        byte[] good = idx(false, randomValues(6, 4), 4);
        ByteBuffer.wrap(good).putInt(4, 0);
        assertMessage(good, 1, "dimension 0 expected 1..");
    }

    private static void assertMessage(byte[] file, int rank, String part) {
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> read(file, rank));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith("mem"), "names the source: " + e.getMessage());
    }

    // ---- fuzzing: a mutated file is either read consistently or rejected with our exception ----

    @Provide
    Arbitrary<List<Integer>> mutations() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 400)
    void mutatedFilesAreReadOrRejectedCleanly(@ForAll boolean gzip, @ForAll @IntRange(min = 1, max = 3) int rank,
                                               @ForAll("mutations") List<Integer> edits,
                                               @ForAll long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = 1 + r.nextInt(5);
        }
        int count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        byte[] file = idx(gzip, randomValues(seed, count), dims);
        for (int edit : edits) {
            file = mutate(file, edit, r);
        }
        Idx.Array a;
        try {
            a = read(file, rank);
        } catch (IdxFormatException expected) {
            assertTrue(expected.getMessage().startsWith("mem"), expected.getMessage());
            return;
        }
        // Accepted: the result must be self-consistent.
        assertEquals(rank, a.dims().length);
        long n = 1;
        for (int d : a.dims()) {
            assertTrue(d >= 1);
            n *= d;
        }
        assertEquals(n, a.values().length);
    }

    private static byte[] mutate(byte[] file, int edit, SplittableRandom r) {
        if (file.length == 0) {
            return file;
        }
        int at = r.nextInt(file.length);
        switch (edit % 5) {
            case 0: { // flip one bit
                byte[] f = file.clone();
                f[at] ^= (byte) (1 << r.nextInt(8));
                return f;
            }
            case 1: // truncate
                return Arrays.copyOf(file, at);
            case 2: { // rewrite a header byte (the first 16 bytes hold magic and dimensions)
                byte[] f = file.clone();
                f[r.nextInt(Math.min(16, f.length))] = (byte) r.nextInt(256);
                return f;
            }
            case 3: { // a random big-endian int over a header dimension
                byte[] f = file.clone();
                int pos = 4 + 4 * r.nextInt(3);
                if (pos + 4 <= f.length) {
                    ByteBuffer.wrap(f).putInt(pos, r.nextInt());
                }
                return f;
            }
            default: // append garbage
                byte[] f = Arrays.copyOf(file, file.length + 1 + r.nextInt(8));
                for (int i = file.length; i < f.length; i++) {
                    f[i] = (byte) r.nextInt(256);
                }
                return f;
        }
    }
}
