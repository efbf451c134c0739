package dev.descent.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD with an exponential moving average of the gradient:
 * {@code ⟨g⟩ ← β⟨g⟩ + (1−β)g,  θ ← θ − λ_t⟨g⟩}, with ⟨g⟩ starting at 0, so a constant gradient
 * gives ⟨g⟩_t = (1−β^t)·g. At a constant rate this is exactly Keras' heavy-ball form with
 * {@code lr = λ(1−β), momentum = β} (see {@link HeavyBallKeras}); it is PyTorch's form with
 * {@code dampening = β} except on the first step, where PyTorch takes the whole gradient.
 */
public final class EmaMomentum extends AbstractOptimizer {
    private final double beta;

    public EmaMomentum(Schedule schedule, double beta) {
        super(schedule, 1);
        this.beta = requireMomentum(beta, "momentum β");
    }

    public double beta() {
        return beta;
    }

    @Override
    public void step(INDArray params, INDArray grad, long t, int epoch) {
        INDArray avg = state(0, params);
        blas.scal(beta, avg);                        // ⟨g⟩ ← β⟨g⟩
        blas.axpy(1 - beta, grad, avg);              //      + (1−β)g
        blas.axpy(-schedule.rate(t, epoch), avg, params); // θ ← θ − λ⟨g⟩
        fresh = false;
    }

    @Override
    public Optimizer copy() {
        return new EmaMomentum(schedule, beta);
    }

    @Override
    public String name() {
        return "ema";
    }

    @Override
    protected Map<String, Object> extraHyperparameters() {
        return Map.of("momentum", beta);
    }

    /** Heavy ball with lr = λ(1−β) is stable for lr·λmax &lt; 2(1+β). */
    @Override
    public double criticalRate(double lambdaMax) {
        return 2 * (1 + beta) / ((1 - beta) * lambdaMax);
    }
}
