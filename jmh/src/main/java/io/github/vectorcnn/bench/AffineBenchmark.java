package io.github.vectorcnn.bench;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.layers.Affine;
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
 * The {@link Affine} layer: forward x·W + b and backward (dx = dout·Wᵀ, dW = xᵀ·dout, db).
 * Shapes (see {@link Spec#affine}): SimpleConvNet's two layers at batch 100 (4320→100 and
 * 100→10) and 1000→333 (odd sizes). GFLOP/s: 2·N·D·M forward, twice that backward.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class AffineBenchmark {

    @Param({"100x4320x100", "100x100x10", "100x1000x333"})
    public String shape;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1"})
    public int threads;

    private Kernels k;
    private Spec.Affine s;
    private Tensor weight;
    private Tensor bias;
    private Affine affine;
    private Affine ref;
    private Tensor x;
    private Tensor dout;

    static double forwardGflop(Spec.Affine s) {
        return 2.0 * s.n() * s.d() * s.m() / 1e9;
    }

    @Setup(Level.Trial)
    public void setUp() {
        k = Providers.kernels(kernels);
        Providers.threads(threads);
        Providers.announce("affine " + shape, k, threads);
        s = Spec.affine(shape);
        weight = Tensor.wrap(Verify.random(new float[s.d() * s.m()], 12), s.d(), s.m());
        bias = Tensor.wrap(Verify.random(new float[s.m()], 13), s.m());
        affine = new Affine(weight, bias, k);
        ref = new Affine(weight, bias, KernelProvider.scalar());
        x = Tensor.wrap(Verify.random(new float[s.n() * s.d()], 14), s.n(), s.d());
        dout = Tensor.wrap(Verify.random(new float[s.n() * s.m()], 15), s.n(), s.m());
        affine.forward(x);
        check();
    }

    /** Allocates (almost) nothing: JMH's gc profiler counts the tear-down in the last iteration. */
    @TearDown(Level.Trial)
    public void check() {
        String what = k.name() + " affine " + shape;
        Verify.close(what + " forward", ref.forward(x).data(), affine.forward(x).data(),
                Verify.sumTolerance(s.d()));
        double bwdTol = Verify.sumTolerance(Math.max(s.m(), s.n()));
        Verify.close(what + " dx", ref.backward(dout).data(), affine.backward(dout).data(), bwdTol);
        Verify.close(what + " dW", ref.grads().get("W").data(), affine.grads().get("W").data(), bwdTol);
        Verify.close(what + " db", ref.grads().get("b").data(), affine.grads().get("b").data(), bwdTol);
    }

    @Benchmark
    public Tensor forward(Counters.Flops flops) {
        flops.gflop += forwardGflop(s);
        return affine.forward(x);
    }

    @Benchmark
    public Tensor backward(Counters.Flops flops) {
        flops.gflop += 2 * forwardGflop(s);
        return affine.backward(dout);
    }
}
