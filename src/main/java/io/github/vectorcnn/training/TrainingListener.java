package io.github.vectorcnn.training;

/** What a {@link Trainer} reports while it runs; every method has an empty default. */
public interface TrainingListener {

    /** Training starts (or resumes) at {@code firstEpoch} of {@code epochs}. */
    default void onStart(int firstEpoch, int epochs, int batchesPerEpoch, int trainImages) {
    }

    /**
     * After each batch: its loss, the epoch's throughput so far and the estimated seconds left in
     * the whole run (training passes only).
     */
    default void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond,
                         double etaSeconds) {
    }

    /** The epoch's training pass is done and evaluation starts. */
    default void onEvaluate(int epoch) {
    }

    default void onEpoch(EpochMetrics metrics) {
    }

    /** Training stopped because the loss stopped being a finite number. */
    default void onDiverged(String message) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
