package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.SeededTest;
import dev.descent.report.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest extends SeededTest {
    @TempDir
    Path tmp;

    @Test
    void sweepWritesGridHeatMapAndOptimum() throws Exception {
        TrainCommandTest.Run r = descent("sweep", "--rows", "125", "--test-fraction", "0.2", "--nx", "3", "--batch-size", "10",
                "--epochs", "5", "--lr", "0.1:6:8", "--momentum", "0:0.9:4", "--dtype", "float64", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("8 learning rates × 4 momenta = 32 models"), r.out());
        assertTrue(r.out().matches("(?s).*optimum: lr=[0-9.]+  momentum=[0-9.]+  loss=[0-9.e-]+.*"), r.out());
        assertTrue(r.out().contains("stability limit (full batch, momentum 0, analytic; 2/λmax for GD)"), r.out());
        assertEquals(33, Files.readAllLines(tmp.resolve("sweep.csv")).size());
        JsonNode j = RunFiles.json().readTree(tmp.resolve("sweep.json").toFile());
        assertEquals(32, j.at("/cells").size());
        assertTrue(j.at("/step_sizes/lambda_max").asDouble() > 0);
        int diverged = 0;
        for (JsonNode c : j.at("/cells")) {
            diverged += c.at("/diverged_at_epoch").asInt() > 0 ? 1 : 0;
        }
        assertTrue(diverged > 0 && diverged < 32, "some cells diverge at lr 6, not all: " + diverged);
        var png = ImageIO.read(tmp.resolve("sweep.png").toFile());
        assertEquals(900, png.getWidth());
        assertTrue(Files.readString(tmp.resolve("sweep.svg")).contains("<svg"));
    }

    /** sweep --stream over .npy files: in file order, the same grid, bit for bit, as the sweep in memory. */
    @Test
    void aStreamedSweepInFileOrderIsTheInMemorySweep() throws Exception {
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        assertEquals(0, descent("generate", "--kind", "synthetic", "--rows", "3000", "--nx", "4", "--ny", "2", "--dtype", "float64",
                "--out", x.toString(), "--out-y", y.toString()).code());
        String[] common = {"--data", x.toString(), "--data-y", y.toString(), "--dtype", "float64", "--no-shuffle", "--batch-size", "32", "--epochs", "3",
            "--lr", "0.01:3:5", "--momentum", "0:0.9:3", "--optimizer", "momentum-torch"};
        java.util.List<String> mem = new java.util.ArrayList<>(java.util.List.of("sweep", "--test-fraction", "0", "--out",
                tmp.resolve("mem").toString()));
        mem.addAll(java.util.List.of(common));
        java.util.List<String> str = new java.util.ArrayList<>(java.util.List.of("sweep", "--stream", "--chunk-mb", "0", "--out",
                tmp.resolve("str").toString()));
        str.addAll(java.util.List.of(common));
        TrainCommandTest.Run bad = descent(str.toArray(String[]::new));
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("--chunk-mb must be >= 1"), bad.err());
        str.set(3, "1"); // 1 MB chunks: 3,000 rows of 48 bytes in two chunks
        TrainCommandTest.Run a = descent(mem.toArray(String[]::new));
        TrainCommandTest.Run b = descent(str.toArray(String[]::new));
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        JsonNode ja = RunFiles.json().readTree(tmp.resolve("mem/sweep.json").toFile());
        JsonNode jb = RunFiles.json().readTree(tmp.resolve("str/sweep.json").toFile());
        assertEquals(15, jb.at("/cells").size());
        assertEquals(ja.at("/cells"), jb.at("/cells"));
        assertTrue(jb.at("/data/streamed").asBoolean());
        assertEquals(ja.at("/step_sizes/lambda_max").asDouble(), jb.at("/step_sizes/lambda_max").asDouble(),
                1e-12 * ja.at("/step_sizes/lambda_max").asDouble());
    }

    @Test
    void parametrizationReadsTheGridInKerasForm() {
        TrainCommandTest.Run r = descent("sweep", "--rows", "100", "--nx", "2", "--epochs", "2", "--lr", "0.01:0.1:2",
                "--momentum", "0:0.5:2", "--parametrization", "keras", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sweep: momentum-keras"), r.out());
    }

    @Test
    void badGridsAreOneLineErrors() {
        TrainCommandTest.Run a = descent("sweep", "--lr", "0.1:8", "--out", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, a.code());
        assertTrue(a.err().contains("--lr '0.1:8': expected FROM:TO:COUNT"), a.err());
        TrainCommandTest.Run b = descent("sweep", "--momentum", "0:1:3", "--out", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, b.code());
        assertTrue(b.err().contains("--momentum values must be in [0, 1), got 1.0"), b.err());
    }

    @Test
    void analyzePrintsTheSpectrumAndStepSizes() {
        TrainCommandTest.Run r = descent("analyze", "--rows", "500", "--nx", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("condition number κ"), r.out());
        assertTrue(r.out().contains("stable for lr < 2/λmax"), r.out());
        assertTrue(r.out().contains("Polyak optimum"), r.out());
    }

    /** Aliases resolve in one place: "-o gd" used to pass validation and fail at the first step. */
    @org.junit.jupiter.api.Test
    void aliasesWork() {
        TrainCommandTest.Run r = TrainCommandTest.descent("sweep", "-o", "gd", "--rows", "300", "--lr", "0.01:0.2:3", "--momentum",
                "0:0.5:2", "--epochs", "1", "--out", tmp.resolve("gd").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sweep: sgd "), r.out());
        // Plain GD keeps improving up to the largest rate of this small grid: the optimum is on its edge, and it says so.
        assertTrue(r.out().contains("note: the optimum is at the largest learning rate"), r.out());
    }
}
