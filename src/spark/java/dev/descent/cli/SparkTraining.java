package dev.descent.cli;

import static dev.descent.report.RunRecord.ordered;

import dev.descent.data.Scaler;
import dev.descent.data.Seeds;
import dev.descent.engine.Backend;
import dev.descent.engine.StopReason;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.model.ModelStore;
import dev.descent.model.NormalEquations;
import dev.descent.optim.Optimizer;
import dev.descent.report.RunFiles;
import dev.descent.report.RunRecord;
import dev.descent.spark.ClusterData;
import dev.descent.spark.SparkTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code descent train --spark MASTER} (the Spark build only): the data as P partitions built on the
 * executors (synthetic from the seed, or .npy row ranges), trained by gd, local-sgd or exact, with the run
 * record, history and model written by the driver as for a run on one machine, a checkpoint every K rounds
 * ({@code --checkpoint-every K}) and {@code --resume}. {@code --test-fraction f} holds out round(f·N) rows as one
 * machine does: a file's seeded random rows ({@code HoldOut}), generated data's last rows. {@code --scale-x},
 * {@code --scale-y} are fitted on the training rows by cluster passes and applied where the partitions are kept;
 * the model and the final test MSE are in the data's units.
 */
public final class SparkTraining {
    /** {@code --spark submit}: the master that spark-submit set (spark.master), for the jar run by spark-submit. */
    static final String SUBMIT = "submit";

    private SparkTraining() {
    }

    /**
     * --data as written: Spark reads any Hadoop path (hdfs://namenode:8020/…, s3a://bucket/…), which a
     * java.nio Path would fold into hdfs:/namenode… .
     */
    private static String location(picocli.CommandLine.ParseResult parsed, String name, Path file) {
        var option = parsed.matchedOption(name);
        String written = option == null || option.stringValues().isEmpty() ? null : option.stringValues().get(0);
        return written != null && dev.descent.data.DataFiles.remote(written) ? written : file.toAbsolutePath().normalize().toString();
    }

