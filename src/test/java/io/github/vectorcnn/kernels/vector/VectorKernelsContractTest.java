package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.KernelsContract;

/**
 * The kernel contract (hand-computed cases, adjoint, direct convolution, Commons Math SGEMM,
 * awkward sizes, bad input) on the Vector API kernels; {@link VectorKernelsTest} adds the
 * bit-for-bit differential tests against the scalar kernels.
 */
class VectorKernelsContractTest extends KernelsContract {

    @Override
    protected Kernels kernels() {
        return VectorKernels.create();
    }
}
