package dev.descent.engine;

import dev.descent.data.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The gradient kernel in ND4J ops only, so it runs on any backend (it is the CUDA path, where each op
 * is an asynchronous device launch and ND4J's gemm is cuBLAS). Batches are gathered with
 * {@code Nd4j.pullRows} into preallocated buffers; contiguous batches are views of X.
 */
final class Nd4jKernel implements GradientKernel {
    private final INDArray x;
    private final INDArray y;
    private final int nx;
    private final int m;
    private final int maxBatch;
    private final Buffers full;
    private Buffers partial;

    private INDArray lastTheta;
    private INDArray w;
    private INDArray bias;
    private INDArray lastGrad;
    private INDArray gw;
    private INDArray gb;
    private INDArray lastXb;

    /** Gather and residual buffers for one batch size. */
    private record Buffers(int size, int[] idx, INDArray xb, INDArray yb, INDArray r) {
        static Buffers of(int size, Dataset d) {
            return new Buffers(size, new int[size], Nd4j.create(d.dataType(), size, d.inputs()),
                    Nd4j.create(d.dataType(), size, d.outputs()), Nd4j.create(d.dataType(), size, d.outputs()));
        }
    }

    Nd4jKernel(Dataset data, int maxBatch) {
        this.x = data.x();
        this.y = data.y();
        this.nx = data.inputs();
        this.m = data.outputs();
        this.maxBatch = maxBatch;
        this.full = Buffers.of(maxBatch, data);
    }

    @Override
    public long rows() {
        return x.rows();
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public double gradient(INDArray theta, int[] order, int start, int b, INDArray grad) {
        bind(theta);
        if (grad != lastGrad) {
            gw = grad.get(NDArrayIndex.interval(0, nx), NDArrayIndex.all());
            gb = grad.getRow(nx);
            lastGrad = grad;
        }
        Buffers buf = buffers(b);
        INDArray r = forward(order, start, b, buf);
        double sq = Nd4j.getBlasWrapper().level1().dot(r.length(), 1.0, r, r);
        double scale = 2.0 / ((double) b * m);
        Nd4j.gemm(lastXb, r, gw, true, false, scale, 0.0); // gW = (2/(b·m))·Xbᵀ·r
        r.sum(gb, 0);                                                              // gB = (2/(b·m))·Σ r
        gb.muli(scale);
        return sq / ((double) b * m);
    }

    @Override
    public double squaredError(INDArray theta, int start, int b) {
        bind(theta);
        INDArray r = forward(null, start, b, buffers(b));
        return Nd4j.getBlasWrapper().level1().dot(r.length(), 1.0, r, r);
    }

    /** r = Xb·W + B − Yb into the buffers' r; leaves the batch's Xb in {@code lastXb}. */
    private INDArray forward(int[] order, int start, int b, Buffers buf) {
        INDArray xb;
        INDArray yb;
        if (order == null) {
            var rows = NDArrayIndex.interval(start, start + b);
            xb = x.get(rows, NDArrayIndex.all());
            yb = y.get(rows, NDArrayIndex.all());
        } else {
            System.arraycopy(order, start, buf.idx, 0, b);
            xb = Nd4j.pullRows(x, buf.xb, 1, buf.idx);
            yb = Nd4j.pullRows(y, buf.yb, 1, buf.idx);
        }
        lastXb = xb;
        INDArray r = buf.r;
        Nd4j.gemm(xb, w, r, false, false, 1.0, 0.0);
        r.addiRowVector(bias).subi(yb);
        return r;
    }

    private Buffers buffers(int b) {
        if (b == maxBatch) {
            return full;
        }
        GradientKernel.checkBatch(b, maxBatch);
        if (partial == null || partial.size != b) {
            partial = Buffers.of(b, new Dataset(x, y)); // the last partial batch: allocated once per size
        }
        return partial;
    }

    private void bind(INDArray theta) {
        if (theta != lastTheta) {
            w = theta.get(NDArrayIndex.interval(0, nx), NDArrayIndex.all());
            bias = theta.getRow(nx, true);
            lastTheta = theta;
        }
    }
}
