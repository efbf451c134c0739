package dev.descent.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates optimizers by their command-line name: the one table of names, aliases and constructors. A new
 * optimizer is its class (its rule written once against {@link Arithmetic}) and a line here.
 */
public final class Optimizers {

    /** How an optimizer is built from the command line's numbers. */
    private interface Factory {
        Optimizer create(Schedule schedule, double momentum, double dampening);
    }

    private static final Map<String, Factory> FORMS = new LinkedHashMap<>();

    static {
        FORMS.put("sgd", (s, mu, tau) -> new Sgd(s));
        FORMS.put("ema", (s, mu, tau) -> new EmaMomentum(s, mu));
        FORMS.put("momentum-torch", HeavyBallTorch::new);
        FORMS.put("momentum-keras", (s, mu, tau) -> new HeavyBallKeras(s, mu));
        FORMS.put("nesterov-keras", (s, mu, tau) -> new NesterovKeras(s, mu));
        FORMS.put("nesterov-torch", NesterovTorch::new);
    }

    /** Every name {@link #create} accepts, aliases aside. */
    public static final List<String> NAMES = List.copyOf(FORMS.keySet());

    /** Aliases: "gd" is sgd (full batch is a batch size, not an optimizer); "nesterovs" is DL4J's name for nesterov-keras. */
    private static final Map<String, String> ALIASES = Map.of("gd", "sgd", "nesterovs", "nesterov-keras");

    private Optimizers() {
    }

    /**
     * The canonical name of an optimizer ("gd" → "sgd"), the one place aliases are resolved.
     *
     * @throws IllegalArgumentException for a name that is neither
     */
    public static String canonical(String name) {
        String c = ALIASES.getOrDefault(name, name);
        if (!FORMS.containsKey(c)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; expected one of " + String.join(", ", NAMES));
        }
        return c;
    }

    /**
     * @param momentum β for {@code ema}, μ for the heavy-ball and Nesterov forms; ignored by {@code sgd}
     * @param dampening τ for the PyTorch forms; ignored by the others
     * @throws IllegalArgumentException for an unknown name or a hyperparameter out of range
     */
    public static Optimizer create(String name, Schedule schedule, double momentum, double dampening) {
        return FORMS.get(canonical(name)).create(schedule, momentum, dampening);
    }
}
