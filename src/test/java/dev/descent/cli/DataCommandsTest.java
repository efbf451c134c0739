package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.CsvLoader;
import dev.descent.data.Npy;
import dev.descent.data.Npz;
import dev.descent.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DataCommandsTest extends SeededTest {
    @TempDir
    Path tmp;

    private static void ok(TrainCommandTest.Run r) {
        assertEquals(0, r.code(), r.out() + r.err());
    }

    private static void bad(TrainCommandTest.Run r, String part) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(part), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void generateMakeRegressionEqualsScikitLearnsFile() throws Exception {
        // Case "b" of src/test/resources/numpy/make_reference.py.
        ok(descent("generate", "--kind", "make-regression", "--n-samples", "17", "--n-features", "4", "--n-informative", "4",
                "--n-targets", "3", "--bias", "2.5", "--noise", "0.7", "--random-state", "42", "--out", tmp.resolve("b.npz").toString()));
        Map<String, INDArray> mine = Npz.read(tmp.resolve("b.npz"), "X", "coef");
        Map<String, INDArray> ref = Npz.read(Path.of("src/test/resources/numpy/make_regression_b.npz"), "X", "coef");
        assertEquals(ref.get("X"), mine.get("X"));
        assertEquals(ref.get("coef"), mine.get("coef"));
    }

    @Test
    void csvTrainSavePredictEvaluateRoundTrip() throws Exception {
        Path csv = tmp.resolve("jobs.csv");
        ok(descent("generate", "--kind", "job-duration", "--n-samples", "120", "--random-state", "3", "--out", csv.toString()));
        Path run = tmp.resolve("run");
        TrainCommandTest.Run trained = descent("train", "--data", csv.toString(), "--target", "duration", "--scale-x", "minmax",
                "--scale-y", "minmax", "--batch-size", "0", "--lr", "0.5", "--epochs", "3000", "--tol", "1e-12", "--progress", "off",
                "--out", run.toString());
        ok(trained);
        // Units are said wherever they differ: epoch losses and history in scaled units, the final MSE in original ones.
        assertTrue(trained.out().contains("epoch losses, history.csv and loss.png are in scaled units; the final MSE is in original"
                + " units"), trained.out());
        assertTrue(trained.out().contains("(original units)"), trained.out());
        ModelStore.Saved m = ModelStore.load(run.resolve("model"));
        assertEquals(List.of("n"), List.of(m.meta().path("features").path(0).asText()));
        // The generator's law is duration ≈ 2 + 4.2e-4·n seconds: the fit in original units is near it.
        assertEquals(4.2e-4, m.model().weights().getDouble(0, 0), 0.3e-4);

        Path pred = tmp.resolve("pred.csv");
        ok(descent("predict", "--model", run.resolve("model").toString(), "--data", csv.toString(), "--output", pred.toString()));
        var x = CsvLoader.load(csv, new CsvLoader.Options(',', true, List.of(), List.of("n"), DataType.FLOAT, false)).x();
        float[] expected = m.model().predict(x).reshape(x.rows()).toFloatVector();
        var p = CsvLoader.load(pred, new CsvLoader.Options(',', true, List.of(), List.of("duration"), DataType.FLOAT, false)).x();
        assertArrayEquals(expected, p.reshape(x.rows()).toFloatVector(), 0f); // float32 values written exactly, shortest form

        TrainCommandTest.Run ev = descent("evaluate", "--model", run.resolve("model").toString(), "--data", csv.toString());
        ok(ev);
        assertTrue(ev.out().matches("(?s)rows 120  MSE [0-9.e+-]+  RMSE [0-9.e+-]+  MAE [0-9.e+-]+  R² 0\\.9[0-9]+\\s*"), ev.out());

        Path npy = tmp.resolve("pred.npy");
        ok(descent("predict", "--model", run.resolve("model").toString(), "--data", csv.toString(), "--output", npy.toString()));
        assertArrayEquals(expected, Npy.read(npy).reshape(x.rows()).toFloatVector(), 0f);
    }

    @Test
    void npzAndNpyPairsTrainAndExplicitTestFile() throws Exception {
        ok(descent("generate", "--kind", "synthetic", "--n-samples", "400", "--n-features", "3", "--noise", "0.1",
                "--out", tmp.resolve("d.npz").toString()));
        ok(descent("generate", "--kind", "synthetic", "--n-samples", "100", "--n-features", "3", "--noise", "0.1",
                "--out", tmp.resolve("X.npy").toString(), "--out-y", tmp.resolve("y.npy").toString()));
        TrainCommandTest.Run a = descent("train", "--data", tmp.resolve("d.npz").toString(), "--epochs", "20", "--lr", "0.05",
                "--progress", "off", "--out", tmp.resolve("a").toString());
        ok(a);
        assertTrue(a.out().contains("train 320 rows, test 80"), a.out());
        TrainCommandTest.Run b = descent("train", "--data", tmp.resolve("d.npz").toString(), "--test-data",
                tmp.resolve("X.npy").toString(), "--test-data-y", tmp.resolve("y.npy").toString(), "--epochs", "5",
                "--progress", "off", "--out", tmp.resolve("b").toString());
        ok(b);
        assertTrue(b.out().contains("train 400 rows, test 100"), b.out());
    }

    /**
     * An .npy pair trained with an .npy pair as the test set: the test rows' targets are --test-data-y's. The test MSE is
     * the saved model's MSE on (Xt, Yt), not on Xt against the training targets (which --test-data once paired it with).
     */
    @Test
    void anNpyTestSetHasItsOwnTargets() throws Exception {
        ok(descent("generate", "--kind", "synthetic", "--n-samples", "200", "--n-features", "3", "--noise", "0.1", "--seed", "1",
                "--out", tmp.resolve("X.npy").toString(), "--out-y", tmp.resolve("Y.npy").toString()));
        ok(descent("generate", "--kind", "synthetic", "--n-samples", "200", "--n-features", "3", "--noise", "0.1", "--seed", "2",
                "--out", tmp.resolve("Xt.npy").toString(), "--out-y", tmp.resolve("Yt.npy").toString()));
        String[] pair = {"train", "--data", tmp.resolve("X.npy").toString(), "--data-y", tmp.resolve("Y.npy").toString(), "--test-data",
            tmp.resolve("Xt.npy").toString(), "--dtype", "float64", "--epochs", "3", "--progress", "off", "--no-plots"};
        bad(descent(cat(pair, "--out", tmp.resolve("r1").toString())), "--test-data " + tmp.resolve("Xt.npy")
                + " is an inputs .npy: name its targets with --test-data-y FILE.npy");
        bad(descent(cat(pair, "--test-data-y", tmp.resolve("Y.npy").toString(), "--out", tmp.resolve("r2").toString())),
                "--test-data-y " + tmp.resolve("Y.npy") + " is --data-y, the training targets");
        bad(descent("train", "--rows", "100", "--test-data-y", tmp.resolve("Yt.npy").toString(), "--out", tmp.resolve("r3").toString()),
                "--test-data-y names the targets .npy of an inputs .npy given as --test-data");
        Path run = tmp.resolve("r");
        ok(descent(cat(pair, "--test-data-y", tmp.resolve("Yt.npy").toString(), "--out", run.toString())));
        var s = dev.descent.report.RunFiles.json().readTree(run.resolve("summary.json").toFile());
        var model = dev.descent.model.ModelStore.load(run.resolve("model")).model();
        var xt = Npy.read(tmp.resolve("Xt.npy")).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var yt = Npy.read(tmp.resolve("Yt.npy")).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(200, 1);
        double expected = model.mse(xt, yt);
        assertEquals(expected, s.get("results").get("test_mse").asDouble(), 1e-12 * expected);
    }

    private static String[] cat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Four rows, one held out: the default batch is the three training rows; an explicit larger one is refused. */
    @Test
    void theDefaultBatchFitsATinyFile() throws Exception {
        Path csv = Files.writeString(tmp.resolve("tiny.csv"), "u,t\n1,2\n2,4\n3,6\n4,8\n");
        TrainCommandTest.Run r = descent("train", "--data", csv.toString(), "--target", "t", "--epochs", "2", "--progress", "off",
                "--no-plots", "--out", tmp.resolve("tiny").toString());
        ok(r);
        assertTrue(r.out().contains("batch=3  epochs=2"), r.out());
        TrainCommandTest.Run e = descent("train", "--data", csv.toString(), "--target", "t", "--solver", "exact", "--no-plots", "--out",
                tmp.resolve("tiny-exact").toString());
        ok(e);
        assertTrue(e.out().contains("W = [[2.0"), e.out());
        bad(descent("train", "--data", csv.toString(), "--target", "t", "--batch-size", "4", "--out", tmp.resolve("b4").toString()),
                "--batch-size 4 exceeds the 3 training rows");
    }

    @Test
    void badDataThroughTheCommandLine() throws Exception {
        Path csv = Files.writeString(tmp.resolve("d.csv"), "x,y\n1,2\n3,oops\n");
        bad(descent("train", "--data", csv.toString(), "--target", "y", "--out", tmp.resolve("r").toString()),
                "d.csv:3, column 2 ('y'): 'oops' is not a number");
        Path good = Files.writeString(tmp.resolve("g.csv"), "x,y\n1,2\n3,4\n5,6\n7,8\n9,10\n");
        bad(descent("train", "--data", good.toString(), "--target", "z", "--out", tmp.resolve("r").toString()),
                "no column 'z' (columns: x, y)");
        bad(descent("train", "--data", tmp.resolve("none.csv").toString(), "--target", "y"), "none.csv: no such file");
        bad(descent("train", "--data", good.toString(), "--out", tmp.resolve("r").toString()), "no target columns were given");
        ok(descent("generate", "--kind", "synthetic", "--n-samples", "10", "--n-features", "2",
                "--out", tmp.resolve("X10.npy").toString(), "--out-y", tmp.resolve("y10.npy").toString()));
        ok(descent("generate", "--kind", "synthetic", "--n-samples", "12", "--n-features", "2",
                "--out", tmp.resolve("X12.npy").toString(), "--out-y", tmp.resolve("y12.npy").toString()));
        bad(descent("train", "--data", tmp.resolve("X10.npy").toString(), "--data-y", tmp.resolve("y12.npy").toString(),
                "--out", tmp.resolve("r").toString()), "X has 10 rows but y has 12");
        bad(descent("train", "--data", good.toString(), "--target", "y", "--scale-x", "log"), "--scale-x/--scale-y must be none, minmax or standard");
    }

    @Test
    void modelsThatDoNotFitOrWereTamperedWithAreRefused() throws Exception {
        Path good = Files.writeString(tmp.resolve("g.csv"), "a,b,y\n1,2,2\n3,4,4\n5,6,7\n7,8,8\n9,1,10\n");
        Path run = tmp.resolve("run");
        ok(descent("train", "--data", good.toString(), "--target", "y", "--test-fraction", "0", "--epochs", "2", "--batch-size", "2",
                "--progress", "off", "--out", run.toString()));
        Path other = Files.writeString(tmp.resolve("o.csv"), "a,y\n1,2\n");
        bad(descent("evaluate", "--model", run.resolve("model").toString(), "--data", other.toString()), "no column 'b' (columns: a, y)");
        Path wide = Files.writeString(tmp.resolve("w.npz"), "");
        Npz.write(wide, Map.of("X", org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, 3, 5), "y", org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, 3, 1)));
        bad(descent("evaluate", "--model", run.resolve("model").toString(), "--data", wide.toString()), "5 feature columns but the model takes 2");
        Npy.write(run.resolve("model").resolve("W.npy"), org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 2, 1));
        bad(descent("predict", "--model", run.resolve("model").toString(), "--data", good.toString(), "--output",
                tmp.resolve("p.csv").toString()), "checksum does not match");
        bad(descent("predict", "--model", tmp.toString(), "--data", good.toString(), "--output", tmp.resolve("p.csv").toString()),
                "not a descent model directory");
    }
}
