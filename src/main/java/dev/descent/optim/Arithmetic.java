package dev.descent.optim;

/**
 * What an update rule is written in: three level-1 operations on the operands of one step, named by
 * slot ({@link #THETA}, {@link #GRAD}, then the optimizer's state buffers from {@link #STATE}), with
 * {@link Coefficient}s that may differ by column of θ. Each rule is written once against this; one model
 * runs it as BLAS calls on whole buffers ({@link BlasArithmetic}), a sweep of K models as loops over
 * columns with each model's rate and momentum ({@link ColumnUpdate}).
 *
 * <p>Each operation rounds as BLAS does on this CPU: {@code axpy} as one fused multiply-add per element,
 * {@code scal} as one product.
 */
interface Arithmetic {
    int THETA = 0;
    int GRAD = 1;
    /** The first state buffer's slot; buffer i is at STATE + i. */
    int STATE = 2;

    /** y ← a·x + y. */
    void axpy(Coefficient a, int x, int y);

    /** x ← a·x. */
    void scal(Coefficient a, int x);

    /** y ← x. */
    void copy(int x, int y);
}
