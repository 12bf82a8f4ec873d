package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.LANES;

/**
 * Where each vector of a stride-1 im2col block starts in the input, for rows of OW outputs that
 * hold whole vectors (OW a multiple of LANES): vector q of the block covers outputs q·LANES …, row
 * q·LANES / OW, column q·LANES mod OW, so it starts (q·LANES / OW)·W + q·LANES mod OW past the
 * block's first input value. Kept per thread for the last few (OW, W, OH), as the layers run
 * images on several threads at once; a block that starts below padding rows uses a prefix of it.
 */
final class VectorStarts {
    private VectorStarts() {
    }

    private static final class Table {
        final int ow, w, oh;
        final int[] starts;

        Table(int ow, int w, int oh) {
            this.ow = ow;
            this.w = w;
            this.oh = oh;
            starts = new int[oh * ow / LANES];
            for (int q = 0; q < starts.length; q++) {
                starts[q] = q * LANES / ow * w + q * LANES % ow;
            }
        }
    }

    /**
     * A thread's tables for the four geometries it used last, so the convolutions of a network with
     * several layers do not rebuild (and allocate) one on every call.
     */
    private static final ThreadLocal<Table[]> RECENT = ThreadLocal.withInitial(() -> new Table[4]);

    /**
     * The table for rows of ow outputs in an input of row length w, oh rows; null when the rows do
     * not hold whole vectors or the table would exceed {@link VectorConstants#MAX_START_TABLE} entries.
     */
    static int[] of(int ow, int w, int oh) {
        if (ow % LANES != 0 || (long) oh * ow / LANES > VectorConstants.MAX_START_TABLE) {
            return null;
        }
        Table[] recent = RECENT.get();
        int i = 0;
        while (i < recent.length && recent[i] != null
                && !(recent[i].ow == ow && recent[i].w == w && recent[i].oh == oh)) {
            i++;
        }
        // The last used goes first: a hit moves up, a miss drops the least recently used.
        Table t = i < recent.length && recent[i] != null ? recent[i] : new Table(ow, w, oh);
        System.arraycopy(recent, 0, recent, 1, Math.min(i, recent.length - 1));
        recent[0] = t;
        return t.starts;
    }
}
