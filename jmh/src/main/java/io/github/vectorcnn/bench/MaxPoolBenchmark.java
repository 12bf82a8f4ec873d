package io.github.vectorcnn.bench;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import io.github.vectorcnn.layers.MaxPooling;
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
 * The {@link MaxPooling} layer over a batch (maxPoolForward / maxPoolBackwardSet image by image;
 * the backward writes the whole of dx). Shapes (see {@link Spec#window}): SimpleConvNet's 2x2
 * stride 2 on 30 channels of 24x24, the same on 64 channels of 56x56, and an overlapping 3x3
 * stride 2 pad 1 on 27x27. GB/s, both directions: 4·N·(C·H·W + 2·C·OH·OW) bytes (the input or dx
 * once, the output or dout once, the int argmax once).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class MaxPoolBenchmark {

    @Param({"100x30x24x24:2x2:s2p0", "8x64x56x56:2x2:s2p0", "32x32x27x27:3x3:s2p1"})
    public String shape;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1"})
    public int threads;

    private Kernels k;
    private Spec.Window w;
    private MaxPooling pool;
    private MaxPooling ref;
    private Tensor x;
    private Tensor dout;

    static double traffic(Spec.Window w) {
        return 4.0 * w.n() * ((double) w.imageSize() + 2.0 * w.pooledSize());
    }

    @Setup(Level.Trial)
    public void setUp() {
        k = Providers.kernels(kernels);
        Providers.threads(threads);
        Providers.announce("max pool " + shape, k, threads);
        w = Spec.window(shape);
        pool = layer(k);
        WindowGeometry g = w.geometry();
        x = Tensor.wrap(Verify.random(new float[w.n() * w.imageSize()], 6), w.n(), g.channels(), g.height(), g.width());
        dout = Tensor.wrap(Verify.random(new float[w.n() * w.pooledSize()], 7), w.n(), g.channels(), g.outH(), g.outW());
        ref = layer(KernelProvider.scalar());
        pool.forward(x);
        check();
        // activePiece() copies the mask, so it is compared here only; at tear-down a wrong
        // argmax shows up as a wrong dx (random inputs have no ties).
        ref.forward(x);
        pool.forward(x);
        Verify.sameInts(k.name() + " max pool " + shape + " argmax", ref.activePiece(), pool.activePiece());
    }

    private MaxPooling layer(Kernels kernels) {
        WindowGeometry g = w.geometry();
        return new MaxPooling(g.windowH(), g.windowW(), g.stride(), g.pad(), kernels);
    }

    /**
     * Compares a forward and a backward with the scalar layer. Allocates (almost) nothing once the
     * layers' buffers exist: JMH's gc profiler counts the tear-down in the last iteration.
     */
    @TearDown(Level.Trial)
    public void check() {
        String what = k.name() + " max pool " + shape;
        Verify.sameBits(what + " forward", ref.forward(x).data(), pool.forward(x).data());
        Verify.sameBits(what + " backward", ref.backward(dout).data(), pool.backward(dout).data());
    }

    @Benchmark
    public Tensor forward(Counters.Bytes bytes) {
        bytes.gbyte += traffic(w) / 1e9;
        return pool.forward(x);
    }

    @Benchmark
    public Tensor backward(Counters.Bytes bytes) {
        bytes.gbyte += traffic(w) / 1e9;
        return pool.backward(dout);
    }
}
