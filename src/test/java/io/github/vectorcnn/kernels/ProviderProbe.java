package io.github.vectorcnn.kernels;

/** Run in a child JVM by {@link KernelProviderTest}: prints the chosen kernels and the reason. */
public final class ProviderProbe {
    private ProviderProbe() {
    }

    public static void main(String[] args) {
        System.out.println("chosen=" + KernelProvider.get().name() + " reason=" + KernelProvider.vectorUnavailableReason());
    }
}
