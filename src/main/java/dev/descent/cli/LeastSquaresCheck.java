package dev.descent.cli;

import static dev.descent.report.RunRecord.ordered;

import dev.descent.data.Dataset;
import dev.descent.host.MemoryBudget;
import dev.descent.model.LinearModel;
import dev.descent.model.NormalEquations;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The least-squares solution of the training set, for {@code --solver exact} or to compare a trained
 * model with (skipped, with a line, when its Gram matrix does not fit in memory or {@code --no-exact} asks).
 */
final class LeastSquaresCheck {
    final NormalEquations.Solution solution;
    final LinearModel model;
    final double gramSeconds;
    final double solveSeconds;

    private LeastSquaresCheck(NormalEquations.Solution solution, LinearModel model, double gramSeconds, double solveSeconds) {
        this.solution = solution;
        this.model = model;
        this.gramSeconds = gramSeconds;
        this.solveSeconds = solveSeconds;
    }

    /**
     * @param required the solver is exact: refuse (with the figures) when it does not fit
     * @param skip --no-exact: no comparison
     */
    static LeastSquaresCheck of(PrintWriter o, Dataset train, boolean required, boolean skip, DataType dtype) {
        NormalEquations normal = null;
        long gramStart = System.nanoTime();
        String unsound = dev.descent.host.OpenBlasKernels.problem();
        if (required) {
            normal = NormalEquations.of(train.x(), train.y());
        } else if (!skip && unsound != null) {
            o.println("least-squares comparison skipped: " + unsound);
        } else if (!skip) {
            long need = NormalEquations.bytesNeeded(train.inputs(), train.outputs());
            if (need <= MemoryBudget.availableBytes()) {
                normal = NormalEquations.of(train.x(), train.y());
            } else {
                o.printf(Locale.ROOT, "least-squares comparison skipped: it needs %s of memory, %s is available%n",
                        MemoryBudget.gb(need), MemoryBudget.gb(MemoryBudget.availableBytes()));
            }
        }
        long solveStart = System.nanoTime();
        NormalEquations.Solution lsq = normal == null ? null : normal.solution();
        double solveSeconds = (System.nanoTime() - solveStart) / 1e9;
        if (lsq != null && !lsq.fullRank()) {
            o.printf(Locale.ROOT, "[X 1] is rank deficient (rank %d of %d columns): least squares has many solutions;"
                    + " the minimum-norm one is used%n", lsq.rank(), lsq.dimension());
        }
        LinearModel model = lsq == null ? null : LinearModel.fromStacked(lsq.theta().castTo(dtype));
        return new LeastSquaresCheck(lsq, model, (solveStart - gramStart) / 1e9, solveSeconds);
    }

    String method() {
        return solution.method().name().toLowerCase(Locale.ROOT);
    }

    /** Prints and records how far {@code trained} is from the least-squares solution (nothing when there is none). */
    void compare(PrintWriter o, LinearModel trained, Dataset train, Map<String, Object> results) {
        if (model == null) {
            return;
        }
        INDArray exact = model.stacked().castTo(DataType.DOUBLE);
        INDArray diff = trained.stacked().castTo(DataType.DOUBLE).subi(exact);
        double maxAbs = diff.amaxNumber().doubleValue();
        double rel = diff.norm2Number().doubleValue() / Math.max(Double.MIN_NORMAL, exact.norm2Number().doubleValue());
        double exactMse = model.mse(train.x(), train.y());
        o.printf(Locale.ROOT, "least squares: train MSE %.8g; distance of [W; B] to it: max |Δ| %.4g, relative ‖Δ‖ %.4g%n",
                exactMse, maxAbs, rel);
        results.put("least_squares", ordered("train_mse", exactMse, "max_abs_diff", maxAbs, "relative_l2_diff", rel,
                "method", method(), "rank", solution.rank()));
    }
}
