package dev.descent.optim;

import java.util.Map;

/**
 * What PyTorch's two momentum forms share: the dampening τ and the buffer {@code b ← μb + (1−τ)g},
 * {@code b₁ = g} on the first step ({@code torch.optim.SGD}'s "buffer is None").
 */
abstract class TorchMomentum extends AbstractOptimizer {
    /** The buffer's slot. */
    static final int B = Arithmetic.STATE;
    protected final double dampening;
    private final Coefficient oneMinusDampening;

    TorchMomentum(Schedule schedule, double momentum, double dampening, String name) {
        super(schedule, 1, momentum, "momentum", name);
        this.dampening = requireMomentum(dampening, "dampening");
        this.oneMinusDampening = Coefficient.of(1 - dampening);
    }

    public double dampening() {
        return dampening;
    }

    /** b ← μb + (1−τ)g, or b ← g on the first step. */
    void buffer(Arithmetic a, boolean fresh) {
        if (fresh) {
            a.copy(Arithmetic.GRAD, B);
        } else {
            a.scal(Coefficient.MU, B);
            a.axpy(oneMinusDampening, Arithmetic.GRAD, B);
        }
    }

    @Override
    protected Map<String, Object> extraHyperparameters() {
        return orderedPair("momentum", momentum, "dampening", dampening);
    }
}
