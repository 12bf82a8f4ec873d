package io.github.vectorcnn.gradcheck;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.layers.Affine;
import io.github.vectorcnn.layers.Convolution;
import io.github.vectorcnn.layers.MaxPooling;
import io.github.vectorcnn.layers.Relu;
import io.github.vectorcnn.layers.SoftmaxWithLoss;
import io.github.vectorcnn.networks.SimpleConvNet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code gradcheck} command: the book's gradient_check.py, per layer. For
 * every kernel implementation this JVM can run (scalar, and vector when it loads) it checks
 * Convolution in several geometries, MaxPooling, Affine, Relu, SoftmaxWithLoss and a small
 * SimpleConvNet, prints one row per tensor (max relative error, PASS/FAIL/KINK), explains every
 * row that did not pass, and exits with status 1 unless everything passed.
 *
 * <p>Run: {@code mvn -q compile exec:java -Dexec.mainClass=io.github.vectorcnn.gradcheck.GradientCheckReport},
 * or after {@code mvn -q package}: {@code java --add-modules jdk.incubator.vector -jar
 * target/vectorcnn-0.1.0-SNAPSHOT.jar} (the jar's manifest names this class).
 */
public final class GradientCheckReport {
    private GradientCheckReport() {
    }

    /** One check: a description and the result. */
    record Row(String subject, GradientCheckResult result) {
    }

    public static void main(String[] args) {
        int status = run(System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Prints the report for the scalar kernels and, when they load, the vector kernels; returns
     * the exit status, 0 when every check passed (what {@code vectorcnn gradcheck} returns).
     */
    public static int run(PrintStream out) {
        List<Kernels> kernels = new ArrayList<>();
        kernels.add(KernelProvider.scalar());
        KernelProvider.vector().ifPresent(kernels::add);
        return run(out, kernels);
    }

    /** Prints the report for each of {@code kernels} and returns the exit status: 0 when all passed. */
    static int run(PrintStream out, List<Kernels> kernels) {
        out.println("vectorcnn gradient check: central differences against backprop, per layer");
        out.println("  piecewise-linear layers: " + GradientCheckOptions.piecewiseLinear());
        out.println("  softmax loss and network: " + GradientCheckOptions.smooth());
        out.println("  pass: |analytic - numeric| <= atol * (largest gradient of the tensor) + rtol * |numeric|");
        if (KernelProvider.vector().isEmpty()) {
            out.println("  vector kernels not checked: " + KernelProvider.vectorUnavailableReason());
        }
        int checks = 0;
        List<String> bad = new ArrayList<>();
        for (Kernels k : kernels) {
            out.println();
            out.println("kernels: " + k.name());
            out.printf(Locale.ROOT, "  %-40s %-7s %-16s %8s %6s %12s  %s%n", "layer", "tensor", "shape",
                    "checked", "kinks", "max rel err", "result");
            for (Row row : rows(k)) {
                checks++;
                boolean first = true;
                for (TensorCheck t : row.result().tensors()) {
                    out.printf(Locale.ROOT, "  %-40s %-7s %-16s %8d %6d %12.2e  %s%n",
                            first ? row.subject() : "", t.name(), Arrays.toString(t.shape()), t.checked(),
                            t.kinks(), t.maxRelError(), t.status());
                    first = false;
                }
                for (TensorCheck t : row.result().tensors()) {
                    if (t.status() != TensorCheck.Status.PASS) {
                        out.println("    " + t.explanation());
                    }
                }
                if (!row.result().passed()) {
                    bad.add(k.name() + " " + row.subject() + ": " + row.result().status());
                }
            }
        }
        out.println();
        if (bad.isEmpty()) {
            out.println("all " + checks + " checks passed");
            return 0;
        }
        out.println(bad.size() + " of " + checks + " checks did not pass:");
        bad.forEach(b -> out.println("  " + b));
        return 1;
    }

    static List<Row> rows(Kernels k) {
        GradientCheckOptions pl = GradientCheckOptions.piecewiseLinear();
        GradientCheckOptions smooth = GradientCheckOptions.smooth();
        List<Row> rows = new ArrayList<>();
        // n, c, h, w, filters, fh, fw, stride, pad
        int[][] convs = {{2, 3, 7, 6, 4, 3, 3, 1, 1}, {3, 2, 8, 7, 2, 3, 2, 2, 0},
                         {2, 2, 9, 10, 5, 5, 4, 3, 2}, {1, 4, 5, 5, 3, 1, 1, 1, 0}};
        long seed = 1;
        for (int[] c : convs) {
            String name = String.format(Locale.ROOT, "Convolution %dx%d S%d P%d x%s", c[5], c[6], c[7], c[8],
                    Arrays.toString(Arrays.copyOf(c, 4)).replace(" ", ""));
            Convolution conv = new Convolution(KinkFreeInputs.uniform(seed++, 1, c[4], c[1], c[5], c[6]),
                    KinkFreeInputs.uniform(seed++, 1, c[4]), c[7], c[8], k);
            rows.add(new Row(name, GradientCheck.checkLayer(name, conv,
                    KinkFreeInputs.uniform(seed++, 1, c[0], c[1], c[2], c[3]), pl)));
        }
        // n, c, h, w, ph, pw, stride, pad
        int[][] pools = {{2, 2, 8, 8, 2, 2, 2, 0}, {2, 3, 7, 6, 3, 3, 1, 1}, {2, 2, 9, 8, 2, 3, 2, 1}};
        for (int[] p : pools) {
            String name = String.format(Locale.ROOT, "MaxPooling %dx%d S%d P%d x%s", p[4], p[5], p[6], p[7],
                    Arrays.toString(Arrays.copyOf(p, 4)).replace(" ", ""));
            rows.add(new Row(name, GradientCheck.checkLayer(name, new MaxPooling(p[4], p[5], p[6], p[7], k),
                    KinkFreeInputs.separatedGrid(seed++, pl.h(), p[0], p[1], p[2], p[3]), pl)));
        }
        Affine affine = new Affine(KinkFreeInputs.uniform(seed++, 1, 36, 7), KinkFreeInputs.uniform(seed++, 1, 7), k);
        rows.add(new Row("Affine 36->7 x[3,3,3,4]", GradientCheck.checkLayer("Affine", affine,
                KinkFreeInputs.uniform(seed++, 1, 3, 3, 3, 4), pl)));
        rows.add(new Row("Relu x[2,3,6,5]", GradientCheck.checkLayer(new Relu(k),
                KinkFreeInputs.awayFromZero(seed++, pl.h(), 2, 3, 6, 5), pl)));
        Tensor scores = KinkFreeInputs.uniform(seed++, 3, 4, 10);
        rows.add(new Row("SoftmaxWithLoss scores[4,10]",
                GradientCheck.checkLoss(new SoftmaxWithLoss(k), scores, new int[] {3, 0, 9, 3}, smooth)));

        // conv 3x3 pad 1 -> relu -> pool 2x2 -> affine 7 -> relu -> affine 4 -> softmax, He init.
        // Its kinks sit where its weights put them; this seed crosses none at the smooth h.
        SimpleConvNet.Config config = SimpleConvNet.Config.defaults().withInput(2, 9, 8).withConv(3, 3, 1, 1)
                .withHidden(7).withClasses(4).withInit(SimpleConvNet.Init.HE, 0).withSeed(5);
        SimpleConvNet net = new SimpleConvNet(config, k);
        rows.add(new Row("SimpleConvNet x[3,2,9,8] (W1..b3)", GradientCheck.checkNetwork(net,
                KinkFreeInputs.uniform(105, 1, 3, 2, 9, 8), new int[] {0, 1, 2}, smooth)));
        return rows;
    }
}
