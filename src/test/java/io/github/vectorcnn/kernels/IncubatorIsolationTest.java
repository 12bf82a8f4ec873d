package io.github.vectorcnn.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only io.github.vectorcnn.kernels.vector may use jdk.incubator.vector: everything else must load
 * and run on a JVM without the incubator module (KernelProvider then falls back to scalar).
 */
class IncubatorIsolationTest {
    private static final Path SOURCES = Paths.get("src", "main", "java");
    private static final Path VECTOR_PACKAGE = SOURCES.resolve(Paths.get("io", "github", "vectorcnn", "kernels", "vector"));

    @Test
    void noClassOutsideTheVectorPackageReferencesTheIncubator() throws IOException {
        assertTrue(Files.isDirectory(VECTOR_PACKAGE), "run from the project root: " + VECTOR_PACKAGE.toAbsolutePath());
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getParent().equals(VECTOR_PACKAGE))
                    .filter(f -> mentionsIncubator(f))
                    .collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders, "classes outside " + VECTOR_PACKAGE + " that reference jdk.incubator.vector");
    }

    @Test
    void theVectorPackageDoesUseIt() throws IOException {
        // Guards the scan above against a moved package or a broken pattern.
        assertTrue(mentionsIncubator(VECTOR_PACKAGE.resolve("VectorKernels.java")));
    }

    private static boolean mentionsIncubator(Path file) {
        try {
            // Comments and string literals may name the module (KernelProvider's log line does);
            // code (an import, a qualified name) may not.
            String code = Files.readString(file)
                    .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"")
                    .replaceAll("(?s)/\\*.*?\\*/", "")
                    .replaceAll("//[^\\n]*", "");
            return code.matches("(?s).*\\bjdk\\s*\\.\\s*incubator\\b.*");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
