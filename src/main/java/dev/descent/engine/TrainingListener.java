package dev.descent.engine;

/** Receives training events; every method has a do-nothing default. Called on the training thread. */
public interface TrainingListener {

    /** Before the first step. */
    default void onStart(TrainingInfo info) {
    }

    /** Within an epoch, about a hundred times per epoch: rows done so far in this epoch. */
    default void onProgress(int epoch, long rowsDone, long rowsPerEpoch) {
    }

    /** After each epoch. */
    default void onEpoch(EpochStats stats) {
    }

    /** After the last epoch (also after divergence). */
    default void onEnd(TrainingResult result) {
    }
}
