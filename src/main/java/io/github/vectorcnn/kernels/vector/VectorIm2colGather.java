package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.FLOAT_VECTOR;
import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SPECIES;

import io.github.vectorcnn.kernels.WindowGeometry;
import jdk.incubator.vector.FloatVector;

/**
 * im2col for strides above 1, where a window cell's values for consecutive output columns are S
 * floats apart and rows of col are short (a 27×27 input, 5×5 stride 2 pad 2, has rows of 14
 * outputs). x: [C, H, W]; col: [C·FH·FW, OH·OW], as in {@link VectorKernels}. It only moves
 * values, so it gives the scalar kernel's bits.
 *
 * <p>Vectors run over the flattened output positions q = oy·OW + ox of one (c, fy, fx) row of
 * col: lane l gathers cell (fy, fx) of window q + l from {@code corner[q + l] + fy·W' + fx}, where
 * corner[q] = oy·S·W' + ox·S is the window's top-left in a plane of row length W'. With padding
 * the plane is a per-thread copy of the channel with P zeros on each side (W' = W + 2P), so no
 * lane needs a bounds test and padding cells read zero; without it the plane is x itself.
 *
 * <p>Measured (one thread, 32 images, median of 3 JVMs): 3×27×27, 5×5 stride 2 pad 2 went from
 * 322 to 196 µs on JDK 17 and 354 to 169 on JDK 25 (the scalar kernel: 378); 16×28×28, 3×3
 * stride 2 from 488 to 312 and 483 to 281. col2im done the same way (gather, add, scatter) was
 * slower on the padded shape on JDK 17 (288 → 322 µs) and at most 1.2× faster elsewhere, so
 * col2im keeps its strided loop.
 */
final class VectorIm2colGather {
    private VectorIm2colGather() {
    }

    /**
     * Whether this path applies: gathers compile here ({@link VectorConstants#GATHERS}), strided,
     * at least a vector of output positions per plane, and a padded channel of at most
     * {@link VectorConstants#MAX_PADDED_GROWTH} times the channel (or 64 K values), since the copy
     * is kept per thread.
     */
    static boolean applies(WindowGeometry g) {
        long padded = (long) (g.height() + 2 * g.pad()) * (g.width() + 2 * g.pad());
        long plane = (long) g.height() * g.width();
        return VectorConstants.GATHERS && g.stride() > 1 && g.outH() * g.outW() >= LANES
                && padded <= Math.max(VectorConstants.MAX_PADDED_GROWTH * plane, 1 << 16);
    }


    /**
     * Per-thread state for the last geometry: the window corners (positions, in the padded plane's
     * row length) and the padded plane. Kept per thread because the layers run images on
     * several threads at once; rebuilt when the geometry changes.
     */
    private static final class Plan {
        final WindowGeometry geometry;
        final int rowLength;
        final int[] corner;
        /** A copy of one channel with a zero border: only the interior is ever written. */
        final float[] padded;

        Plan(WindowGeometry g) {
            geometry = g;
            final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad(), oh = g.outH(), ow = g.outW();
            rowLength = w + 2 * p;
            corner = new int[oh * ow];
            for (int oy = 0, q = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, q++) {
                    corner[q] = oy * s * rowLength + ox * s;
                }
            }
            padded = p == 0 ? null : new float[(h + 2 * p) * rowLength];
        }
    }

    private static final ThreadLocal<Plan> PLAN = new ThreadLocal<>();

    private static Plan plan(WindowGeometry g) {
        Plan plan = PLAN.get();
        if (plan == null || !plan.geometry.samePlane(g)) {
            plan = new Plan(g);
            PLAN.set(plan);
        }
        return plan;
    }

    static void im2col(WindowGeometry g, float[] x, int xOff, float[] col, int colOff) {
        Plan plan = plan(g);
        final int h = g.height(), w = g.width(), p = g.pad(), positions = plan.corner.length;
        final int[] corner = plan.corner;
        final int bound = SPECIES.loopBound(positions);
        int row = colOff;
        for (int c = 0; c < g.channels(); c++) {
            float[] src;
            int base;
            if (p == 0) {
                src = x;
                base = xOff + c * h * w;
            } else {
                src = plan.padded;
                base = 0;
                for (int iy = 0; iy < h; iy++) {
                    System.arraycopy(x, xOff + (c * h + iy) * w, src, (iy + p) * plan.rowLength + p, w);
                }
            }
            for (int fy = 0; fy < g.windowH(); fy++) {
                for (int fx = 0; fx < g.windowW(); fx++, row += positions) {
                    int cell = base + fy * plan.rowLength + fx;
                    for (int q = 0; q < bound; q += LANES) {
                        ((FloatVector) FLOAT_VECTOR.cast(FloatVector.fromArray(SPECIES, src, cell, corner, q)))
                                .intoArray(col, row + q);
                    }
                    for (int q = bound; q < positions; q++) {
                        col[row + q] = src[cell + corner[q]];
                    }
                }
            }
        }
    }
}
