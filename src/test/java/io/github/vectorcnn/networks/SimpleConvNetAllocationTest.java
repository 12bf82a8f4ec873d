package io.github.vectorcnn.networks;

import io.github.vectorcnn.kernels.KernelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Once compiled, a training step with the vector kernels allocates almost nothing: the layers and
 * kernels reuse their buffers, and C2 keeps every vector in registers. A vector C2 cannot keep
 * there is boxed, a heap object each time it is made, and inside a kernel's loop that is megabytes
 * per step: a fold of the filter gradient's accumulators written at the end of their loop had C2
 * box them on every loop step in a training step (JDK 17: 150 MB per step, 3.4× slower), while
 * the product timed alone allocated nothing. JMH's gc profiler (jmh/run.sh) showed it; this test
 * holds it. The step runs in a child JVM ({@link TrainingStepAllocationProbe}), on one thread, so
 * that C2 compiles it as a training run would; a block of steps under the bound after the
 * warm-up passes, so a compilation still under way does not fail the test, and boxing, which
 * does not go away, does.
 */
class SimpleConvNetAllocationTest {
    /** Measured: 1.1 KB per step (the tensors' shape checks and the like) on JDK 17 and 25. */
    static final long BOUND_BYTES_PER_STEP = 64 * 1024;

    @Test
    void aCompiledTrainingStepAllocatesAlmostNothing(@TempDir Path dir) throws Exception {
        assumeTrue(KernelProvider.vector().isPresent(), KernelProvider.vectorUnavailableReason());
        List<String> cmd = List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Xmx1g", "-Dvectorcnn.threads=1",
                "-cp", System.getProperty("java.class.path"), TrainingStepAllocationProbe.class.getName(),
                Long.toString(BOUND_BYTES_PER_STEP));
        Path log = dir.resolve("probe.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("probe JVM did not finish in 300 s: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        long least = Long.MAX_VALUE;
        Matcher m = Pattern.compile("block \\d+ allocated (\\d+) bytes per step").matcher(out);
        while (m.find()) {
            least = Math.min(least, Long.parseLong(m.group(1)));
        }
        assertTrue(least < BOUND_BYTES_PER_STEP, "every block of steps allocated " + BOUND_BYTES_PER_STEP
                + " bytes or more per step (vectors boxed?): " + out);
    }
}
