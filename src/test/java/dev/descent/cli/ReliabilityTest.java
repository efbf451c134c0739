package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.SeededTest;
import dev.descent.model.ModelStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19's hostile cases, each with the promise it breaks in docs/reliability.md. */
class ReliabilityTest extends SeededTest {
    @TempDir
    Path tmp;

    private static void refused(TrainCommandTest.Run r, String part) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(part), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    private Path csv(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content);
    }

    private static String table(int rows, long seed) {
        StringBuilder b = new StringBuilder("a,b,y\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < rows; i++) {
            double a = r.nextDouble();
            double c = r.nextDouble();
            b.append(a).append(',').append(c).append(',').append(2 * a - c + 0.01 * r.nextDouble()).append('\n');
        }
        return b.toString();
    }

    /** 19.8: a resume refuses changed data, a checkpoint from another directory, and reads data by absolute path. */
    @Test
    void resumeTrainsOnTheRunsOwnDataOrNotAtAll() throws Exception {
        Path data = csv("d.csv", table(300, 1));
        Path run = tmp.resolve("run");
        TrainCommandTest.Run first = descent("train", "--data", data.toString(), "-t", "y", "--epochs", "3", "--checkpoint-every", "1",
                "--no-plots", "--progress", "off", "--out", run.toString());
        assertEquals(0, first.code(), first.err());
        // The checkpoint records the data by absolute path.
        var ck = dev.descent.engine.Checkpoint.load(run.resolve("checkpoint.ckpt"));
        assertTrue(ck.describe().get("args").toString().contains(data.toAbsolutePath().toString()), ck.describe().toString());
        // Same shape, other values.
        Files.writeString(data, table(300, 2));
        refused(descent("train", "--resume", run.toString(), "--progress", "off"), "changed since the checkpoint was written");
        // Another run's checkpoint copied in.
        Files.writeString(data, table(300, 1));
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.copy(run.resolve("checkpoint.ckpt"), other.resolve("checkpoint.ckpt"));
        refused(descent("train", "--resume", other.toString(), "--progress", "off"), "was written by the run in " + run.toAbsolutePath());
        assertEquals(0, descent("train", "--resume", run.toString(), "--progress", "off").code());
    }

    /** 19.9: an edited model.json (or array) is refused; duplicate features or a target among them too. */
    @Test
    void aTamperedModelIsRefused() throws Exception {
        Path data = csv("d.csv", table(200, 3));
        Path run = tmp.resolve("run");
        assertEquals(0, descent("train", "--data", data.toString(), "-t", "y", "--epochs", "2", "--no-plots", "--progress", "off",
                "--out", run.toString()).code());
        Path model = run.resolve("model");
        assertEquals(0, descent("evaluate", "--model", model.toString(), "--data", data.toString()).code());
        Path meta = model.resolve("model.json");
        String original = Files.readString(meta);
        Files.writeString(meta, original.replace("\"b\"", "\"a\""));
        refused(descent("evaluate", "--model", model.toString(), "--data", data.toString()), "checksum does not match");
        Files.writeString(meta, original);
        byte[] w = Files.readAllBytes(model.resolve("W.npy"));
        w[w.length - 1] ^= 1;
        Files.write(model.resolve("W.npy"), w);
        refused(descent("evaluate", "--model", model.toString(), "--data", data.toString()), "checksum does not match");
        refused(descent("train", "--data", data.toString(), "-t", "y", "--features", "a,a", "--out", tmp.resolve("r2").toString()),
                "column 'a' is chosen twice");
    }

    /** 19.6: a second run into the same directory while the first runs is refused. */
    @Test
    void twoRunsCannotShareAnOutputDirectory() throws Exception {
        Path run = tmp.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.descent.cli.Main",
                "train", "--rows", "20000", "--nx", "20", "--epochs", "5000", "--no-plots", "--no-exact", "--progress", "off",
                "--out", run.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("a.out").toFile()).start();
        try {
            long t0 = System.nanoTime();
            while (!Files.readString(tmp.resolve("a.out")).contains("epoch    2/") && System.nanoTime() - t0 < 60e9) {
                Thread.sleep(5);
            }
            refused(descent("train", "--rows", "2000", "--epochs", "1", "--out", run.toString()), "is in use by another descent run");
        } finally {
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
    }

    /** 19.7: a save replaces the model directory whole; what a dead run left (temporary files, a half save) is cleared. */
    @Test
    void theModelIsReplacedWholeAndDeadRunsLeftoversAreCleared() throws Exception {
        Path run = tmp.resolve("run");
        String[] args = {"train", "--rows", "500", "--nx", "2", "--epochs", "2", "--no-plots", "--progress", "off", "--out",
            run.toString(), "--overwrite"};
        assertEquals(0, descent(args).code());
        // What a SIGKILL during a save leaves: a temporary file, and the old model set aside but not yet replaced.
        Files.write(run.resolve(".history.csv.1234567890.csv"), new byte[29]);
        Files.move(run.resolve("model"), run.resolve(".model.old-abc"));
        Files.createDirectories(run.resolve(".model.tmp-123"));
        TrainCommandTest.Run r = descent("evaluate", "--model", run.resolve("model").toString(), "--data", "x.csv");
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals(0, descent(args).code());
        try (var files = Files.list(run)) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertFalse(names.stream().anyMatch(n -> n.startsWith(".history") || n.startsWith(".model")), names.toString());
        }
        ModelStore.load(run.resolve("model"));
    }

    /** 19.4: a CSV value that overflows float32 is caught as stored, with its line and column. */
    @Test
    void aValueThatOverflowsFloat32IsReported() throws Exception {
        Path data = csv("big.csv", "a,y\n1,2\n1e39,3\n2,4\n");
        refused(descent("train", "--data", data.toString(), "-t", "y", "--out", tmp.resolve("r").toString()),
                "big.csv:3, column 1 ('a'): 1e39 overflows float32");
        TrainCommandTest.Run dropped = descent("train", "--data", data.toString(), "-t", "y", "--drop-nonfinite", "--test-fraction",
                "0", "--batch-size", "1", "--epochs", "1", "--no-plots", "--progress", "off", "--out", tmp.resolve("d").toString());
        assertEquals(0, dropped.code(), dropped.err());
        assertTrue(dropped.out().contains("dropped 1 rows"), dropped.out());
        // float64 holds 1e39: the file loads (and plain SGD then diverges on a feature of that size).
        assertEquals(ExitCodes.DIVERGED, descent("train", "--data", data.toString(), "-t", "y", "--dtype", "float64",
                "--test-fraction", "0", "--batch-size", "1", "--epochs", "1", "--no-plots", "--progress", "off", "--out",
                tmp.resolve("f").toString()).code());
    }

    /** 19.2, 19.3, 19.5: hostile sizes are refused with figures before anything is allocated. */
    @Test
    void declaredSizesAreCheckedAgainstMemoryBeforeAllocation() throws Exception {
        // A small .npz whose X declares 30 GB (deflated zeros would be as small; a header is enough here).
        Path npz = tmp.resolve("bomb.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(npz))) {
            for (String name : new String[] {"X", "y"}) {
                z.putNextEntry(new ZipEntry(name + ".npy"));
                String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + (name.equals("X") ? "3750000000, 1" : "3, 1")
                        + "), }";
                StringBuilder h = new StringBuilder(dict);
                while ((10 + h.length() + 1) % 64 != 0) {
                    h.append(' ');
                }
                h.append('\n');
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), 0});
                b.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
                z.write(b.toByteArray());
                z.closeEntry();
            }
        }
        refused(descent("train", "--data", npz.toString(), "--out", tmp.resolve("r").toString()), "needs 30.00 GB of memory");
        // A checkpoint whose state_buffers is out of range.
        Path run = tmp.resolve("run");
        assertEquals(0, descent("train", "--rows", "300", "--nx", "2", "--epochs", "2", "--checkpoint-every", "1", "--no-plots",
                "--progress", "off", "--out", run.toString()).code());
        for (String bad : new String[] {"-1", "2000000000"}) {
            rewriteCheckpoint(run.resolve("checkpoint.ckpt"), bad);
            refused(descent("train", "--resume", run.toString()), "state_buffers " + bad);
        }
        // One line far longer than the heap can take apart.
        long heap = Runtime.getRuntime().maxMemory();
        long tooLong = heap / 2 / 28 + 1000;
        Path line = tmp.resolve("line.csv");
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(line), 1 << 20)) {
            byte[] chunk = "1,".repeat(1 << 15).getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < tooLong; written += chunk.length) {
                out.write(chunk);
            }
            out.write("1\n".getBytes(StandardCharsets.US_ASCII));
        }
        refused(descent("train", "--data", line.toString(), "--no-header", "--target", "0", "--out", tmp.resolve("l").toString()),
                "line.csv:1: a line of ");
        Files.delete(line);
    }

    private static void rewriteCheckpoint(Path file, String stateBuffers) throws Exception {
        Path copy = file.resolveSibling("orig.ckpt");
        if (!Files.exists(copy)) {
            Files.copy(file, copy);
        }
        ObjectMapper json = new ObjectMapper();
        try (ZipFile in = new ZipFile(copy.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("checkpoint.json")) {
                    ObjectNode meta = (ObjectNode) json.readTree(bytes);
                    meta.put("state_buffers", Long.parseLong(stateBuffers));
                    bytes = json.writeValueAsBytes(meta);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
    }

    /** Smaller: BOM, a short column list, --test-data = --data, predict over its input, an lr that is 0 in float32. */
    @Test
    void smallerHostileInputs() throws Exception {
        Path bom = csv("bom.csv", "\uFEFFa,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
        TrainCommandTest.Run b = descent("train", "--data", bom.toString(), "-t", "y", "--features", "a", "--test-fraction", "0",
                "--batch-size", "1", "--epochs", "1", "--no-plots", "--progress", "off", "--out", tmp.resolve("b").toString());
        assertEquals(0, b.code(), b.err());
        StringBuilder wide = new StringBuilder();
        for (int c = 0; c < 5000; c++) {
            wide.append(c == 0 ? "" : ",").append("column_number_").append(c);
        }
        wide.append('\n').append("1,".repeat(4999)).append("1\n");
        Path w = csv("wide.csv", wide.toString());
        TrainCommandTest.Run r = descent("train", "--data", w.toString(), "-t", "nope", "--out", tmp.resolve("w").toString());
        refused(r, "(5000 columns)");
        assertTrue(r.err().length() < 1000, r.err().length() + " characters");
        Path data = csv("d.csv", table(50, 4));
        refused(descent("train", "--data", data.toString(), "-t", "y", "--test-data", tmp.resolve("./d.csv").toString(), "--out",
                tmp.resolve("t").toString()), "--test-data is the same file as --data");
        Path run = tmp.resolve("run");
        assertEquals(0, descent("train", "--data", data.toString(), "-t", "y", "--epochs", "1", "--no-plots", "--progress", "off",
                "--out", run.toString()).code());
        refused(descent("predict", "--model", run.resolve("model").toString(), "--data", data.toString(), "--output",
                data.toString()), "is the input data file");
        refused(descent("predict", "--model", run.resolve("model").toString(), "--data", data.toString(), "--output",
                run.resolve("model/W.npy").toString()), "inside the model directory");
        Path pred = tmp.resolve("p.csv");
        assertEquals(0, descent("predict", "--model", run.resolve("model").toString(), "--data", data.toString(), "--output",
                pred.toString()).code());
        refused(descent("predict", "--model", run.resolve("model").toString(), "--data", data.toString(), "--output",
                pred.toString()), "exists; use --overwrite");
        refused(descent("train", "--rows", "100", "--lr", "1e-46", "--out", tmp.resolve("z").toString()), "is 0 in float32");
        assertEquals(0, descent("train", "--rows", "100", "--lr", "1e-46", "--dtype", "float64", "--epochs", "1", "--no-plots",
                "--progress", "off", "--out", tmp.resolve("z64").toString()).code());
    }

    /** 19.7: a write that fails (a full disk) names its file and leaves the previous file whole, no temporary behind. */
    @Test
    void aFailedWriteNamesItsFileAndKeepsThePreviousOne() throws Exception {
        Path target = Files.writeString(tmp.resolve("history.csv"), "old");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> dev.descent.data.AtomicFiles.write(target, out -> {
                    out.write(new byte[100]);
                    throw new java.io.IOException("No space left on device");
                }));
        assertEquals(target + ": cannot write (No space left on device)", e.getMessage());
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("history.csv"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    /**
     * 19.7 on a real full disk: a 1 MB tmpfs (where this machine lets root mount one) holds a run; a second
     * run whose model does not fit fails naming a file, and the first run's model is still whole.
     */
    @Test
    void aFullDiskKeepsThePreviousModel() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "no tmpfs can be mounted here");
        try {
            Path run = mnt.resolve("run");
            assertEquals(0, descent("train", "--rows", "200", "--nx", "3", "--epochs", "1", "--no-plots", "--no-exact", "--progress",
                    "off", "--out", run.toString()).code());
            ModelStore.Saved before = ModelStore.load(run.resolve("model"));
            TrainCommandTest.Run full = descent("train", "--rows", "20", "--nx", "60000", "--ny", "8", "--test-fraction", "0",
                    "--batch-size", "20", "--epochs", "1", "--no-plots", "--no-exact", "--progress", "off", "--out", run.toString(),
                    "--overwrite");
            assertEquals(ExitCodes.BAD_INPUT, full.code(), full.out());
            assertTrue(full.err().contains("No space left on device") && full.err().contains(mnt.toString()), full.err());
            assertEquals(before.model().weights(), ModelStore.load(run.resolve("model")).model().weights());
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }

    /**
     * 19.5 under a real memory limit: a child JVM in a cgroup limited to 1.5 GiB (where root may make one)
     * refuses data that the machine's memory would allow, with the limit's figures.
     */
    @Test
    void aContainerMemoryLimitIsReadAndHonoured() throws Exception {
        List<Path> own = dev.descent.host.MemoryBudget.cgroupDirs();
        Path group = own.get(0).resolve("descent-test-" + ProcessHandle.current().pid());
        boolean made = false;
        try {
            Files.createDirectory(group);
            Path limit = group.resolve(Files.exists(group.resolve("memory.max")) ? "memory.max" : "memory.limit_in_bytes");
            Files.writeString(limit, String.valueOf(1536L << 20));
            made = true;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // no cgroup can be made here
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(made, "no memory cgroup can be created here");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cmd = "echo $$ > " + group.resolve("cgroup.procs") + " && exec " + java + " -cp '" + System.getProperty("java.class.path")
                    + "' dev.descent.cli.Main train --rows 60000000 --nx 10 --out " + tmp.resolve("m");
            Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(ExitCodes.BAD_INPUT, p.exitValue(), out);
            assertTrue(out.contains("needs 2.6 GB for X and Y; data held in memory may take at most 80 % of this machine's 1.6 GB"),
                    out);
        } finally {
            Files.deleteIfExists(group);
        }
    }
}
