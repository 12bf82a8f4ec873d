package io.github.vectorcnn.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old content or the new, never half of it: the
 * bytes go to a temporary file beside the target, are forced to disk, the temporary file is
 * renamed over the target, and the directory is forced so the rename is on disk too. A failed
 * write leaves the target untouched and removes the temporary.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** What writes the content; the stream is closed by {@link #write}. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * createTempFile makes an owner-only (0600) file, and the rename would carry that to the
     * target: keep the permissions of the file being replaced, or give a new file the usual
     * rw-r--r--. Java cannot read the umask, so 0644 stands in for it; non-POSIX file systems
     * are left alone.
     */
    private static void sharePermissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    /**
     * The rename lives in the directory's entries, which are on disk only once the directory is
     * forced: without it a power loss soon after can bring back the old file (or none). Linux and
     * macOS can open a directory to force it; where that is refused (Windows) the rename is as
     * durable as the platform makes it, and the file itself is already on disk.
     */
    private static void forceDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        java.nio.channels.FileChannel channel;
        try {
            channel = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // directories cannot be opened here: see above
        }
        try (channel) {
            channel.force(true); // a failure here (EIO) is a real one and is reported
        }
    }

    /** Links followed before a write gives up (Linux's limit). */
    private static final int MAX_LINKS = 40;
    /**
     * Characters of the target's name kept in the temporary's: the whole name plus the random part
     * could pass the file system's limit on a name (255 bytes).
     */
    private static final int TEMP_NAME_PREFIX = 64;

    /**
     * A symbolic link is written through, not replaced: the rename goes over the file it points
     * to (resolved link by link, relative links against the link's directory), and the link stays.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(abs); links++) {
            if (links == MAX_LINKS) {
                throw new java.nio.file.FileSystemException(target.toString(), null,
                        "more than " + MAX_LINKS + " symbolic links to follow");
            }
            abs = abs.resolveSibling(Files.readSymbolicLink(abs));
        }
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        String name = abs.getFileName().toString();
        Path tmp = Files.createTempFile(dir, "." + name.substring(0, Math.min(name.length(), TEMP_NAME_PREFIX)) + ".",
                ".tmp");
        boolean done = false;
        try {
            sharePermissions(tmp, abs);
            try (var channel = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            forceDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
