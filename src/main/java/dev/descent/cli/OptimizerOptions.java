package dev.descent.cli;

import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import picocli.CommandLine.Option;

/** Options that choose the optimizer, its hyperparameters and the learning-rate schedule. */
final class OptimizerOptions {
    @Option(names = {"-o", "--optimizer"}, paramLabel = "NAME",
            description = "sgd, ema, momentum-torch, momentum-keras, nesterov-keras (= DL4J Nesterovs) or nesterov-torch (default: ${DEFAULT-VALUE}).")
    String optimizer = "sgd";

    @Option(names = "--lr", description = "Learning rate: λ for ema, lr for the others (default: ${DEFAULT-VALUE}).")
    double lr = 0.01;

    @Option(names = {"-m", "--momentum"}, description = "β for ema, μ for the momentum and Nesterov forms, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum = 0.0;

    @Option(names = "--dampening", description = "τ of the PyTorch forms, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double dampening = 0.0;

    @Option(names = "--schedule", paramLabel = "constant|inverse-time|step|exponential",
            description = "Learning-rate schedule (default: ${DEFAULT-VALUE}): inverse-time is lr/(1+decay·t) per iteration (Keras), "
                    + "step is lr·gamma^floor(epoch/step-every), exponential is lr·gamma^epoch.")
    String schedule = "constant";

    @Option(names = "--decay", description = "decay of the inverse-time schedule (default: ${DEFAULT-VALUE}).")
    double decay = 0.0;

    @Option(names = "--gamma", description = "Factor of the step and exponential schedules (default: ${DEFAULT-VALUE}).")
    double gamma = 0.1;

    @Option(names = "--step-every", description = "Epochs between steps of the step schedule (default: ${DEFAULT-VALUE}).")
    int stepEvery = 10;

    Schedule schedule() {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a finite number > 0, got " + lr);
        }
        return switch (schedule) {
            case "constant" -> new Schedule.Constant(lr);
            case "inverse-time" -> new Schedule.InverseTime(lr, decay);
            case "step" -> new Schedule.Step(lr, gamma, stepEvery);
            case "exponential" -> new Schedule.Exponential(lr, gamma);
            default -> throw new IllegalArgumentException("--schedule must be constant, inverse-time, step or exponential, got '"
                    + schedule + "'");
        };
    }

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** True when the user gave this option (not its default). */
    private boolean given(String option) {
        return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Options that mean nothing for the chosen optimizer or schedule are refused, as the peers refuse them
     * (PyTorch: "Nesterov momentum requires a momentum and zero dampening"), instead of being ignored.
     */
    private void refuseMeaningless() {
        optimizer = Optimizers.canonical(optimizer);
        boolean torch = optimizer.equals("momentum-torch") || optimizer.equals("nesterov-torch");
        if (given("--dampening") && !torch) {
            throw new IllegalArgumentException("--dampening is τ of the PyTorch forms (momentum-torch, nesterov-torch); "
                    + optimizer + " has none");
        }
        if (optimizer.equals("nesterov-torch") && (dampening != 0 || !(momentum > 0))) {
            throw new IllegalArgumentException("-o nesterov-torch: Nesterov momentum requires a momentum > 0 and zero dampening"
                    + " (as PyTorch's SGD), got --momentum " + momentum + " --dampening " + dampening);
        }
        if (given("--momentum") && optimizer.equals("sgd")) {
            throw new IllegalArgumentException("--momentum: sgd has no momentum; use ema, momentum-keras, momentum-torch,"
                    + " nesterov-keras or nesterov-torch");
        }
        if (given("--decay") && !schedule.equals("inverse-time")) {
            throw new IllegalArgumentException("--decay belongs to --schedule inverse-time, not " + schedule);
        }
        if (given("--gamma") && !schedule.equals("step") && !schedule.equals("exponential")) {
            throw new IllegalArgumentException("--gamma belongs to --schedule step or exponential, not " + schedule);
        }
        if (given("--step-every") && !schedule.equals("step")) {
            throw new IllegalArgumentException("--step-every belongs to --schedule step, not " + schedule);
        }
    }

    Optimizer create() {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        }
        if (!(dampening >= 0 && dampening < 1)) {
            throw new IllegalArgumentException("--dampening must be in [0, 1), got " + dampening);
        }
        refuseMeaningless();
        return Optimizers.create(optimizer, schedule(), momentum, dampening);
    }
}
