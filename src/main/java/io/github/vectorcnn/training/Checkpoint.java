package io.github.vectorcnn.training;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.io.NpyArray;
import io.github.vectorcnn.io.Npz;
import io.github.vectorcnn.networks.SimpleConvNet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained (or training) network saved as NumPy {@code .npz}: everything needed to rebuild the
 * network, and to resume training exactly where it stopped.
 *
 * <p>Arrays: the parameters under their own names ({@code W1 b1 W2 b2 W3 b3}, float32, so
 * {@code np.load("model.npz")["W1"]} is the first layer's filters); the optimizer's slots as
 * {@code opt.SLOT.PARAM} (e.g. {@code opt.m.W1}); and {@code meta}, UTF-8 text of
 * {@code key=value} lines stored as an int64 array of bytes (read it in NumPy with
 * {@code bytes(z["meta"].astype("u1")).decode()}): the format version, every field of
 * {@link SimpleConvNet.Config} ({@code net.*}), the optimizer's name and hyperparameters, its step
 * count, the epoch, the trainer settings ({@code train.*}) and the metrics of the epochs trained so
 * far ({@code history.EPOCH}, each a row of metrics.csv); and {@code losses}, float32, the loss of
 * every batch of those epochs in order. With the last two a resumed run's metrics files continue
 * the first run's. A checkpoint written before they were kept has neither.
 *
 * <p>Writing goes through a temporary file and a rename ({@link Npz#write}). Reading checks that
 * every parameter is present with the shape the stored configuration implies, holds only finite
 * values, and that no array is unexpected; any failure is a {@link CheckpointException} naming the file and the array.
 */
public record Checkpoint(SimpleConvNet.Config config, Map<String, Tensor> params, String optimizer,
                         Map<String, Double> hyperparameters, Map<String, Tensor> optimizerState,
                         long steps, int epoch, Map<String, String> settings, List<EpochMetrics> history,
                         float[] batchLosses) {

    public static final String FORMAT = "vectorcnn-checkpoint";
    public static final int VERSION = 1;
    private static final String OPT = "opt.";
    private static final String META = "meta";
    private static final String HISTORY = "history.";
    private static final String LOSSES = "losses";

    public Checkpoint {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        optimizerState = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        history = List.copyOf(history);
        batchLosses = batchLosses.clone();
        // The epochs trained so far: a run from the start has 1..epoch; a run resumed from a
        // checkpoint without history has its own epochs, still consecutive and ending at epoch.
        for (int i = 0; i < history.size(); i++) {
            int expected = epoch - history.size() + 1 + i;
            if (history.get(i).epoch() != expected) {
                throw new IllegalArgumentException("checkpoint history: expected consecutive epochs ending at "
                        + epoch + ", got epoch " + history.get(i).epoch() + " where " + expected + " belongs");
            }
        }
    }

    /** A checkpoint without metrics history or batch losses. */
    public Checkpoint(SimpleConvNet.Config config, Map<String, Tensor> params, String optimizer,
                      Map<String, Double> hyperparameters, Map<String, Tensor> optimizerState,
                      long steps, int epoch, Map<String, String> settings) {
        this(config, params, optimizer, hyperparameters, optimizerState, steps, epoch, settings, List.of(),
                new float[0]);
    }

    /** The loss of every batch trained so far, in order (a copy). */
    @Override
    public float[] batchLosses() {
        return batchLosses.clone();
    }

    /** A snapshot of a network and its optimizer after {@code epoch} epochs (arrays copied). */
    public static Checkpoint of(SimpleConvNet net, Optimizer opt, int epoch, Map<String, String> settings) {
        return of(net, opt, epoch, settings, List.of(), new float[0]);
    }

    /**
     * As {@link #of(SimpleConvNet, Optimizer, int, Map)}, with the metrics of the epochs run and
     * the loss of each of their batches.
     */
    public static Checkpoint of(SimpleConvNet net, Optimizer opt, int epoch, Map<String, String> settings,
                                List<EpochMetrics> history, float[] batchLosses) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        net.params().forEach((k, v) -> p.put(k, v.copy()));
        Map<String, Tensor> s = new LinkedHashMap<>();
        opt.state().forEach((k, v) -> s.put(k, v.copy()));
        return new Checkpoint(net.config(), p, opt.name(), opt.hyperparameters(), s, opt.steps(), epoch, settings,
                history, batchLosses);
    }

    /** Writes a network and optimizer directly, without an intermediate copy. */
    public static void save(Path file, SimpleConvNet net, Optimizer opt, int epoch, Map<String, String> settings)
            throws IOException {
        save(file, net, opt, epoch, settings, List.of(), new float[0]);
    }

    /**
     * As {@link #save(Path, SimpleConvNet, Optimizer, int, Map)}, with the metrics of the epochs run
     * and the loss of each of their batches.
     */
    public static void save(Path file, SimpleConvNet net, Optimizer opt, int epoch, Map<String, String> settings,
                            List<EpochMetrics> history, float[] batchLosses) throws IOException {
        new Checkpoint(net.config(), net.params(), opt.name(), opt.hyperparameters(), opt.state(),
                opt.steps(), epoch, settings, history, batchLosses).write(file);
    }

    public void write(Path file) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        params.forEach((k, v) -> arrays.put(k, NpyArray.of(v)));
        optimizerState.forEach((k, v) -> arrays.put(OPT + k, NpyArray.of(v)));
        if (batchLosses.length > 0) {
            arrays.put(LOSSES, NpyArray.of(Tensor.wrap(batchLosses, batchLosses.length)));
        }
        byte[] text = metaText().getBytes(StandardCharsets.UTF_8);
        long[] bytes = new long[text.length];
        for (int i = 0; i < text.length; i++) {
            bytes[i] = text[i] & 0xFF;
        }
        arrays.put(META, NpyArray.ofLongs(bytes, bytes.length));
        Npz.write(file, arrays);
    }

    private String metaText() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", Integer.toString(VERSION));
        SimpleConvNet.Config c = config;
        m.put("net.channels", Integer.toString(c.channels()));
        m.put("net.height", Integer.toString(c.height()));
        m.put("net.width", Integer.toString(c.width()));
        m.put("net.filters", Integer.toString(c.filters()));
        m.put("net.filterSize", Integer.toString(c.filterSize()));
        m.put("net.filterPad", Integer.toString(c.filterPad()));
        m.put("net.filterStride", Integer.toString(c.filterStride()));
        m.put("net.poolSize", Integer.toString(c.poolSize()));
        m.put("net.poolStride", Integer.toString(c.poolStride()));
        m.put("net.hidden", Integer.toString(c.hidden()));
        m.put("net.classes", Integer.toString(c.classes()));
        m.put("net.init", c.init().name());
        m.put("net.weightStd", Double.toString(c.weightStd()));
        m.put("net.seed", Long.toString(c.seed()));
        m.put("optimizer", optimizer);
        hyperparameters.forEach((k, v) -> m.put("optimizer." + k, Double.toString(v)));
        m.put("optimizer.steps", Long.toString(steps));
        m.put("epoch", Integer.toString(epoch));
        settings.forEach((k, v) -> m.put("train." + k, v));
        history.forEach(h -> m.put(HISTORY + h.epoch(), h.csvRow()));
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> {
            if (k.contains("\n") || k.contains("=") || v.contains("\n")) {
                throw new IllegalArgumentException("checkpoint meta: expected a key without '=' or a line break and a"
                        + " one-line value, got key '" + k + "' with value '" + v + "'");
            }
            sb.append(k).append('=').append(v).append('\n');
        });
        return sb.toString();
    }

    /** Reads and checks a checkpoint; see the class comment for what is checked. */
    public static Checkpoint read(Path file) throws IOException {
        Map<String, NpyArray> arrays;
        try {
            arrays = Npz.read(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": checkpoint not found");
        } catch (IOException e) {
            throw new CheckpointException(file + ": damaged checkpoint: " + e.getMessage(), e);
        }
        NpyArray metaArray = arrays.get(META);
        if (metaArray == null || metaArray.isFloat()) {
            throw new CheckpointException(file + ": not a vectorcnn checkpoint (no integer '" + META + "' array)");
        }
        Map<String, String> meta = parseMeta(metaArray, file);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": meta format expected '" + FORMAT + "', got '"
                    + meta.get("format") + "'");
        }
        int version = intValue(meta, "version", file);
        if (version != VERSION) {
            throw new CheckpointException(file + ": checkpoint version expected " + VERSION + ", got " + version);
        }
        SimpleConvNet.Config config;
        SimpleConvNet template;
        try {
            config = new SimpleConvNet.Config(intValue(meta, "net.channels", file), intValue(meta, "net.height", file),
                    intValue(meta, "net.width", file), intValue(meta, "net.filters", file),
                    intValue(meta, "net.filterSize", file), intValue(meta, "net.filterPad", file),
                    intValue(meta, "net.filterStride", file), intValue(meta, "net.poolSize", file),
                    intValue(meta, "net.poolStride", file), intValue(meta, "net.hidden", file),
                    intValue(meta, "net.classes", file), SimpleConvNet.Init.valueOf(value(meta, "net.init", file)),
                    doubleValue(meta, "net.weightStd", file), longValue(meta, "net.seed", file));
            template = new SimpleConvNet(config);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": stored network configuration is invalid: " + e.getMessage(), e);
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : template.params().entrySet()) {
            params.put(e.getKey(), floatArray(arrays, e.getKey(), e.getValue().shape(), file));
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(OPT)) {
                String slot = key.substring(OPT.length());
                int dot = slot.indexOf('.');
                Tensor param = dot < 0 ? null : params.get(slot.substring(dot + 1));
                if (param == null) {
                    throw new CheckpointException(file + ": optimizer array '" + key
                            + "' does not name a parameter (expected opt.SLOT.PARAM)");
                }
                state.put(slot, floatArray(arrays, key, param.shape(), file));
            } else if (!key.equals(META) && !key.equals(LOSSES) && !params.containsKey(key)) {
                throw new CheckpointException(file + ": unexpected array '" + key + "'");
            }
        }
        String optimizer = value(meta, "optimizer", file);
        Map<String, Double> hyper = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("optimizer.") && !k.equals("optimizer.steps")) {
                hyper.put(k.substring("optimizer.".length()), doubleValue(meta, k, file));
            } else if (k.startsWith("train.")) {
                settings.put(k.substring("train.".length()), e.getValue());
            }
        }
        long steps = longValue(meta, "optimizer.steps", file);
        int epoch = intValue(meta, "epoch", file);
        if (steps < 0 || epoch < 0) {
            throw new CheckpointException(file + ": optimizer.steps and epoch expected >= 0, got "
                    + steps + " and " + epoch);
        }
        // The training settings a resume reads are checked here too, so that a bad one names the
        // file as well as the key. Other keys are the caller's.
        try {
            Trainer.Settings.fromMap(settings, Trainer.Settings.defaults());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": stored training settings are invalid: " + e.getMessage(), e);
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey().startsWith(HISTORY)) {
                try {
                    EpochMetrics m = EpochMetrics.parseCsvRow(e.getValue());
                    if (!e.getKey().equals(HISTORY + m.epoch())) {
                        throw new IllegalArgumentException("the row is epoch " + m.epoch());
                    }
                    history.add(m);
                } catch (IllegalArgumentException ex) {
                    throw new CheckpointException(file + ": meta " + e.getKey() + " is not a metrics row of its"
                            + " epoch: " + ex.getMessage(), ex);
                }
            }
        }
        float[] losses = new float[0];
        NpyArray lossArray = arrays.get(LOSSES);
        if (lossArray != null) {
            if (!lossArray.isFloat() || lossArray.shape().length != 1) {
                throw new CheckpointException(file + ": array '" + LOSSES + "' expected a 1-D float array, got "
                        + (lossArray.isFloat() ? "" : "an integer array of ") + "shape "
                        + Arrays.toString(lossArray.shape()));
            }
            losses = floatArray(arrays, LOSSES, lossArray.shape(), file).data();
        }
        Checkpoint cp;
        try {
            cp = new Checkpoint(config, params, optimizer, hyper, state, steps, epoch, settings, history,
                    losses);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
        try {
            cp.newOptimizer(); // validates the name, hyperparameters and slots now, not at resume time
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        }
        return cp;
    }

    private static Tensor floatArray(Map<String, NpyArray> arrays, String name, int[] shape, Path file)
            throws CheckpointException {
        NpyArray a = arrays.get(name);
        if (a == null) {
            throw new CheckpointException(file + ": missing array '" + name + "'");
        }
        if (!a.isFloat()) {
            throw new CheckpointException(file + ": array '" + name + "' expected float values, got integers");
        }
        if (!Arrays.equals(a.shape(), shape)) {
            throw new CheckpointException(file + ": array '" + name + "' expected shape " + Arrays.toString(shape)
                    + ", got " + Arrays.toString(a.shape()));
        }
        float[] v = a.floats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                // The trainer never saves a diverged state, so this file was damaged or made elsewhere.
                throw new CheckpointException(file + ": array '" + name + "' expected finite values, got "
                        + v[i] + " at index " + i);
            }
        }
        return Tensor.wrap(v, shape);
    }

    private static Map<String, String> parseMeta(NpyArray a, Path file) throws CheckpointException {
        byte[] b = new byte[a.size()];
        for (int i = 0; i < b.length; i++) {
            long v = a.longs()[i];
            if (v < 0 || v > 255) {
                throw new CheckpointException(file + ": meta byte " + i + " expected 0..255, got " + v);
            }
            b[i] = (byte) v;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new CheckpointException(file + ": meta line expected key=value, got '" + line + "'");
            }
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    private static String value(Map<String, String> meta, String key, Path file) throws CheckpointException {
        String v = meta.get(key);
        if (v == null) {
            throw new CheckpointException(file + ": meta has no '" + key + "'");
        }
        return v;
    }

    private static int intValue(Map<String, String> meta, String key, Path file) throws CheckpointException {
        try {
            return Integer.parseInt(value(meta, key, file));
        } catch (NumberFormatException e) {
            throw new CheckpointException(file + ": meta " + key + " expected an int, got '" + meta.get(key) + "'");
        }
    }

    private static long longValue(Map<String, String> meta, String key, Path file) throws CheckpointException {
        try {
            return Long.parseLong(value(meta, key, file));
        } catch (NumberFormatException e) {
            throw new CheckpointException(file + ": meta " + key + " expected a long, got '" + meta.get(key) + "'");
        }
    }

    private static double doubleValue(Map<String, String> meta, String key, Path file) throws CheckpointException {
        try {
            return Double.parseDouble(value(meta, key, file));
        } catch (NumberFormatException e) {
            throw new CheckpointException(file + ": meta " + key + " expected a number, got '" + meta.get(key) + "'");
        }
    }

    /** A network with the stored configuration and parameters. */
    public SimpleConvNet newNetwork() {
        SimpleConvNet net = new SimpleConvNet(config);
        copyInto(net);
        return net;
    }

    /** Overwrites a network's parameters with the stored ones; the shapes must agree. */
    public void copyInto(SimpleConvNet net) {
        for (Map.Entry<String, Tensor> e : net.params().entrySet()) {
            Tensor saved = params.get(e.getKey());
            if (saved == null || !Arrays.equals(saved.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("checkpoint: parameter " + e.getKey() + " expected shape "
                        + e.getValue().shapeString() + ", got " + (saved == null ? "none" : saved.shapeString()));
            }
            System.arraycopy(saved.data(), 0, e.getValue().data(), 0, saved.size());
        }
    }

    /** The stored optimizer with its hyperparameters; its state restored against the stored parameters. */
    public Optimizer newOptimizer() {
        double lr = hyperparameters.getOrDefault("lr", Double.NaN);
        double wd = hyperparameters.getOrDefault("weight_decay", 0.0);
        Optimizer opt = switch (optimizer) {
            case "momentum" -> new Momentum(lr, hyperparameters.getOrDefault("momentum", Momentum.DEFAULT_MOMENTUM), wd);
            case "nesterov" -> new Nesterov(lr, hyperparameters.getOrDefault("momentum", Nesterov.DEFAULT_MOMENTUM), wd);
            case "rmsprop" -> new RmsProp(lr, hyperparameters.getOrDefault("decay", RmsProp.DEFAULT_DECAY), wd);
            case "adam" -> new Adam(lr, hyperparameters.getOrDefault("beta1", Adam.DEFAULT_BETA1),
                    hyperparameters.getOrDefault("beta2", Adam.DEFAULT_BETA2), wd);
            default -> Optimizer.create(optimizer, lr, wd);
        };
        opt.restore(params, optimizerState, steps);
        return opt;
    }
}
