package io.github.vectorcnn.layers;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.Parallel;
import io.github.vectorcnn.kernels.WindowGeometry;

import java.util.Map;

/**
 * 2-D convolution (cross-correlation, as PyTorch's conv2d) by im2col + GEMM, one image at a time.
 *
 * <p>Shapes: x [N, C, H, W], W [FN, C, FH, FW], b [FN] → out [N, FN, OH, OW].
 * Forward per image n: col_n = im2col(x_n) [C·FH·FW, OH·OW]; out_n = W·col_n + b.
 * Cached for backward: a copy of x, not col. Backward redoes im2col per image into a per-thread
 * buffer, as Caffe does: col is C·FH·FW times larger than x (25× in SimpleConvNet, 5.5 MB for a
 * batch of 100, against 57 KB per thread now). The second im2col costs about what writing col out
 * and reading it back did: SimpleConvNet's training step measured the same within noise.
 * Backward per image: dW += dout_n·col_nᵀ, db += Σ dout_n, dx_n = col2im(Wᵀ·dout_n).
 *
 * <p>Threads ({@link Parallel}): forward runs images in parallel (each writes its own output, with
 * its thread's col buffer). Backward cuts the batch into chunks of {@value #IMAGES_PER_CHUNK}
 * images, a constant and not the thread count; each chunk sums its images' dW and db in image
 * order into its own partial, and the partials are then added in chunk order. Every sum is thus
 * taken in one fixed order and the gradients are bitwise identical whatever the number of threads.
 */
public final class Convolution implements Layer {
    private final Kernels kernels;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor dWeight;
    private final Tensor dBias;
    /** Built once: a training step asks for them every time and should allocate nothing. */
    private final Map<String, Tensor> params;
    private final Map<String, Tensor> grads;
    private final int stride;
    private final int pad;
    private boolean inputGradient = true;

    /** Images per backward chunk: enough to keep partials few, small enough to balance 2–8 threads. */
    static final int IMAGES_PER_CHUNK = 4;

    private WindowGeometry geometry;
    private int batch;
    private Tensor input;                     // the copy of x that backward's im2col reads
    private final Scratch col = new Scratch();   // one im2col matrix per worker thread
    private final Scratch dcol = new Scratch();  // one im2col matrix per worker thread
    private float[] dWeightParts = new float[0]; // [chunks, FN·K]
    private float[] dBiasParts = new float[0];   // [chunks, FN]
    private Tensor out;
    private Tensor dx;

    public Convolution(Tensor weight, Tensor bias, int stride, int pad) {
        this(weight, bias, stride, pad, KernelProvider.get());
    }

    public Convolution(Tensor weight, Tensor bias, int stride, int pad, Kernels kernels) {
        Shapes.require(name(), "W", weight, -1, -1, -1, -1);
        Shapes.require(name(), "b", bias, weight.dim(0));
        if (stride < 1) {
            throw new IllegalArgumentException(name() + ": stride expected >= 1, got " + stride);
        }
        if (pad < 0) {
            throw new IllegalArgumentException(name() + ": pad expected >= 0, got " + pad);
        }
        this.kernels = kernels;
        this.weight = weight;
        this.bias = bias;
        this.dWeight = Tensor.zeros(weight.shape());
        this.dBias = Tensor.zeros(bias.shape());
        this.params = Shapes.named(weight, bias);
        this.grads = Shapes.named(dWeight, dBias);
        this.stride = stride;
        this.pad = pad;
    }

    @Override
    public String name() {
        return "Convolution";
    }

    /**
     * Whether backward computes dx. The first layer of a network has no use for it, and skipping
     * it saves a GEMM and a col2im per image; backward then returns null.
     */
    public Convolution computeInputGradient(boolean enabled) {
        this.inputGradient = enabled;
        return this;
    }

    public int filters() {
        return weight.dim(0);
    }

    public int stride() {
        return stride;
    }

    public int pad() {
        return pad;
    }

    @Override
    public Tensor forward(Tensor x) {
        WindowGeometry g = beginForward(x);
        int fn = filters(), p = g.outputPositions();
        out = Shapes.reuse(out, batch, fn, g.outH(), g.outW());
        float[] o = out.data();
        Parallel.forEach(batch, (i, worker) -> forwardImage(i, worker, o, i * fn * p));
        return out;
    }

    /** The geometry of a forward on x, checked; the layer's state is not touched. */
    WindowGeometry geometryFor(Tensor x) {
        Shapes.require(name(), "input", x, -1, weight.dim(1), -1, -1);
        return new WindowGeometry(x.dim(1), x.dim(2), x.dim(3), weight.dim(2), weight.dim(3), stride, pad);
    }

    /** Checks x, caches a copy of it for backward and sizes the per-thread col buffers. */
    WindowGeometry beginForward(Tensor x) {
        return beginForward(x, geometryFor(x));
    }