    public static int run(TrainCommand cmd, dev.descent.engine.Checkpoint resumeFrom) throws IOException {
        PrintWriter o = cmd.out();
        var parsed = cmd.spec.commandLine().getParseResult();
        if (!List.of("gd", "local-sgd", "exact").contains(cmd.solver)) {
            throw new IllegalArgumentException("--solver with --spark must be gd, local-sgd or exact, got '" + cmd.solver + "'");
        }
        for (String bad : List.of("--stream", "--drop-nonfinite", "--animate", "--plot-epoch")) {
            if (parsed.hasMatchedOption(bad)) {
                throw new IllegalArgumentException(bad + " is not supported with --spark yet");
            }
        }
        if (!(cmd.data.testFraction >= 0 && cmd.data.testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in [0, 1), got " + cmd.data.testFraction);
        }
        cmd.data.checkScaling();
        cmd.data.checkTestTargets();
        if (cmd.partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + cmd.partitions);
        }
        DataOptions data = cmd.data;
        String name = data.file == null ? "" : data.file.toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".csv") ? "csv" : name.endsWith(".parquet") ? "parquet" : name.endsWith(".npy") ? "npy" : null;
        if (data.file != null && (format == null || (format.equals("npy") && data.format.fileY == null))) {
            throw new IllegalArgumentException("--spark reads --data X.npy with --data-y Y.npy, a .csv or .parquet file or folder"
                    + " (with --target), or synthetic data (--rows, --nx, --ny); got " + data.file);
        }
        if (data.testFile != null && (data.file == null || !data.testFile.toString().toLowerCase(Locale.ROOT).endsWith("." + format))) {
            throw new IllegalArgumentException("--test-data is a ." + (format == null ? "csv, .parquet or .npy" : format)
                    + " file of --data's columns" + (data.file == null ? ", with --data" : "") + "; got " + data.testFile);
        }
        if (data.testFile != null && DataOptions.sameFile(data.testFile, data.file)) {
            throw new IllegalArgumentException("--test-data is the same file as --data");
        }
        String location = data.file == null ? null : location(parsed, "--data", data.file);
        Optimizer optimizer = cmd.opt.create();
        cmd.training.kernel();
        boolean bar = cmd.progressBar();
        SparkConf conf = new SparkConf().setAppName("descent").set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false").set("spark.sql.shuffle.partitions",
                        String.valueOf(cmd.partitions > 0 ? cmd.partitions : 8));
        if (!cmd.spark.equals(SUBMIT)) {
            conf.setMaster(cmd.spark);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--spark submit takes the master from spark-submit, and none is set: run the "
                    + "descent-…-spark.jar with spark-submit --master …, or name the master (--spark local[2], spark://host:port)");
        }
        // Executors load OpenBLAS with the driver's kernel choice (bin/descent-env.sh: Haswell's on AVX-512 CPUs,
        // whose own kernels are wrong in ND4J's OpenBLAS 0.3.19), unless the job's configuration names one.
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        if (coreType != null && !coreType.isEmpty() && !conf.contains("spark.executorEnv.OPENBLAS_CORETYPE")) {
            conf.setExecutorEnv("OPENBLAS_CORETYPE", coreType);
        }
        String master = conf.get("spark.master");
        Path dir = cmd.runDirectory();
        Backend backend = Main.header(o);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            int p = cmd.partitions > 0 ? cmd.partitions : sc.defaultParallelism();
            // .npy rows in the files' dtype unless --dtype names one (as --stream); other sources in --dtype's (float32 by default)
            org.nd4j.linalg.api.buffer.DataType dtype = parsed.hasMatchedOption("--dtype") ? data.dtype : null;
            ClusterData cd = data.file == null
                    ? ClusterData.synthetic(data.rows, data.nx, data.ny, data.noise, data.dtype, Seeds.data(data.seed), p)
                    : format.equals("npy") ? ClusterData.npy(location, location(parsed, "--data-y", data.format.fileY), p, dtype, false)
                    : ClusterData.frame(org.apache.spark.sql.SparkSession.builder().sparkContext(sc.sc()).getOrCreate(),
                            location, format, data.features, data.targets, data.dtype, p);
            ClusterData testSet = null;
            if (data.testFile != null) { // replaces --test-fraction, as on one machine
                String testLocation = location(parsed, "--test-data", data.testFile);
                testSet = format.equals("npy") ? ClusterData.npy(testLocation, location(parsed, "--test-data-y", data.testFileY), p,
                        dtype != null ? dtype : cd.dataType(), true)
                        : ClusterData.frame(org.apache.spark.sql.SparkSession.builder().sparkContext(sc.sc()).getOrCreate(),
                                testLocation, format, data.features, data.targets, data.dtype, p, true);
                if (testSet.inputs() != cd.inputs() || testSet.outputs() != cd.outputs()) {
                    throw new IllegalArgumentException("--test-data " + data.testFile + " has " + testSet.inputs() + " features and "
                            + testSet.outputs() + " targets; --data has " + cd.inputs() + " and " + cd.outputs());
                }
            } else {
                long test = Math.round(data.testFraction * cd.rows());
                if (test >= cd.rows()) {
                    throw new IllegalArgumentException("--test-fraction " + data.testFraction + " leaves no training rows of " + cd.rows());
                }
                // as on one machine: a file's test rows are seeded random rows, generated data's the last ones
                cd = data.file == null || test == 0 ? cd.holdingOut(test) : cd.holdingOutAtRandom(test, Seeds.split(data.seed));
            }
            long testRows = testSet != null ? testSet.rows() : cd.testRows();
            o.printf(Locale.ROOT, "spark: %s  %d partitions  data: %s  train %,d rows, test %,d (%s)  nX=%d  nY=%d%n",
                    master, p, cd.describe(), cd.trainRows(), testRows, testSet != null ? testSet.describe()
                    : data.file == null ? "the last rows" : "seeded random rows", cd.inputs(), cd.outputs());
            long t0 = System.nanoTime();
            SparkTrainer trainer = new SparkTrainer(sc, cd);
            if (testSet != null) {
                trainer = trainer.withTestData(testSet);
            }
            o.printf(Locale.ROOT, "partitions built on the executors in %.2f s%n", (System.nanoTime() - t0) / 1e9);
            Scaler[] scalers = trainer.fitScalers(data.scaleX, data.scaleY);
            boolean scaled = !scalers[0].isIdentity() || !scalers[1].isIdentity();
            if (scaled) {
                t0 = System.nanoTime();
                trainer = trainer.scaledBy(scalers[0], scalers[1]);
                o.printf(Locale.ROOT, "scaling x: %s, y: %s, fitted and applied in %.2f s; round losses and history.csv are in scaled"
                        + " units, the final test MSE and the model in the data's%n", scalers[0], scalers[1], (System.nanoTime() - t0) / 1e9);
            }
            Trainer.Config config = cmd.training.config(data.seed, cd.trainRows());
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("descent", Main.version());
            summary.put("backend", ordered("name", backend.name(), "device", backend.device(), "blas", backend.blas()));
            Map<String, Object> dataRecord = ordered("source", cd.describe(), "train_rows", cd.trainRows(), "test_rows", testRows, "nx",
                    cd.inputs(), "ny", cd.outputs(), "dtype", DtypeConverter.name(cd.dataType()), "seed", data.seed, "scale_x",
                    scalers[0].describe(), "scale_y", scalers[1].describe());
            if (testSet != null) {
                dataRecord.put("test_source", testSet.describe());
            }
            summary.put("data", dataRecord);
            summary.put("cluster", ordered("master", master, "partitions", p));
            summary.put("solver", cmd.solver);
            LinearModel model;
            TrainingResult result = null;
            int code = ExitCodes.OK;
            String signal = null;
            if (cmd.solver.equals("exact")) {
                long s0 = System.nanoTime();
                NormalEquations.Solution lsq = trainer.exact().solution();
                model = LinearModel.fromStacked(lsq.theta().castTo(cd.dataType()));
                o.printf(Locale.ROOT, "solver: exact least squares (%s, float64) in %.2f s%n", lsq.describe(), (System.nanoTime() - s0) / 1e9);
                summary.put("status", "solved");
            } else {
                LinearModel initial = cmd.training.initial(cd.inputs(), cd.outputs(), cd.dataType(), Seeds.init(data.seed));
                o.printf(Locale.ROOT, "optimizer: %s  %s  rounds=%d%n", optimizer.hyperparameters(), cmd.solver.equals("gd")
                        ? "full batch, one step a round" : "batch=" + config.batchFor(cd.rows()) + " in each partition, one epoch a round",
                        config.epochs());
                ProgressListener progress = new ProgressListener(o, bar);
                Trainer.Checkpointing ck = cmd.checkpointEvery == 0 ? null : new Trainer.Checkpointing(
                        dir.resolve(TrainCommand.CHECKPOINT), cmd.checkpointEvery, RunIdentity.of(parsed.originalArgs(), dir));
                if (resumeFrom != null) {
                    TrainCommand.sayResuming(o, dir, resumeFrom, config);
                }
                try (Interrupts interrupts = Interrupts.install(trainer::requestStop)) {
                    result = cmd.solver.equals("gd") ? trainer.gd(optimizer, initial, config, ck, resumeFrom, progress)
                            : trainer.localSgd(optimizer, initial, config, ck, resumeFrom, progress);
                    signal = interrupts.received();
                    if (result.stop() == StopReason.INTERRUPTED) {
                        code = interrupts.exitCode();
                    }
                }
                model = result.model();
                if (result.stop() == StopReason.DIVERGED) {
                    cmd.err().println("train: " + result.message());
                    code = ExitCodes.DIVERGED;
                }
                RunRecord.printTime(o, result);
                summary.put("status", RunRecord.status(result.stop()));
                summary.put("optimizer", optimizer.hyperparameters());
                summary.put("training", RunRecord.training(config, result, cd.trainRows()));
            }
            Map<String, Object> results = new LinkedHashMap<>();
            LinearModel trained = model; // in scaled units when scaled
            model = trained.unscaled(scalers[0], scalers[1]);
            if (testRows > 0) {
                double testMse = trainer.testMseInDataUnits(trained.stacked());
                o.printf(Locale.ROOT, "final test MSE %.9f over the %,d %s rows%n", testMse, testRows, testSet != null ? "test" : "held-out");
                results.put("test_mse", testMse);
            }
            RunRecord.parameters(o, "", model, results, "");
            summary.put("results", results);
            if (result != null) {
                RunFiles.writeHistory(dir, result.history());
            }
            ModelStore.save(dir.resolve("model"), model, ordered("descent", Main.version(), "backend", backend.name(), "data",
                    summary.get("data"), "solver", cmd.solver, "cluster", summary.get("cluster")));
            RunFiles.writeSummary(dir, summary);
            o.println("wrote " + dir.resolve(RunFiles.SUMMARY) + (result != null ? ", " + RunFiles.HISTORY : "") + " and the model in "
                    + dir.resolve("model"));
            o.flush();
            if (result != null && result.stop() == StopReason.INTERRUPTED) {
                cmd.sayInterrupted(cmd.err(), dir, result, signal);
            }
            return code;
        }
    }
}
