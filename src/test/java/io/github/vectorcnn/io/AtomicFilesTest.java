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
}
