package dev.descent.engine;

import dev.descent.model.LinearModel;
import java.util.List;

/**
 * The outcome of a run: the model, the per-epoch history, why it stopped (with a message for a
 * divergence or an interruption), the number of steps, the training seconds (steps only, evaluation
 * excluded), and after how many epochs the model was taken: the last epoch normally; for a diverged run
 * the last epoch that passed the stop rules (0: the starting model), since later parameters are garbage.
 */
public record TrainingResult(LinearModel model, List<EpochStats> history, StopReason stop, String message,
        long steps, double seconds, int modelEpochs) {

    public TrainingResult {
        history = List.copyOf(history);
    }

    /** A result whose model is the one after the last epoch of the history. */
    public TrainingResult(LinearModel model, List<EpochStats> history, StopReason stop, String message, long steps,
            double seconds) {
        this(model, history, stop, message, steps, seconds, history.size());
    }

    /** The last epoch's statistics, or null when no epoch completed. */
    public EpochStats last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
