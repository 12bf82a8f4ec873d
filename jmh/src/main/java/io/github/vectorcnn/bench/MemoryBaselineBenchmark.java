package io.github.vectorcnn.bench;

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

import java.util.concurrent.TimeUnit;

/**
 * The yardstick for the memory-bound kernels: System.arraycopy moving the same number of bytes
 * as one call of the kernel named in the parameter ("im2col/…", "col2im/…", "maxPoolForward/…",
 * "maxPoolBackward/…" followed by that benchmark's shape). A copy of B bytes reads B and writes B,
 * so it copies half the kernel's traffic; its GB/s is then directly comparable, and the
 * side-by-side table gives each kernel's bandwidth as a percentage of this one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class MemoryBaselineBenchmark {

    @Param({"im2col/100x1x28x28:5x5:s1p0", "im2col/8x64x56x56:3x3:s1p1",
            "im2col/32x3x27x27:3x3:s1p1", "im2col/32x3x27x27:5x5:s2p2",
            "col2im/100x1x28x28:5x5:s1p0", "col2im/8x64x56x56:3x3:s1p1",
            "col2im/32x3x27x27:3x3:s1p1", "col2im/32x3x27x27:5x5:s2p2",
            "maxPoolForward/100x30x24x24:2x2:s2p0", "maxPoolForward/8x64x56x56:2x2:s2p0",
            "maxPoolForward/32x32x27x27:3x3:s2p1"})
    public String like;

    private float[] src;
    private float[] dst;
    private double gbyte;

    @Setup(Level.Trial)
    public void setUp() {
        int slash = like.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("like: expected kernel/shape, got \"" + like + "\"");
        }
        String kernel = like.substring(0, slash), shape = like.substring(slash + 1);
        double traffic;
        switch (kernel) {
            case "im2col":
                traffic = Im2colBenchmark.traffic(Spec.window(shape));
                break;
            case "col2im":
                traffic = Col2imBenchmark.traffic(Spec.window(shape));
                break;
            case "maxPoolForward":
            case "maxPoolBackward":
                traffic = MaxPoolBenchmark.traffic(Spec.window(shape));
                break;
            default:
                throw new IllegalArgumentException("like: expected im2col, col2im, maxPoolForward or"
                        + " maxPoolBackward before the slash, got \"" + kernel + "\"");
        }
        int floats = Math.toIntExact(Math.round(traffic / 8));
        src = Verify.random(new float[floats], 17);
        dst = new float[floats];
        gbyte = 8.0 * floats / 1e9;
    }

    @Benchmark
    public float[] arraycopy(Counters.Bytes bytes) {
        System.arraycopy(src, 0, dst, 0, src.length);
        bytes.gbyte += gbyte;
        return dst;
    }
}
