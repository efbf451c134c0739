package dev.descent.optim;

/**
 * The three operations an update rule is written in, for a backend that keeps θ, the gradient and the
 * optimizer's state outside the JVM (a GPU's memory): operands are named by slot ({@link #THETA},
 * {@link #GRAD}, then state buffer i at {@link #STATE} + i) and each coefficient arrives as the one number
 * the rule's formula gives. A {@link RuleRunner} runs an optimizer's rule on it.
 */
public interface Level1 {
    int THETA = Arithmetic.THETA;
    int GRAD = Arithmetic.GRAD;
    int STATE = Arithmetic.STATE;

    /** y ← a·x + y. */
    void axpy(double a, int x, int y);

    /** x ← a·x. */
    void scal(double a, int x);

    /** y ← x. */
    void copy(int x, int y);
}