    /** {@link #beginForward(Tensor)} with the geometry {@link #geometryFor} gave for x. */
    WindowGeometry beginForward(Tensor x, WindowGeometry g) {
        col.reserve();
        input = Shapes.reuse(input, x.shape());
        System.arraycopy(x.data(), 0, input.data(), 0, x.size());
        geometry = g;
        batch = x.dim(0);
        return g;
    }

    /** Image i's output [FN, OH·OW] into o at outOff, with thread {@code worker}'s col buffer. */
    void forwardImage(int i, int worker, float[] o, int outOff) {
        WindowGeometry g = geometry;
        int fn = filters(), k = g.patchSize(), p = g.outputPositions();
        float[] cols = col.get(worker, g.colSize());
        kernels.im2col(g, input.data(), i * g.inputSize(), cols, 0);
        kernels.sgemm(false, false, fn, p, k, 1f, weight.data(), 0, k, cols, 0, p, 0f, o, outOff, p);
        kernels.biasAddRows(fn, p, bias.data(), 0, o, outOff);
    }

    @Override
    public Tensor backward(Tensor dout) {
        Shapes.requireForward(name(), geometry);
        WindowGeometry g = geometry;
        int per = filters() * g.outputPositions();
        Shapes.require(name(), "dout", dout, batch, filters(), g.outH(), g.outW());
        float[] d = dout.data();
        return backward(new OutputGradient() {
            @Override
            public float[] array(int worker) {
                return d;
            }

            @Override
            public int prepare(int image, int worker) {
                return image * per;
            }
        });
    }

    /**
     * Where backward finds image i's output gradient [FN, OH·OW]: in the batch's dout, or (a
     * fused layer) computed per image into a per-thread array.
     */
    interface OutputGradient {
        /** The array that holds the gradients of the images thread {@code worker} runs. */
        float[] array(int worker);

        /** Makes image i's gradient ready (on thread {@code worker}) and returns its offset. */
        int prepare(int image, int worker);
    }

    /** Backward with each image's output gradient where {@code source} says. */
    Tensor backward(OutputGradient source) {
        Shapes.requireForward(name(), geometry);
        WindowGeometry g = geometry;
        int n = batch, fn = filters(), k = g.patchSize(), p = g.outputPositions();
        float[] w = weight.data(), xs = input.data();
        col.reserve();
        int colSize = g.colSize(), chunks = (n + IMAGES_PER_CHUNK - 1) / IMAGES_PER_CHUNK;
        if (dWeightParts.length != chunks * fn * k) {
            dWeightParts = new float[chunks * fn * k];
            dBiasParts = new float[chunks * fn];
        }
        float[] dwParts = dWeightParts, dbParts = dBiasParts;
        float[] dxs;
        if (inputGradient) {
            dx = Shapes.reuse(dx, n, g.channels(), g.height(), g.width());
            dx.fill(0f);
            dcol.reserve();
            dxs = dx.data();
        } else {
            dxs = null;
        }
        Parallel.forEach(chunks, (chunk, worker) -> {
            int dwOff = chunk * fn * k, dbOff = chunk * fn;
            java.util.Arrays.fill(dbParts, dbOff, dbOff + fn, 0f);
            int end = Math.min(n, (chunk + 1) * IMAGES_PER_CHUNK);
            float[] cols = col.get(worker, colSize), d = source.array(worker);
            for (int i = chunk * IMAGES_PER_CHUNK; i < end; i++) {
                int dOff = source.prepare(i, worker);
                float beta = i == chunk * IMAGES_PER_CHUNK ? 0f : 1f;
                kernels.im2col(g, xs, i * g.inputSize(), cols, 0);
                kernels.sgemm(false, true, fn, k, p, 1f, d, dOff, p, cols, 0, p, beta, dwParts, dwOff, k);
                kernels.biasGradRows(fn, p, d, dOff, dbParts, dbOff);
                if (dxs != null) {
                    float[] dcols = dcol.get(worker, colSize);
                    kernels.sgemm(true, false, k, p, fn, 1f, w, 0, k, d, dOff, p, 0f, dcols, 0, p);
                    kernels.col2im(g, dcols, 0, dxs, i * g.inputSize());
                }
            }
        });
        float[] dw = dWeight.data(), db = dBias.data();
        System.arraycopy(dwParts, 0, dw, 0, fn * k);
        System.arraycopy(dbParts, 0, db, 0, fn);
        for (int chunk = 1; chunk < chunks; chunk++) {
            for (int j = 0; j < fn * k; j++) {
                dw[j] += dwParts[chunk * fn * k + j];
            }
            for (int j = 0; j < fn; j++) {
                db[j] += dbParts[chunk * fn + j];
            }
        }
        return inputGradient ? dx : null;
    }

    @Override
    public Map<String, Tensor> params() {
        return params;
    }

    @Override
    public Map<String, Tensor> grads() {
        return grads;
    }
}
