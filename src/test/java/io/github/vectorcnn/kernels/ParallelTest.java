package io.github.vectorcnn.kernels;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.networks.SimpleConvNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {
    private final int original = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(original);
    }

    @Test
    void forEachRunsEveryIndexOnceOnAtMostThreadsWorkers() {
        Parallel.setThreads(3);
        AtomicIntegerArray runs = new AtomicIntegerArray(100);
        Map<Integer, Boolean> workers = new ConcurrentHashMap<>();
        Parallel.forEach(100, (i, worker) -> {
            runs.incrementAndGet(i);
            workers.put(worker, true);
        });
        for (int i = 0; i < 100; i++) {
            assertEquals(1, runs.get(i), "index " + i);
        }
        workers.keySet().forEach(w -> assertTrue(w >= 0 && w < 3, "worker " + w));
    }

    @Test
    void nestedLoopsRunInlineAndTaskExceptionsReachTheCaller() {
        Parallel.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(16);
        Parallel.forEach(4, (i, w) -> Parallel.forEach(4, (j, w2) -> runs.incrementAndGet(i * 4 + j)));
        for (int i = 0; i < 16; i++) {
            assertEquals(1, runs.get(i));
        }
        // A nested loop's tasks see the worker index of the task that started them: per-worker
        // scratch must not be shared by the caller's tasks and a helper's nested ones. The first
        // two tasks wait for each other, so two threads take part (no timing involved).
        Parallel.setThreads(3);
        ConcurrentHashMap<String, Boolean> mismatches = new ConcurrentHashMap<>();
        Set<Integer> outerWorkers = ConcurrentHashMap.newKeySet();
        CountDownLatch twoThreads = new CountDownLatch(2);
        Parallel.forEach(6, (i, w) -> {
            outerWorkers.add(w);
            twoThreads.countDown();
            try {
                assertTrue(twoThreads.await(60, TimeUnit.SECONDS), "no helper joined the loop");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Parallel.forEach(3, (j, inner) -> {
                if (inner != w) {
                    mismatches.put("outer worker " + w + ", inner " + inner, true);
                }
            });
        });
        assertTrue(outerWorkers.size() >= 2, "a helper took part: " + outerWorkers);
        assertEquals(Map.of(), mismatches);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.forEach(8, (i, w) -> {
                    if (i == 5) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
    }

    /** setThreads retires a pool that another thread may be handing work to at that moment. */
    @Test
    void loopsOnAnotherThreadCompleteWhileTheThreadCountChanges() throws Exception {
        Parallel.setThreads(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger loops = new AtomicInteger();
        Thread user = new Thread(() -> {
            try {
                while (!stop.get()) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(8);
                    Parallel.forEach(8, (i, w) -> runs.incrementAndGet(i));
                    for (int i = 0; i < 8; i++) {
                        if (runs.get(i) != 1) {
                            throw new AssertionError("index " + i + " ran " + runs.get(i) + " times");
                        }
                    }
                    loops.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        user.start();
        for (int i = 0; i < 3000 && failure.get() == null; i++) {
            Parallel.setThreads(2 + i % 2);
        }
        stop.set(true);
        user.join(10_000);
        assertFalse(user.isAlive(), "a loop hung");
        if (failure.get() != null) {
            throw new AssertionError("a loop failed after " + loops.get() + " loops", failure.get());
        }
    }

    /** Two threads using the pool at once: one holds the helpers, the other runs its loop alone. */
    @Test
    void concurrentLoopsFromTwoThreadsEachRunEveryIndexOnce() throws Exception {
        Parallel.setThreads(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable loops = () -> {
            try {
                for (int loop = 0; loop < 2000 && failure.get() == null; loop++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(16);
                    Parallel.forEach(16, (i, w) -> runs.incrementAndGet(i));
                    for (int i = 0; i < 16; i++) {
                        if (runs.get(i) != 1) {
                            throw new AssertionError("loop " + loop + ": index " + i + " ran " + runs.get(i) + " times");
                        }
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread a = new Thread(loops), b = new Thread(loops);
        a.start();
        b.start();
        a.join(20_000);
        b.join(20_000);
        assertFalse(a.isAlive() || b.isAlive(), "a loop hung");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void setThreadsRejectsZero() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("threads") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void sgemmGivesTheSameBitsForOneTwoAndThreeThreads() {
        Kernels k = KernelProvider.get();
        SplittableRandom r = new SplittableRandom(11);
        // {64, 32, 20000}: A·Bᵀ whose transposed A is too large as a whole but not per thread share.
        // {650, 33, 300} and {303, 68, 400}: a few last columns apart from the panels (columnEdge).
        // {20, 70, 700}, {24, 100, 600} (edge columns), and {40, 61, 1000} on three threads: so few
        // column strips, and too few row strips to split by rows instead, that the threads also
        // split the strips' rows (a grid). {100, 100, 600}, {50, 70, 700}: few column strips but
        // rows enough, split by rows (splitRowsForFewStrips).
        int[][] shapes = {{300, 301, 270}, {37, 700, 90}, {650, 33, 300}, {40, 61, 1000}, {64, 32, 20000},
                {303, 68, 400}, {100, 100, 600}, {50, 70, 700}, {20, 70, 700}, {24, 100, 600}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], kk = s[2];
                float[] a = new float[m * kk], b = new float[kk * n], c0 = new float[m * n];
                for (float[] x : new float[][] {a, b, c0}) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) r.nextGaussian();
                    }
                }
                float[] reference = null;
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] c = c0.clone();
                    k.sgemm(ta, tb, m, n, kk, 0.75f, a, 0, ta ? m : kk, b, 0, tb ? kk : n, 0.5f, c, 0, n);
                    if (reference == null) {
                        reference = c;
                    } else {
                        assertArrayEquals(reference, c, k.name() + " " + Arrays.toString(s) + " ta=" + ta
                                + " tb=" + tb + " threads=" + threads);
                    }
                }
            }
        }
    }

    /**
     * α = 1, β = 0 with one K block takes the in-place paths of the vector SGEMM (A read as rows or
     * down its columns, B read with its row stride, 6 × 3- and 5 × 4-vector tiles when the strips
     * are full height); a longer K reads A in place across K blocks. The layers' shapes, large
     * enough to split, and awkward ones: the same bits for 1, 2 and 3 threads.
     */
    @Test
    void sgemmInPlacePathsGiveTheSameBitsForOneTwoAndThreeThreads() {
        Kernels k = KernelProvider.get();
        SplittableRandom r = new SplittableRandom(12);
        // {100, 400, 70}: with the 4-row tiles one thread packs the untransposed A (400 columns ≥
        // PACK_A_MIN_N) and two or three read it in place (their shares are under 256 columns).
        // {30, 40000, 25}: B and C over ROW_PANEL_MIN_FLOATS, row panels with B's rows read in
        // place, each thread's share in its own; {300, 3600, 25}: B's rows copied into the panels
        // (50 or 60 strips) for shares of 3600 and about 1800 columns, no panels for about 1200
        // (narrower than a panel at K = 25).
        int[][] shapes = {{100, 100, 4320}, {4320, 100, 100}, {100, 4320, 100}, {30, 5760, 25}, {25, 5760, 30},
                {207, 207, 207}, {33, 1000, 70}, {1000, 17, 207}, {60, 2000, 15}, {100, 400, 70},
                {30, 40_000, 25}, {300, 3600, 25}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], kk = s[2];
                float[] a = new float[m * kk], b = new float[kk * n];
                for (float[] x : new float[][] {a, b}) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) r.nextGaussian();
                    }
                }
                float[] reference = null;
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] c = new float[m * n];
                    Arrays.fill(c, Float.NaN);
                    k.sgemm(ta, tb, m, n, kk, 1f, a, 0, ta ? m : kk, b, 0, tb ? kk : n, 0f, c, 0, n);
                    if (reference == null) {
                        reference = c;
                    } else {
                        assertArrayEquals(reference, c, k.name() + " " + Arrays.toString(s) + " ta=" + ta
                                + " tb=" + tb + " threads=" + threads);
                    }
                }
            }
        }
    }

    /**
     * A convolution that computes dx (SimpleConvNet's first one does not) over a batch of several
     * fixed 4-image chunks: the per-worker dcol slots and the chunked dW/db sums must give the
     * same bits for any thread count, and agree with the scalar kernels.
     */
    @Test
    void convolutionBackwardWithInputGradientGivesTheSameBitsForOneTwoAndThreeThreads() {
        SplittableRandom r = new SplittableRandom(5);
        Tensor w = Tensor.zeros(4, 3, 3, 2), b = Tensor.zeros(4), x = Tensor.zeros(11, 3, 9, 8);
        for (Tensor t : new Tensor[] {w, b, x}) {
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = (float) r.nextGaussian();
            }
        }
        Tensor dout = null;
        Map<String, float[]> reference = null;
        for (Kernels kernels : new Kernels[] {KernelProvider.get(), KernelProvider.scalar()}) {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                io.github.vectorcnn.layers.Convolution conv =
                        new io.github.vectorcnn.layers.Convolution(w, b, 2, 1, kernels);
                Tensor out = conv.forward(x);
                if (dout == null) {
                    dout = Tensor.zeros(out.shape());
                    for (int i = 0; i < dout.size(); i++) {
                        dout.data()[i] = (float) r.nextGaussian();
                    }
                }
                Map<String, float[]> got = new LinkedHashMap<>();
                got.put("out", out.data().clone());
                got.put("dx", conv.backward(dout).data().clone());
                got.put("dW", conv.grads().get("W").data().clone());
                got.put("db", conv.grads().get("b").data().clone());
                if (reference == null) {
                    reference = got;
                } else if (kernels == KernelProvider.get()) {
                    for (String name : got.keySet()) {
                        assertArrayEquals(reference.get(name), got.get(name), name + " threads=" + threads);
                    }
                } else {
                    // Scalar against the default kernels: the same values within float rounding.
                    for (String name : got.keySet()) {
                        float[] e = reference.get(name), a = got.get(name);
                        for (int i = 0; i < e.length; i++) {
                            assertEquals(e[i], a[i], 1e-4f * (1 + Math.abs(e[i])), name + "[" + i + "] scalar");
                        }
                    }
                }
            }
        }
    }

    /**
     * The padded pool keeps a table per thread for the last geometry it pooled: two layers of
     * different geometry, forward in turn on 1, 2 and 3 threads, must each give the scalar bits.
     */
    @Test
    void paddedMaxPoolingOfTwoGeometriesInTurnGivesTheScalarBitsOnOneTwoAndThreeThreads() {
        SplittableRandom r = new SplittableRandom(6);
        Tensor x = Tensor.zeros(9, 3, 13, 13);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.nextGaussian();
        }
        int[][] geometries = {{3, 2, 1}, {5, 1, 2}}; // window, stride, pad: 7×7 and 13×13 outputs
        Map<String, float[]> expected = new LinkedHashMap<>();
        for (int[] g : geometries) {
            Tensor out = new io.github.vectorcnn.layers.MaxPooling(g[0], g[0], g[1], g[2], KernelProvider.scalar())
                    .forward(x);
            expected.put(Arrays.toString(g), out.data().clone());
        }
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (int round = 0; round < 3; round++) {
                for (int[] g : geometries) {
                    Tensor out = new io.github.vectorcnn.layers.MaxPooling(g[0], g[0], g[1], g[2], KernelProvider.get())
                            .forward(x);
                    assertArrayEquals(expected.get(Arrays.toString(g)), out.data(),
                            Arrays.toString(g) + " threads=" + threads + " round=" + round);
                }
            }
        }
    }

    private static Map<String, float[]> trainingStep(Kernels kernels, int batch) {
        SimpleConvNet net = new SimpleConvNet(SimpleConvNet.Config.defaults()
                .withInit(SimpleConvNet.Init.HE, 0).withSeed(5), kernels);
        SplittableRandom r = new SplittableRandom(9);
        Tensor x = Tensor.zeros(batch, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.nextDouble();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = r.nextInt(10);
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("loss", new float[] {(float) net.loss(x, labels)});
        net.gradient(x, labels).forEach((name, g) -> out.put(name, g.data().clone()));
        return out;
    }

    @Test
    void aSimpleConvNetTrainingStepGivesTheSameBitsForOneTwoAndThreeThreads() {
        for (Kernels kernels : new Kernels[] {KernelProvider.get(), KernelProvider.scalar()}) {
            // 1 image: layers run inline, only kernels may split; 10 images: images and chunks
            // split across threads and the affine GEMMs split by columns.
            for (int batch : new int[] {1, 10}) {
                Map<String, float[]> reference = null;
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    Map<String, float[]> step = trainingStep(kernels, batch);
                    if (reference == null) {
                        reference = step;
                        continue;
                    }
                    for (String name : reference.keySet()) {
                        assertArrayEquals(reference.get(name), step.get(name), kernels.name() + " batch "
                                + batch + " " + name + " with " + threads + " threads");
                    }
                }
            }
        }
    }
}
