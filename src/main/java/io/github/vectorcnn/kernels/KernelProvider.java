package io.github.vectorcnn.kernels;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * Chooses the kernels the library runs on, once per JVM, and says why in one log line.
 *
 * <p>The Vector API implementation is used when the incubator module {@code jdk.incubator.vector}
 * is readable and the vector implementation loads; otherwise {@link ScalarKernels}. The system
 * property {@value #FORCE_SCALAR_PROPERTY}{@code =true} forces the scalar kernels.
 */
public final class KernelProvider {
    public static final String FORCE_SCALAR_PROPERTY = "vectorcnn.scalar";

    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());

    private KernelProvider() {
    }

    private static final class Holder {
        static final Kernels DEFAULT = choose();
    }

    /** The kernels chosen for this JVM. */
    public static Kernels get() {
        return Holder.DEFAULT;
    }

    /** The scalar reference kernels. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** The Vector API kernels, or empty when they cannot run in this JVM. */
    public static Optional<Kernels> vector() {
        return Optional.ofNullable(VectorHolder.VECTOR);
    }

    /** Why {@link #vector()} is empty, or null when it is not. */
    public static String vectorUnavailableReason() {
        return VectorHolder.REASON;
    }

    /** "scalar" or "vector", for benchmarks and tests that run both; unknown names are rejected. */
    public static Kernels named(String name) {
        switch (name) {
            case "scalar":
                return ScalarKernels.INSTANCE;
            case "vector":
                return vector().orElseThrow(() -> new IllegalStateException(
                        "vector kernels unavailable: " + vectorUnavailableReason()));
            default:
                throw new IllegalArgumentException("kernels: expected \"scalar\" or \"vector\", got \""
                        + name + "\"");
        }
    }

    private static final class VectorHolder {
        static final Kernels VECTOR;
        static final String REASON;

        static {
            Kernels k = null;
            String reason = null;
            try {
                // Loaded by name so that this class never links against the incubator module.
                k = (Kernels) Class.forName("io.github.vectorcnn.kernels.vector.VectorKernels")
                        .getMethod("create").invoke(null);
            } catch (ClassNotFoundException e) {
                reason = "no vector implementation in this build";
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
            VECTOR = k;
            REASON = reason;
        }
    }

    private static Kernels choose() {
        if (Boolean.getBoolean(FORCE_SCALAR_PROPERTY)) {
            LOG.info("vectorcnn: scalar kernels (forced by -D" + FORCE_SCALAR_PROPERTY + "=true)");
            return ScalarKernels.INSTANCE;
        }
        if (VectorHolder.VECTOR != null) {
            LOG.info("vectorcnn: " + VectorHolder.VECTOR.name() + " kernels (jdk.incubator.vector is"
                    + " readable and C2 compiles it; -D" + FORCE_SCALAR_PROPERTY + "=true forces scalar)");
            return VectorHolder.VECTOR;
        }
        LOG.info("vectorcnn: scalar kernels (" + VectorHolder.REASON + ")");
        return ScalarKernels.INSTANCE;
    }
}
