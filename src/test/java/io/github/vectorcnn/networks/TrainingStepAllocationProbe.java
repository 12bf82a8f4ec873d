package io.github.vectorcnn.networks;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.vector.PollutedProfilesProbe;
import io.github.vectorcnn.training.Optimizer;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

/**
 * Child-JVM half of {@code SimpleConvNetAllocationTest}: SimpleConvNet's training step (the
 * gradient on a batch of 100, then an SGD update, as jmh's TrainingStepBenchmark) over and over
 * on one thread with the vector kernels; after {@link #WARM_UP} steps, prints the bytes each block
 * of {@link #BLOCK} steps allocated per step, one line a block, and stops after the first block
 * under {@code args[0]} bytes, or after {@link #BLOCKS} blocks (boxed vectors do not go away
 * with more steps; a compilation still under way on a busy machine does). Its first line names
 * the kernels ({@code kernels vector-512}), so that the test can check the JVM took its flags.
 * Run in a JVM of its own so that what C2 compiles depends on this step alone, not on the tests
 * run before.
 */
public final class TrainingStepAllocationProbe {
    /** About 3 s of steps, by which the fixed code had long stopped allocating (JDK 17 and 25). */
    static final int WARM_UP = 100;
    static final int BLOCK = 10;
    /** 1,000 steps: 10 s once compiled; 40 s with the boxing this test is for. */
    static final int BLOCKS = 100;

    private TrainingStepAllocationProbe() {
    }

    /** args: the bound in bytes per step, then optionally "pollute" (see PollutedProfilesProbe). */
    public static void main(String[] args) {
        long bound = Long.parseLong(args[0]);
        String runFirst = args.length > 1 ? args[1] : "";
        if (runFirst.equals("pollute")) {
            PollutedProfilesProbe.pollute();
        } else if (!runFirst.isEmpty()) {
            throw new IllegalArgumentException("args[1]: expected \"pollute\" or nothing, got \"" + runFirst + "\"");
        }
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Kernels kernels = KernelProvider.vector().orElseThrow(
                () -> new IllegalStateException("no vector kernels: " + KernelProvider.vectorUnavailableReason()));
        System.out.println("kernels " + kernels.name());
        SimpleConvNet.Config c = SimpleConvNet.Config.defaults();
        SimpleConvNet net = new SimpleConvNet(c, kernels);
        SplittableRandom rng = new SplittableRandom(16);
        float[] pixels = new float[100 * c.channels() * c.height() * c.width()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
        }
        Tensor x = Tensor.wrap(pixels, 100, c.channels(), c.height(), c.width());
        int[] labels = rng.ints(100, 0, c.classes()).toArray();
        // A small rate, so that the weights stay near where they started over many steps.
        Optimizer sgd = Optimizer.create("sgd", 0.01, 0);
        for (int i = 0; i < WARM_UP; i++) {
            sgd.update(net.params(), net.gradient(x, labels));
        }
        for (int block = 0; block < BLOCKS; block++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < BLOCK; i++) {
                sgd.update(net.params(), net.gradient(x, labels));
            }
            long perStep = (mx.getCurrentThreadAllocatedBytes() - before) / BLOCK;
            System.out.println("block " + block + " allocated " + perStep + " bytes per step");
            if (perStep < bound) {
                return;
            }
        }
    }
}
