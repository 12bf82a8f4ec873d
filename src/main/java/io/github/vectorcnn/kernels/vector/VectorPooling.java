package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.FLOAT_VECTOR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.INT_VECTOR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SPECIES;

import io.github.vectorcnn.kernels.WindowGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

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
        ForwardPath path = forwardPath(g);
        if (path == ForwardPath.TWO_BY_TWO_STRIDE_2) {
            if (pool2x2Stride2(x, xOff, out, outOff, argmax, argmaxOff, g.channels(), h, w, oh, ow)) {
                return;
            }
            path = generalPath(g); // a NaN in a later cell: the image again, on the general path
        }
        if (path == ForwardPath.SCALAR) {
            int o = 0;
            for (int c = 0; c < g.channels(); c++) {
                int plane = c * h * w;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = oy * s - p;
                    o = scalarRange(x, xOff, out, outOff, argmax, argmaxOff, o, plane, w, s, p, fw,
                            Math.max(y0, 0), Math.min(y0 + fh, h), 0, ow);
                }
            }
        } else if (path == ForwardPath.UNPADDED) {
            poolUnpadded(x, xOff, out, outOff, argmax, argmaxOff, g.channels(), h, w, s, oh, ow, fh, fw);
        } else {
            poolPadded(g, x, xOff, out, outOff, argmax, argmaxOff);
        }
    }

    /**
     * The loops maxPoolForward can run. Every one gives the scalar kernel's bits, so the
     * differential tests cannot tell which ran; VectorKernelsTest holds the choice to the
     * geometries each is for.
     */
    enum ForwardPath {
        /** The CNN pool, 2 × 2 windows, stride 2, no padding: {@link #pool2x2Stride2}. */
        TWO_BY_TWO_STRIDE_2,
        /**
         * Fewer windows per plane than lanes, nothing to vectorize over; a padded plane so large
         * that its cell table would not be worth keeping per thread; or no compiled gathers
         * ({@link VectorConstants#GATHERS}): the scalar loop.
         */
        SCALAR,
        /** Any other window without padding: {@link #poolUnpadded}. */
        UNPADDED,
        /** Any other window with padding: {@link #poolPadded}. */
        PADDED
    }

    static ForwardPath forwardPath(WindowGeometry g) {
        if (g.pad() == 0 && g.stride() == 2 && g.windowH() == 2 && g.windowW() == 2
                && (long) g.channels() * g.height() * g.width() < MAX_BIASED_OFFSET) {
            return ForwardPath.TWO_BY_TWO_STRIDE_2;
        }
        return generalPath(g);
    }

    /** The path for g other than {@link ForwardPath#TWO_BY_TWO_STRIDE_2}. */
    private static ForwardPath generalPath(WindowGeometry g) {
        int windows = g.outH() * g.outW();
        if (!VectorConstants.GATHERS || windows < LANES
                || (g.pad() > 0 && (long) g.windowH() * g.windowW() * windows > MAX_CELL_TABLE)) {
            return ForwardPath.SCALAR;
        }
        return g.pad() == 0 ? ForwardPath.UNPADDED : ForwardPath.PADDED;
    }

    // ---- 2×2 windows, stride 2, no padding -------------------------------------------------------

    /**
     * 2^23 + l in lane l. Argmax offsets ride in float lanes biased by 2^23, where a float's raw
     * bits are 0x4B000000 + the integer for every integer below 2^23: the float compare mask
     * blends them directly and one integer subtract recovers them. Converting float to int or
     * casting the mask to int lanes compiled to slow or allocating code on JDK 17.
     */
    private static final FloatVector BIASED_LANES = FloatVector.zero(SPECIES).addIndex(1).add(0x1p23f);
    private static final int BIAS_BITS = 0x4B000000;
    private static final int MAX_BIASED_OFFSET = 1 << 23;
    /** Half a vector of int lanes: the even float lanes of a vector, narrowed. */
    private static final VectorSpecies<Integer> HALF_INTS =
            ISPECIES.withShape(VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));
    /** Half a vector of float lanes: a unit's outputs, stored by the forward and read (dout) by the backward. */
    private static final VectorSpecies<Float> HALF_FLOATS = SPECIES.withShape(HALF_INTS.vectorShape());

    /**
     * The CNN pool (2×2 window, stride 2, no padding), the book's and most networks'. A unit is
     * LANES/2 consecutive outputs of one output row, from LANES columns of its two input rows.
     * Each row is read once as a vector, in which lane 2j holds window j's left cell and lane 2j + 1
     * its right cell; the vector seen as longs and shifted right by 32 bits holds the right cell
     * in lane 2j (lane order is little-endian, as the Vector API defines reinterpretation). The
     * windows are compared in the even lanes (the odd lanes compare a cell with zero and are
     * dropped), and narrowing the lanes as longs to ints keeps the even ones. No shuffles: on JDK
     * 17 every rearrange also checked its indexes inside the loop, and the deinterleaving kernel
     * this replaces spent about 60 cycles per 16 outputs.
     *
     * <p>Cells are compared as the scalar loop does, first of equals wins: the better of the top
     * pair ({@code right > left}), the better of the bottom pair, and the bottom one only if
     * strictly greater, which is the first maximum in the order (0,0), (0,1), (1,0), (1,1) when
     * there is no NaN. A NaN first cell stays, as in the scalar loop. A NaN in a later cell is not
     * tested per unit: the later cells are summed into a probe, and an image whose probe ends NaN
     * (a NaN, or +∞ beside −∞, a false alarm that only costs time) returns false for the caller to
     * redo on the general path.
     *
     * <p>A row's last unit starts at OW − LANES/2, overlapping the one before when LANES/2 does not
     * divide OW (12 outputs: units at 0 and 4), so no unit writes outside its row. A row shorter
     * than a unit (7 outputs) has one unit, which spills into the rows after it; they are written
     * again when they run, and the image's last rows, whose unit would spill past its outputs, run
     * the scalar loop: images on different threads never touch each other's outputs. Loads reach
     * input column 2·OW − 1 of the lower row, or LANES − 1 for short rows (past the row's end, but
     * never past the image's).
     *
     * <p>The right cells were first read by a second load one column on (four loads per unit, two
     * of them across a cache line). The shift instead, both kernels interleaved in one JVM (best
     * of 20 passes, median of 3 JVMs): the book's pool 248 → 216 µs on JDK 25 and 413 → 383 on JDK
     * 17, 8 images of 64 × 56 × 56 203 → 184 and 299 → 296, 32 images of 64 × 14 × 14 43.5 → 39.3
     * and 78.8 → 75.4.
     *
     * <p>Measured against the deinterleaving kernel (median of 3 JVMs, best of 25 passes, one
     * thread): the book's pool (100 images of 30 × 24 × 24) 0.64 → 0.50 ms on JDK 17, 0.42 → 0.30
     * on JDK 25; 8 images of 64 × 56 × 56 0.43 → 0.39 and 0.26 → 0.24; rows of 7 outputs (32
     * images of 64 × 14 × 14, which took the gathering general path) 0.40 → 0.09 and 0.19 → 0.06.
     */
    private static boolean pool2x2Stride2(float[] x, int xOff, float[] out, int outOff, int[] argmax,
                                          int argmaxOff, int channels, int h, int w, int oh, int ow) {
        assert (long) channels * h * w < MAX_BIASED_OFFSET : "argmax offsets of " + channels * h * w + " cells";
        final int half = LANES / 2;
        final int lastUnit = Math.max(0, ow - half), unitsPerRow = (ow + half - 1) / half, rows = channels * oh;
        // Rows shorter than a unit spill into the next rows' outputs, written again when those rows
        // run: the image's last rows, whose units would spill past its outputs, run the scalar
        // loop. That also keeps the loads inside the image: the last vector row's pair starts at
        // least 2·W·⌈(LANES/2)/OW⌉ ≥ 2·LANES floats before the image ends (W ≥ 2·OW), and its loads
        // end W + LANES < 2·LANES floats after that start (W ≤ 2·OW + 1 < LANES). Rows of LANES/2
        // outputs or more read only their own pairs.
        int vectorRows = ow < half ? Math.max(0, rows - (half + ow - 1) / ow + 1) : rows;
        FloatVector probe = FloatVector.zero(SPECIES);
        // One flat loop over the units of the rows: a vector carried through nested loops was boxed
        // at their merges on JDK 17 (the probe: 6.9 MB per batch of 100 images).
        int units = vectorRows * unitsPerRow;
        for (int q = 0, k = 0, oy = 0, at = 0, o = 0; q < units; q++) {
            int u = Math.min(k, lastUnit), cell = at + 2 * u, i = xOff + cell;
            FloatVector left = FloatVector.fromArray(SPECIES, x, i);
            FloatVector lowLeft = FloatVector.fromArray(SPECIES, x, i + w);
            FloatVector right = left.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).reinterpretAsFloats();
            FloatVector lowRight = lowLeft.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).reinterpretAsFloats();
            // The later cells, (0,1), (1,0), (1,1), are right's even lanes (its odd ones are zero)
            // and all of lowLeft's. probe is carried round the loop, so C2 does not know its class
            // there; the cast keeps add from binding through FloatVector's shared profile, which an
            // application's own vectors of other sizes make megamorphic, and boxing probe on every
            // unit (JDK 17: 127 KB per image of SimpleConvNet's pool, PollutedProfilesProbe).
            probe = ((FloatVector) FLOAT_VECTOR.cast(probe)).add(right.add(lowLeft));
            FloatVector first = BIASED_LANES.add(cell);
            VectorMask<Float> rightWins = right.compare(VectorOperators.GT, left);
            FloatVector top = left.blend(right, rightWins);
            FloatVector topAt = first.blend(first.add(1), rightWins);
            VectorMask<Float> lowRightWins = lowRight.compare(VectorOperators.GT, lowLeft);
            FloatVector low = lowLeft.blend(lowRight, lowRightWins);
            FloatVector lowAt = first.add(w).blend(first.add(w + 1), lowRightWins);
            VectorMask<Float> lowWins = low.compare(VectorOperators.GT, top);
            evenFloats(top.blend(low, lowWins)).intoArray(out, outOff + o + u);
            evenLanes(topAt.blend(lowAt, lowWins)).sub(HALF_BIAS).intoArray(argmax, argmaxOff + o + u);
            k += half;
            if (k >= ow) {
                k = 0;
                o += ow;
                at += 2 * w;
                if (++oy == oh) {
                    oy = 0;
                    at += (h - 2 * oh) * w; // an odd H leaves a last row no window reads
                }
            }
        }
        for (int row = vectorRows; row < rows; row++) {
            int c = row / oh, y0 = 2 * (row - c * oh);
            scalarRange(x, xOff, out, outOff, argmax, argmaxOff, row * ow, c * h * w, w, 2, 0, 2, y0, y0 + 2, 0, ow);
        }
        return !probe.compare(VectorOperators.NE, probe).anyTrue();
    }

    /**
     * Lanes 0, 2, 4, … of v as the int lanes of half a vector. The casts here and in
     * {@link #evenFloats} to the half vector's class (a constant) give C2 the exact type of what
     * is stored. Without them, in SimpleConvNet's training step on JDK 17, the store of the half
     * float vector was compiled from FloatVector.intoArray's profile, which had seen both the 256-
     * and the 512-bit class; the intrinsic needs the class as a constant, so every unit's values
     * were boxed: 4.6 MB per two-thread step in 10 JVMs of 10; with the casts 2.5 KB in 12 of 12,
     * as before this kernel read each row once.
     */
    private static IntVector evenLanes(FloatVector v) {
        return (IntVector) HALF_INT_VECTOR.cast(v.reinterpretAsLongs().convertShape(VectorOperators.L2I, HALF_INTS, 0));
    }

    /** Lanes 0, 2, 4, … of v as half a float vector (see {@link #evenLanes} for the cast). */
    private static FloatVector evenFloats(FloatVector v) {
        return (FloatVector) HALF_FLOAT_VECTOR.cast(evenLanes(v).reinterpretAsFloats());
    }

    private static final Class<? extends Vector<Integer>> HALF_INT_VECTOR = HALF_INTS.vectorType();
    /**
     * The bias as a half vector, subtracted as a vector: {@code sub(int)} would go through
     * {@code IntVector.lanewise(op, int)}, whose type profile every caller shares, among them the
     * gathers of the general paths below, which on JDK 17 add the offset to an index vector whose
     * class C2 does not know. Once this kernel's half vectors were in that profile, the general
     * paths boxed their vectors: 16 MB per call of 20 planes of 128 × 128 (TypeProfileProbe).
     */
    private static final IntVector HALF_BIAS = IntVector.broadcast(HALF_INTS, BIAS_BITS);
    private static final Class<? extends Vector<Float>> HALF_FLOAT_VECTOR = HALF_FLOATS.vectorType();

    // ---- 2×2 windows, stride 2, no padding: backward, written ------------------------------------

    /** Lane l holds l: the input columns of a unit's first row, relative to its first cell. */
    private static final IntVector LANE_COLUMNS = IntVector.zero(ISPECIES).addIndex(1);
    /** Lanes 1, 3, 5, …: the upper int of each long. */
    private static final VectorMask<Integer> ODD_LANES = LANE_COLUMNS.and(1).compare(VectorOperators.NE, 0);
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

    /**
     * {@link io.github.vectorcnn.kernels.Kernels#maxPoolBackwardSet} for the CNN pool (2×2 window,
     * stride 2, no padding) when a row holds at least LANES/2 outputs; false for the caller to zero
     * dx and scatter otherwise. dout, argmax: [C, OH, OW]; dx: [C, H, W], every cell written.
     *
     * <p>A unit is the forward's: LANES/2 outputs of one row and the LANES columns of its two input
     * rows. Their dout and argmax values are each doubled into a whole vector (lanes 2j and 2j + 1
     * hold output j, the window whose cells those two lanes are); a lane of the upper row gets dout
     * where the doubled argmax equals the lane's own cell and +0 elsewhere, the lower row the same
     * one row on, and both rows are stored. The windows do not overlap, so no zeroing pass is
     * needed, where the general path zeroes the image and then adds each dout at its argmax: each
     * cell is stored once, except those under a row's last unit, which overlaps the one before as
     * in the forward and stores the same values again. A winner holds 0 + dout, which is what the
     * general path computes (−0 becomes +0, a NaN stays NaN), so the bits are the same. An odd W or
     * H leaves a last column or row that no window reads, zeroed here. The argmax values are
     * trusted, as {@code maxPoolBackward} trusts them: one outside its window is dropped here
     * (there it would be added where it points).
     *
     * <p>Zen 3, against {@code Arrays.fill} and the scalar scatter, calls alternated in one JVM
     * (the median of 45 rounds' time ratios, in each of two JVMs): 100 images of 30 × 24 × 24
     * (SimpleConvNet's pool) 1.63–1.69× on JDK 17 (500–505 µs against 824–867) and 1.71–1.80× on
     * JDK 25; 8 images of 64 × 56 × 56 1.25–1.29× and 1.85–1.93×. JMH (MaxPoolBenchmark.backward,
     * the layer, both builds run one after the other): 1.11 ms → 617 µs and 793 → 491 µs on JDK
     * 17, 1.02 ms → 730 µs and 882 → 408 µs on JDK 25.
     */
    static boolean maxPoolBackwardSet(WindowGeometry g, float[] dout, int doutOff, int[] argmax, int argmaxOff,
                                      float[] dx, int dxOff) {
        final int half = LANES / 2, h = g.height(), w = g.width(), oh = g.outH(), ow = g.outW();
        if (g.pad() != 0 || g.stride() != 2 || g.windowH() != 2 || g.windowW() != 2 || ow < half) {
            return false;
        }
        final int lastUnit = ow - half;
        for (int c = 0, o = 0; c < g.channels(); c++) {
            int plane = c * h * w;
            for (int oy = 0; oy < oh; oy++, o += ow) {
                int top = plane + 2 * oy * w; // the row pair's first cell within the image
                for (int k = 0; k < ow; k += half) {
                    int u = Math.min(k, lastUnit), cell = top + 2 * u;
                    IntVector winner = doubled(IntVector.fromArray(HALF_INTS, argmax, argmaxOff + o + u));
                    IntVector d = doubled(FloatVector.fromArray(HALF_FLOATS, dout, doutOff + o + u).reinterpretAsInts());
                    d = FloatVector.zero(SPECIES).add(d.reinterpretAsFloats()).reinterpretAsInts();
                    // The cells as a broadcast vector: add(int) would share IntVector.lanewise(op,
                    // int)'s type profile with the gathers (see HALF_BIAS).
                    IntVector cells = LANE_COLUMNS.add(IntVector.broadcast(ISPECIES, cell));
                    // This vector and the zero ones are made here, where they are used: made
                    // before the loops and carried through them, two were boxed per call on JDK
                    // 17 (96 bytes). C2 still hoists them.
                    IntVector below = cells.add(IntVector.broadcast(ISPECIES, w)), none = IntVector.zero(ISPECIES);
                    FloatVector upper = none.blend(d, winner.compare(VectorOperators.EQ, cells)).reinterpretAsFloats();
                    FloatVector lower = none.blend(d, winner.compare(VectorOperators.EQ, below)).reinterpretAsFloats();
                    ((FloatVector) FLOAT_VECTOR.cast(upper)).intoArray(dx, dxOff + cell);
                    ((FloatVector) FLOAT_VECTOR.cast(lower)).intoArray(dx, dxOff + cell + w);
                }
                if (2 * ow < w) {
                    dx[dxOff + top + 2 * ow] = 0f;
                    dx[dxOff + top + w + 2 * ow] = 0f;
                }
            }
            if (2 * oh < h) {
                Arrays.fill(dx, dxOff + plane + 2 * oh * w, dxOff + plane + h * w, 0f);
            }
        }
        return true;
    }

    /**
     * Lanes 2j and 2j + 1 both hold lane j of half: each int widened to a long (lane 2j, by
     * little-endian reinterpretation) and shifted into its upper half (lane 2j + 1). No shuffle:
     * see {@link #pool2x2Stride2} for what rearranges cost on JDK 17.
     */
    private static IntVector doubled(IntVector half) {
        LongVector wide = (LongVector) half.convertShape(VectorOperators.I2L, LONGS, 0);
        IntVector upper = wide.lanewise(VectorOperators.LSHL, 32).reinterpretAsInts();
        return (IntVector) INT_VECTOR.cast(wide.reinterpretAsInts().blend(upper, ODD_LANES));
    }

    private static final ThreadLocal<int[][]> TOP_LEFT = ThreadLocal.withInitial(() -> new int[1][0]);

    /**
     * No padding, so every window lies inside the image: the windows other than 2×2 stride 2, and
     * the images that {@link #pool2x2Stride2} hands back for a NaN. Vectors run over the flattened
     * output positions of a channel plane (rows may be shorter than a vector): lane l gathers its
     * window cell from {@code topLeft[o + l] + fy·W + fx}. Cells are visited in the scalar order
     * and each step is the scalar comparison as a blend, branch-free; the plane's last positions
     * (fewer than LANES) run the scalar loop.
     *
     * <p>Measured on the book's pool when it still ran here (30 × 24 × 24, 2×2 stride 2, 100
     * images, thread CPU time on a shared machine): scalar 11 ms, this 1.3–1.7 ms on JDK 17 and
     * JDK 25, allocating nothing.
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
                ((FloatVector) FLOAT_VECTOR.cast(best)).intoArray(out, outOff + o0 + q);
                ((IntVector) INT_VECTOR.cast(bestAt.reinterpretAsInts())).intoArray(argmax, argmaxOff + o0 + q);
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
                ((FloatVector) FLOAT_VECTOR.cast(best)).intoArray(out, outOff + o0 + q);
                ((IntVector) INT_VECTOR.cast(bestAt.reinterpretAsInts())).intoArray(argmax, argmaxOff + o0 + q);
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
