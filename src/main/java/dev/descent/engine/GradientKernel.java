package dev.descent.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MSE gradient of y = X·W + B on one batch, over a training set fixed at construction.
 *
 * <p>Parameters and gradients use the stacked layout θ = [W; B], a c-ordered (nX+1)×nY matrix whose
 * first nX rows are W and whose last row is B. Per batch of b rows (m = nY):
 * <pre>
 *   r  = Xb·W + B − Yb
 *   gW = (2/(b·m)) · Xbᵀ·r
 *   gB = (2/(b·m)) · Σ_rows r
 * </pre>
 * Implementations preallocate every buffer at construction: a call allocates no arrays.
 */
public interface GradientKernel {

    /** Rows in the training set. */
    long rows();

    /** The largest batch the kernel was sized for. */
    int maxBatch();

    /**
     * Writes the gradient at θ of the MSE on rows {@code order[start..start+b)} (or rows
     * {@code start..start+b} when {@code order} is null) into {@code grad} and returns that batch's MSE
     * (before the update). θ: not modified. grad: modified. order: not modified.
     */
    double gradient(INDArray theta, int[] order, int start, int b, INDArray grad);

    /** Σ r² over rows {@code start..start+b} at θ (forward pass only). θ: not modified. */
    double squaredError(INDArray theta, int start, int b);

    /** Refuses a batch of {@code b} rows that a kernel sized for {@code maxBatch} cannot take. */
    static void checkBatch(int b, int maxBatch) {
        if (b < 1 || b > maxBatch) {
            throw new IllegalArgumentException("batch of " + b + " rows; the kernel holds 1.." + maxBatch);
        }
    }

    /** Σ r² over the whole set at θ, in batches of {@link #maxBatch()} added in order. θ: not modified. */
    default double squaredErrorSum(INDArray theta) {
        double sum = 0;
        for (long s = 0; s < rows(); s += maxBatch()) {
            int b = (int) Math.min(maxBatch(), rows() - s);
            sum += squaredError(theta, (int) s, b);
        }
        return sum;
    }

    /** The MSE over the whole set at θ, in batches of {@link #maxBatch()}. θ: not modified. */
    default double mse(INDArray theta) {
        return squaredErrorSum(theta) / ((double) rows() * theta.columns());
    }
}
