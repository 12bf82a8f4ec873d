package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;

import java.util.stream.Stream;

/** Every kernel implementation this JVM can run: scalar always, vector when it loads. */
public final class AllKernels {
    private AllKernels() {
    }

    public static Stream<Kernels> all() {
        return Stream.concat(Stream.of(KernelProvider.scalar()), KernelProvider.vector().stream());
    }
}
