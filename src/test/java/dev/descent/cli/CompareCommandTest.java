package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.SeededTest;
import dev.descent.report.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest extends SeededTest {
    @TempDir
    Path tmp;

    private TrainCommandTest.Run compare(String... extra) {
        String[] base = {"compare", "--rows", "1000", "--nx", "4", "--ny", "2", "--epochs", "3", "--lr", "0.05",
            "--out", tmp.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return descent(all);
    }

    @Test
    void float64SgdReachesParityAndWritesJsonAndPlot() throws Exception {
        TrainCommandTest.Run r = compare("--dtype", "float64", "--repeat", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PARITY: after 3 epochs"), r.out());
        JsonNode j = RunFiles.json().readTree(tmp.resolve("compare.json").toFile());
        assertTrue(j.at("/parity").asBoolean());
        assertEquals(3, j.at("/epochs").size());
        assertTrue(j.at("/epochs/2/max_abs_dw").asDouble() <= 1e-12);
        assertEquals(j.at("/epochs/2/engine_loss").asDouble(), j.at("/epochs/2/dl4j_loss").asDouble(), 1e-12);
        var png = ImageIO.read(tmp.resolve("compare.png").toFile());
        assertEquals(900, png.getWidth());
        assertEquals(1040, png.getHeight()); // two stacked 900×520 charts
    }

    @Test
    void optimizerWithoutDl4jCounterpartIsComparedByLossOnly() throws Exception {
        TrainCommandTest.Run r = compare("--optimizer", "momentum-keras", "--momentum", "0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("LOSS CURVES ONLY: DL4J has no momentum-keras"), r.out());
        JsonNode j = RunFiles.json().readTree(tmp.resolve("compare.json").toFile());
        assertTrue(j.at("/parity").isNull());
        assertTrue(Files.exists(tmp.resolve("compare.png")));
    }

    @Test
    void noPlotsWritesTheJsonAlone() throws Exception {
        TrainCommandTest.Run r = compare("--no-plots");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(tmp.resolve("compare.json")));
        assertFalse(Files.exists(tmp.resolve("compare.png")), "--no-plots writes no figure");
    }

    @Test
    void badRepeatAndWarmupAreOneLineErrors() {
        TrainCommandTest.Run a = compare("--repeat", "0");
        assertEquals(ExitCodes.BAD_INPUT, a.code());
        assertTrue(a.err().contains("--repeat must be >= 1"), a.err());
        TrainCommandTest.Run b = compare("--warmup-epochs", "3");
        assertEquals(ExitCodes.BAD_INPUT, b.code());
        assertTrue(b.err().contains("--warmup-epochs must be in [0, epochs)"), b.err());
        assertEquals(1, b.err().strip().lines().count(), b.err());
    }
}
