package dev.descent.jmh;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.engine.GradientKernel;
import dev.descent.engine.KernelKind;
import dev.descent.engine.Trainer;
import dev.descent.model.Init;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import dev.descent.reference.Dl4jReference;
import dev.descent.reference.UpdaterMapping;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SGD step on one shuffled batch: the engine's gradient kernel and optimizer step against DL4J's
 * {@code fit} on the same batch (its gather by {@code Nd4j.pullRows} included, as in {@code compare}),
 * with a baseline that only gathers the batch's rows (the memory cost every side pays).
 *
 * <p>Scores are steps per second; multiply by {@code batch} for samples/s. The data has
 * max(16 batches, 262,144) rows, so a batch's rows are not in cache. How to run: benchmarks/jmh/run.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxbytes=0", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0"})
public class StepBenchmark {
    @Param({"10", "100", "1000"})
    int nx;

    @Param({"1", "10"})
    int ny;

    @Param({"32", "256", "4096"})
    int batch;

    @Param({"float32", "float64"})
    String dtype;

    private Dataset data;
    private int[] order;
    private GradientKernel kernel;
    private Optimizer optimizer;
    private INDArray theta;
    private INDArray grad;
    private MultiLayerNetwork net;
    private INDArray gathered;
    private int start;
    private long t;

    @Setup(Level.Trial)
    public void setUp() {
        DataType type = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        int rows = Math.max(16 * batch, 1 << 18);
        data = new SyntheticData(rows, nx, ny, 0.1, type, 42).generate().data();
        BatchOrder b = new BatchOrder(rows, batch, true, true, 44);
        b.startEpoch(0);
        order = b.order().clone();
        kernel = KernelKind.AUTO.create(data, batch);
        optimizer = Optimizers.create("sgd", new Schedule.Constant(1e-3), 0, 0);
        LinearModel initial = Init.ZEROS.create(nx, ny, type, 43);
        theta = initial.stacked().dup('c');
        grad = Nd4j.zeros(type, nx + 1, ny);
        optimizer.init(theta.length(), type);
        Trainer.Config config = Trainer.Config.defaults().withBatchSize(batch);
        net = new Dl4jReference(UpdaterMapping.of(optimizer), config).network(initial);
        gathered = Nd4j.createUninitialized(type, batch, nx);
    }

    private int next() {
        int s = start;
        start = start + 2 * batch <= order.length ? start + batch : 0;
        return s;
    }

    /** The engine: gradient (gather included) and the optimizer's step. Returns the batch loss. */
    @Benchmark
    public double engineStep() {
        double loss = kernel.gradient(theta, order, next(), batch, grad);
        optimizer.step(theta, grad, t++, 0);
        return loss;
    }

    /** DL4J: gather by pullRows and fit one batch. Returns the score. */
    @Benchmark
    public double dl4jFit() {
        int s = next();
        int[] idx = java.util.Arrays.copyOfRange(order, s, s + batch);
        net.fit(new DataSet(Nd4j.pullRows(data.x(), 1, idx), Nd4j.pullRows(data.y(), 1, idx)));
        return net.score();
    }

    /** Baseline: only the batch's rows of X gathered (ND4J's pullRows into a preallocated array). */
    @Benchmark
    public INDArray gatherOnly() {
        int s = next();
        return Nd4j.pullRows(data.x(), gathered, 1, java.util.Arrays.copyOfRange(order, s, s + batch));
    }
}
