package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.SeededTest;
import dev.descent.data.Npy;
import dev.descent.data.SyntheticData;
import dev.descent.report.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** {@code bench}, block-wise {@code generate --kind synthetic} to .npy and {@code train --stream}, end to end. */
class BenchAndStreamCommandTest extends SeededTest {
    @TempDir
    Path tmp;

    private static void bad(TrainCommandTest.Run r, String part) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(part), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void benchWritesOneRecordPerCellWithDl4jAndProbes() throws Exception {
        Path out = tmp.resolve("bench");
        var r = descent("bench", "--rows", "3000", "--nx", "4,8", "--batch-size", "16,64", "--epochs", "2", "--lr", "0.01",
                "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode json = RunFiles.json().readTree(out.resolve("bench.json").toFile());
        assertEquals(4, json.path("cells").size());
        for (JsonNode c : json.path("cells")) {
            assertEquals(3000, c.path("rows").asLong());
            assertEquals("EPOCHS", c.path("engine_stop").asText());
            double rate = c.path("engine_samples_per_s").asDouble();
            assertEquals(3000 / c.path("engine_seconds_per_epoch").asDouble(), rate, rate * 1e-12);
            assertEquals(rate / c.path("dl4j_samples_per_s").asDouble(), c.path("speed_ratio").asDouble(), 1e-9 * rate);
            assertTrue(c.path("read_probe_gb_per_s").asDouble() > 0 && c.path("gemm_probe_gflop_per_s").asDouble() > 0, c.toString());
        }
        List<String> csv = Files.readAllLines(out.resolve("bench.csv"));
        assertEquals(5, csv.size());
        assertTrue(csv.get(0).startsWith("nx,ny,batch,dtype,rows,engine_seconds_per_epoch"), csv.get(0));
        assertTrue(Files.size(out.resolve("bench.png")) > 1000);
        Path plain = tmp.resolve("no-plots");
        var q = descent("bench", "--rows", "2000", "--nx", "4", "--batch-size", "64", "--epochs", "2", "--no-dl4j", "--no-plots",
                "--out", plain.toString());
        assertEquals(0, q.code(), q.err());
        assertTrue(Files.exists(plain.resolve("bench.csv")) && Files.exists(plain.resolve("bench.json")));
        assertFalse(Files.exists(plain.resolve("bench.png")), "--no-plots writes no figure");
        Path two = tmp.resolve("threads");
        var t = descent("bench", "--rows", "2000", "--nx", "200", "--batch-size", "256", "--epochs", "2", "--no-dl4j", "--no-plots",
                "--threads", "2", "--out", two.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("engine: 2 threads a batch"), t.out());
        assertEquals(2, RunFiles.json().readTree(two.resolve("bench.json").toFile()).get("threads").asInt());
        bad(descent("bench", "--threads", "0", "--out", tmp.resolve("b5").toString()), "--threads must be 1..1024");
        bad(descent("bench", "--batch-size", "0", "--out", tmp.resolve("b2").toString()), "--batch-size");
        bad(descent("bench", "--rows", "100", "--batch-size", "200", "--out", tmp.resolve("b3").toString()), "exceeds --rows 100");
        bad(descent("bench", "--no-dl4j", "--dl4j-rows", "10", "--out", tmp.resolve("b4").toString()), "exclude each other");
    }

    /**
     * --stream with --scale-x/--scale-y standard: the scalers are fitted chunk by chunk on the training rows
     * and applied as rows are read; in file order the model (in the files' units) and its MSE are those of
     * the same run in memory, to the rounding of the statistics' different summation order.
     */
    @Test
    void aScaledStreamedRunIsTheScaledRunInMemory() throws Exception {
        Path x = tmp.resolve("sx.npy");
        Path y = tmp.resolve("sy.npy");
        assertEquals(0, descent("generate", "--kind", "synthetic", "--rows", "20000", "--nx", "6", "--ny", "2", "--dtype", "float64",
                "--out", x.toString(), "--out-y", y.toString()).code());
        List<String> common = List.of("--data", x.toString(), "--data-y", y.toString(), "--dtype", "float64", "--no-shuffle",
                "--scale-x", "standard", "--scale-y", "minmax", "--batch-size", "64", "--epochs", "3", "--lr", "0.05",
                "--optimizer", "nesterov-keras", "--momentum", "0.9", "--progress", "off", "--no-plots");
        List<String> mem = new java.util.ArrayList<>(List.of("train", "--test-fraction", "0", "--no-exact", "--out",
                tmp.resolve("smem").toString()));
        mem.addAll(common);
        List<String> str = new java.util.ArrayList<>(List.of("train", "--stream", "--chunk-mb", "1", "--out", tmp.resolve("sstr").toString()));
        str.addAll(common);
        var a = descent(mem.toArray(String[]::new));
        var b = descent(str.toArray(String[]::new));
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("scaling x: standard"), b.out());
        var wa = Npy.read(tmp.resolve("smem/model/W.npy"));
        var wb = Npy.read(tmp.resolve("sstr/model/W.npy"));
        double d = wa.sub(wb).amaxNumber().doubleValue();
        assertTrue(d <= 1e-9 * wa.amaxNumber().doubleValue(), "max |ΔW| = " + d);
        JsonNode sa = RunFiles.json().readTree(tmp.resolve("smem/summary.json").toFile());
        JsonNode sb = RunFiles.json().readTree(tmp.resolve("sstr/summary.json").toFile());
        double ma = sa.at("/results/train_mse").asDouble();
        assertEquals(ma, sb.at("/results/train_mse").asDouble(), 1e-9 * ma);
        assertEquals("standard", sb.at("/data/scale_x/kind").asText());
    }

