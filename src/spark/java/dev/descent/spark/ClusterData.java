package dev.descent.spark;

import dev.descent.data.Dataset;
import dev.descent.data.NpyRowSource;
import dev.descent.data.SyntheticData;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where a cluster run's rows come from, split into P partitions that each executor builds for itself:
 * nothing but this small description is shipped from the driver. Synthetic data is drawn per partition
 * from the seed (partition p draws its own {@link SyntheticData} blocks, so the rows are bit for bit those
 * of the same data on one machine); .npy files are read as row ranges, from a path every executor sees.
 * An executor keeps its partitions in memory, in the engine's layout, for the whole run; one that is
 * lost is rebuilt the same way, with the same bits, wherever Spark reruns it.
 */
public abstract class ClusterData implements Serializable, Cloneable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Dataset> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Dataset> UNSCALED = new ConcurrentHashMap<>(); // the partitions fitted on, until scaled
    private static final Map<String, dev.descent.engine.GradientKernel> KERNELS = new ConcurrentHashMap<>();
    /** Rows per kernel call of a full-batch pass: the kernel's buffers stay small whatever the partition's size. */
    static final int PASS_BLOCK = 4096;

    final int partitions;
    final long n;
    final int nx;
    final int ny;
    private final boolean dbl;
    private long test; // rows held out of training (holdingOut, holdingOutAtRandom)
    private long[] trainPerPartition; // each partition's training rows when some are held out
    private dev.descent.data.HoldOut chosen; // the held-out rows of holdingOutAtRandom (null: the last rows)
    private long[] chosenBefore; // held-out rows before partition p's first row (holdingOutAtRandom)
    private dev.descent.data.Scaler xs; // the scaling of X and Y once fitted (scaledBy; null: none)
    private dev.descent.data.Scaler ys;
    private String scaling = ""; // what key(p) adds for the scaling: other scalers, other rows

    ClusterData(int partitions, long n, int nx, int ny, boolean dbl) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        this.partitions = partitions;
        this.n = n;
        this.nx = nx;
        this.ny = ny;
        this.dbl = dbl;
    }

    public int partitions() {
        return partitions;
    }

    /** Rows of the data, training and test. */
    public long rows() {
        return n;
    }

    /**
     * This data with its last {@code rows} rows (in the data's order: partition by partition, each in its
     * own order) held out of training, as {@code Dataset.splitTail} holds them out on one machine.
     */
    public final ClusterData holdingOut(long rows) {
        if (rows < 0 || rows >= n) {
            throw new IllegalArgumentException("holding out " + rows + " of " + n + " rows leaves no training rows");
        }
        try {
            ClusterData c = (ClusterData) clone();
            c.test = rows;
            c.chosen = null;
            c.trainPerPartition = new long[partitions];
            long before = 0; // rows of the partitions before p
            for (int p = 0; p < partitions; p++) {
                c.trainPerPartition[p] = Math.max(0, Math.min(rows(p), n - rows - before));
                before += rows(p);
            }
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * This data with {@code rows} seeded random rows held out of training: those {@link dev.descent.data.HoldOut}
     * chooses over the data's order (partition by partition), so the rows {@code Dataset.splitRandom} holds out
     * on one machine for the same seed when that order is the file's. Each partition keeps its training rows
     * first, then its held-out ones, each in the data's order.
     */
    public final ClusterData holdingOutAtRandom(long rows, long seed) {
        ClusterData c = holdingOut(rows);
        c.chosen = new dev.descent.data.HoldOut(n, rows, seed);
        long[] starts = new long[partitions + 1];
        for (int p = 0; p < partitions; p++) {
            starts[p + 1] = starts[p] + rows(p);
        }
        c.chosenBefore = c.chosen.chosenBefore(starts);
        for (int p = 0; p < partitions; p++) {
            c.trainPerPartition[p] = rows(p) - (c.chosenBefore[p + 1] - c.chosenBefore[p]);
        }
        return c;
    }

    /**
     * Partition p's rows as built, checked finite as one machine checks a file: the first NaN or Inf is bad input
     * naming its row (in the data's order: the file's row for files) and column. Generated rows are not checked.
     */
    private Dataset finite(int p, Dataset built) {
        if (fromFiles()) {
            dev.descent.data.DataFiles.requireFinite(built.x(), built.y(), describe(), firstRow(p),
                    "--drop-nonfinite is not supported with --spark");
        }
        return built;
    }

    /** Partition p's first row in the data's order: the rows of the partitions before it. */
    private long firstRow(int p) {
        long first = 0;
        for (int q = 0; q < p; q++) {
            first += rows(q);
        }
        return first;
    }

    /** Partition p built from its RDD element, checked finite and arranged for a random hold-out. */
    private Dataset built(int p, Object element) {
        return arranged(p, finite(p, build(p, element)));
    }

    /** Whether the rows come from files (checked finite when built), not from a generator. */
    boolean fromFiles() {
        return true;
    }

    /** Partition p's rows as built, rearranged for a random hold-out: training rows first, then held-out ones. */
    private Dataset arranged(int p, Dataset built) {
        if (chosen == null) {
            return built;
        }
        long first = firstRow(p);
        java.util.BitSet out = chosen.chosen(first, first + rows(p), chosenBefore[p]);
        int[] order = new int[(int) rows(p)];
        int k = 0;
        for (int i = out.nextClearBit(0); i < order.length; i = out.nextClearBit(i + 1)) {
            order[k++] = i;
        }
        for (int i = out.nextSetBit(0); i >= 0; i = out.nextSetBit(i + 1)) {
            order[k++] = i;
        }
        Dataset d = new Dataset(Nd4j.pullRows(built.x(), 1, order), Nd4j.pullRows(built.y(), 1, order));
        built.x().close();
        built.y().close();
        return d;
    }

    /**
     * This data scaled by scalers fitted on its training rows ({@code SparkTrainer.fitScalers}): each partition's rows, training
     * and held-out, scaled in place where they are kept, as one machine scales its copies.
     */
    public final ClusterData scaledBy(dev.descent.data.Scaler x, dev.descent.data.Scaler y) {
        try {
            ClusterData c = (ClusterData) clone();
            c.xs = x;
            c.ys = y;
            c.scaling = x.isIdentity() && y.isIdentity() ? "" : "|x " + x.kind() + java.util.Arrays.toString(x.offset())
                    + java.util.Arrays.toString(x.scale()) + " y " + y.kind() + java.util.Arrays.toString(y.offset())
                    + java.util.Arrays.toString(y.scale());
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** The scaling of Y (identity when none): residuals times its scales are in the data's units. */
    public dev.descent.data.Scaler yScaler() {
        return ys != null ? ys : new dev.descent.data.Scaler.Fitting("none", ny).result();
    }

    /** This data as a test set: every row held out, none trains ({@code --test-data}). */
    public final ClusterData asTestRows() {
        try {
            ClusterData c = (ClusterData) clone();
            c.test = n;
            c.trainPerPartition = new long[partitions];
            c.chosen = null;
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Rows held out for testing. */
    public long testRows() {
        return test;
    }

    /** Rows that train. */
    public long trainRows() {
        return n - test;
    }

    /** Training rows of partition p: its first ones (then come its held-out rows). */
    public long trainRows(int p) {
        return trainPerPartition == null ? rows(p) : trainPerPartition[p];
    }

    /** Partition p's training rows of {@code whole} (its built rows), a view; null when it has none. */
    final Dataset train(int p, Dataset whole) {
        long t = trainRows(p);
        return t == 0 ? null : t == whole.size() ? whole : whole.rows(0, t);
    }

    /** Partition p's held-out rows of {@code whole}, a view; null when it has none. */
    final Dataset test(int p, Dataset whole) {
        long t = trainRows(p);
        return t == whole.size() ? null : t == 0 ? whole : whole.rows(t, whole.size());
    }

    public int inputs() {
        return nx;
    }

    public int outputs() {
        return ny;
    }

    public DataType dataType() {
        return dbl ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** An empty X, Y of partition p's size, to be filled. */
    final Dataset allocate(int p) {
        long rows = rows(p);
        return new Dataset(Nd4j.createUninitialized(dataType(), rows, nx), Nd4j.createUninitialized(dataType(), rows, ny));
    }

    /** Rows of partition p. */
    public abstract long rows(int p);

    /** What the data is, for run records. */
    public abstract String describe();

    /** What partition p's rows are cached under in a JVM: the same key, the same rows. */
    final String key(int p) {
        return unscaledKey(p) + scaling;
    }

    /** What partition p's unscaled rows are kept under: the source, the partitioning and a random hold-out's rows. */
    String unscaledKey(int p) {
        return describe() + "#" + p + "/" + partitions + (chosen == null ? "" : " holding out " + chosen.chosen() + "@" + chosen.seed());
    }

    /** Builds partition p's rows (X, Y) in memory from its RDD element (what {@link #rdd} holds for p). */
    abstract Dataset build(int p, Object element);

    /**
     * The partitions as an RDD of P elements, kept in executor memory: their indices for sources an
     * executor reads itself, the rows themselves for a Spark DataFrame. Spark recomputes a lost one.
     */
    JavaRDD<Object> rdd(JavaSparkContext sc) {
        List<Object> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ids.add(p);
        }
        return sc.parallelize(ids, partitions).persist(StorageLevel.MEMORY_ONLY());
    }

    /** Partition p, built once per JVM from its element and kept (executors reuse it every round). */
    final Dataset partition(int p, Object element) {
        if (scaling.isEmpty()) {
            return UNSCALED.computeIfAbsent(unscaledKey(p), k -> built(p, element));
        }
        // Scaled where they are: the rows the scalers were fitted on, unless this JVM never built them
        return CACHE.computeIfAbsent(key(p), k -> {
            Dataset d = UNSCALED.remove(unscaledKey(p));
            KERNELS.keySet().removeIf(kernel -> kernel.startsWith(unscaledKey(p) + "/")); // they would see the scaled rows
            if (d == null) {
                d = built(p, element);
            }
            xs.applyInPlace(d.x());
            ys.applyInPlace(d.y());
            return d;
        });
    }

    /** Partition p of a source that executors read themselves (not a DataFrame), built once per JVM. */
    public final Dataset partition(int p) {
        return partition(p, p);
    }

    /**
     * A kernel over {@code d}, partition p's training or test rows ({@code part}), for full-batch passes in blocks
     * of up to {@link #PASS_BLOCK} rows, built once per JVM.
     */
    final dev.descent.engine.GradientKernel kernel(int p, String part, Dataset d) {
        return KERNELS.computeIfAbsent(key(p) + "/" + part + "@" + trainRows(p),
                k -> dev.descent.engine.KernelKind.AUTO.create(d, (int) Math.min(d.size(), PASS_BLOCK)));
    }

    /** Drops this JVM's partitions (tests, or a driver that ran the partitions itself). */
    public static void forget() {
        CACHE.clear();
        UNSCALED.clear();
        KERNELS.clear();
    }

    /** Seeded synthetic data: X ~ N(0, 1), true W, B ~ N(0, 1), Gaussian noise, as {@code descent train --rows}. */
    public static ClusterData synthetic(long n, int nx, int ny, double noise, DataType dtype, long seed, int partitions) {
        return new Synthetic(n, nx, ny, noise, dtype, seed, partitions);
    }

    /** X.npy and Y.npy at paths every executor can read. */
    public static ClusterData npy(Path x, Path y, int partitions) throws IOException {
        return npy(x.toAbsolutePath().toString(), y.toAbsolutePath().toString(), partitions);
    }

    /**
     * As {@link #npy(Path, Path, int)}, the files given as local paths or as URIs of a Hadoop file system
     * ({@code hdfs://…}, {@code s3a://…}), which every executor then reads its row range from.
     */
    public static ClusterData npy(String x, String y, int partitions) throws IOException {
        return npy(x, y, partitions, null, false);
    }

    /**
     * As {@link #npy(String, String, int)}, the rows in {@code dtype} (null: the files'; another is converted as
     * partitions are read); with {@code atMostRows}, no more partitions than rows (a small test set).
     */
    public static ClusterData npy(String x, String y, int partitions, DataType dtype, boolean atMostRows) throws IOException {
        try (NpyRowSource src = openNpy(x, y)) {
            int p = atMostRows && src.rows() > 0 ? (int) Math.min(partitions, src.rows()) : partitions;
            DataType in = dtype != null ? dtype : src.dataType();
            return new Npy(x, y, src.rows(), src.inputs(), src.outputs(), in == DataType.DOUBLE, src.dataType() == DataType.DOUBLE, p);
        }
    }

    /** A local file by its path (a {@code file:} URI too), anything else with a scheme through Hadoop. */
    private static java.nio.channels.SeekableByteChannel channel(String location) throws IOException {
        if (dev.descent.data.DataFiles.remote(location)) {
            return HadoopChannel.open(location);
        }
        Path file = location.regionMatches(true, 0, "file:", 0, 5) ? Path.of(java.net.URI.create(location)) : Path.of(location);
        return java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
    }

    static NpyRowSource openNpy(String x, String y) throws IOException {
        java.nio.channels.SeekableByteChannel xc = channel(x);
        java.nio.channels.SeekableByteChannel yc;
        try {
            yc = channel(y);
        } catch (IOException | RuntimeException e) {
            xc.close();
            throw e;
        }
        return new NpyRowSource(xc, x, yc, y);
    }

    private static final class Synthetic extends ClusterData {
        private static final long serialVersionUID = 1L;
        private final double noise;
        private final long seed;

        Synthetic(long n, int nx, int ny, double noise, DataType dtype, long seed, int partitions) {
            super(partitions, n, nx, ny, dtype == DataType.DOUBLE);
            this.noise = noise;
            this.seed = seed;
            if (generator().blocks() < partitions) {
                throw new IllegalArgumentException(n + " synthetic rows are " + generator().blocks() + " blocks of "
                        + SyntheticData.BLOCK_ROWS + ": fewer than the " + partitions + " partitions");
            }
        }

        @Override
        boolean fromFiles() {
            return false;
        }

        private SyntheticData generator() {
            return new SyntheticData(n, nx, ny, noise, dataType(), seed);
        }

        /** Partition p holds blocks [first(p), first(p+1)). */
        private long first(int p) {
            return generator().blocks() * p / partitions;
        }

        @Override
        public long rows(int p) {
            SyntheticData g = generator();
            long r = 0;
            for (long k = first(p); k < first(p + 1); k++) {
                r += g.blockRows(k);
            }
            return r;
        }

        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "synthetic N=%d nX=%d nY=%d noise=%s %s seed=%d", n, nx, ny, noise,
                    dataType() == DataType.DOUBLE ? "float64" : "float32", seed);
        }

        @Override
        Dataset build(int p, Object element) {
            SyntheticData g = generator();
            Dataset d = allocate(p);
            long r = 0;
            for (long k = first(p); k < first(p + 1); k++) {
                int b = g.blockRows(k);
                g.block(k, d.x().get(NDArrayIndex.interval(r, r + b), NDArrayIndex.all()),
                        d.y().get(NDArrayIndex.interval(r, r + b), NDArrayIndex.all()));
                r += b;
            }
            return d;
        }
    }

    private static final class Npy extends ClusterData {
        private static final long serialVersionUID = 1L;
        private final String x;
        private final String y;
        private final boolean fileDbl; // the files' dtype, converted to dataType() as partitions are read when it differs

        Npy(String x, String y, long n, int nx, int ny, boolean dbl, boolean fileDbl, int partitions) {
            super(partitions, n, nx, ny, dbl);
            if (n < partitions) {
                throw new IllegalArgumentException(n + " rows cannot fill " + partitions + " partitions");
            }
            this.x = x;
            this.y = y;
            this.fileDbl = fileDbl;
        }

        private long first(int p) {
            return rangeStart(n, p, partitions);
        }

        @Override
        public long rows(int p) {
            return first(p + 1) - first(p);
        }

        @Override
        public String describe() {
            return x + " + " + y;
        }

        @Override
        Dataset build(int p, Object element) {
            long rows = rows(p);
            Dataset d = allocate(p);
            DataType file = fileDbl ? DataType.DOUBLE : DataType.FLOAT;
            boolean convert = file != dataType();
            try (NpyRowSource src = openNpy(x, y)) {
                // converted through a block of the files' dtype of up to 16 MB
                int step = convert ? (int) Math.max(1, (16L << 20) / ((long) (nx + ny) * 8)) : 1 << 20;
                for (long r = 0; r < rows; r += step) {
                    int c = (int) Math.min(step, rows - r);
                    INDArray dx = d.x().get(NDArrayIndex.interval(r, r + c), NDArrayIndex.all());
                    INDArray dy = d.y().get(NDArrayIndex.interval(r, r + c), NDArrayIndex.all());
                    if (!convert) {
                        src.read(first(p) + r, c, dx, dy);
                        continue;
                    }
                    INDArray bx = Nd4j.createUninitialized(file, c, nx);
                    INDArray by = Nd4j.createUninitialized(file, c, ny);
                    src.read(first(p) + r, c, bx, by);
                    dx.assign(bx.castTo(dataType()));
                    dy.assign(by.castTo(dataType()));
                    bx.close();
                    by.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(x + ": " + e.getMessage(), e);
            }
            return d;
        }
    }

    /** One partition's rows as plain arrays (row-major X, Y), what a DataFrame's partition is turned into. */
    record Block(double[] x, double[] y, int rows) implements Serializable {
    }

    /**
     * Rows read by Spark's own readers ({@code format} csv, with a header, or parquet; any path Spark reads:
     * {@code file:}, {@code hdfs:}, {@code s3a:}), the given feature columns (all but the targets when empty)
     * and target columns as float64, in P partitions. The rows keep the files' order: each gets an id from its
     * place in the files, the partitions are ranges of ids (Spark's range partitioner, whose sampling is seeded
     * by partition) and each is sorted by it, so the data's order, partition by partition, is the files' order,
     * and the same files and P give the same partitions, on every run and after any rerun.
     */
    public static ClusterData frame(org.apache.spark.sql.SparkSession spark, String path, String format, List<String> features,
            List<String> targets, DataType dtype, int partitions) {
        return frame(spark, path, format, features, targets, dtype, partitions, false);
    }

    /**
     * As {@link #frame(org.apache.spark.sql.SparkSession, String, String, List, List, DataType, int)}; with
     * {@code atMostRows}, no more partitions than rows (a small test set).
     */
    public static ClusterData frame(org.apache.spark.sql.SparkSession spark, String path, String format, List<String> features,
            List<String> targets, DataType dtype, int wanted, boolean atMostRows) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("name the target column(s) of " + path);
        }
        var reader = spark.read().format(format);
        if (format.equals("csv")) {
            reader = reader.option("header", "true").option("inferSchema", "true");
        }
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df;
        try {
            df = reader.load(path);
        } catch (Exception e) { // Scala throws AnalysisException unchecked: a missing path, an unreadable file is bad input
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                throw new IllegalArgumentException(path + ": Spark's " + format + " reader cannot read it: " + e.getMessage(), e);
            }
            String missing = missingFileSystem(e);
            if (missing != null) {
                throw new IllegalArgumentException(path + ": this Spark has no Hadoop file system for it (" + missing
                        + NO_FILE_SYSTEM + ")", e);
            }
            throw e;
        }
        List<String> all = List.of(df.columns());
        List<String> xs = new ArrayList<>(features.isEmpty() ? all.stream().filter(c -> !targets.contains(c)).toList() : features);
        for (String c : concat(xs, targets)) {
            if (!all.contains(c)) {
                throw new IllegalArgumentException(path + ": no column '" + c + "' (columns: " + String.join(", ", all) + ")");
            }
        }
        org.apache.spark.sql.Column[] cols = concat(xs, targets).stream()
                // try_cast: a value that is no number becomes null (reported below with its column) under Spark 3's
                // and Spark 4's (ANSI) rules alike, where cast would fail in Spark 4 with Spark's own multi-line error
                .map(c -> org.apache.spark.sql.functions.expr("try_cast(`" + c.replace("`", "``") + "` AS DOUBLE)"))
                .toArray(org.apache.spark.sql.Column[]::new);
        int nx = xs.size();
        int ny = targets.size();
        // Each row's number in the files: the rows per input partition (one pass), then each partition numbers its own.
        JavaRDD<org.apache.spark.sql.Row> read = df.select(cols).javaRDD();
        List<Long> counts = read.mapPartitions(it -> {
            long k = 0;
            for (; it.hasNext(); it.next()) {
                k++;
            }
            return List.of(k).iterator();
        }).collect();
        long[] offsets = new long[counts.size() + 1];
        for (int q = 0; q < counts.size(); q++) {
            offsets[q + 1] = offsets[q] + counts.get(q);
        }
        long n = offsets[counts.size()];
        int partitions = atMostRows && n > 0 ? (int) Math.min(wanted, n) : wanted;
        if (n < partitions) {
            throw new IllegalArgumentException(path + ": " + n + " rows leave a partition of " + partitions + " empty");
        }
        JavaRDD<Object> blocks = read.mapPartitionsWithIndex((Integer q, java.util.Iterator<org.apache.spark.sql.Row> it) -> {
            List<scala.Tuple2<Long, double[]>> out = new ArrayList<>();
            for (long i = offsets[q]; it.hasNext(); i++) {
                org.apache.spark.sql.Row r = it.next();
                double[] v = new double[nx + ny];
                for (int j = 0; j < v.length; j++) {
                    if (r.isNullAt(j)) {
                        throw new IllegalArgumentException(path + ": row " + (i + 1) + ", column '" + concat(xs, targets).get(j)
                                + "': an empty or non-numeric value");
                    }
                    v[j] = r.getDouble(j);
                }
                out.add(new scala.Tuple2<>(i, v));
            }
            return out.iterator();
        }, true).mapToPair(t -> t).repartitionAndSortWithinPartitions(new RowRanges(n, partitions)).mapPartitions(it -> {
            List<double[]> rows = new ArrayList<>();
            while (it.hasNext()) {
                rows.add(it.next()._2());
            }
            double[] x = new double[rows.size() * nx];
            double[] y = new double[rows.size() * ny];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, x, i * nx, nx);
                System.arraycopy(rows.get(i), nx, y, i * ny, ny);
            }
            return List.<Object>of(new Block(x, y, rows.size())).iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK());
        long[] sizes = new long[partitions];
        try {
            List<Long> built = blocks.map(blk -> (long) ((Block) blk).rows()).collect();
            for (int p = 0; p < partitions; p++) {
                sizes[p] = built.get(p);
            }
        } catch (Exception e) { // a value that is not a number, found by a task (and wrapped by Spark): bad input
            IllegalArgumentException bad = badInput(e);
            if (bad != null) {
                throw bad;
            }
            throw e;
        }
        return new Frame(path, format, blocks, sizes, nx, ny, dtype == DataType.DOUBLE, partitions);
    }

    /** The first of n rows in partition p of P: n·p/P (n·P below 2⁶³). */
    static long rangeStart(long n, int p, int partitions) {
        return n * p / partitions;
    }

    /** Rows numbered 0…n−1 into P ranges [n·p/P, n·(p+1)/P), as .npy files are split: the files' order, partition by partition. */
    static final class RowRanges extends org.apache.spark.Partitioner {
        private static final long serialVersionUID = 1L;
        private final long n;
        private final int partitions;

        RowRanges(long n, int partitions) {
            this.n = n;
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            long row = (Long) key;
            int p = (int) Math.min(partitions - 1, row * partitions / n); // first(p) <= row, at most one short
            return row >= rangeStart(n, p + 1, partitions) ? p + 1 : p;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowRanges r && r.n == n && r.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(n) * 31 + partitions;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static final class Frame extends ClusterData {
        private static final long serialVersionUID = 1L;
        private final String what;
        private final transient JavaRDD<Object> blocks; // the driver's handle; executors get the blocks themselves
        private final int rddId;
        private final long[] sizes;

        Frame(String path, String format, JavaRDD<Object> blocks, long[] sizes, int nx, int ny, boolean dbl, int partitions) {
            super(partitions, java.util.Arrays.stream(sizes).sum(), nx, ny, dbl);
            this.what = format + " " + path;
            this.blocks = blocks;
            this.rddId = blocks.id();
            this.sizes = sizes;
        }

        @Override
        JavaRDD<Object> rdd(JavaSparkContext sc) {
            return blocks;
        }

        /** The blocks' RDD in the key: another read of the same path (other columns, a changed file) is other rows. */
        @Override
        String unscaledKey(int p) {
            return super.unscaledKey(p) + "@rdd" + rddId;
        }

        @Override
        public long rows(int p) {
            return sizes[p];
        }

        @Override
        public String describe() {
            return what;
        }

        @Override
        Dataset build(int p, Object element) {
            Block b = (Block) element;
            var x = Nd4j.createFromArray(b.x()).reshape(b.rows(), nx).castTo(dataType()).dup('c');
            var y = Nd4j.createFromArray(b.y()).reshape(b.rows(), ny).castTo(dataType()).dup('c');
            return new Dataset(x, y);
        }
    }

    /** How Spark's job failure quotes a task's exception when it does not link it as the cause: "…): Class: message". */
    private static final java.util.regex.Pattern TASK_BAD_INPUT = java.util.regex.Pattern.compile(
            "\\): (?:dev\\.descent\\.data\\.DataFormatException|java\\.lang\\.IllegalArgumentException): ([^\\n]*)");

    /**
     * The bad input (an IllegalArgumentException: a value not finite, a value not a number) that a task found and
     * {@code e}, a failed Spark job, reports: its cause, or (Spark quotes the task's exception in its message when it
     * cannot pass it on) a new one with the quoted message; null when the job failed for another reason.
     */
    static IllegalArgumentException badInput(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException bad) {
                return bad;
            }
            java.util.regex.Matcher m = c.getMessage() == null ? null : TASK_BAD_INPUT.matcher(c.getMessage());
            if (m != null && m.find()) {
                return new IllegalArgumentException(m.group(1).strip(), e);
            }
        }
        return null;
    }

    /** What follows the missing class's name when a path's Hadoop file system is not on the classpath. */
    static final String NO_FILE_SYSTEM = " is not on the classpath; for s3a: add hadoop-aws of Spark's Hadoop version and its"
            + " AWS SDK, e.g. spark-submit --packages org.apache.hadoop:hadoop-aws:<version>";

    /**
     * The Hadoop FileSystem class that {@code e} says is missing, or null: Hadoop wraps the
     * ClassNotFoundException ("Class org.apache.hadoop.fs.s3a.S3AFileSystem not found") in a RuntimeException.
     */
    static String missingFileSystem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof ClassNotFoundException && m != null && m.contains("FileSystem")) {
                return m.replace("Class ", "").replace(" not found", "");
            }
        }
        return null;
    }
}
