package io.github.vectorcnn.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species and every tuning constant of the vector kernels, in one place.
 *
 * <p>Block sizes were chosen for the development machine, an AMD EPYC of CPU family 0x1A (Zen 5,
 * AVX-512): L1d 48 KiB per core, L2 1 MiB per core (/proc/cpuinfo "cache size"; the VM exposes no
 * sysfs cache directory), L3 shared. They follow the BLIS/GotoBLAS layering:
 * <ul>
 *   <li>{@link #MR} × {@link #NR}: the register tile. 6 rows × 2 vectors = 12 accumulators, plus 2
 *       B vectors and the broadcasts: C2 loads all 6 of a k step's broadcasts before its FMAs, so
 *       20 of AVX-512's 32 vector registers (AVX2 has 16: see {@link #MR4}). 12 independent FMA
 *       chains cover 2 FMA pipes × 4 cycles latency with room to spare; per k step it issues 12
 *       FMAs against 2 vector loads + 6 broadcasts, under the load-port limit.
 *   <li>{@link #KC}: depth of one packed panel. The B micro-panel (KC × NR floats = 32 KiB at
 *       512 bits) stays in L1 while all A micro-panels of a block stream past it; the A micro-panel
 *       (6 × KC = 6 KiB) and C tile fit beside it in 48 KiB. A sweep of KC = 128…384 on 1024³ gave
 *       results within the noise of this shared machine; 256 is the largest that keeps the B
 *       micro-panel inside L1 with room for A.
 *   <li>{@link #MC}: rows of the packed A block (MC × KC × 4 B = 240 KiB), a quarter of L2, so A
 *       stays in L2 across the whole B panel with room for the B panel's streaming lines.
 *   <li>{@link #NC}: columns of the packed B panel (KC × NC × 4 B = 4 MiB at 512 bits): it lives in
 *       L3 and is reused by every A block. Where a thread's rows are one A block the panel is narrower
 *       ({@link #NC_ONE_BLOCK}, 256 KiB), so that it is still in L2 when the tiles read it.
 * </ul>
 * On an AMD EPYC of family 0x19 (Zen 3, AVX2: L1d 32 KiB, L2 512 KiB) a sweep of KC 128–512 and
 * MC 96–240 on 1024³ with the 4-row tiles gave 58–71 GFLOP/s, within that machine's noise, so the
 * defaults stay; so did a second sweep (KC 192–384, MC 120–480 on 1024³ and 2048³) once the 4-row
 * kernels read C early and A was packed.
 */
final class VectorConstants {
    private VectorConstants() {
    }

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    /**
     * The concrete vector classes, for the cast before every store:
     * {@code ((FloatVector) FLOAT_VECTOR.cast(v)).intoArray(…)} (a test checks the sources). The
     * store intrinsic needs the vector's class as a compile-time constant. A vector carried round
     * a loop (an accumulator) has only the declared type FloatVector at the loop head when C2
     * compiles the loop while it runs (on-stack replacement), and then takes the class from
     * intoArray's type profile, which every caller shares: once the 2×2 pool has stored its
     * 256-bit half vectors, the profile holds two classes, the intrinsic fails, and the loop boxes
     * its accumulators on every iteration (768 bytes per step of edge2vx4, 8× slower; seen in
     * training steps on JDK 17, reproduced on JDK 17 and 25 by TypeProfileProbe). The cast makes
     * the class exact and costs nothing when C2 already knew it. It is written at each store, not
     * in a helper method: a helper is an ordinary call, which C2 stops inlining in a kernel as
     * large as dot4x5 (NodeCountInliningCutoff), and then it boxed all 20 accumulators there.
     * The same cast goes where a loop-carried vector is the receiver of an operation (the 2×2
     * pool's probe, biasGradRows' accumulator) and on every named vector of VectorSgemm.fold4x5:
     * there the operation itself, not only the store, binds through a shared profile.
     */
    static final Class<? extends Vector<Float>> FLOAT_VECTOR = SPECIES.vectorType();
    /** The argmax lanes' class, for the same cast. */
    static final Class<? extends Vector<Integer>> INT_VECTOR = IntVector.SPECIES_PREFERRED.vectorType();

    /**
     * Whether the loops that gather (the strided im2col of {@link VectorIm2colGather}, the general
     * max-pool paths of {@link VectorPooling}, {@link #GATHER_TRANSPOSED_B}) may run: only where C2
     * compiles a gather to an instruction ({@link JitCheck#gathersCompile(int)}: x86 with AVX2).
     * Elsewhere the Vector API's Java fallback allocates every gathered vector and ran those loops
     * 1.9–7× slower than the loops without gathers (JitCheck has the figures), so they give way to
     * those. {@link #GATHER_TRANSPOSED_B} asked for 8 lanes already, which on x86 means AVX2.
     */
    static final boolean GATHERS = JitCheck.gathersCompile(LANES);

    /**
     * Vector registers the JIT can allocate: 32 with AVX-512 (16 float lanes) and on AArch64, 16
     * with AVX2. The register tiles below are sized by it ({@code -Dvectorcnn.vector.registers}
     * overrides, e.g. for an AVX-512 CPU that runs with 256-bit vectors).
     */
    static final int VECTOR_REGISTERS = Integer.getInteger("vectorcnn.vector.registers",
            LANES == 16 || "aarch64".equals(System.getProperty("os.arch")) ? 32 : 16);

    /** Register tile rows (micro-kernel {@code gemm6x2v}). */
    static final int MR = 6;
    /**
     * Rows of the tall tiles ({@code gemm12x2vSetPackedA}): two 6-row strips at once, where A and
     * B are both packed and the K block is full, with 32 vector registers ({@link #TALL_TILES}).
     */
    static final int MR12 = 2 * MR;
    /**
     * The tall tiles run where their 24 accumulators fit: C2 keeps them in AVX-512's 32 registers
     * beside the two B vectors and the broadcasts (on JDK 17 since their loop steps its indices
     * itself; before, one accumulator went to the stack and back each k step). Per k step gemm6x2v
     * issues 12 FMAs against 2 loads, 6 broadcasts and about 12 integer instructions computing
     * each A row's index (the packed A's stride is a variable there); the tall tiles, with A's
     * stride the constant KC, issue 24 FMAs against 2 loads, 12 broadcasts at constant offsets
     * from one index and 11 integer instructions. On an Intel Xeon of
     * model 0xCF (AVX-512, six-wide rename) the 6-row loop is short of the FMA ports' rate, not of
     * data. Calls alternated with the 6-row tiles (A then in place) in one JVM, one thread, median of
     * 15 paired rounds: see docs/speed/xeon-avx512.md. Same bits as the 6-row tiles.
     */
    static final boolean TALL_TILES = VECTOR_REGISTERS >= 32;
    /**
     * Register tile rows with 16 vector registers ({@code gemm4x2v}): C2 keeps a k step's
     * broadcasts and B vectors in registers beside the accumulators, 4 + 2 + 8 = 14 of 16, where
     * 6 × 2 needs 20 and kept 5 accumulators on the stack (half the speed; see VectorSgemm).
     * In-place B with a short K keeps the taller tiles ({@link #FOUR_ROW_MIN_K_IN_PLACE}).
     */
    static final int MR4 = 4;
    static final boolean FOUR_ROW_TILES = VECTOR_REGISTERS < 32;
    /**
     * With B read in place, the 4-row tiles take over from this K on (see VectorSgemm.stripRows):
     * at K = 25–30 the convolution products ran 1.3–1.6× faster with the 6- and 5-row tiles, at
     * K = 100 the affine weight gradient as fast (JDK 17) or 2× slower (JDK 25).
     */
    static final int FOUR_ROW_MIN_K_IN_PLACE = 64;
    /**
     * Alternative strip height for M that 5 divides and 6 does not (the column gradient Wᵀ·dout has
     * M = 25): the 6-row tiling would compute 30 rows for 25. With the wide tiles and B in place, also
     * for an untransposed A that both divide ({@link #NR4}). Not where the tall tiles run over
     * more than one A block (see VectorSgemm.stripRows).
     */
    static final int MR5 = 5;
    /** Register tile columns: two vectors (32 floats at 512 bits, 16 at 256). */
    static final int NR = 2 * LANES;
    /**
     * Columns of the wide tiles of 6-row strips in small-K products with B read in place
     * (gemm6x3vSetB, gemm6x3vSetT): three vectors, 18 accumulators + 3 B vectors + 1 broadcast = 22
     * vector registers. Used only with 512-bit vectors ({@link #WIDE_TILES}): AVX-512 has 32
     * registers, AVX2 16, where they spill.
     */
    static final int NR3 = 3 * LANES;
    /**
     * Columns of the wide tiles of 5-row strips (gemm5x4vSetB, gemm5x4vSetT): four vectors, 20
     * accumulators + 4 B vectors + 1 broadcast = 25 registers; with {@link #WIDE_TILES} and B read
     * in place, 5-row strips are chosen wherever 5 divides M, before 6, when A is not transposed
     * (VectorSgemm.stripRows). 4 B loads and 5 broadcasts per 20 fma against 3 and 6 per 18, and
     * 9 tiles of 5 × 64 cover a 5 × 576 strip exactly. On an Intel Xeon (model 0xCF), one thread, calls alternated with the 6 × 3 and
     * 5 × 3 tiles in one JVM, median of 21 paired rounds, two runs per JDK (JDK 17; JDK 25): NN
     * 30×576×25 (6 × 3 before) 1.04–1.11× (1.01–1.06×), TN 25×576×30 (5 × 3 before) 1.01–1.13×
     * (1.07–1.08×); over a batch, NN 30×57600×25 1.04–1.05× (1.02–1.04×) and TN 25×57600×30
     * 1.02–1.03× (1.04×); NN 60×3136×27 1.04–1.09× (1.04–1.08×). Probes of the kernels alone: 6 × 4
     * (29 registers) ran 0.89–0.93× of 5 × 4, and A packed k-major (one index, constant offsets)
     * did not beat A in place once the packing was counted.
     */
    static final int NR4 = 4 * LANES;
    static final boolean WIDE_TILES = LANES == 16 && VECTOR_REGISTERS >= 32;
    /**
     * A transposed B of one K block (β = 0) with M within one A block is copied row-major, a panel
     * of columns at a time (VectorSgemm.transposeB), and read like an untransposed B in place: by
     * the wide tiles (5 × 4 or 6 × 3 vectors, as VectorSgemm.stripRows picks) instead of the
     * two-vector tiles over packed strips. The affine layer's input gradient dout·Wᵀ
     * (NT 100 × 4320 × 100) took the 5 × 2 tiles, where x·W of the same size took the 5 × 4 ones
     * in place at about twice the speed.
     * Intel Xeon (model 0xCF), one thread, old and new code alternated in one JVM, median of 11
     * paired rounds, the builds in either order, four runs on JDK 17 and two on JDK 25 (JDK 17;
     * JDK 25): NT 100 × 4320 × 100 1.13–1.50× (1.21–1.40×), TT 100 × 4320 × 100 1.16–1.52×
     * (1.17–1.39×), NT 30 × 576 × 25 1.34–1.65× (1.56–1.61×), NT 100 × 100 × 100 1.22–1.27×
     * (1.14–1.16×); NN 100 × 4320 × 100, unchanged, 0.99–1.02×. The training step (two builds
     * alternated, 31 rounds of 20 steps): 1.05× and 1.11× on one thread, 1.01× and 1.03× on two
     * (JDK 17; JDK 25 1.00–1.04×). Not where M spans several A blocks: NT 1024 × 1024 × 256 ran
     * 0.75× (it loses the tall tiles), and K = 100 or 200 0.85–1.12×, no clear gain.
     */
    static final boolean TRANSPOSED_B_PANELS = WIDE_TILES;
    /**
     * Whether a transposed B is packed into strips (and copied, {@link #TRANSPOSED_B_PANELS}) by
     * gathers, LANES values ldb apart at a time, rather than one value at a time: on x86 from 8
     * lanes on. Intel Xeon (model 0xCF), JDK 17, one thread, old and new packing alternated in one
     * JVM, median of 11 paired rounds, either order: with 8 lanes and 16 registers (AVX2's
     * kernels) NT 100 × 4320 × 100 1.07–1.08× and NT 30 × 576 × 25 1.08–1.23×; with 16 lanes
     * NT 1024³ 1.01–1.03× (and, before TRANSPOSED_B_PANELS took them, NT 100 × 4320 × 100
     * 1.11–1.12×, NT 30 × 576 × 25 1.35×); with 4 lanes 0.96–1.04×. Only where {@link #GATHERS}.
     */
    static final boolean GATHER_TRANSPOSED_B = LANES >= 8 && GATHERS;
    /**
     * From this many columns on (of a thread's share), a row-major A with α = 1 is packed after
     * all instead of read in place: each A block then meets at least 16 B strips, and a contiguous
     * block in L2 beat rows lda apart. Zen 3, calls alternated in one JVM, median of the paired
     * ratios: 1024³ and 2048³ 1.06–1.08× on JDK 17 and 25, 512³ 1.02×, NN 64×3136×576 1.01×; the
     * affine forward (N = 100) stays in place. The 6-row strips pack A too where the tall tiles use
     * it ({@link #TALL_TILES}: B packed, a full K block); otherwise the 6- and 5-row strips keep it
     * in place.
     */
    static final int PACK_A_MIN_N = 256;
    /**
     * Row panels of a wide product with B read in place (a convolution product over a batch as one
     * product, NN 30 × 57,600 × 25): per panel of ROW_PANEL_FLOATS / K columns (rounded down to a
     * multiple of 6 · LANES, whole strips of two and of three vectors; the 5-row strips' four-vector
     * tiles may leave a two-vector strip at a panel's end), B's K rows are copied into one
     * contiguous block (where more than {@link #ROW_PANEL_MAX_STRIPS_IN_PLACE} strips, or more than
     * {@link #ROW_PANEL_MAX_ROWS_IN_PLACE} rows over all strips, read it), and
     * the panel runs one row strip at a time, each writing its 4–6 C rows front to back. In place
     * and without panels, the tiles of one 16-column strip touched K rows of B and M rows of C
     * 230 KB apart: 55 streams, more than the prefetcher follows. Copying C through a panel as
     * well gained less (1.19–1.41×). 128 KiB, a quarter of Zen 3's L2; 16 K and 64 K
     * floats ran within the noise of it. Zen 3, JDK 17, one thread, calls alternated in one JVM,
     * median of the paired ratios, copied panels against no panels (B in place in the old tile
     * order): NN 30×57600×25 1.79×, TN 25×57600×30 1.52×, NN 240×20000×64 1.63×. The first two now
     * read their rows in place (ROW_PANEL_MAX_STRIPS_IN_PLACE), which was measured on the Xeon only.
     */
    static final int ROW_PANEL_FLOATS = Integer.getInteger("vectorcnn.gemm.rowpanel", 32 * 1024);
    /**
     * A row panel swept by at most this many row strips (and at most
     * {@link #ROW_PANEL_MAX_ROWS_IN_PLACE} rows in all) reads B's rows where they lie instead of
     * copying them. Our reading, not measured: the copy read the whole panel from L3 before any
     * tile ran, where in place the first strip's tiles compute while their loads bring the rows
     * in, and the later strips find them in L2; with more strips the panel is read more often, and
     * its contiguous copy (fewer pages, one stride) pays for itself. Intel Xeon 0xCF, JDK 17, one
     * thread, both builds alternated in one JVM, median of 15–21 paired rounds, in either order,
     * in place against the copy: 5-row strips, M = 30 (6 strips) NN 30 × 57,600 × 25 1.10–1.16×
     * (K = 36 to 64 1.09–1.14×), TN 25 × 57,600 × 30 1.09–1.25×, M = 60 (12 strips) 1.08–1.10×
     * and TN 1.11–1.15×, M = 90, 120 and 150 (18–30 strips) 0.92–0.97×, M = 240 0.81–0.92×;
     * 6-row strips, M = 36 (6 strips) 1.13–1.15×, M = 72 (12 strips) 1.08–1.09×; two threads,
     * M = 30 and TN M = 25, 1.08–1.11×; 8 lanes and 16 registers (-XX:UseAVX=2 on the same
     * machine) 0.98–1.22×; JDK 25, NN 1.14–1.24×, TN 1.24–1.25×, M = 72 1.07–1.08×. Just past
     * the threshold, M = 65, 75 and 85 (13–17 strips of 5 rows), in place ran 0.94–1.00×. An AVX2
     * machine was not measured. Panels of 16 K or 64 K floats ran within 3 % of 32 K either way.
     */
    static final int ROW_PANEL_MAX_STRIPS_IN_PLACE = 12;
    /**
     * A row panel is read in place only where its strips also read at most this many of B's rows
     * in all (strips × K, beside {@link #ROW_PANEL_MAX_STRIPS_IN_PLACE}). In place a tile reads K
     * rows ldb apart, each in a page of its own, where the copy's rows lie one panel width apart
     * (our guess at the cost, not measured). Same harness, in place against the copy (JDK 17):
     * M = 30 (6 strips of 5 rows) K = 64 (384 rows) 1.09–1.10×, K = 96 1.05×, K = 128
     * 0.96–0.98×, K = 200 and 256 0.97–1.03× (TN K = 200 1.03–1.08×); M = 60 (12 strips) K = 30
     * (360 rows) 1.08–1.10×, K = 64 0.83–0.90×, K = 96 0.83–0.92×, K = 256 0.89–0.93×.
     */
    static final int ROW_PANEL_MAX_ROWS_IN_PLACE = 384;
    /**
     * The row panels are used from this many floats of B and C, (K + M) · N, on: 4 MiB. Smaller
     * products stay in the cache, where the copy only costs: with panels at any size, N = 1,500 to
     * 12,000 (M, K = 30, 25) ran 0.85–1.04× and N = 24,000 1.48–1.57×.
     */
    static final long ROW_PANEL_MIN_FLOATS = Long.getLong("vectorcnn.gemm.rowpanelmin", 1L << 20);
    // The system properties exist for tuning sweeps on other CPUs; the defaults are this CPU's.
    static final int KC = Math.max(1, Integer.getInteger("vectorcnn.gemm.kc", 256));
    // A multiple of every strip height (6, 5 and 4 rows: 60), so no MC block ends in a short strip.
    static final int MC = roundUp(Math.max(1, Integer.getInteger("vectorcnn.gemm.mc", 240)), 60);
    static final int NC = roundUp(Math.max(1, Integer.getInteger("vectorcnn.gemm.nc", 4096)), NR);
    /**
     * Columns of the B panel when a thread's rows are at most {@link #MC} (one A block) and B is
     * packed: the panel is then read once per K block, right after it is packed, so a panel that
     * stays in L2 (KC × 256 × 4 B = 256 KiB at 512 bits, beside the 240 KiB A block) is read back
     * from there instead of from L3. The price is packing A once per panel (M × KC values against
     * the panel's KC × 256): small while M is one block, which is why more rows keep {@link #NC}
     * (with 256 or 512 for every M, 1024³ ran 0.96–0.98×). Intel Xeon 0xCF (L2 2 MiB), one
     * thread, both builds alternated in one JVM, median of 15 paired rounds, against NC for all
     * (JDK 17, two runs; JDK 25): NN 64 × 3136 × 576 (a 64-channel 3 × 3 layer per image)
     * 1.11–1.13×, 1.15×; NN 128 × 3136 × 576 1.13–1.14×, 1.09×; NT 100 × 4320 × 100
     * (SimpleConvNet's affine input gradient) 1.03–1.07×, 1.09×; NN 240 × 2000 × 300 1.06×,
     * 1.07×; 1024³ and 2048³ (not changed) 0.99–1.03×. 512 columns gained 4–6 % less than 256 on
     * the first two. Measured on that machine only: with Zen 3's 512 KiB L2 the panel and the A
     * block would fill it.
     */
    static final int NC_ONE_BLOCK = roundUp(Math.max(1, Integer.getInteger("vectorcnn.gemm.nconeblock", 256)), NR);

    /**
     * A·Bᵀ with C at most this many elements and K at least {@link #DOT_MIN_K} runs as blocked dot
     * products along K instead of packed panels: both operands have K contiguous, so packing would
     * transpose one of them, which for the filter gradient (C = 30 × 25, K = 576 per image) cost
     * about as much as the product.
     */
    static final int DOT_MAX_MN = 64 * 64;
    static final int DOT_MIN_K = 4 * LANES;
    /**
     * A rows per dot-product block: 4 × {@link #DOT_B} = 20 accumulators + 9 operands with 32
     * vector registers ({@code dot4x5}); 3 × 3 = 9 + 6 with 16 ({@code dot3x3}).
     */
    static final int DOT_A = VECTOR_REGISTERS >= 32 ? 4 : 3;
    /**
     * B rows per dot-product block: 5 divides the filter gradient's N = 25, and 4 × 5 leaves the
     * 30 × 25 product 40 blocks with two duplicated A rows. 5 × 5 (25 accumulators, 31 registers)
     * spilled and ran at 12 µs instead of 9 on that product; 4 × 4 computed 19% duplicates. With
     * 16 registers, 3 × 3 (27 columns for 25).
     */
    static final int DOT_B = VECTOR_REGISTERS >= 32 ? 5 : 3;
    /**
     * The transposing fold of {@code dot4x5}'s accumulators, level by level: level v (1 up to
     * log2 LANES) pairs vectors X, Y with h = LANES / 2^v as
     * {@code X.blend(Y, FOLD_UPPER_v) + Y.blend(X, FOLD_UPPER_v).rearrange(FOLD_SWAP_v)}, whose
     * lane l holds X[l] + X[l + h] where bit h of l is clear and Y[l − h] + Y[l] where it is set:
     * the pairs foldSum adds at that level (in the Y half with the operands swapped: the same bits,
     * addition being commutative). FOLD_UPPER_v selects the lanes with bit h set,
     * FOLD_SWAP_v exchanges lane l with lane l XOR h. Separate fields, not arrays: C2 takes a
     * static final field for a constant, not an array element. Levels past log2 LANES (3 and 4 with
     * 4 lanes, 4 with 8) are never run and repeat h = 1.
     */
    static final VectorMask<Float> FOLD_UPPER_1 = upperLanes(1);
    static final VectorMask<Float> FOLD_UPPER_2 = upperLanes(2);
    static final VectorMask<Float> FOLD_UPPER_3 = upperLanes(3);
    static final VectorMask<Float> FOLD_UPPER_4 = upperLanes(4);
    static final VectorShuffle<Float> FOLD_SWAP_1 = swapLanes(1);
    static final VectorShuffle<Float> FOLD_SWAP_2 = swapLanes(2);
    static final VectorShuffle<Float> FOLD_SWAP_3 = swapLanes(3);
    static final VectorShuffle<Float> FOLD_SWAP_4 = swapLanes(4);
    /**
     * Whether dot4x5's accumulators are folded in registers (VectorSgemm.fold4x5): the fold is
     * written out for 4, 8 and 16 lanes (4 levels at most). With wider vectors (SVE, up to 2048
     * bits) foldSum sums them one by one, as it does the 3 × 3 blocks'.
     */
    static final boolean DOT_FOLD_IN_REGISTERS = DOT_A == 4 && LANES <= 16;
    /**
     * Pairing consecutive vectors at every level of the fold leaves the sum of dot4x5's
     * accumulator q = 5·r + s in vector q / LANES at the lane whose log2(LANES) bits are those of
     * q mod LANES reversed; this shuffle (reversing a lane's bits is its own inverse) puts each sum
     * at lane q mod LANES, so that the 20 sums lie in order in memory.
     */
    static final VectorShuffle<Float> FOLD_ORDER = VectorShuffle.fromOp(SPECIES,
            l -> Integer.reverse(l) >>> (32 - Integer.numberOfTrailingZeros(LANES)));

    private static VectorMask<Float> upperLanes(int level) {
        int h = Math.max(1, LANES >> level);
        long bits = 0;
        for (int l = 0; l < LANES; l++) {
            if ((l & h) != 0) {
                bits |= 1L << l;
            }
        }
        return VectorMask.fromLong(SPECIES, bits);
    }

    private static VectorShuffle<Float> swapLanes(int level) {
        int h = Math.max(1, LANES >> level);
        return VectorShuffle.fromOp(SPECIES, l -> l ^ h);
    }

    /**
     * Floats of A and B rows one K panel of the dot-product path may span (512 KiB: half of Zen 5's
     * 1 MiB L2, all of Zen 3's 512 KiB): a longer K runs panel by panel, in the general
     * blocks and in the copies of ShapedDot3x3 alike, every block's accumulators carried
     * through memory from one panel to the next, so each operand comes from memory once instead of
     * once per block row or column. The filter gradient summed over a batch as one product
     * (30 × 25, K = 57,600: 12.7 MB of operands) read them 13 times over, 5 times for A and 8 for
     * B. One panel per image (K = 576) keeps its accumulators in registers as before. The panels
     * were 256 KiB until ShapedDot3x3's copies ran them; with the copies, 512 KiB ran that batch
     * product 1.01–1.05× faster on one thread on JDK 17 and 1.02–1.04× on JDK 25, and 1.08–1.14×
     * and 0.99–1.02× on two threads (Zen 3, builds alternated in one JVM; two runs on one thread,
     * four on two). On two threads 1 MiB or a single panel for all of K ran about the same as 512
     * KiB, 128 KiB 0.96–0.97× and 64 KiB 0.82–0.83× of 256 KiB: on Zen 3 fewer and longer passes
     * count, more than a panel that leaves room in L2. Not measured on Zen 5.
     */
    static final int DOT_PANEL_FLOATS = 128 * 1024;

    /**
     * A product whose last column strip holds at most this many columns (N mod {@link #NR}) computes
     * them apart from the packed panels ({@code VectorSgemm.columnEdge}): as a one-vector tile they
     * cost 16 columns' work for 4 (N = 100 in the affine layers; the times are with columnEdge).
     */
    static final int EDGE_MAX_COLS = LANES / 2;
    /**
     * The edge of an untransposed A runs as dot products along K, whose reduction per element pays
     * off only on a long K (the affine forward: K = 4320); shorter ones keep the one-vector tile.
     */
    static final int EDGE_DOT_MIN_K = 256;

    /**
     * Below this many multiply-adds a GEMM runs on the calling thread. Chosen when a
     * Parallel.forEach hand-off measured about 9 µs (the executor and latch since replaced by the
     * spinning pool: 0.3–0.7 µs back to back, tens of µs when a helper has parked); 2^21
     * multiply-adds take about 25 µs on one core, so smaller products would have spent as long
     * handing off as computing. Not re-tuned since the pool changed.
     */
    static final long PARALLEL_MIN_WORK = 1L << 21;

    /**
     * A product that would be split by columns with fewer column strips than this per task is
     * split by rows instead when it has this many row strips per thread, and otherwise also splits
     * the strips' rows ({@code Split.runGrid}): below it, whole strips per thread leave one thread
     * up to a strip more than the other (100 columns on two threads: 64 against 36).
     */
    static final int GRID_MAX_UNITS_PER_TASK = 4;

    /**
     * The gathering im2col ({@code VectorIm2colGather}) keeps a zero-bordered copy of a channel
     * per thread; beyond this many times the channel's size (and 64 K values) the strided loop
     * runs instead: a 1 × 1 image with a padding of 4,000 made that copy 256 MB per thread.
     */
    static final int MAX_PADDED_GROWTH = 4;

    /**
     * What one of the last few columns ({@code VectorSgemm.columnEdge}) weighs against a column of
     * a full strip when a grid split shares out the work: the affine forward's 4 edge columns
     * took 57 µs against 162 µs for a 32-column strip (one thread, K = 4320), about 3× per column.
     */
    static final int EDGE_COLUMN_WEIGHT = 3;

    /**
     * Whether kernels are compiled per shape ({@code ShapedKernels}); {@code
     * -Dvectorcnn.shaped=false} runs the general kernels for every shape (same bits), e.g. to time
     * the difference or where defining classes at run time is not wanted.
     */
    static final boolean SHAPED = Boolean.parseBoolean(System.getProperty("vectorcnn.shaped", "true"));
    /**
     * Shapes per kernel that get their own compiled copy ({@code ShapedKernels}): a network has a
     * few; a sweep over many shapes (the differential tests) should not define a class and wait
     * for C2 for each of them, and copies are kept while the library's classes are loaded.
     */
    static final int MAX_SHAPES_PER_KERNEL = 64;
    /**
     * ShapedDot3x3 copies each thread keeps at hand, by row strides, so that a product finds its
     * copy without ShapedKernels' map lookup, whose key is allocated: SimpleConvNet's step uses
     * two (the filter gradient and the affine forward's edge columns); four leave room for a
     * deeper network's.
     */
    static final int DOT_COPIES_KEPT = 4;

    /**
     * Σ of the lanes of v in a fixed pairwise order, through {@code scratch} (≥ LANES floats).
     * Not {@code reduceLanes(ADD)}: its order is unspecified and differs between C2-compiled and
     * interpreted code on JDK 25, so the same sum computed on a cold and on a warm thread gave
     * different bits, and results depended on the thread count.
     */
    static float sumLanes(FloatVector v, float[] scratch) {
        ((FloatVector) FLOAT_VECTOR.cast(v)).intoArray(scratch, 0);
        // Groups of four (LANES is a multiple of 4 from 128 bits up): short dependency chains and
        // no stores back into scratch. Measured on the filter-gradient product (JDK 17): this 60
        // GFLOPS, an in-place tree through scratch 37, an XOR butterfly of rearranges 44,
        // reduceLanes 79 (but not deterministic).
        float sum = 0f;
        for (int i = 0; i < LANES; i += 4) {
            sum += (scratch[i] + scratch[i + 1]) + (scratch[i + 2] + scratch[i + 3]);
        }
        return sum;
    }

    private static int roundUp(int x, int multiple) {
        return Math.max(multiple, (x + multiple - 1) / multiple * multiple);
    }
}
