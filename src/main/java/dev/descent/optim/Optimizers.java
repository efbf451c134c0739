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
    /** Aliases: "gd" is sgd (full batch is a batch size, not an optimizer); "nesterovs" is DL4J's name for nesterov-keras. */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.of("gd", "sgd", "nesterovs", "nesterov-keras");

    /**
     * The canonical name of an optimizer ("gd" → "sgd"), the one place aliases are resolved.
     *
     * @throws IllegalArgumentException for a name that is neither
     */
    public static String canonical(String name) {
        String c = ALIASES.getOrDefault(name, name);
        if (!NAMES.contains(c)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; expected one of " + String.join(", ", NAMES));
        }
        return c;
    }

    public static Optimizer create(String name, Schedule schedule, double momentum, double dampening) {
        return switch (canonical(name)) {
            case "sgd" -> new Sgd(schedule);
            case "ema" -> new EmaMomentum(schedule, momentum);
            case "momentum-torch" -> new HeavyBallTorch(schedule, momentum, dampening);
            case "momentum-keras" -> new HeavyBallKeras(schedule, momentum);
            case "nesterov-keras" -> new NesterovKeras(schedule, momentum);
            case "nesterov-torch" -> new NesterovTorch(schedule, momentum, dampening);
            default -> throw new IllegalArgumentException(
                    "unknown optimizer '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }
}
