package io.github.vectorcnn.kernels.vector;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * Whether the JIT can turn Vector API calls into SIMD instructions. Without C2 every vector
 * operation is an object allocation and a loop, tens of times slower than the scalar kernels, so
 * the vector kernels refuse to load (the approach of Lucene's VectorizationProvider), and likewise
 * without FMA instructions ({@link #NO_FMA}). Gathers, which C2 compiles on fewer CPUs, are
 * checked apart ({@link #gathersCompile(int)}): the loops that use them give way.
 */
final class JitCheck {
    private JitCheck() {
    }

    /**
     * Every GEMM micro-kernel is a chain of {@code fma}, and the bits the library promises are
     * those of one fma per product. Without FMA instructions (HotSpot's UseFMA is false on an x86
     * CPU without FMA3, which includes every one without AVX, under -XX:UseAVX=0, and under
     * -XX:-UseFMA), {@code FloatVector.fma} runs lane by lane through {@code Math.fma}, whose
     * software path uses BigDecimal: SGEMM 64³ took 55 ms and allocated 112 MB per call on the
     * Intel Xeon (model 0xCF) with -XX:UseAVX=0 or -XX:-UseFMA, JDK 17, after 300 calls, against
     * about 8 µs with FMA and 0.3 ms for the scalar kernels (which do not use fma) under the same
     * flags. The test suite needs the vector kernels, so on such a CPU it fails at once with this
     * reason.
     */
    static final String NO_FMA = "no FMA instructions (UseFMA is off: a CPU without FMA3 or AVX,"
            + " -XX:UseAVX=0 or -XX:-UseFMA): the vector kernels' fma would run in software,"
            + " about 180 times slower than the scalar kernels";

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
            if ("false".equals(option(bean, "UseFMA"))) {
                return NO_FMA;
            }
        } catch (RuntimeException | LinkageError e) {
            // No diagnostic bean (stripped runtime): trust the VM name checked above.
        }
        return null;
    }

    /**
     * Whether C2 turns a gather ({@code fromArray} with an index map) into an instruction: on x86
     * when AVX2 is in use ({@code vgatherdps}; -XX:UseAVX at 2 or more), at any lane count. Where
     * it does not, the Vector API runs its Java fallback, which allocates the lanes. On the Intel
     * Xeon (model 0xCF) with -XX:UseAVX=1 (128-bit vectors, as on AMD's Piledriver and
     * Steamroller, which have FMA3 and AVX but not AVX2), one thread, 32 images: the gathering
     * im2col (3 × 27 × 27, 5 × 5 stride 2 pad 2) took 3.4–3.8 ms and allocated 11 MB (JDK 17 and
     * 25), the loops without gathers under the same flags 0.54 ms (JDK 17; 0.84 on JDK 25) and
     * nothing; the general max-pool (16 × 27 × 27, 3 × 3 stride 2 pad 1; and 16 × 28 × 28
     * unpadded) 7.3 and 6.2 ms with 31 and 27 MB (JDK 17), the scalar loop 2.9 and 3.2 ms. Not on
     * AArch64: NEON has no gather instruction, and C2's use of SVE's was not checked. Without the
     * option (a VM that does not report it) x86 counts on 8 lanes or more, since a JVM limited to
     * AVX prefers 128-bit float vectors (JDK 17 and 25).
     */
    static boolean gathersCompile(int lanes) {
        String useAvx = null;
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            useAvx = bean == null ? null : option(bean, "UseAVX");
        } catch (RuntimeException | LinkageError e) {
            // No diagnostic bean: decide from the lane count.
        }
        return gathersCompile(System.getProperty("os.arch"), useAvx, lanes);
    }

    /** {@link #gathersCompile(int)} for a given os.arch, UseAVX value (null: unknown) and lane count. */
    static boolean gathersCompile(String arch, String useAvx, int lanes) {
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
            return false;
        }
        if (useAvx != null) {
            try {
                return Integer.parseInt(useAvx.trim()) >= 2;
            } catch (NumberFormatException e) {
                // Fall through to the lane count.
            }
        }
        return lanes >= 8;
    }

    private static String option(HotSpotDiagnosticMXBean bean, String name) {
        try {
            return bean.getVMOption(name).getValue();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
