package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JitCheckTest {

    @Test
    void gathersCompileOnX86WithAvx2Only() {
        for (String x86 : List.of("amd64", "x86_64")) {
            assertTrue(JitCheck.gathersCompile(x86, "3", 16), x86 + " AVX-512");
            assertTrue(JitCheck.gathersCompile(x86, "2", 8), x86 + " AVX2");
            // -XX:MaxVectorSize=16 on AVX2 or AVX-512: the 128-bit form of vgatherdps.
            assertTrue(JitCheck.gathersCompile(x86, "2", 4), x86 + " AVX2 at 4 lanes");
            assertTrue(JitCheck.gathersCompile(x86, "3", 4), x86 + " AVX-512 at 4 lanes");
            assertFalse(JitCheck.gathersCompile(x86, "1", 4), x86 + " AVX");
            assertFalse(JitCheck.gathersCompile(x86, "0", 4), x86 + " SSE");
            // Option unknown: 8 lanes on x86 take AVX2.
            assertTrue(JitCheck.gathersCompile(x86, null, 8), x86 + " unknown, 8 lanes");
            assertFalse(JitCheck.gathersCompile(x86, null, 4), x86 + " unknown, 4 lanes");
            assertFalse(JitCheck.gathersCompile(x86, "not a number", 4), x86 + " unreadable, 4 lanes");
        }
        assertFalse(JitCheck.gathersCompile("aarch64", null, 4), "NEON");
        assertFalse(JitCheck.gathersCompile("aarch64", null, 16), "SVE, not checked");
        assertFalse(JitCheck.gathersCompile("riscv64", null, 8), "other");
    }

    /**
     * With -XX:UseAVX=1 C2 has no gather instruction: the gathering loops must give way, or the
     * Vector API's fallback allocates every gathered vector (11 MB per 32 images for the im2col,
     * 27–31 MB for the pools, measured before GATHERS).
     */
    @Test
    void withoutAvx2TheGatheringLoopsGiveWayAndAllocateNothing(@TempDir Path dir) throws Exception {
        assumeTrue(ChildJvm.onX86(), "-XX:UseAVX is an x86 flag; arch " + System.getProperty("os.arch"));
        String out = ChildJvm.run(dir, 120, List.of("-XX:UseAVX=1", "-Xmx256m"), NoGatherProbe.class);
        assumeFalse(out.contains("unavailable"), "nothing to measure with -XX:UseAVX=1 here: " + out);
        assertTrue(out.contains("kernels vector-128"), "the child did not run 128-bit vectors: " + out);
        assertTrue(out.contains("gathers false"), out);
        Matcher m = Pattern.compile("(.+) allocated (\\d+)").matcher(out);
        int kernels = 0;
        while (m.find()) {
            kernels++;
            // Ten calls through the gathering loops: 3.5 MB (im2col) and 8-10 MB (pools).
            assertTrue(Long.parseLong(m.group(2)) < 64 << 10, m.group(1) + " allocates: " + out);
        }
        assertEquals(3, kernels, out);
    }
}
