package io.github.vectorcnn.layers;

import io.github.vectorcnn.kernels.Parallel;

/**
 * One scratch array per worker thread of {@link Parallel}, each allocated by the thread that uses
 * it, on first use. Slices of one shared array measured slower: the convolution's per-image
 * product ran at about half speed on two threads with its col and output in two halves of one
 * array each, and at nearly the one-thread speed with an array per thread.
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
