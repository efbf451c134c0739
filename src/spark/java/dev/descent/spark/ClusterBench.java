package dev.descent.spark;

import dev.descent.data.Dataset;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.model.NormalEquations;
import dev.descent.optim.NesterovKeras;
import dev.descent.optim.Schedule;
import dev.descent.optim.Sgd;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * descent on a Spark cluster against what a Spark user would pick instead, MLlib's LinearRegression
 * (solvers l-bfgs and normal, defaults otherwise), on the same rows (float64 synthetic data, nY 1) and the
 * same cluster: seconds to each one's training MSE, descent's time to MLlib's MSE, the cost of a round
 * that does no work, and a local-sgd round against one epoch of the largest partition in a single JVM.
 * Data preparation (descent's partitions, MLlib's cached DataFrame) is not timed. Prints one JSON object.
 *
 * <p>Usage: ClusterBench MASTER ROWS NX PARTITIONS
 */
public final class ClusterBench {
    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        dev.descent.host.Lapack.load(); // before MLlib can load the system's BLAS into this JVM
        String master = args[0];
        long n = Long.parseLong(args[1]);
        int nx = Integer.parseInt(args[2]);
        int parts = Integer.parseInt(args[3]);
        SparkConf conf = new SparkConf().setAppName("descent-bench").setMaster(master).set("spark.ui.enabled", "false");
        Map<String, Object> out = new LinkedHashMap<>();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            ClusterData data = ClusterData.synthetic(n, nx, 1, 0.1, DataType.DOUBLE, 42, parts);
            out.put("master", master);
            out.put("rows", n);
            out.put("nx", nx);
            out.put("partitions", parts);
            out.put("cores_max", sc.getConf().get("spark.cores.max", "all"));
            SparkTrainer t = new SparkTrainer(sc, data); // builds the partitions on the executors (not timed)
            out.put("executors", sc.sc().getExecutorMemoryStatus().size() - 1); // the driver's block manager is listed too

