package dev.descent.optim;

/**
 * Runs an optimizer's update rule, the very one {@link Optimizer#step} runs on the CPU, as calls on a
 * {@link Level1} whose buffers live elsewhere: the rule is written once. One instance per model; a step
 * allocates nothing.
 */
public final class RuleRunner {
    private final AbstractOptimizer rule;
    private final Level1 ops;
    private final Arithmetic arithmetic;
    private double lr;

    /** @param optimizer one of {@link Optimizers}' (its schedule and momentum are read, its state is not used) */
    public RuleRunner(Optimizer optimizer, Level1 ops) {
        if (!(optimizer instanceof AbstractOptimizer a)) {
            throw new IllegalArgumentException(optimizer.name() + " has no update rule that runs outside the JVM");
        }
        this.rule = a;
        this.ops = ops;
        this.arithmetic = new Arithmetic() {
            @Override
            public void axpy(Coefficient c, int x, int y) {
                ops.axpy(c.value(lr, rule.momentum), x, y);
            }

            @Override
            public void scal(Coefficient c, int x) {
                ops.scal(c.value(lr, rule.momentum), x);
            }

            @Override
            public void copy(int x, int y) {
                ops.copy(x, y);
            }
        };
    }

    /** How many state buffers the rule keeps (slots {@link Level1#STATE} …). */
    public int stateCount() {
        return rule.stateCount();
    }

    /** One step at step t of epoch {@code epoch}; {@code fresh}: the first step since the state was zeroed. */
    public void step(long t, int epoch, boolean fresh) {
        lr = rule.schedule.rate(t, epoch);
        rule.update(arithmetic, fresh);
    }
}