    @Test
    void generatedFilesHoldTheInMemoryBitsAndStreamTrainingReadsThem() throws Exception {
        long n = SyntheticData.BLOCK_ROWS + 500;
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        var g = descent("generate", "--kind", "synthetic", "--n-samples", String.valueOf(n), "--n-features", "3", "--n-targets", "2",
                "--noise", "0.1", "--dtype", "float32", "--random-state", "5", "--out", x.toString(), "--out-y", y.toString());
        assertEquals(0, g.code(), g.out() + g.err());
        var mem = new SyntheticData(n, 3, 2, 0.1, DataType.FLOAT, 5).generate().data();
        assertEquals(mem.x(), Npy.read(x));
        assertEquals(mem.y(), Npy.read(y));

        Path run = tmp.resolve("run");
        var t = descent("train", "--data", x.toString(), "--data-y", y.toString(), "--stream", "--chunk-mb", "1", "--batch-size", "64",
                "--epochs", "2", "--lr", "0.05", "--progress", "off", "--out", run.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("streamed") && t.out().contains("peak resident memory"), t.out());
        JsonNode s = RunFiles.json().readTree(run.resolve("summary.json").toFile());
        assertEquals(n, s.path("data").path("train_rows").asLong());
        assertTrue(s.path("results").path("train_mse").asDouble() < 0.02, s.toString()); // noise variance 0.01
        assertTrue(Files.exists(run.resolve("model").resolve("W.npy")));

        // A test split streams too: the files' last rows, evaluated each epoch and at the end.
        Path split = tmp.resolve("split");
        var ts = descent("train", "--data", x.toString(), "--data-y", y.toString(), "--stream", "--test-fraction", "0.2",
                "--chunk-mb", "1", "--batch-size", "64", "--epochs", "2", "--lr", "0.05", "--progress", "off", "--out", split.toString());
        assertEquals(0, ts.code(), ts.out() + ts.err());
        JsonNode ss = RunFiles.json().readTree(split.resolve("summary.json").toFile());
        long testRows = Math.round(0.2 * n);
        assertEquals(n - testRows, ss.path("data").path("train_rows").asLong());
        assertEquals(testRows, ss.path("data").path("test_rows").asLong());
        var model = dev.descent.model.ModelStore.load(split.resolve("model")).model();
        var tail = org.nd4j.linalg.indexing.NDArrayIndex.interval(n - testRows, n);
        var all = org.nd4j.linalg.indexing.NDArrayIndex.all();
        double expected = model.mse(mem.x().get(tail, all), mem.y().get(tail, all));
        assertEquals(expected, ss.path("results").path("test_mse").asDouble(), 1e-6 * expected, ss.toString());
        bad(descent("train", "--data", x.toString(), "--data-y", y.toString(), "--stream", "--test-data", x.toString(),
                "--out", tmp.resolve("r2").toString()), "--test-data is not supported");
        bad(descent("train", "--stream", "--out", tmp.resolve("r3").toString()), "--stream reads --data X.npy with --data-y");
        bad(descent("train", "--data", x.toString(), "--data-y", y.toString(), "--stream", "--dtype", "float64",
                "--out", tmp.resolve("r4").toString()), "trains in the files' dtype, float32");
    }

    /** Ctrl-C during --stream: it stops at a step, writes the model so far, says so in one line, exits 130. */
    @Test
    void aStreamedRunStopsCleanlyOnSigint() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(TrainCommandTest.sigintIgnored(), "SIGINT is ignored here (a background job)");
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        assertEquals(0, descent("generate", "--kind", "synthetic", "--rows", "20000", "--nx", "20", "--out", x.toString(), "--out-y",
                y.toString()).code());
        Path run = tmp.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.descent.cli.Main", "train", "--data",
                x.toString(), "--data-y", y.toString(), "--stream", "--epochs", "5000", "--progress", "off", "--no-plots", "--out",
                run.toString()).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile()).start();
        long t0 = System.nanoTime();
        while (!Files.readString(tmp.resolve("out")).contains("epoch    2/") && System.nanoTime() - t0 < 60e9) {
            Thread.sleep(5);
        }
        assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = Files.readString(tmp.resolve("err"));
        assertEquals(130, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("train: interrupted in epoch ") && err.contains("no checkpoint (train with --checkpoint-every K"), err);
        JsonNode s = RunFiles.json().readTree(run.resolve("summary.json").toFile());
        assertEquals("interrupted", s.at("/status").asText());
        assertTrue(Files.exists(run.resolve("model/W.npy")));
    }
}
