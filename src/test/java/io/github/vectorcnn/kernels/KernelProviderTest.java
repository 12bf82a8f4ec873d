package io.github.vectorcnn.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelProviderTest {

    @Test
    void vectorKernelsLoadUnderSurefireAndAreTheDefault() {
        // Surefire runs with --add-modules jdk.incubator.vector and C2 on: the vector path must load.
        assertTrue(KernelProvider.vector().isPresent(), "vector kernels unavailable: "
                + KernelProvider.vectorUnavailableReason());
        assertNull(KernelProvider.vectorUnavailableReason());
        assertTrue(KernelProvider.named("vector").name().startsWith("vector-"));
        if (!Boolean.getBoolean(KernelProvider.FORCE_SCALAR_PROPERTY)) {
            assertSame(KernelProvider.vector().get(), KernelProvider.get());
        }
    }

    @Test
    void unknownNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelProvider.named("gpu"));
        assertTrue(e.getMessage().contains("gpu"), e.getMessage());
        assertEquals("scalar", KernelProvider.named("scalar").name());
    }

    /** Runs ProviderProbe in a child JVM with the incubator module and the given flags; returns its stdout + stderr. */
    private static String probe(String... flags) throws IOException, InterruptedException {
        List<String> withModule = new ArrayList<>(List.of("--add-modules=jdk.incubator.vector"));
        withModule.addAll(List.of(flags));
        return probeWith(withModule);
    }

    /** Runs ProviderProbe in a child JVM with exactly these flags. */
    private static String probeWith(List<String> flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ProviderProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void withoutC2FmaOrTheIncubatorModuleTheProviderFallsBackToScalarAndSaysWhyInOneLine() throws Exception {
        String xint = probe("-Xint");
        assertTrue(xint.contains("chosen=scalar"), xint);
        assertTrue(xint.contains("interpreted"), xint);
        assertTrue(xint.contains("vectorcnn: scalar kernels ("), "the log line: " + xint);

        String c1 = probe("-XX:TieredStopAtLevel=1");
        assertTrue(c1.contains("chosen=scalar") && c1.contains("C2 is disabled"), c1);

        // No FMA instructions: FloatVector.fma would run through BigDecimal (JitCheck.NO_FMA).
        String noFma = probe("-XX:-UseFMA");
        assertTrue(noFma.contains("chosen=scalar") && noFma.contains("no FMA instructions"), noFma);
        assertTrue(noFma.contains("vectorcnn: scalar kernels ("), "the log line: " + noFma);

        // An embedder who does not add the incubator module: the vector classes cannot load.
        String noModule = probeWith(List.of());
        assertTrue(noModule.contains("chosen=scalar") && noModule.contains("jdk.incubator.vector"), noModule);
        assertTrue(noModule.contains("vectorcnn: scalar kernels ("), "the log line: " + noModule);

        String normal = probe();
        assertTrue(normal.contains("chosen=vector-") && normal.contains("reason=null"), normal);
        assertTrue(normal.contains("vectorcnn: vector-"), "the log line: " + normal);
    }
}
