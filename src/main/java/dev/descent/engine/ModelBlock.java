package dev.descent.engine;

import dev.descent.data.Dataset;
import dev.descent.host.HostMemory;
import dev.descent.model.NormalEquations;
import dev.descent.optim.Optimizer;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model as the loop's {@link EpochLoop.Block}: θ = [W; B], a gradient kernel over each of the
 * source's buffers, the gradient buffer and the optimizer (a fresh copy, its state restored on resume).
 * A step is one kernel call and one optimizer step; all buffers are allocated here, before the first.
 */
public final class ModelBlock implements EpochLoop.Block {
    private final INDArray theta;
    private final INDArray grad;
    private final HostMemory.Flat gradMemory; // for the finiteness check (CPU backend)
    private final GradientKernel[] kernels;
    private final Optimizer opt;
    private final Dataset whole;
    private final boolean explain;

    /**
     * @param theta the starting θ (c-ordered, the data's dtype): stepped in place
     * @param state the optimizer state to restore (after {@code steps} steps), or null for a fresh one
     * @param threads threads each batch is split over ({@link KernelKind#create(Dataset, int, int)})
     * @param explain on divergence, compute the data's critical learning rate for the message (data in memory only)
     */
    public ModelBlock(Optimizer optimizer, INDArray theta, INDArray[] state, long steps, Batches src, KernelKind kind,
            int threads, boolean explain) {
        this.theta = theta;
        List<Dataset> buffers = src.buffers();
        this.kernels = new GradientKernel[buffers.size()];
        for (int i = 0; i < kernels.length; i++) {
            kernels[i] = kind.create(buffers.get(i), src.layout().batchSize(), threads);
        }
        this.grad = Nd4j.zeros(src.layout().dataType(), theta.rows(), theta.columns());
        this.gradMemory = HostMemory.cpuBackend() ? new HostMemory.Flat(grad) : null;
        this.opt = optimizer.copy();
        opt.init(theta.length(), src.layout().dataType());
        if (state != null) {
            opt.restore(state, steps);
        }
        this.whole = src.whole();
        this.explain = explain;
    }

    @Override
    public INDArray theta() {
        return theta;
    }

    @Override
    public double gradient(Batches.Batch batch) {
        return kernels[batch.buffer].gradient(theta, batch.order, batch.start, batch.size, grad);
    }

    @Override
    public String problem(double loss) {
        if (!Double.isFinite(loss)) {
            return "loss = " + loss;
        }
        // One linear scan of the gradient's memory: a per-row, per-element accessor cost about 1 µs a step.
        return gradMemory == null || gradMemory.allFinite() ? null
                : "the gradient overflowed (non-finite in " + grad.dataType() + ") at batch loss " + loss;
    }

    @Override
    public void update(long t, int epoch) {
        opt.step(theta, grad, t, epoch);
    }

    @Override
    public double rate(long t, int epoch) {
        return opt.schedule().rate(t, epoch);
    }

    @Override
    public INDArray[] state() {
        return opt.state();
    }

    @Override
    public String describe() {
        return opt.hyperparameters().toString();
    }

    @Override
    public String explain(String what, long t, int epoch) {
        return explain(opt, explain ? whole : null, what, t, epoch);
    }

    /**
     * {@code what}, with the optimizer and its rate at step t, and where {@code data} is given (in memory) the
     * critical learning rate for full-batch training on it.
     */
    public static String explain(Optimizer opt, Dataset data, String what, long t, int epoch) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s with %s learning rate %.6g", what, opt.name(),
                opt.schedule().rate(t, epoch)));
        if (data != null) {
            try {
                double lambdaMax = NormalEquations.of(data.x(), data.y()).largestHessianEigenvalue();
                double critical = opt.criticalRate(lambdaMax);
                if (Double.isFinite(critical)) {
                    s.append(String.format(Locale.ROOT,
                            "; the stability limit for full-batch training on this data is %.6g (λmax of the MSE Hessian = %.6g)",
                            critical, lambdaMax));
                }
            } catch (RuntimeException e) {
                s.append("; the stability limit could not be computed: ").append(e.getMessage());
            }
        }
        return s.toString();
    }
}
