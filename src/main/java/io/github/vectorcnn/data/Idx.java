package io.github.vectorcnn.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed (detected by
 * the gzip magic 1f 8b, not by the file name).
 *
 * <p>Layout: two zero bytes, a type byte, a rank byte, then {@code rank} big-endian 32-bit
 * dimensions, then the values in row-major order. Only type 0x08 (unsigned byte) is accepted:
 * every MNIST-family file uses it, and a reader that silently accepted the others would hand
 * back numbers nobody checked.
 *
 * <p>Nothing is allocated on the header's word: the element count must fit in an int array, a
 * raw file must be exactly as long as the header says, and a gzip stream is read in chunks, so
 * a header claiming 2³¹ images costs only the bytes the stream actually delivers. Every failure
 * (including corrupt gzip data) surfaces as an {@link IdxFormatException} naming the file.
 */
public final class Idx {
    /** The only element type read: unsigned byte. */
    public static final int TYPE_UNSIGNED_BYTE = 0x08;
    /** Rank limit of the format's rank byte that we accept; MNIST uses 1 (labels) and 3 (images). */
    public static final int MAX_RANK = 4;
    /** Java arrays top out slightly below Integer.MAX_VALUE; images also become float[] of that size. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /**
     * Default cap on the values of one file: 2^28 (268 M bytes; about 342,000 images of 28×28,
     * five times MNIST's training set, 1 GiB once converted to floats). A gzip file is not bounded
     * by its size (a few MB can inflate to gigabytes), so without a cap a hostile file could
     * exhaust memory with data it really delivers. {@link #read(Path, int, long)} raises it.
     */
    public static final long DEFAULT_MAX_VALUES = 1L << 28;
    private static final int CHUNK = 1 << 16;

    private Idx() {
    }

    /** The dimensions and the unsigned-byte values of one IDX file. */
    public record Array(int[] dims, byte[] values) {
        public Array {
            dims = dims.clone();
        }

        /** Value i as 0..255. */
        public int unsigned(int i) {
            return values[i] & 0xFF;
        }

        @Override
        public String toString() {
            return "Idx.Array" + Arrays.toString(dims);
        }
    }

    /** Reads a whole IDX file, raw or gzip, of at most {@link #DEFAULT_MAX_VALUES} values. */
    public static Array read(Path file, int expectedRank) throws IOException {
        return read(file, expectedRank, DEFAULT_MAX_VALUES);
    }

