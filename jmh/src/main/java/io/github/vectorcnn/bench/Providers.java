package io.github.vectorcnn.bench;

import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;

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
 * <p>Threads: the library's kernels are single-threaded until its thread pool exists. The pool is
 * looked up by name ({@value #POOL_CLASS}) so that this suite compiles against builds with and
 * without it; when present, its public static {@code void xxxThreadsxxx(int)} setter is called
 * with the benchmark's thread count (exactly one such method must exist, else the trial fails
 * listing what the class offers, so a renamed setter is noticed, not silently ignored).
 */
public final class Providers {
    static final String POOL_CLASS = "io.github.vectorcnn.kernels.Parallel";

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

    /** Sets the library's thread count, or fails with the reason it cannot. */
    public static void threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
        }
        Class<?> pool;
        try {
            pool = Class.forName(POOL_CLASS);
        } catch (ClassNotFoundException e) {
            if (threads == 1) {
                return; // without a pool every kernel runs on the calling thread
            }
            throw new IllegalStateException("threads=" + threads + " skipped: this build of vectorcnn has"
                    + " no thread pool (" + POOL_CLASS + " not found); run with -p threads=1");
        }
        java.lang.reflect.Method setter = null;
        StringBuilder offered = new StringBuilder();
        for (java.lang.reflect.Method m : pool.getMethods()) {
            boolean isStatic = java.lang.reflect.Modifier.isStatic(m.getModifiers());
            if (isStatic) {
                offered.append(' ').append(m.getName()).append(java.util.Arrays.toString(m.getParameterTypes()));
            }
            if (isStatic && m.getParameterCount() == 1 && m.getParameterTypes()[0] == int.class
                    && m.getName().toLowerCase(java.util.Locale.ROOT).contains("thread")) {
                if (setter != null) {
                    throw new IllegalStateException(POOL_CLASS + ": two thread-count setters, " + setter.getName()
                            + " and " + m.getName() + "; wire the right one in Providers.threads");
                }
                setter = m;
            }
        }
        if (setter == null) {
            throw new IllegalStateException(POOL_CLASS + ": no public static thread-count setter taking an"
                    + " int; static methods:" + offered + "; wire it in Providers.threads");
        }
        try {
            setter.invoke(null, threads);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(POOL_CLASS + "." + setter.getName() + "(" + threads + ") failed", e);
        }
    }

    /** One line per trial in the JMH log, so a result can be traced to what actually ran. */
    static void announce(String benchmark, Kernels kernels, int threads) {
        System.out.println("# " + benchmark + ": kernels " + kernels.name() + ", threads " + threads);
    }
}
