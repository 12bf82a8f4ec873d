package io.github.vectorcnn.kernels;

/**
 * Plain-loop kernels: the reference every faster implementation is tested against, and the
 * fallback when the Vector API is not available. Written for clarity first; loop orders are the
 * cache-friendly ones where that costs nothing to read.
 */
public class ScalarKernels implements Kernels {

    public static final ScalarKernels INSTANCE = new ScalarKernels();

    protected ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    // ---- im2col / col2im -------------------------------------------------------------------
    // x: [C, H, W] at xOff; col: [C·FH·FW, OH·OW] at colOff (see Kernels#im2col).

    @Override
    public void im2col(WindowGeometry g, float[] x, int xOff, float[] col, int colOff) {
        KernelChecks.im2col("im2col", g, "x", x, xOff, col, colOff);
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW();
        int row = colOff;
        for (int c = 0; c < g.channels(); c++) {
            for (int fy = 0; fy < g.windowH(); fy++) {
                for (int fx = 0; fx < g.windowW(); fx++) {
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s - p + fy;
                        int dst = row + oy * ow;
                        if (iy < 0 || iy >= h) {
                            for (int ox = 0; ox < ow; ox++) {
                                col[dst + ox] = 0f;
                            }
                            continue;
                        }
                        int src = xOff + (c * h + iy) * w;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * s - p + fx;
                            col[dst + ox] = (ix >= 0 && ix < w) ? x[src + ix] : 0f;
                        }
                    }
                    row += oh * ow;
                }
            }
        }
    }

    @Override
    public void col2im(WindowGeometry g, float[] col, int colOff, float[] dx, int dxOff) {
        KernelChecks.im2col("col2im", g, "dx", dx, dxOff, col, colOff);
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW();
        int row = colOff;
        for (int c = 0; c < g.channels(); c++) {
            for (int fy = 0; fy < g.windowH(); fy++) {
                for (int fx = 0; fx < g.windowW(); fx++) {
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s - p + fy;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int src = row + oy * ow;
                        int dst = dxOff + (c * h + iy) * w;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * s - p + fx;
                            if (ix >= 0 && ix < w) {
                                dx[dst + ix] += col[src + ox];
                            }
                        }
                    }
                    row += oh * ow;
                }
            }
        }
    }

    // ---- GEMM ---------------------------------------------------------------------------------
    // A naive triple loop in i-p-j order (row of C updated by a row of op(B)) for the common
    // non-transposed-B case, so even the reference is not pathologically slow in tests.

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        GemmChecks.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = 0f;
                }
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
        if (alpha == 0f || k == 0) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!transB) {
                for (int p = 0; p < k; p++) {
                    float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float sum = 0f;
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        sum += aip * b[bj + p];
                    }
                    c[ci + j] += alpha * sum;
                }
            }
        }
    }

    // ---- max pooling ----------------------------------------------------------------------------
    // x: [C, H, W]; out, argmax: [C, OH, OW]; argmax holds the winner's offset within the image.

    @Override
    public void maxPoolForward(WindowGeometry g, float[] x, int xOff, float[] out, int outOff,
                               int[] argmax, int argmaxOff) {
        KernelChecks.maxPoolForward(g, x, xOff, out, outOff, argmax, argmaxOff);
        g.requireInputInEveryWindow("maxPoolForward");
        final int h = g.height(), w = g.width(), s = g.stride(), p = g.pad();
        final int oh = g.outH(), ow = g.outW();
        int o = 0;
        for (int c = 0; c < g.channels(); c++) {
            int plane = c * h * w;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * s - p;
                int yStart = Math.max(y0, 0), yEnd = Math.min(y0 + g.windowH(), h);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * s - p;
                    int xStart = Math.max(x0, 0), xEnd = Math.min(x0 + g.windowW(), w);
                    float best = Float.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    for (int iy = yStart; iy < yEnd; iy++) {
                        for (int ix = xStart; ix < xEnd; ix++) {
                            int at = plane + iy * w + ix;
                            float v = x[xOff + at];
                            // '>' keeps the first of equal values; the NaN test makes NaN win and stay.
                            if (bestAt < 0 || v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                                best = v;
                                bestAt = at;
                            }
                        }
                    }
                    out[outOff + o] = best;
                    argmax[argmaxOff + o] = bestAt;
                    o++;
                }
            }
        }
    }

    @Override
    public void maxPoolBackward(WindowGeometry g, float[] dout, int doutOff, int[] argmax,
                                int argmaxOff, float[] dx, int dxOff) {
        KernelChecks.maxPoolBackward("maxPoolBackward", g, dout, doutOff, argmax, argmaxOff, dx, dxOff);
        // The argmax values themselves are trusted (maxPoolForward's, for this geometry): a test of
        // each inside this scatter made it 25% slower (277 → 352 µs on SimpleConvNet's pool, JDK
        // 17), and a vector pass before it 10% on JDK 17 and 40% on JDK 25. An index outside the
        // array still throws; one inside it but outside the image is the caller's error.
        int n = g.channels() * g.outputPositions();
        for (int i = 0; i < n; i++) {
            dx[dxOff + argmax[argmaxOff + i]] += dout[doutOff + i];
        }
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void reluForward(int n, float[] x, int xOff, float[] out, int outOff) {
        KernelChecks.elementwise("reluForward", n, x, "x", xOff, out, "out", outOff);
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v > 0f ? v : 0f;
        }
    }

    @Override
    public void reluBackward(int n, float[] x, int xOff, float[] dout, int doutOff, float[] dx,
                             int dxOff) {
        KernelChecks.elementwise("reluBackward", n, x, "x", xOff, dout, "dout", doutOff);
        KernelChecks.elementwise("reluBackward", n, dx, "dx", dxOff, dx, "dx", dxOff);
        for (int i = 0; i < n; i++) {
            if (x[xOff + i] > 0f) {
                dx[dxOff + i] += dout[doutOff + i];
            }
        }
    }

    @Override
    public void biasAddRows(int rows, int cols, float[] bias, int biasOff, float[] y, int yOff) {
        KernelChecks.bias("biasAddRows", rows, cols, "bias", bias, biasOff, rows, "y", y, yOff);
        for (int r = 0; r < rows; r++) {
            float b = bias[biasOff + r];
            int yr = yOff + r * cols;
            for (int j = 0; j < cols; j++) {
                y[yr + j] += b;
            }
        }
    }

    @Override
    public void biasAddCols(int rows, int cols, float[] bias, int biasOff, float[] y, int yOff) {
        KernelChecks.bias("biasAddCols", rows, cols, "bias", bias, biasOff, cols, "y", y, yOff);
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * cols;
            for (int j = 0; j < cols; j++) {
                y[yr + j] += bias[biasOff + j];
            }
        }
    }

    @Override
    public void biasGradRows(int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff) {
        KernelChecks.bias("biasGradRows", rows, cols, "db", db, dbOff, rows, "dy", dy, dyOff);
        for (int r = 0; r < rows; r++) {
            int yr = dyOff + r * cols;
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += dy[yr + j];
            }
            db[dbOff + r] += sum;
        }
    }

    @Override
    public void biasGradCols(int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff) {
        KernelChecks.bias("biasGradCols", rows, cols, "db", db, dbOff, cols, "dy", dy, dyOff);
        for (int r = 0; r < rows; r++) {
            int yr = dyOff + r * cols;
            for (int j = 0; j < cols; j++) {
                db[dbOff + j] += dy[yr + j];
            }
        }
    }

    // ---- softmax + cross-entropy ------------------------------------------------------------------

    @Override
    public double softmaxCrossEntropyForward(int n, int classes, float[] scores, int scoresOff,
                                             int[] labels, float[] probs, int probsOff) {
        KernelChecks.softmax("softmaxCrossEntropyForward", n, classes, scores, "scores", scoresOff, labels, probs, "probs",
                probsOff);
        double loss = 0;
        for (int r = 0; r < n; r++) {
            int row = scoresOff + r * classes, prow = probsOff + r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, scores[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                float e = (float) Math.exp(scores[row + j] - max);
                probs[prow + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < classes; j++) {
                probs[prow + j] *= inv;
            }
            loss -= Math.log(Math.max(probs[prow + labels[r]], LOG_FLOOR));
        }
        return loss / n;
    }

    @Override
    public void softmaxCrossEntropyBackward(int n, int classes, float[] probs, int probsOff,
                                            int[] labels, float scale, float[] dscores,
                                            int dscoresOff) {
        KernelChecks.softmax("softmaxCrossEntropyBackward", n, classes, probs, "probs", probsOff, labels, dscores,
                "dscores", dscoresOff);
        for (int r = 0; r < n; r++) {
            int prow = probsOff + r * classes, drow = dscoresOff + r * classes;
            for (int j = 0; j < classes; j++) {
                float target = j == labels[r] ? 1f : 0f;
                dscores[drow + j] += scale * (probs[prow + j] - target);
            }
        }
    }
}