            // The cost of a round that does nothing beside Spark's own floor for a job of as many tasks (P integers
            // mapped and collected, with and without a broadcast of θ's size), the three interleaved so that the
            // context's warming and the VM's load fall on all alike: the median of 11 each, after 11 more (the
            // first jobs of a context run cold: 0.14 s against 0.07 s once warm on this 2-core VM). Measured one
            // after the other, the empty round looked 2x Spark's job (0.154 against 0.061 s); interleaved, in a
            // throwaway harness, they were within 0.015 s.
            List<Integer> ids = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                ids.add(p);
            }
            double[] empty = new double[11];
            double[] plain = new double[11];
            double[] withBroadcast = new double[11];
            for (int i = 0; i < 2 * plain.length; i++) {
                empty[i % empty.length] = t.emptyRound();
                long t0 = System.nanoTime();
                sc.parallelize(ids, parts).map(x -> x + 1).collect();
                plain[i % plain.length] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                var b = sc.broadcast(new double[nx + 1]);
                sc.parallelize(ids, parts).map(x -> x + b.value().length).collect();
                b.destroy();
                withBroadcast[i % plain.length] = (System.nanoTime() - t0) / 1e9;
            }
            java.util.Arrays.sort(empty);
            java.util.Arrays.sort(plain);
            java.util.Arrays.sort(withBroadcast);
            out.put("empty_round_seconds", empty[5]);
            out.put("plain_spark_job_seconds", plain[5]);
            out.put("plain_spark_job_with_broadcast_seconds", withBroadcast[5]);

            // MLlib on the same rows, as a cached DataFrame of (label, features).
            SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
            StructType schema = new StructType(new StructField[] {
                new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
                new StructField("features", new VectorUDT(), false, Metadata.empty())});
            ClusterData d = data;
            var rows = t.partitions().mapPartitionsWithIndex((Integer p, Iterator<Object> it) -> {
                List<Row> r = new ArrayList<>();
                if (it.hasNext()) {
                    Dataset part = d.partition(p, it.next());
                    double[] x = part.x().data().asDouble();
                    double[] y = part.y().data().asDouble();
                    for (int i = 0; i < y.length; i++) {
                        r.add(RowFactory.create(y[i], Vectors.dense(java.util.Arrays.copyOfRange(x, i * d.inputs(), (i + 1) * d.inputs()))));
                    }
                }
                return r.iterator();
            }, true);
            org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_ONLY());
            df.count();
            for (String solver : List.of("l-bfgs", "normal")) {
                long t0 = System.nanoTime();
                LinearRegressionModel m = new LinearRegression().setSolver(solver).fit(df);
                double secs = (System.nanoTime() - t0) / 1e9;
                out.put("mllib_" + solver, Map.of("seconds", secs, "train_mse", m.summary().meanSquaredError(),
                        "iterations", m.summary().totalIterations()));
            }
            // MLlib's MSE to 12 digits: both reach the least-squares minimum, where the last bits are the two sums'
            // rounding (with 2 partitions MLlib's came out 2e-17 below what gd's summation order ever gave)
            double target = ((Number) ((Map<?, ?>) out.get("mllib_l-bfgs")).get("train_mse")).doubleValue() * (1 + 1e-12);
            df.unpersist();

            // descent exact: one pass of the normal equations on the cluster, solved on the driver.
            long t0 = System.nanoTime();
            NormalEquations ne = t.exact();
            LinearModel exact = LinearModel.fromStacked(ne.solution().theta());
            double exactSecs = (System.nanoTime() - t0) / 1e9;
            out.put("descent_exact", Map.of("seconds", exactSecs, "train_mse", t.mse(exact)));

            // descent gd (Nesterov, lr = 1/λmax, μ = 0.9) until its MSE reaches MLlib l-bfgs's; λmax's pass counted.
            t0 = System.nanoTime();
            double lambdaMax = t.exact().largestHessianEigenvalue();
            double analysis = (System.nanoTime() - t0) / 1e9;
            Trainer.Config gdCfg = Trainer.Config.defaults().withBatchSize(0).withEpochs(400).withShuffle(false);
            TrainingResult gd = t.gd(new NesterovKeras(new Schedule.Constant(1 / lambdaMax), 0.9), LinearModel.zeros(nx, 1,
                    DataType.DOUBLE), gdCfg);
            double secs = analysis;
            int rounds = -1;
            for (int r = 0; r < gd.history().size(); r++) {
                if (gd.history().get(r).trainLoss() <= target) {
                    rounds = r; // θ after r steps has the target MSE
                    break;
                }
                secs += gd.history().get(r).seconds();
            }
            out.put("descent_gd", Map.of("seconds_to_mllib_mse", rounds < 0 ? Double.NaN : secs, "rounds", rounds,
                    "lambda_max_seconds", analysis, "round_seconds_median", median(gd)));

            // local-sgd: rounds of one epoch per partition (SGD, batch 256, lr 0.1/λmax… the largest stable-ish rate).
            // 11 rounds: the executors' first rounds of this loop run cold (0.66, 0.49, 0.49, then 0.29-0.41 s in
            // one run), and the median of 11 is a warm one.
            Trainer.Config sgdCfg = Trainer.Config.defaults().withBatchSize(256).withEpochs(11).withSeed(7);
            TrainingResult local = t.localSgd(new Sgd(0.5 / lambdaMax), LinearModel.zeros(nx, 1, DataType.DOUBLE), sgdCfg);
            out.put("descent_local_sgd", Map.of("round_seconds_median", median(local), "train_mse_after_11_rounds", t.mse(local.model())));

            // One epoch of the largest partition in this JVM, the same loop and configuration.
            int largest = 0;
            for (int p = 1; p < parts; p++) {
                largest = data.rows(p) > data.rows(largest) ? p : largest;
            }
            Dataset big = data.partition(largest);
            TrainingResult alone = new Trainer(new Sgd(0.5 / lambdaMax), sgdCfg).train(big, null, LinearModel.zeros(nx, 1, DataType.DOUBLE));
            out.put("single_jvm_epoch_of_largest_partition_seconds", median(alone));
            // The same on one thread (no gather helper): what an executor of one core has for it.
            TrainingResult oneCore = dev.descent.engine.Cores.within(1, () -> new Trainer(new Sgd(0.5 / lambdaMax), sgdCfg)
                    .train(big, null, LinearModel.zeros(nx, 1, DataType.DOUBLE)));
            out.put("single_jvm_epoch_of_largest_partition_one_thread_seconds", median(oneCore));
        }
        System.out.println(dev.descent.report.RunFiles.json().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private static double median(TrainingResult r) {
        double[] s = r.history().stream().mapToDouble(e -> e.seconds()).sorted().toArray();
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }
}
