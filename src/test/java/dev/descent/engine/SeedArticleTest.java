package dev.descent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.model.LinearModel;
import dev.descent.optim.Schedule;
import dev.descent.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seed 004's descent loop, written out as the article runs it (θ = [intercept, slope] from [−1, 1], the
 * sum-of-squares loss checked after every iteration, |Δloss| &lt; 1e-6 from the second iteration on,
 * gradient Σ 2(ŷ − y)·[1, x]), against the engine started at the same point with --tol-every step
 * --tol-loss sum: the same number of updates and the same parameters. The engine's gradient is a mean,
 * so its rate is λ·N for the full gradient and λ for one example at a time.
 */
class SeedArticleTest extends SeededTest {
    static final int N = 50;
    static final double[] X = new double[N];
    static final double[] Y = new double[N];

    static {
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (int i = 0; i < N; i++) {
            X[i] = (i + 1) / 10.0;
            Y[i] = 0.5 + 1.05 * X[i] + 0.1 * (r.nextDouble() - 0.5);
        }
    }

    /** The article's loop; {full: all rows per step, else row i % N}. Returns {θ0, θ1, updates}. */
    static double[] articleLoop(double lambda, boolean full) {
        double[] theta = {-1.0, 1.0};
        double l = loss(theta);
        for (int i = 0; i < 100_000; i++) {
            double prev = l;
            l = loss(theta);
            if (i > 1 && Math.abs(prev - l) < 1e-6) {
                return new double[] {theta[0], theta[1], i};
            }
            double d0 = 0;
            double d1 = 0;
            for (int j = full ? 0 : i % N; j < (full ? N : i % N + 1); j++) {
                double e = theta[0] + theta[1] * X[j] - Y[j];
                d0 += 2 * e;
                d1 += 2 * e * X[j];
            }
            theta[0] -= lambda * d0;
            theta[1] -= lambda * d1;
        }
        throw new AssertionError("the article's loop did not converge");
    }

    static double loss(double[] theta) {
        double s = 0;
        for (int j = 0; j < N; j++) {
            double e = Y[j] - (theta[0] + theta[1] * X[j]);
            s += e * e;
        }
        return s;
    }

    TrainingResult engine(double lr, int batch) {
        Dataset d = new Dataset(Nd4j.createFromArray(X).reshape(N, 1), Nd4j.createFromArray(Y).reshape(N, 1));
        LinearModel start = new LinearModel(Nd4j.createFromArray(new double[][] {{1.0}}), Nd4j.createFromArray(-1.0));
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(batch).withEpochs(100_000).withShuffle(false).withTolerance(1e-6)
                .withStopRule(Trainer.StopRule.STEP_LOSS_SUM);
        return new Trainer(new Sgd(new Schedule.Constant(lr)), c).train(d, null, start);
    }

    @Test
    void fullGradientStopsAtTheArticlesIteration() {
        double lambda = 0.001;
        double[] article = articleLoop(lambda, true);
        TrainingResult r = engine(lambda * N, 0);
        assertEquals(StopReason.CONVERGED, r.stop(), r.message());
        assertEquals((long) article[2], r.steps(), "updates");
        assertEquals(article[0], r.model().bias().getDouble(0), 1e-9);
        assertEquals(article[1], r.model().weights().getDouble(0, 0), 1e-9);
    }

    @Test
    void stochasticGradientStopsAtTheArticlesIteration() {
        double lambda = 0.01;
        double[] article = articleLoop(lambda, false);
        TrainingResult r = engine(lambda, 1);
        assertEquals(StopReason.CONVERGED, r.stop(), r.message());
        assertEquals((long) article[2], r.steps(), "updates");
        assertEquals(article[0], r.model().bias().getDouble(0), 1e-9);
        assertEquals(article[1], r.model().weights().getDouble(0, 0), 1e-9);
    }

    @Test
    void thetaRulesStopWhenTheParametersSettle() {
        Dataset d = new Dataset(Nd4j.createFromArray(X).reshape(N, 1), Nd4j.createFromArray(Y).reshape(N, 1));
        LinearModel start = LinearModel.zeros(1, 1, DataType.DOUBLE);
        for (Trainer.StopRule rule : new Trainer.StopRule[] {Trainer.StopRule.STEP_THETA, Trainer.StopRule.EPOCH_THETA}) {
            Trainer.Config c = Trainer.Config.defaults().withBatchSize(0).withEpochs(100_000).withShuffle(false).withTolerance(1e-9)
                    .withStopRule(rule);
            TrainingResult r = new Trainer(new Sgd(new Schedule.Constant(0.05)), c).train(d, null, start);
            assertEquals(StopReason.CONVERGED, r.stop(), rule + ": " + r.message());
            // Full batch: a step is an epoch, so both rules stop after the same update.
            assertEquals(r.steps(), r.history().size());
        }
    }
}
