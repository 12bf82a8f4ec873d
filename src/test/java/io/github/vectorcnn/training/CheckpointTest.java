package io.github.vectorcnn.training;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.io.NpyArray;
import io.github.vectorcnn.io.Npz;
import io.github.vectorcnn.networks.SimpleConvNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {

    /** A network with one Adam step taken, so the optimizer has state. */
    private static Path saved(Path dir) throws IOException {
        SimpleConvNet net = new SimpleConvNet(TinyData.config());
        Adam adam = new Adam(0.002, 0.8, 0.99, 0.001);
        var data = TinyData.make(4, 3);
        adam.update(net.params(), net.gradient(data.images(), data.labels()));
        Path file = dir.resolve("model.npz");
        Checkpoint.save(file, net, adam, 3, Map.of("batchSize", "16"));
        return file;
    }

    @Test
    void roundTripsParametersOptimizerStateAndConfig(@TempDir Path dir) throws IOException {
        SimpleConvNet net = new SimpleConvNet(TinyData.config());
        Adam adam = new Adam(0.002, 0.8, 0.99, 0.001);
        var data = TinyData.make(4, 3);
        adam.update(net.params(), net.gradient(data.images(), data.labels()));
        Path file = dir.resolve("model.npz");
        Checkpoint.save(file, net, adam, 3, Map.of("batchSize", "16"));

        Checkpoint cp = Checkpoint.read(file);
        assertEquals(TinyData.config(), cp.config());
        assertEquals(3, cp.epoch());
        assertEquals("16", cp.settings().get("batchSize"));
        SimpleConvNet back = cp.newNetwork();
        for (String name : net.params().keySet()) {
            assertArrayEquals(net.params().get(name).data(), back.params().get(name).data(), name);
        }
        Optimizer opt = cp.newOptimizer();
        assertEquals(adam.toString(), opt.toString());
        assertEquals(1, opt.steps());
        assertEquals(adam.state().keySet(), opt.state().keySet());
        for (String k : adam.state().keySet()) {
            assertArrayEquals(adam.state().get(k).data(), opt.state().get(k).data(), k);
        }
        // NumPy sees plain arrays: parameters by name, optimizer slots under opt.
        Map<String, NpyArray> raw = Npz.read(file);
        assertTrue(raw.keySet().containsAll(List.of("W1", "b3", "opt.m.W1", "opt.v.b3", "meta")), raw.keySet().toString());
    }

    @Test
    void truncatedFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = saved(dir);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("damaged checkpoint"), e.getMessage());
    }

    @Test
    void wrongShapeIsRejected(@TempDir Path dir) throws IOException {
        Path file = saved(dir);
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(file));
        arrays.put("W2", NpyArray.of(Tensor.zeros(3, 8)));
        assertRejected(file, arrays, "'W2' expected shape [27, 8], got [3, 8]");

        arrays = new LinkedHashMap<>(Npz.read(saved(dir)));
        arrays.put("opt.v.W3", NpyArray.of(Tensor.zeros(8)));
        assertRejected(file, arrays, "'opt.v.W3' expected shape [8, 3]");
    }

    @Test
    void nonFiniteValuesAndNegativeCountsAreRejected(@TempDir Path dir) throws IOException {
        Path file = saved(dir);
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(file));
        Tensor w1 = Tensor.wrap(arrays.get("W1").floats().clone(), arrays.get("W1").shape());
        w1.data()[5] = Float.NaN;
        arrays.put("W1", NpyArray.of(w1));
        assertRejected(file, arrays, "'W1' expected finite values, got NaN at index 5");

        arrays = new LinkedHashMap<>(Npz.read(saved(dir)));
        Tensor m = Tensor.wrap(arrays.get("opt.m.W3").floats().clone(), arrays.get("opt.m.W3").shape());
        m.data()[0] = Float.NEGATIVE_INFINITY;
        arrays.put("opt.m.W3", NpyArray.of(m));
        assertRejected(file, arrays, "'opt.m.W3' expected finite values, got -Infinity at index 0");

        arrays = new LinkedHashMap<>(Npz.read(saved(dir)));
        arrays.put("meta", editedMeta(arrays.get("meta"), "\nepoch=3\n", "\nepoch=-3\n"));
        assertRejected(file, arrays, "epoch expected >= 0, got 1 and -3");
    }

    @Test
    void badTrainingSettingsAreRejectedNamingTheKey(@TempDir Path dir) throws IOException {
        String[][] cases = {
                {"train.batchSize=16", "train.batchSize=lots", "training settings are invalid: Trainer.Settings: batchSize expected an int, got 'lots'"},
                {"train.batchSize=16", "train.batchSize=0", "training settings are invalid: Trainer.Settings: batchSize expected >= 1, got 0"},
        };
        for (String[] c : cases) {
            assertMetaEditRejected(saved(dir), c[0], c[1], c[2]);
        }
    }

    /** Edits a saved checkpoint's meta text ({@code from} → {@code to}); reading it must fail naming the file. */
    private static void assertMetaEditRejected(Path file, String from, String to, String message) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(file));
        arrays.put("meta", editedMeta(arrays.get("meta"), from, to));
        assertRejected(file, arrays, message);
    }

    /** Writes these arrays as the checkpoint file; reading it must fail naming the file and {@code message}. */
    private static void assertRejected(Path file, Map<String, NpyArray> arrays, String message) throws IOException {
        Npz.write(file, arrays);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file), message);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void settingsThatTheMetaTextCannotHoldAreRejectedAtSave(@TempDir Path dir) {
        SimpleConvNet net = new SimpleConvNet(TinyData.config());
        Adam adam = new Adam(0.002, 0.8, 0.99, 0.001);
        Path file = dir.resolve("model.npz");
        for (Map<String, String> settings : List.of(Map.of("a\nb", "1"), Map.of("a=b", "1"), Map.of("note", "x\ny"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Checkpoint.save(file, net, adam, 1, settings));
            String key = "train." + settings.keySet().iterator().next();
            assertTrue(e.getMessage().contains("got key '" + key + "' with value '"), e.getMessage());
            assertFalse(Files.exists(file), "nothing written for " + settings);
        }
    }

    private static final List<EpochMetrics> TWO_EPOCHS = List.of(
            new EpochMetrics(1, 0.1 / 3, 2.0 / 7, 0.875, Math.PI, 0.1, 1.25, 96.0),
            new EpochMetrics(2, Double.MIN_VALUE, 1e-300, 1.0, Double.NaN, 0.0, 0.5, 1234.5));

    @Test
    void metricsHistoryAndBatchLossesRoundTripExactly(@TempDir Path dir) throws IOException {
        SimpleConvNet net = new SimpleConvNet(TinyData.config());
        Path file = dir.resolve("model.npz");
        float[] losses = {2.5f, Float.MIN_VALUE, 1e-30f, 0.1f, 7f};
        Checkpoint.save(file, net, new Sgd(0.1, 0), 2, Map.of(), TWO_EPOCHS, losses);
        Checkpoint cp = Checkpoint.read(file);
        assertEquals(TWO_EPOCHS, cp.history());
        assertArrayEquals(losses, cp.batchLosses());
        Checkpoint.save(file, net, new Sgd(0.1, 0), 2, Map.of());
        assertEquals(List.of(), Checkpoint.read(file).history(), "no history, as in checkpoints that predate it");
        assertArrayEquals(new float[0], Checkpoint.read(file).batchLosses());
        assertFalse(Npz.read(file).containsKey("losses"));
    }

    @Test
    void batchLossesThatAreNotAFiniteVectorAreRejected(@TempDir Path dir) throws IOException {
        SimpleConvNet net = new SimpleConvNet(TinyData.config());
        Path file = dir.resolve("model.npz");
        Checkpoint.save(file, net, new Sgd(0.1, 0), 2, Map.of(), TWO_EPOCHS, new float[] {1f, 2f});
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(file));
        arrays.put("losses", NpyArray.of(Tensor.wrap(new float[] {1f, 2f, 3f, 4f}, 2, 2)));
        assertRejected(file, arrays, "'losses' expected a 1-D float array, got shape [2, 2]");
        arrays.put("losses", NpyArray.of(Tensor.wrap(new float[] {1f, Float.NaN}, 2)));
        assertRejected(file, arrays, "'losses' expected finite values, got NaN at index 1");
    }

    @Test
    void badMetricsHistoryIsRejectedNamingTheKey(@TempDir Path dir) throws IOException {
        String[][] cases = {
                {"history.2=2,0.25,", "history.2=2,",
                        "meta history.2 is not a metrics row of its epoch: epoch metrics: expected 8"},
                {"history.2=2,", "history.2=3,",
                        "meta history.2 is not a metrics row of its epoch: the row is epoch 3"},
                {"history.1=1,0.0", "history.1=1,zero",
                        "meta history.1 is not a metrics row of its epoch: epoch metrics: expected numbers"},
                {"\nepoch=2\n", "\nepoch=1\n",
                        "checkpoint history: expected consecutive epochs ending at 1, got epoch 1 where 0 belongs"},
        };
        SimpleConvNet net = new SimpleConvNet(TinyData.config());
        List<EpochMetrics> history = List.of(new EpochMetrics(1, 0.0, 0.5, 0.5, 0.5, 0.5, 1.0, 2.0),
                new EpochMetrics(2, 0.25, 0.5, 0.5, 0.5, 0.5, 1.0, 2.0));
        for (String[] c : cases) {
            Path file = dir.resolve("model.npz");
            Checkpoint.save(file, net, new Sgd(0.1, 0), 2, Map.of(), history, new float[0]);
            assertMetaEditRejected(file, c[0], c[1], c[2]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.of(net, new Sgd(0.1, 0), 2, Map.of(), List.of(history.get(1), history.get(0)),
                        new float[0]));
        assertTrue(e.getMessage().contains("got epoch 2 where 1 belongs"), e.getMessage());
        // A gap (epoch 1 alone in a checkpoint of epoch 2) would make a resumed metrics.csv jump.
        e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.of(net, new Sgd(0.1, 0), 2, Map.of(), List.of(history.get(0)), new float[0]));
        assertTrue(e.getMessage().contains("got epoch 1 where 2 belongs"), e.getMessage());
        // A run resumed from a checkpoint without history has its own epochs only: allowed.
        assertEquals(1, Checkpoint.of(net, new Sgd(0.1, 0), 2, Map.of(), List.of(history.get(1)), new float[0])
                .history().size());
    }

    /** The meta array with {@code from} replaced by {@code to} in its text (which must contain it). */
    private static NpyArray editedMeta(NpyArray meta, String from, String to) {
        StringBuilder text = new StringBuilder();
        for (long c : meta.longs()) {
            text.append((char) c);
        }
        assertTrue(text.indexOf(from) >= 0, "the meta text holds no " + from);
        String edited = text.toString().replace(from, to);
        long[] bytes = new long[edited.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = edited.charAt(i);
        }
        return NpyArray.ofLongs(bytes, bytes.length);
    }

    @Test
    void missingOrUnexpectedArraysAreRejected(@TempDir Path dir) throws IOException {
        Path file = saved(dir);
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(file));
        arrays.remove("b2");
        assertRejected(file, arrays, "missing array 'b2'");

        arrays = new LinkedHashMap<>(Npz.read(saved(dir)));
        arrays.remove("opt.m.W1");
        assertRejected(file, arrays, "missing slot m.W1");

        arrays = new LinkedHashMap<>(Npz.read(saved(dir)));
        arrays.put("W9", NpyArray.of(Tensor.zeros(2)));
        assertRejected(file, arrays, "unexpected array 'W9'");
    }

    @Test
    void npzWithoutMetaIsNotACheckpoint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("plain.npz");
        Npz.write(file, Map.of("W1", NpyArray.of(Tensor.zeros(2))));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("not a vectorcnn checkpoint"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir.resolve("absent.npz")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }
}
