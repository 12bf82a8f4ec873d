package io.github.vectorcnn.gradcheck;

import java.util.Arrays;
import java.util.Locale;

/**
 * The outcome of checking one tensor (the input, or a parameter such as "W").
 *
 * <p>{@link #checked()} counts the comparisons made: entries in full mode, directions in
 * randomized mode. {@link #kinks()} counts the perturbations whose central difference crossed a
 * kink of a piecewise-linear layer (the active piece differed between x − h, x and x + h): those
 * are not compared, because the difference says nothing about the backward pass there.
 *
 * <p>The worst comparison is the one furthest beyond its tolerance ({@code |a − n| / (atol·s +
 * rtol·|n|)} largest, s the tensor's gradient scale; see {@link GradientCheckOptions}); {@link #worstIndex()} is its multi-index into the tensor in full mode,
 * or {@code [k]} for direction k in randomized mode, and null when nothing was compared.
 */
public record TensorCheck(String name, int[] shape, boolean randomized, int checked, int kinks,
                          double maxAbsError, double maxRelError, int[] worstIndex,
                          double worstNumeric, double worstAnalytic, double worstTolerance) {

    /** PASS: every comparison within tolerance, no kink; KINK: no failure but kinks crossed. */
    public enum Status { PASS, FAIL, KINK }

    public TensorCheck {
        shape = shape.clone();
        worstIndex = worstIndex == null ? null : worstIndex.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public int[] worstIndex() {
        return worstIndex == null ? null : worstIndex.clone();
    }

    /**
     * FAIL when any compared value is out of tolerance or not finite (NaN, ±∞), or when nothing
     * at all was compared or skipped (an empty check proves nothing); else KINK or PASS.
     */
    public Status status() {
        if (checked == 0 && kinks == 0) {
            return Status.FAIL;
        }
        if (worstIndex != null && !(Double.isFinite(worstNumeric) && Double.isFinite(worstAnalytic)
                && Math.abs(worstAnalytic - worstNumeric) <= worstTolerance)) {
            return Status.FAIL;
        }
        return kinks > 0 ? Status.KINK : Status.PASS;
    }

    public boolean passed() {
        return status() == Status.PASS;
    }

    /** One line: the worst comparison, with its index, numeric and analytic value. */
    public String worstDescription() {
        if (worstIndex == null) {
            return name + ": nothing compared (" + kinks + " kinks crossed)";
        }
        return String.format(Locale.ROOT, "%s: worst at %s%s: numeric %.7g, analytic %.7g, "
                        + "|a - n| = %.3g (tolerance %.3g), max relative error %.3g",
                name, randomized ? "direction " : "", Arrays.toString(worstIndex), worstNumeric,
                worstAnalytic, Math.abs(worstAnalytic - worstNumeric), worstTolerance, maxRelError);
    }

    /** One line saying how many perturbations crossed a kink and were therefore not compared. */
    public String kinkDescription() {
        return String.format(Locale.ROOT, "%s: %d of %d perturbations crossed a kink (active piece "
                        + "differs between x - h, x and x + h) and were not compared; %d compared, %s",
                name, kinks, kinks + checked, checked,
                status() == Status.FAIL ? "with failures" : "all within tolerance");
    }

    /** The status and the line that explains it: the worst comparison, or the kink count. */
    public String explanation() {
        return status() + " " + (status() == Status.KINK ? kinkDescription() : worstDescription());
    }

    @Override
    public String toString() {
        return explanation();
    }
}
