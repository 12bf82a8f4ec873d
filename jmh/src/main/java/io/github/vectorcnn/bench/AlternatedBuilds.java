package io.github.vectorcnn.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Two builds of the library's vector {@code sgemm} alternated in one JVM, the way most kernel
 * changes in docs/speed were timed (by earlier, unpublished harnesses). These machines' speed drifts by up to 2× within minutes, and C2
 * compiles one JVM better than the next, so two builds timed in separate runs cannot tell 10 %
 * apart; calls of both, alternated round by round in one JVM, see the same drift. Run it through
 * {@code jmh/ab.sh}, which builds two commits and runs both load orders.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp DIR io.github.vectorcnn.bench.AlternatedBuilds \
 *     OLD_CLASSES NEW_CLASSES ROUNDS SHAPE...      (SHAPE as in the suite: NN:1024x1024x1024)
 * </pre>
 *
 * Each build is loaded by a class loader of its own whose parent is the platform loader, so the
 * two share nothing but the JDK, not even the library on this class's own class path (there for
 * {@link Spec}, which reads the shapes); each is asked for its vector kernels
 * ({@code KernelProvider.vector()}) and called through reflection.
 * Per shape: the same operands for both (α = 1, β = 0, tight leading dimensions), warm-up calls
 * of both for {@code -Dab.warmMillis} (default 2,500), then ROUNDS rounds in which each build runs
 * about {@code -Dab.roundMillis} (default 300) of calls (as many as the warm-up's rate gives), the
 * two in random order. Prints the
 * median time per call of each and the median [quartiles] of the rounds' ratios old time / new
 * time (> 1: the new build is faster), and whether the two gave the same bits.
 *
 * <p>The build loaded first can run a few per cent faster or slower than the other through
 * nothing but the order (two copies of the same build gave 0.9× here once): {@code jmh/ab.sh}
 * runs both orders, and a change is read from the pair. Threads: {@code -Dvectorcnn.threads=1}
 * (ab.sh's default), read by each build's own {@code Parallel}; with more, each build has its own
 * pool, whose workers spin briefly after a batch while the other build runs.
 */
public final class AlternatedBuilds {
    private AlternatedBuilds() {
    }

    public static void main(String[] args) throws Throwable {
        try {
            run(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("AlternatedBuilds: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws Throwable {
        if (args.length < 4) {
            throw new IllegalArgumentException(
                    "arguments expected OLD_CLASSES NEW_CLASSES ROUNDS SHAPE..., got " + Arrays.toString(args));
        }
        int rounds = integer("ROUNDS", args[2]);
        if (rounds < 4) {
            throw new IllegalArgumentException("ROUNDS expected >= 4 (quartiles), got " + rounds);
        }
        Product[] products = new Product[args.length - 3];
        for (int s = 3; s < args.length; s++) {
            products[s - 3] = new Product(Spec.gemm(args[s])); // every shape checked before the long part
        }
        Object[] kernels = new Object[2];
        MethodHandle[] sgemm = new MethodHandle[2];
        String[] names = new String[2];
        for (int v = 0; v < 2; v++) {
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[v]).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> provider = loader.loadClass("io.github.vectorcnn.kernels.KernelProvider");
            Optional<?> vector = (Optional<?>) provider.getMethod("vector").invoke(null);
            if (vector.isEmpty()) {
                throw new IllegalStateException("no vector kernels in " + args[v] + ": "
                        + provider.getMethod("vectorUnavailableReason").invoke(null));
            }
            kernels[v] = vector.get();
            Class<?> api = loader.loadClass("io.github.vectorcnn.kernels.Kernels");
            sgemm[v] = MethodHandles.publicLookup().findVirtual(api, "sgemm", MethodType.methodType(void.class,
                    boolean.class, boolean.class, int.class, int.class, int.class, float.class,
                    float[].class, int.class, int.class, float[].class, int.class, int.class,
                    float.class, float[].class, int.class, int.class));
            names[v] = (String) api.getMethod("name").invoke(kernels[v]);
        }
        long warmNanos = Long.getLong("ab.warmMillis", 2500) * 1_000_000L;
        long roundNanos = Long.getLong("ab.roundMillis", 300) * 1_000_000L;
        System.out.printf(Locale.ROOT, "old %s (%s), new %s (%s), %d rounds%n", args[0], names[0], args[1], names[1], rounds);
        for (int s = 3; s < args.length; s++) {
            Product p = products[s - 3];
            float[][] c = {new float[p.g.m() * p.g.n()], new float[p.g.m() * p.g.n()]};
            // Warm-up in batches of about 10 ms at 100 GFLOP/s (at most 100,000 calls: tiny shapes
            // are all call overhead), at least one pass; a round's calls then from the last pass's
            // rate, compiled code, so that a round takes about roundNanos on this machine.
            int batch = (int) Math.min(100_000, Math.max(1, 1e9 / p.flops()));
            long warmEnd = System.nanoTime() + warmNanos, passNanos;
            do {
                long t0 = System.nanoTime();
                for (int v = 0; v < 2; v++) {
                    p.run(sgemm[v], kernels[v], c[v], batch);
                }
                passNanos = Math.max(1, System.nanoTime() - t0);
            } while (System.nanoTime() < warmEnd);
            double nanosPerCall = (double) passNanos / (2L * batch);
            int calls = (int) Math.max(1, Math.min(Integer.MAX_VALUE, roundNanos / nanosPerCall));
            double[][] micros = new double[2][rounds];
            double[] ratio = new double[rounds];
            Random order = new Random(s);
            for (int q = 0; q < rounds; q++) {
                int first = order.nextInt(2);
                for (int x = 0; x < 2; x++) {
                    int v = x == 0 ? first : 1 - first;
                    long t0 = System.nanoTime();
                    p.run(sgemm[v], kernels[v], c[v], calls);
                    micros[v][q] = (System.nanoTime() - t0) / 1e3 / calls;
                }
                ratio[q] = micros[0][q] / micros[1][q];
            }
            double oldMicros = median(micros[0]), newMicros = median(micros[1]);
            Arrays.sort(ratio);
            System.out.printf(Locale.ROOT, "%s: old %.1f us (%.1f GFLOP/s), new %.1f us (%.1f GFLOP/s), old/new %.3f [%.3f, %.3f], %s%n",
                    args[s], oldMicros, p.flops() / oldMicros / 1e3, newMicros, p.flops() / newMicros / 1e3,
                    ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4],
                    Arrays.equals(c[0], c[1]) ? "same bits" : "bits differ");
        }
    }

    private static int integer(String what, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " expected an integer, got '" + text + "'");
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** One product's operands (α = 1, β = 0, tight leading dimensions), from the suite's shape syntax. */
    private static final class Product {
        final Spec.Gemm g;
        final float[] a;
        final float[] b;

        Product(Spec.Gemm g) {
            this.g = g;
            Random r = new Random(1);
            a = new float[g.aRows() * g.aCols()];
            b = new float[g.bRows() * g.bCols()];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextFloat() - 0.5f;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextFloat() - 0.5f;
            }
        }

        double flops() {
            return 2.0 * g.m() * g.n() * g.k();
        }

        void run(MethodHandle sgemm, Object kernels, float[] c, int calls) throws Throwable {
            for (int i = 0; i < calls; i++) {
                sgemm.invoke(kernels, g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, a, 0, g.aCols(), b, 0,
                        g.bCols(), 0f, c, 0, g.n());
            }
        }
    }
}
