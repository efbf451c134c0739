package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.SeededTest;
import dev.descent.data.Npy;
import dev.descent.report.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user meets first: usage, help, typos, failed runs, diverged runs, printed values. */
class FirstHourTest extends SeededTest {
    @TempDir
    Path tmp;

    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        TrainCommandTest.Run r = descent();
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("descent: a command is needed"), r.err());
        assertTrue(r.err().contains("Usage: descent"), r.err());
    }

    @Test
    void typosGetADidYouMean() {
        TrainCommandTest.Run cmd = descent("trian");
        assertEquals(ExitCodes.BAD_INPUT, cmd.code());
        assertTrue(cmd.err().contains("did you mean train"), cmd.err());
        TrainCommandTest.Run opt = descent("train", "--epoch", "3");
        assertEquals(ExitCodes.BAD_INPUT, opt.code());
        assertTrue(opt.err().contains("did you mean --epochs"), opt.err());
        assertEquals(1, opt.err().strip().lines().count(), opt.err());
    }

    /** Every command's summary in the top-level help is one whole sentence. */
    @Test
    void commandSummariesAreWholeSentences() {
        TrainCommandTest.Run r = descent("--help");
        assertEquals(0, r.code());
        List<String> commands = List.of("train", "compare", "predict", "evaluate", "generate", "sweep", "analyze", "figure", "surface", "bench");
        for (String c : commands) {
            String line = r.out().lines().filter(l -> l.strip().startsWith(c + " ")).findFirst().orElse("");
            assertTrue(line.strip().endsWith("."), "summary of " + c + ": '" + line + "'");
        }
    }

    @Test
    void aFailedRunLeavesNoDirectoryBehind() {
        Path out = tmp.resolve("new/run");
        TrainCommandTest.Run r = descent("train", "--data", tmp.resolve("nope.csv").toString(), "-t", "y", "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertFalse(Files.exists(tmp.resolve("new")), "the directories created for the failed run are removed");
    }

    /** generate --kind synthetic takes train's option names and defaults: its files train to train --rows' bits. */
    @Test
    void generatedSyntheticDataEqualsTrainsOwn() throws Exception {
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        TrainCommandTest.Run g = descent("generate", "--kind", "synthetic", "--rows", "3000", "--out", x.toString(), "--out-y", y.toString());
        assertEquals(0, g.code(), g.err());
        String[] common = {"--test-fraction", "0", "--epochs", "2", "--no-plots", "--no-exact", "--progress", "off"};
        TrainCommandTest.Run a = descent(concat(new String[] {"train", "--rows", "3000", "--out", tmp.resolve("a").toString()}, common));
        TrainCommandTest.Run b = descent(concat(new String[] {"train", "--data", x.toString(), "--data-y", y.toString(), "--out",
            tmp.resolve("b").toString()}, common));
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertEquals(Npy.read(tmp.resolve("a/model/W.npy")), Npy.read(tmp.resolve("b/model/W.npy")));
        assertEquals(Npy.read(tmp.resolve("a/model/B.npy")), Npy.read(tmp.resolve("b/model/B.npy")));
        assertEquals("FLOAT", Npy.read(x).dataType().name(), "float32 by default, as train");
    }

    @Test
    void aDivergedRunKeepsOnlyTheLastGoodModelAndPrintsNoGarbage() throws Exception {
        Path out = tmp.resolve("div");
        TrainCommandTest.Run r = descent("train", "--rows", "2000", "--nx", "3", "--lr", "5", "--epochs", "3", "--progress", "off",
                "--no-plots", "--out", out.toString());
        assertEquals(ExitCodes.DIVERGED, r.code(), r.out());
        JsonNode s = RunFiles.json().readTree(out.resolve(RunFiles.SUMMARY).toFile());
        assertEquals("diverged", s.at("/status").asText());
        assertFalse(r.out().contains("E+3") || r.out().contains("E+1") || r.out().contains("e+3"), r.out());
        if (Files.exists(out.resolve("model"))) {
            assertTrue(r.out().contains("kept the model after epoch"), r.out());
            assertTrue(s.at("/results/train_mse").asDouble() < 1e6, r.out());
        } else {
            assertTrue(r.out().contains("no model kept"), r.out());
            assertTrue(s.at("/results/train_mse").isMissingNode(), r.out());
        }
    }

    @Test
    void valuesPrintInTheShortestFormOfTheirOwnType() throws Exception {
        Path out = tmp.resolve("run");
        TrainCommandTest.Run r = descent("train", "--rows", "500", "--nx", "2", "--epochs", "2", "--progress", "off", "--no-plots",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tol=off"), r.out());
        String w = r.out().lines().filter(l -> l.startsWith("W = ")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("-?[0-9]+\\.([0-9]+)").matcher(w);
        while (m.find()) {
            assertTrue(m.group(1).length() <= 9, "a float32 printed with a double's digits: " + w);
        }
        assertTrue(r.out().contains("loss.png") || r.out().contains("history.csv"), r.out());
        Path pred = tmp.resolve("pred.csv");
        Path csv = tmp.resolve("d.csv");
        assertEquals(0, descent("generate", "--kind", "synthetic", "--rows", "20", "--nx", "2", "--out", csv.toString()).code());
        assertEquals(0, descent("predict", "--model", out.resolve("model").toString(), "--data", csv.toString(), "--output",
                pred.toString()).code());
        for (String line : Files.readAllLines(pred).subList(1, 21)) {
            assertEquals(Float.toString(Float.parseFloat(line)), line.replaceAll("E", "E"), "shortest float32: " + line);
        }
    }

    @Test
    void theMemoryRefusalStatesItsRuleAndTheWayOut() {
        TrainCommandTest.Run r = descent("train", "--rows", "2000000000", "--nx", "1000", "--out", tmp.resolve("m").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("may take at most 80 %") && r.err().contains("--stream"), r.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
