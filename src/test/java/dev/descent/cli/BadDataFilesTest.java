package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad data file of issue 3, through `train`: one line naming the file (and line/column), exit code 2. */
class BadDataFilesTest extends SeededTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "non-numeric cell|x,y\\n1,2\\n3,abc\\n|d.csv:3, column 2 ('y'): 'abc' is not a number",
        "ragged row|x,y\\n1,2\\n3,4,5\\n|d.csv:3: 3 fields, expected 2 (as in line 1)",
        "empty file|EMPTY|d.csv: empty file",
        "header only|x,y\\n|d.csv: a header but no data rows",
        "NaN rejected|x,y\\n1,2\\nNaN,3\\n|d.csv:3, column 1 ('x'): NaN is not a finite number (--drop-nonfinite drops such rows)",
        "Inf rejected|x,y\\n1,2\\n4,-inf\\n|d.csv:3, column 2 ('y'): -inf is not a finite number",
        "missing target|a,b\\n1,2\\n|d.csv: no column 'y' (columns: a, b)",
    })
    void badCsv(String what, String content, String message) throws Exception {
        Path f = Files.writeString(tmp.resolve("d.csv"), content.equals("EMPTY") ? "" : content.replace("\\n", "\n"));
        TrainCommandTest.Run r = descent("train", "--data", f.toString(), "--target", "y", "--batch-size", "1",
                "--out", tmp.resolve("run").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), what + ": " + r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void dropNonFiniteReportsHowManyRows() throws Exception {
        Path f = Files.writeString(tmp.resolve("d.csv"), "x,y\n1,2\nnan,3\n4,inf\n5,6\n7,8\n9,10\n");
        TrainCommandTest.Run r = descent("train", "--data", f.toString(), "--target", "y", "--drop-nonfinite", "--batch-size", "1",
                "--test-fraction", "0", "--epochs", "1", "--progress", "off", "--out", tmp.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dropped 2 rows holding NaN or Inf"), r.out());
        assertTrue(r.out().contains("train 4 rows"), r.out());
    }

    @Test
    void badNpyFiles() throws Exception {
        Path y = tmp.resolve("y.npy");
        descent("generate", "--kind", "synthetic", "--n-samples", "4", "--n-features", "2", "--dtype", "float64", "--out", tmp.resolve("X.npy").toString(),
                "--out-y", y.toString());
        byte[] good = Files.readAllBytes(tmp.resolve("X.npy"));
        Path truncated = Files.write(tmp.resolve("t.npy"), java.util.Arrays.copyOf(good, good.length - 8));
        expect(descent("train", "--data", truncated.toString(), "--data-y", y.toString()), "t.npy: header declares shape [4, 2]");
        String header = new String(good, 0, 128, StandardCharsets.ISO_8859_1).replace("'<f8'", "'<i8'");
        byte[] ints = good.clone();
        System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, ints, 0, 128);
        Path intFile = Files.write(tmp.resolve("i.npy"), ints);
        expect(descent("train", "--data", intFile.toString(), "--data-y", y.toString()), "i.npy: unsupported dtype '<i8'");
        Path corrupt = Files.write(tmp.resolve("c.npy"), "\u0093NUMPY garbage".getBytes(StandardCharsets.ISO_8859_1));
        expect(descent("train", "--data", corrupt.toString(), "--data-y", y.toString()), "c.npy: unsupported .npy version");
        Path text = Files.writeString(tmp.resolve("txt.npy"), "just text");
        expect(descent("train", "--data", text.toString(), "--data-y", y.toString()), "txt.npy: not a .npy file");
    }

    private static void expect(TrainCommandTest.Run r, String message) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
