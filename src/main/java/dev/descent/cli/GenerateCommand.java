package dev.descent.cli;

import dev.descent.data.MakeRegression;
import dev.descent.data.Npy;
import dev.descent.data.Npz;
import dev.descent.data.RandomState;
import dev.descent.data.SyntheticData;
import dev.descent.report.RunFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code descent generate}: writes datasets to .npz, .npy or .csv. */
@Command(name = "generate", header = "Writes a dataset: make-regression, synthetic or job-duration.",
        description = "Writes a dataset: make-regression (scikit-learn's make_regression, through a reimplementation of numpy's RandomState), synthetic (descent's own generator, the same bits as train --rows with the same options), or job-duration (a timing log: runtime roughly proportional to the number of examples, with noise).")
final class GenerateCommand extends DescentCommand {

    @Option(names = "--kind", paramLabel = "make-regression|synthetic|job-duration", description = "What to generate (default: ${DEFAULT-VALUE}).")
    String kind = "make-regression";

    @Option(names = "--out", required = true, paramLabel = "FILE", description = ".npz (X, y, coef), .csv (x0.., y0.. columns) or .npy (X; y in --out-y).")
    Path out;

    @Option(names = "--out-y", paramLabel = "FILE", description = "Where y goes when --out is a .npy.")
    Path outY;

    @Option(names = {"--n-samples", "--rows", "-n"}, description = "Rows (default: 100; synthetic: 10000, as train).")
    Long nSamplesOption;

    @Option(names = {"--n-features", "--nx"}, description = "Features (default: 100; synthetic: 10, as train).")
    Integer nFeaturesOption;

    @Option(names = "--n-informative", description = "make-regression: features with non-zero coefficients (default: ${DEFAULT-VALUE}).")
    int nInformative = 10;

    @Option(names = {"--n-targets", "--ny"}, description = "Outputs (default: 1).")
    Integer nTargetsOption;

    @Option(names = "--bias", description = "make-regression: intercept (default: ${DEFAULT-VALUE}).")
    double bias = 0.0;

    @Option(names = "--noise", description = "Standard deviation of the Gaussian noise (default: 0; synthetic: 0.1, as train).")
    Double noiseOption;

    @Option(names = "--effective-rank", description = "make-regression: effective_rank; X is then make_low_rank_matrix's"
            + " U·diag(s)·Vᵀ (default: none, a well-conditioned Gaussian X).")
    Double effectiveRank;

    @Option(names = "--tail-strength", description = "make-regression with --effective-rank: tail_strength in [0, 1]"
            + " (default: ${DEFAULT-VALUE}).")
    double tailStrength = 0.5;

    @Option(names = "--no-shuffle", description = "make-regression: shuffle=False.")
    boolean noShuffle;

    @Option(names = {"--random-state", "--seed"},
            description = "Seed: numpy RandomState for make-regression and job-duration (default: 0), train's --seed for synthetic (default: 42).")
    Long randomStateOption;

    @Option(names = "--dtype", converter = DtypeConverter.class, paramLabel = "float32|float64",
            description = "Written dtype (default: float64; synthetic: float32, as train).")
    DataType dtypeOption;

    private long nSamples;
    private int nFeatures;
    private int nTargets;
    private double noise;
    private long randomState;
    private DataType dtype;

    /** Options left unset take the kind's defaults: scikit-learn's for make-regression, train's for synthetic. */
    private void applyDefaults() {
        boolean synthetic = kind.equals("synthetic");
        nSamples = nSamplesOption != null ? nSamplesOption : synthetic ? DataOptions.DEFAULT_ROWS : 100;
        nFeatures = nFeaturesOption != null ? nFeaturesOption : synthetic ? DataOptions.DEFAULT_NX : 100;
        nTargets = nTargetsOption != null ? nTargetsOption : DataOptions.DEFAULT_NY;
        noise = noiseOption != null ? noiseOption : synthetic ? DataOptions.DEFAULT_NOISE : 0.0;
        randomState = randomStateOption != null ? randomStateOption : synthetic ? DataOptions.DEFAULT_SEED : 0;
        dtype = dtypeOption != null ? dtypeOption : synthetic ? DataOptions.DEFAULT_DTYPE : DataType.DOUBLE;
    }

