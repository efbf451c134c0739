package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** descent train --spark on local[2] from the command line: a run, its checkpoint, --resume, and bad options. */
class SparkCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aClusterRunCheckpointsAndResumesToItsOwnBits() throws Exception {
        Path dir = tmp.resolve("run");
        TrainCommandTest.Run r = descent("train", "--spark", "local[2]", "--solver", "gd", "--rows", "150000", "--nx", "5",
                "--dtype", "float64", "--epochs", "6", "--optimizer", "momentum-keras", "--lr", "0.2", "--momentum", "0.5",
                "--checkpoint-every", "2", "--progress", "off", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("spark: local[2]  2 partitions"), r.out());
        assertTrue(r.out().contains("train 120,000 rows, test 30,000 (the last rows)"), r.out()); // --test-fraction 0.2
        java.util.List<String> history = java.nio.file.Files.readAllLines(dir.resolve("history.csv"));
        assertEquals(7, history.size());
        double first = Double.parseDouble(history.get(1).split(",")[2]);
        double last = Double.parseDouble(history.get(6).split(",")[2]); // the test loss after each round
        assertTrue(last < first / 2, "test loss " + first + " after round 1, " + last + " after round 6");
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "final test MSE %.9f over the 30,000 held-out rows", last)),
                r.out());
        var w = Npy.read(dir.resolve("model/W.npy"));
        TrainCommandTest.Run again = descent("train", "--resume", dir.toString(), "--progress", "off");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming " + dir + " after epoch 4 of 6"), again.out());
        assertEquals(w, Npy.read(dir.resolve("model/W.npy")));
    }

    /**
     * A CSV file with columns of other scales, --scale-x standard --scale-y minmax, 25 % held out: the cluster's gd
     * (3 partitions, checkpointed, then resumed) gives one machine's full-batch model and test MSE, in the file's units,
     * over the same seeded random test rows.
     */
    @Test
    void aScaledFileRunIsOneMachinesRunOnTheSameRandomSplit() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int i = 0; i < 4000; i++) {
            double a = 100 + 30 * rng.nextGaussian();
            double b = 0.01 * rng.nextGaussian();
            csv.append(a).append(',').append(b).append(',').append(0.05 * a - 300 * b + 7 + rng.nextGaussian()).append('\n');
        }
        Path file = tmp.resolve("scales.csv");
        java.nio.file.Files.writeString(file, csv);
        String[] common = {"--data", file.toString(), "--target", "y", "--test-fraction", "0.25", "--seed", "11", "--scale-x",
            "standard", "--scale-y", "minmax", "--epochs", "8", "--optimizer", "nesterov-keras", "--lr", "0.3", "--momentum", "0.5",
            "--progress", "off", "--dtype", "float64"};
        Path one = tmp.resolve("one");
        TrainCommandTest.Run alone = descent(concat(new String[] {"train", "--batch-size", "0", "--no-shuffle", "--no-exact", "--no-plots",
            "--out", one.toString()}, common));
        assertEquals(0, alone.code(), alone.err());
        Path dir = tmp.resolve("cluster");
        TrainCommandTest.Run r = descent(concat(new String[] {"train", "--spark", "local[2]", "--solver", "gd", "--partitions", "3",
            "--checkpoint-every", "4", "--out", dir.toString()}, common));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train 3,000 rows, test 1,000 (seeded random rows)"), r.out());
        assertTrue(r.out().contains("scaling x: standard (fitted on the training rows), y: minmax (fitted on the training rows)"), r.out());
        var s1 = dev.descent.report.RunFiles.json().readTree(one.resolve("summary.json").toFile());
        var s2 = dev.descent.report.RunFiles.json().readTree(dir.resolve("summary.json").toFile());
        double expected = s1.get("results").get("test_mse").asDouble();
        assertEquals(expected, s2.get("results").get("test_mse").asDouble(), 1e-12 * expected);
        assertTrue(expected < 1.5, "a fit in the file's units (noise variance 1): test MSE " + expected);
        for (String f : new String[] {"model/W.npy", "model/B.npy"}) {
            var a = Npy.read(one.resolve(f));
            var b = Npy.read(dir.resolve(f));
            double rel = a.sub(b).norm2Number().doubleValue() / a.norm2Number().doubleValue();
            assertTrue(rel <= 1e-12, f + ": relative difference " + rel);
        }
        var w = Npy.read(dir.resolve("model/W.npy"));
        TrainCommandTest.Run again = descent("train", "--resume", dir.toString(), "--progress", "off");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming " + dir + " after epoch 4 of 8"), again.out());
        assertEquals(w, Npy.read(dir.resolve("model/W.npy")), "resumed in scaled units, written in the file's");
    }

    /**
     * --test-data with an .npy pair (X.npy, Y.npy trains; Xt.npy, Yt.npy tests) and --scale-y standard: every training
     * row trains, the test MSE is over the test files, and model and test MSE equal one machine's within 1e-12.
     */
    @Test
    void aTestSetOfItsOwnIsScoredAsOnOneMachine() throws Exception {
        for (String[] f : new String[][] {{"X", "Y", "1"}, {"Xt", "Yt", "2"}}) {
            TrainCommandTest.Run g = descent("generate", "--kind", "synthetic", "--n-samples", f[0].equals("X") ? "3000" : "700",
                    "--n-features", "4", "--noise", "0.3", "--seed", f[2], "--out", tmp.resolve(f[0] + ".npy").toString(), "--out-y",
                    tmp.resolve(f[1] + ".npy").toString());
            assertEquals(0, g.code(), g.err());
        }
        String[] common = {"--data", tmp.resolve("X.npy").toString(), "--data-y", tmp.resolve("Y.npy").toString(), "--test-data",
            tmp.resolve("Xt.npy").toString(), "--test-data-y", tmp.resolve("Yt.npy").toString(), "--scale-y", "standard", "--dtype",
            "float64", "--epochs", "5", "--lr", "0.3", "--progress", "off"};
        Path one = tmp.resolve("one");
        TrainCommandTest.Run alone = descent(concat(new String[] {"train", "--batch-size", "0", "--no-shuffle", "--no-exact", "--no-plots",
            "--out", one.toString()}, common));
        assertEquals(0, alone.code(), alone.err());
        Path dir = tmp.resolve("cluster");
        TrainCommandTest.Run r = descent(concat(new String[] {"train", "--spark", "local[2]", "--solver", "gd", "--out", dir.toString()},
            common));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train 3,000 rows, test 700 (" + tmp.resolve("Xt.npy") + " + " + tmp.resolve("Yt.npy") + ")"), r.out());
        assertTrue(r.out().contains("over the 700 test rows"), r.out());
        var s1 = dev.descent.report.RunFiles.json().readTree(one.resolve("summary.json").toFile());
        var s2 = dev.descent.report.RunFiles.json().readTree(dir.resolve("summary.json").toFile());
        double expected = s1.get("results").get("test_mse").asDouble();
        assertEquals(expected, s2.get("results").get("test_mse").asDouble(), 1e-12 * expected);
        var a = Npy.read(one.resolve("model/W.npy"));
        double rel = a.sub(Npy.read(dir.resolve("model/W.npy"))).norm2Number().doubleValue() / a.norm2Number().doubleValue();
        assertTrue(rel <= 1e-12, "W: relative difference " + rel);
        TrainCommandTest.Run bad = descent("train", "--spark", "local[2]", "--solver", "gd", "--data", tmp.resolve("X.npy").toString(),
                "--data-y", tmp.resolve("Y.npy").toString(), "--test-data", tmp.resolve("t.csv").toString(), "--out", tmp.resolve("b").toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code(), bad.err());
        assertTrue(bad.err().contains("--test-data is a .npy file of --data's columns; got " + tmp.resolve("t.csv")), bad.err());
    }

    /** --init normal: the cluster's gd starts where one machine's does and ends where it ends. */
    @Test
    void aSeededStartIsOneMachinesStart() throws Exception {
        String[] common = {"--rows", "70000", "--nx", "3", "--dtype", "float64", "--epochs", "4", "--init", "normal", "--lr", "0.2",
            "--progress", "off"};
        Path one = tmp.resolve("init-one");
        TrainCommandTest.Run alone = descent(concat(new String[] {"train", "--batch-size", "0", "--no-shuffle", "--no-exact", "--no-plots",
            "--out", one.toString()}, common));
        assertEquals(0, alone.code(), alone.err());
        Path dir = tmp.resolve("init-cluster");
        TrainCommandTest.Run r = descent(concat(new String[] {"train", "--spark", "local[2]", "--solver", "gd", "--out", dir.toString()},
            common));
        assertEquals(0, r.code(), r.err());
        var a = Npy.read(one.resolve("model/W.npy"));
        double rel = a.sub(Npy.read(dir.resolve("model/W.npy"))).norm2Number().doubleValue() / a.norm2Number().doubleValue();
        assertTrue(rel <= 1e-12, "W: relative difference " + rel);
        common[9] = "zeros";
        Path z = tmp.resolve("init-zeros");
        TrainCommandTest.Run fromZeros = descent(concat(new String[] {"train", "--spark", "local[2]", "--solver", "gd", "--out", z.toString()},
            common));
        assertEquals(0, fromZeros.code(), fromZeros.err());
        double apart = a.sub(Npy.read(z.resolve("model/W.npy"))).norm2Number().doubleValue() / a.norm2Number().doubleValue();
        assertTrue(apart > 1e-3, "four rounds from zeros end elsewhere: relative difference " + apart);
    }

    /** A NaN in an .npy file stops the run in one line naming the file, row and column, as on one machine. */
    @Test
    void aValueThatIsNotFiniteIsBadInput() throws Exception {
        double[][] x = new double[40][2];
        double[][] y = new double[40][1];
        for (int i = 0; i < 40; i++) {
            x[i][0] = i;
            x[i][1] = 1;
            y[i][0] = 2 * i;
        }
        x[29][1] = Double.NaN;
        Npy.write(tmp.resolve("nx.npy"), org.nd4j.linalg.factory.Nd4j.createFromArray(x));
        Npy.write(tmp.resolve("ny.npy"), org.nd4j.linalg.factory.Nd4j.createFromArray(y));
        Path out = tmp.resolve("nan");
        TrainCommandTest.Run r = descent("train", "--spark", "local[2]", "--solver", "gd", "--data", tmp.resolve("nx.npy").toString(),
                "--data-y", tmp.resolve("ny.npy").toString(), "--partitions", "3", "--progress", "off", "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals("train: " + tmp.resolve("nx.npy") + " + " + tmp.resolve("ny.npy") + ": row 29, X column 1 is NaN (not finite;"
                + " --drop-nonfinite is not supported with --spark)", r.err().strip());
        assertTrue(!java.nio.file.Files.exists(out), "no run directory is left");
        // through Spark's CSV reader: rows counted in the file's order (row 0 is the line after the header)
        StringBuilder csv = new StringBuilder("u,y\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i == 17 ? "Infinity" : String.valueOf(i)).append(',').append(2 * i).append('\n');
        }
        Path file = tmp.resolve("inf.csv");
        java.nio.file.Files.writeString(file, csv);
        TrainCommandTest.Run c = descent("train", "--spark", "local[2]", "--solver", "exact", "--data", file.toString(), "--target", "y",
                "--partitions", "3", "--progress", "off", "--out", tmp.resolve("inf").toString());
        assertEquals(ExitCodes.BAD_INPUT, c.code(), c.err());
        assertEquals("train: csv " + file + ": row 17, X column 0 is Infinity (not finite; --drop-nonfinite is not supported with --spark)",
                c.err().strip());
    }

    /**
     * An s3a:// path goes to Spark as written; without hadoop-aws on the classpath (the plain -Pspark build) Spark says
     * so, in one line. With it (-Ps3) SparkS3aTest reads s3a: instead.
     */
    @Test
    void anS3aPathWithoutHadoopAwsSaysWhatToAdd() throws Exception {
        boolean aws;
        try {
            Class.forName("org.apache.hadoop.fs.s3a.S3AFileSystem");
            aws = true;
        } catch (ClassNotFoundException e) {
            aws = false;
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(aws, "hadoop-aws is on the classpath");
        TrainCommandTest.Run s3 = descent("train", "--spark", "local[2]", "--solver", "exact", "--data",
                "s3a://descent-no-such-bucket/rows.csv", "--target", "y", "--out", tmp.resolve("f").toString());
        assertEquals(ExitCodes.BAD_INPUT, s3.code(), s3.err());
        assertTrue(s3.err().startsWith("train: s3a://descent-no-such-bucket/rows.csv: this Spark has no Hadoop file system for it"
                + " (org.apache.hadoop.fs.s3a.S3AFileSystem is not on the classpath; for s3a: add hadoop-aws"), s3.err());
        assertEquals(1, s3.err().strip().lines().count(), s3.err());
        // an .npy on an s3a:// path: descent's reader opens it through Hadoop, and says in one line that it cannot
        TrainCommandTest.Run npy = descent("train", "--spark", "local[2]", "--solver", "gd", "--data", "s3a://descent-no-such-bucket/x.npy",
                "--data-y", "s3a://descent-no-such-bucket/y.npy", "--out", tmp.resolve("g").toString());
        assertTrue(npy.code() != 0, npy.err());
        assertTrue(npy.err().startsWith("train: s3a://descent-no-such-bucket/x.npy: cannot open it on its Hadoop file system ("), npy.err());
        assertEquals(1, npy.err().strip().lines().count(), npy.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        TrainCommandTest.Run r = descent("train", "--spark", "local[2]", "--solver", "sgd", "--out", tmp.resolve("b").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--solver with --spark must be gd, local-sgd or exact, got 'sgd'"), r.err());
        TrainCommandTest.Run f = descent("train", "--spark", "local[2]", "--solver", "gd", "--test-fraction", "1", "--out",
                tmp.resolve("f").toString());
        assertEquals(ExitCodes.BAD_INPUT, f.code());
        assertTrue(f.err().contains("--test-fraction must be in [0, 1), got 1.0"), f.err());
        TrainCommandTest.Run s = descent("train", "--spark", "local[2]", "--solver", "gd", "--scale-x", "unit", "--out",
                tmp.resolve("c").toString());
        assertEquals(ExitCodes.BAD_INPUT, s.code());
        assertTrue(s.err().contains("--scale-x/--scale-y must be none, minmax or standard, got 'unit'"), s.err());
        TrainCommandTest.Run dn = descent("train", "--spark", "local[2]", "--solver", "gd", "--drop-nonfinite", "--out",
                tmp.resolve("c").toString());
        assertEquals(ExitCodes.BAD_INPUT, dn.code());
        assertTrue(dn.err().contains("--drop-nonfinite is not supported with --spark yet"), dn.err());
        TrainCommandTest.Run u = descent("train", "--spark", "submit", "--solver", "gd", "--out", tmp.resolve("u").toString());
        assertEquals(ExitCodes.BAD_INPUT, u.code());
        assertTrue(u.err().contains("--spark submit takes the master from spark-submit, and none is set"), u.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("u")), "no run directory is left");
        Path missing = tmp.resolve("missing.csv");
        TrainCommandTest.Run m = descent("train", "--spark", "local[2]", "--solver", "exact", "--data", missing.toString(), "--target",
                "y", "--out", tmp.resolve("d").toString());
        assertEquals(ExitCodes.BAD_INPUT, m.code(), m.err());
        assertTrue(m.err().startsWith("train: " + missing + ": Spark's csv reader cannot read it: [PATH_NOT_FOUND]"), m.err());
        assertEquals(1, m.err().strip().lines().count(), m.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("d")), "no run directory is left");
        java.nio.file.Files.writeString(tmp.resolve("text.csv"), "u,y\n1,2\nthree,4\n5,6\n");
        TrainCommandTest.Run t = descent("train", "--spark", "local[2]", "--solver", "exact", "--data", tmp.resolve("text.csv").toString(),
                "--target", "y", "--partitions", "1", "--out", tmp.resolve("e").toString());
        assertEquals(ExitCodes.BAD_INPUT, t.code(), t.err());
        assertTrue(t.err().contains("text.csv: row 2, column 'u': an empty or non-numeric value"), t.err());
    }

    @Test
    void aCsvFileThroughSparksReader() throws Exception {
        StringBuilder csv = new StringBuilder("u,v,target\n");
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 2000; i++) {
            double u = r.nextGaussian();
            double v = r.nextGaussian();
            csv.append(u).append(',').append(v).append(',').append(2 * u - v + 0.5).append('\n');
        }
        Path file = tmp.resolve("d.csv");
        java.nio.file.Files.writeString(file, csv);
        TrainCommandTest.Run run = descent("train", "--spark", "local[2]", "--solver", "exact", "--data", file.toString(), "--target",
                "target", "--dtype", "float64", "--partitions", "3", "--out", tmp.resolve("csv").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("data: csv " + file), run.out());
        var w = Npy.read(tmp.resolve("csv/model/W.npy"));
        var b = Npy.read(tmp.resolve("csv/model/B.npy"));
        assertEquals(2.0, w.getDouble(0, 0), 1e-12);
        assertEquals(-1.0, w.getDouble(1, 0), 1e-12);
        assertEquals(0.5, b.getDouble(0), 1e-12);
    }
}
