package dev.descent.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** State handling shared by the optimizers: {@code stateCount} zero-initialised buffers. */
abstract class AbstractOptimizer implements Optimizer {
    protected final Schedule schedule;
    /** BLAS calls with this optimizer's own pointer cache. */
    protected final Blas blas = new Blas();
    private final int stateCount;
    protected INDArray[] state = new INDArray[0];
    /** True until the first step after init/reset (PyTorch's "buffer is None"). */
    protected boolean fresh = true;

    AbstractOptimizer(Schedule schedule, int stateCount) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.stateCount = stateCount;
    }

    @Override
    public void init(long length, DataType dtype) {
        state = new INDArray[stateCount];
        for (int i = 0; i < stateCount; i++) {
            state[i] = Nd4j.zeros(dtype, length);
        }
        fresh = true;
    }

    @Override
    public void reset() {
        for (INDArray s : state) {
            s.assign(0);
        }
        fresh = true;
    }

    @Override
    public void restore(INDArray[] saved, long steps) {
        if (saved.length != state.length) {
            throw new IllegalArgumentException(name() + " keeps " + state.length + " state buffers, the checkpoint has " + saved.length);
        }
        for (int i = 0; i < saved.length; i++) {
            if (saved[i].length() != state[i].length()) {
                throw new IllegalArgumentException(name() + ": state buffer " + i + " has " + state[i].length()
                        + " values, the checkpoint's has " + saved[i].length());
            }
            state[i].assign(saved[i].reshape(state[i].shape()));
        }
        fresh = steps == 0;
    }

    @Override
    public Schedule schedule() {
        return schedule;
    }

    @Override
    public INDArray[] state() {
        return state;
    }

    /** The state buffer i, checked to be initialised and shaped like {@code params}. */
    protected INDArray state(int i, INDArray params) {
        if (state.length == 0) {
            throw new IllegalStateException(name() + ": init() was not called");
        }
        if (state[i].length() != params.length()) {
            throw new IllegalArgumentException(name() + ": initialised for " + state[i].length()
                    + " parameters, stepped with " + params.length());
        }
        return state[i];
    }

    /** Keras' velocity: v ← μv − lr·g. v: modified. grad: not modified. */
    protected void kerasVelocity(INDArray v, INDArray grad, double momentum, double lr) {
        blas.scal(momentum, v);
        blas.axpy(-lr, grad, v);
    }

    /** PyTorch's momentum buffer: b₁ = g on the first step, then b ← μb + (1−τ)g. b: modified. */
    protected void torchBuffer(INDArray b, INDArray grad, double momentum, double dampening) {
        if (fresh) {
            blas.copy(grad, b);
            fresh = false;
        } else {
            blas.scal(momentum, b);
            blas.axpy(1 - dampening, grad, b);
        }
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", name());
        m.putAll(schedule.describe());
        m.putAll(extraHyperparameters());
        return m;
    }

    /** Two hyperparameters in this order (Map.of's order changes from one JVM to the next). */
    protected static Map<String, Object> orderedPair(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    /** Hyperparameters beyond the schedule (momentum, dampening), in a fixed order. */
    protected Map<String, Object> extraHyperparameters() {
        return Map.of();
    }

    static double requireMomentum(double mu, String what) {
        if (!(mu >= 0 && mu < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + mu);
        }
        return mu;
    }

    @Override
    public String toString() {
        return hyperparameters().toString();
    }
}
