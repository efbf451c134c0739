package dev.descent.compare;

import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.engine.EpochStats;
import dev.descent.engine.KernelKind;
import dev.descent.engine.StopReason;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.gpu.Device;
import dev.descent.gpu.DeviceProbes;
import dev.descent.gpu.Devices;
import dev.descent.model.Init;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import dev.descent.reference.Dl4jReference;
import dev.descent.reference.UpdaterMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Whole training epochs on synthetic data over a grid of (nX, nY, batch size, dtype), the engine beside
 * DL4J and beside the machine's own limits ({@link MachineProbes}) measured on the same data in the same
 * run. Every cell trains from zeros with the same optimizer; the first {@code warmupEpochs} epochs are
 * excluded and the median of the others is the cell's epoch time.
 */
public final class Bench {

    /**
     * @param rows N, rows of every synthetic dataset
     * @param dl4jRows rows DL4J trains on (a prefix of the same data; its per-step cost does not depend on N),
     *     0 for all, −1 to skip DL4J
     * @param kernel the engine's kernel; with {@link KernelKind#CUDA} the bounds are the GPU's ({@link DeviceProbes})
     * @param threads threads the engine splits each batch over ({@link Trainer.Config#threads()})
     */
    public record Config(long rows, List<Integer> nxs, List<Integer> nys, List<Integer> batches, List<DataType> dtypes,
            int epochs, int warmupEpochs, boolean shuffle, long dl4jRows, long seed, KernelKind kernel, int threads) {

        /** The engine on one thread a batch (and its gather helper). */
        public Config(long rows, List<Integer> nxs, List<Integer> nys, List<Integer> batches, List<DataType> dtypes,
                int epochs, int warmupEpochs, boolean shuffle, long dl4jRows, long seed, KernelKind kernel) {
            this(rows, nxs, nys, batches, dtypes, epochs, warmupEpochs, shuffle, dl4jRows, seed, kernel, 1);
        }

        public Config {
            nxs = List.copyOf(nxs);
            nys = List.copyOf(nys);
            batches = List.copyOf(batches);
            dtypes = List.copyOf(dtypes);
            Objects.requireNonNull(kernel, "kernel");
            // The command line checks each option with its name; here only that the grid makes sense at all.
            boolean sizes = Stream.of(nxs, nys, batches).allMatch(l -> !l.isEmpty() && l.stream().allMatch(v -> v >= 1));
            if (rows < 2 || !sizes || batches.stream().anyMatch(b -> b > rows) || dtypes.isEmpty() || warmupEpochs < 0
                    || warmupEpochs >= epochs || dl4jRows < -1 || dl4jRows > rows
                    || (dl4jRows > 0 && batches.stream().anyMatch(b -> b > dl4jRows))) {
                throw new IllegalArgumentException("not a bench grid: " + this);
            }
        }

        boolean dl4j() {
            return dl4jRows >= 0;
        }
    }

    /** The machine probes of one dataset: X read in order, X gathered in a shuffled order per batch size. */
    public record Probes(MachineProbes.Probe read, MachineProbes.Probe gemm) {
    }

    /**
     * One cell. Rates are samples/s over the measured epochs; NaN where DL4J was skipped.
     *
     * @param readSeconds best sequential read of X and Y (the bandwidth bound of one epoch)
     * @param gatherSeconds best shuffled gather of X's rows at this batch size (the random-access bound)
     * @param gatherXYSeconds the same with each row's targets (what a shuffled step fetches); NaN on a GPU
     * @param handOffSeconds the engine's own gather of X's and Y's rows with each gathered line read once by the
     *     thread that asked for it ({@link MachineProbes#handOff}: the floor of a batch computed on one core);
     *     NaN on a GPU
     * @param gemmGflops the gemm probe of this dtype
     */
    public record Cell(int nx, int ny, int batch, DataType dtype, long rows, double engineSeconds, StopReason engineStop,
            long dl4jRows, double dl4jSeconds, double readSeconds, double gatherSeconds, double gatherXYSeconds,
            double handOffSeconds, double gemmGflops) {

        public int elementBytes() {
            return dtype == DataType.DOUBLE ? 8 : 4;
        }

        /** Bytes of X and Y one epoch reads. */
        public double epochBytes() {
            return (double) rows * (nx + ny) * elementBytes();
        }

        public double engineRate() {
            return rows / engineSeconds;
        }

        public double dl4jRate() {
            return dl4jRows / dl4jSeconds;
        }

        public double speedRatio() {
            return engineRate() / dl4jRate();
        }

        /** The epoch's bytes over its time, in GB/s. */
        public double achievedGBs() {
            return epochBytes() / engineSeconds / 1e9;
        }

        /** Forward Xb·W and backward Xbᵀ·r: 4·N·nX·nY FLOPs per epoch (bias terms left out), in GFLOP/s. */
        public double achievedGflops() {
            return 4.0 * rows * nx * ny / engineSeconds / 1e9;
        }

        public double readGBs() {
            return epochBytes() / readSeconds / 1e9;
        }

        /** Achieved GB/s as a fraction of the sequential-read probe's. */
        public double fractionOfRead() {
            return readSeconds / engineSeconds;
        }

        /** Samples/s if an epoch cost one sequential read of X and Y. */
        public double readBoundRate() {
            return rows / readSeconds;
        }

        /** Samples/s if an epoch cost one shuffled gather of X. */
        public double gatherBoundRate() {
            return rows / gatherSeconds;
        }

        /** Samples/s if an epoch cost one shuffled gather of X's and Y's rows. */
        public double gatherXYBoundRate() {
            return rows / gatherXYSeconds;
        }

        /** Samples/s if an epoch cost the engine's gather with the rows read where they are computed on. */
        public double handOffBoundRate() {
            return rows / handOffSeconds;
        }
    }

