package io.github.vectorcnn.cli;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.data.DataDirectory;
import io.github.vectorcnn.data.DataSet;
import io.github.vectorcnn.data.Idx;
import io.github.vectorcnn.gradcheck.GradientCheckReport;
import io.github.vectorcnn.networks.SimpleConvNet;
import io.github.vectorcnn.training.Checkpoint;
import io.github.vectorcnn.training.ConsoleProgress;
import io.github.vectorcnn.training.EpochMetrics;
import io.github.vectorcnn.training.Evaluation;
import io.github.vectorcnn.training.Optimizer;
import io.github.vectorcnn.training.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The {@code vectorcnn} command: {@code train}, {@code eval}, {@code predict}, {@code filters} and
 * {@code gradcheck}, each with {@code --help}. Uses picocli (an optional dependency: the library
 * itself needs none) and XChart for the curves.
 */
@Command(name = "vectorcnn", mixinStandardHelpOptions = true, version = "vectorcnn 0.1.0",
        description = "Train, evaluate and inspect the book's SimpleConvNet on IDX image data.",
        subcommands = {Main.Train.class, Main.Eval.class, Main.Predict.class, Main.Filters.class,
                Main.GradCheck.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    static {
        // Pictures are drawn off-screen; without this a display-less machine fails on first AWT use.
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Epochs of the default run: the book's 20, which on the embedded 10,000-image slice takes
     * well under a minute on 2 cores with the Vector API kernels (about 0.7 s of training per
     * epoch plus the evaluations; about 14 s per epoch with the scalar kernels).
     */
    static final int DEFAULT_EPOCHS = 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command line and returns its exit code (what tests call). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Bad files and arguments are the user's to fix: a message, not a stack trace.
            if (e instanceof IOException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    // ---- train ------------------------------------------------------------------------------------

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train SimpleConvNet (conv 30×5×5 → relu → pool → affine 100 → relu → affine → softmax).",
                    "Defaults: the Fashion-MNIST slice in testdata/fashion-mnist, Adam (lr 0.001), batch 100, "
                            + DEFAULT_EPOCHS + " epochs. Writes the model, metrics and pictures to --out."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "DIR", description = "IDX directory (train-images-idx3-ubyte[.gz] …). "
                + "Default: ${DEFAULT-VALUE}", defaultValue = "testdata/fashion-mnist")
        Path data;
        @Option(names = "--epochs", description = "Total epochs (a resumed run counts its earlier ones). "
                + "Default: " + DEFAULT_EPOCHS + ", or the checkpoint's.")
        Integer epochs;
        @Option(names = "--batch", description = "Images per batch. Default: 100, or the checkpoint's.")
        Integer batch;
        @Option(names = "--optimizer", description = "One of: " + Optimizer.NAMES + ". Default: ${DEFAULT-VALUE}.",
                defaultValue = "adam")
        String optimizer;
        @Option(names = "--lr", description = "Learning rate. Default: the book's (0.001 for adam, 0.01 otherwise).")
        Double lr;
        @Option(names = "--weight-decay", description = "L2 weight decay on weights (not biases). "
                + "Default: ${DEFAULT-VALUE}.", defaultValue = "0")
        double weightDecay;
        @Option(names = "--seed", description = "Seed of the initial weights and of the shuffles. Default: 42.")
        Long seed;
        @Option(names = "--limit", description = "Train on the first N training images only.")
        Integer limit;
        @Option(names = "--train-sample", description = "Training images evaluated each epoch. Default: 1000.")
        Integer trainSample;
        @Option(names = "--init", description = "Weight init: STD (N(0, weight-std²), the book's) or HE. "
                + "Default: ${DEFAULT-VALUE}.", defaultValue = "STD")
        SimpleConvNet.Init init;
        @Option(names = "--weight-std", description = "Standard deviation for --init STD. Default: ${DEFAULT-VALUE}.",
                defaultValue = "0.01")
        double weightStd;
        @Option(names = "--resume", paramLabel = "MODEL.npz", description = "Continue from a checkpoint "
                + "(its network, optimizer and settings; --epochs sets the new total).")
        Path resume;
        @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: runs/<date-time>.")
        Path out;
        @Option(names = "--no-pictures", description = "Skip filters.png and curves.png.")
        boolean noPictures;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (limit != null && limit < 1) {
                throw new IllegalArgumentException("--limit: expected >= 1, got " + limit);
            }
            if (resume != null) {
                // The checkpoint carries the optimizer (with its state) and the network: options that
                // would set them are refused, not silently ignored.
                for (String option : new String[] {"--optimizer", "--lr", "--weight-decay", "--init", "--weight-std"}) {
                    if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                        throw new IllegalArgumentException(option + ": a resumed run keeps the optimizer and network of "
                                + resume + "; drop " + option + ", or start a new run without --resume");
                    }
                }
            }
            PrintWriter o = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            o.println("loading " + data + " …");
            o.flush();
            DataDirectory.Split split = new DataDirectory(data).load();
            DataSet train = limit == null ? split.train() : split.train().slice(0, Math.min(limit, split.train().size()));
            DataSet test = split.test();

            Trainer trainer;
            Trainer.Settings defaults = new Trainer.Settings(DEFAULT_EPOCHS, 100, 42L, 1000, 500);
            if (resume != null) {
                Checkpoint cp = Checkpoint.read(resume);
                if (cp.history().size() < cp.epoch() && out != null
                        && (Files.exists(out.resolve("metrics.csv")) || Files.exists(out.resolve("losses.csv")))) {
                    // A checkpoint written before checkpoints kept every epoch's metrics: its run's
                    // metrics.csv and losses.csv would be rewritten without the earlier epochs.
                    throw new IllegalArgumentException("--out: " + out + " holds metrics of epochs 1.."
                            + (cp.epoch() - cp.history().size()) + ", which " + resume + " does not carry (it"
                            + " predates checkpoints with history); resume into another --out");
                }
                Trainer.Settings s = Trainer.Settings.fromMap(cp.settings(), defaults);
                s = override(s);
                trainer = Trainer.resume(cp, s);
                o.printf(Locale.ROOT, "resuming %s at epoch %d (optimizer %s)%n", resume, cp.epoch() + 1,
                        trainer.optimizer());
                defaults = s;
            } else {
                Trainer.Settings s = override(defaults);
                SimpleConvNet.Config config = SimpleConvNet.Config.defaults()
                        .withInput(train.channels(), train.height(), train.width())
                        .withClasses(Math.max(split.classes(), 2))
                        .withInit(init, weightStd).withSeed(seed != null ? seed : 42L);
                Optimizer opt = Optimizer.create(optimizer, lr != null ? lr : Double.NaN, weightDecay);
                trainer = new Trainer(new SimpleConvNet(config), opt, s);
                defaults = s;
            }
            Trainer.Settings s = defaults;
            o.printf(Locale.ROOT, "data: %d training, %d test images %dx%dx%d, %d classes; optimizer %s;"
                            + " batch %d, epochs %d, seed %d%n", train.size(), test.size(), train.channels(),
                    train.height(), train.width(), split.classes(), trainer.optimizer(), s.batchSize(), s.epochs(),
                    s.seed());
            o.flush();
            int firstEpoch = trainer.completedEpochs() + 1;
            // "Before" is the run's initial filters, a resumed run's too (its config's seed makes them
            // again), so a resume into the run's folder redraws the same first grid.
            Tensor before = new SimpleConvNet(trainer.network().config()).params().get("W1").copy();
            // Created once the data and the checkpoint have loaded: a bad --data leaves no empty folder
            // (and a fit refused before it writes removes the one made here).
            boolean fresh = out == null || !Files.exists(out);
            Path dir = out != null ? Files.createDirectories(out) : newRunDirectory();
            Path model = dir.resolve("model.npz");
            Path csv = dir.resolve("metrics.csv");
            Path json = dir.resolve("metrics.json");
            ConsoleProgress progress = new ConsoleProgress(o, ConsoleProgress.isTerminal());
            Path losses = dir.resolve("losses.csv");
            Trainer.Result r;
            try {
                r = trainer.checkpointTo(model).metricsTo(csv, json).lossesTo(losses).listener(progress)
                        .fit(train, test);
            } catch (IOException | RuntimeException e) {
                // A fit refused before its first write (a resume on other data) leaves no empty folder.
                if (fresh) {
                    try {
                        Files.deleteIfExists(dir);
                    } catch (IOException notEmptyOrGone) {
                        // it holds what the fit wrote before failing: keep it
                    }
                }
                throw e;
            }
            if (!r.diverged() && r.history().isEmpty()) {
                // A resume already at its last epoch: the metrics, losses and pictures in the output
                // folder (often the resumed run's own) are left as they are.
                o.println(r.message());
                return 0;
            }

            // Every batch and epoch so far, those before a resume included (the checkpoint carries
            // them), so resuming into the run's own folder continues its files.
            float[] allLosses = trainer.batchLosses();

            Path filters = dir.resolve("filters.png"), curves = dir.resolve("curves.png");
            String pictures = null;
            if (!noPictures) {
                pictures = drawPictures(before, trainer.network().params().get("W1"), firstEpoch - 1,
                        trainer.completedEpochs(), trainer.history(), allLosses,
                        (train.size() + s.batchSize() - 1) / s.batchSize(), filters, curves);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            o.println();
            if (r.diverged()) {
                // The progress listener has printed why.
                o.printf(Locale.ROOT, "stopped after %d completed epochs%n", trainer.completedEpochs());
            } else if (r.history().isEmpty()) {
                o.println(r.message());
            } else {
                o.printf(Locale.ROOT, "done in %s: test accuracy %.4f on %d images after %d epochs%n",
                        minutes(secs), r.finalTestAccuracy(), test.size(), trainer.completedEpochs());
            }
            o.println("  model    " + model + "   (NumPy .npz: W1 b1 W2 b2 W3 b3, optimizer state, meta)");
            if (!trainer.history().isEmpty()) {
                o.println("  metrics  " + csv + ", " + json.getFileName() + ", " + losses.getFileName() + " (every batch)");
            } else {
                o.println("  losses   " + losses + " (every batch)");
            }
            if (!noPictures) {
                if (pictures == null) {
                    o.println("  filters  " + filters + "   (first-layer filters, before and after)");
                    o.println("  curves   " + curves + "   (loss and accuracy per epoch)");
                } else {
                    o.println("  pictures not drawn: " + pictures);
                }
            }
            o.println("next: ./vectorcnn eval --model " + model + "   |   ./vectorcnn predict --model " + model
                    + " --images " + data.resolve("t10k-images-idx3-ubyte.gz"));
            return r.diverged() ? 3 : 0;
        }

        /**
         * runs/&lt;date-time&gt;, created here: two runs started in the same second get -2, -3, … instead of
         * writing into one folder (the second run's model replaced the first's).
         */
        private static Path newRunDirectory() throws IOException {
            return newRunDirectory(Path.of("runs"), LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }

        static Path newRunDirectory(Path root, String stamp) throws IOException {
            Files.createDirectories(root);
            for (int k = 1; ; k++) {
                Path dir = root.resolve(k == 1 ? stamp : stamp + "-" + k);
                try {
                    return Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // taken by another run: try the next suffix
                }
            }
        }

        private Trainer.Settings override(Trainer.Settings s) {
            if (epochs != null) {
                s = s.withEpochs(epochs);
            }
            if (batch != null) {
                s = s.withBatchSize(batch);
            }
            if (seed != null) {
                s = s.withSeed(seed);
            }
            if (trainSample != null) {
                s = s.withTrainSample(trainSample);
            }
            return s;
        }

        /** Draws both pictures; returns null, or why they could not be drawn (training still counts). */
        private static String drawPictures(Tensor before, Tensor after, int epochBefore, int epochAfter,
                                           List<EpochMetrics> history, float[] batchLosses, int batchesPerEpoch,
                                           Path filters, Path curves) {
            try {
                FilterGrid.writePng(FilterGrid.titled(
                        new String[] {"first-layer filters after epoch " + epochBefore + " (before training)",
                                "after epoch " + epochAfter},
                        new Tensor[] {before, after}), filters);
                if (!history.isEmpty() || batchLosses.length > 0) {
                    FilterGrid.writePng(Curves.render(history, batchLosses, batchesPerEpoch), curves);
                }
                return null;
            } catch (IOException | RuntimeException | LinkageError e) {
                return e.toString();
            }
        }
    }

    static String minutes(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    // ---- eval -------------------------------------------------------------------------------------

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Loss and accuracy of a saved model on a test set, overall and per class.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "MODEL.npz", description = "A checkpoint from train.")
        Path model;
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "testdata/fashion-mnist",
                description = "IDX directory whose t10k files are evaluated. Default: ${DEFAULT-VALUE}")
        Path data;
        @Option(names = "--train", description = "Evaluate the training files instead of the test files.")
        boolean onTrain;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            Checkpoint cp = Checkpoint.read(model);
            SimpleConvNet net = cp.newNetwork();
            DataDirectory dir = new DataDirectory(data);
            DataSet set = onTrain ? dir.train() : dir.test();
            Evaluation ev = Evaluation.of(net, set, set.size(), 500);
            o.printf(Locale.ROOT, "%s (epoch %d) on %s %s: loss %.4f, accuracy %.4f (%d images)%n", model, cp.epoch(),
                    data, onTrain ? "train" : "test", ev.loss(), ev.accuracy(), set.size());
            int classes = net.config().classes();
            int[] predicted = Predict.classify(net, set.images());
            int[] total = new int[classes], right = new int[classes];
            for (int i = 0; i < predicted.length; i++) {
                total[set.labels()[i]]++;
                if (predicted[i] == set.labels()[i]) {
                    right[set.labels()[i]]++;
                }
            }
            o.println("class  images  accuracy");
            for (int k = 0; k < classes; k++) {
                if (total[k] > 0) {
                    o.printf(Locale.ROOT, "%5d  %6d  %.4f%n", k, total[k], (double) right[k] / total[k]);
                }
            }
            return 0;
        }
    }

    // ---- predict ----------------------------------------------------------------------------------

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Classify the images of an IDX file with a saved model.")
    static final class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "MODEL.npz")
        Path model;
        @Option(names = "--images", required = true, paramLabel = "FILE", description = "IDX images (rank 3), raw or gzip.")
        Path images;
        @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels to compare with (prints accuracy).")
        Path labels;
        @Option(names = "--show", defaultValue = "10", description = "Predictions to print. Default: ${DEFAULT-VALUE}.")
        int show;
        @Option(names = "--class-names", description = "fashion, digits, or a comma-separated list.")
        String classNames;

        static final String FASHION = "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            SimpleConvNet net = Checkpoint.read(model).newNetwork();
            Idx.Array a = Idx.read(images, 3);
            int n = a.dims()[0];
            float[] px = new float[a.values().length];
            for (int i = 0; i < px.length; i++) {
                px[i] = a.unsigned(i) / 255f;
            }
            Tensor x = Tensor.wrap(px, n, 1, a.dims()[1], a.dims()[2]);
            SimpleConvNet.Config c = net.config();
            if (c.channels() != 1 || c.height() != a.dims()[1] || c.width() != a.dims()[2]) {
                throw new IllegalArgumentException(images + ": images expected " + c.channels() + "x" + c.height()
                        + "x" + c.width() + " for this model, got 1x" + a.dims()[1] + "x" + a.dims()[2]);
            }
            String[] names = names(classNames, c.classes());
            int[] predicted = classify(net, x);
            int[] truth = null;
            if (labels != null) {
                Idx.Array l = Idx.read(labels, 1);
                if (l.dims()[0] != n) {
                    throw new IllegalArgumentException(labels + ": expected " + n + " labels, got " + l.dims()[0]);
                }
                truth = new int[n];
                for (int i = 0; i < n; i++) {
                    truth[i] = l.unsigned(i);
                    if (truth[i] >= c.classes()) {
                        throw new IllegalArgumentException(labels + ": label " + i + " expected 0.."
                                + (c.classes() - 1) + " (the model's classes), got " + truth[i]);
                    }
                }
            }
            for (int i = 0; i < Math.min(show, n); i++) {
                o.printf(Locale.ROOT, "%6d  %s%s%n", i, label(names, predicted[i]),
                        truth == null ? "" : (predicted[i] == truth[i] ? "  ✓" : "  ✗ (is " + label(names, truth[i]) + ")"));
            }
            if (truth != null) {
                int right = 0;
                for (int i = 0; i < n; i++) {
                    right += predicted[i] == truth[i] ? 1 : 0;
                }
                o.printf(Locale.ROOT, "accuracy %.4f (%d of %d)%n", (double) right / n, right, n);
            } else if (n > show) {
                o.println("… " + (n - show) + " more (--show)");
            }
            return 0;
        }

        private static String label(String[] names, int k) {
            return names == null ? Integer.toString(k) : k + " " + names[k];
        }

        static String[] names(String spec, int classes) {
            if (spec == null) {
                return null;
            }
            String list = switch (spec) {
                case "fashion" -> FASHION;
                case "digits" -> "0,1,2,3,4,5,6,7,8,9";
                default -> spec;
            };
            String[] n = list.split(",");
            if (n.length != classes) {
                throw new IllegalArgumentException("--class-names: expected " + classes + " names, got " + n.length);
            }
            return n;
        }

        /** Arg-max class of every image, 500 at a time. */
        static int[] classify(SimpleConvNet net, Tensor x) {
            int n = x.dim(0), per = x.size() / n, classes = net.config().classes();
            int[] out = new int[n];
            for (int start = 0; start < n; start += 500) {
                int b = Math.min(500, n - start);
                int[] shape = x.shape();
                shape[0] = b;
                Tensor batch = Tensor.wrap(java.util.Arrays.copyOfRange(x.data(), start * per, (start + b) * per), shape);
                float[] s = net.predict(batch).data();
                for (int i = 0; i < b; i++) {
                    int best = 0;
                    for (int j = 1; j < classes; j++) {
                        if (s[i * classes + j] > s[i * classes + best]) {
                            best = j;
                        }
                    }
                    out[start + i] = best;
                }
            }
            return out;
        }
    }

    // ---- filters ----------------------------------------------------------------------------------

    @Command(name = "filters", mixinStandardHelpOptions = true,
            description = "Draw a model's first-layer filters as a PNG grid (like the book's figure 7-24).")
    static final class Filters implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "MODEL.npz")
        Path model;
        @Option(names = "--out", paramLabel = "FILE.png", description = "Default: filters.png beside the model.")
        Path out;
        @Option(names = "--untrained", description = "Also draw the filters of a freshly initialized network "
                + "with the model's configuration (same seed), above the trained ones.")
        boolean untrained;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Checkpoint cp = Checkpoint.read(model);
            Path file = out != null ? out : model.toAbsolutePath().resolveSibling("filters.png");
            Tensor trained = cp.params().get("W1");
            if (untrained) {
                Tensor init = new SimpleConvNet(cp.config()).params().get("W1");
                FilterGrid.writePng(FilterGrid.titled(new String[] {"initial filters (seed " + cp.config().seed() + ")",
                        "after epoch " + cp.epoch()}, new Tensor[] {init, trained}), file);
            } else {
                FilterGrid.writePng(FilterGrid.titled(new String[] {"first-layer filters after epoch " + cp.epoch()},
                        new Tensor[] {trained}), file);
            }
            spec.commandLine().getOut().println("wrote " + file + " (" + trained.dim(0) + " filters "
                    + trained.dim(2) + "x" + trained.dim(3) + ")");
            return 0;
        }
    }

    // ---- gradcheck --------------------------------------------------------------------------------

    @Command(name = "gradcheck", mixinStandardHelpOptions = true,
            description = {"Check every layer's and SimpleConvNet's gradients against central differences,"
                    + " on the scalar and the vector kernels (io.github.vectorcnn.gradcheck.GradientCheckReport).",
                    "Exits 1 if any check fails."})
    static final class GradCheck implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ByteArrayOutputStream report = new ByteArrayOutputStream();
            int status = GradientCheckReport.run(new PrintStream(report, true, StandardCharsets.UTF_8));
            PrintWriter out = spec.commandLine().getOut();
            out.print(report.toString(StandardCharsets.UTF_8));
            out.flush();
            return status;
        }
    }
}
