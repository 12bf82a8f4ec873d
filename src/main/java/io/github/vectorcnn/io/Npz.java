package io.github.vectorcnn.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz}: a zip archive with one {@code NAME.npy} entry per array, as written by
 * {@code np.savez_compressed} and read by {@code np.load}. Used for checkpoints.
 */
public final class Npz {
    /** Reject archives with absurd entry counts before reading them. */
    private static final int MAX_ENTRIES = 10_000;

    private Npz() {
    }

    /** Writes the arrays (deflated, in map order) through a temporary file renamed into place. */
    public static void write(Path file, Map<String, NpyArray> arrays) throws IOException {
        for (String name : arrays.keySet()) {
            if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("npz array name: expected a plain non-empty name, got '"
                        + name + "'");
            }
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.write(zip, e.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /**
     * Reads every {@code .npy} entry, keyed by its name without the extension, in archive order,
     * refusing an archive whose arrays would take more than a quarter of this JVM's maximum heap
     * (see {@link #read(Path, long)}).
     */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        return read(file, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * Reads every {@code .npy} entry, refusing the archive before inflating an entry that would
     * bring the uncompressed total above {@code maxBytes}. Deflate packs a run of zeros about
     * 1000:1, so a file of a few hundred kilobytes can announce a gigabyte of floats; the sizes
     * come from the central directory, and {@link Npy#read(InputStream, String, long)} holds each
     * entry's header to its announced size, so a lying directory is refused too.
     */
    public static Map<String, NpyArray> read(Path file, long maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes: expected >= 0, got " + maxBytes);
        }
        Map<String, NpyArray> result = new LinkedHashMap<>();
        long total = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > MAX_ENTRIES) {
                throw new NpyFormatException(file + ": expected at most " + MAX_ENTRIES
                        + " arrays, got " + zip.size());
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.endsWith(".npy")) {
                    throw new NpyFormatException(file + ": entry '" + name + "' is not a .npy array");
                }
                String key = name.substring(0, name.length() - 4);
                if (result.containsKey(key)) {
                    throw new NpyFormatException(file + ": array '" + key + "' appears twice");
                }
                if (entry.getSize() < 0) {
                    throw new NpyFormatException(file + "!" + name + ": the central directory gives no size");
                }
                total += entry.getSize();
                if (total > maxBytes) {
                    throw new NpyFormatException(file + "!" + name + ": arrays expected to take at most "
                            + maxBytes + " bytes uncompressed, the archive announces " + total
                            + " up to and including this entry");
                }
                result.put(key, readEntry(zip, entry, file + "!" + name));
            }
        } catch (ZipException e) {
            throw new NpyFormatException(file + ": not a readable .npz archive (" + e.getMessage() + ")");
        }
        return result;
    }

    /**
     * One entry, checked against its CRC-32: ZipFile does not check it, and deflate has no
     * checksum of its own, so a flipped bit in a checkpoint would otherwise load as a wrong weight.
     */
    private static NpyArray readEntry(ZipFile zip, ZipEntry entry, String where) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(zip.getInputStream(entry), crc)) {
            NpyArray array = Npy.read(in, where, entry.getSize());
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw new NpyFormatException(where + ": " + extra + " bytes after the array");
            }
            if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                throw new NpyFormatException(where + ": CRC-32 expected " + Long.toHexString(entry.getCrc())
                        + ", got " + Long.toHexString(crc.getValue()) + ": the entry is corrupt");
            }
            return array;
        } catch (EOFException | ZipException e) {
            throw new NpyFormatException(where + ": corrupt or truncated compressed data (" + e.getMessage() + ")");
        }
    }
}
