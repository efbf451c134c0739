package dev.descent.cli;

import dev.descent.compare.Bench;
import dev.descent.host.HostMemory;
import dev.descent.engine.Backend;
import dev.descent.engine.KernelKind;
import dev.descent.engine.StopReason;
import dev.descent.optim.Optimizer;
import dev.descent.report.Plots;
import dev.descent.report.RunFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code descent bench}: whole epochs over a grid, against DL4J and the machine's own limits. */
@Command(name = "bench", header = "Epochs over a grid of shapes beside DL4J and the machine's limits.",
        description = "Trains whole epochs on synthetic data for every (nX, nY, batch size, dtype) of the grid and sets each beside DL4J's single Dense layer (same data, same batches) and beside probes of this machine run in the same process: a sequential read of X and Y (bandwidth bound), a shuffled gather of X's rows (and of X's and Y's) on two threads, as the engine gathers (random-access bound), the engine's gather with every gathered line read by the thread that computes (hand-off: the floor of a batch computed on one core), and a square gemm (FLOP/s).")
final class BenchCommand extends DescentCommand {

    @Option(names = {"-n", "--rows"}, description = "Rows N of each synthetic dataset (default: ${DEFAULT-VALUE}).")
    long rows = 1_000_000;

    @Option(names = "--nx", split = ",", paramLabel = "NX", description = "Input features, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> nxs = new ArrayList<>(List.of(100));

    @Option(names = "--ny", split = ",", paramLabel = "NY", description = "Outputs, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> nys = new ArrayList<>(List.of(1));

    @Option(names = {"-b", "--batch-size"}, split = ",", paramLabel = "B", description = "Batch sizes, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> batches = new ArrayList<>(List.of(32, 256, 4096));

    @Option(names = "--dtype", split = ",", converter = DtypeConverter.class, paramLabel = "float32|float64",
            description = "Floating types, comma-separated (default: float32).")
    List<DataType> dtypes = new ArrayList<>(List.of(DataType.FLOAT));

    @Option(names = {"-e", "--epochs"}, description = "Epochs per cell and side, warm-up included (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--warmup-epochs", description = "Epochs excluded from timing (JIT, first touches) (default: ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--no-shuffle", description = "Visit rows in order (no gather) instead of reshuffling every epoch.")
    boolean noShuffle;

    @Option(names = "--dl4j-rows", description = "Rows DL4J trains on (a prefix; its per-step cost does not depend on N); 0 = all (default: ${DEFAULT-VALUE}).")
    long dl4jRows = 0;

    @Option(names = "--no-plots", description = "Write no figure (bench.png): bench.csv and bench.json only.")
    boolean noPlots;

    @Option(names = "--no-dl4j", description = "Skip DL4J.")
    boolean noDl4j;

    @Option(names = "--kernel", paramLabel = "auto|cuda", description = "The engine's kernel: auto (the CPU's), or cuda (cuBLAS on "
            + "an NVIDIA GPU, the gpu build; the bounds are then the GPU's own read and gather) (default: ${DEFAULT-VALUE}).")
    String kernel = "auto";

    @Option(names = "--threads", paramLabel = "T", description = "Threads the engine splits each batch over (train's --threads)"
            + " (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--seed", description = "Seed of the data (seed), the shuffle (seed+2) (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Mixin
    OptimizerOptions opt = new OptimizerOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    /** Each option against its rule, named as the user typed it. */
    private void check() {
        if (rows < 2) {
            throw new IllegalArgumentException("--rows must be >= 2, got " + rows);
        }
        for (var l : List.of(nxs, nys, batches)) {
            if (l.isEmpty() || l.stream().anyMatch(v -> v < 1)) {
                throw new IllegalArgumentException("--nx, --ny and --batch-size need values >= 1, got " + l);
            }
        }
        if (batches.stream().anyMatch(b -> b > rows)) {
            throw new IllegalArgumentException("--batch-size " + batches + " exceeds --rows " + rows);
        }
        if (dtypes.isEmpty()) {
            throw new IllegalArgumentException("--dtype needs at least one of float32, float64");
        }
        if (warmup < 0 || warmup >= epochs) {
            throw new IllegalArgumentException("--warmup-epochs must be in [0, --epochs) = [0, " + epochs + "), got " + warmup);
        }
        long d = noDl4j ? -1 : dl4jRows;
        if (d < -1 || d > rows) {
            throw new IllegalArgumentException("--dl4j-rows must be 0 (all) or 1.." + rows + ", got " + d);
        }
        if (d > 0 && batches.stream().anyMatch(b -> b > d)) {
            throw new IllegalArgumentException("--dl4j-rows " + d + " is smaller than a batch size of " + batches);
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter o = out();
        Optimizer optimizer = opt.create();
        if (noDl4j && dl4jRows != 0) {
            throw new IllegalArgumentException("--no-dl4j and --dl4j-rows exclude each other");
        }
        check();
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be 1..1024, got " + threads);
        }
        boolean gpu = switch (kernel) {
            case "auto" -> false;
            case "cuda" -> true;
            default -> throw new IllegalArgumentException("--kernel must be auto or cuda, got '" + kernel + "'");
        };
        if (gpu && threads > 1) {
            throw new IllegalArgumentException("--threads " + threads + " needs the CPU's kernel; --kernel cuda runs each batch on the GPU");
        }
        Bench.Config config = new Bench.Config(rows, nxs, nys, batches, dtypes, epochs, warmup, !noShuffle,
                noDl4j ? -1 : dl4jRows, seed, gpu ? KernelKind.CUDA : KernelKind.AUTO, threads);
        if (!HostMemory.cpuBackend()) {
            throw new IllegalArgumentException("bench measures host-memory probes beside the engine: it needs the CPU backend "
                    + "(on CUDA use train/compare, which synchronise before reading the clock)");
        }
        // opened once before anything is written: without a GPU the bench stops here, in one line
        String gpuName = gpu ? dev.descent.gpu.Devices.describe(dtypes.get(0)) : null;
        Path dir = output.create("bench");
        Backend backend = Main.header(o);
        Map<String, Object> machine = machine(backend);
        o.println("machine: " + machine.get("cpu") + ", " + machine.get("memory_gib") + " GiB, Java " + machine.get("java"));
        if (gpuName != null) {
            machine.put("gpu", gpuName);
            o.println("GPU: " + gpuName + "; bounds: the GPU's own read of X and Y and gather of X (kernel cuda)");
        }
        o.printf(Locale.ROOT, "N=%,d  %s  epochs %d (%d warm-up, median of the rest)  %s  optimizer %s%s%n", rows,
                noShuffle ? "in order" : "shuffled", epochs, warmup, noDl4j ? "DL4J skipped"
                        : "DL4J on " + (dl4jRows == 0 ? "all" : String.format(Locale.ROOT, "%,d", dl4jRows)) + " rows",
                optimizer.hyperparameters(), threads > 1 ? "  engine: " + threads + " threads a batch" : "");
        o.printf(Locale.ROOT, "%5s %4s %6s %-7s %9s %12s %7s %6s %8s %12s %7s %12s %12s %12s %12s%n", "nX", "nY", "batch", "dtype",
                "s/epoch", "samples/s", "GB/s", "%read", "GFLOP/s", "DL4J /s", "ratio", "read bound", "gather bound",
                "X+Y gather", "hand-off");
        o.flush();
        List<Bench.Cell> cells = new Bench(config, optimizer).run(c -> {
            boolean dl = !Double.isNaN(c.dl4jSeconds());
            o.printf(Locale.ROOT, "%5d %4d %6d %-7s %9.4f %,12.0f %7.2f %5.0f%% %8.2f %12s %7s %,12.0f %,12.0f %12s %12s%s%n", c.nx(),
                    c.ny(), c.batch(), DtypeConverter.name(c.dtype()), c.engineSeconds(), c.engineRate(), c.achievedGBs(),
                    100 * c.fractionOfRead(), c.achievedGflops(), dl ? String.format(Locale.ROOT, "%,.0f", c.dl4jRate()) : "-",
                    dl ? String.format(Locale.ROOT, "%.1f×", c.speedRatio()) : "-", c.readBoundRate(), c.gatherBoundRate(),
                    Double.isNaN(c.gatherXYSeconds()) ? "-" : String.format(Locale.ROOT, "%,.0f", c.gatherXYBoundRate()),
                    Double.isNaN(c.handOffSeconds()) ? "-" : String.format(Locale.ROOT, "%,.0f", c.handOffBoundRate()),
                    c.engineStop() == StopReason.EPOCHS ? "" : "  (" + c.engineStop() + ": lower --lr)");
            o.flush();
        });
        long peak = HostMemory.peakRssBytes();
        o.printf(Locale.ROOT, "gemm probe: %s; peak RSS %.2f GB%n", gemmLine(cells), peak / 1e9);

        List<Map<String, Object>> table = new ArrayList<>();
        for (Bench.Cell c : cells) {
            table.add(row(c));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("descent", Main.version());
        json.put("machine", machine);
        json.put("command", "descent bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        json.put("rows", rows);
        json.put("shuffle", !noShuffle);
        json.put("epochs", epochs);
        json.put("warmup_epochs", warmup);
        json.put("threads", threads);
        json.put("optimizer", optimizer.hyperparameters());
        json.put("peak_rss_bytes", peak);
        json.put("cells", table);
        RunFiles.writeJson(dir.resolve("bench.json"), json);
        RunFiles.writeTable(dir.resolve("bench.csv"), table);
        if (noPlots) {
            o.println("wrote " + dir.resolve("bench.csv") + " and bench.json");
        } else {
            Plots.savePngStack(charts(cells), dir.resolve("bench.png"));
            o.println("wrote " + dir.resolve("bench.csv") + ", bench.json and bench.png");
        }
        o.flush();
        return ExitCodes.OK;
    }

    private static String gemmLine(List<Bench.Cell> cells) {
        Map<String, String> byType = new LinkedHashMap<>();
        for (Bench.Cell c : cells) {
            // the probe is the CPU's; a GPU run has none (NaN)
            byType.put(DtypeConverter.name(c.dtype()), Double.isNaN(c.gemmGflops())
                    ? "not run with --kernel cuda"
                    : String.format(Locale.ROOT, "%.1f GFLOP/s %s", c.gemmGflops(), DtypeConverter.name(c.dtype())));
        }
        return String.join(", ", byType.values());
    }

    private static Map<String, Object> row(Bench.Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nx", c.nx());
        m.put("ny", c.ny());
        m.put("batch", c.batch());
        m.put("dtype", DtypeConverter.name(c.dtype()));
        m.put("rows", c.rows());
        m.put("engine_seconds_per_epoch", c.engineSeconds());
        m.put("engine_samples_per_s", c.engineRate());
        m.put("engine_stop", c.engineStop().toString());
        m.put("achieved_gb_per_s", c.achievedGBs());
        m.put("achieved_gflop_per_s", c.achievedGflops());
        m.put("read_probe_gb_per_s", c.readGBs());
        m.put("fraction_of_read_probe", c.fractionOfRead());
        m.put("read_bound_samples_per_s", c.readBoundRate());
        m.put("gather_probe_seconds", c.gatherSeconds());
        m.put("gather_bound_samples_per_s", c.gatherBoundRate());
        m.put("gather_xy_probe_seconds", Double.isNaN(c.gatherXYSeconds()) ? "" : c.gatherXYSeconds());
        m.put("gather_xy_bound_samples_per_s", Double.isNaN(c.gatherXYSeconds()) ? "" : c.gatherXYBoundRate());
        m.put("hand_off_probe_seconds", Double.isNaN(c.handOffSeconds()) ? "" : c.handOffSeconds());
        m.put("hand_off_bound_samples_per_s", Double.isNaN(c.handOffSeconds()) ? "" : c.handOffBoundRate());
        m.put("gemm_probe_gflop_per_s", c.gemmGflops());
        m.put("dl4j_rows", c.dl4jRows());
        m.put("dl4j_seconds_per_epoch", Double.isNaN(c.dl4jSeconds()) ? "" : c.dl4jSeconds());
        m.put("dl4j_samples_per_s", Double.isNaN(c.dl4jSeconds()) ? "" : c.dl4jRate());
        m.put("speed_ratio", Double.isNaN(c.dl4jSeconds()) ? "" : c.speedRatio());
        return m;
    }

    /** One chart per (nX, nY, dtype): samples/s against batch size, log-log. */
    private static List<XYChart> charts(List<Bench.Cell> cells) {
        Map<String, List<Bench.Cell>> groups = new LinkedHashMap<>();
        for (Bench.Cell c : cells) {
            groups.computeIfAbsent(String.format(Locale.ROOT, "nX=%d, nY=%d, %s, N=%,d", c.nx(), c.ny(),
                    DtypeConverter.name(c.dtype()), c.rows()), k -> new ArrayList<>()).add(c);
        }
        List<XYChart> charts = new ArrayList<>();
        for (var e : groups.entrySet()) {
            List<Bench.Cell> g = e.getValue();
            double[] b = g.stream().mapToDouble(Bench.Cell::batch).toArray();
            List<Plots.Curve> curves = new ArrayList<>();
            curves.add(new Plots.Curve("descent engine", b, g.stream().mapToDouble(Bench.Cell::engineRate).toArray()));
            if (g.stream().noneMatch(c -> Double.isNaN(c.dl4jSeconds()))) {
                curves.add(new Plots.Curve("DL4J", b, g.stream().mapToDouble(Bench.Cell::dl4jRate).toArray()));
            }
            curves.add(new Plots.Curve("bound: one sequential read of X, Y", b, g.stream().mapToDouble(Bench.Cell::readBoundRate).toArray()));
            curves.add(new Plots.Curve("bound: one shuffled gather of X", b, g.stream().mapToDouble(Bench.Cell::gatherBoundRate).toArray()));
            if (g.stream().noneMatch(c -> Double.isNaN(c.gatherXYSeconds()))) {
                curves.add(new Plots.Curve("bound: one shuffled gather of X and Y", b,
                        g.stream().mapToDouble(Bench.Cell::gatherXYBoundRate).toArray()));
            }
            if (g.stream().noneMatch(c -> Double.isNaN(c.handOffSeconds()))) {
                curves.add(new Plots.Curve("bound: the gather handed to the computing thread", b,
                        g.stream().mapToDouble(Bench.Cell::handOffBoundRate).toArray()));
            }
            XYChart chart = Plots.lines("samples/s vs batch size: " + e.getKey(), "batch size (log scale)",
                    "samples/s (log scale)", curves, true, 1);
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            charts.add(chart);
        }
        return charts;
    }

    /** CPU model, cores, memory, OS and JVM, for the results' header. */
    static Map<String, Object> machine(Backend backend) {
        Map<String, Object> m = new LinkedHashMap<>();
        String cpu = System.getProperty("os.arch");
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: keep os.arch
        }
        m.put("cpu", cpu);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        long mem = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        m.put("memory_gib", Math.round(mem / (double) (1L << 30) * 10) / 10.0);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("backend", backend.name());
        m.put("device", backend.device());
        m.put("blas", backend.blas());
        m.put("omp_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        return m;
    }
}
