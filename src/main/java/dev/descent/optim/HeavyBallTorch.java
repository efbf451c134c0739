package dev.descent.optim;

/**
 * Heavy ball in PyTorch's form ({@code torch.optim.SGD(momentum=μ, dampening=τ, nesterov=False)}):
 * {@code b ← μb + (1−τ)g} with {@code b₁ = g} on the first step, then {@code θ ← θ − lr_t·b}.
 * The learning rate multiplies the whole buffer, so under a schedule it rescales past gradients too:
 * that is where it parts from the Keras form, with which it agrees at a constant rate and τ = 0.
 */
public final class HeavyBallTorch extends TorchMomentum {

    public HeavyBallTorch(Schedule schedule, double momentum, double dampening) {
        super(schedule, momentum, dampening, "momentum-torch");
    }

    @Override
    void update(Arithmetic a, boolean fresh) {
        buffer(a, fresh);            // b ← μb + (1−τ)g, b₁ = g
        a.axpy(Coefficient.MINUS_RATE, B, Arithmetic.THETA);    // θ ← θ − lr·b
    }

    @Override
    public Optimizer copy() {
        return new HeavyBallTorch(schedule, momentum, dampening);
    }

    /** After the first step it is Keras' form with lr' = lr(1−τ): stable for lr(1−τ)λmax &lt; 2(1+μ). */
    @Override
    public double criticalRate(double lambdaMax) {
        return 2 * (1 + momentum) / ((1 - dampening) * lambdaMax);
    }
}
