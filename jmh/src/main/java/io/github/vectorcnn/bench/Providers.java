package io.github.vectorcnn.bench;

import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;

/**
 * The one place the benchmarks turn their {@code kernels} and {@code threads} parameters into
 * library settings.
 *
 * <p>Kernels: "scalar" or "vector" through {@link KernelProvider#named}. When the vector kernels
 * cannot run in this JVM (not in this build, or the incubator module is not readable) the trial
 * fails at set-up with the provider's reason, so a scalar number is never reported under the
 * name "vector". {@code jmh/run.sh} asks {@link Environment} first and leaves "vector" out of
 * the run, printing the same reason, when it is unavailable.
 *
 * <p>Threads: {@link Parallel#setThreads} sets the size of the library's one shared pool.
 */
public final class Providers {
    private Providers() {
    }

    /** The kernels named by a benchmark's {@code kernels} parameter; throws with the reason. */
    public static Kernels kernels(String name) {
        if ("vector".equals(name) && KernelProvider.vector().isEmpty()) {
            throw new IllegalStateException("kernels=vector skipped: "
                    + KernelProvider.vectorUnavailableReason() + " (run with -p kernels=scalar)");
        }
        return KernelProvider.named(name);
    }

    /** Sets the library's thread count for the trial. */
    public static void threads(int threads) {
        Parallel.setThreads(threads);
    }

    /** One line per trial in the JMH log, so a result can be traced to what actually ran. */
    static void announce(String benchmark, Kernels kernels, int threads) {
        System.out.println("# " + benchmark + ": kernels " + kernels.name() + ", threads " + threads);
    }
}
