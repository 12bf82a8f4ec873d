package io.github.vectorcnn.io;

import io.github.vectorcnn.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy's {@code .npy} format (versions 1.0–3.0), C order only.
 *
 * <p>Written arrays are {@code <f4} (float32) or {@code <i8} (int64), format version 1.0. Read
 * arrays may be {@code <f4}, {@code <f8} (narrowed to float), or any signed or unsigned integer
 * type of 1, 2, 4 or 8 bytes, little-endian. Every claim of the header is checked before any
 * allocation: a header that announces more values than the stream holds fails with a clear
 * {@link NpyFormatException}, it does not allocate.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy itself refuses headers over 10 kB by default; we allow a generous 64 kB. */
    private static final int MAX_HEADER = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    // ---- reading --------------------------------------------------------------------------------

    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Files.size(file));
        }
    }

    /**
     * Reads one array from {@code in}; {@code available} is the number of bytes the array's file or
     * zip entry holds, magic string included (-1 if unknown, then values are read in chunks so a
     * lying header still cannot allocate more than the stream delivers). A known size must match
     * the header exactly: fewer bytes or more are a {@link NpyFormatException}.
     */
    public static NpyArray read(InputStream in, String source, long available) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        readFully(data, magic, source, "magic string");
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new NpyFormatException(source + ": not a .npy file (expected the magic \\x93NUMPY)");
            }
        }
        byte[] version = new byte[2];
        readFully(data, version, source, "version");
        int major = Byte.toUnsignedInt(version[0]);
        int prefix;
        if (major == 1) {
            prefix = 10;
        } else if (major == 2 || major == 3) {
            prefix = 12;
        } else {
            throw new NpyFormatException(source + ": .npy version expected 1, 2 or 3, got " + major);
        }
        byte[] length = new byte[prefix - MAGIC.length - 2];
        readFully(data, length, source, "header length");
        long headerLen = 0;
        for (int i = length.length - 1; i >= 0; i--) {
            headerLen = headerLen << 8 | Byte.toUnsignedInt(length[i]); // little-endian
        }
        if (headerLen > MAX_HEADER) {
            throw new NpyFormatException(source + ": header length expected <= " + MAX_HEADER
                    + ", got " + headerLen);
        }
        byte[] header = new byte[(int) headerLen];
        readFully(data, header, source, "header");
        String dict = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = group(DESCR, dict, source, "descr");
        if ("True".equals(group(FORTRAN, dict, source, "fortran_order"))) {
            throw new NpyFormatException(source + ": fortran_order expected False, got True "
                    + "(save a C-contiguous array, e.g. np.ascontiguousarray)");
        }
        int[] shape = parseShape(group(SHAPE, dict, source, "shape"), source);
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE - 8) {
                throw new NpyFormatException(source + ": shape holds more than "
                        + (Integer.MAX_VALUE - 8) + " values");
            }
        }
        Dtype type = Dtype.parse(descr, source);
        long bytes = count * type.size;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException(source + ": shape " + java.util.Arrays.toString(shape) + " of "
                    + descr + " needs " + bytes + " data bytes, more than one array can hold ("
                    + (Integer.MAX_VALUE - 8) + ")");
        }
        // Fewer bytes is a truncated file; more is a header that does not describe the data (the
        // bytes after the array would be dropped without a word).
        if (available >= 0 && bytes != available - prefix - headerLen) {
            throw new NpyFormatException(source + ": shape " + java.util.Arrays.toString(shape)
                    + " of " + descr + " needs " + bytes + " data bytes, file has "
                    + Math.max(0, available - prefix - headerLen));
        }
        byte[] raw = readBytes(data, bytes, source);
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) count;
        if (type.isFloat) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = type.size == 4 ? buf.getFloat() : (float) buf.getDouble();
            }
            return new NpyArray(shape, f, null);
        }
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = type.readInt(buf);
        }
        return new NpyArray(shape, null, l);
    }

    private static String group(Pattern p, String dict, String source, String key)
            throws NpyFormatException {
        Matcher m = p.matcher(dict);
        if (!m.find()) {
            throw new NpyFormatException(source + ": header has no valid '" + key + "' entry: " + dict.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String source) throws NpyFormatException {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (s.endsWith("L")) {
                s = s.substring(0, s.length() - 1);
            }
            try {
                int d = Integer.parseInt(s);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(source + ": shape dimension expected an int >= 0, got '"
                        + part.trim() + "'");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void readFully(DataInputStream in, byte[] b, String source, String what)
            throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new NpyFormatException(source + ": truncated in the " + what);
        }
    }

    /** Reads exactly n bytes, growing the buffer as data arrives rather than trusting n. */
    private static byte[] readBytes(InputStream in, long n, String source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(n, 1 << 20));
        byte[] chunk = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (r < 0) {
                throw new NpyFormatException(source + ": truncated: expected " + n
                        + " data bytes, got " + (n - left));
            }
            out.write(chunk, 0, r);
            left -= r;
        }
        return out.toByteArray();
    }

    private enum Dtype {
        F4(4, true, false), F8(8, true, false),
        I1(1, false, true), I2(2, false, true), I4(4, false, true), I8(8, false, true),
        U1(1, false, false), U2(2, false, false), U4(4, false, false), U8(8, false, false);

        final int size;
        final boolean isFloat;
        final boolean signed;

        Dtype(int size, boolean isFloat, boolean signed) {
            this.size = size;
            this.isFloat = isFloat;
            this.signed = signed;
        }

        static Dtype parse(String descr, String source) throws NpyFormatException {
            if (descr.length() >= 3) {
                char order = descr.charAt(0);
                boolean littleOrNone = order == '<' || order == '|'
                        || (order == '=' && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
                String kind = descr.substring(1);
                Dtype t = switch (kind) {
                    case "f4" -> F4;
                    case "f8" -> F8;
                    case "i1" -> I1;
                    case "i2" -> I2;
                    case "i4" -> I4;
                    case "i8" -> I8;
                    case "u1" -> U1;
                    case "u2" -> U2;
                    case "u4" -> U4;
                    case "u8" -> U8;
                    default -> null;
                };
                if (t != null && (littleOrNone || t.size == 1)) {
                    return t;
                }
            }
            throw new NpyFormatException(source + ": dtype expected little-endian float32/float64 or an"
                    + " integer type, got '" + descr + "'");
        }

        long readInt(ByteBuffer b) {
            return switch (size) {
                case 1 -> signed ? b.get() : Byte.toUnsignedLong(b.get());
                case 2 -> signed ? b.getShort() : Short.toUnsignedLong(b.getShort());
                case 4 -> signed ? b.getInt() : Integer.toUnsignedLong(b.getInt());
                default -> b.getLong(); // u8 above 2^63 wraps; no such values come from this library
            };
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    /** Writes {@code array} to {@code file} through a temporary file renamed into place. */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFiles.write(file, out -> write(out, array));
    }

    public static void write(Path file, Tensor t) throws IOException {
        write(file, NpyArray.of(t));
    }

    /** Writes one array in format 1.0 ({@code <f4} or {@code <i8}); does not close {@code out}. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        int[] s = array.shape();
        for (int i = 0; i < s.length; i++) {
            shape.append(s[i]).append(s.length == 1 ? "," : (i + 1 < s.length ? ", " : ""));
        }
        shape.append(')');
        if (shape.length() > 60_000) {
            throw new IllegalArgumentException("npy shape: expected a header that fits format 1.0 (65,535 bytes),"
                    + " got " + s.length + " dimensions (" + shape.length() + " bytes of shape)");
        }
        String dict = "{'descr': '" + (array.isFloat() ? "<f4" : "<i8")
                + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // Pad with spaces so that magic + version + length + header ends on a 64-byte boundary.
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(head.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        int n = array.size();
        ByteBuffer body = ByteBuffer.allocate(Math.min(n, 8192) * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (array.isFloat()) {
                body.putFloat(array.floats()[i]);
            } else {
                body.putLong(array.longs()[i]);
            }
            if (body.remaining() < 8) {
                out.write(body.array(), 0, body.position());
                body.clear();
            }
        }
        out.write(body.array(), 0, body.position());
    }
}
