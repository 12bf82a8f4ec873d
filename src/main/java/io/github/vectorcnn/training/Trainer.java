package io.github.vectorcnn.training;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.data.DataSet;
import io.github.vectorcnn.io.AtomicFiles;
import io.github.vectorcnn.networks.SimpleConvNet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mini-batch training of a {@link SimpleConvNet}: each epoch visits every training image once in
 * an order shuffled from (seed, epoch), then evaluates on a fixed training sample and on the whole
 * test set.
 *
 * <p>Determinism: the shuffle of epoch e depends on the seed and e alone, and nothing else here
 * is random, so the same seed gives the same weights and metrics bit for bit (given kernels that
 * are deterministic themselves), and resuming from the checkpoint of epoch e continues exactly as
 * the uninterrupted run would have.
 *
 * <p>Divergence: when a batch loss is NaN or infinite, training stops before that batch's update,
 * the checkpoint file (if any) keeps the last completed epoch, and {@link Result#diverged()} says
 * so with a message.
 */
public final class Trainer {

    /**
     * Epochs (total, counting those a resumed run already did), images per batch, the shuffle
     * seed, how many training images (the first ones) to evaluate each epoch, and the batch size
     * for evaluation.
     */
    public record Settings(int epochs, int batchSize, long seed, int trainSample, int evalBatchSize) {
        public Settings {
            positive("epochs", epochs);
            positive("batchSize", batchSize);
            positive("trainSample", trainSample);
            positive("evalBatchSize", evalBatchSize);
        }

        /** 5 epochs of batch 100, seed 42, 1,000 training images evaluated (as the book does). */
        public static Settings defaults() {
            return new Settings(5, 100, 42L, 1000, 500);
        }

        public Settings withEpochs(int e) {
            return new Settings(e, batchSize, seed, trainSample, evalBatchSize);
        }

        public Settings withBatchSize(int b) {
            return new Settings(epochs, b, seed, trainSample, evalBatchSize);
        }

        public Settings withSeed(long s) {
            return new Settings(epochs, batchSize, s, trainSample, evalBatchSize);
        }

        public Settings withTrainSample(int n) {
            return new Settings(epochs, batchSize, seed, n, evalBatchSize);
        }

        private static void positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException("Trainer.Settings: " + name + " expected >= 1, got " + v);
            }
        }

        /** As stored in a checkpoint's meta. */
        public Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("epochs", Integer.toString(epochs));
            m.put("batchSize", Integer.toString(batchSize));
            m.put("seed", Long.toString(seed));
            m.put("trainSample", Integer.toString(trainSample));
            m.put("evalBatchSize", Integer.toString(evalBatchSize));
            return m;
        }

        /**
         * Back from {@link #asMap()}; missing keys take the values of {@code fallback}, other keys
         * are ignored. A value that is not a number, or out of range, is an
         * IllegalArgumentException naming its key.
         */
        public static Settings fromMap(Map<String, String> m, Settings fallback) {
            return new Settings(
                    (int) number(m, "epochs", fallback.epochs, true),
                    (int) number(m, "batchSize", fallback.batchSize, true),
                    number(m, "seed", fallback.seed, false),
                    (int) number(m, "trainSample", fallback.trainSample, true),
                    (int) number(m, "evalBatchSize", fallback.evalBatchSize, true));
        }

        private static long number(Map<String, String> m, String key, long fallback, boolean isInt) {
            String v = m.get(key);
            if (v == null) {
                return fallback;
            }
            try {
                return isInt ? Integer.parseInt(v) : Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Trainer.Settings: " + key + " expected "
                        + (isInt ? "an int" : "a long") + ", got '" + v + "'");
            }
        }
    }

    /**
     * The epochs this fit ran (after a resume, not the earlier ones, which the metrics files and
     * the checkpoint still carry), the loss of every batch in order, and whether (and why)
     * training stopped early. {@link #finalTestAccuracy()} is the last completed epoch's.
     */
    public record Result(List<EpochMetrics> history, float[] batchLosses, boolean diverged, String message) {
        public double finalTestAccuracy() {
            return history.isEmpty() ? Double.NaN : history.get(history.size() - 1).testAccuracy();
        }
    }

    private final SimpleConvNet net;
    private final Optimizer optimizer;
    private final Settings settings;
    private TrainingListener listener = TrainingListener.NONE;
    private Path checkpoint;
    private Path metricsCsv;
    private Path metricsJson;
    private Path lossesCsv;
    private int completedEpochs;
    /** Every completed epoch's metrics, a resumed checkpoint's first: what metrics files and checkpoints hold. */
    private final List<EpochMetrics> epochs = new ArrayList<>();
    /** The loss of every batch run, a resumed checkpoint's first; the first lossCount are used. */
    private float[] allLosses = new float[0];
    private int lossCount;
    /** Why an earlier fit stopped on a non-finite loss; the network holds that state, so no later fit may run. */
    private String diverged;
    /** The resumed checkpoint's settings map (with the training set's digest), or null. */
    private Map<String, String> resumedSettings;

    public Trainer(SimpleConvNet net, Optimizer optimizer, Settings settings) {
        this.net = net;
        this.optimizer = optimizer;
        this.settings = settings;
    }

    /**
     * A trainer that continues from a checkpoint: its network, optimizer state, epoch count, and
     * the metrics and batch losses of its epochs, which this trainer's metrics files, checkpoints,
     * {@link #history()} and {@link #batchLosses()} start with.
     */
    public static Trainer resume(Checkpoint cp, Settings settings) {
        Trainer t = new Trainer(cp.newNetwork(), cp.newOptimizer(), settings);
        t.resumedSettings = cp.settings();
        t.completedEpochs = cp.epoch();
        t.epochs.addAll(cp.history());
        t.allLosses = cp.batchLosses();
        t.lossCount = t.allLosses.length;
        return t;
    }

    public Trainer listener(TrainingListener l) {
        this.listener = l == null ? TrainingListener.NONE : l;
        return this;
    }

    /** Save a checkpoint here before training and after every epoch (atomically replaced). */
    public Trainer checkpointTo(Path file) {
        this.checkpoint = file;
        return this;
    }

    /**
     * Write the per-epoch metrics here after every epoch, as CSV and/or JSON (either may be null).
     * A fit that runs no epoch (a resume already at its last) leaves existing files alone.
     */
    public Trainer metricsTo(Path csv, Path json) {
        this.metricsCsv = csv;
        this.metricsJson = json;
        return this;
    }

    /**
     * Write every batch's loss so far (a resumed checkpoint's first) here as CSV, {@code batch,loss},
     * after every epoch and when training stops on divergence; a fit that runs no epoch leaves an
     * existing file alone.
     */
    public Trainer lossesTo(Path csv) {
        this.lossesCsv = csv;
        return this;
    }

    public SimpleConvNet network() {
        return net;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The metrics of every epoch completed so far, those before a resume included. */
    public List<EpochMetrics> history() {
        return List.copyOf(epochs);
    }

    /** The loss of every batch run so far, those before a resume included (a copy). */
    public float[] batchLosses() {
        return Arrays.copyOf(allLosses, lossCount);
    }

    /** Epochs completed so far (including those before a resume). */
    public int completedEpochs() {
        return completedEpochs;
    }

    /**
     * Trains up to {@link Settings#epochs()} epochs in all. A fit after one that diverged throws:
     * the network then holds the diverged weights, and saving them would overwrite the last good
     * checkpoint (resume from that instead).
     */
    public Result fit(DataSet train, DataSet test) throws IOException {
        if (diverged != null) {
            throw new IllegalStateException("Trainer: cannot fit again after " + diverged);
        }
        Evaluation.requireFits("Trainer: train", net, train);
        Evaluation.requireFits("Trainer: test", net, test);
        int n = train.size(), b = settings.batchSize();
        int batches = (int) ((n + (long) b - 1) / b); // n + b − 1 overflows an int for b near 2^31
        String digest = digest(train);
        if (resumedSettings != null) {
            String was = resumedSettings.get(TRAIN_DATA_KEY);
            if (was != null && !was.equals(digest)) {
                throw new IllegalArgumentException("Trainer: the checkpoint was trained on " + was
                        + ", this fit's training set is " + digest + ": resume on the same data (the same --data and"
                        + " --limit), or start a new run");
            }
        }
        int[] imgShape = train.images().shape();
        // This fit's epochs and batches are the tail of epochs and allLosses from here on.
        int firstEpoch = epochs.size(), firstLoss = lossCount;
        Map<String, String> saved = settings.asMap();
        saved.put(TRAIN_DATA_KEY, digest);
        listener.onStart(completedEpochs + 1, settings.epochs(), batches, n);
        // Saved before the first epoch so that an interrupted first epoch leaves a checkpoint to
        // resume; not when there is nothing to do, which would only rewrite the resumed file (with
        // these settings in place of its own).
        if (checkpoint != null && completedEpochs < settings.epochs()) {
            Checkpoint.save(checkpoint, net, optimizer, completedEpochs, saved, epochs, batchLosses());
        }
        Tensor batch = null;
        int[] labels = null;
        for (int epoch = completedEpochs + 1; epoch <= settings.epochs(); epoch++) {
            int[] order = shuffle(n, settings.seed(), epoch);
            long start = System.nanoTime();
            double lossSum = 0;
            int seen = 0;
            for (int i = 0; i < batches; i++) {
                int from = i * b, count = Math.min(b, n - from);
                if (batch == null || batch.dim(0) != count) {
                    imgShape[0] = count;
                    batch = Tensor.zeros(imgShape);
                    labels = new int[count];
                }
                train.gather(order, from, count, batch, labels);
                Map<String, Tensor> grads = net.gradient(batch, labels);
                double loss = net.lastLoss();
                if (!Double.isFinite(loss)) {
                    return stop(firstEpoch, firstLoss, String.format(Locale.ROOT, "the loss became %s at epoch %d,"
                            + " batch %d of %d", loss, epoch, i + 1, batches));
                }
                optimizer.update(net.params(), grads);
                lossSum += loss;
                if (lossCount == allLosses.length) {
                    allLosses = Arrays.copyOf(allLosses, Math.max(1024, 2 * lossCount));
                }
                allLosses[lossCount++] = (float) loss;
                seen += count;
                double secs = (System.nanoTime() - start) / 1e9;
                double ips = secs > 0 ? seen / secs : 0;
                long left = (n - seen) + (long) (settings.epochs() - epoch) * n;
                listener.onBatch(epoch, i + 1, batches, loss, ips, ips > 0 ? left / ips : Double.NaN);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String bad = firstNonFinite(net.params());
            if (bad != null) {
                // The loss is checked before each update, so only the epoch's last update can get
                // here: saving these weights would replace the last good checkpoint.
                return stop(firstEpoch, firstLoss, bad + " became non-finite after the last batch of epoch " + epoch);
            }
            listener.onEvaluate(epoch);
            Evaluation sample = Evaluation.of(net, train, Math.min(settings.trainSample(), n), settings.evalBatchSize());
            Evaluation onTest = Evaluation.of(net, test, test.size(), settings.evalBatchSize());
            if (!Double.isFinite(sample.loss()) || !Double.isFinite(onTest.loss())) {
                // Finite weights so large that the scores overflow: as diverged as a NaN weight.
                return stop(firstEpoch, firstLoss, "the evaluation loss became "
                        + (Double.isFinite(sample.loss()) ? onTest.loss() : sample.loss()) + " after epoch " + epoch);
            }
            EpochMetrics m = new EpochMetrics(epoch, lossSum / batches, sample.loss(), sample.accuracy(),
                    onTest.loss(), onTest.accuracy(), seconds, n / seconds);
            epochs.add(m);
            completedEpochs = epoch;
            if (checkpoint != null) {
                Checkpoint.save(checkpoint, net, optimizer, epoch, saved, epochs, batchLosses());
            }
            writeMetrics(epochs);
            writeLosses();
            listener.onEpoch(m);
        }
        return result(firstEpoch, firstLoss, false, epochs.size() == firstEpoch
                ? "nothing to do: already trained " + completedEpochs + " of " + settings.epochs()
                        + " epochs (ask for more epochs to continue)"
                : String.format(Locale.ROOT, "final test accuracy %.4f after %d epochs",
                        epochs.get(epochs.size() - 1).testAccuracy(), completedEpochs));
    }

    /**
     * Ends a fit that diverged ({@code what} happened): the losses so far are written, the
     * listener told, and no later fit may run (the network holds the diverged state); the last
     * checkpoint, of the last good epoch, stays.
     */
    private Result stop(int firstEpoch, int firstLoss, String what) throws IOException {
        String msg = "training stopped: " + what + " (optimizer " + optimizer + "); try a smaller learning rate."
                + (checkpoint == null ? "" : " The last good checkpoint (epoch " + completedEpochs + ") is " + checkpoint);
        diverged = what;
        writeLosses();
        listener.onDiverged(msg);
        return result(firstEpoch, firstLoss, true, msg);
    }

    /** The epochs and batch losses recorded since {@code firstEpoch} and {@code firstLoss}. */
    private Result result(int firstEpoch, int firstLoss, boolean diverged, String message) {
        return new Result(List.copyOf(epochs.subList(firstEpoch, epochs.size())),
                Arrays.copyOfRange(allLosses, firstLoss, lossCount), diverged, message);
    }

    private void writeMetrics(List<EpochMetrics> history) throws IOException {
        if (metricsCsv != null) {
            byte[] csv = EpochMetrics.csv(history).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(metricsCsv, out -> out.write(csv));
        }
        if (metricsJson != null) {
            byte[] json = EpochMetrics.json(history).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(metricsJson, out -> out.write(json));
        }
    }

    /**
     * The checkpoint key of the training set's {@link #digest}: a resumed fit on other data (another
     * directory, another --limit) would go on from weights that were trained on something else,
     * and no longer continue the run.
     */
    static final String TRAIN_DATA_KEY = "trainData";

    /** "N images, CRC-32C X" over the labels and the pixels' bits: what identifies a training set here. */
    static String digest(DataSet d) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int label : d.labels()) {
            if (buf.remaining() < 4) {
                crc.update(buf.flip());
                buf.clear();
            }
            buf.putInt(label);
        }
        for (float v : d.images().data()) {
            if (buf.remaining() < 4) {
                crc.update(buf.flip());
                buf.clear();
            }
            buf.putFloat(v);
        }
        crc.update(buf.flip());
        return d.size() + " images, CRC-32C " + Long.toHexString(crc.getValue());
    }

    /** The name of the first parameter holding a NaN or ±∞, or null. */
    private static String firstNonFinite(Map<String, Tensor> params) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            for (float v : e.getValue().data()) {
                if (!Float.isFinite(v)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    private void writeLosses() throws IOException {
        if (lossesCsv != null) {
            StringBuilder lc = new StringBuilder("batch,loss\n");
            for (int i = 0; i < lossCount; i++) {
                lc.append(i + 1).append(',').append(allLosses[i]).append('\n');
            }
            byte[] bytes = lc.toString().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(lossesCsv, out -> out.write(bytes));
        }
    }

    /** A Fisher–Yates permutation of 0..n-1 from (seed, epoch) alone, so a resumed run reshuffles alike. */
    static int[] shuffle(int n, long seed, int epoch) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
