package io.github.vectorcnn.bench;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.layers.ConvReluPool;
import io.github.vectorcnn.layers.Convolution;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * SimpleConvNet's first block on a batch of 100 (1x28x28, 30 filters 5x5, relu, 2x2 pool stride 2,
 * no input gradient, as in the network): {@link ConvReluPool} ("fused", an image at a time through
 * a per-thread buffer) against the same work as separate layers ("layers": Convolution, then
 * MaxPooling with its fused relu, with the 6.9 MB convolution output and its gradient in memory).
 * Both give the same bits; {@link #setUp} checks. The pass benchmark is a forward then a backward.
 * Throughput (ops/s) like the rest of the suite, which compare.py expects; not in the --readme tables.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvReluPoolBenchmark {
    static final int BATCH = 100;

    @Param({"fused", "layers"})
    public String variant;

    @Param({"vector"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    private ConvReluPool fused;
    private Convolution conv;
    private MaxPooling pool;
    private Tensor x;
    private Tensor dout;

    @Setup(Level.Trial)
    public void setUp() {
        Kernels k = Providers.kernels(kernels);
        Providers.threads(threads);
        Providers.announce("conv+relu+pool " + variant, k, threads);
        Tensor weight = Tensor.wrap(Verify.random(new float[30 * 25], 8), 30, 1, 5, 5);
        Tensor bias = Tensor.wrap(Verify.random(new float[30], 9), 30);
        fused = new ConvReluPool(weight, bias, 1, 0, 2, 2, k).computeInputGradient(false);
        conv = new Convolution(weight, bias, 1, 0, k).computeInputGradient(false);
        pool = new MaxPooling(2, 2, 2, 0, k).fusedRelu(true);
        x = Tensor.wrap(Verify.random(new float[BATCH * 784], 10), BATCH, 1, 28, 28);
        dout = Tensor.wrap(Verify.random(new float[BATCH * 30 * 144], 11), BATCH, 30, 12, 12);
        float[] a = fused.forward(x).data().clone(), b = pool.forward(conv.forward(x)).data();
        fused.backward(dout);
        conv.backward(pool.backward(dout));
        if (!Arrays.equals(a, b) || !Arrays.equals(conv.grads().get("W").data(), fused.grads().get("W").data())) {
            throw new AssertionError("ConvReluPool differs from Convolution then MaxPooling (" + kernels + ", "
                    + threads + " threads)");
        }
    }

    @Benchmark
    public Tensor forward() {
        return "fused".equals(variant) ? fused.forward(x) : pool.forward(conv.forward(x));
    }

    @Benchmark
    public Tensor pass() {
        if ("fused".equals(variant)) {
            fused.forward(x);
            fused.backward(dout);
            return fused.grads().get("W");
        }
        pool.forward(conv.forward(x));
        conv.backward(pool.backward(dout));
        return conv.grads().get("W");
    }
}
