package io.github.vectorcnn.kernels;

import java.util.Arrays;

/**
 * The compute kernels every layer runs on. Two implementations sit behind this interface:
 * {@link ScalarKernels}, plain loops that are the reference and the fallback, and a Vector API
 * implementation in {@code io.github.vectorcnn.kernels.vector}. {@link KernelProvider#get()}
 * picks one.
 *
 * <p>Conventions shared by every kernel:
 * <ul>
 *   <li>Arrays are {@code float[]} plus an offset; matrices are row-major with a leading dimension.
 *   <li>Images are NCHW; a kernel taking a {@link WindowGeometry} works on one image (C·H·W
 *       values starting at the offset).
 *   <li>Forward kernels overwrite their output. Backward kernels <b>accumulate</b> ({@code +=})
 *       into the gradient they are given, so a caller zeroes it once and overlapping windows,
 *       images and layers add up. The one exception says so in its name:
 *       {@link #maxPoolBackwardSet} writes dx, as {@link #sgemm} with β = 0 writes C.
 *   <li>Arguments are checked before anything is written ({@link GemmChecks}, {@link KernelChecks}):
 *       a negative size, an array too short for what the call reads or writes from its offset or
 *       a label outside 0..classes−1 is an IllegalArgumentException naming the kernel, the
 *       parameter, the expected and the actual value. The argmax values given to maxPoolBackward
 *       and maxPoolBackwardSet are trusted to be maxPoolForward's (checking each cost that kernel
 *       25%); what a wrong one does differs between the implementations (the scalar kernels add
 *       dout where it points, the vector 2×2 kernel drops one outside its window).
 * </ul>
 */
public interface Kernels {

    /** A short name for logs and benchmark tables ("scalar", "vector-512", …). */
    String name();

    // ---- im2col / col2im -------------------------------------------------------------------

    /**
     * Unfolds one image into its column matrix.
     *
     * <p>x: [C, H, W] at {@code xOff}. col: [C·FH·FW, OH·OW] row-major at {@code colOff}; row
     * {@code (c·FH + fy)·FW + fx}, column {@code oy·OW + ox} holds
     * {@code x[c, oy·S − P + fy, ox·S − P + fx]}, or 0 where that falls in the padding.
     * This layout (patch rows × positions) lets the filter matrix W[FN, C·FH·FW] multiply straight
     * into the NCHW output [FN, OH·OW] without a transpose, and each row is a strided copy of an
     * input row, which is what makes the kernel memory-bound rather than index-bound.
     */
    void im2col(WindowGeometry g, float[] x, int xOff, float[] col, int colOff);

    /**
     * The adjoint of {@link #im2col}: adds every column entry back onto the input cell it came
     * from, so cells covered by several windows receive the sum. dx += col2im(col); padding
     * entries are dropped.
     */
    void col2im(WindowGeometry g, float[] col, int colOff, float[] dx, int dxOff);

    // ---- GEMM ---------------------------------------------------------------------------------

    /**
     * C = α·op(A)·op(B) + β·C with op(X) = X or Xᵀ; op(A) is m×k, op(B) is k×n, C is m×n, all
     * row-major with leading dimensions lda, ldb, ldc. β = 0 overwrites C without reading it
     * (NaN in C does not leak), as BLAS does.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    // ---- max pooling ----------------------------------------------------------------------------

    /**
     * Max pooling of one image. x: [C, H, W]; out: [C, OH, OW]; argmax: [C, OH, OW] ints, each the
     * offset within the image ({@code c·H·W + iy·W + ix}) of the winning input. Padding never wins
     * (it is −∞, not 0); on a tie the first cell in row-major window order wins; NaN propagates.
     * A geometry with pad ≥ the window on an axis is rejected
     * ({@link WindowGeometry#requireInputInEveryWindow}): some window would hold padding only.
     */
    void maxPoolForward(WindowGeometry g, float[] x, int xOff, float[] out, int outOff,
                        int[] argmax, int argmaxOff);

    /** dx[argmax[i]] += dout[i] for every output i of one image; overlapping windows sum. */
    void maxPoolBackward(WindowGeometry g, float[] dout, int doutOff, int[] argmax, int argmaxOff,
                         float[] dx, int dxOff);

    /**
     * The input gradient of one image, written rather than added: dx's C·H·W values are zeroed,
     * then {@link #maxPoolBackward} adds dout at the argmax cells, and this gives the same bits
     * (a winning cell holds 0 + dout[i], so −0 becomes +0 as in the two steps). For the layer,
     * which owns its dx: for 2×2 stride-2 windows whose rows hold at least half a vector of
     * outputs, the vector kernels store dx without zeroing it first, instead of zeroing the image
     * and then scattering into it.
     */
    default void maxPoolBackwardSet(WindowGeometry g, float[] dout, int doutOff, int[] argmax, int argmaxOff,
                                    float[] dx, int dxOff) {
        KernelChecks.maxPoolBackward("maxPoolBackwardSet", g, dout, doutOff, argmax, argmaxOff, dx, dxOff);
        Arrays.fill(dx, dxOff, dxOff + g.inputSize(), 0f);
        maxPoolBackward(g, dout, doutOff, argmax, argmaxOff, dx, dxOff);
    }

    // ---- elementwise --------------------------------------------------------------------------

    /** out[i] = max(x[i], 0) for i in [0, n); out may be x. */
    void reluForward(int n, float[] x, int xOff, float[] out, int outOff);

    /** dx[i] += x[i] > 0 ? dout[i] : 0, where x is the forward input (or output: same sign). */
    void reluBackward(int n, float[] x, int xOff, float[] dout, int doutOff, float[] dx, int dxOff);

    /** y[r, j] += bias[r] over a rows×cols block (a convolution's per-channel bias on NCHW). */
    void biasAddRows(int rows, int cols, float[] bias, int biasOff, float[] y, int yOff);

    /** y[r, j] += bias[j] over a rows×cols block (an affine layer's bias on N×M). */
    void biasAddCols(int rows, int cols, float[] bias, int biasOff, float[] y, int yOff);

    /** db[r] += Σ_j dy[r, j] (the gradient of {@link #biasAddRows}). */
    void biasGradRows(int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff);

    /** db[j] += Σ_r dy[r, j] (the gradient of {@link #biasAddCols}). */
    void biasGradCols(int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff);

    // ---- softmax + cross-entropy ------------------------------------------------------------------

    /**
     * Row-wise softmax of scores [n, classes] into probs, and the mean cross-entropy against the
     * class indices in labels. The row max is subtracted before exp, and log is taken of
     * max(p, {@link #LOG_FLOOR}) so a confident wrong answer gives a large finite loss, not ∞.
     * Labels must already be validated.
     */
    double softmaxCrossEntropyForward(int n, int classes, float[] scores, int scoresOff,
                                      int[] labels, float[] probs, int probsOff);

    /** dscores[r, j] += scale·(probs[r, j] − [j == labels[r]]); scale is dloss/n for a mean loss. */
    void softmaxCrossEntropyBackward(int n, int classes, float[] probs, int probsOff, int[] labels,
                                     float scale, float[] dscores, int dscoresOff);

    /** The smallest probability fed to log in the cross-entropy (the book's 1e-7). */
    float LOG_FLOOR = 1e-7f;
}
