package io.github.vectorcnn.training;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.data.DataSet;
import io.github.vectorcnn.networks.SimpleConvNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static final DataSet TRAIN = TinyData.make(120, 1);
    private static final DataSet TEST = TinyData.make(60, 2);
    private static final Trainer.Settings SETTINGS = new Trainer.Settings(4, 16, 9, 50, 32);

    private static Trainer trainer() {
        return new Trainer(new SimpleConvNet(TinyData.config()), new Adam(0.01, 0.9, 0.999, 0), SETTINGS);
    }

    @Test
    void learnsTheTinyProblem() throws IOException {
        Trainer.Result r = trainer().fit(TRAIN, TEST);
        assertFalse(r.diverged(), r.message());
        assertEquals(4, r.history().size());
        assertEquals(4 * 8, r.batchLosses().length); // 120 images in batches of 16: 7 full + 1 of 8
        assertTrue(r.finalTestAccuracy() > 0.9, "test accuracy " + r.finalTestAccuracy());
        assertTrue(r.history().get(3).trainLoss() < r.history().get(0).trainLoss());
    }

    @Test
    void sameSeedGivesSameWeightsAndMetricsBitForBit() throws IOException {
        Trainer a = trainer(), b = trainer();
        Trainer.Result ra = a.fit(TRAIN, TEST), rb = b.fit(TRAIN, TEST);
        for (String name : a.network().params().keySet()) {
            assertArrayEquals(a.network().params().get(name).data(), b.network().params().get(name).data(), name);
        }
        assertArrayEquals(ra.batchLosses(), rb.batchLosses());
        for (int e = 0; e < ra.history().size(); e++) {
            assertEquals(withoutTiming(ra.history().get(e)), withoutTiming(rb.history().get(e)));
        }
        Trainer other = new Trainer(new SimpleConvNet(TinyData.config()), new Adam(0.01, 0.9, 0.999, 0),
                SETTINGS.withSeed(10));
        assertFalse(Arrays.equals(ra.batchLosses(), other.fit(TRAIN, TEST).batchLosses()),
                "another shuffle seed changes the run");
    }

    private static List<Double> withoutTiming(EpochMetrics m) {
        return List.of((double) m.epoch(), m.trainLoss(), m.sampleLoss(), m.sampleAccuracy(), m.testLoss(),
                m.testAccuracy());
    }

    @Test
    void resumingFromACheckpointContinuesExactly(@TempDir Path dir) throws IOException {
        Trainer straight = trainer();
        straight.fit(TRAIN, TEST);

        Path ckpt = dir.resolve("model.npz");
        new Trainer(new SimpleConvNet(TinyData.config()), new Adam(0.01, 0.9, 0.999, 0), SETTINGS.withEpochs(2))
                .checkpointTo(ckpt).fit(TRAIN, TEST);
        Checkpoint cp = Checkpoint.read(ckpt);
        assertEquals(2, cp.epoch());
        Trainer resumed = Trainer.resume(cp, SETTINGS);
        Trainer.Result r = resumed.fit(TRAIN, TEST);
        assertEquals(List.of(3, 4), r.history().stream().map(EpochMetrics::epoch).toList());
        for (String name : straight.network().params().keySet()) {
            assertArrayEquals(straight.network().params().get(name).data(),
                    resumed.network().params().get(name).data(), name);
        }
        // The resumed trainer carries the first run's batches and epochs: the same record as the
        // uninterrupted run's.
        assertArrayEquals(straight.batchLosses(), resumed.batchLosses());
        assertEquals(straight.history().stream().map(TrainerTest::withoutTiming).toList(),
                resumed.history().stream().map(TrainerTest::withoutTiming).toList());
    }

    @Test
    void aResumedRunsMetricsFilesAndCheckpointContinueTheFirstRunsHistory(@TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("model.npz"), csv = dir.resolve("metrics.csv"), json = dir.resolve("metrics.json");
        Trainer.Result first = new Trainer(new SimpleConvNet(TinyData.config()), new Adam(0.01, 0.9, 0.999, 0),
                SETTINGS.withEpochs(2)).checkpointTo(ckpt).metricsTo(csv, json).fit(TRAIN, TEST);
        List<String> firstRows = Files.readAllLines(csv);
        Checkpoint cp = Checkpoint.read(ckpt);
        // The checkpoint holds the epochs run as their CSV rows (timings rounded as there).
        assertEquals(first.history().stream().map(EpochMetrics::csvRow).toList(),
                cp.history().stream().map(EpochMetrics::csvRow).toList());

        Path csv2 = dir.resolve("resumed.csv"), json2 = dir.resolve("resumed.json");
        Trainer.Result second = Trainer.resume(cp, SETTINGS).checkpointTo(ckpt).metricsTo(csv2, json2).fit(TRAIN, TEST);
        List<String> rows = Files.readAllLines(csv2);
        assertEquals(1 + 4, rows.size());
        assertEquals(firstRows, rows.subList(0, 3), "epochs 1-2 as the first run wrote them");
        assertEquals(second.history().get(0).csvRow(), rows.get(3));
        assertEquals(second.history().get(1).csvRow(), rows.get(4));
        String js = Files.readString(json2);
        assertTrue(js.contains("\"epoch\": 1,") && js.contains("\"epoch\": 4,"), js);
        assertEquals(List.of(1, 2, 3, 4), Checkpoint.read(ckpt).history().stream().map(EpochMetrics::epoch).toList());
    }

    @Test
    void aResumeWithNothingToDoLeavesTheMetricsOfTheRunItResumes(@TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("model.npz"), csv = dir.resolve("metrics.csv"), json = dir.resolve("metrics.json");
        new Trainer(new SimpleConvNet(TinyData.config()), new Adam(0.01, 0.9, 0.999, 0), SETTINGS.withEpochs(2))
                .checkpointTo(ckpt).metricsTo(csv, json).fit(TRAIN, TEST);
        byte[] csvBefore = Files.readAllBytes(csv), jsonBefore = Files.readAllBytes(json);
        byte[] ckptBefore = Files.readAllBytes(ckpt);
        assertEquals(3, Files.readAllLines(csv).size()); // header + 2 epochs

        // Other settings (1 epoch, batches of 7) must not find their way into the checkpoint either.
        Trainer.Result r = Trainer.resume(Checkpoint.read(ckpt), SETTINGS.withEpochs(1).withBatchSize(7))
                .checkpointTo(ckpt).metricsTo(csv, json).fit(TRAIN, TEST);
        assertTrue(r.history().isEmpty());
        assertTrue(r.message().startsWith("nothing to do"), r.message());
        assertArrayEquals(csvBefore, Files.readAllBytes(csv));
        assertArrayEquals(jsonBefore, Files.readAllBytes(json));
        assertArrayEquals(ckptBefore, Files.readAllBytes(ckpt));
    }

    /** Adam that writes a NaN into W3 at a chosen step, as a diverging run would. */
    private static final class PoisonedAdam extends Optimizer {
        private final Adam inner = new Adam(0.01, 0.9, 0.999, 0);
        private final long poisonAt;

        PoisonedAdam(long poisonAt) {
            super(0.01, 0);
            this.poisonAt = poisonAt;
        }

        @Override
        public String name() {
            return "adam";
        }

        @Override
        protected String[] slotNames() {
            return inner.slotNames();
        }

        @Override
        protected void apply(float[] p, float[] g, float wd, float[][] slots, long t, int from, int to) {
            inner.apply(p, g, wd, slots, t, from, to);
            if (t == poisonAt && p.length == 8 * 3 && from == 0) {
                p[0] = Float.NaN;
            }
        }
    }

    @Test
    void nanLossStopsTrainingAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("model.npz");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // 8 batches per epoch: step 11 is in epoch 2, so epoch 1 is the last good one.
        Trainer t = new Trainer(new SimpleConvNet(TinyData.config()), new PoisonedAdam(11), SETTINGS)
                .checkpointTo(ckpt).metricsTo(dir.resolve("metrics.csv"), null)
                .listener(new ConsoleProgress(new PrintStream(log, true, StandardCharsets.UTF_8), false));
        Trainer.Result r = t.fit(TRAIN, TEST);
        assertTrue(r.diverged());
        assertEquals(1, r.history().size());
        assertTrue(r.message().contains("NaN at epoch 2, batch 4 of 8"), r.message());
        assertTrue(r.message().contains("last good checkpoint (epoch 1)"), r.message());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("training stopped"));
        Checkpoint cp = Checkpoint.read(ckpt);
        assertEquals(1, cp.epoch());
        for (Tensor p : cp.params().values()) {
            for (float v : p.data()) {
                assertTrue(Float.isFinite(v));
            }
        }
        assertEquals(2, Files.readAllLines(dir.resolve("metrics.csv")).size()); // header + epoch 1

        // The network now holds the diverged weights: another fit must not save them over the
        // last good checkpoint.
        byte[] good = Files.readAllBytes(ckpt);
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> t.fit(TRAIN, TEST));
        assertTrue(again.getMessage().contains("after the loss became NaN at epoch 2, batch 4"), again.getMessage());
        assertArrayEquals(good, Files.readAllBytes(ckpt));
    }

    @Test
    void writesMetricsAsCsvAndJson(@TempDir Path dir) throws IOException {
        Trainer.Result r = trainer().metricsTo(dir.resolve("m.csv"), dir.resolve("m.json")).fit(TRAIN, TEST);
        List<String> csv = Files.readAllLines(dir.resolve("m.csv"));
        assertEquals(EpochMetrics.CSV_HEADER, csv.get(0));
        assertEquals(5, csv.size());
        assertTrue(csv.get(4).startsWith("4," + r.history().get(3).trainLoss() + ","), csv.get(4));
        String json = Files.readString(dir.resolve("m.json"));
        assertTrue(json.contains("\"test_accuracy\": " + r.finalTestAccuracy()), json);
    }

    @Test
    void plainProgressPrintsLinesAndEpochSummaries() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        trainer().listener(new ConsoleProgress(new PrintStream(log, true, StandardCharsets.UTF_8), false))
                .fit(TRAIN, TEST);
        String text = log.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "no carriage returns off a terminal");
        assertTrue(text.contains("epoch 1/4 batch 8/8 loss "), text);
        assertTrue(text.contains("epoch 4/4: train loss "), text);
    }

    @Test
    void liveProgressRedrawsOneLineAndEndsItBeforeTheSummary() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        trainer().listener(new ConsoleProgress(new PrintStream(log, true, StandardCharsets.UTF_8), true))
                .fit(TRAIN, TEST);
        String text = log.toString(StandardCharsets.UTF_8);
        // The last batch of an epoch is always drawn, whatever the redraw throttle skipped.
        assertTrue(text.contains("\repoch 2/4 [########################] 8/8  loss "), text);
        assertTrue(text.contains("ETA "), text);
        assertTrue(text.contains(" evaluating…\nepoch 2/4: train loss "), text);
        assertFalse(text.contains("batch 8/8"), "no plain lines on a terminal");
    }

    @Test
    void shuffleIsAPermutationThatChangesEachEpoch() {
        int[] a = Trainer.shuffle(100, 7, 1), b = Trainer.shuffle(100, 7, 2);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(Arrays.equals(a, b));
        assertArrayEquals(a, Trainer.shuffle(100, 7, 1));
    }

    @Test
    void dataThatDoesNotFitTheNetworkIsRejected() {
        DataSet wrong = DataSet.of(Tensor.zeros(4, 1, 9, 9), new int[] {0, 1, 2, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().fit(wrong, TEST));
        assertTrue(e.getMessage().contains("expected 1x8x8"), e.getMessage());
        DataSet tooManyClasses = DataSet.of(Tensor.zeros(2, 1, 8, 8), new int[] {0, 5});
        e = assertThrows(IllegalArgumentException.class, () -> trainer().fit(TRAIN, tooManyClasses));
        assertTrue(e.getMessage().contains("labels expected 0..2"), e.getMessage());
    }

    /**
     * The loss is checked before each update, so weights spoiled by an epoch's last update were
     * evaluated, and saved over the last good checkpoint. Step 16 is epoch 2's last batch.
     */
    @Test
    void weightsSpoiledByAnEpochsLastUpdateStopTrainingAndKeepTheLastGoodCheckpoint(@TempDir Path dir)
            throws IOException {
        Path ckpt = dir.resolve("model.npz");
        Trainer t = new Trainer(new SimpleConvNet(TinyData.config()), new PoisonedAdam(16), SETTINGS)
                .checkpointTo(ckpt).lossesTo(dir.resolve("losses.csv"));
        Trainer.Result r = t.fit(TRAIN, TEST);
        assertTrue(r.diverged());
        assertTrue(r.message().contains("W3 became non-finite after the last batch of epoch 2"), r.message());
        assertEquals(1, r.history().size());
        assertEquals(1, Checkpoint.read(ckpt).epoch());
        assertEquals(1 + 16, Files.readAllLines(dir.resolve("losses.csv")).size(), "the batches run, epoch 2's too");
    }

    @Test
    void aResumeOnOtherTrainingDataIsRejected(@TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("model.npz");
        new Trainer(new SimpleConvNet(TinyData.config()), new Adam(0.01, 0.9, 0.999, 0), SETTINGS.withEpochs(1))
                .checkpointTo(ckpt).fit(TRAIN, TEST);
        Checkpoint cp = Checkpoint.read(ckpt);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.resume(cp, SETTINGS).fit(TRAIN.slice(0, 100), TEST));
        assertTrue(e.getMessage().contains("the checkpoint was trained on 120 images, CRC-32C"), e.getMessage());
        assertTrue(e.getMessage().contains("this fit's training set is 100 images"), e.getMessage());
        DataSet sameSizeOtherImages = TinyData.make(120, 3);
        assertThrows(IllegalArgumentException.class, () -> Trainer.resume(cp, SETTINGS).fit(sameSizeOtherImages, TEST));
        assertEquals(4, Trainer.resume(cp, SETTINGS).fit(TRAIN, TEST).history().size() + 1, "the same data resumes");
    }

    @Test
    void aBatchNearIntMaxIsOneBatchAndTheEtaDoesNotOverflow() throws IOException {
        Trainer.Result r = new Trainer(new SimpleConvNet(TinyData.config()), new Adam(0.01, 0.9, 0.999, 0),
                SETTINGS.withEpochs(1).withBatchSize(Integer.MAX_VALUE)).fit(TRAIN, TEST);
        assertEquals(1, r.batchLosses().length, "one batch of all 120 images, not (n + b - 1) / b < 0");
        double[] eta = new double[1];
        RuntimeException stop = new RuntimeException("enough");
        Trainer many = new Trainer(new SimpleConvNet(TinyData.config()), new Adam(0.01, 0.9, 0.999, 0),
                SETTINGS.withEpochs(20_000_000)).listener(new TrainingListener() {
                    @Override
                    public void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond,
                                        double etaSeconds) {
                        eta[0] = etaSeconds;
                        throw stop;
                    }
                });
        assertThrows(RuntimeException.class, () -> many.fit(TRAIN, TEST));
        assertTrue(eta[0] > 0, "2.4e9 images left: ETA " + eta[0]);
    }
}
