package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.Tensor;

import java.util.SplittableRandom;

/**
 * Inputs that keep a central difference of step h away from the kinks of Relu and max pooling.
 *
 * <p>A kink is crossed when a Relu input lies within h of zero, or when two values in one pooling
 * window are within 2h of each other (both may move by h, in opposite directions, in a randomized
 * check). {@link #separatedGrid} avoids both by construction: every plane (the last two axes, the
 * H×W of one channel of one image) is a shuffled grid of distinct values
 * {@code (k + ½)·spacing}, k = −m/2 … m/2 − 1 for m cells, with {@code spacing = 4h}. So any two
 * values of one plane — hence of any pooling window — differ by at least 4h = 2h + a 2h margin,
 * and every value is at least 2h = h + an h margin away from zero.
 *
 * <p>The margins absorb float rounding of x ± h. Separation is needed only within a plane because
 * pooling windows never cross channels or images. Values grow with the plane size (±2h·m), so a
 * 28×28 plane at h = 1e-2 spans about ±16.
 */
public final class KinkFreeInputs {
    private KinkFreeInputs() {
    }

    /** The distance between neighbouring grid values for step h: 4h. */
    public static double spacing(float h) {
        return 4.0 * h;
    }

    /**
     * A tensor of the given shape whose every last-two-axes plane (the last axis alone for rank 1)
     * is a seeded shuffle of a grid with spacing 4h centred on zero, skipping zero itself.
     */
    public static Tensor separatedGrid(long seed, float h, int... shape) {
        if (!(h > 0) || Float.isInfinite(h)) {
            throw new IllegalArgumentException("h: expected a finite value > 0, got " + h);
        }
        Tensor t = Tensor.zeros(shape);
        int plane = shape[shape.length - 1] * (shape.length > 1 ? shape[shape.length - 2] : 1);
        double spacing = spacing(h);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] d = t.data();
        float[] grid = new float[plane];
        for (int k = 0; k < plane; k++) {
            grid[k] = (float) ((k - plane / 2 + 0.5) * spacing);
        }
        for (int start = 0; start < d.length; start += plane) {
            // Fisher–Yates, so each plane gets its own order of the same values.
            for (int k = plane - 1; k > 0; k--) {
                int j = rng.nextInt(k + 1);
                float tmp = grid[k];
                grid[k] = grid[j];
                grid[j] = tmp;
            }
            System.arraycopy(grid, 0, d, start, plane);
        }
        return t;
    }

    /**
     * Uniform values in [−1, 1] with none within {@code 2h} of zero, for a Relu that needs no
     * pooling separation (values may repeat across the tensor, which a Relu does not mind).
     */
    public static Tensor awayFromZero(long seed, float h, int... shape) {
        if (!(h > 0) || !(2.0 * h < 1)) {
            throw new IllegalArgumentException("h: expected a value in (0, 0.5), got " + h);
        }
        Tensor t = Tensor.zeros(shape);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            double magnitude = 2.0 * h + rng.nextDouble() * (1 - 2.0 * h);
            d[i] = (float) (rng.nextBoolean() ? magnitude : -magnitude);
        }
        return t;
    }

    /** Seeded uniform values in [−scale, scale], for layers without kinks (and parameters). */
    public static Tensor uniform(long seed, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return t;
    }
}
