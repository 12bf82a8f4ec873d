package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SPECIES;

import io.github.vectorcnn.kernels.WindowGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling forward with argmax, bit for bit the scalar kernel's result: the same window cells in
 * the same row-major order, the same comparison ({@code v > best}, first of equals wins; NaN wins
 * and stays). x: [C, H, W]; out, argmax: [C, OH, OW].
 */
final class VectorPooling {
    private VectorPooling() {
    }

    /** Argmax lanes: same shape as {@link VectorConstants#SPECIES}, so the lane counts agree. */
    private static final VectorSpecies<Integer> ISPECIES = IntVector.SPECIES_PREFERRED;
    /** Strides up to this load a window column with a gather; larger ones stay scalar. */
    private static final int MAX_GATHER_STRIDE = 4;
    /** STRIDE_MAPS[s][l] = l·s: the gather offsets of LANES consecutive windows. */
    private static final int[][] STRIDE_MAPS = new int[MAX_GATHER_STRIDE + 1][LANES];

    static {
        for (int s = 0; s <= MAX_GATHER_STRIDE; s++) {
            for (int l = 0; l < LANES; l++) {
                STRIDE_MAPS[s][l] = l * s;
            }
        }
    }

    static void maxPoolForward(WindowGeometry g, float[] x, int xOff, float[] out, int outOff,
                               int[] argmax, int argmaxOff) {
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW(), fh = g.windowH(), fw = g.windowW();
        if (p == 0 && oh * ow >= LANES) {
            poolUnpadded(x, xOff, out, outOff, argmax, argmaxOff, g.channels(), h, w, s, oh, ow, fh, fw);
            return;
        }
        int o = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = c * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * s - p;
                int yStart = Math.max(y0, 0), yEnd = Math.min(y0 + fh, h);
                // Windows whose columns all lie inside the image: ox in [lo, hi). A vector of LANES
                // consecutive such ox runs branch-free (the scalar compare mispredicts on every
                // other cell of random data).
                int lo = Math.min(ow, (p + s - 1) / s);
                int hi = w + p - fw < 0 ? 0 : Math.min(ow, (w + p - fw) / s + 1);
                int ox = 0;
                o = scalarRange(x, xOff, out, outOff, argmax, argmaxOff, o, plane, w, s, p, fw,
                        yStart, yEnd, 0, Math.min(lo, ow));
                ox = Math.min(lo, ow);
                if (s <= MAX_GATHER_STRIDE && hi > ox) {
                    int[] map = STRIDE_MAPS[s];
                    IntVector laneOffsets = IntVector.fromArray(ISPECIES, map, 0);
                    for (; ox + LANES <= hi; ox += LANES, o += LANES) {
                        int col0 = ox * s - p;
                        // The first cell seeds best (as bestAt < 0 does in the scalar loop).
                        int first = plane + yStart * w + col0;
                        FloatVector best = load(x, xOff + first, s, map);
                        FloatVector bestAt = laneOffsets.add(first).reinterpretAsFloats();
                        // One flat loop over the window's remaining cells (see poolUnpadded).
                        for (int k = 1, cells = (yEnd - yStart) * fw; k < cells; k++) {
                            int at = first + (k / fw) * w + k % fw;
                            FloatVector v = load(x, xOff + at, s, map);
                            // v != v is the NaN test; VectorOperators.IS_NAN compiled slower on JDK 17.
                            VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                                    .or(v.compare(VectorOperators.NE, v).andNot(best.compare(VectorOperators.NE, best)));
                            best = best.blend(v, wins);
                            bestAt = bestAt.blend(laneOffsets.add(at).reinterpretAsFloats(), wins);
                        }
                        best.intoArray(out, outOff + o);
                        bestAt.reinterpretAsInts().intoArray(argmax, argmaxOff + o);
                    }
                }
                o = scalarRange(x, xOff, out, outOff, argmax, argmaxOff, o, plane, w, s, p, fw,
                        yStart, yEnd, ox, ow);
            }
        }
    }

    private static final ThreadLocal<int[][]> TOP_LEFT = ThreadLocal.withInitial(() -> new int[1][0]);

    /**
     * No padding, so every window lies inside the image. Vectors run over the flattened output
     * positions of a channel plane (the book's pool has rows of 12 outputs, shorter than a 512-bit
     * vector): lane l gathers its window cell from {@code topLeft[o + l] + fy·W + fx}. Cells are
     * visited in the scalar order and each step is the scalar comparison as a blend, branch-free;
     * the plane's last positions (fewer than LANES) run the scalar loop.
     *
     * <p>Measured on the book's pool (30 × 24 × 24, 2×2 stride 2, 100 images, thread CPU time on a
     * shared machine): scalar 11 ms, this 1.3–1.7 ms on JDK 17 and JDK 25, allocating nothing.
     */
    private static void poolUnpadded(float[] x, int xOff, float[] out, int outOff, int[] argmax,
                                     int argmaxOff, int channels, int h, int w, int s, int oh, int ow,
                                     int fh, int fw) {
        int positions = oh * ow;
        int[][] holder = TOP_LEFT.get();
        if (holder[0].length < positions) {
            holder[0] = new int[positions];
        }
        int[] topLeft = holder[0];
        for (int oy = 0, q = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, q++) {
                topLeft[q] = oy * s * w + ox * s;
            }
        }
        int bound = SPECIES.loopBound(positions);
        for (int c = 0; c < channels; c++) {
            int plane = c * h * w, o0 = c * positions;
            for (int q = 0; q < bound; q += LANES) {
                IntVector corner = IntVector.fromArray(ISPECIES, topLeft, q);
                FloatVector best = FloatVector.fromArray(SPECIES, x, xOff + plane, topLeft, q);
                // The argmax rides in a float vector as raw int bits, so the float mask blends it
                // directly: a mask cast to int lanes allocated on every step on JDK 17.
                FloatVector bestAt = corner.add(plane).reinterpretAsFloats();
                // One flat loop over the cells after the first: with nested fy/fx loops C2 on
                // JDK 17 boxed the vectors at the loop merges (768 bytes per step).
                for (int k = 1; k < fh * fw; k++) {
                    int cell = plane + (k / fw) * w + k % fw;
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + cell, topLeft, q);
                    // v != v is the NaN test; VectorOperators.IS_NAN compiled slower on JDK 17.
                    VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                            .or(v.compare(VectorOperators.NE, v).andNot(best.compare(VectorOperators.NE, best)));
                    best = best.blend(v, wins);
                    bestAt = bestAt.blend(corner.add(cell).reinterpretAsFloats(), wins);
                }
                best.intoArray(out, outOff + o0 + q);
                bestAt.reinterpretAsInts().intoArray(argmax, argmaxOff + o0 + q);
            }
            for (int q = bound; q < positions; q++) {
                int corner = plane + topLeft[q];
                float best = Float.NEGATIVE_INFINITY;
                int bestAt = -1;
                for (int fy = 0; fy < fh; fy++) {
                    for (int fx = 0; fx < fw; fx++) {
                        int at = corner + fy * w + fx;
                        float v = x[xOff + at];
                        if (bestAt < 0 || v > best || (v != v && best == best)) {
                            best = v;
                            bestAt = at;
                        }
                    }
                }
                out[outOff + o0 + q] = best;
                argmax[argmaxOff + o0 + q] = bestAt;
            }
        }
    }

    /** x[at + l·s] for every lane l: a plain load for stride 1, a gather otherwise. */
    private static FloatVector load(float[] x, int at, int s, int[] map) {
        return s == 1 ? FloatVector.fromArray(SPECIES, x, at) : FloatVector.fromArray(SPECIES, x, at, map, 0);
    }

    /** The scalar kernel's loop for output columns [from, to) of one output row; returns the next o. */
    private static int scalarRange(float[] x, int xOff, float[] out, int outOff, int[] argmax, int argmaxOff,
                                   int o, int plane, int w, int s, int p, int fw, int yStart, int yEnd,
                                   int from, int to) {
        for (int ox = from; ox < to; ox++, o++) {
            int x0 = ox * s - p;
            int xStart = Math.max(x0, 0), xEnd = Math.min(x0 + fw, w);
            float best = Float.NEGATIVE_INFINITY;
            int bestAt = -1;
            for (int iy = yStart; iy < yEnd; iy++) {
                int rowAt = plane + iy * w;
                for (int ix = xStart; ix < xEnd; ix++) {
                    int at = rowAt + ix;
                    float v = x[xOff + at];
                    if (bestAt < 0 || v > best || (v != v && best == best)) {
                        best = v;
                        bestAt = at;
                    }
                }
            }
            out[outOff + o] = best;
            argmax[argmaxOff + o] = bestAt;
        }
        return o;
    }
}
