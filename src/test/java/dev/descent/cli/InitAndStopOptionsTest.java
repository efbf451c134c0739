package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.SeededTest;
import dev.descent.data.Npy;
import dev.descent.report.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** Seed articles' starting points (--init-w/--init-b, --init FILE) and stop rules (--tol-every/--tol-on/--tol-loss). */
class InitAndStopOptionsTest extends SeededTest {
    @TempDir
    Path tmp;

    private Path data() throws Exception {
        StringBuilder b = new StringBuilder("x,y\n");
        for (int i = 1; i <= 40; i++) {
            double x = i / 8.0;
            b.append(x).append(',').append(3 - 0.5 * x + 0.01 * Math.sin(i)).append('\n');
        }
        return Files.writeString(tmp.resolve("d.csv"), b);
    }

    /** Full-batch GD from (w, b) = (−10, 9), as seed 003 starts: the engine equals the loop written out. */
    @Test
    void initValuesStartWhereTheArticleStarts() throws Exception {
        Path csv = data();
        double lr = 0.05;
        int epochs = 7;
        double w = -10;
        double b = 9;
        for (int e = 0; e < epochs; e++) { // the hand loop: gW = (2/N)·Σ r·x, gB = (2/N)·Σ r
            double gw = 0;
            double gb = 0;
            for (int i = 1; i <= 40; i++) {
                double x = i / 8.0;
                double r = w * x + b - (3 - 0.5 * x + 0.01 * Math.sin(i));
                gw += r * x;
                gb += r;
            }
            w -= lr * 2 * gw / 40;
            b -= lr * 2 * gb / 40;
        }
        Path run = tmp.resolve("run");
        TrainCommandTest.Run r = descent("train", "--data", csv.toString(), "-t", "y", "--dtype", "float64", "--test-fraction", "0",
                "--batch-size", "0", "--no-shuffle", "--epochs", String.valueOf(epochs), "--lr", String.valueOf(lr), "--init-w", "-10",
                "--init-b", "9", "--no-plots", "--progress", "off", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode s = RunFiles.json().readTree(run.resolve("summary.json").toFile());
        assertEquals(w, s.at("/results/W/0/0").asDouble(), 1e-12 * Math.abs(w));
        assertEquals(b, s.at("/results/B/0").asDouble(), 1e-12 * Math.abs(b));
        // A small model's parameters are in history.csv after every epoch (seed 003 plots them): the last row holds W, B.
        java.util.List<String> history = Files.readAllLines(run.resolve("history.csv"));
        assertEquals("epoch,train_loss,test_loss,lr,seconds,samples_per_s,w0_0,b0", history.get(0));
        String[] last = history.get(history.size() - 1).split(",");
        assertEquals(w, Double.parseDouble(last[6]), 1e-12 * Math.abs(w));
        assertEquals(b, Double.parseDouble(last[7]), 1e-12 * Math.abs(b));
        // The same start from a θ file and from the saved model continue alike.
        Path theta = tmp.resolve("theta.npy");
        Npy.write(theta, Nd4j.createFromArray(new double[][] {{-10}, {9}}));
        Path run2 = tmp.resolve("run2");
        assertEquals(0, descent("train", "--data", csv.toString(), "-t", "y", "--dtype", "float64", "--test-fraction", "0",
                "--batch-size", "0", "--no-shuffle", "--epochs", String.valueOf(epochs), "--lr", String.valueOf(lr), "--init",
                theta.toString(), "--no-plots", "--progress", "off", "--out", run2.toString()).code());
        assertEquals(Npy.read(run.resolve("model/W.npy")), Npy.read(run2.resolve("model/W.npy")));
        Path run3 = tmp.resolve("run3");
        assertEquals(0, descent("train", "--data", csv.toString(), "-t", "y", "--dtype", "float64", "--test-fraction", "0",
                "--batch-size", "0", "--no-shuffle", "--epochs", "1", "--lr", String.valueOf(lr), "--init", run.toString(),
                "--no-plots", "--progress", "off", "--out", run3.toString()).code());
        TrainCommandTest.Run bad = descent("train", "--data", csv.toString(), "-t", "y", "--init-w", "1,2", "--out",
                tmp.resolve("bad").toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("--init-w takes nX·nY = 1 values, got 2"), bad.err());
        // sweep and compare start from the same values (they took only the keywords before).
        for (String command : new String[] {"sweep", "compare"}) {
            TrainCommandTest.Run other = descent(command, "--data", csv.toString(), "-t", "y", "--init-w", "1,2", "--out",
                    tmp.resolve(command).toString());
            assertEquals(ExitCodes.BAD_INPUT, other.code(), command);
            assertTrue(other.err().contains("--init-w takes nX·nY = 1 values, got 2"), command + ": " + other.err());
        }
        TrainCommandTest.Run swept = descent("sweep", "--data", csv.toString(), "-t", "y", "--test-fraction", "0", "--batch-size",
                "0", "--no-shuffle", "--epochs", "1", "--lr", "0.05:0.05:1", "--momentum", "0:0:1", "-o", "sgd", "--dtype", "float64",
                "--init-w", "-10", "--init-b", "9", "--out", tmp.resolve("swept").toString());
        assertEquals(0, swept.code(), swept.err());
        double w1 = -10;
        double b1 = 9;
        double gw = 0;
        double gb = 0;
        for (int i = 1; i <= 40; i++) { // one full-batch step from (−10, 9) at lr 0.05, then the MSE
            double x = i / 8.0;
            double res = w1 * x + b1 - (3 - 0.5 * x + 0.01 * Math.sin(i));
            gw += res * x;
            gb += res;
        }
        w1 -= 0.05 * 2 * gw / 40;
        b1 -= 0.05 * 2 * gb / 40;
        double mse = 0;
        for (int i = 1; i <= 40; i++) {
            double x = i / 8.0;
            double res = w1 * x + b1 - (3 - 0.5 * x + 0.01 * Math.sin(i));
            mse += res * res / 40;
        }
        String cell = Files.readAllLines(tmp.resolve("swept/sweep.csv")).get(1);
        assertEquals(mse, Double.parseDouble(cell.split(",")[2]), 1e-12 * mse, cell);
    }

    @Test
    void stopRulesAreChosenAndSaidInWords() throws Exception {
        Path csv = data();
        TrainCommandTest.Run r = descent("train", "--data", csv.toString(), "-t", "y", "--test-fraction", "0", "--batch-size", "1",
                "--no-shuffle", "--epochs", "1000", "--lr", "0.01", "--tol", "1e-6", "--tol-every", "step", "--tol-loss", "sum",
                "--dtype", "float64", "--no-plots", "--progress", "off", "--out", tmp.resolve("s").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tol=1.0E-6 on |Δ training-set sum of squares| between steps"), r.out());
        assertTrue(r.out().contains("converged: |Δ training-set sum of squares| between steps = "), r.out());
        TrainCommandTest.Run bad = descent("train", "--data", csv.toString(), "-t", "y", "--tol-loss", "sum", "--out",
                tmp.resolve("b").toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("--tol-loss sum goes with --tol-every step"), bad.err());
    }

    /** Several learning rates' trajectories on one surface over a chosen range (seed 003's figure). */
    @Test
    void surfaceDrawsSeveralTrajectoriesOverAChosenRange() throws Exception {
        Path csv = data();
        Path out = tmp.resolve("surf");
        TrainCommandTest.Run r = descent("surface", "--data", csv.toString(), "-t", "y", "--test-fraction", "0", "--lr", "0.05,0.3",
                "--init-w", "-10", "--init-b", "9", "--epochs", "5", "--w-range", "-100:200", "--b-range", "-10:10", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("lr 0.05: 5 epochs") && r.out().contains("lr 0.3: 5 epochs"), r.out());
        assertEquals(900, javax.imageio.ImageIO.read(out.resolve("surface.png").toFile()).getWidth());
        assertTrue(Files.size(out.resolve("surface.svg")) > 0);
        TrainCommandTest.Run bad = descent("surface", "--rows", "100", "--nx", "2", "--lr", "0.1", "--out", tmp.resolve("b").toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("surface draws one feature and one output"), bad.err());
        TrainCommandTest.Run range = descent("surface", "--rows", "100", "--nx", "1", "--lr", "0.1", "--w-range", "5:1", "--out",
                tmp.resolve("c").toString());
        assertTrue(range.err().contains("--w-range must be FROM:TO with FROM < TO, got '5:1'"), range.err());
    }
}
