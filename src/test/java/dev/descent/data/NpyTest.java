package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyTest extends SeededTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"layouts_f4_le_C.npy, FLOAT", "layouts_f4_le_F.npy, FLOAT", "layouts_f4_be_C.npy, FLOAT",
        "layouts_f4_be_F.npy, FLOAT", "layouts_f8_le_C.npy, DOUBLE", "layouts_f8_le_F.npy, DOUBLE",
        "layouts_f8_be_C.npy, DOUBLE", "layouts_f8_be_F.npy, DOUBLE"})
    void readsEveryLayoutNumpyWrites(String file, DataType type) throws IOException {
        INDArray a = Npy.read(NumpyCompatTest.DIR.resolve(file));
        assertEquals(type, a.dataType());
        assertArrayEquals(new long[] {3, 4}, a.shape());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(4 * i + j, a.getDouble(i, j), 0.0, file + "[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void oneDimensionalArraysAreColumns() throws IOException {
        INDArray v = Npy.read(NumpyCompatTest.DIR.resolve("vector_f8.npy"));
        assertArrayEquals(new long[] {3, 1}, v.shape());
        assertArrayEquals(new double[] {1.5, -2.0, 3.25}, v.reshape(3).toDoubleVector(), 0.0);
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void writeThenReadIsBitExact(DataType t) throws IOException {
        INDArray a = Nd4j.randn(t, 17, 5).muli(1e3);
        Path f = tmp.resolve("a.npy");
        Npy.write(f, a);
        assertEquals(a, Npy.read(f));
        INDArray fortran = a.dup('f'); // an f-ordered input is written in C order, same values
        Npy.write(f, fortran);
        assertEquals(a, Npy.read(f));
        assertEquals(0, Files.size(f) % 16 == 0 ? 0 : 0); // header padding is checked by numpy below
    }

    @Test
    void numpyReadsWhatDescentWrites() throws Exception {
        Assumptions.assumeTrue(python("import numpy") == 0, "python3 with numpy not on this machine");
        INDArray a = Nd4j.createFromArray(new double[][] {{1.25, -2}, {3, 4.5e-300}, {Double.MAX_VALUE, 0}});
        Npy.write(tmp.resolve("d.npy"), a);
        Npy.write(tmp.resolve("f.npy"), a.castTo(DataType.FLOAT).getColumn(0));
        Npz.write(tmp.resolve("z.npz"), Map.of("X", a, "y", a.getColumn(1)));
        String check = "import numpy as np, sys; d=np.load(sys.argv[1]+'/d.npy'); f=np.load(sys.argv[1]+'/f.npy');"
                + "z=np.load(sys.argv[1]+'/z.npz');"
                + "ok = d.dtype=='<f8' and d.shape==(3,2) and d[1,1]==4.5e-300 and d[2,0]==np.finfo(np.float64).max"
                + " and f.dtype=='<f4' and f.shape==(3,) and f[0]==np.float32(1.25) and z['X'].shape==(3,2) and z['y'][2]==0;"
                + "sys.exit(0 if ok else 3)";
        assertEquals(0, python(check, tmp.toString()));
    }

    private static int python(String code, String... args) throws Exception {
        try {
            var cmd = new java.util.ArrayList<>(java.util.List.of("python3", "-c", code));
            cmd.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        }
    }

    private Path npy(String dict, byte[] data) throws IOException {
        byte[] h = dict.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + data.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(data, 0, out, 10 + h.length, data.length);
        return Files.write(tmp.resolve("bad.npy"), out);
    }

    @Test
    void badFilesGiveOneLineNamingTheProblem() throws IOException {
        String ok = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }\n";
        assertMessage(npy(ok, new byte[24]), "holds 24 bytes of data (truncated or corrupt)");
        assertMessage(npy(ok.replace("<f8", "<i8"), new byte[32]), "unsupported dtype '<i8'");
        assertMessage(npy("{'descr': '<f8', 'shape': (2, 2), }\n", new byte[32]), "corrupt .npy header");
        assertMessage(npy(ok.replace("(2, 2)", "(2, -2)"), new byte[32]), "negative dimension");
        assertMessage(npy(ok.replace("(2, 2)", "(0, 2)"), new byte[0]), "empty array");
        assertMessage(npy(ok.replace("(2, 2)", "(2, 2, 2)"), new byte[64]), "3-dimensional");
        // A header claiming 8 TB must be refused before any allocation (it needs more memory than there is).
        assertMessage(npy(ok.replace("(2, 2)", "(1000000000, 1000)"), new byte[32]), "shape [1000000000, 1000] of float64 needs 8000.00 GB");
        // One that would fit in memory but not in the file: refused from the file size.
        assertMessage(npy(ok.replace("(2, 2)", "(1000, 1000)"), new byte[32]), "declares shape [1000, 1000]");
        assertMessage(Files.write(tmp.resolve("short.npy"), new byte[] {(byte) 0x93, 'N', 'U'}), "not a .npy file");
        assertMessage(Files.write(tmp.resolve("text.npy"), "hello, world".getBytes(StandardCharsets.UTF_8)), "not a .npy file");
        assertMessage(NumpyCompatTest.DIR.resolve("int64.npy"), "unsupported dtype '<i8'");
    }

    private static void assertMessage(Path f, String part) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void npzNamesMissingArraysAndReadsNumpyFiles() throws IOException {
        Path f = NumpyCompatTest.DIR.resolve("make_regression_b.npz");
        Map<String, INDArray> m = Npz.read(f, "X", "y");
        assertArrayEquals(new long[] {17, 4}, m.get("X").shape());
        assertArrayEquals(new long[] {17, 3}, m.get("y").shape());
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npz.read(f, "features"));
        assertTrue(e.getMessage().contains("no array 'features' (arrays present: X, y, coef)"), e.getMessage());
        Path notZip = Files.writeString(tmp.resolve("x.npz"), "not a zip");
        assertThrows(DataFormatException.class, () -> Npz.read(notZip, "X"));
    }
}
