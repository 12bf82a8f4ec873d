package io.github.vectorcnn.bench;

import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Prints what a benchmark run runs on, as key=value lines for jmh/run.sh and jmh/compare.py:
 * JDK, CPU, cores, and whether the vector kernels are available (their name carries the vector
 * width, e.g. "vector-512") or why not. Run with --add-modules jdk.incubator.vector, as the
 * forked benchmark JVMs are.
 */
public final class Environment {
    private Environment() {
    }

    public static void main(String[] args) {
        System.out.println("java.version=" + System.getProperty("java.version"));
        System.out.println("java.vm=" + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        System.out.println("java.home=" + System.getProperty("java.home"));
        System.out.println("cpu=" + cpuModel());
        System.out.println("processors=" + Runtime.getRuntime().availableProcessors());
        Optional<Kernels> vector = KernelProvider.vector();
        System.out.println("vector.available=" + vector.isPresent());
        System.out.println("vector.kernels=" + vector.map(Kernels::name).orElse(""));
        System.out.println("vector.reason=" + (vector.isPresent() ? "" : KernelProvider.vectorUnavailableReason()));
        System.out.println("scalar.kernels=" + KernelProvider.scalar().name());
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
