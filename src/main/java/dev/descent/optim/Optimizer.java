package dev.descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A first-order optimizer over one flat parameter buffer.
 *
 * <p>Lifecycle: {@link #init} allocates state for parameters of a given length and dtype; {@link #step}
 * is called once per mini-batch with the step counter {@code t = 0, 1, 2, ...} (iterations since the
 * start of training) and the epoch; {@link #reset} zeroes the state (as if freshly initialised);
 * {@link #copy} returns an optimizer with the same configuration and no state.
 *
 * <p>Sign convention: {@code grad} is ∂L/∂θ (pointing uphill); every optimizer moves θ against it.
 * Hyperparameters are final; state lives only between {@code init} and the next {@code reset}.
 */
public interface Optimizer {

    /** Allocates state for {@code length} parameters of {@code dtype}; discards any previous state. */
    void init(long length, DataType dtype);

    /**
     * One update. {@code params}: modified (θ moves against the gradient). {@code grad}: not modified.
     * Both are contiguous vectors (or matrices) of the length given to {@link #init}.
     */
    void step(INDArray params, INDArray grad, long t, int epoch);

    /** Zeroes the state: the next step behaves as the first. */
    void reset();

    /** Same configuration, fresh (uninitialised) state. */
    Optimizer copy();

    /** Short name as used on the command line, e.g. {@code nesterov-keras}. */
    String name();

    /** The learning-rate schedule this optimizer follows. */
    Schedule schedule();

    /** Hyperparameters for run records, by name (the schedule's included). */
    Map<String, Object> hyperparameters();

    /**
     * The largest constant learning rate (in this optimizer's own parametrization) for which full-batch
     * training is stable on a quadratic whose Hessian has largest eigenvalue {@code lambdaMax};
     * {@code NaN} where no closed form is known.
     */
    double criticalRate(double lambdaMax);

    /** The state buffers, in a fixed order (for tests and checkpoints). Live buffers: not to be modified. */
    INDArray[] state();

    /**
     * Restores state saved from {@link #state()} after {@code steps} steps, as if those steps had just run
     * (call after {@link #init}). {@code saved}: not modified (copied).
     *
     * @throws IllegalArgumentException when the count or lengths of the buffers do not match
     */
    void restore(INDArray[] saved, long steps);
}
