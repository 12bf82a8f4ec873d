package io.github.vectorcnn.kernels;

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

    private static Kernels choose() {
        if (Boolean.getBoolean(FORCE_SCALAR_PROPERTY)) {
            LOG.info("vectorcnn: scalar kernels (forced by -D" + FORCE_SCALAR_PROPERTY + "=true)");
            return ScalarKernels.INSTANCE;
        }
        LOG.info("vectorcnn: scalar kernels (no vector implementation in this build)");
        return ScalarKernels.INSTANCE;
    }
}
