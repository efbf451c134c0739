package dev.descent.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the optimizers share: {@code stateCount} zero-initialised state buffers, the schedule, the
 * momentum, and the step, which runs the optimizer's rule ({@link #update}, written once against
 * {@link Arithmetic}) as BLAS calls on the whole parameter buffer. {@link ColumnUpdate} runs the same
 * rule column by column for a sweep.
 */
abstract class AbstractOptimizer implements Optimizer {
    /** The most state buffers a rule keeps. */
    static final int MAX_STATE = 2;
    protected final Schedule schedule;
    /** μ (β for the EMA form); 0 for plain SGD, whose rule does not read it. */
    protected final double momentum;
    private final BlasArithmetic blas = new BlasArithmetic();
    private final int stateCount;
    private final String name;
    protected INDArray[] state = new INDArray[0];
    /** True until the first step after init/reset (PyTorch's "buffer is None"). */
    private boolean fresh = true;

    /**
     * @param what what the momentum is called in errors ("momentum", "momentum β")
     * @param name the command-line name
     */
    AbstractOptimizer(Schedule schedule, int stateCount, double momentum, String what, String name) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.name = name;
        this.stateCount = stateCount;
        this.momentum = requireMomentum(momentum, what);
    }

    /**
     * The rule: one step on the operands of {@code a} ({@link Arithmetic#THETA} modified, {@link Arithmetic#GRAD}
     * not modified, the state buffers modified). {@code fresh}: no step has run since init or reset.
     */
    abstract void update(Arithmetic a, boolean fresh);

    /** Runs {@link #update} on θ and g as BLAS calls on whole buffers. */
    @Override
    public final void step(INDArray params, INDArray grad, long t, int epoch) {
        if (state.length == 0 && stateCount > 0) {
            throw new IllegalStateException(name() + ": init() was not called");
        }
        for (INDArray s : state) {
            if (s.length() != params.length()) {
                throw new IllegalArgumentException(name() + ": initialised for " + s.length()
                        + " parameters, stepped with " + params.length());
            }
        }
        blas.bind(params, grad, state, schedule.rate(t, epoch), momentum);
        update(blas, fresh);
        fresh = false;
    }

    /** How many state buffers the rule keeps. */
    final int stateCount() {
        return stateCount;
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
    public final String name() {
        return name;
    }

    @Override
    public Schedule schedule() {
        return schedule;
    }

    @Override
    public INDArray[] state() {
        return state;
    }

    /** Keras' velocity in slot v: v ← μv − lr·g. */
    static void kerasVelocity(Arithmetic a, int v) {
        a.scal(Coefficient.MU, v);
        a.axpy(Coefficient.MINUS_RATE, Arithmetic.GRAD, v);
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

    /** Hyperparameters beyond the schedule: the momentum, where the rule keeps state (PyTorch's forms add the dampening). */
    protected Map<String, Object> extraHyperparameters() {
        return stateCount == 0 ? Map.of() : Map.of("momentum", momentum);
    }

    /** μ (β for the EMA form; 0 for plain SGD). */
    public double momentum() {
        return momentum;
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
