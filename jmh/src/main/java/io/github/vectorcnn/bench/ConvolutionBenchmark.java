package io.github.vectorcnn.bench;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import io.github.vectorcnn.layers.Convolution;
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
 * The {@link Convolution} layer over a batch: forward (im2col + W·col + bias per image) and
 * backward with the input gradient (dW += dout·colᵀ, db, dcol = Wᵀ·dout, col2im). Shapes (see
 * {@link Spec#conv}): SimpleConvNet's 30 filters 5x5 on 28x28 at batch 100, a 64→64 channel 3x3
 * pad 1 on 56x56 at batch 4, and 3→32 channels 3x3 pad 1 on 27x27 at batch 32. GFLOP/s counts
 * the GEMMs only: 2·N·FN·(C·FH·FW)·(OH·OW) forward, twice that backward.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvolutionBenchmark {

    @Param({"100x1x28x28:30x5x5:s1p0", "4x64x56x56:64x3x3:s1p1", "32x3x27x27:32x3x3:s1p1"})
    public String shape;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1"})
    public int threads;

    private Kernels k;
    private Spec.Window w;
    private Tensor weight;
    private Tensor bias;
    private Convolution conv;
    private Convolution ref;
    private Tensor x;
    private Tensor dout;

    /** GEMM work of one forward over the batch, in GFLOP. */
    static double forwardGflop(Spec.Window w) {
        WindowGeometry g = w.geometry();
        return 2.0 * w.n() * w.filters() * g.patchSize() * g.outputPositions() / 1e9;
    }

    @Setup(Level.Trial)
    public void setUp() {
        k = Providers.kernels(kernels);
        Providers.threads(threads);
        Providers.announce("convolution " + shape, k, threads);
        w = Spec.conv(shape);
        WindowGeometry g = w.geometry();
        weight = Tensor.wrap(Verify.random(new float[w.filters() * g.patchSize()], 8),
                w.filters(), g.channels(), g.windowH(), g.windowW());
        bias = Tensor.wrap(Verify.random(new float[w.filters()], 9), w.filters());
        conv = new Convolution(weight, bias, g.stride(), g.pad(), k);
        ref = new Convolution(weight, bias, g.stride(), g.pad(), KernelProvider.scalar());
        x = Tensor.wrap(Verify.random(new float[w.n() * w.imageSize()], 10),
                w.n(), g.channels(), g.height(), g.width());
        dout = Tensor.wrap(Verify.random(new float[w.n() * w.filters() * g.outputPositions()], 11),
                w.n(), w.filters(), g.outH(), g.outW());
        conv.forward(x);
        check();
    }

    /**
     * Compares a forward and a backward (dx, dW, db) with the same layer on the scalar kernels.
     * Allocates (almost) nothing once the layers' buffers exist: JMH's gc profiler counts the
     * tear-down in the last iteration.
     */
    @TearDown(Level.Trial)
    public void check() {
        WindowGeometry g = w.geometry();
        String what = k.name() + " convolution " + shape;
        double fwdTol = Verify.sumTolerance(g.patchSize());
        Verify.close(what + " forward", ref.forward(x).data(), conv.forward(x).data(), fwdTol);
        // dW sums over N·OH·OW products, dx over FN·FH·FW: the larger count bounds both.
        double bwdTol = Verify.sumTolerance(Math.max(w.n() * g.outputPositions(), w.filters() * g.patchSize()));
        Verify.close(what + " dx", ref.backward(dout).data(), conv.backward(dout).data(), bwdTol);
        Verify.close(what + " dW", ref.grads().get("W").data(), conv.grads().get("W").data(), bwdTol);
        Verify.close(what + " db", ref.grads().get("b").data(), conv.grads().get("b").data(), bwdTol);
    }

    @Benchmark
    public Tensor forward(Counters.Flops flops) {
        flops.gflop += forwardGflop(w);
        return conv.forward(x);
    }

    @Benchmark
    public Tensor backward(Counters.Flops flops) {
        flops.gflop += 2 * forwardGflop(w);
        return conv.backward(dout);
    }
}
