package io.github.vectorcnn;

import java.util.Arrays;

/**
 * A dense float tensor in row-major (C) order: the value at multi-index (i0, i1, …) lives at
 * {@code data[((i0 * d1 + i1) * d2 + i2) …]}. Four-dimensional activations are NCHW.
 *
 * <p>The array is exposed on purpose: kernels work on {@code float[]} plus offsets, and a layer
 * hands its buffers to them without copying. {@link #reshape} shares the array.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(float[] data, int[] shape) {
        this.shape = shape;
        this.data = data;
    }

    /** A new zero-filled tensor of the given shape; every dimension must be at least 1. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[checkedSize(s)], s);
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = shape.clone();
        long size = checkedSize(s);
        if (data.length != size) {
            throw new IllegalArgumentException("data: expected " + size + " values for shape "
                    + Arrays.toString(s) + ", got " + data.length);
        }
        return new Tensor(data, s);
    }

    private static int checkedSize(int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("shape: expected at least one dimension, got []");
        }
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new IllegalArgumentException("shape[" + i + "]: expected >= 1, got " + shape[i]
                        + " in " + Arrays.toString(shape));
            }
            size *= shape[i];
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(shape)
                        + " holds more than " + (Integer.MAX_VALUE - 8) + " values");
            }
        }
        return (int) size;
    }

    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return data.length;
    }

    /** A view with another shape over the same array; the sizes must agree. */
    public Tensor reshape(int... newShape) {
        return wrap(data, newShape);
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    public void fill(float value) {
        Arrays.fill(data, value);
    }

    /** Row-major offset of a full multi-index. */
    public int offset(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index: expected " + shape.length + " coordinates, got "
                    + index.length);
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index[" + i + "]: expected 0.." + (shape[i] - 1)
                        + ", got " + index[i]);
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** The multi-index of a row-major offset. */
    public int[] index(int offset) {
        if (offset < 0 || offset >= data.length) {
            throw new IndexOutOfBoundsException("offset: expected 0.." + (data.length - 1) + ", got " + offset);
        }
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = offset % shape[i];
            offset /= shape[i];
        }
        return idx;
    }

    public float get(int... index) {
        return data[offset(index)];
    }

    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}
