package io.github.vectorcnn.kernels.vector;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * Whether the JIT can turn Vector API calls into SIMD instructions. Without C2 every vector
 * operation is an object allocation and a loop, tens of times slower than the scalar kernels, so
 * the vector kernels refuse to load (the approach of Lucene's VectorizationProvider).
 */
final class JitCheck {
    private JitCheck() {
    }

    /** Null when C2 is available, otherwise the reason it is not. */
    static String whyNot() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) {
            return "the JVM runs interpreted only (-Xint): Vector API code would not be compiled";
        }
        String vm = System.getProperty("java.vm.name", "");
        if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
            return "not a HotSpot VM (" + vm + "): Vector API intrinsics need C2";
        }
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (bean == null) {
                return null;
            }
            if ("false".equals(option(bean, "UseCompiler"))) {
                return "the JIT is disabled (-XX:-UseCompiler or -Xint)";
            }
            String tiered = option(bean, "TieredCompilation");
            String stop = option(bean, "TieredStopAtLevel");
            if ("true".equals(tiered) && stop != null && Integer.parseInt(stop) < 4) {
                return "C2 is disabled (-XX:TieredStopAtLevel=" + stop + ")";
            }
            if ("true".equals(option(bean, "UseJVMCICompiler"))) {
                return "a JVMCI compiler (Graal) replaces C2 and does not intrinsify the Vector API";
            }
        } catch (RuntimeException | LinkageError e) {
            // No diagnostic bean (stripped runtime): trust the VM name checked above.
        }
        return null;
    }

    private static String option(HotSpotDiagnosticMXBean bean, String name) {
        try {
            return bean.getVMOption(name).getValue();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
