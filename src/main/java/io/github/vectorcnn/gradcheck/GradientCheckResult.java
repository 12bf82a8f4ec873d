package io.github.vectorcnn.gradcheck;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a gradient check of one subject (a layer or a network): one {@link TensorCheck}
 * per tensor, in the order checked (input first, then the parameters). {@link #toString()} is a
 * table, with the worst comparison spelled out under every tensor that failed or crossed kinks.
 */
public final class GradientCheckResult {
    private final String subject;
    private final GradientCheckOptions options;
    private final List<TensorCheck> tensors;

    public GradientCheckResult(String subject, GradientCheckOptions options, List<TensorCheck> tensors) {
        this.subject = subject;
        this.options = options;
        this.tensors = List.copyOf(tensors);
    }

    public String subject() {
        return subject;
    }

    public GradientCheckOptions options() {
        return options;
    }

    public List<TensorCheck> tensors() {
        return tensors;
    }

    /** The check of the named tensor ("input", "W", "b", "W1", …). */
    public TensorCheck tensor(String name) {
        for (TensorCheck t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("tensor: expected one of " + names() + ", got \"" + name + "\"");
    }

    private List<String> names() {
        return tensors.stream().map(TensorCheck::name).toList();
    }

    /** FAIL if any tensor failed or there was no tensor to check, else KINK if any crossed a kink, else PASS. */
    public TensorCheck.Status status() {
        if (tensors.isEmpty()) {
            return TensorCheck.Status.FAIL;
        }
        TensorCheck.Status s = TensorCheck.Status.PASS;
        for (TensorCheck t : tensors) {
            if (t.status() == TensorCheck.Status.FAIL) {
                return TensorCheck.Status.FAIL;
            }
            if (t.status() == TensorCheck.Status.KINK) {
                s = TensorCheck.Status.KINK;
            }
        }
        return s;
    }

    /** True only when every tensor passed: no failure and no crossed kink. */
    public boolean passed() {
        return status() == TensorCheck.Status.PASS;
    }

    public boolean hasFailures() {
        return status() == TensorCheck.Status.FAIL;
    }

    public int kinks() {
        return tensors.stream().mapToInt(TensorCheck::kinks).sum();
    }

    /** The largest relative error over every tensor. */
    public double maxRelError() {
        return tensors.stream().mapToDouble(TensorCheck::maxRelError).max().orElse(0);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(subject).append(": ").append(status()).append("  (").append(options).append(")\n");
        sb.append(String.format(Locale.ROOT, "  %-8s %-16s %-5s %8s %6s %12s %12s  %-16s %s%n",
                "tensor", "shape", "mode", "checked", "kinks", "max abs err", "max rel err",
                "worst index", "status"));
        for (TensorCheck t : tensors) {
            sb.append(String.format(Locale.ROOT, "  %-8s %-16s %-5s %8d %6d %12.3e %12.3e  %-16s %s%n",
                    t.name(), Arrays.toString(t.shape()), t.randomized() ? "dirs" : "full", t.checked(),
                    t.kinks(), t.maxAbsError(), t.maxRelError(),
                    t.worstIndex() == null ? "-" : (t.randomized() ? "dir " : "")
                            + Arrays.toString(t.worstIndex()), t.status()));
        }
        for (TensorCheck t : tensors) {
            if (t.status() != TensorCheck.Status.PASS) {
                sb.append("  ").append(t.explanation()).append('\n');
            }
        }
        if (tensors.isEmpty()) {
            sb.append("  FAIL nothing to check: no input gradient and no parameters\n");
        }
        return sb.toString();
    }
}
