package io.github.vectorcnn.kernels.vector;

import static io.github.vectorcnn.kernels.vector.VectorConstants.MAX_SHAPES_PER_KERNEL;
import static io.github.vectorcnn.kernels.vector.VectorConstants.SHAPED;

import io.github.vectorcnn.kernels.WindowGeometry;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kernels compiled for one shape: a layer's geometry, a product's row strides. A template class
 * ({@link ShapedIm2col}, {@link ShapedDot3x3}) reads its sizes into static final fields from its
 * class data; this class defines one hidden class per shape from the template's own class file,
 * with the shape as class data, so C2 compiles each copy with the sizes as constants. Row strides
 * known only at run time cost a bounds check on every load and store of a loop that steps by them
 * (range check elimination needs a constant scale) and a register for every row offset; constant
 * ones cost neither. No bytecode is generated or rewritten.
 *
 * <p>Up to {@link VectorConstants#MAX_SHAPES_PER_KERNEL} shapes per kernel get a copy, the first
 * ones asked for, and keep it while the library's classes are loaded; other shapes, every shape
 * when {@code -Dvectorcnn.shaped=false}, and every shape of a kernel once one of its copies could
 * not be defined (logged once) take the kernels' general path, which gives the same bits. A new
 * copy starts in the interpreter and is compiled on its own, so each shape warms up apart.
 *
 * <p>Copies are called through method handles taken from maps, which C2 cannot inline, so each
 * stays a compilation of its own. Inlined into VectorKernels.im2col on JDK 17, ShapedIm2col's code
 * kept the array bases on the stack, reloading one before every load and store, and ran 1.3–1.45×
 * slower than called on its own.
 */
final class ShapedKernels {
    private ShapedKernels() {
    }

    private static final Logger LOG = Logger.getLogger(ShapedKernels.class.getName());

    /** ShapedIm2col.im2col(float[] x, int xOff, float[] col, int colOff). */
    static final MethodType IM2COL_TYPE =
            MethodType.methodType(void.class, float[].class, int.class, float[].class, int.class);
    /**
     * ShapedDot3x3.dotBlocks(int m0, int m1, int n0, int n1, int k, float alpha, float[] a, int aOff,
     * float[] b, int bOff, float beta, float[] c, int cOff, int ldc, float[] acc, int kc).
     */
    static final MethodType DOT_3X3_TYPE = MethodType.methodType(void.class, int.class, int.class, int.class,
            int.class, int.class, float.class, float[].class, int.class, float[].class, int.class, float.class,
            float[].class, int.class, int.class, float[].class, int.class);

    /** What a copy of {@link ShapedDot3x3} is compiled for: the row strides of A and B. */
    record DotShape(int lda, int ldb) {
    }

    /** One kernel's copies by shape, and whether defining one has failed. */
    static final class Copies {
        final Class<?> template;
        final String method;
        final MethodType type;
        final ConcurrentHashMap<Object, MethodHandle> byShape = new ConcurrentHashMap<>();
        volatile boolean broken;

        Copies(Class<?> template, String method, MethodType type) {
            this.template = template;
            this.method = method;
            this.type = type;
        }

        /** The copy for shape, defined if need be, or null (see the class comment). */
        MethodHandle get(Object shape) {
            if (!SHAPED || broken) {
                return null;
            }
            MethodHandle k = byShape.get(shape);
            if (k == null) {
                // The size may overshoot by a few under a race; it only bounds memory.
                k = byShape.size() < MAX_SHAPES_PER_KERNEL ? byShape.computeIfAbsent(shape, this::defineOrLog) : NONE;
            }
            return k == NONE ? null : k;
        }

        private MethodHandle defineOrLog(Object shape) {
            try {
                return define(template, method, type, shape);
            } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
                // Whatever failed (a class file that cannot be read, a runtime that refuses hidden
                // classes) would fail again for the next shape: stop trying.
                if (!broken) {
                    broken = true;
                    LOG.log(Level.WARNING, "vectorcnn: " + template.getSimpleName()
                            + " is not compiled per shape, the general kernel runs: cannot copy it for " + shape, e);
                }
                return NONE;
            }
        }
    }

    /** A map's value for a shape that has no copy; never called. */
    static final MethodHandle NONE = MethodHandles.constant(Object.class, null);
    static final Copies IM2COL = new Copies(ShapedIm2col.class, "im2col", IM2COL_TYPE);
    static final Copies DOT_3X3 = new Copies(ShapedDot3x3.class, "dotBlocks", DOT_3X3_TYPE);

    /**
     * im2col of g (stride 1, OW a multiple of the lanes) by its copy of {@link ShapedIm2col}: x:
     * [C, H, W] at xOff; col: [C·FH·FW, OH·OW] at colOff. False, having done nothing, when g has
     * no copy and the caller should take its general path.
     */
    static boolean im2col(WindowGeometry g, float[] x, int xOff, float[] col, int colOff) {
        MethodHandle k = IM2COL.get(g);
        if (k == null) {
            return false;
        }
        try {
            k.invokeExact(x, xOff, col, colOff);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("ShapedIm2col.im2col throws no checked exception", e);
        }
        return true;
    }

    /**
     * The copy of {@link ShapedDot3x3} for (lda, ldb), or null. The caller keeps it for its next
     * product (VectorSgemm's workspace): the key object would escape into the map's lookup, a call
     * C2 does not inline, and be allocated on every product.
     */
    static MethodHandle dot3x3(int lda, int ldb) {
        return DOT_3X3.get(new DotShape(lda, ldb));
    }

    /**
     * C[m0:m1, n0:n1] = α·A·Bᵀ + β·C in blocks of 3 rows (m1 − m0 a positive multiple of 3, n1 >
     * n0; K's vector part in panels of kc floats, its scalar tail last) by a copy from
     * {@link #dot3x3}; acc as ShapedDot3x3.accumulatorFloats sizes it.
     */
    static void dot3x3Blocks(MethodHandle copy, int m0, int m1, int n0, int n1, int k, float alpha,
                             float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff, int ldc,
                             float[] acc, int kc) {
        try {
            copy.invokeExact(m0, m1, n0, n1, k, alpha, a, aOff, b, bOff, beta, c, cOff, ldc, acc, kc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("ShapedDot3x3.dotBlocks throws no checked exception", e);
        }
    }

    /**
     * The static method name of the given type in a new hidden class defined from template's class
     * file, with data as its class data.
     */
    static MethodHandle define(Class<?> template, String name, MethodType type, Object data)
            throws IOException, ReflectiveOperationException {
        String file = template.getSimpleName() + ".class";
        try (InputStream in = template.getResourceAsStream(file)) {
            if (in == null) {
                throw new IOException(file + " not found beside " + template.getName());
            }
            MethodHandles.Lookup copy = MethodHandles.lookup().defineHiddenClassWithClassData(in.readAllBytes(), data, true);
            return copy.findStatic(copy.lookupClass(), name, type);
        }
    }

    /** The class data of a copy made by {@link #define}; null in the template itself. */
    static <T> T classData(MethodHandles.Lookup copy, Class<T> type) {
        try {
            return MethodHandles.classData(copy, "_", type);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
