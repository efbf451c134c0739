package dev.descent.optim;

import java.util.List;

/** Creates optimizers by their command-line name. */
public final class Optimizers {
    /** Every name {@link #create} accepts. */
    public static final List<String> NAMES =
            List.of("sgd", "ema", "momentum-torch", "momentum-keras", "nesterov-keras", "nesterov-torch");

    private Optimizers() {
    }

    /**
     * @param momentum β for {@code ema}, μ for the heavy-ball and Nesterov forms; ignored by {@code sgd}
     * @param dampening τ for the PyTorch forms; ignored by the others
     * @throws IllegalArgumentException for an unknown name or a hyperparameter out of range
     */
    public static Optimizer create(String name, Schedule schedule, double momentum, double dampening) {
        return switch (name) {
            case "sgd", "gd" -> new Sgd(schedule);
            case "ema" -> new EmaMomentum(schedule, momentum);
            case "momentum-torch" -> new HeavyBallTorch(schedule, momentum, dampening);
            case "momentum-keras" -> new HeavyBallKeras(schedule, momentum);
            case "nesterov-keras", "nesterovs" -> new NesterovKeras(schedule, momentum);
            case "nesterov-torch" -> new NesterovTorch(schedule, momentum, dampening);
            default -> throw new IllegalArgumentException(
                    "unknown optimizer '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }
}
