package io.github.vectorcnn.kernels.vector;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vector stores cast the vector to its class first ({@link VectorConstants#FLOAT_VECTOR}): without it, a kernel compiled while it
 * runs stores its accumulators through a type profile that the 2×2 pool's half vectors have made
 * two-class, and boxes them on every loop iteration.
 */
class VectorStoresTest {
    private static final Path VECTOR_PACKAGE =
            Paths.get("src", "main", "java", "io", "github", "vectorcnn", "kernels", "vector");

    private static final Pattern CAST_STORE =
            Pattern.compile("^\\s*\\(\\((FloatVector|IntVector)\\) (FLOAT|INT)_VECTOR\\.cast\\(.*\\)\\)\\.intoArray\\(");
    /** The half vectors of the 2×2 pool, cast to their own (half-size) class instead. */
    private static final Pattern HALF_VECTOR_STORE = Pattern.compile("^\\s*even(Floats|Lanes)\\(");

    @Test
    void everyVectorStoreInTheVectorPackageCastsToTheVectorClass() throws IOException {
        assertTrue(Files.isDirectory(VECTOR_PACKAGE), "run from the project root: " + VECTOR_PACKAGE.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        int stores = 0;
        try (Stream<Path> files = Files.list(VECTOR_PACKAGE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String[] lines = Files.readString(f).split("\n");
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i];
                    if (!line.contains(".intoArray(") || line.trim().startsWith("*") || line.trim().startsWith("//")) {
                        continue;
                    }
                    stores++;
                    if (line.trim().startsWith(".intoArray(") && i > 0) {
                        line = lines[i - 1] + line.trim(); // a store wrapped before .intoArray
                    }
                    Matcher half = HALF_VECTOR_STORE.matcher(line);
                    if (!CAST_STORE.matcher(line).find() && !half.find()) {
                        offenders.add(f.getFileName() + ":" + (i + 1) + ": " + line.trim());
                    }
                }
            }
        }
        assertTrue(stores > 200, "the scan found only " + stores + " stores: has the package moved?");
        assertEquals(List.of(), offenders, "vector stores without the cast to the vector class");
    }

    @Test
    void accumulatorsStoredAfterTheTwoByTwoPoolRanAreNotBoxed() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Xbatch", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), StoreProfileProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        int kernels = 0;
        Matcher m = Pattern.compile("(\\S+) allocated (\\d+)").matcher(out);
        while (m.find()) {
            kernels++;
            // Three calls of 200,000 loop steps: boxed, that is 0.4–0.7 GB; not boxed, a few KB.
            assertTrue(Long.parseLong(m.group(2)) < 1 << 20, m.group(1) + " boxes its vectors: " + out);
        }
        assertEquals(2, kernels, out);
    }
}
