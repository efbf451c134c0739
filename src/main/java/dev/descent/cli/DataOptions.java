package dev.descent.cli;

import dev.descent.data.CsvLoader;
import dev.descent.data.DataFiles;
import dev.descent.data.Dataset;
import dev.descent.data.Seeds;
import dev.descent.data.Scaler;
import dev.descent.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Option;

/**
 * Options that choose the data: a file (CSV, .npy, .npz) or seeded synthetic data, the test split, the
 * dtype, scaling and the seed.
 */
final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE", description = "Training data: .csv/.tsv/.txt, .npz (arrays --x-name, --y-name) or .npy (with --data-y). Without it: synthetic data.")
    Path file;

    @Option(names = {"-t", "--target"}, paramLabel = "COLUMN", description = "CSV target column by name or 0-based index; repeat for several.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--features", split = ",", paramLabel = "COLUMN", description = "CSV feature columns (comma-separated names or indices) (default: every non-target column).")
    List<String> features = new ArrayList<>();

    @picocli.CommandLine.Mixin
    FileFormatOptions format = new FileFormatOptions();

    @Option(names = "--drop-nonfinite", description = "Drop rows holding NaN or Inf (reported) instead of rejecting the file.")
    boolean dropNonFinite;

    @Option(names = "--test-data", paramLabel = "FILE", description = "An explicit test set (same format and columns as --data); replaces --test-fraction.")
    Path testFile;

    @Option(names = "--test-data-y", paramLabel = "FILE", description = "Targets .npy of --test-data when it is an inputs .npy (as --data-y is of --data).")
    Path testFileY;

    @Option(names = "--scale-x", paramLabel = "none|minmax|standard", description = "Feature scaling fitted on the training rows (default: ${DEFAULT-VALUE}).")
    String scaleX = "none";

    @Option(names = "--scale-y", paramLabel = "none|minmax|standard", description = "Target scaling fitted on the training rows (default: ${DEFAULT-VALUE}).")
    String scaleY = "none";

    /** The most of the machine's memory (or the container's limit) that in-memory synthetic data may take. */
    static final double IN_MEMORY_FRACTION = 0.8;

    /** Synthetic data's defaults, shared with {@code generate --kind synthetic}. */
    static final long DEFAULT_ROWS = 10_000;
    static final int DEFAULT_NX = 10;
    static final int DEFAULT_NY = 1;
    static final double DEFAULT_NOISE = 0.1;
    static final DataType DEFAULT_DTYPE = DataType.FLOAT;
    static final long DEFAULT_SEED = 42;

    @Option(names = {"-n", "--rows"}, description = "Rows N of synthetic data (default: ${DEFAULT-VALUE}).")
    long rows = DEFAULT_ROWS;

    @Option(names = "--nx", description = "Input features nX of synthetic data (default: ${DEFAULT-VALUE}).")
    int nx = DEFAULT_NX;

    @Option(names = "--ny", description = "Outputs nY of synthetic data (default: ${DEFAULT-VALUE}).")
    int ny = DEFAULT_NY;

    @Option(names = "--noise", description = "Standard deviation of the Gaussian noise on synthetic Y (default: ${DEFAULT-VALUE}).")
    double noise = DEFAULT_NOISE;

    @Option(names = "--dtype", converter = DtypeConverter.class, paramLabel = "float32|float64",
            description = "Floating type of X, Y, W, B (default: float32).")
    DataType dtype = DEFAULT_DTYPE;

    @Option(names = "--test-fraction", description = "Fraction of rows held out for testing, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double testFraction = 0.2;

    @Option(names = "--seed", description = "Seed for the data (seed), the initial W, B (seed+1), the shuffle (seed+2) and a file's test split (seed+3) (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULT_SEED;

    /**
     * The data ready for training: {@code train}/{@code test} scaled for training, {@code original*} in the
     * user's units (the same arrays when no scaling), the fitted scalers, names and a record for summaries.
     */
    record Prepared(Dataset train, Dataset test, Dataset originalTrain, Dataset originalTest, Scaler xScaler,
            Scaler yScaler, List<String> featureNames, List<String> targetNames, Map<String, Object> record) {

        int inputs() {
            return train.inputs();
        }

        int outputs() {
            return train.outputs();
        }

        boolean scaled() {
            return !xScaler.isIdentity() || !yScaler.isIdentity();
        }
    }

    /** --scale-x and --scale-y name a kind of scaling. */
    void checkScaling() {
        for (String s : new String[] {scaleX, scaleY}) {
            if (!Scaler.KINDS.contains(s)) {
                throw new IllegalArgumentException("--scale-x/--scale-y must be none, minmax or standard, got '" + s + "'");
            }
        }
    }

    /** Checks the options that need no data (before any expensive work). */
    void validate() {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in [0, 1), got " + testFraction);
        }
        checkScaling();
        if (file == null) {
            synthetic();
        } else if (testFile != null && sameFile(testFile, file)) {
            throw new IllegalArgumentException("--test-data is the same file as --data");
        }
        checkTestTargets();
    }

    /**
     * An inputs .npy given as --test-data takes its targets from --test-data-y, never from --data-y (the
     * training targets); --test-data-y goes with such a file only.
     */
    void checkTestTargets() {
        boolean npy = testFile != null && testFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
        if (testFileY != null && !npy) {
            throw new IllegalArgumentException("--test-data-y names the targets .npy of an inputs .npy given as --test-data");
        }
        if (npy && testFileY == null) {
            throw new IllegalArgumentException("--test-data " + testFile + " is an inputs .npy: name its targets with --test-data-y FILE.npy");
        }
        if (npy && (format.fileY != null && sameFile(testFileY, format.fileY) || sameFile(testFileY, testFile))) {
            throw new IllegalArgumentException("--test-data-y " + testFileY + " is " + (sameFile(testFileY, testFile) ? "--test-data itself"
                    : "--data-y, the training targets"));
        }
    }

    /** Training rows after the split (known before loading only for synthetic data). */
    long syntheticTrainRows() {
        return rows - Math.round(testFraction * rows);
    }

    Prepared prepare() throws IOException {
        validate();
        Map<String, Object> rec = new LinkedHashMap<>();
        Dataset.Split split;
        List<String> fn;
        List<String> tn;
        if (file == null) {
            split = synthetic().generate().data().splitTail(testFraction);
            fn = names("x", nx);
            tn = names("y", ny);
            rec.put("source", "synthetic");
            rec.put("rows", rows);
            rec.put("noise", noise);
        } else {
            DataFiles.Spec spec = spec();
            long t0 = System.nanoTime();
            CsvLoader.Loaded l = DataFiles.load(file, spec);
            rec.put("load_seconds", (System.nanoTime() - t0) / 1e9);
            fn = l.featureNames();
            tn = l.targetNames();
            rec.put("source", file.toString());
            rec.put("dropped_nonfinite_rows", l.droppedRows());
            if (testFile != null) {
                CsvLoader.Loaded t = DataFiles.load(testFile, testSpec());
                if (t.x().columns() != l.x().columns() || t.y().columns() != l.y().columns()) {
                    throw new IllegalArgumentException("--test-data " + testFile + " has " + t.x().columns() + " features and "
                            + t.y().columns() + " targets; --data has " + l.x().columns() + " and " + l.y().columns());
                }
                split = new Dataset.Split(l.data(), t.data());
                rec.put("test_source", testFile.toString());
                rec.put("test_dropped_nonfinite_rows", t.droppedRows());
            } else {
                split = l.data().splitRandom(testFraction, dev.descent.data.Seeds.split(seed));
            }
            rec.put("features", fn);
            rec.put("targets", tn);
        }
        Dataset train = split.train();
        Dataset test = split.test();
        Scaler xs = Scaler.fit(scaleX, train.x());
        Scaler ys = Scaler.fit(scaleY, train.y());
        Dataset strain = train;
        Dataset stest = test;
        if (!xs.isIdentity() || !ys.isIdentity()) {
            strain = scaled(train, xs, ys);
            stest = test == null ? null : scaled(test, xs, ys);
        }
        rec.put("train_rows", train.size());
        rec.put("test_rows", test == null ? 0 : test.size());
        rec.put("nx", train.inputs());
        rec.put("ny", train.outputs());
        rec.put("dtype", DtypeConverter.name(dtype));
        rec.put("seed", seed);
        rec.put("scale_x", xs.describe());
        rec.put("scale_y", ys.describe());
        return new Prepared(strain, stest, train, test, xs, ys, fn, tn, rec);
    }

    private static Dataset scaled(Dataset d, Scaler xs, Scaler ys) {
        Dataset c = d.copy();
        xs.applyInPlace(c.x());
        ys.applyInPlace(c.y());
        return c;
    }

    /** How to read --test-data: as --data, its targets .npy --test-data-y. */
    DataFiles.Spec testSpec() {
        DataFiles.Spec spec = spec();
        return new DataFiles.Spec(spec.csv(), testFileY, spec.xName(), spec.yName());
    }

    /** How to read --data and --test-data (and predict/evaluate files). */
    DataFiles.Spec spec() {
        return new DataFiles.Spec(new CsvLoader.Options(format.delimiter(file), !format.noHeader, targets, features, dtype,
                dropNonFinite), format.fileY, format.xName, format.yName);
    }

    /** True when two paths name one file: equal once absolute and normalized, or the same file on disk. */
    static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    SyntheticData synthetic() {
        if (rows < 2) {
            throw new IllegalArgumentException("--rows must be >= 2, got " + rows);
        }
        if (nx < 1) {
            throw new IllegalArgumentException("--nx must be >= 1, got " + nx);
        }
        if (ny < 1) {
            throw new IllegalArgumentException("--ny must be >= 1, got " + ny);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("--noise must be a finite number >= 0, got " + noise);
        }
        if (rows > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--rows must be at most " + (Integer.MAX_VALUE - 8) + ", got " + rows);
        }
        // X and Y, and the scaled copies that training uses when scaling is on.
        double bytes = (double) rows * ((double) nx + ny + (scaleX.equals("none") ? 0 : nx) + (scaleY.equals("none") ? 0 : ny))
                * (dtype == DataType.DOUBLE ? 8 : 4);
        long memory = dev.descent.host.MemoryBudget.totalBytes();
        if (bytes > IN_MEMORY_FRACTION * memory) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "--rows %d with --nx %d and --ny %d needs %.1f GB for X and Y%s; data held in memory may take at most"
                    + " %.0f %% of this machine's %.1f GB (%.1f GB): use fewer rows, or write the data to .npy files with"
                    + " 'descent generate --kind synthetic --out x.npy --out-y y.npy' and train on them with --stream", rows, nx, ny,
                    bytes / 1e9, scaleX.equals("none") && scaleY.equals("none") ? "" : " and their scaled copies", IN_MEMORY_FRACTION * 100, memory / 1e9, IN_MEMORY_FRACTION * memory / 1e9));
        }
        return new SyntheticData(rows, nx, ny, noise, dtype, Seeds.data(seed));
    }

    private static List<String> names(String prefix, int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(prefix + i);
        }
        return l;
    }
}
