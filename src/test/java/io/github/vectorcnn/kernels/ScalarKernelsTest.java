package io.github.vectorcnn.kernels;

/**
 * The kernel contract on the scalar reference kernels. (The Vector API kernels run the same
 * contract from {@code VectorKernelsContractTest} in {@code io.github.vectorcnn.kernels.vector}.)
 */
class ScalarKernelsTest extends KernelsContract {

    @Override
    protected Kernels kernels() {
        return KernelProvider.scalar();
    }
}
