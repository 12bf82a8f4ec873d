package io.github.vectorcnn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A probe's main class run in a JVM of its own, for tests about what C2 makes of the kernels: in
 * the test JVM, what it compiles depends on every test run before.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** Whether this JVM runs on x86, where a child may be given -XX:UseAVX. */
    public static boolean onX86() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) || "x86_64".equals(arch);
    }

    /**
     * Runs mainClass with the vector module, the tests' class path, the given JVM flags and
     * arguments, its output going to a file in dir; returns that output, having failed the test if
     * the JVM did not finish within timeoutSeconds or exited with another status than 0.
     */
    public static String run(Path dir, int timeoutSeconds, List<String> jvmFlags, Class<?> mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(mainClass.getSimpleName() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(mainClass.getSimpleName() + " did not finish in " + timeoutSeconds + " s: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
