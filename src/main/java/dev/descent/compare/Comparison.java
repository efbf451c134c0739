package dev.descent.compare;

import dev.descent.data.Dataset;
import dev.descent.engine.EpochStats;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingListener;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import dev.descent.reference.Dl4jReference;
import dev.descent.reference.UpdaterMapping;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Trains the engine and DL4J {@code repeat} times each from the same initial model and compares them.
 * Parameter differences come from the first repetition (runs are deterministic); epoch times are the
 * median over repetitions; the first {@code warmupEpochs} epochs are excluded from the speed figures.
 */
public final class Comparison {
    /** Parity bound in float64 (max |Δ| of W and B). */
    public static final double PARITY_F64 = 1e-12;
    /** Parity bound in float32, relative to the largest parameter. */
    public static final double PARITY_F32_RELATIVE = 1e-5;

    private final Optimizer optimizer;
    private final Trainer.Config config;
    private final int repeat;
    private final int warmupEpochs;

    public Comparison(Optimizer optimizer, Trainer.Config config, int repeat, int warmupEpochs) {
        if (repeat < 1 || warmupEpochs < 0 || warmupEpochs >= config.epochs()) {
            throw new IllegalArgumentException("a comparison needs repeat >= 1 and warm-up epochs in [0, " + config.epochs()
                    + "), got " + repeat + " and " + warmupEpochs);
        }
        this.optimizer = optimizer;
        this.config = config;
        this.repeat = repeat;
        this.warmupEpochs = warmupEpochs;
    }

    /** One epoch side by side. Times are medians over repetitions. */
    public record Row(int epoch, double engineLoss, double dl4jLoss, double maxAbsDw, double maxAbsDb,
            double engineSeconds, double dl4jSeconds, long rows) {

        public double engineRate() {
            return rows / engineSeconds;
        }

        public double dl4jRate() {
            return rows / dl4jSeconds;
        }

        public double speedRatio() {
            return dl4jSeconds / engineSeconds;
        }
    }

    /**
     * The whole comparison. {@code engineRate}, {@code dl4jRate} and {@code speedRatio} are over the epochs
     * after warm-up. {@code parity} is null when the mapping is not exact (loss curves only).
     */
    public record Result(UpdaterMapping mapping, DataType dtype, List<Row> rows, int warmupEpochs, int repeat,
            double engineRate, double dl4jRate, Boolean parity, double bound, String verdict) {

        public double speedRatio() {
            return engineRate / dl4jRate;
        }
    }

    /** One side's run: per-epoch losses, seconds and rows, and the model after each epoch (first repetition only). */
    private record Side(double[] loss, double[] seconds, long[] rows, List<LinearModel> models) {

        static Side of(TrainingResult r, List<LinearModel> models) {
            List<EpochStats> h = r.history();
            return new Side(h.stream().mapToDouble(EpochStats::trainLoss).toArray(), h.stream().mapToDouble(EpochStats::seconds).toArray(),
                    h.stream().mapToLong(EpochStats::rows).toArray(), models);
        }

        static Side of(Dl4jReference.Result r) {
            List<Dl4jReference.Epoch> h = r.history();
            return new Side(h.stream().mapToDouble(Dl4jReference.Epoch::trainLoss).toArray(),
                    h.stream().mapToDouble(Dl4jReference.Epoch::seconds).toArray(), h.stream().mapToLong(Dl4jReference.Epoch::rows).toArray(),
                    r.models());
        }
    }

    /** The engine run's batching, for the DL4J reference. */
    public static Dl4jReference.Batching batching(Trainer.Config c) {
        return new Dl4jReference.Batching(c.batchSize(), c.epochs(), c.shuffle(), c.dropLast(), c.seed());
    }

