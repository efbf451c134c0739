package dev.descent.data;

import dev.descent.host.HostMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loads a dataset from a file by its extension: {@code .csv} (and {@code .tsv}, {@code .txt}),
 * {@code .npz} (arrays X and y, or named ones), or {@code .npy} with the targets in a second {@code .npy}.
 */
public final class DataFiles {
    private DataFiles() {
    }

    /**
     * A Hadoop URI with a scheme and an authority or path (hdfs://nn:8020/…, s3a://bucket/…), not a local file
     * ({@code file:} URIs are local).
     */
    public static boolean remote(String location) {
        return location.matches("[A-Za-z][A-Za-z0-9+.-]+://.*") && !location.regionMatches(true, 0, "file:", 0, 5);
    }

    /**
     * How to read a file.
     *
     * @param csv CSV options (targets, features, delimiter, header, dropNonFinite, dtype)
     * @param targetsFile for {@code .npy} inputs: the targets' {@code .npy} (null otherwise)
     * @param xName the inputs' array name in a {@code .npz}
     * @param yName the targets' array name in a {@code .npz}
     */
    public record Spec(CsvLoader.Options csv, Path targetsFile, String xName, String yName) {
    }

    /** The loaded data, feature and target names, and how many rows were dropped for NaN/Inf. */
    public static CsvLoader.Loaded load(Path file, Spec spec) throws IOException {
        String ext = extension(file);
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": no such file");
        }
        DataType dtype = spec.csv().dtype();
        return switch (ext) {
            case "csv", "tsv", "txt" -> CsvLoader.load(file, spec.csv());
            case "npz" -> {
                Map<String, INDArray> a = spec.yName() == null ? Npz.read(file, spec.xName()) : Npz.read(file, spec.xName(), spec.yName());
                INDArray y = spec.yName() == null ? null : a.get(spec.yName()).castTo(dtype);
                yield numeric(file, a.get(spec.xName()).castTo(dtype), y, spec.csv().dropNonFinite());
            }
            case "npy" -> numeric(file, Npy.read(file).castTo(dtype),
                    spec.targetsFile() == null ? null : Npy.read(spec.targetsFile()).castTo(dtype), spec.csv().dropNonFinite());
            default -> throw new DataFormatException(file + ": unknown extension '." + ext
                    + "' (expected .csv, .tsv, .txt, .npy or .npz)");
        };
    }

    static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static CsvLoader.Loaded numeric(Path file, INDArray x, INDArray y, boolean drop) {
        if (y != null && x.rows() != y.rows()) {
            throw new DataFormatException(file + ": X has " + x.rows() + " rows but y has " + y.rows());
        }
        x = x.dup('c');
        y = y == null ? null : y.dup('c');
        long kept = compactFinite(x, y, file, drop);
        long dropped = x.rows() - kept;
        if (kept == 0) {
            throw new DataFormatException(file + ": no rows left after dropping " + dropped + " with NaN or Inf");
        }
        if (dropped > 0) {
            var r = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, kept);
            x = x.get(r, org.nd4j.linalg.indexing.NDArrayIndex.all());
            y = y == null ? null : y.get(r, org.nd4j.linalg.indexing.NDArrayIndex.all());
        }
        List<String> fn = new ArrayList<>();
        for (int j = 0; j < x.columns(); j++) {
            fn.add("x" + j);
        }
        List<String> tn = new ArrayList<>();
        for (int j = 0; y != null && j < y.columns(); j++) {
            tn.add("y" + j);
        }
        return new CsvLoader.Loaded(x, y, fn, tn, dropped);
    }

    /**
     * Moves the rows whose X and Y values are all finite to the front, in order, and returns their count;
     * without {@code drop}, the first non-finite value is an error naming its row and column.
     */
    private static long compactFinite(INDArray x, INDArray y, Path file, boolean drop) {
        if (!drop) {
            requireFinite(x, y, file.toString(), 0, "--drop-nonfinite drops such rows");
            return x.rows();
        }
        HostMemory.Rows rx = new HostMemory.Rows(x);
        HostMemory.Rows ry = y == null ? null : new HostMemory.Rows(y);
        long kept = 0;
        for (long r = 0; r < x.rows(); r++) {
            if (rx.firstNonFinite(r) >= 0 || ry != null && ry.firstNonFinite(r) >= 0) {
                continue;
            }
            if (kept != r) {
                rx.copy(r, kept);
                if (ry != null) {
                    ry.copy(r, kept);
                }
            }
            kept++;
        }
        return kept;
    }

    /**
     * Bad input at the first value of X or Y (null: none) that is not finite, naming {@code source}, its row
     * ({@code firstRow} + its index here) and column, and in parentheses what to do ({@code hint}). x, y: not modified.
     */
    public static void requireFinite(INDArray x, INDArray y, String source, long firstRow, String hint) {
        HostMemory.Rows rx = new HostMemory.Rows(x);
        HostMemory.Rows ry = y == null ? null : new HostMemory.Rows(y);
        for (long r = 0; r < x.rows(); r++) {
            int bad = rx.firstNonFinite(r);
            int badY = ry == null ? -1 : ry.firstNonFinite(r);
            if (bad >= 0 || badY >= 0) {
                throw new DataFormatException(String.format(Locale.ROOT, "%s: row %d, %s column %d is %s (not finite; %s)", source,
                        firstRow + r, bad >= 0 ? "X" : "y", bad >= 0 ? bad : badY, bad >= 0 ? rx.get(r, bad) : ry.get(r, badY), hint));
            }
        }
    }
}
