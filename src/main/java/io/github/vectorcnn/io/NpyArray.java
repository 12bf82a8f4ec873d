package io.github.vectorcnn.io;

import io.github.vectorcnn.Tensor;

import java.util.Arrays;

/**
 * One array as read from or written to a NumPy {@code .npy} file: a C-order shape and either
 * float values ({@code <f4}, or {@code <f8} narrowed) or integer values (any little-endian or
 * byte-sized integer type, widened to long). Exactly one of {@code floats} and {@code longs} is
 * non-null.
 */
public record NpyArray(int[] shape, float[] floats, long[] longs) {

    public NpyArray {
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException("NpyArray: expected exactly one of floats and longs");
        }
        long size = 1;
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("NpyArray shape: expected dimensions >= 0, got "
                        + Arrays.toString(shape));
            }
            empty |= d == 0;
            if (size <= Integer.MAX_VALUE) {
                size *= d; // stops growing once past any array's length, so it cannot wrap round
            }
        }
        if (empty) {
            size = 0;
        }
        int length = floats != null ? floats.length : longs.length;
        if (size != length) {
            throw new IllegalArgumentException("NpyArray: shape " + Arrays.toString(shape) + " holds "
                    + size + " values, got " + length);
        }
        shape = shape.clone();
    }

    /** A copy: the record's shape must keep agreeing with its values. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    public static NpyArray of(Tensor t) {
        return new NpyArray(t.shape(), t.data(), null);
    }

    public static NpyArray ofInts(int[] values) {
        return new NpyArray(new int[] {values.length}, null, Arrays.stream(values).asLongStream().toArray());
    }

    public static NpyArray ofLongs(long[] values, int... shape) {
        return new NpyArray(shape, null, values);
    }

    public boolean isFloat() {
        return floats != null;
    }

    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** The values as a tensor; integer arrays are converted, a 0-d array becomes shape [1]. */
    public Tensor toTensor() {
        float[] f = floats;
        if (f == null) {
            f = new float[longs.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = longs[i];
            }
        }
        return Tensor.wrap(f, shape.length == 0 ? new int[] {1} : shape.clone());
    }

    /** Integer values as int[]; rejects float arrays and values outside the int range. */
    public int[] toInts(String what) {
        if (longs == null) {
            throw new IllegalArgumentException(what + ": expected an integer array, got float values");
        }
        int[] out = new int[longs.length];
        for (int i = 0; i < out.length; i++) {
            if (longs[i] < Integer.MIN_VALUE || longs[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + "[" + i + "]: expected an int, got " + longs[i]);
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape) + (isFloat() ? " float32" : " int64");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape)
                && Arrays.equals(floats, a.floats) && Arrays.equals(longs, a.longs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(floats) + Arrays.hashCode(longs);
    }
}
