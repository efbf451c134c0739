package dev.descent.reference;

import dev.descent.optim.EmaMomentum;
import dev.descent.optim.HeavyBallKeras;
import dev.descent.optim.HeavyBallTorch;
import dev.descent.optim.NesterovKeras;
import dev.descent.optim.NesterovTorch;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Schedule;
import dev.descent.optim.Sgd;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * The DL4J updater that stands for a descent optimizer. {@code exact} means the two compute the same
 * method (parameters agree to rounding); otherwise DL4J has no such updater and the closest one is used,
 * to be compared by loss curve only.
 *
 * @param updater the DL4J updater configuration
 * @param exact true when the updater is the same method as the optimizer
 * @param description what was mapped to what, for reports
 */
public record UpdaterMapping(IUpdater updater, boolean exact, String description) {

    /** Maps an optimizer (its schedule included) to DL4J. */
    public static UpdaterMapping of(Optimizer o) {
        Schedule s = o.schedule();
        if (o instanceof Sgd) {
            return new UpdaterMapping(new org.nd4j.linalg.learning.config.Sgd(schedule(s, 1)), true, "Sgd (same method)");
        }
        if (o instanceof NesterovKeras n) {
            return new UpdaterMapping(new Nesterovs(schedule(s, 1), n.momentum()), true, "Nesterovs (same method)");
        }
        if (o instanceof NesterovTorch n) {
            boolean same = s.isConstant() && n.dampening() == 0;
            return new UpdaterMapping(new Nesterovs(schedule(s, 1), n.momentum()), same,
                    same ? "Nesterovs (the same iterates at a constant rate with dampening 0)"
                            : "Nesterovs (closest: PyTorch's form differs under a schedule or dampening)");
        }
        if (o instanceof EmaMomentum e) {
            return new UpdaterMapping(new Nesterovs(schedule(s, 1 - e.beta()), e.beta()), false,
                    "Nesterovs(lr = λ(1−β), μ = β) (closest: DL4J has no heavy-ball updater)");
        }
        if (o instanceof HeavyBallKeras h) {
            return new UpdaterMapping(new Nesterovs(schedule(s, 1), h.momentum()), false,
                    "Nesterovs(lr, μ) (closest: DL4J has no heavy-ball updater)");
        }
        if (o instanceof HeavyBallTorch h) {
            return new UpdaterMapping(new Nesterovs(schedule(s, 1 - h.dampening()), h.momentum()), false,
                    "Nesterovs(lr·(1−τ), μ) (closest: DL4J has no heavy-ball updater)");
        }
        throw new IllegalArgumentException("no DL4J counterpart for optimizer " + o.name());
    }

    /** The DL4J schedule with the same values, the learning rate multiplied by {@code scale}. */
    static ISchedule schedule(Schedule s, double scale) {
        if (s instanceof Schedule.Constant c) {
            return new org.nd4j.linalg.schedule.FixedSchedule(c.lr() * scale);
        }
        if (s instanceof Schedule.InverseTime i) { // lr / (1 + decay·iteration)^1
            return new InverseSchedule(ScheduleType.ITERATION, i.lr() * scale, i.decay(), 1.0);
        }
        if (s instanceof Schedule.Step st) { // lr · gamma^floor(epoch / every)
            return new StepSchedule(ScheduleType.EPOCH, st.lr() * scale, st.gamma(), st.every());
        }
        if (s instanceof Schedule.Exponential e) { // lr · gamma^epoch
            return new ExponentialSchedule(ScheduleType.EPOCH, e.lr() * scale, e.gamma());
        }
        throw new IllegalArgumentException("no DL4J schedule for " + s);
    }
}
