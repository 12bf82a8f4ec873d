package io.github.vectorcnn.networks;

import io.github.vectorcnn.ChildJvm;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.vector.PollutedProfilesProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Once compiled, a training step with the vector kernels allocates almost nothing: the layers and
 * kernels reuse their buffers, and C2 keeps every vector in registers. A vector C2 cannot keep
 * there is boxed, a heap object each time it is made, and inside a kernel's loop that is megabytes
 * per step: a fold of the filter gradient's accumulators written at the end of their loop had C2
 * box them on every loop step in a training step (JDK 17: 150 MB per step, 3.4× slower), while
 * the product timed alone allocated nothing. JMH's gc profiler (jmh/run.sh) showed it; this test
 * holds it. The step runs in a child JVM ({@link TrainingStepAllocationProbe}), on one thread, so
 * that C2 compiles it as a training run would; a block of steps under the bound within 1,000
 * steps after the warm-up passes, so a compilation still under way does not fail the test, and
 * boxing, which does not go away, does. It runs with the kernels this machine picks, and with both
 * register-tile families at 256 bits (8 lanes) at most, so that both are watched on any machine:
 * 16 registers (AVX2's kernels: the 3 × 3 dot blocks and the 4-row tiles) and 32 (the 4 × 5 dot
 * blocks and their fold, the 6-row and tall tiles); on x86 also with -XX:UseAVX=2 and =1; and
 * once after the application has made the Vector API's shared profiles megamorphic.
 */
class SimpleConvNetAllocationTest {
    /**
     * Measured by the probe's thread counter: 1.1 KB per gradient (JMH's gc profiler, which counts
     * the benchmark's own objects too, gives 1.7–1.9 KB per step) on JDK 17 and 25.
     */
    static final long BOUND_BYTES_PER_STEP = 64 * 1024;

    @Test
    void aCompiledTrainingStepAllocatesAlmostNothing(@TempDir Path dir) throws Exception {
        assertStepsAllocateAlmostNothing(dir, List.of(), 0);
    }

    @Test
    void aCompiledTrainingStepAllocatesAlmostNothingWithTheTilesFor16Registers(@TempDir Path dir) throws Exception {
        assertStepsAllocateAlmostNothing(dir, List.of("-XX:MaxVectorSize=32", "-Dvectorcnn.vector.registers=16"), 256);
    }

    @Test
    void aCompiledTrainingStepAllocatesAlmostNothingWithTheTilesFor32Registers(@TempDir Path dir) throws Exception {
        assertStepsAllocateAlmostNothing(dir, List.of("-XX:MaxVectorSize=32", "-Dvectorcnn.vector.registers=32"), 256);
    }

    /**
     * x86 with AVX2's own code (-XX:UseAVX=2: masks in vector registers, 16 of them), which the
     * capped runs above only imitate on an AVX-512 machine, and with AVX but not AVX2
     * (-XX:UseAVX=1: 128-bit vectors, no gathers, as on AMD's Piledriver and Steamroller).
     */
    @Test
    void aCompiledTrainingStepAllocatesAlmostNothingWithAvx2AndWithAvx(@TempDir Path dir) throws Exception {
        assumeTrue(ChildJvm.onX86(), "-XX:UseAVX is an x86 flag; arch " + System.getProperty("os.arch"));
        assertStepsAllocateAlmostNothing(dir, List.of("-XX:UseAVX=2"), 256);
        assertStepsAllocateAlmostNothing(dir, List.of("-XX:UseAVX=1"), 128);
    }

    /**
     * After the application has called the Vector API itself on float and int vectors of 128, 256
     * and 512 bits, which makes the type profiles the kernels share with it megamorphic: on JDK 17
     * a step then allocated 32 MB before the loop-carried vectors were cast (see
     * PollutedProfilesProbe), 1.9 KB after. With -Xbatch, so that C2 compiles at the same points
     * in every run: with background compilation, 1 JVM of 86 still boxed 7.8 MB per step
     * somewhere not yet found (the README's Design section).
     */
    @Test
    void aCompiledTrainingStepAllocatesAlmostNothingAfterTheApplicationUsedTheVectorApi(@TempDir Path dir)
            throws Exception {
        assumeTrue(KernelProvider.vector().isPresent(), KernelProvider.vectorUnavailableReason());
        assumeTrue(PollutedProfilesProbe.knownToBox() == null, PollutedProfilesProbe.knownToBox());
        assertStepsAllocateAlmostNothing(dir, List.of("-Xbatch"), 0, "pollute");
    }

    private static void assertStepsAllocateAlmostNothing(Path dir, List<String> flags, int maxBits) throws Exception {
        assertStepsAllocateAlmostNothing(dir, flags, maxBits, "");
    }

    /**
     * maxBits: the widest vectors the flags allow the child (0: no cap), checked against its
     * kernels' name; before: what the probe runs first ("pollute", or nothing).
     */
    private static void assertStepsAllocateAlmostNothing(Path dir, List<String> flags, int maxBits, String before)
            throws Exception {
        assumeTrue(KernelProvider.vector().isPresent(), KernelProvider.vectorUnavailableReason());
        List<String> jvmFlags = new ArrayList<>(List.of("-Xmx1g", "-Dvectorcnn.threads=1"));
        jvmFlags.addAll(flags);
        String out = ChildJvm.run(dir, 600, jvmFlags, TrainingStepAllocationProbe.class,
                Long.toString(BOUND_BYTES_PER_STEP), before);
        Matcher name = Pattern.compile("kernels vector-(\\d+)").matcher(out);
        assertTrue(name.find(), "no kernel name: " + out);
        if (maxBits > 0) {
            assertTrue(Integer.parseInt(name.group(1)) <= maxBits,
                    flags + " ran vectors of " + name.group(1) + " bits");
        }
        long least = Long.MAX_VALUE;
        Matcher m = Pattern.compile("block \\d+ allocated (\\d+) bytes per step").matcher(out);
        while (m.find()) {
            least = Math.min(least, Long.parseLong(m.group(1)));
        }
        assertTrue(least < BOUND_BYTES_PER_STEP, flags + ": every block of steps allocated " + BOUND_BYTES_PER_STEP
                + " bytes or more per step (vectors boxed?): " + out);
    }
}
