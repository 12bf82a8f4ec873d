package io.github.vectorcnn.bench;

import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link Kernels#col2im} over a batch: dx += col2im(dcol) image by image, the adjoint of
 * {@link Im2colBenchmark} on the same shapes. The measured loop keeps accumulating into dx (the
 * kernel's contract; zeroing it is the layer's job and not timed here). GB/s counts the column
 * read once and dx read and written once: 4·N·(C·FH·FW·OH·OW + 2·C·H·W) bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class Col2imBenchmark {

    @Param({"100x1x28x28:5x5:s1p0", "8x64x56x56:3x3:s1p1", "32x3x27x27:3x3:s1p1", "32x3x27x27:5x5:s2p2"})
    public String shape;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1"})
    public int threads;

    private Kernels k;
    private Spec.Window w;
    private float[] col;
    private float[] dx;
    private float[] expected;
    private float[] actual;

    static double traffic(Spec.Window w) {
        WindowGeometry g = w.geometry();
        return 4.0 * w.n() * ((double) g.colSize() + 2.0 * g.inputSize());
    }

    @Setup(Level.Trial)
    public void setUp() {
        k = Providers.kernels(kernels);
        Providers.threads(threads);
        Providers.announce("col2im " + shape, k, threads);
        w = Spec.window(shape);
        col = Verify.random(new float[Math.multiplyExact(w.n(), w.geometry().colSize())], 4);
        dx = new float[w.n() * w.imageSize()];
        expected = new float[dx.length];
        actual = new float[dx.length];
        check();
    }

    /** Allocates nothing: JMH's gc profiler counts the tear-down in the last iteration. */
    @TearDown(Level.Trial)
    public void check() {
        // Starting from the same non-zero dx checks that the kernel adds rather than overwrites.
        Verify.random(expected, 5);
        System.arraycopy(expected, 0, actual, 0, expected.length);
        fold(KernelProvider.scalar(), expected);
        fold(k, actual);
        Verify.sameBits(k.name() + " col2im " + shape, expected, actual);
    }

    @Benchmark
    public float[] col2im(Counters.Bytes bytes) {
        fold(k, dx);
        bytes.gbyte += traffic(w) / 1e9;
        return dx;
    }

    private void fold(Kernels kernels, float[] out) {
        WindowGeometry g = w.geometry();
        int in = g.inputSize(), cs = g.colSize();
        for (int i = 0; i < w.n(); i++) {
            kernels.col2im(g, col, i * cs, out, i * in);
        }
    }
}
