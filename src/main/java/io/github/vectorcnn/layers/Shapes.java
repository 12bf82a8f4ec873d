package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shape checks whose messages name the layer, the expected and the actual shape; parameter maps. */
final class Shapes {
    private Shapes() {
    }

    /** Rejects a tensor whose rank differs or whose fixed dimensions (>= 0 in expected) differ. */
    static void require(String layer, String what, Tensor t, int... expected) {
        if (t == null) {
            throw new IllegalArgumentException(layer + ": " + what + " is null");
        }
        boolean ok = t.rank() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = expected[i] < 0 || expected[i] == t.dim(i);
        }
        if (!ok) {
            throw new IllegalArgumentException(layer + ": " + what + " expected shape "
                    + describe(expected) + ", got " + t.shapeString());
        }
    }

    /** Renders -1 as a free dimension: [N, 3, H, W] reads better than [-1, 3, -1, -1]. */
    static String describe(int... expected) {
        String[] free = {"N", "C", "H", "W", "D"};
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < expected.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(expected[i] >= 0 ? Integer.toString(expected[i])
                    : (expected.length == 4 ? free[i] : "*"));
        }
        return sb.append(']').toString();
    }

    /** Returns {@code current} when it already has the shape, else a new zero tensor. */
    static Tensor reuse(Tensor current, int... shape) {
        return current != null && current.hasShape(shape) ? current : Tensor.zeros(shape);
    }

    static void requireForward(String layer, Object cache) {
        if (cache == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
    }

    /** {"W": w, "b": b} in that order, read-only: a layer's params() or grads(), built once. */
    static Map<String, Tensor> named(Tensor w, Tensor b) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("W", w);
        m.put("b", b);
        return Collections.unmodifiableMap(m);
    }
}
