package io.github.vectorcnn.networks;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.kernels.KernelProvider;
import io.github.vectorcnn.kernels.Kernels;
import io.github.vectorcnn.kernels.WindowGeometry;
import io.github.vectorcnn.layers.Affine;
import io.github.vectorcnn.layers.ConvReluPool;
import io.github.vectorcnn.layers.Layer;
import io.github.vectorcnn.layers.Relu;
import io.github.vectorcnn.layers.SoftmaxWithLoss;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * The network of the book's chapter 7:
 * conv → relu → max-pool → affine → relu → affine → softmax-with-loss.
 *
 * <p>The first relu runs after the pool: relu is monotone, so max(relu(x)) = relu(max(x)), and
 * the gradients agree too (a window whose maximum is ≤ 0 sends nothing back either way). Same
 * bits as the book's order for inputs without NaN (SimpleConvNetTest builds the book's order and
 * compares), on a quarter of the values. Convolution, pool and relu run as one layer,
 * {@link ConvReluPool}, an image at a time: the convolution's output and its gradient (6.9 MB
 * each for a batch of 100) stay in cache instead of going to memory and back. {@link #layers()}:
 * conv+relu+pool, affine, relu, affine.
 *
 * <p>Parameters by name: W1 [FN, C, FH, FW], b1 [FN] (convolution), W2 [FN·PH·PW, hidden], b2
 * (first affine), W3 [hidden, classes], b3 (second affine). Every size comes from {@link Config};
 * the sizes between layers are computed at construction, and a configuration that does not fit
 * (a filter larger than the padded input, a pool larger than the feature map) fails there with
 * the formula and its terms.
 */
public final class SimpleConvNet {

    /** How weights are drawn: the book's fixed standard deviation, or He's sqrt(2 / fan-in). */
    public enum Init { STD, HE }

    /**
     * Sizes and initialization. Defaults are the book's: input (1, 28, 28), 30 filters 5×5 pad 0
     * stride 1, 2×2 pool stride 2, hidden 100, 10 classes, N(0, 0.01²) weights, zero biases.
     */
    public record Config(int channels, int height, int width,
                         int filters, int filterSize, int filterPad, int filterStride,
                         int poolSize, int poolStride,
                         int hidden, int classes,
                         Init init, double weightStd, long seed) {

        public static Config defaults() {
            return new Config(1, 28, 28, 30, 5, 0, 1, 2, 2, 100, 10, Init.STD, 0.01, 42L);
        }

        public Config withInput(int c, int h, int w) {
            return new Config(c, h, w, filters, filterSize, filterPad, filterStride, poolSize,
                    poolStride, hidden, classes, init, weightStd, seed);
        }

        public Config withConv(int filters, int size, int pad, int stride) {
            return new Config(channels, height, width, filters, size, pad, stride, poolSize,
                    poolStride, hidden, classes, init, weightStd, seed);
        }

        public Config withPool(int size, int stride) {
            return new Config(channels, height, width, filters, filterSize, filterPad, filterStride,
                    size, stride, hidden, classes, init, weightStd, seed);
        }

        public Config withHidden(int hidden) {
            return new Config(channels, height, width, filters, filterSize, filterPad, filterStride,
                    poolSize, poolStride, hidden, classes, init, weightStd, seed);
        }

        public Config withClasses(int classes) {
            return new Config(channels, height, width, filters, filterSize, filterPad, filterStride,
                    poolSize, poolStride, hidden, classes, init, weightStd, seed);
        }

        public Config withInit(Init init, double weightStd) {
            return new Config(channels, height, width, filters, filterSize, filterPad, filterStride,
                    poolSize, poolStride, hidden, classes, init, weightStd, seed);
        }

        public Config withSeed(long seed) {
            return new Config(channels, height, width, filters, filterSize, filterPad, filterStride,
                    poolSize, poolStride, hidden, classes, init, weightStd, seed);
        }
    }

    private final Config config;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final ConvReluPool block1;
    private final Affine affine1;
    private final Relu relu2;
    private final Affine affine2;
    private final SoftmaxWithLoss lossLayer;
    private final List<Layer> layers;
    /** The gradient tensors by parameter name, live: {@link #gradient} refills them. */
    private final Map<String, Tensor> grads;

    public SimpleConvNet(Config config) {
        this(config, KernelProvider.get());
    }

    public SimpleConvNet(Config config, Kernels kernels) {
        this.config = config;
        positive("hidden", config.hidden());
        positive("classes", config.classes());
        positive("filters", config.filters());
        if (config.init() == null) {
            throw new IllegalArgumentException("SimpleConvNet: init is null");
        }
        if (!(config.weightStd() > 0) && config.init() == Init.STD) {
            throw new IllegalArgumentException("SimpleConvNet: weightStd expected > 0, got "
                    + config.weightStd());
        }
        positive("filterSize", config.filterSize());
        positive("filterStride", config.filterStride());
        positive("poolSize", config.poolSize());
        positive("poolStride", config.poolStride());
        // The geometries' own messages name their fields (F, S, stride …), not which layer's.
        WindowGeometry conv, pool;
        try {
            conv = new WindowGeometry(config.channels(), config.height(), config.width(),
                    config.filterSize(), config.filterSize(), config.filterStride(), config.filterPad());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SimpleConvNet: convolution of " + config.channels() + "x"
                    + config.height() + "x" + config.width() + " inputs (filterSize " + config.filterSize()
                    + ", filterStride " + config.filterStride() + ", filterPad " + config.filterPad() + "): "
                    + e.getMessage(), e);
        }
        try {
            pool = new WindowGeometry(config.filters(), conv.outH(), conv.outW(),
                    config.poolSize(), config.poolSize(), config.poolStride(), 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SimpleConvNet: pooling of the " + conv.outH() + "x" + conv.outW()
                    + " convolution output (poolSize " + config.poolSize() + ", poolStride "
                    + config.poolStride() + "): " + e.getMessage(), e);
        }
        int flat = config.filters() * pool.outputPositions();

        SplittableRandom rng = new SplittableRandom(config.seed());
        int fanIn1 = config.channels() * config.filterSize() * config.filterSize();
        params.put("W1", gaussian(rng, fanIn1, config.filters(), config.channels(),
                config.filterSize(), config.filterSize()));
        params.put("b1", Tensor.zeros(config.filters()));
        params.put("W2", gaussian(rng, flat, flat, config.hidden()));
        params.put("b2", Tensor.zeros(config.hidden()));
        params.put("W3", gaussian(rng, config.hidden(), config.hidden(), config.classes()));
        params.put("b3", Tensor.zeros(config.classes()));

        block1 = new ConvReluPool(params.get("W1"), params.get("b1"), config.filterStride(),
                config.filterPad(), config.poolSize(), config.poolStride(), kernels).computeInputGradient(false);
        affine1 = new Affine(params.get("W2"), params.get("b2"), kernels);
        relu2 = new Relu(kernels);
        affine2 = new Affine(params.get("W3"), params.get("b3"), kernels);
        lossLayer = new SoftmaxWithLoss(kernels);
        layers = List.of(block1, affine1, relu2, affine2);
        Map<String, Tensor> g = new LinkedHashMap<>();
        g.put("W1", block1.grads().get("W"));
        g.put("b1", block1.grads().get("b"));
        g.put("W2", affine1.grads().get("W"));
        g.put("b2", affine1.grads().get("b"));
        g.put("W3", affine2.grads().get("W"));
        g.put("b3", affine2.grads().get("b"));
        grads = Collections.unmodifiableMap(g);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("SimpleConvNet: " + name + " expected >= 1, got " + v);
        }
    }

    private Tensor gaussian(SplittableRandom rng, int fanIn, int... shape) {
        double std = config.init() == Init.HE ? Math.sqrt(2.0 / fanIn) : config.weightStd();
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (std * gaussian(rng));
        }
        return t;
    }

    /** A standard normal by Box–Muller, so the weights depend on the seed alone, not on the JDK. */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log never sees 0
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    public Config config() {
        return config;
    }

    /** Parameters by name (W1, b1, W2, b2, W3, b3); the tensors are live. */
    public Map<String, Tensor> params() {
        return Collections.unmodifiableMap(params);
    }

    /** The layers before the loss, in order. */
    public List<Layer> layers() {
        return layers;
    }

    /** Scores [N, classes] for x [N, C, H, W]; the tensor is the last layer's buffer. */
    public Tensor predict(Tensor x) {
        Tensor t = x;
        for (Layer layer : layers) {
            t = layer.forward(t);
        }
        return t;
    }

    /** The mean cross-entropy of the scores against labels (class indices). */
    public double loss(Tensor x, int[] labels) {
        return lossLayer.forward(predict(x), labels);
    }

    /** The fraction of samples whose arg-max score is the label, evaluated batchSize at a time. */
    public double accuracy(Tensor x, int[] labels, int batchSize) {
        int n = x.dim(0), classes = config.classes();
        SoftmaxWithLoss.checkLabels("SimpleConvNet.accuracy", labels, n, classes);
        if (batchSize < 1) {
            throw new IllegalArgumentException("SimpleConvNet.accuracy: batchSize expected >= 1, got "
                    + batchSize);
        }
        int per = x.size() / n, correct = 0;
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            int[] shape = x.shape();
            shape[0] = b;
            Tensor batch = Tensor.wrap(Arrays.copyOfRange(x.data(), start * per, (start + b) * per), shape);
            float[] scores = predict(batch).data();
            for (int i = 0; i < b; i++) {
                int best = 0;
                for (int j = 1; j < classes; j++) {
                    if (scores[i * classes + j] > scores[i * classes + best]) {
                        best = j;
                    }
                }
                if (best == labels[start + i]) {
                    correct++;
                }
            }
        }
        return (double) correct / n;
    }

    /**
     * Backpropagation: runs forward and backward and returns the gradients by parameter name
     * (live tensors, overwritten by the next call). The loss of that forward is in
     * {@link #lastLoss()}.
     */
    public Map<String, Tensor> gradient(Tensor x, int[] labels) {
        lastLoss = loss(x, labels);
        Tensor d = lossLayer.backward(1f);
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d);
        }
        return grads;
    }

    private double lastLoss = Double.NaN;

    /** The loss computed by the last {@link #gradient} call. */
    public double lastLoss() {
        return lastLoss;
    }

    /**
     * Central differences of the loss, entry by entry, for every parameter (the book's
     * numerical_gradient): slow, for checking {@link #gradient} on small networks. The
     * perturbation actually applied, (w + h) − (w − h) in float, is what the difference is
     * divided by.
     */
    public Map<String, Tensor> numericalGradient(Tensor x, int[] labels, float h) {
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            float[] w = e.getValue().data();
            Tensor g = Tensor.zeros(e.getValue().shape());
            for (int i = 0; i < w.length; i++) {
                final int at = i;
                g.data()[i] = (float) centralDifference(w, at, h, () -> loss(x, labels));
            }
            result.put(e.getKey(), g);
        }
        return result;
    }

    /** (f(w + h) − f(w − h)) / ((w + h) − (w − h)) with w[at] restored afterwards. */
    static double centralDifference(float[] w, int at, float h, DoubleSupplier f) {
        float saved = w[at];
        float plus = saved + h, minus = saved - h;
        w[at] = plus;
        double fPlus = f.getAsDouble();
        w[at] = minus;
        double fMinus = f.getAsDouble();
        w[at] = saved;
        return (fPlus - fMinus) / ((double) plus - minus);
    }
}
