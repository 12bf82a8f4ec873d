package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.kernels.WindowGeometry;

/**
 * Max pooling forward with argmax, bit for bit the scalar kernel's result: the same window cells in
 * the same row-major order, the same comparison ({@code v > best}, first of equals wins; NaN wins
 * and stays). x: [C, H, W]; out, argmax: [C, OH, OW].
 */
final class VectorPooling {
    private VectorPooling() {
    }

    static void maxPoolForward(WindowGeometry g, float[] x, int xOff, float[] out, int outOff,
                               int[] argmax, int argmaxOff) {
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW(), fh = g.windowH(), fw = g.windowW();
        int o = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = c * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * s - p;
                int yStart = Math.max(y0, 0), yEnd = Math.min(y0 + fh, h);
                if (fh == 2 && fw == 2 && s == 2 && p == 0 && yEnd - yStart == 2) {
                    // The 2×2 stride-2 pool of the book's network, unrolled: four cells in
                    // row-major order, each compared exactly as in the general loop below.
                    int r0 = plane + y0 * w, r1 = r0 + w;
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int at = r0 + 2 * ox;
                        float best = x[xOff + at];
                        int bestAt = at;
                        float v = x[xOff + at + 1];
                        if (v > best || (v != v && best == best)) {
                            best = v;
                            bestAt = at + 1;
                        }
                        at = r1 + 2 * ox;
                        v = x[xOff + at];
                        if (v > best || (v != v && best == best)) {
                            best = v;
                            bestAt = at;
                        }
                        v = x[xOff + at + 1];
                        if (v > best || (v != v && best == best)) {
                            best = v;
                            bestAt = at + 1;
                        }
                        out[outOff + o] = best;
                        argmax[argmaxOff + o] = bestAt;
                    }
                    continue;
                }
                for (int ox = 0; ox < ow; ox++, o++) {
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
            }
        }
    }
}
