package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.SeededTest;
import dev.descent.data.Npy;
import dev.descent.engine.Checkpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest extends SeededTest {
    @TempDir
    Path tmp;

    private static final List<String> RUN = List.of("train", "--rows", "60000", "--nx", "20", "--ny", "2", "--epochs", "10",
            "--lr", "0.01", "--optimizer", "nesterov-keras", "--momentum", "0.9", "--batch-size", "64", "--checkpoint-every", "1",
            "--no-exact", "--no-plots", "--progress", "off");

    private static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(RUN);
        a.addAll(List.of("--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void resumeContinuesARunAndOverwriteIsRefused() throws Exception {
        Path ref = tmp.resolve("ref");
        assertEquals(0, descent(args(ref)).code());
        TrainCommandTest.Run again = descent(args(ref));
        assertEquals(ExitCodes.BAD_INPUT, again.code());
        assertTrue(again.err().contains("holds a previous run (summary.json); use --overwrite to replace it or --resume"), again.err());
        TrainCommandTest.Run r = descent("train", "--resume", ref.toString(), "--progress", "off");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming " + ref + " after epoch 9 of 10"), r.out());
        assertEquals(0, descent(args(ref, "--overwrite")).code());
        assertEquals(10, Files.readAllLines(ref.resolve("history.csv")).size() - 1);
        TrainCommandTest.Run none = descent("train", "--resume", tmp.resolve("nothing").toString());
        assertEquals(ExitCodes.BAD_INPUT, none.code());
        assertTrue(none.err().contains("no checkpoint here"), none.err());
    }

    /**
     * Ctrl-C (SIGINT) or SIGTERM to a real child JVM: it stops at a step boundary inside an epoch, writes a
     * checkpoint there and its results, says in one line how to resume, and exits 130 or 143; resuming gives
     * the bits of the uninterrupted run.
     */
    @Test
    void aSignalStopsAtAStepAndResumingGivesTheUninterruptedBits() throws Exception {
        List<String> run = List.of("train", "--rows", "20000", "--nx", "20", "--ny", "2", "--epochs", "300", "--lr", "0.01",
                "--optimizer", "momentum-torch", "--momentum", "0.9", "--batch-size", "64", "--checkpoint-every", "50",
                "--no-exact", "--no-plots", "--progress", "off");
        Path ref = tmp.resolve("ref");
        List<String> refArgs = new ArrayList<>(run);
        refArgs.addAll(List.of("--out", ref.toString()));
        assertEquals(0, descent(refArgs.toArray(String[]::new)).code());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String signal : TrainCommandTest.sigintIgnored() ? List.of("TERM") : List.of("INT", "TERM")) {
            Path dir = tmp.resolve("sig" + signal);
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.descent.cli.Main"));
            cmd.addAll(run);
            cmd.addAll(List.of("--out", dir.toString()));
            Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve(signal + ".err").toFile())
                    .redirectOutput(tmp.resolve(signal + ".out").toFile()).start();
            long t0 = System.nanoTime();
            while (!Files.readString(tmp.resolve(signal + ".out")).contains("epoch    3/") && System.nanoTime() - t0 < 60e9) {
                Thread.sleep(5);
            }
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String err = Files.readString(tmp.resolve(signal + ".err"));
            assertEquals(signal.equals("INT") ? 130 : 143, p.exitValue(), err);
            assertEquals(1, err.strip().lines().count(), err);
            assertTrue(err.startsWith("train: interrupted in epoch ") && err.contains("on SIG" + signal + "; checkpoint written: continue"
                    + " with descent train --resume " + dir), err);
            JsonNode summary = dev.descent.report.RunFiles.json().readTree(dir.resolve("summary.json").toFile());
            assertEquals("interrupted", summary.at("/status").asText());
            Checkpoint c = Checkpoint.load(dir.resolve("checkpoint.ckpt"));
            assertTrue(c.progress().batchesDone() > 0 || c.epochsDone() > 0, "a checkpoint at the step where it stopped");
            TrainCommandTest.Run r = descent("train", "--resume", dir.toString(), "--progress", "off");
            assertEquals(0, r.code(), r.err());
            assertEquals(Npy.read(ref.resolve("model/W.npy")), Npy.read(dir.resolve("model/W.npy")), signal);
            assertEquals(Npy.read(ref.resolve("model/B.npy")), Npy.read(dir.resolve("model/B.npy")), signal);
            assertEquals(300, Files.readAllLines(dir.resolve("history.csv")).size() - 1);
        }
    }

    /**
     * {@code train --stream --checkpoint-every 1} in a child JVM over files of two chunks, killed (SIGKILL,
     * at an epoch's end or inside one) or stopped (SIGINT, mid-epoch: a checkpoint inside a chunk), then
     * resumed: the model and history equal the uninterrupted streamed run's, bit for bit.
     */
    @Test
    void aStreamedRunKilledAndResumedGivesTheUninterruptedBits() throws Exception {
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        assertEquals(0, descent("generate", "--kind", "synthetic", "--rows", "20000", "--nx", "20", "--ny", "2", "--out",
                x.toString(), "--out-y", y.toString()).code());
        List<String> run = List.of("train", "--data", x.toString(), "--data-y", y.toString(), "--stream", "--chunk-mb", "1",
                "--test-fraction", "0.1", "--epochs", "600", "--lr", "0.01", "--optimizer", "nesterov-torch", "--momentum", "0.9",
                "--batch-size", "64", "--checkpoint-every", "1", "--progress", "off");
        Path ref = tmp.resolve("ref");
        List<String> refArgs = new ArrayList<>(run);
        refArgs.addAll(List.of("--out", ref.toString()));
        TrainCommandTest.Run whole = descent(refArgs.toArray(String[]::new));
        assertEquals(0, whole.code(), whole.err());
        assertTrue(whole.out().contains("chunks of 11,328 rows"), whole.out()); // 18,000 training rows: two chunks
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String signal : TrainCommandTest.sigintIgnored() ? List.of("KILL") : List.of("KILL", "INT")) {
            Path dir = tmp.resolve("stream" + signal);
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.descent.cli.Main"));
            cmd.addAll(run);
            cmd.addAll(List.of("--out", dir.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(signal + ".out").toFile()).start();
            long t0 = System.nanoTime();
            while (!Files.readString(tmp.resolve(signal + ".out")).contains("epoch    5/") && System.nanoTime() - t0 < 60e9) {
                Thread.sleep(2);
            }
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(signal.equals("INT") ? 130 : 137, p.exitValue(), Files.readString(tmp.resolve(signal + ".out")));
            Checkpoint c = Checkpoint.load(dir.resolve("checkpoint.ckpt"));
            assertTrue(c.epochsDone() >= 4 && c.epochsDone() < 600, "epochs done: " + c.epochsDone());
            TrainCommandTest.Run r = descent("train", "--resume", dir.toString(), "--progress", "off");
            assertEquals(0, r.code(), r.err());
            assertEquals(Npy.read(ref.resolve("model/W.npy")), Npy.read(dir.resolve("model/W.npy")), signal);
            assertEquals(Npy.read(ref.resolve("model/B.npy")), Npy.read(dir.resolve("model/B.npy")), signal);
            List<String> a = Files.readAllLines(ref.resolve("history.csv"));
            List<String> b = Files.readAllLines(dir.resolve("history.csv"));
            assertEquals(601, b.size());
            for (int i = 1; i < a.size(); i++) { // the losses, not the seconds
                String[] ra = a.get(i).split(",");
                String[] rb = b.get(i).split(",");
                assertEquals(ra[1] + "," + ra[2], rb[1] + "," + rb[2], "history line " + i);
            }
        }
    }

    /**
     * A real child JVM trains with a checkpoint every epoch and is killed with SIGKILL: at a seeded random
     * moment, or right after an epoch line, which with the test-only pause falls inside the checkpoint
     * write. Afterwards the checkpoint on disk always loads, and resuming gives the uninterrupted result.
     */
    @Test
    void killedRunsResumeToTheUninterruptedResult() throws Exception {
        Path ref = tmp.resolve("ref");
        assertEquals(0, descent(args(ref)).code());
        var refW = Npy.read(ref.resolve("model/W.npy"));
        var refB = Npy.read(ref.resolve("model/B.npy"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        SplittableRandom rng = new SplittableRandom(SEED);
        int duringWrite = 0;
        int resumed = 0;
        for (int k = 0; k < 4; k++) {
            Path dir = tmp.resolve("run" + k);
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "-Ddescent.test.checkpointPauseMs=400", "dev.descent.cli.Main"));
            cmd.addAll(List.of(args(dir)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            boolean atWrite = k % 2 == 1;
            int target = 2 + rng.nextInt(6);
            long delay = 3000 + rng.nextInt(4000);
            long t0 = System.nanoTime();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                if (atWrite) {
                    String line;
                    while ((line = out.readLine()) != null && !line.startsWith(String.format("epoch %4d/", target))) {
                        // wait for the epoch whose checkpoint write to interrupt
                    }
                    Thread.sleep(150); // the write starts just after the epoch line and pauses 400 ms before its rename
                } else {
                    Thread.sleep(delay);
                }
                p.destroyForcibly(); // SIGKILL
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            Path ck = dir.resolve("checkpoint.ckpt");
            try (var files = Files.list(dir)) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith(".checkpoint.ckpt"))) {
                    duringWrite++; // a temporary file was left: the kill hit a write
                }
            }
            if (!Files.exists(ck)) {
                continue; // killed before the first checkpoint: nothing to resume
            }
            Checkpoint.load(ck); // always loadable
            TrainCommandTest.Run r = descent("train", "--resume", dir.toString(), "--progress", "off");
            assertEquals(0, r.code(), "run " + k + " killed after " + (System.nanoTime() - t0) / 1e6 + " ms: " + r.err());
            assertEquals(refW, Npy.read(dir.resolve("model/W.npy")), "run " + k);
            assertEquals(refB, Npy.read(dir.resolve("model/B.npy")), "run " + k);
            resumed++;
        }
        assertTrue(duringWrite >= 2, "kills inside a checkpoint write: " + duringWrite);
        assertTrue(resumed >= 2, "runs resumed: " + resumed); // the kills inside writes always follow a checkpoint
    }
}
