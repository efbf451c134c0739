package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.SeededTest;
import dev.descent.report.RunFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class TrainCommandTest extends SeededTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    /**
     * Whether this process ignores SIGINT, as a background job of a non-interactive shell does (and passes on to
     * every child): a child JVM then cannot be interrupted, so the tests that send it SIGINT skip that signal.
     */
    static boolean sigintIgnored() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseLong(line.substring("SigIgn:".length()).trim(), 16) & (1L << 1)) != 0; // bit of signal 2
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: assume it is not
        }
        return false;
    }

    static Run descent(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private String[] train(String... extra) {
        java.util.Map<String, String> base = new java.util.LinkedHashMap<>();
        String[] defaults = {"--rows", "2000", "--nx", "3", "--ny", "2", "--epochs", "4", "--lr", "0.05",
            "--progress", "off", "--out", tmp.resolve("run").toString()};
        for (int i = 0; i < defaults.length; i += 2) {
            base.put(defaults[i], defaults[i + 1]);
        }
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < extra.length; i++) {
            if (i + 1 < extra.length && !extra[i + 1].startsWith("--")) {
                base.put(extra[i], extra[i + 1]); // an override replaces the default
                i++;
            } else {
                flags.add(extra[i]);
            }
        }
        List<String> a = new ArrayList<>(List.of("train"));
        base.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        a.addAll(flags);
        return a.toArray(String[]::new);
    }

    @Test
    void trainsEndToEndAndWritesItsFiles() throws Exception {
        Run r = descent(train());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend CPU"), r.out());
        assertTrue(r.out().contains("epoch    4/4"), r.out());
        assertTrue(r.out().contains("least squares: train MSE"), r.out());
        List<String> history = Files.readAllLines(tmp.resolve("run").resolve(RunFiles.HISTORY));
        assertEquals("epoch,train_loss,test_loss,lr,seconds,samples_per_s,w0_0,w0_1,w1_0,w1_1,w2_0,w2_1,b0,b1", history.get(0));
        assertEquals(5, history.size());
        JsonNode s = RunFiles.json().readTree(tmp.resolve("run").resolve(RunFiles.SUMMARY).toFile());
        assertEquals(4, s.at("/training/epochs_run").asInt());
        assertEquals(1600, s.at("/data/train_rows").asInt());
        assertEquals(3, s.at("/results/W").size());
        // The noise is N(0, 0.1²): a trained model's test MSE is near 0.01 and the least-squares one's too.
        assertEquals(0.01, s.at("/results/test_mse").asDouble(), 0.003);
        assertTrue(s.at("/results/least_squares/max_abs_diff").asDouble() < 0.05);
        try (var files = Files.list(tmp.resolve("run"))) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals(".descent.lock")), "temporary files left behind");
        }
    }

    @Test
    void exactSolverSolvesLeastSquares() throws Exception {
        Run r = descent(train("--solver", "exact"));
        assertEquals(0, r.code(), r.err());
        JsonNode s = RunFiles.json().readTree(tmp.resolve("run").resolve(RunFiles.SUMMARY).toFile());
        assertEquals("exact", s.at("/solver").asText());
        assertEquals(0.01, s.at("/results/train_mse").asDouble(), 0.002);
        assertEquals("cholesky", s.at("/least_squares/method").asText());
        assertEquals(4, s.at("/least_squares/rank").asInt());
    }

    @Test
    void rankDeficientDataTrainsAndIsDescribed() throws Exception {
        Path csv = tmp.resolve("dup.csv");
        StringBuilder b = new StringBuilder("a,b,c,y\n");
        for (int i = 1; i <= 40; i++) { // b = 2a: [X 1] has rank 3 of 4
            b.append(i).append(',').append(2 * i).append(',').append(i % 7).append(',').append(3 * i + i % 7 + 1).append('\n');
        }
        Files.writeString(csv, b);
        Run sgd = descent("train", "--data", csv.toString(), "-t", "y", "--epochs", "2", "--lr", "1e-5", "--progress", "off",
                "--no-plots", "--out", tmp.resolve("sgd").toString());
        assertEquals(0, sgd.code(), sgd.err());
        assertTrue(sgd.out().contains("rank deficient (rank 3 of 4 columns)"), sgd.out());
        Run exact = descent("train", "--data", csv.toString(), "-t", "y", "--solver", "exact", "--test-fraction", "0",
                "--out", tmp.resolve("exact").toString());
        assertEquals(0, exact.code(), exact.err());
        assertTrue(exact.out().contains("minimum norm, SVD of [X 1] (dgelsd), rank 3 of 4"), exact.out());
        JsonNode s = RunFiles.json().readTree(tmp.resolve("exact").resolve(RunFiles.SUMMARY).toFile());
        // y = 3a + c + 1 = 0.6a + 1.2b + c + 1 with the least norm (0.6² + 1.2² is the least w₁² + w₂² with w₁ + 2w₂ = 3).
        assertEquals(0.6, s.at("/results/W/0/0").asDouble(), 1e-5);
        assertEquals(1.2, s.at("/results/W/1/0").asDouble(), 1e-5);
        assertEquals(1.0, s.at("/results/W/2/0").asDouble(), 1e-5);
        assertEquals(3, s.at("/least_squares/rank").asInt());
        // More features than rows.
        Run wide = descent(train("--rows", "5", "--nx", "10", "--ny", "1", "--test-fraction", "0", "--batch-size", "5"));
        assertEquals(0, wide.code(), wide.err());
        assertTrue(wide.out().contains("rank 5 of 11"), wide.out());
    }

    @Test
    void divergenceExitsWithThreeAndNamesTheRates() {
        Run r = descent(train("--lr", "50", "--batch-size", "0", "--epochs", "200", "--no-shuffle"));
        assertEquals(ExitCodes.DIVERGED, r.code(), r.out());
        assertTrue(r.err().contains("learning rate 50") && r.err().contains("stability limit"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--lr|0|--lr must be a finite number > 0",
        "--lr|-1|--lr must be a finite number > 0",
        "--momentum|1|--momentum must be in [0, 1)",
        "--momentum|-0.1|--momentum must be in [0, 1)",
        "--batch-size|-1|batch size must be >= 1",
        "--batch-size|1700|--batch-size 1700 exceeds the 1600 training rows",
        "--optimizer|adamw|unknown optimizer 'adamw'",
        "--dtype|int8|expected float32 or float64, got 'int8'",
        "--epochs|0|epochs must be >= 1",
        "--lr|abc|Invalid value for option '--lr'",
        "--test-fraction|1|--test-fraction must be in [0, 1)",
        "--schedule|cosine|--schedule must be constant, inverse-time, step or exponential",
    })
    void badOptionsGiveOneLineAndExitTwo(String option, String value, String message) {
        Run r = descent(train(option, value));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void unknownOptionIsOneLine() {
        Run r = descent("train", "--learning-rate", "0.1");
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("Unknown options: '--learning-rate'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Run r = descent("train", "--help");
        assertEquals(0, r.code());
        for (String o : new String[] {"--rows", "--nx", "--ny", "--noise", "--dtype", "--test-fraction", "--seed",
            "--optimizer", "--lr", "--momentum", "--dampening", "--schedule", "--decay", "--batch-size", "--epochs",
            "--tol", "--no-shuffle", "--drop-last", "--init", "--solver", "--kernel", "--out"}) {
            assertTrue(r.out().contains(o), o + " missing from help");
        }
        assertTrue(r.out().contains("(default: 0.01)"), r.out());
        Run top = descent("--help");
        assertTrue(top.out().contains("train"), top.out());
    }

    @Test
    void unwritableOutputIsRefusedBeforeTraining() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Run r = descent(train("--out", file.resolve("sub").toString()));
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("cannot create directory"), r.err());
        assertFalse(r.out().contains("epoch"), "trained before checking the output: " + r.out());
    }

    @Test
    void cudaWithoutAGpuSaysWhyInOneLineAndWritesNothing() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "this machine has a GPU");
        Path out = tmp.resolve("runs");
        Run r = descent("train", "--rows", "500", "--kernel", "cuda", "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        // this build has no CUDA code, or (the gpu build) no libraries or no device
        assertTrue(r.err().contains("needs the GPU build") || r.err().contains("CUDA"), r.err());
        assertFalse(Files.exists(out), "a run directory was written");
    }

    @Test
    void sparkNeedsTheSparkBuild() {
        org.junit.jupiter.api.Assumptions.assumeFalse(ClusterRun.available(), "this is the Spark build");
        Run r = descent("train", "--spark", "local[2]", "--solver", "gd");
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("--spark needs the Spark build of descent: DESCENT_PROFILE=spark ./descent train --spark local[2]"),
                r.err());
    }

    /** --threads T: said in the header and recorded; the same bits twice; refused in one line where it cannot apply. */
    @Test
    void threadsSplitEachBatchAndAreCheckedInOneLine() throws Exception {
        Run r = descent(train("--threads", "3", "--nx", "200", "--batch-size", "256")); // shares of at least 64 rows
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kernel=blas, 3 threads a batch"), r.out());
        JsonNode s = RunFiles.json().readTree(tmp.resolve("run").resolve(RunFiles.SUMMARY).toFile());
        assertEquals(3, s.at("/training/threads").asInt());
        byte[] w = Files.readAllBytes(tmp.resolve("run/model/W.npy"));
        Run again = descent(train("--threads", "3", "--nx", "200", "--batch-size", "256", "--out", tmp.resolve("again").toString()));
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(w, Files.readAllBytes(tmp.resolve("again/model/W.npy")));
        for (String[] bad : new String[][] {
            {"--threads", "0", "--out", tmp.resolve("t0").toString()},
            {"--threads", "2", "--kernel", "nd4j", "--out", tmp.resolve("t1").toString()}}) {
            Run b = descent(train(bad));
            assertEquals(ExitCodes.BAD_INPUT, b.code(), b.out());
            assertEquals(1, b.err().strip().lines().count(), b.err());
            assertTrue(b.err().contains("--threads"), b.err());
            assertTrue(Files.notExists(Path.of(bad[bad.length - 1])), "nothing written for " + String.join(" ", bad));
        }
        Run sweep = descent("sweep", "--rows", "500", "--nx", "2", "--threads", "2", "--out", tmp.resolve("sw").toString());
        assertEquals(ExitCodes.BAD_INPUT, sweep.code(), sweep.out());
        assertTrue(sweep.err().contains("--threads is for train and compare"), sweep.err());
    }
}
