package dev.descent.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Arithmetic} for one model: every coefficient is one number (the model's rate and momentum) and
 * every operation one BLAS call on a whole buffer. Bound to the step's operands before each step; one
 * instance per optimizer (its pointer cache is not shared between threads).
 */
final class BlasArithmetic implements Arithmetic {
    private final Blas blas = new Blas();
    private final INDArray[] slots = new INDArray[STATE + AbstractOptimizer.MAX_STATE];
    private double lr;
    private double mu;

    /** The operands and numbers of the next step. Nothing is copied. */
    void bind(INDArray theta, INDArray grad, INDArray[] state, double lr, double mu) {
        slots[THETA] = theta;
        slots[GRAD] = grad;
        System.arraycopy(state, 0, slots, STATE, state.length);
        this.lr = lr;
        this.mu = mu;
    }

    @Override
    public void axpy(Coefficient a, int x, int y) {
        blas.axpy(a.value(lr, mu), slots[x], slots[y]);
    }

    @Override
    public void scal(Coefficient a, int x) {
        blas.scal(a.value(lr, mu), slots[x]);
    }

    @Override
    public void copy(int x, int y) {
        blas.copy(slots[x], slots[y]);
    }
}
