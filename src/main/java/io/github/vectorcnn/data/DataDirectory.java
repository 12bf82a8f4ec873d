package io.github.vectorcnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory laid out like the MNIST distributions: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
 * each optionally ending in {@code .gz} (the content decides, the suffix only helps find it).
 * Fashion-MNIST, MNIST digits and the slice in {@code testdata/fashion-mnist} all look like this.
 */
public record DataDirectory(Path dir) {

    /**
     * The directory that a fresh clone ships: a slice of Fashion-MNIST, relative to the working
     * directory. It is a repository file, not a classpath resource, on purpose: the 5 MB would
     * otherwise ride along in the library jar of every project that embeds vectorcnn, and the
     * command line, whose {@code --data} defaults to this directory, runs from a clone anyway.
     */
    public static final Path EMBEDDED = Path.of("testdata", "fashion-mnist");

    /** A training set and its test set. */
    public record Split(DataSet train, DataSet test) {
        public Split {
            if (train.channels() != test.channels() || train.height() != test.height()
                    || train.width() != test.width()) {
                throw new IllegalArgumentException("Split: train images are " + train.channels() + "x"
                        + train.height() + "x" + train.width() + " but test images are "
                        + test.channels() + "x" + test.height() + "x" + test.width());
            }
        }

        /** Classes seen in either set (one more than the largest label). */
        public int classes() {
            return Math.max(train.classes(), test.classes());
        }
    }

    public Split load() throws IOException {
        return new Split(train(), test());
    }

    public DataSet train() throws IOException {
        return DataSet.readIdx(find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte"));
    }

    public DataSet test() throws IOException {
        return DataSet.readIdx(find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte"));
    }

    /** The file {@code base} or {@code base.gz}; a clear error naming both when neither exists. */
    Path find(String base) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir.toAbsolutePath() + ": data directory not found (expected a directory"
                    + " with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
                    + " t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])");
        }
        for (String name : new String[] {base, base + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException(dir + ": expected " + base + " or " + base + ".gz, found neither");
    }
}
