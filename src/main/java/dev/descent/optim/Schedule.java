package dev.descent.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning rate as a function of the step counter t (iterations since the start) and the epoch.
 * The forms follow Keras ({@code lr / (1 + decay·t)}, per iteration) and PyTorch's StepLR and
 * ExponentialLR (per epoch); each has a DL4J {@code ISchedule} with the same values.
 */
public sealed interface Schedule extends java.io.Serializable {

    /** The rate at step t of the given epoch. */
    double rate(long t, int epoch);

    /** The rate at t = 0. */
    double initial();

    /** Parameters for run records. */
    Map<String, Object> describe();

    /** True when the rate never changes. */
    default boolean isConstant() {
        return this instanceof Constant;
    }

    /** A fixed rate. */
    record Constant(double lr) implements Schedule {
        public Constant {
            requirePositive(lr, "learning rate");
        }

        @Override
        public double rate(long t, int epoch) {
            return lr;
        }

        @Override
        public double initial() {
            return lr;
        }

        @Override
        public Map<String, Object> describe() {
            return map("schedule", "constant", "lr", lr);
        }
    }

    /** Keras' inverse-time decay {@code lr / (1 + decay·t)}, t counted in iterations. */
    record InverseTime(double lr, double decay) implements Schedule {
        public InverseTime {
            requirePositive(lr, "learning rate");
            if (!(decay >= 0) || Double.isInfinite(decay)) {
                throw new IllegalArgumentException("decay must be >= 0, got " + decay);
            }
        }

        @Override
        public double rate(long t, int epoch) {
            return lr / (1.0 + decay * t);
        }

        @Override
        public double initial() {
            return lr;
        }

        @Override
        public Map<String, Object> describe() {
            return map("schedule", "inverse-time", "lr", lr, "decay", decay);
        }
    }

    /** PyTorch StepLR: {@code lr · gamma^floor(epoch / every)}. */
    record Step(double lr, double gamma, int every) implements Schedule {
        public Step {
            requirePositive(lr, "learning rate");
            requirePositive(gamma, "gamma");
            if (every < 1) {
                throw new IllegalArgumentException("step size (epochs) must be >= 1, got " + every);
            }
        }

        @Override
        public double rate(long t, int epoch) {
            return lr * Math.pow(gamma, epoch / every);
        }

        @Override
        public double initial() {
            return lr;
        }

        @Override
        public Map<String, Object> describe() {
            return map("schedule", "step", "lr", lr, "gamma", gamma, "every", every);
        }
    }

    /** PyTorch ExponentialLR: {@code lr · gamma^epoch}. */
    record Exponential(double lr, double gamma) implements Schedule {
        public Exponential {
            requirePositive(lr, "learning rate");
            requirePositive(gamma, "gamma");
        }

        @Override
        public double rate(long t, int epoch) {
            return lr * Math.pow(gamma, epoch);
        }

        @Override
        public double initial() {
            return lr;
        }

        @Override
        public Map<String, Object> describe() {
            return map("schedule", "exponential", "lr", lr, "gamma", gamma);
        }
    }

    static void requirePositive(double v, String what) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite number > 0, got " + v);
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
