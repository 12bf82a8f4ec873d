package io.github.vectorcnn.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelProviderTest {

    @Test
    void vectorKernelsLoadUnderSurefireAndAreTheDefault() {
        // Surefire runs with --add-modules jdk.incubator.vector and C2 on: the vector path must load.
        assertTrue(KernelProvider.vector().isPresent(), "vector kernels unavailable: "
                + KernelProvider.vectorUnavailableReason());
        assertNull(KernelProvider.vectorUnavailableReason());
        assertTrue(KernelProvider.named("vector").name().startsWith("vector-"));
        if (!Boolean.getBoolean(KernelProvider.FORCE_SCALAR_PROPERTY)) {
            assertSame(KernelProvider.vector().get(), KernelProvider.get());
        }
    }

    @Test
    void unknownNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelProvider.named("gpu"));
        assertTrue(e.getMessage().contains("gpu"), e.getMessage());
        assertEquals("scalar", KernelProvider.named("scalar").name());
    }
}
