package io.github.vectorcnn.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {

    @Test
    void newFilesAreWorldReadableAndReplacedFilesKeepTheirPermissions(@TempDir Path dir) throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Path f = dir.resolve("a.bin");
        AtomicFiles.write(f, out -> out.write(1));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(f, out -> out.write(2));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(2, Files.readAllBytes(f)[0]);
    }

    @Test
    void aFailedWriteLeavesTheTargetAndNoTemporary(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.bin");
        AtomicFiles.write(f, out -> out.write(7));
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(8);
            throw new IOException("disk full");
        }));
        assertEquals(7, Files.readAllBytes(f)[0]);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndKept(@TempDir Path dir) throws IOException {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path real = store.resolve("model.bin");
        AtomicFiles.write(real, out -> out.write(1));
        Path link = dir.resolve("latest.bin"), linkToLink = dir.resolve("current.bin");
        try {
            Files.createSymbolicLink(link, dir.relativize(real)); // relative, as ln -s store/model.bin writes
            Files.createSymbolicLink(linkToLink, link.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here: " + e);
        }
        AtomicFiles.write(linkToLink, out -> out.write(2));
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(linkToLink));
        assertEquals(2, Files.readAllBytes(real)[0]);
        try (var files = Files.list(store)) {
            assertEquals(1, files.count()); // no temporary left beside the real file
        }
    }

    @Test
    void aNameNearTheFileSystemsLimitCanBeWritten(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m".repeat(240) + ".npy");
        AtomicFiles.write(f, out -> out.write(3));
        assertEquals(3, Files.readAllBytes(f)[0]);
    }
}
