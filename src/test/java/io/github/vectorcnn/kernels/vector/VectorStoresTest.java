package io.github.vectorcnn.kernels.vector;

import io.github.vectorcnn.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Vector stores cast the vector to its class first ({@link VectorConstants#FLOAT_VECTOR}):
 * without it, a kernel compiled while it runs stores its accumulators through a type profile that
 * the 2×2 pool's half vectors have made two-class, and boxes them on every loop iteration. The
 * child-JVM probe also runs the general pool paths after the 2×2 pool: their gathers box if the
 * 2×2 pool's half vectors reach {@code IntVector.lanewise(op, int)}'s profile (JDK 17). A second
 * probe checks that {@link VectorSgemm#fold4x5}, whose vectors are all cast as they are made, does
 * not box after the pool kernels and many products, and a third that no kernel boxes after an
 * application has called the Vector API on three vector sizes, which makes those shared profiles
 * megamorphic: a vector carried round a loop and used as a receiver is cast there too.
 */
class VectorStoresTest {
    private static final Path VECTOR_PACKAGE =
            Paths.get("src", "main", "java", "io", "github", "vectorcnn", "kernels", "vector");
    private static final Pattern CAST =
            Pattern.compile("^\\(\\((FloatVector|IntVector)\\) (FLOAT|INT)_VECTOR\\.cast\\(");

    @Test
    void everyVectorStoreInTheVectorPackageCastsToTheVectorClass() throws IOException {
        assertTrue(Files.isDirectory(VECTOR_PACKAGE), "run from the project root: " + VECTOR_PACKAGE.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        int stores = 0;
        try (Stream<Path> files = Files.list(VECTOR_PACKAGE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String code = withoutCommentsAndStrings(Files.readString(f));
                for (int i = code.indexOf(".intoArray("); i >= 0; i = code.indexOf(".intoArray(", i + 1)) {
                    stores++;
                    String receiver = receiverBefore(code, i);
                    if (!isCastStore(receiver) && !isHalfVectorStore(receiver)) {
                        offenders.add(f.getFileName() + ": " + receiver.replaceAll("\\s+", " ") + ".intoArray(");
                    }
                }
            }
        }
        assertTrue(stores > 200, "the scan found only " + stores + " stores: has the package moved?");
        assertEquals(List.of(), offenders, "vector stores without the cast to the vector class");
    }

    @Test
    void theScanTellsCastStoresFromOthers() {
        String[] good = {
            "((FloatVector) FLOAT_VECTOR.cast(c00)).intoArray(c, 0);",
            "((FloatVector) FLOAT_VECTOR.cast(c11.add(FloatVector.fromArray(SPECIES, c, o))))\n"
                    + "        .intoArray(c, o);",
            "((IntVector) INT_VECTOR.cast(at.reinterpretAsInts())).intoArray(argmax, 0);",
            "evenFloats(top.blend(low, lowWins)).intoArray(out, o);",
            "evenLanes(topAt.blend(lowAt, lowWins)).sub(HALF_BIAS).intoArray(argmax, o);",
        };
        String[] bad = {
            "c00.intoArray(c, 0);",
            "x.add(mid)\n        .intoArray(acc, o);",
            "((FloatVector) FLOAT_VECTOR.cast(a)).add(f(b)).intoArray(c, 0);",
            "evenFloats(v).add(w).intoArray(out, o);",
            "foo(((FloatVector) FLOAT_VECTOR.cast(a)).intoArray(c, 0), b.intoArray(c, 1));",
        };
        for (String s : good) {
            int i = s.indexOf(".intoArray(");
            String r = receiverBefore(s, i);
            assertTrue(isCastStore(r) || isHalfVectorStore(r), s);
        }
        for (String s : bad) {
            int i = s.lastIndexOf(".intoArray(");
            String r = receiverBefore(s, i);
            assertTrue(!isCastStore(r) && !isHalfVectorStore(r), s + " (receiver " + r + ")");
        }
    }

    /** The expression a call at {@code dot} is made on, scanning back over balanced brackets and chains. */
    private static String receiverBefore(String code, int dot) {
        int depth = 0, j = dot - 1;
        for (; j >= 0; j--) {
            char ch = code.charAt(j);
            if (ch == ')' || ch == ']') {
                depth++;
            } else if (ch == '(' || ch == '[') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && Character.isWhitespace(ch)) {
                int k = j;
                while (k < dot && Character.isWhitespace(code.charAt(k))) {
                    k++;
                }
                if (code.charAt(k) != '.') {
                    break; // not a chain continued on the next line
                }
            } else if (depth == 0 && "=,;{}+-*/?:!&|<>".indexOf(ch) >= 0) {
                break;
            }
        }
        return code.substring(j + 1, dot).strip();
    }

    /** ((FloatVector) FLOAT_VECTOR.cast(…)) or the IntVector form, as the whole receiver. */
    private static boolean isCastStore(String r) {
        return CAST.matcher(r).find() && closing(r, 0) == r.length() - 1;
    }

    /** The 2×2 pool's half vectors, cast to their own class inside evenFloats / evenLanes. */
    private static boolean isHalfVectorStore(String r) {
        if (r.startsWith("evenFloats(")) {
            return closing(r, "evenFloats".length()) == r.length() - 1;
        }
        if (r.startsWith("evenLanes(")) {
            int end = closing(r, "evenLanes".length());
            return end > 0 && r.substring(end + 1).replaceAll("\\s+", "").equals(".sub(HALF_BIAS)");
        }
        return false;
    }

    /** Index of the parenthesis closing the one at {@code open}, or -1. */
    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '(') {
                depth++;
            } else if (s.charAt(i) == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String withoutCommentsAndStrings(String source) {
        return source.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("//[^\\n]*", "");
    }

    @Test
    void kernelsRunAfterTheTwoByTwoPoolDoNotBoxTheirVectors(@TempDir Path dir) throws Exception {
        String out = ChildJvm.run(dir, 120, List.of("-Xbatch", "-Xmx512m"), TypeProfileProbe.class);
        int kernels = 0;
        Matcher m = Pattern.compile("(\\S+) allocated (\\d+)").matcher(out);
        while (m.find()) {
            kernels++;
            // Three calls of 200,000 GEMM loop steps: boxed, that is 0.4–0.7 GB; three pools of
            // 20 planes of 128 × 128: 49 MB; not boxed, a few KB.
            assertTrue(Long.parseLong(m.group(2)) < 1 << 20, m.group(1) + " boxes its vectors: " + out);
        }
        assertEquals(5, kernels, out);
    }

    @Test
    void theFoldOfTheDotProductBlocksDoesNotBoxAfterThePoolKernels(@TempDir Path dir) throws Exception {
        // Background compilation, not -Xbatch: the boxing needs fold4x5 compiled from the short
        // profile it gets while C2 is busy, so it depends on timing. Without the casts in fold4x5
        // the probe boxed in 26 JVMs of 30 on JDK 17 (1,600 bytes per fold, 64,000 per product),
        // among them all three runs of this test; on JDK 25 it did not (one run).
        String out = ChildJvm.run(dir, 120, List.of("-Xmx512m", "-Dvectorcnn.threads=1"), FoldAfterPoolsProbe.class);
        Matcher m = Pattern.compile("(\\S+) allocated (\\d+)").matcher(out);
        int kernels = 0;
        while (m.find()) {
            kernels++;
            assertTrue(Long.parseLong(m.group(2)) < 64, m.group(1) + " boxes its vectors: " + out);
        }
        assertEquals(VectorConstants.DOT_FOLD_IN_REGISTERS ? 2 : 1, kernels, out);
    }

    @Test
    void noKernelBoxesAfterAnApplicationMadeTheSharedProfilesMegamorphic(@TempDir Path dir) throws Exception {
        assumeTrue(PollutedProfilesProbe.knownToBox() == null, PollutedProfilesProbe.knownToBox());
        // One thread, so every allocation is the calling thread's, which the probe counts.
        String out = ChildJvm.run(dir, 180, List.of("-Xbatch", "-Xmx1g", "-Dvectorcnn.threads=1"),
                PollutedProfilesProbe.class);
        Matcher m = Pattern.compile("(\\S+) allocated (\\d+)").matcher(out);
        int kernels = 0;
        List<String> boxing = new ArrayList<>();
        while (m.find()) {
            kernels++;
            // Boxed on JDK 17 before the casts of the loop-carried vectors: the 2×2 pool forward
            // 126,816 bytes per call of 30 planes of 24 × 24 (its NaN probe), biasGradRows 48,048
            // (its accumulator). With the casts, 0 bytes for every kernel on JDK 17 and 25 here.
            if (Long.parseLong(m.group(2)) >= 1024) {
                boxing.add(m.group(1) + " " + m.group(2));
            }
        }
        assertEquals(List.of(), boxing, out);
        assertEquals(24 + 44 + 6, kernels, out);
    }
}
