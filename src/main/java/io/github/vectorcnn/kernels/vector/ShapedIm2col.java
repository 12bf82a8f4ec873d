package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;

import io.github.vectorcnn.kernels.WindowGeometry;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;

/**
 * im2col with stride 1 over rows of whole vectors (OW a multiple of LANES: SimpleConvNet's OW = 24
 * at 8 lanes), compiled per geometry: a template, of which {@link ShapedKernels} defines one hidden
 * copy per geometry, each with its own geometry as class data, so that every size below is a
 * constant to C2. x: [C, H, W]; col: [C·FH·FW, OH·OW].
 *
 * <p>Each (c, fy, fx) block whose columns all lie inside the image is copied row by row, each row
 * as straight-line vector code (four vectors per loop step, then the last one to three); blocks
 * with padding columns take {@link VectorKernels#im2colBlock}. With W and OW constant the row
 * offsets are the row index times a constant, and C2 moves bounds checks out of the loop over rows
 * (range check elimination needs a constant scale): for SimpleConvNet's rows of three vectors, the
 * JDK 17 disassembly keeps a check on two of a row's stores and none on its loads, where the same
 * loop with the sizes as parameters ({@link VectorKernels#im2colWholeVectorRows}, which runs
 * geometries without a copy; change the two together) checked all six accesses. SimpleConvNet's
 * im2col, 100 images of 1 × 28 × 28, 5 × 5, one call per image, on Zen 3: this build and the one
 * before alternated in one JVM through two class loaders (median of 60 passes) 1.21× on JDK 17,
 * 1.44× on JDK 25; JMH, four runs of each build alternated, 239 and 251 → 215 and 227 µs on JDK 17
 * (1.10–1.12×), 258 and 257 → 175 and 188 µs on JDK 25 (1.37–1.47×). 8 images of 64 × 56 × 56, 3 ×
 * 3 pad 1 (OW = 56, seven vectors a row), 1.00–1.04× in the A/B.
 */
final class ShapedIm2col {
    /** This copy's geometry; in the template itself (never called) a placeholder. */
    private static final WindowGeometry G = geometry();
    private static final int H = G.height(), W = G.width(), P = G.pad();
    private static final int C = G.channels(), FH = G.windowH(), FW = G.windowW();
    private static final int OH = G.outH(), OW = G.outW();

    private static WindowGeometry geometry() {
        WindowGeometry g = ShapedKernels.classData(MethodHandles.lookup(), WindowGeometry.class);
        return g != null ? g : new WindowGeometry(1, 1, LANES, 1, 1, 1, 0);
    }

    private ShapedIm2col() {
    }

    static void im2col(float[] x, int xOff, float[] col, int colOff) {
        int row = colOff;
        for (int c = 0; c < C; c++) {
            for (int fy = 0; fy < FH; fy++) {
                // Output rows oyLo ≤ oy < oyHi read input rows inside the image; the rest are zero.
                int oyLo = Math.min(OH, Math.max(0, P - fy)), oyHi = Math.max(oyLo, Math.min(OH, H + P - fy));
                for (int fx = 0; fx < FW; fx++, row += OH * OW) {
                    if (fx < P || fx - P + OW > W) {
                        VectorKernels.im2colBlock(G, x, xOff, c, fy, fx, col, row);
                        continue;
                    }
                    if (oyLo > 0) {
                        Arrays.fill(col, row, row + oyLo * OW, 0f);
                    }
                    if (oyHi < OH) {
                        Arrays.fill(col, row + oyHi * OW, row + OH * OW, 0f);
                    }
                    // Offsets as oy times a constant: C2 eliminates range checks only for an index
                    // linear in the loop's counter, not for one stepped alongside it.
                    int src = xOff + (c * H - P + fy) * W + fx - P;
                    for (int oy = oyLo; oy < oyHi; oy++) {
                        VectorKernels.copyWholeVectorRow(OW, x, src + oy * W, col, row + oy * OW);
                    }
                }
            }
        }
    }
}
