package io.github.vectorcnn.bench;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.networks.SimpleConvNet;
import io.github.vectorcnn.training.Optimizer;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * How much faster {@code manyThreads} library threads run than one, on the two workloads the
 * kernel issue sets a two-thread goal for: SGEMM 1024³ and a whole SimpleConvNet training step
 * (the step of {@link TrainingStepBenchmark}), with the default kernels.
 *
 * <p>Iterations alternate between one thread and {@code manyThreads}, starting and ending with
 * one (4 warm-up and 11 measured iterations: five many-thread iterations per fork), and each
 * iteration counts its calls under its own thread count, so compare.py can divide every
 * many-thread iteration's rate by the geometric mean of the one-thread iterations on either side,
 * a second away (a steady trend in the machine's speed then cancels too). Why: the AVX2 machine's
 * speed drifts by up to 2× within minutes, and the separate one- and two-thread trials of
 * {@link SgemmBenchmark} and {@link TrainingStepBenchmark}, run minutes apart, gave a two-thread
 * speedup anywhere from 1.4× to 1.9× for the same code. JMH's primary score (calls per second over
 * both kinds of iteration) means nothing on its own.
 *
 * <p>Resizing the pool starts new worker threads, whose thread-local workspaces are empty, and
 * makes the layers drop their per-worker scratch; the iteration set-up therefore makes one
 * untimed call after the resize, so neither kind of iteration pays for it.
 */
@State(Scope.Thread)
@Threads(1) // the pool is global: two JMH threads would resize it under each other
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 11, time = 1)
public class ThreadScalingBenchmark {
    static final String SGEMM = "sgemm/NN:1024x1024x1024";
    static final String STEP = "training-step";

    @Param({SGEMM, STEP})
    public String work;

    /** Not {@code threads}: jmh/run.sh sets that parameter to 1 for every benchmark by default. */
    @Param({"2"})
    public int manyThreads;

    /** Calls in the iteration, under the iteration's thread count; the other counter stays 0. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Calls {
        public double oneThread;
        public double manyThreads;

        @Setup(Level.Iteration)
        public void reset() {
            oneThread = 0;
            manyThreads = 0;
        }
    }

    private Kernels k;
    private Spec.Gemm s;
    private float[] a;
    private float[] b;
    private float[] c;
    private SimpleConvNet net;
    private Optimizer sgd;
    private Tensor x;
    private int[] labels;
    private int iterations;
    private int threads;

    @Setup(Level.Trial)
    public void setUp() {
        if (manyThreads < 2) {
            throw new IllegalArgumentException("manyThreads: expected >= 2, got " + manyThreads);
        }
        k = KernelProvider.get();
        Providers.announce("thread scaling " + work + ", 1 against " + manyThreads + " threads", k, manyThreads);
        if (SGEMM.equals(work)) {
            s = Spec.gemm(work.substring(work.indexOf('/') + 1));
            a = Verify.random(new float[s.aRows() * s.aCols()], 1);
            b = Verify.random(new float[s.bRows() * s.bCols()], 2);
            c = new float[s.m() * s.n()];
        } else if (STEP.equals(work)) {
            SimpleConvNet.Config config = SimpleConvNet.Config.defaults();
            net = new SimpleConvNet(config, k);
            sgd = Optimizer.create("sgd", TrainingStepBenchmark.LEARNING_RATE, 0);
            SplittableRandom rng = new SplittableRandom(16);
            x = TrainingStepBenchmark.images(config, rng);
            labels = rng.ints(TrainingStepBenchmark.BATCH, 0, config.classes()).toArray();
        } else {
            throw new IllegalArgumentException("work: expected " + SGEMM + " or " + STEP + ", got " + work);
        }
        check();
    }

    /**
     * The same bits on one thread and on manyThreads (the library's promise, and proof that both
     * kinds of iteration compute the same thing); SGEMM also against the double-precision product.
     */
    @TearDown(Level.Trial)
    public void check() {
        List<float[]> one = results(1);
        List<float[]> many = results(manyThreads);
        for (int i = 0; i < one.size(); i++) {
            Verify.sameBits(k.name() + " " + work + " result " + i + ", 1 against " + manyThreads + " threads",
                    one.get(i), many.get(i));
        }
        if (s != null) {
            Verify.gemm(k.name() + " " + work, s, 1f, a, s.aCols(), b, s.bCols(), 0f, null, c, s.n());
        }
    }

    /** The product, or the step's gradients for the current weights (left unchanged), copied. */
    private List<float[]> results(int threadCount) {
        Providers.threads(threadCount);
        List<float[]> out = new ArrayList<>();
        if (s != null) {
            sgemm();
            out.add(c.clone());
        } else {
            for (Map.Entry<String, Tensor> g : net.gradient(x, labels).entrySet()) {
                out.add(g.getValue().data().clone());
            }
        }
        return out;
    }

    @Setup(Level.Iteration)
    public void alternate() {
        threads = iterations++ % 2 == 0 ? 1 : manyThreads;
        Providers.threads(threads);
        once();
    }

    @Benchmark
    public double call(Calls calls) {
        double r = once();
        if (threads == 1) {
            calls.oneThread++;
        } else {
            calls.manyThreads++;
        }
        return r;
    }

    /** One product, or one training step with its SGD update. */
    private double once() {
        if (s != null) {
            sgemm();
            return c[0];
        }
        sgd.update(net.params(), net.gradient(x, labels));
        return net.lastLoss();
    }

    private void sgemm() {
        k.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, s.aCols(), b, 0, s.bCols(),
                0f, c, 0, s.n());
    }
}
