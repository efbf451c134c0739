package dev.descent.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/** NumPy's {@code .npz}: a zip of {@code NAME.npy} entries (stored or deflated, as savez/savez_compressed write). */
public final class Npz {
    private Npz() {
    }

    /** Reads the named arrays; a missing name is an error that lists the arrays present. */
    public static Map<String, INDArray> read(Path file, String... names) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (String n : names) {
                ZipEntry e = zip.getEntry(n + ".npy");
                if (e == null) {
                    List<String> present = new ArrayList<>();
                    zip.stream().forEach(z -> present.add(z.getName().replaceFirst("\\.npy$", "")));
                    throw new DataFormatException(file + ": no array '" + n + "' (arrays present: " + String.join(", ", present) + ")");
                }
                try (var in = zip.getInputStream(e)) {
                    out.put(n, Npy.read(in, e.getSize(), file + "[" + n + "]"));
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new DataFormatException(file + ": not a readable .npz (zip) file: "
                    + (e.getMessage() == null ? "truncated zip structure" : e.getMessage()));
        }
        return out;
    }

    /** Writes arrays as {@code NAME.npy} entries, deflated, atomically. Arrays: not modified. */
    public static void write(Path file, Map<String, INDArray> arrays) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (var e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.write(zip, e.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
