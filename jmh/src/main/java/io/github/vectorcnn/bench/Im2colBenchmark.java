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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@link Kernels#im2col} over a batch, image by image into one batch-wide column buffer, as
 * {@link io.github.vectorcnn.layers.Convolution#forward} does. Shapes (see {@link Spec#window}):
 * SimpleConvNet's 5x5 on 28x28, a 3x3 pad 1 on 64 channels of 56x56, and 27x27 inputs (no lane
 * count divides 27) with stride 1 and 2. GB/s counts each input value read once and each column
 * value written once: 4·N·(C·H·W + C·FH·FW·OH·OW) bytes; {@link MemoryBaselineBenchmark} copies
 * the same bytes with System.arraycopy for scale.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class Im2colBenchmark {

    @Param({"100x1x28x28:5x5:s1p0", "8x64x56x56:3x3:s1p1", "32x3x27x27:3x3:s1p1", "32x3x27x27:5x5:s2p2"})
    public String shape;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1"})
    public int threads;

    private Kernels k;
    private Spec.Window w;
    private float[] x;
    private float[] col;
    private float[] expected;

    /** Compulsory bytes of one im2col call over the batch. */
    static double traffic(Spec.Window w) {
        WindowGeometry g = w.geometry();
        return 4.0 * w.n() * ((double) g.inputSize() + g.colSize());
    }

    @Setup(Level.Trial)
    public void setUp() {
        k = Providers.kernels(kernels);
        Providers.threads(threads);
        Providers.announce("im2col " + shape, k, threads);
        w = Spec.window(shape);
        x = Verify.random(new float[w.n() * w.imageSize()], 3);
        col = new float[Math.multiplyExact(w.n(), w.geometry().colSize())];
        expected = new float[col.length];
        check();
    }

    /** Allocates nothing: JMH's gc profiler counts the tear-down in the last iteration. */
    @TearDown(Level.Trial)
    public void check() {
        unfold(KernelProvider.scalar(), expected);
        Arrays.fill(col, Float.NaN); // every entry, padding included, must be written
        unfold(k, col);
        Verify.sameBits(k.name() + " im2col " + shape, expected, col);
    }

    @Benchmark
    public float[] im2col(Counters.Bytes bytes) {
        unfold(k, col);
        bytes.gbyte += traffic(w) / 1e9;
        return col;
    }

    private void unfold(Kernels kernels, float[] out) {
        WindowGeometry g = w.geometry();
        int in = g.inputSize(), cs = g.colSize();
        for (int i = 0; i < w.n(); i++) {
            kernels.im2col(g, x, i * in, out, i * cs);
        }
    }
}
