package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SPECIES;

import io.github.vectorcnn.kernels.WindowGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
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

    static void maxPoolForward(WindowGeometry g, float[] x, int xOff, float[] out, int outOff,
                               int[] argmax, int argmaxOff) {
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW(), fh = g.windowH(), fw = g.windowW();
        if (p == 0 && s == 2 && fh == 2 && fw == 2
                && pool2x2Stride2(x, xOff, out, outOff, argmax, argmaxOff, g.channels(), h, w, oh, ow)) {
            return;
        }
        if (oh * ow < LANES || (p > 0 && (long) fh * fw * oh * ow > MAX_CELL_TABLE)) {
            // Fewer windows per plane than lanes, nothing to vectorize over; or a padded plane so
            // large that its cell table would not be worth keeping per thread.
            int o = 0;
            for (int c = 0; c < g.channels(); c++) {
                int plane = c * h * w;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = oy * s - p;
                    o = scalarRange(x, xOff, out, outOff, argmax, argmaxOff, o, plane, w, s, p, fw,
                            Math.max(y0, 0), Math.min(y0 + fh, h), 0, ow);
                }
            }
        } else if (p == 0) {
            poolUnpadded(x, xOff, out, outOff, argmax, argmaxOff, g.channels(), h, w, s, oh, ow, fh, fw);
        } else {
            poolPadded(g, x, xOff, out, outOff, argmax, argmaxOff);
        }
    }

    // ---- 2×2 windows, stride 2, no padding -------------------------------------------------------

    /**
     * Deinterleaving shuffles: lane l of the lower (LO) or upper (HI) half takes lane 2j + side of
     * one vector, j = l or l − LANES/2. Single-source rearranges and a blend with {@link #UPPER}:
     * JDK 17 compiled the two-vector {@code rearrange(s, v)} to slow code (4.5 ms instead of 0.66
     * on SimpleConvNet's pool), JDK 25 compiles both well.
     */
    private static final VectorShuffle<Float> LEFT_LO = halfShuffle(0, false);
    private static final VectorShuffle<Float> LEFT_HI = halfShuffle(0, true);
    private static final VectorShuffle<Float> RIGHT_LO = halfShuffle(1, false);
    private static final VectorShuffle<Float> RIGHT_HI = halfShuffle(1, true);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(SPECIES, (-1L << (LANES / 2)) & lanes(LANES));
    /**
     * 2^23 + 2l in lane l. Argmax offsets ride in float lanes biased by 2^23, where a float's raw
     * bits are 0x4B000000 + the integer for every integer below 2^23: the float compare mask
     * blends them directly and one integer subtract recovers them. Converting float to int or
     * casting the mask to int lanes compiled to slow or allocating code on JDK 17.
     */
    private static final FloatVector BIASED_OFFSETS = FloatVector.zero(SPECIES).addIndex(2).add(0x1p23f);
    private static final int BIAS_BITS = 0x4B000000;
    private static final int MAX_BIASED_OFFSET = 1 << 23;

    private static long lanes(int n) {
        return n == 64 ? -1L : (1L << n) - 1;
    }

    private static VectorShuffle<Float> halfShuffle(int side, boolean upper) {
        int[] index = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            int j = upper ? l - LANES / 2 : l;
            index[l] = j >= 0 && j < LANES / 2 ? 2 * j + side : 0; // 0: a lane the blend drops
        }
        return VectorShuffle.fromArray(SPECIES, index, 0);
    }

    /** The left or right cells of the LANES windows whose first cell is x[at], one per lane. */
    private static FloatVector cells(float[] x, int at, VectorShuffle<Float> lo, VectorShuffle<Float> hi) {
        return FloatVector.fromArray(SPECIES, x, at).rearrange(lo)
                .blend(FloatVector.fromArray(SPECIES, x, at + LANES).rearrange(hi), UPPER);
    }

    /**
     * The CNN pool (2×2 window, stride 2, no padding), the book's and most networks'. A vector is
     * LANES consecutive outputs of one output row: its two input rows are read as contiguous
     * vectors and deinterleaved into the left and right cells of each window, so there are no
     * gathers (the general path gathers four times per vector and ran at a tenth of arraycopy's
     * bandwidth). Cells are compared in the scalar order, (0,0), (0,1), (1,0), (1,1), with
     * {@code v > best}: the scalar rule when there is no NaN. NaN is not tested per cell (the
     * scalar rule's mask logic compiled slowly on JDK 17): a vector whose later cells hold a NaN
     * makes this return false, and the caller redoes the image on the general path.
     *
     * <p>Output rows shorter than LANES (12 in SimpleConvNet) are still one full vector: the
     * extra lanes read the rows that follow and write the next outputs, which are computed (and
     * overwritten) afterwards because vectors run in increasing order. A vector that would read
     * past this image's input or write past its output runs the scalar loop instead, so images on
     * different threads never touch each other's outputs.
     */
    private static boolean pool2x2Stride2(float[] x, int xOff, float[] out, int outOff, int[] argmax,
                                          int argmaxOff, int channels, int h, int w, int oh, int ow) {
        int inputEnd = channels * h * w, outputs = channels * oh * ow;
        if (inputEnd >= MAX_BIASED_OFFSET) {
            return false;
        }
        // Bands (output rows) whose last vector stays inside this image; the rest run scalar.
        int bands = channels * oh, lastOx = (ow - 1) / LANES * LANES, safe = bands;
        while (safe > 0 && !(rowStart(safe - 1, h, w, oh) + w + 2 * (lastOx + LANES) <= inputEnd
                && (safe - 1) * ow + lastOx + LANES <= outputs)) {
            safe--;
        }
        for (int band = 0; band < safe; band++) {
            int row0 = rowStart(band, h, w, oh), o = band * ow;
            for (int ox = 0; ox < ow; ox += LANES) {
                if (!pool2x2Stride2Vector(x, xOff, row0 + 2 * ox, w, out, outOff + o + ox, argmax,
                        argmaxOff + o + ox)) {
                    return false;
                }
            }
        }
        for (int band = safe; band < bands; band++) {
            int c = band / oh, y0 = 2 * (band - c * oh);
            scalarRange(x, xOff, out, outOff, argmax, argmaxOff, band * ow, c * h * w, w, 2, 0, 2,
                    y0, y0 + 2, 0, ow);
        }
        return true;
    }

    /** The first input row of output row {@code band} (channel band / OH, row band % OH). */
    private static int rowStart(int band, int h, int w, int oh) {
        int c = band / oh;
        return (c * h + 2 * (band - c * oh)) * w;
    }

    /**
     * LANES windows whose first cell is x[xOff + at], in the scalar order of cells; false (the
     * caller redoes the image) when a cell after the first is NaN, which {@code v > best} would
     * skip. A NaN first cell is already right: nothing is greater, so it stays, as in the scalar
     * loop.
     */
    private static boolean pool2x2Stride2Vector(float[] x, int xOff, int at, int w, float[] out, int o,
                                                int[] argmax, int a) {
        int i = xOff + at;
        FloatVector best = cells(x, i, LEFT_LO, LEFT_HI);
        FloatVector bestAt = BIASED_OFFSETS.add(at);
        FloatVector v = cells(x, i, RIGHT_LO, RIGHT_HI);
        FloatVector later = v;
        VectorMask<Float> wins = v.compare(VectorOperators.GT, best);
        best = best.blend(v, wins);
        bestAt = bestAt.blend(BIASED_OFFSETS.add(at + 1), wins);
        v = cells(x, i + w, LEFT_LO, LEFT_HI);
        later = later.add(v);
        wins = v.compare(VectorOperators.GT, best);
        best = best.blend(v, wins);
        bestAt = bestAt.blend(BIASED_OFFSETS.add(at + w), wins);
        v = cells(x, i + w, RIGHT_LO, RIGHT_HI);
        later = later.add(v);
        wins = v.compare(VectorOperators.GT, best);
        best = best.blend(v, wins);
        bestAt = bestAt.blend(BIASED_OFFSETS.add(at + w + 1), wins);
        // NaN in a later cell, or +∞ and −∞ (a false alarm that only costs the general path).
        if (later.compare(VectorOperators.NE, later).anyTrue()) {
            return false;
        }
        best.intoArray(out, o);
        bestAt.reinterpretAsInts().sub(BIAS_BITS).intoArray(argmax, a);
        return true;
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

    /** The last padded geometry this thread pooled, and its cell table (see {@link #poolPadded}). */
    private record CellTable(WindowGeometry geometry, int[] cells) {
    }

    private static final ThreadLocal<CellTable> CELL_TABLE = new ThreadLocal<>();
    /**
     * Cells in the largest table kept (4 MiB per thread): 3×3 windows over 116,508 output
     * positions (a 341×341 output), 224×224 at stride 1 with room to spare. Larger padded planes
     * take the scalar loop.
     */
    private static final int MAX_CELL_TABLE = 1 << 20;

    /**
     * With padding, each window's cells that fall outside the image differ from position to
     * position, so vectors run over the flattened output positions of a plane with a table:
     * {@code cells[k·OH·OW + q]} is the offset in the plane of window cell k (row-major) of output
     * position q, or, when that cell lies in the padding, the offset of the window's first real
     * cell. The scalar loop starts from that first real cell, and visiting it again can never win
     * (its value is not above the running max, and a NaN seed stays), so the result is the scalar
     * one bit for bit with no masks. The table depends on the plane's geometry only; it is kept
     * per thread for the last geometry (3×3 stride 2 pad 1 on 27×27: 1,764 ints).
     *
     * <p>Before this, only windows whose columns lay inside the image ran as vectors, and only
     * when a row held LANES of them: the 27×27 pool (rows of 14 windows) ran scalar.
     */
    private static void poolPadded(WindowGeometry g, float[] x, int xOff, float[] out, int outOff,
                                   int[] argmax, int argmaxOff) {
        final int h = g.height(), w = g.width(), positions = g.outH() * g.outW(), window = g.windowH() * g.windowW();
        int[] cells = cellTable(g);
        int bound = SPECIES.loopBound(positions);
        for (int c = 0; c < g.channels(); c++) {
            int plane = c * h * w, o0 = c * positions;
            for (int q = 0; q < bound; q += LANES) {
                FloatVector best = FloatVector.fromArray(SPECIES, x, xOff + plane, cells, q);
                FloatVector bestAt = IntVector.fromArray(ISPECIES, cells, q).add(plane).reinterpretAsFloats();
                for (int k = 1, at = positions + q; k < window; k++, at += positions) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + plane, cells, at);
                    VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                            .or(v.compare(VectorOperators.NE, v).andNot(best.compare(VectorOperators.NE, best)));
                    best = best.blend(v, wins);
                    bestAt = bestAt.blend(IntVector.fromArray(ISPECIES, cells, at).add(plane).reinterpretAsFloats(), wins);
                }
                best.intoArray(out, outOff + o0 + q);
                bestAt.reinterpretAsInts().intoArray(argmax, argmaxOff + o0 + q);
            }
            for (int q = bound; q < positions; q++) {
                // The same visit as the vector lanes; the scalar compare of the reference kernel.
                float best = x[xOff + plane + cells[q]];
                int bestAt = plane + cells[q];
                for (int k = 1; k < window; k++) {
                    int at = plane + cells[k * positions + q];
                    float v = x[xOff + at];
                    if (v > best || (v != v && best == best)) {
                        best = v;
                        bestAt = at;
                    }
                }
                out[outOff + o0 + q] = best;
                argmax[argmaxOff + o0 + q] = bestAt;
            }
        }
    }

    private static int[] cellTable(WindowGeometry g) {
        CellTable cached = CELL_TABLE.get();
        if (cached != null && cached.geometry().samePlane(g)) {
            return cached.cells();
        }
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW(), fh = g.windowH(), fw = g.windowW(), positions = oh * ow;
        int[] cells = new int[fh * fw * positions];
        for (int oy = 0, q = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, q++) {
                int y0 = oy * s - p, x0 = ox * s - p;
                int first = Math.max(y0, 0) * w + Math.max(x0, 0);
                for (int fy = 0, k = 0; fy < fh; fy++) {
                    for (int fx = 0; fx < fw; fx++, k++) {
                        int iy = y0 + fy, ix = x0 + fx;
                        boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                        cells[k * positions + q] = inside ? iy * w + ix : first;
                    }
                }
            }
        }
        CELL_TABLE.set(new CellTable(g, cells));
        return cells;
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
