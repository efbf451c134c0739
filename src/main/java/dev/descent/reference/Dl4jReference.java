package dev.descent.reference;

import dev.descent.data.BatchOrder;
import dev.descent.data.Dataset;
import dev.descent.model.LinearModel;
import java.util.ArrayList;
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
 *
 * <p>It shares no type with the engine it checks: it takes data, a model, the DL4J updater and the
 * batching, and returns its own per-epoch record.
 */
public final class Dl4jReference {
    private final UpdaterMapping mapping;
    private final Batching batching;

    /**
     * How the rows are cut into batches, as the engine's run does it.
     *
     * @param batchSize rows per batch; 0 means the whole training set
     * @param seed the seed of the engine's batch order
     */
    public record Batching(int batchSize, int epochs, boolean shuffle, boolean dropLast, long seed) {
        /** The batch size for n rows. */
        int batchFor(long n) {
            return batchSize == 0 ? (int) Math.min(n, Integer.MAX_VALUE) : batchSize;
        }
    }

    /** One epoch: the mean batch loss (DL4J's score), the learning rate at its last step, its size and seconds. */
    public record Epoch(int epoch, double trainLoss, double rate, int batches, long rows, double seconds) {
    }

    public Dl4jReference(UpdaterMapping mapping, Batching batching) {
        this.mapping = mapping;
        this.batching = batching;
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

    /** The outcome: final model, per-epoch record, the model after each epoch (when asked), training seconds. */
    public record Result(LinearModel model, List<Epoch> history, List<LinearModel> models, double seconds) {
    }

    /** Trains for every epoch of the batching (no stop rules). {@code keepModels}: record W, B after each epoch. */
    public Result train(Dataset train, LinearModel initial, boolean keepModels) {
        MultiLayerNetwork net = network(initial);
        int b = batching.batchFor(train.size());
        BatchOrder order = new BatchOrder(train.size(), b, batching.shuffle(), batching.dropLast(), batching.seed());
        int[] full = new int[b];
        List<Epoch> history = new ArrayList<>();
        List<LinearModel> models = new ArrayList<>();
        double total = 0;
        long t = 0;
        for (int epoch = 0; epoch < batching.epochs(); epoch++) {
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
            history.add(new Epoch(epoch, sum / rows, lr, order.batches(), rows, seconds));
            if (keepModels) {
                models.add(model(net));
            }
        }
        return new Result(model(net), history, models, total);
    }

    @Override
    public String toString() {
        return "DL4J " + mapping.description() + " " + batching;
    }
}
