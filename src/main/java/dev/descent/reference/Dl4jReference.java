package dev.descent.reference;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.engine.EpochStats;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingListener;
import dev.descent.model.LinearModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Trains DL4J's single Dense layer (an {@code OutputLayer}: nIn = nX, nOut = nY, identity, MSE) the way
 * the engine trains: from the same W, B, on the same batches in the same order (the engine's
 * {@link BatchOrder} with the same seed, partial-batch rule and shuffle), one {@code fit(DataSet)} per
 * batch with no iterator or prefetch, the epoch counter advanced after each epoch for epoch schedules.
 * The batch gather ({@code Nd4j.pullRows}) is timed with the fit, as a DL4J user's pipeline would be.
 */
public final class Dl4jReference {
    private final UpdaterMapping mapping;
    private final Trainer.Config config;

    public Dl4jReference(UpdaterMapping mapping, Trainer.Config config) {
        this.mapping = mapping;
        this.config = config;
    }

    public UpdaterMapping mapping() {
        return mapping;
    }

    /** The network, initialised with {@code initial}'s W and B. */
    public MultiLayerNetwork network(LinearModel initial) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(initial.dataType())
                .updater(mapping.updater())
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(initial.inputs()).nOut(initial.outputs()).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setParam("0_W", initial.weights());
        net.setParam("0_b", initial.bias().reshape(1, initial.outputs()));
        return net;
    }

    /** The network's W and B as a model (copies). */
    public static LinearModel model(MultiLayerNetwork net) {
        return new LinearModel(net.getParam("0_W"), net.getParam("0_b"));
    }

    /** The outcome: final model, per-epoch statistics, training seconds. */
    public record Result(LinearModel model, List<EpochStats> history, double seconds) {
    }

    /**
     * Trains for {@code config.epochs()} epochs (tolerance and divergence rules are the engine's, not
     * applied here). Listeners get {@code onEpoch} and, when they ask, {@code onEpochModel}.
     */
    public Result train(Dataset train, LinearModel initial, TrainingListener... listeners) {
        MultiLayerNetwork net = network(initial);
        int b = config.batchFor(train.size());
        BatchOrder order = new BatchOrder(train.size(), b, config.shuffle(), config.dropLast(), config.seed());
        int[] full = new int[b];
        List<EpochStats> history = new ArrayList<>();
        double total = 0;
        long t = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            order.startEpoch(epoch);
            int[] ord = order.order();
            double sum = 0;
            long rows = 0;
            long start = System.nanoTime();
            for (int k = 0; k < order.batches(); k++) {
                int bs = order.size(k);
                int[] idx = bs == b ? full : new int[bs];
                System.arraycopy(ord, k * b, idx, 0, bs);
                INDArray xb = Nd4j.pullRows(train.x(), 1, idx);
                INDArray yb = Nd4j.pullRows(train.y(), 1, idx);
                net.fit(new DataSet(xb, yb));
                sum += net.score() * bs;
                rows += bs;
                t++;
            }
            Nd4j.getExecutioner().commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            total += seconds;
            double lr = mapping.updater().getLearningRate((int) t - 1, epoch);
            net.incrementEpochCount();
            EpochStats stats = new EpochStats(epoch, sum / rows, Double.NaN, lr, order.batches(), rows, seconds);
            history.add(stats);
            LinearModel snapshot = null;
            for (TrainingListener l : listeners) {
                l.onEpoch(stats);
                if (l.wantsModel()) {
                    snapshot = snapshot != null ? snapshot : model(net);
                    l.onEpochModel(epoch, snapshot);
                }
            }
        }
        return new Result(model(net), history, total);
    }

    @Override
    public String toString() {
        return "DL4J " + mapping.description() + " " + Arrays.toString(new Object[] {config});
    }
}
