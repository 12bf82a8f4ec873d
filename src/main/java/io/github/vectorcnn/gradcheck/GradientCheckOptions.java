package io.github.vectorcnn.gradcheck;

/**
 * Step size, tolerances and mode of a gradient check. Immutable; the {@code withX} methods return
 * copies.
 *
 * <p><b>Comparison.</b> An analytic value a passes against its central difference n when
 * {@code |a − n| ≤ atol·s + rtol·|n|}, where s, the tensor's gradient scale, is the largest |a|
 * or |n| over that tensor. The absolute term is relative to s because float rounding in a sum is
 * relative to the size of its terms, not of its result: a gradient entry that cancels to nearly
 * zero still carries the rounding of its large terms. A fixed atol either fails honest large
 * layers or, for a network whose gradients are all small, passes anything. s includes the
 * numeric values, so an analytic gradient that is wrongly all zero still fails. The relative
 * error reported is {@code |a − n| / max(|a|, |n|, s·atol/rtol)}: below s·atol/rtol the absolute
 * term governs, so near-zero entries do not show as huge relative errors.
 *
 * <p><b>Two presets for float32 kernels, chosen by experiment</b> ({@code StepSizeTest} keeps
 * the experiment in the suite: it sweeps h over a convolution and the softmax loss):
 * <ul>
 *   <li>{@link #piecewiseLinear()}: h = 1e-2, atol = 1e-4, rtol = 1e-3. Convolution, Affine, Relu and
 *       max pooling are linear in each input and each parameter on a piece, so a central
 *       difference that does not cross a kink has <i>no</i> truncation error; its only error is
 *       float rounding of the outputs, which is divided by 2h and so shrinks as h grows. A large
 *       h is therefore the accurate choice, as long as the input keeps kinks further than h away
 *       ({@link KinkFreeInputs}). Measured on 4 filters of 6×5×5 over a 12×11 input (150-term
 *       dot products): the worst error uses 0.22 of the tolerance at h = 1e-2, 1.6× it at
 *       h = 1e-3 and 17× at h = 1e-4. Relu and pooling copy values, so their error is ~1e-7 at
 *       any h.
 *   <li>{@link #smooth()}: h = 1e-3, atol = 1e-3, rtol = 1e-2. Softmax cross-entropy is smooth but
 *       curved: the central difference has a truncation error h²·f‴/6, and float32
 *       probabilities carry rounding that, divided by 2h, grows as h shrinks. Measured max
 *       relative error over 8×10 scores: 1.2e-3 at h = 1e-1 (truncation), 7e-5 at 1e-2,
 *       6e-4 at 1e-3, 8e-3 at 1e-4 and 7e-2 at 1e-5 (rounding). The loss alone would be best at
 *       1e-2; h = 1e-3 is chosen because a whole network ending in this loss also has Relu and
 *       pooling kinks that its weights, not its input, place, and the crossings fall with h (the
 *       small SimpleConvNets of the tests cross 20 to 50 at h = 1e-2 and 0 to 20 at h = 1e-3),
 *       while the worst network error at 1e-3 still uses about a tenth of the tolerance.
 *       Gradients must be well above float rounding of the loss (about 1e-7/2h = 5e-5):
 *       the book's network with std-0.01 weights has W3 gradients near 3e-4 and fails here;
 *       check networks with He initialisation, or in double precision.
 * </ul>
 * A deliberately broken backward pass (swapped axes, a dropped bias gradient, an overwrite for
 * an accumulate) is wrong by the size of the gradient itself, far beyond either tolerance.
 *
 * <p><b>Modes.</b> {@link Mode#FULL} perturbs every entry of a tensor (2 forward passes per
 * entry). {@link Mode#RANDOMIZED} compares the directional derivative along
 * {@link #directions()} random ±1 directions u (2 forward passes per direction): the numeric
 * (L(θ + h·u) − L(θ − h·u)) / 2h against the analytic gradient·Δ / 2h, where Δ is the perturbation
 * actually applied in float. With the single-layer loss L = Σ out ⊙ R this is vᵀJu with v = R. A
 * ±1 direction moves every entry by exactly h, so the kink-free inputs stay kink-free; the scale
 * s is then the largest directional derivative. {@link Mode#AUTO} (the default) is full up to
 * {@link #fullLimit()} entries and randomized above.
 */
