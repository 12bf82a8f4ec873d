package io.github.vectorcnn.cli;

import io.github.vectorcnn.data.Idx;
import io.github.vectorcnn.training.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    @TempDir
    static Path dir;
    static Path data;

    /** 48 training and 24 test images of 10×10 in 3 classes (a bright band of rows per class). */
    @BeforeAll
    static void tinyIdxDirectory() throws IOException {
        data = dir.resolve("data");
        Files.createDirectories(data);
        write("train", 48, 1);
        write("t10k", 24, 2);
    }

    private static void write(String prefix, int n, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * 100], lab = new byte[n];
        for (int i = 0; i < n; i++) {
            lab[i] = (byte) r.nextInt(3);
            for (int p = 0; p < 100; p++) {
                int band = Math.min(2, (p / 10) / 4);
                px[i * 100 + p] = (byte) ((band == lab[i] ? 180 : 20) + r.nextInt(60));
            }
        }
        try (OutputStream o = Files.newOutputStream(data.resolve(prefix + "-images-idx3-ubyte.gz"))) {
            Idx.write(o, true, px, n, 10, 10);
        }
        try (OutputStream o = Files.newOutputStream(data.resolve(prefix + "-labels-idx1-ubyte"))) {
            Idx.write(o, false, lab, n);
        }
    }

    /** Exit code and everything printed (out and err). */
    record Run(int code, String out) {
    }

    static Run run(String... args) {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw, true);
        CommandLine cl = Main.commandLine();
        cl.setOut(pw);
        cl.setErr(pw);
        int code = cl.execute(args);
        return new Run(code, sw.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "predict", "filters", "gradcheck"})
    void everySubcommandHasHelp(String name) {
        Run r = run(name, "--help");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("Usage: vectorcnn " + name), r.out());
    }

    @Test
    void trainHelpStatesTheDefaultEpochsTheCommandUses() {
        Run r = run("train", "--help");
        String out = r.out().replaceAll("\\s+", " ");
        assertTrue(out.contains("batch 100, " + Main.DEFAULT_EPOCHS + " epochs."), r.out());
        assertTrue(out.contains("Default: " + Main.DEFAULT_EPOCHS + ", or the checkpoint's."), r.out());
    }

    @Test
    void trainWritesModelMetricsAndPicturesThenEvalPredictFiltersAndResumeUseThem() throws IOException {
        Path out = dir.resolve("run");
        Run r = run("train", "--data", data.toString(), "--epochs", "2", "--batch", "16", "--lr", "0.01",
                "--out", out.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("test accuracy"), r.out());
        assertTrue(r.out().contains(out.resolve("model.npz").toString()), r.out());
        for (String f : List.of("model.npz", "metrics.csv", "metrics.json", "losses.csv", "filters.png", "curves.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size());
        assertEquals(1 + 2 * 3, Files.readAllLines(out.resolve("losses.csv")).size());
        BufferedImage filters = ImageIO.read(out.resolve("filters.png").toFile());
        assertTrue(filters.getWidth() >= 10 * 5 * FilterGrid.SCALE, "10 filters of 5 columns per row");

        Path model = out.resolve("model.npz");
        Run eval = run("eval", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, eval.code(), eval.out());
        assertTrue(eval.out().contains("accuracy") && eval.out().contains("(24 images)"), eval.out());

        Run predict = run("predict", "--model", model.toString(), "--images",
                data.resolve("t10k-images-idx3-ubyte.gz").toString(), "--labels",
                data.resolve("t10k-labels-idx1-ubyte").toString(), "--show", "3",
                "--class-names", "top,middle,bottom");
        assertEquals(0, predict.code(), predict.out());
        assertTrue(predict.out().contains("of 24)"), predict.out());

        Path png = dir.resolve("f.png");
        Run filtersRun = run("filters", "--model", model.toString(), "--out", png.toString(), "--untrained");
        assertEquals(0, filtersRun.code(), filtersRun.out());
        assertTrue(ImageIO.read(png.toFile()).getHeight() > 2 * 3 * 5 * FilterGrid.SCALE);

        Path out2 = dir.resolve("run2");
        Run resumed = run("train", "--resume", model.toString(), "--data", data.toString(), "--epochs", "3",
                "--out", out2.toString(), "--no-pictures");
        assertEquals(0, resumed.code(), resumed.out());
        assertTrue(resumed.out().contains("resuming"), resumed.out());
        assertEquals(3, Checkpoint.read(out2.resolve("model.npz")).epoch());
        List<String> metrics2 = Files.readAllLines(out2.resolve("metrics.csv"));
        assertEquals(Files.readAllLines(out.resolve("metrics.csv")), metrics2.subList(0, 3),
                "epochs 1-2 carried over");
        assertEquals(1 + 3, metrics2.size());
        List<String> losses2 = Files.readAllLines(out2.resolve("losses.csv"));
        assertEquals(Files.readAllLines(out.resolve("losses.csv")), losses2.subList(0, 1 + 2 * 3),
                "the batches of epochs 1-2 carried over");
        assertEquals(1 + 3 * 3, losses2.size());
        assertEquals("16", Checkpoint.read(out2.resolve("model.npz")).settings().get("batchSize"));

        // The checkpoint holds the optimizer and the network: options that would set them are refused.
        for (String[] option : new String[][] {{"--optimizer", "sgd"}, {"--lr", "0.5"}, {"--weight-decay", "0.1"},
                {"--init", "HE"}, {"--weight-std", "0.1"}}) {
            Run refused = run("train", "--resume", model.toString(), "--data", data.toString(), "--epochs", "3",
                    option[0], option[1], "--out", dir.resolve("refused").toString());
            assertEquals(2, refused.code(), refused.out());
            assertTrue(refused.out().contains("error: " + option[0] + ": a resumed run keeps the optimizer and network"),
                    refused.out());
        }
        assertFalse(Files.exists(dir.resolve("refused")), "nothing written for a refused resume");
        Run otherData = run("train", "--resume", model.toString(), "--data", data.toString(), "--limit", "40",
                "--epochs", "3", "--out", dir.resolve("other").toString());
        assertEquals(2, otherData.code(), otherData.out());
        assertTrue(otherData.out().contains("the checkpoint was trained on 48 images"), otherData.out());
        assertFalse(Files.exists(dir.resolve("other")), "no empty folder left by a refused resume");

        // A checkpoint from before checkpoints kept their history, resumed into its run's folder,
        // would rewrite that folder's metrics without the earlier epochs: refused.
        Checkpoint full = Checkpoint.read(model);
        Path old = dir.resolve("old-format.npz");
        new Checkpoint(full.config(), full.params(), full.optimizer(), full.hyperparameters(), full.optimizerState(),
                full.steps(), full.epoch(), full.settings()).write(old);
        byte[] metricsBefore = Files.readAllBytes(out.resolve("metrics.csv"));
        Run oldIntoOwn = run("train", "--resume", old.toString(), "--data", data.toString(), "--epochs", "3",
                "--out", out.toString(), "--no-pictures");
        assertEquals(2, oldIntoOwn.code(), oldIntoOwn.out());
        assertTrue(oldIntoOwn.out().contains("holds metrics of epochs 1..2"), oldIntoOwn.out());
        assertArrayEquals(metricsBefore, Files.readAllBytes(out.resolve("metrics.csv")));

        // Resuming the finished run into its own folder has nothing to do and must not erase it.
        byte[] metrics = Files.readAllBytes(out.resolve("metrics.csv"));
        byte[] losses = Files.readAllBytes(out.resolve("losses.csv"));
        byte[] curves = Files.readAllBytes(out.resolve("curves.png"));
        Run again = run("train", "--resume", model.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("nothing to do"), again.out());
        assertArrayEquals(metrics, Files.readAllBytes(out.resolve("metrics.csv")));
        assertArrayEquals(losses, Files.readAllBytes(out.resolve("losses.csv")));
        assertArrayEquals(curves, Files.readAllBytes(out.resolve("curves.png")));
    }

    @Test
    void badInputIsAMessageNotAStackTrace() throws IOException {
        Run missing = run("train", "--data", dir.resolve("nowhere").toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.out().contains("error: ") && missing.out().contains("data directory not found"),
                missing.out());
        Path junk = dir.resolve("junk.npz");
        Files.write(junk, new byte[] {1, 2, 3});
        Run damaged = run("eval", "--model", junk.toString(), "--data", data.toString());
        assertEquals(2, damaged.code());
        assertTrue(damaged.out().contains("damaged checkpoint"), damaged.out());
        Run badOpt = run("train", "--data", data.toString(), "--optimizer", "lbfgs", "--out", dir.resolve("y").toString());
        assertEquals(2, badOpt.code());
        assertTrue(badOpt.out().contains("got 'lbfgs'"), badOpt.out());
        Run noImages = run("train", "--data", data.toString(), "--limit", "0", "--out", dir.resolve("z").toString());
        assertEquals(2, noImages.code());
        assertTrue(noImages.out().contains("error: --limit: expected >= 1, got 0"), noImages.out());
    }

    @Test
    void predictRejectsLabelsBeyondTheModelsClasses() throws IOException {
        Path out = dir.resolve("labels-run");
        Run r = run("train", "--data", data.toString(), "--epochs", "1", "--batch", "16", "--out", out.toString(),
                "--no-pictures");
        assertEquals(0, r.code(), r.out());
        Path labels = dir.resolve("nine-labels-idx1-ubyte");
        byte[] nines = new byte[24];
        Arrays.fill(nines, (byte) 9);
        try (OutputStream o = Files.newOutputStream(labels)) {
            Idx.write(o, false, nines, 24);
        }
        Run predict = run("predict", "--model", out.resolve("model.npz").toString(), "--images",
                data.resolve("t10k-images-idx3-ubyte.gz").toString(), "--labels", labels.toString(),
                "--class-names", "top,middle,bottom");
        assertEquals(2, predict.code(), predict.out());
        assertTrue(predict.out().contains("error: " + labels + ": label 0 expected 0..2 (the model's classes), got 9"),
                predict.out());
    }

    @Test
    void gradcheckPrintsTheReportAndExitsZeroWhenEverythingPasses() {
        Run r = run("gradcheck");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("kernels: scalar"), r.out());
        assertTrue(r.out().contains("SimpleConvNet"), r.out());
        assertTrue(r.out().matches("(?s).*all \\d+ checks passed.*"), r.out());
    }

    @Test
    void runsStartedInTheSameSecondGetTheirOwnFolders() throws IOException {
        Path root = dir.resolve("runs");
        Path first = Main.Train.newRunDirectory(root, "20261126-120000");
        Path second = Main.Train.newRunDirectory(root, "20261126-120000");
        assertEquals(root.resolve("20261126-120000"), first);
        assertEquals(root.resolve("20261126-120000-2"), second);
        assertTrue(Files.isDirectory(first) && Files.isDirectory(second));
    }

    @Test
    void aDivergingRunSaysWhyOnceAndListsOnlyTheFilesItWrote() {
        Path out = dir.resolve("diverged");
        Run r = run("train", "--data", data.toString(), "--optimizer", "sgd", "--lr", "1e30", "--epochs", "2",
                "--out", out.toString(), "--no-pictures");
        assertEquals(3, r.code(), r.out());
        assertEquals(1, r.out().split("training stopped", -1).length - 1, r.out());
        assertTrue(r.out().contains("stopped after 0 completed epochs"), r.out());
        assertFalse(r.out().contains("metrics.csv"), r.out());
        assertTrue(Files.exists(out.resolve("losses.csv")) && !Files.exists(out.resolve("metrics.csv")), r.out());
    }
}
