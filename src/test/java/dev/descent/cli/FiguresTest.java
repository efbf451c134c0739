package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest extends SeededTest {
    @TempDir
    Path tmp;

    @Test
    void oneFeatureRunWritesLossSurfaceAndAnimation() throws Exception {
        TrainCommandTest.Run r = descent("train", "--rows", "200", "--nx", "1", "--ny", "1", "--epochs", "6", "--lr", "0.1",
                "--animate", "--progress", "off", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"loss.png", "loss.svg", "surface.png", "surface.svg", "surface.gif"}) {
            assertTrue(Files.size(tmp.resolve(f)) > 1000, f);
        }
        assertEquals(900, ImageIO.read(tmp.resolve("surface.png").toFile()).getWidth());
        assertTrue(Files.readString(tmp.resolve("loss.svg")).contains("<svg"));
        // one frame per point of the trajectory: the initial model and the 6 epochs
        try (ImageInputStream in = ImageIO.createImageInputStream(tmp.resolve("surface.gif").toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(7, reader.getNumImages(true));
        }
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals(".descent.lock")), "temporary files left behind");
        }
    }

    @Test
    void manyFeaturesGetTheLossPlotOnlyAndNoPlotsMeansNone() throws Exception {
        assertEquals(0, descent("train", "--rows", "200", "--nx", "3", "--epochs", "2", "--progress", "off", "--out",
                tmp.resolve("a").toString()).code());
        assertTrue(Files.exists(tmp.resolve("a/loss.png")));
        assertFalse(Files.exists(tmp.resolve("a/surface.png")));
        assertEquals(0, descent("train", "--rows", "200", "--nx", "1", "--epochs", "2", "--no-plots", "--progress", "off",
                "--out", tmp.resolve("b").toString()).code());
        assertFalse(Files.exists(tmp.resolve("b/loss.png")));
    }

    @Test
    void emaFigure() throws Exception {
        TrainCommandTest.Run r = descent("figure", "ema", "--steps", "100", "--beta", "0.5", "--beta", "0.99", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(900, ImageIO.read(tmp.resolve("ema.png").toFile()).getWidth());
        String svg = Files.readString(tmp.resolve("ema.svg")); // XChart draws text as outlines: check the frame and curves
        assertTrue(svg.contains("viewBox=\"0 0 900 520\"") && svg.contains("<path"), svg.substring(0, 300));
        TrainCommandTest.Run bad = descent("figure", "ema", "--beta", "1", "--out", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("--beta must be in [0, 1), got 1.0"), bad.err());
    }
}