    @Override
    public Integer call() throws Exception {
        applyDefaults();
        String ext = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!ext.endsWith(".npz") && !ext.endsWith(".csv") && !ext.endsWith(".npy")) {
            throw new IllegalArgumentException("--out must end in .npz, .csv or .npy, got " + out);
        }
        if (ext.endsWith(".npy") && outY == null) {
            throw new IllegalArgumentException("--out " + out + " is a .npy: give --out-y for the targets");
        }
        if (nSamples < 1 || nFeatures < 1 || nTargets < 1) {
            throw new IllegalArgumentException("--n-samples, --n-features and --n-targets must be >= 1");
        }
        if (!(noise >= 0)) {
            throw new IllegalArgumentException("--noise must be >= 0, got " + noise);
        }
        if (kind.equals("synthetic") && ext.endsWith(".npy")) {
            return syntheticNpy();
        }
        if (nSamples > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--n-samples " + nSamples + " is more rows than one array holds; write synthetic"
                    + " data to .npy files (--out x.npy --out-y y.npy), which are written block by block");
        }
        int rows = (int) nSamples;
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        String[] names;
        switch (kind) {
            case "make-regression" -> {
                MakeRegression.Result r = new MakeRegression(rows, nFeatures, nInformative, nTargets, bias, noise,
                        !noShuffle, randomState, effectiveRank, tailStrength).generate();
                arrays.put("X", Nd4j.createFromArray(r.x()).castTo(dtype));
                arrays.put("y", squeeze(Nd4j.createFromArray(r.y())).castTo(dtype));
                arrays.put("coef", squeeze(Nd4j.createFromArray(r.coef())).castTo(dtype));
                names = columnNames("x", nFeatures, "y", nTargets);
            }
            case "synthetic" -> {
                SyntheticData.Generated g = new SyntheticData(nSamples, nFeatures, nTargets, noise, dtype, randomState).generate();
                arrays.put("X", g.data().x());
                arrays.put("y", g.data().y());
                arrays.put("W", g.trueW());
                arrays.put("B", g.trueB());
                names = columnNames("x", nFeatures, "y", nTargets);
            }
            case "job-duration" -> {
                arrays.putAll(jobDuration(rows));
                names = new String[] {"n", "duration"};
            }
            default -> throw new IllegalArgumentException("--kind must be make-regression, synthetic or job-duration, got '" + kind + "'");
        }
        INDArray x = arrays.get("X");
        INDArray y = arrays.get("y");
        if (ext.endsWith(".npz")) {
            Npz.write(out, arrays);
        } else if (ext.endsWith(".npy")) {
            Npy.write(out, x);
            Npy.write(outY, y);
        } else {
            INDArray yy = y.rank() == 1 ? y.reshape(y.length(), 1) : y;
            RunFiles.writeCsv(out, List.of(names), Nd4j.hstack(x, yy.castTo(x.dataType())));
        }
        PrintWriter p = out();
        p.printf(Locale.ROOT, "wrote %s: %s, %d rows%n", out, kind, x.rows());
        p.flush();
        return ExitCodes.OK;
    }

    /**
     * Synthetic X and y written block by block (one block of rows in memory at a time), so the files may be
     * larger than memory; the bits equal those {@code train} draws into memory from the same seed.
     */
    private int syntheticNpy() throws java.io.IOException {
        SyntheticData g = new SyntheticData(nSamples, nFeatures, nTargets, noise, dtype, randomState);
        INDArray xb = Nd4j.createUninitialized(dtype, SyntheticData.BLOCK_ROWS, nFeatures);
        INDArray yb = Nd4j.createUninitialized(dtype, SyntheticData.BLOCK_ROWS, nTargets);
        long t0 = System.nanoTime();
        dev.descent.data.AtomicFiles.write(out, xo -> dev.descent.data.AtomicFiles.write(outY, yo -> {
            Npy.writeHeader(xo, dtype, new long[] {nSamples, nFeatures});
            Npy.writeHeader(yo, dtype, new long[] {nSamples, nTargets});
            for (long k = 0; k < g.blocks(); k++) {
                g.block(k, xb, yb);
                int rows = g.blockRows(k);
                var part = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows);
                Npy.writeData(xo, rows == xb.rows() ? xb : xb.get(part, org.nd4j.linalg.indexing.NDArrayIndex.all()));
                Npy.writeData(yo, rows == yb.rows() ? yb : yb.get(part, org.nd4j.linalg.indexing.NDArrayIndex.all()));
            }
        }));
        PrintWriter p = out();
        p.printf(Locale.ROOT, "wrote %s and %s: synthetic, %d rows, %d features, %d targets in %.1f s (written block by block)%n",
                out, outY, nSamples, nFeatures, nTargets, (System.nanoTime() - t0) / 1e9);
        p.flush();
        return ExitCodes.OK;
    }

    /**
     * A timing log: n ~ uniform integers in [1,000, 1,000,000] examples, duration = 2 s + 4.2e-4 s·n with
     * 5 % multiplicative Gaussian noise, from numpy's RandomState(--random-state).
     */
    private Map<String, INDArray> jobDuration(int rows) {
        RandomState rs = new RandomState(randomState);
        double[][] n = new double[rows][1];
        double[][] d = new double[rows][1];
        for (int i = 0; i < rows; i++) {
            n[i][0] = Math.floor(rs.uniform(1_000, 1_000_001));
            d[i][0] = (2.0 + 4.2e-4 * n[i][0]) * (1 + 0.05 * rs.standardNormal());
        }
        return Map.of("X", Nd4j.createFromArray(n).castTo(dtype), "y", Nd4j.createFromArray(d).castTo(dtype));
    }

    private static INDArray squeeze(INDArray a) {
        return a.columns() == 1 ? a.reshape(a.rows()) : a;
    }

    private static String[] columnNames(String xp, int nx, String yp, int ny) {
        String[] n = new String[nx + ny];
        for (int i = 0; i < nx; i++) {
            n[i] = xp + i;
        }
        for (int i = 0; i < ny; i++) {
            n[nx + i] = yp + i;
        }
        return n;
    }
}