    /** Reads a whole IDX file, raw or gzip, and checks that it has the expected rank and at most maxValues values. */
    public static Array read(Path file, int expectedRank, long maxValues) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IdxFormatException(file + ": not a readable file");
        }
        long size = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(raw, file.toString(), size, expectedRank, maxValues);
        }
    }

    /**
     * Reads from a stream; {@code fileSize} is the stored size in bytes (-1 if unknown) and bounds
     * an uncompressed file exactly. The stream must support mark/reset (a BufferedInputStream
     * does) for gzip detection; it is not closed.
     */
    public static Array read(InputStream in, String source, long fileSize, int expectedRank, long maxValues)
            throws IOException {
        if (!in.markSupported()) {
            in = new BufferedInputStream(in);
        }
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        try {
            if (gzip) {
                // The uncompressed size is unknown (the gzip trailer holds it modulo 2^32 and can
                // lie), so the values are read incrementally.
                return readBody(new GZIPInputStream(in, CHUNK), source + " (gzip)", -1, expectedRank, maxValues);
            }
            return readBody(in, source, fileSize, expectedRank, maxValues);
        } catch (ZipException | java.io.EOFException e) {
            throw new IdxFormatException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IdxFormatException e) {
            throw e;
        } catch (IOException e) {
            // GZIPInputStream reports some corruption as plain IOExceptions ("Corrupt GZIP trailer").
            if (gzip) {
                throw new IdxFormatException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    private static Array readBody(InputStream in, String source, long available, int expectedRank,
                                  long maxValues) throws IOException {
        byte[] head = readExactly(in, 4, source, "magic number");
        if (head[0] != 0 || head[1] != 0) {
            throw new IdxFormatException(source + ": magic number expected to start with 00 00, got "
                    + hex(head) + " (not an IDX file)");
        }
        int type = head[2] & 0xFF, rank = head[3] & 0xFF;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new IdxFormatException(source + ": element type expected 0x08 (unsigned byte), got 0x"
                    + String.format("%02x", type));
        }
        if (rank != expectedRank) {
            throw new IdxFormatException(source + ": rank expected " + expectedRank + ", got " + rank);
        }
        if (rank < 1 || rank > MAX_RANK) {
            throw new IdxFormatException(source + ": rank expected 1.." + MAX_RANK + ", got " + rank);
        }
        ByteBuffer dimBytes = ByteBuffer.wrap(readExactly(in, 4 * rank, source, "dimensions"));
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            long d = Integer.toUnsignedLong(dimBytes.getInt());
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw new IdxFormatException(source + ": dimension " + i + " expected 1.."
                        + Integer.MAX_VALUE + ", got " + d);
            }
            dims[i] = (int) d;
            count *= d;
            if (count > MAX_ELEMENTS) {
                throw new IdxFormatException(source + ": dimensions " + describe(dimBytes, rank)
                        + " hold more than " + MAX_ELEMENTS + " values");
            }
            if (count > maxValues) {
                throw new IdxFormatException(source + ": dimensions " + describe(dimBytes, rank)
                        + " hold more than the limit of " + maxValues + " values (Idx.read with a larger maxValues"
                        + " reads it)");
            }
        }
        long headerBytes = 4 + 4L * rank;
        if (available >= 0 && available - headerBytes != count) {
            throw new IdxFormatException(source + ": dimensions " + Arrays.toString(dims) + " need "
                    + count + " data bytes, file has " + Math.max(0, available - headerBytes)
                    + (available - headerBytes < count ? " (truncated)" : " (trailing bytes)"));
        }
        byte[] values = readValues(in, count, source, dims);
        if (in.read() >= 0) {
            throw new IdxFormatException(source + ": trailing bytes after the " + count
                    + " values that dimensions " + Arrays.toString(dims) + " announce");
        }
        return new Array(dims, values);
    }

    private static String describe(ByteBuffer dimBytes, int rank) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rank; i++) {
            sb.append(i > 0 ? ", " : "").append(Integer.toUnsignedLong(dimBytes.getInt(4 * i)));
        }
        return sb.append(']').toString();
    }

    private static byte[] readExactly(InputStream in, int n, String source, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IdxFormatException(source + ": truncated in the " + what + " (expected " + n
                    + " bytes, got " + b.length + ")");
        }
        return b;
    }

    /** Reads count bytes in chunks: memory grows with what arrives, never with what is claimed. */
    private static byte[] readValues(InputStream in, long count, String source, int[] dims) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(count, CHUNK));
        byte[] chunk = new byte[CHUNK];
        long left = count;
        while (left > 0) {
            int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (r < 0) {
                throw new IdxFormatException(source + ": truncated: dimensions " + Arrays.toString(dims)
                        + " need " + count + " values, got " + (count - left));
            }
            out.write(chunk, 0, r);
            left -= r;
        }
        return out.toByteArray();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x ", x & 0xFF));
        }
        return sb.toString().trim();
    }

    // ---- writing ----------------------------------------------------------------------------------

    /** Writes unsigned-byte values as IDX, gzip-compressed if {@code gzip}; does not close {@code out}. */
    public static void write(OutputStream out, boolean gzip, byte[] values, int... dims) throws IOException {
        long count = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("dims: expected every dimension >= 1, got "
                        + Arrays.toString(dims));
            }
            count *= d;
        }
        if (dims.length < 1 || dims.length > MAX_RANK) {
            throw new IllegalArgumentException("dims: expected rank 1.." + MAX_RANK + ", got " + dims.length);
        }
        if (count != values.length) {
            throw new IllegalArgumentException("values: expected " + count + " for dims "
                    + Arrays.toString(dims) + ", got " + values.length);
        }
        OutputStream target = gzip ? new GZIPOutputStream(out, CHUNK) : out;
        ByteBuffer head = ByteBuffer.allocate(4 + 4 * dims.length);
        head.put((byte) 0).put((byte) 0).put((byte) TYPE_UNSIGNED_BYTE).put((byte) dims.length);
        for (int d : dims) {
            head.putInt(d);
        }
        target.write(head.array());
        target.write(values);
        if (gzip) {
            ((GZIPOutputStream) target).finish();
        }
        target.flush();
    }
}
