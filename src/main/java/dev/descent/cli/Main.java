package dev.descent.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code descent}: trains linear models by gradient descent on ND4J. */
@Command(name = "descent", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Trains multidimensional linear models y = X·W + B by gradient descent on ND4J.",
        subcommands = {TrainCommand.class, CompareCommand.class, PredictCommand.class, EvaluateCommand.class,
            GenerateCommand.class, SweepCommand.class, AnalyzeCommand.class, FigureCommand.class, SurfaceCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    public static void main(String[] args) {
        quietJavacppInTheGpuBuild();
        // A signal outside train's step loop (while loading data, in sweep or bench) ends the JVM: say so, and
        // remove an output directory that the run created and left empty.
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished.get()) {
                java.util.List<java.nio.file.Path> removed = OutputOptions.removeEmptyCreated();
                System.err.println("descent: interrupted" + (removed.isEmpty() ? ""
                        : "; removed the empty output directory " + removed.get(0)));
            }
        }));
        int code = commandLine().execute(args);
        finished.set(true);
        System.exit(code);
    }

    /**
     * The gpu build runs JavaCPP's core at the CUDA presets' version under ND4J's 1.5.7 natives (measured to
     * work: docs/gpu.md), and JavaCPP warns of the mismatch on stderr at every start. Its logger then goes
     * through slf4j, which descent keeps quiet. Must run before any JavaCPP class loads.
     */
    private static void quietJavacppInTheGpuBuild() {
        if (Main.class.getClassLoader().getResource("dev/descent/gpu/CudaDevice.class") != null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
    }

    /** The configured command line (tests call {@code execute} on it with captured output). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::badInput);
        cl.setExecutionExceptionHandler(Main::failure);
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                OutputOptions.removeEmptyCreated();
            }
        });
        return cl;
    }

    /** No command given: the usage on stderr, exit code 2. */
    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        cl.getErr().println("descent: a command is needed");
        cl.usage(cl.getErr());
        cl.getErr().flush();
        return ExitCodes.BAD_INPUT;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** A usage error: one line naming the command and what was wrong, exit code 2. */
    private static int badInput(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String hint = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            hint = "; did you mean " + String.join(" or ", u.getSuggestions().subList(0, Math.min(3, u.getSuggestions().size())))
                    + "?";
        }
        err.println(e.getCommandLine().getCommandName() + ": " + e.getMessage() + hint
                + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCodes.BAD_INPUT;
    }

    /** An exception from a command: bad input in one line (exit 2), anything else as internal (exit 1). */
    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (System.getenv("DESCENT_DEBUG") != null) {
            e.printStackTrace(err);
        }
        if (e instanceof java.nio.file.NoSuchFileException n) {
            err.println(cl.getCommandName() + ": no such file: " + n.getFile());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            err.println(cl.getCommandName() + ": permission denied: " + a.getFile());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        if (e instanceof IllegalArgumentException || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException) {
            err.println(cl.getCommandName() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        err.println(cl.getCommandName() + ": internal error: " + e
                + (System.getenv("DESCENT_DEBUG") == null ? " (set DESCENT_DEBUG=1 for the stack trace)" : ""));
        if (System.getenv("DESCENT_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INTERNAL;
    }

    /** The version from the jar manifest (or "dev" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"descent " + version()};
        }
    }

    /** The first line of every command's output: version, backend, device and BLAS. Returns the backend. */
    static dev.descent.engine.Backend header(java.io.PrintWriter o) {
        dev.descent.engine.Backend backend = dev.descent.engine.Backend.current();
        o.printf(java.util.Locale.ROOT, "descent %s  backend %s  [%s]  blas %s%n", version(), backend.name(), backend.device(),
                backend.blas());
        return backend;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
