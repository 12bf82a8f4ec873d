package io.github.vectorcnn.layers;

import io.github.vectorcnn.kernels.Parallel;

/**
 * One scratch array per worker thread of {@link Parallel}, each allocated by the thread that uses
 * it, on first use. Slices of one shared array measured slower: SimpleConvNet's per-image
 * im2col + product + bias took 12–18 µs per image on each of two threads with its col and output
 * as halves of one array each, 7.4–10.8 µs with an array per thread (7.4 µs on one thread alone);
 * JMH's ConvReluPoolBenchmark forward on two threads went from 1.41 to 0.83 ms.
 */
final class Scratch {
    private float[][] buffers = new float[0][];

    /** Before a parallel loop: a slot for every worker (the thread count may have changed). */
    void reserve() {
        int threads = Parallel.threads();
        if (buffers.length != threads) {
            buffers = new float[threads][];
        }
    }

    /** The worker's array, at least {@code size} long; call it from that worker's thread. */
    float[] get(int worker, int size) {
        float[] b = buffers[worker];
        if (b == null || b.length < size) {
            b = new float[size];
            buffers[worker] = b;
        }
        return b;
    }
}
