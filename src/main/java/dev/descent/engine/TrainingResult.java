package dev.descent.engine;

import dev.descent.model.LinearModel;
import java.util.List;

/**
 * The outcome of a run: the final model, the per-epoch history, why it stopped (with a message for
 * a divergence), the number of steps and the training seconds (steps only, evaluation excluded).
 */
public record TrainingResult(LinearModel model, List<EpochStats> history, StopReason stop, String message,
        long steps, double seconds) {

    public TrainingResult {
        history = List.copyOf(history);
    }

    /** The last epoch's statistics, or null when no epoch completed. */
    public EpochStats last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
