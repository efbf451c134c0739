package dev.descent.engine;

/** Why training stopped. */
public enum StopReason {
    /** The requested number of epochs ran. */
    EPOCHS,
    /** |Δ epoch loss| fell below the tolerance. */
    CONVERGED,
    /** The loss became NaN/Inf or grew past the divergence bound. */
    DIVERGED,
    /** Stopped at a step boundary on request (a signal). */
    INTERRUPTED
}