    private final Config config;
    private final Optimizer optimizer;
    private final Function<DataType, Device> devices;

    public Bench(Config config, Optimizer optimizer) {
        this(config, optimizer, Devices::cuda);
    }

    /** @param devices opens the GPU for {@link KernelKind#CUDA} cells (the probes' and each training run's) */
    public Bench(Config config, Optimizer optimizer, Function<DataType, Device> devices) {
        this.config = Objects.requireNonNull(config, "config");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.devices = Objects.requireNonNull(devices, "devices");
    }

    private boolean gpu() {
        return config.kernel() == KernelKind.CUDA;
    }

    /** Runs every cell in grid order (dtype, nY, nX, batch), handing each to {@code sink} as it completes. */
    public List<Cell> run(Consumer<Cell> sink) {
        List<Cell> cells = new ArrayList<>();
        for (DataType dtype : config.dtypes()) {
            double gflops = gpu() ? Double.NaN : MachineProbes.gemm(1024, dtype, 5).ratePerSecond();
            for (int ny : config.nys()) {
                for (int nx : config.nxs()) {
                    Dataset data = new SyntheticData(config.rows(), nx, ny, 0.1, dtype, config.seed()).generate().data();
                    double read;
                    double[] gathers = new double[config.batches().size()];
                    double[] gathersXY = new double[gathers.length];
                    double[] handOffs = new double[gathers.length];
                    java.util.Arrays.fill(gathersXY, Double.NaN);
                    java.util.Arrays.fill(handOffs, Double.NaN);
                    long shuffle = dev.descent.data.Seeds.shuffle(config.seed());
                    if (gpu()) {
                        try (Device dev = devices.apply(dtype)) {
                            DeviceProbes.Result p = DeviceProbes.measure(dev, data, config.batches(), shuffle, 3);
                            read = p.readSeconds();
                            gathers = p.gatherSeconds();
                        }
                    } else {
                        // on as many threads as the engine reads with (in order: its T threads; shuffled: at least
                        // the caller and its gather helper)
                        int threads = config.threads();
                        int gatherThreads = Math.max(MachineProbes.GATHER_THREADS, threads);
                        read = MachineProbes.streamRead(data.x(), 3, threads).seconds()
                                + MachineProbes.streamRead(data.y(), 3, threads).seconds();
                        for (int i = 0; i < gathers.length; i++) {
                            gathers[i] = MachineProbes.gather(data.x(), config.batches().get(i), shuffle, 3, gatherThreads).seconds();
                            gathersXY[i] = MachineProbes.gather(data.x(), data.y(), config.batches().get(i), shuffle, 3,
                                    gatherThreads).seconds();
                            handOffs[i] = MachineProbes.handOff(data.x(), data.y(), config.batches().get(i), shuffle, 3).seconds();
                        }
                    }
                    for (int i = 0; i < gathers.length; i++) {
                        Cell c = cell(data, config.batches().get(i), read, gathers[i], gathersXY[i], handOffs[i], gflops);
                        cells.add(c);
                        sink.accept(c);
                        // DL4J's per-batch arrays live off-heap until the collector finds their wrappers: reclaim
                        // them between cells, outside the timed epochs, so a long grid does not run out of memory
                        // and the next cell's timing does not share the cores with their freeing.
                        Settle.quiet();
                    }
                    data.x().close();
                    data.y().close();
                }
            }
        }
        return cells;
    }

    private Cell cell(Dataset data, int batch, double readSeconds, double gather, double gatherXY, double handOff, double gflops) {
        Trainer.Config tc = new Trainer.Config(batch, config.epochs(), config.shuffle(), false, 0, 1e30, dev.descent.data.Seeds.shuffle(config.seed()),
                config.kernel(), false, Trainer.StopRule.EPOCH_LOSS, config.threads());
        LinearModel initial = Init.ZEROS.create(data.inputs(), data.outputs(), data.dataType(), dev.descent.data.Seeds.init(config.seed()));
        TrainingResult engine = new Trainer(optimizer, tc, devices).train(data, null, initial);
        double engineSeconds = steadyMedian(engine.history().stream().mapToDouble(EpochStats::seconds).toArray());
        long dl4jRows = 0;
        double dl4jSeconds = Double.NaN;
        if (config.dl4j()) {
            dl4jRows = config.dl4jRows() == 0 ? data.size() : config.dl4jRows();
            Dataset d = dl4jRows == data.size() ? data : data.rows(0, dl4jRows);
            Dl4jReference ref = new Dl4jReference(UpdaterMapping.of(optimizer), Comparison.batching(tc));
            dl4jSeconds = steadyMedian(ref.train(d, initial, false).history().stream().mapToDouble(Dl4jReference.Epoch::seconds).toArray());
        }
        return new Cell(data.inputs(), data.outputs(), batch, data.dataType(), data.size(), engineSeconds, engine.stop(),
                dl4jRows, dl4jSeconds, readSeconds, gather, gatherXY, handOff, gflops);
    }

    /** Median epoch seconds after the warm-up epochs (NaN when training stopped before them). */
    private double steadyMedian(double[] seconds) {
        return median(Arrays.copyOfRange(seconds, Math.min(config.warmupEpochs(), seconds.length), seconds.length));
    }

    /** The median of {@code values} (NaN when empty). Not modified. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
