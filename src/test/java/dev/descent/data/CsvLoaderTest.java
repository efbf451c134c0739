package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class CsvLoaderTest extends SeededTest {
    @TempDir
    Path tmp;

    private Path csv(String text) throws IOException {
        return Files.writeString(tmp.resolve("d.csv"), text);
    }

    private static CsvLoader.Options opts(List<String> targets, List<String> features) {
        return new CsvLoader.Options(',', true, targets, features, DataType.DOUBLE, false);
    }

    @Test
    void targetsByNameFeaturesAreTheRest() throws IOException {
        var l = CsvLoader.load(csv("a,b,t,c\n1,2,3,4\n\n5,6,7,8\n"), opts(List.of("t"), List.of()));
        assertEquals(List.of("a", "b", "c"), l.featureNames());
        assertEquals(List.of("t"), l.targetNames());
        assertArrayEquals(new double[][] {{1, 2, 4}, {5, 6, 8}}, l.x().toDoubleMatrix());
        assertArrayEquals(new double[][] {{3}, {7}}, l.y().toDoubleMatrix());
    }

    @Test
    void severalTargetsByIndexChosenFeaturesOtherDelimiterNoHeader() throws IOException {
        Path f = csv("1;2;3;4\n5;6;7;8\n9;10;11;12\n");
        var l = CsvLoader.load(f, new CsvLoader.Options(';', false, List.of("3", "0"), List.of("2"), DataType.FLOAT, false));
        assertEquals(DataType.FLOAT, l.x().dataType());
        assertArrayEquals(new double[][] {{3}, {7}, {11}}, l.x().castTo(DataType.DOUBLE).toDoubleMatrix());
        assertArrayEquals(new double[][] {{4, 1}, {8, 5}, {12, 9}}, l.y().castTo(DataType.DOUBLE).toDoubleMatrix());
    }

    @Test
    void numbersInEveryUsualSpelling() throws IOException {
        var l = CsvLoader.load(csv("x,y\n 1e3 ,-2.5E-2\n+7,.5\n"), opts(List.of("y"), List.of()));
        assertArrayEquals(new double[][] {{1000}, {7}}, l.x().toDoubleMatrix());
        assertArrayEquals(new double[][] {{-0.025}, {0.5}}, l.y().toDoubleMatrix());
    }

    @Test
    void noTargetsGivesXOnly() throws IOException {
        var l = CsvLoader.load(csv("a,b\n1,2\n"), opts(List.of(), List.of("b")));
        assertNull(l.y());
        assertArrayEquals(new double[][] {{2}}, l.x().toDoubleMatrix());
    }

    @Test
    void nonFiniteRowsRejectedOrDroppedAndCounted() throws IOException {
        Path f = csv("x,y\n1,2\nnan,3\n4,inf\n5,6\n");
        assertMessage(f, opts(List.of("y"), List.of()), "d.csv:3, column 1 ('x'): nan is not a finite number (--drop-nonfinite drops such rows)");
        var l = CsvLoader.load(f, new CsvLoader.Options(',', true, List.of("y"), List.of(), DataType.DOUBLE, true));
        assertEquals(2, l.droppedRows());
        assertArrayEquals(new double[][] {{1}, {5}}, l.x().toDoubleMatrix());
        assertArrayEquals(new double[][] {{2}, {6}}, l.y().toDoubleMatrix());
    }

    @Test
    void everyBadInputNamesFileLineAndColumn() throws IOException {
        var t = opts(List.of("y"), List.of());
        assertMessage(csv("x,y\n1,2\n3,abc\n"), t, "d.csv:3, column 2 ('y'): 'abc' is not a number");
        assertMessage(csv("x,y\n1,2\n3,4,5\n"), t, "d.csv:3: 3 fields, expected 2 (as in line 1)");
        assertMessage(csv(""), t, "d.csv: empty file");
        assertMessage(csv("\n  \n"), t, "d.csv: empty file");
        assertMessage(csv("x,y\n"), t, "d.csv: a header but no data rows");
        assertMessage(csv("x,y\n1,2\n"), opts(List.of("duration"), List.of()), "d.csv: no column 'duration' (columns: x, y)");
        assertMessage(csv("x,y\n1,2\n"), opts(List.of("7"), List.of()), "column index 7 is out of range (2 columns, indices 0..1)");
        assertMessage(csv("x,y\n1,2\n"), opts(List.of("y"), List.of("y")), "column 'y' is both a feature and a target");
        assertMessage(csv("y\n1\n"), opts(List.of("y"), List.of()), "no feature columns left");
        assertMessage(csv("x,y\n1,2\n3,\n"), t, "d.csv:3, column 2 ('y'): '' is not a number");
        Path latin1 = Files.write(tmp.resolve("l.csv"), new byte[] {'x', ',', 'y', '\n', '1', ',', (byte) 0xE9, '\n'});
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvLoader.load(latin1, t));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
        assertThrows(DataFormatException.class, () -> CsvLoader.load(tmp.resolve("missing.csv"), t));
    }

    private static void assertMessage(Path f, CsvLoader.Options o, String part) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvLoader.load(f, o));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
