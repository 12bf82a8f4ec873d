package io.github.vectorcnn.bench;

import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The library's side of {@code compare.py --paired-jar}: a process that times {@link Kernels#sgemm}
 * in rounds when told to, so that compare.py can alternate rounds of this library and of OpenBLAS
 * on the same shape, one after the other. On a machine whose speed drifts by 2× from minute to
 * minute, a JMH trial and an OpenBLAS timing taken minutes apart compare the drift as much as the
 * code; rounds a second long, alternated, put both in the same minute.
 *
 * <p>One thread, the default kernels ({@link KernelProvider#get}), operands as in
 * {@link SgemmBenchmark} (tight leading dimensions, α = 1, β = 0), checked once per shape with
 * {@link Verify#gemm}. A line protocol on stdin and stdout, one reply per command:
 * <ul>
 *   <li>{@code shape NN:1024x1024x1024} sets up the operands, runs and checks one call; replies
 *       {@code ready <kernels>}.
 *   <li>{@code round <seconds>} calls sgemm until at least that long has passed; replies
 *       {@code <calls> <nanoseconds>}.
 *   <li>{@code quit} ends the process.
 * </ul>
 * Anything else, or a failed check, replies {@code error <message>} and ends it with status 1.
 */
public final class PairedSgemm {
    private final Kernels k = KernelProvider.get();
    private Spec.Gemm s;
    private float[] a;
    private float[] b;
    private float[] c;

    private PairedSgemm() {
    }

    public static void main(String[] args) throws IOException {
        Parallel.setThreads(1);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PairedSgemm peer = new PairedSgemm();
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            try {
                switch (words[0]) {
                    case "shape" -> out.println("ready " + peer.setUp(arg(words, line)));
                    case "round" -> out.println(peer.round(Double.parseDouble(arg(words, line))));
                    case "quit" -> {
                        return;
                    }
                    default -> throw new IllegalArgumentException(
                            "command expected shape, round or quit, got '" + line + "'");
                }
            } catch (RuntimeException | AssertionError e) { // AssertionError: Verify's failed check
                out.println("error " + e.getMessage());
                System.exit(1);
            }
        }
    }

    private static String arg(String[] words, String line) {
        if (words.length != 2) {
            throw new IllegalArgumentException("command expected one argument, got '" + line + "'");
        }
        return words[1];
    }

    private String setUp(String shape) {
        s = Spec.gemm(shape);
        a = Verify.random(new float[s.aRows() * s.aCols()], 1);
        b = Verify.random(new float[s.bRows() * s.bCols()], 2);
        c = new float[s.m() * s.n()];
        Arrays.fill(c, Float.NaN); // β = 0 must not read C
        sgemm();
        Verify.gemm(k.name() + " sgemm " + shape, s, 1f, a, s.aCols(), b, s.bCols(), 0f, null, c, s.n());
        return k.name();
    }

    private String round(double seconds) {
        if (s == null) {
            throw new IllegalStateException("round before shape");
        }
        if (!(seconds > 0 && seconds <= 60)) {
            throw new IllegalArgumentException("round seconds expected in (0, 60], got " + seconds);
        }
        long budget = (long) (seconds * 1e9), calls = 0, t0 = System.nanoTime(), elapsed;
        do {
            sgemm();
            calls++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < budget);
        return calls + " " + elapsed;
    }

    private void sgemm() {
        k.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, s.aCols(), b, 0, s.bCols(),
                0f, c, 0, s.n());
    }
}