    public Result run(Dataset train, LinearModel initial) {
        UpdaterMapping mapping = UpdaterMapping.of(optimizer);
        Trainer trainer = new Trainer(optimizer, config);
        Dl4jReference reference = new Dl4jReference(mapping, batching(config));
        List<Side> engine = new ArrayList<>();
        List<Side> dl4j = new ArrayList<>();
        for (int r = 0; r < repeat; r++) { // alternate, so drift in machine load hits both alike
            List<LinearModel> models = new ArrayList<>();
            TrainingListener keep = new TrainingListener() {
                @Override
                public boolean wantsModel() {
                    return true;
                }

                @Override
                public void onEpochModel(int epoch, LinearModel model) {
                    models.add(model);
                }
            };
            TrainingResult e = r == 0 ? trainer.train(train, null, initial, keep) : trainer.train(train, null, initial);
            engine.add(Side.of(e, models));
            Settle.quiet(); // neither side is timed while the other's leftovers are freed
            dl4j.add(Side.of(reference.train(train, initial, r == 0)));
            Settle.quiet();
        }
        int epochs = engine.get(0).loss().length;
        List<Row> rows = new ArrayList<>();
        double engineSec = 0;
        double dl4jSec = 0;
        long steadyRows = 0;
        for (int ep = 0; ep < epochs; ep++) {
            LinearModel me = engine.get(0).models().get(ep);
            LinearModel md = dl4j.get(0).models().get(ep);
            double dw = me.weights().castTo(DataType.DOUBLE).sub(md.weights().castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            double db = me.bias().castTo(DataType.DOUBLE).sub(md.bias().castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            double es = median(engine, ep);
            double ds = median(dl4j, ep);
            long n = engine.get(0).rows()[ep];
            rows.add(new Row(ep, engine.get(0).loss()[ep], dl4j.get(0).loss()[ep], dw, db, es, ds, n));
            if (ep >= warmupEpochs) {
                engineSec += es;
                dl4jSec += ds;
                steadyRows += n;
            }
        }
        Row last = rows.get(rows.size() - 1);
        DataType dtype = initial.dataType();
        Boolean parity = null;
        double bound = Double.NaN;
        String verdict;
        if (mapping.exact()) {
            double scale = Math.max(engine.get(0).models().get(epochs - 1).weights().amaxNumber().doubleValue(),
                    engine.get(0).models().get(epochs - 1).bias().amaxNumber().doubleValue());
            bound = dtype == DataType.DOUBLE ? PARITY_F64 : PARITY_F32_RELATIVE * Math.max(scale, 1e-30);
            parity = Math.max(last.maxAbsDw(), last.maxAbsDb()) <= bound;
            verdict = String.format(java.util.Locale.ROOT,
                    "%s: after %d epochs max |ΔW| = %.3g, max |ΔB| = %.3g (bound %.3g, %s); engine %.1f× DL4J's samples/s",
                    parity ? "PARITY" : "PARITY FAILED", epochs, last.maxAbsDw(), last.maxAbsDb(), bound,
                    dtype == DataType.DOUBLE ? "float64" : "float32, relative to max |θ|", engineSec > 0 ? dl4jSec / engineSec : Double.NaN);
        } else {
            double rel = Math.abs(last.engineLoss() - last.dl4jLoss()) / Math.max(1e-300, Math.abs(last.dl4jLoss()));
            verdict = String.format(java.util.Locale.ROOT,
                    "LOSS CURVES ONLY: DL4J has no %s; compared with %s. Final epoch losses %.6g vs %.6g (relative difference %.3g); engine %.1f× DL4J's samples/s",
                    optimizer.name(), mapping.description(), last.engineLoss(), last.dl4jLoss(), rel,
                    engineSec > 0 ? dl4jSec / engineSec : Double.NaN);
        }
        return new Result(mapping, dtype, rows, warmupEpochs, repeat, steadyRows / engineSec, steadyRows / dl4jSec,
                parity, bound, verdict);
    }

    private static double median(List<Side> runs, int epoch) {
        return Bench.median(runs.stream().mapToDouble(r -> r.seconds()[epoch]).toArray());
    }
}
