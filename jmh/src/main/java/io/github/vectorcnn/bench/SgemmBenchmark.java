package io.github.vectorcnn.bench;

import io.github.vectorcnn.kernels.Kernels;
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
 * {@link Kernels#sgemm}: C = op(A)·op(B) with β = 0, tight leading dimensions, α = 1.
 *
 * <p>Shapes (see {@link Spec#gemm}): squares 128–2048, with 1000 not a multiple of any lane
 * count; SimpleConvNet's convolution per image — forward W·col (30x576x25), the filter gradient
 * dout·colᵀ (NT 30x25x576) and the column gradient Wᵀ·dout (TN 25x576x30) — and the same three
 * for the whole batch of 100 as one product each (30x57600x25, NT 30x25x57600, TN 25x57600x30:
 * the shapes the kernel issue quotes OpenBLAS on); and the same three products for a 64→64
 * channel 3x3 convolution on 56x56 (M=64, K=576, N=3136). The affine layers' products are in
 * {@link AffineBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SgemmBenchmark {

    @Param({"NN:128x128x128", "NN:256x256x256", "NN:512x512x512", "NN:1000x1000x1000",
            "NN:1024x1024x1024", "NN:2048x2048x2048",
            "NN:30x576x25", "NN:30x57600x25", "NT:30x25x576", "NT:30x25x57600", "TN:25x576x30",
            "TN:25x57600x30",
            "NN:64x3136x576", "NT:64x576x3136", "TN:576x3136x64"})
    public String shape;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1"})
    public int threads;

    private Kernels k;
    private Spec.Gemm s;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        k = Providers.kernels(kernels);
        Providers.threads(threads);
        Providers.announce("sgemm " + shape, k, threads);
        s = Spec.gemm(shape);
        a = Verify.random(new float[s.aRows() * s.aCols()], 1);
        b = Verify.random(new float[s.bRows() * s.bCols()], 2);
        c = new float[s.m() * s.n()];
        check();
    }

    @TearDown(Level.Trial)
    public void check() {
        // β = 0 must not read C: NaN left in it would leak into the result.
        Arrays.fill(c, Float.NaN);
        sgemm();
        Verify.gemm(k.name() + " sgemm " + shape, s, 1f, a, s.aCols(), b, s.bCols(), 0f, null, c, s.n());
    }

    @Benchmark
    public float[] sgemm(Counters.Flops flops) {
        sgemm();
        flops.gflop += s.gflop();
        return c;
    }

    private void sgemm() {
        k.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, s.aCols(), b, 0, s.bCols(),
                0f, c, 0, s.n());
    }
}
