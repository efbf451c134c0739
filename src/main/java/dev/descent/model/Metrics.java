package dev.descent.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Regression metrics over all N·m elements, in float64: MSE, RMSE, MAE, and R² averaged over outputs
 * (scikit-learn's {@code r2_score} with {@code multioutput='uniform_average'}).
 */
public record Metrics(double mse, double rmse, double mae, double r2) {

    /** Predictions and targets, both N×m. Not modified. */
    public static Metrics of(INDArray pred, INDArray y) {
        INDArray p = pred.castTo(DataType.DOUBLE);
        INDArray t = y.castTo(DataType.DOUBLE);
        INDArray r = p.sub(t);
        double mse = r.mul(r).meanNumber().doubleValue();
        double mae = org.nd4j.linalg.ops.transforms.Transforms.abs(r).meanNumber().doubleValue();
        INDArray ssRes = r.mul(r).sum(0);
        INDArray centered = t.subRowVector(t.mean(0));
        INDArray ssTot = centered.mul(centered).sum(0);
        double r2 = 0;
        for (int k = 0; k < t.columns(); k++) {
            double tot = ssTot.getDouble(k);
            double res = ssRes.getDouble(k);
            r2 += tot == 0 ? (res == 0 ? 1.0 : 0.0) : 1 - res / tot; // sklearn's convention for constant targets
        }
        return new Metrics(mse, Math.sqrt(mse), mae, r2 / t.columns());
    }
}
