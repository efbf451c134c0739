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

    /** True when this listener wants {@link #onEpochModel} (a parameter copy per epoch). */
    default boolean wantsModel() {
        return false;
    }

    /** After each epoch, the model as it stands (a copy), for listeners that asked with {@link #wantsModel}. */
    default void onEpochModel(int epoch, dev.descent.model.LinearModel model) {
    }

    /** After the last epoch (also after divergence). */
    default void onEnd(TrainingResult result) {
    }
}