public final class GradientCheckOptions {

    /** How the entries of one tensor are covered. */
    public enum Mode {
        /** Every entry, one at a time. */
        FULL,
        /** K random ±1 directions through the whole tensor. */
        RANDOMIZED,
        /** FULL up to {@link #fullLimit()} entries, RANDOMIZED above. */
        AUTO
    }

    private final float h;
    private final double atol;
    private final double rtol;
    private final Mode mode;
    private final int directions;
    private final int fullLimit;
    private final long seed;

    private GradientCheckOptions(float h, double atol, double rtol, Mode mode, int directions,
                                 int fullLimit, long seed) {
        if (!(h > 0) || Float.isInfinite(h)) {
            throw new IllegalArgumentException("h: expected a finite value > 0, got " + h);
        }
        if (!(atol >= 0) || Double.isInfinite(atol)) {
            throw new IllegalArgumentException("atol: expected a finite value >= 0, got " + atol);
        }
        if (!(rtol >= 0) || Double.isInfinite(rtol)) {
            throw new IllegalArgumentException("rtol: expected a finite value >= 0, got " + rtol);
        }
        if (atol == 0 && rtol == 0) {
            throw new IllegalArgumentException("atol, rtol: expected at least one > 0, got both 0");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode: expected FULL, RANDOMIZED or AUTO, got null");
        }
        if (directions < 1) {
            throw new IllegalArgumentException("directions: expected >= 1, got " + directions);
        }
        if (fullLimit < 0) {
            throw new IllegalArgumentException("fullLimit: expected >= 0, got " + fullLimit);
        }
        this.h = h;
        this.atol = atol;
        this.rtol = rtol;
        this.mode = mode;
        this.directions = directions;
        this.fullLimit = fullLimit;
        this.seed = seed;
    }

    /** For piecewise-linear layers (Convolution, Affine, Relu, MaxPooling): h = 1e-2. */
    public static GradientCheckOptions piecewiseLinear() {
        return new GradientCheckOptions(1e-2f, 1e-4, 1e-3, Mode.AUTO, 16, 4096, 1L);
    }

    /** For smooth functions (softmax cross-entropy, a whole network's loss): h = 1e-3. */
    public static GradientCheckOptions smooth() {
        return new GradientCheckOptions(1e-3f, 1e-3, 1e-2, Mode.AUTO, 16, 4096, 1L);
    }

    public float h() {
        return h;
    }

    public double atol() {
        return atol;
    }

    public double rtol() {
        return rtol;
    }

    public Mode mode() {
        return mode;
    }

    public int directions() {
        return directions;
    }

    public int fullLimit() {
        return fullLimit;
    }

    /** Seeds the output weights R and the random directions, so a check is reproducible. */
    public long seed() {
        return seed;
    }

    /** Whether a tensor of {@code size} entries is checked entry by entry. */
    public boolean fullFor(int size) {
        return mode == Mode.FULL || (mode == Mode.AUTO && size <= fullLimit);
    }

    public GradientCheckOptions withH(float h) {
        return new GradientCheckOptions(h, atol, rtol, mode, directions, fullLimit, seed);
    }

    public GradientCheckOptions withTolerance(double atol, double rtol) {
        return new GradientCheckOptions(h, atol, rtol, mode, directions, fullLimit, seed);
    }

    public GradientCheckOptions withMode(Mode mode) {
        return new GradientCheckOptions(h, atol, rtol, mode, directions, fullLimit, seed);
    }

    public GradientCheckOptions withDirections(int directions) {
        return new GradientCheckOptions(h, atol, rtol, mode, directions, fullLimit, seed);
    }

    public GradientCheckOptions withFullLimit(int fullLimit) {
        return new GradientCheckOptions(h, atol, rtol, mode, directions, fullLimit, seed);
    }

    public GradientCheckOptions withSeed(long seed) {
        return new GradientCheckOptions(h, atol, rtol, mode, directions, fullLimit, seed);
    }

    @Override
    public String toString() {
        return "h=" + h + " atol=" + atol + " rtol=" + rtol + " mode=" + mode
                + (mode == Mode.FULL ? "" : " directions=" + directions)
                + (mode == Mode.AUTO ? " fullLimit=" + fullLimit : "");
    }
}
