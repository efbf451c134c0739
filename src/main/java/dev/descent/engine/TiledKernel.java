package dev.descent.engine;

import dev.descent.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A gradient kernel for {@link #tile()} models trained side by side on the same batches: θ and the
 * gradient are (nX+1)×(tile·m), model k owning columns k·m..k·m+m−1, and one gemm per batch serves
 * every model. Columns never mix, so one model's NaN cannot reach another's numbers. CPU backend only.
 */
public interface TiledKernel extends GradientKernel {

    /** Models side by side. */
    int tile();

    /**
     * As {@link #gradient(INDArray, int[], int, int, INDArray)}, also adding the batch's Σ r² per column to
     * {@code columnSums} (each model's own batch loss, as the loop's rules judge it). columnSums: modified.
     */
    double gradient(INDArray theta, int[] order, int start, int b, INDArray grad, double[] columnSums);

    /** Adds Σ r² per column over rows start..start+b at θ to {@code sums}. θ: not modified. */
    void columnSquaredErrors(INDArray theta, int start, int b, double[] sums);

    /** A tiled kernel over {@code data} (CPU backend). */
    static TiledKernel create(Dataset data, int maxBatch, int tile) {
        if (!dev.descent.host.HostMemory.cpuBackend()) {
            throw new IllegalArgumentException("sweeps run on the CPU backend only (this is "
                    + org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName() + ")");
        }
        return new CpuBlasKernel(data, maxBatch, tile);
    }
}
