package dev.descent.report;

import dev.descent.data.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.descent.engine.EpochStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files a run leaves: {@code history.csv} (one row per epoch) and {@code summary.json}. */
public final class RunFiles {
    public static final String HISTORY = "history.csv";
    public static final String SUMMARY = "summary.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final CsvMapper CSV = new CsvMapper();

    private RunFiles() {
    }

    /** Columns: epoch (1-based), train_loss, test_loss (empty without a test set), lr, seconds, samples_per_s. */
    public static void writeHistory(Path dir, List<EpochStats> history) throws IOException {
        writeHistory(dir, history, List.of());
    }

    /**
     * As {@link #writeHistory(Path, List)}, with the parameters after each epoch as columns w{i}_{k} and b{k}
     * when {@code models} holds the starting model and one per epoch (a small model's trajectory); otherwise
     * without them.
     */
    public static void writeHistory(Path dir, List<EpochStats> history, List<dev.descent.model.LinearModel> models)
            throws IOException {
        boolean params = !models.isEmpty() && models.size() == history.size() + 1;
        CsvSchema.Builder b = CsvSchema.builder().addColumn("epoch").addColumn("train_loss").addColumn("test_loss")
                .addColumn("lr").addColumn("seconds").addColumn("samples_per_s");
        List<String> names = new ArrayList<>();
        if (params) {
            dev.descent.model.LinearModel m0 = models.get(0);
            for (long i = 0; i < m0.inputs(); i++) {
                for (long k = 0; k < m0.outputs(); k++) {
                    names.add("w" + i + "_" + k);
                }
            }
            for (long k = 0; k < m0.outputs(); k++) {
                names.add("b" + k);
            }
            names.forEach(b::addColumn);
        }
        CsvSchema schema = b.build().withHeader();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int e = 0; e < history.size(); e++) {
            EpochStats s = history.get(e);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", s.epoch() + 1);
            row.put("train_loss", s.trainLoss());
            row.put("test_loss", Double.isNaN(s.testLoss()) ? "" : s.testLoss());
            row.put("lr", s.learningRate());
            row.put("seconds", s.seconds());
            row.put("samples_per_s", s.samplesPerSecond());
            if (params) {
                double[] theta = models.get(e + 1).stacked().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
                for (int q = 0; q < names.size(); q++) {
                    row.put(names.get(q), theta[q]); // θ = [W; B] row-major: W's rows, then B
                }
            }
            rows.add(row);
        }
        AtomicFiles.write(dir.resolve(HISTORY), out -> CSV.writer(schema).writeValue(out, rows));
    }

    /**
     * A matrix as CSV with a header line, written atomically, each value in the shortest form that reads
     * back to the same value of the matrix's own type (so a float32 prints as 36.221344, not as the double
     * 36.221343994140625). m: not modified.
     */
    public static void writeCsv(Path file, List<String> columns, org.nd4j.linalg.api.ndarray.INDArray m) throws IOException {
        int rows = (int) m.rows();
        int cols = (int) m.columns();
        // From one flat copy: toFloatMatrix()/toDoubleMatrix() make a view per row (slow for many rows).
        if (m.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            float[] flat = m.dup('c').data().asFloat();
            float[][] r = new float[rows][];
            for (int i = 0; i < rows; i++) {
                r[i] = java.util.Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
            }
            writeCsvRows(file, columns, r);
        } else {
            double[] flat = m.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
            double[][] r = new double[rows][];
            for (int i = 0; i < rows; i++) {
                r[i] = java.util.Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
            }
            writeCsvRows(file, columns, r);
        }
    }

    /** A numeric table as CSV with a header line, written atomically. {@code rows}: one array per row. */
    public static void writeCsv(Path file, List<String> columns, double[][] rows) throws IOException {
        writeCsvRows(file, columns, rows);
    }

    private static void writeCsvRows(Path file, List<String> columns, Object rows) throws IOException {
        CsvSchema.Builder b = CsvSchema.builder();
        for (String c : columns) {
            b.addColumn(c, CsvSchema.ColumnType.NUMBER);
        }
        CsvSchema schema = b.build().withHeader();
        AtomicFiles.write(file, out -> CSV.writer(schema).writeValue(out, rows));
    }

    /**
     * A table of mixed values (numbers, strings, booleans) as CSV with a header line, written atomically.
     * The columns are the first row's keys, in order; every row must have the same keys.
     */
    public static void writeTable(Path file, List<Map<String, Object>> rows) throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": no rows to write");
        }
        CsvSchema.Builder b = CsvSchema.builder();
        for (String c : rows.get(0).keySet()) {
            b.addColumn(c);
        }
        CsvSchema schema = b.build().withHeader();
        for (Map<String, Object> r : rows) {
            if (!r.keySet().equals(rows.get(0).keySet())) {
                throw new IllegalArgumentException(file + ": rows have different columns: " + r.keySet() + " vs " + rows.get(0).keySet());
            }
        }
        AtomicFiles.write(file, out -> CSV.writer(schema).writeValue(out, rows));
    }

    /** Writes any JSON-serialisable tree (maps, lists, numbers, strings) as {@code summary.json}. */
    public static void writeSummary(Path dir, Map<String, Object> summary) throws IOException {
        writeJson(dir.resolve(SUMMARY), summary);
    }

    /** Writes a JSON tree to {@code file} atomically. */
    public static void writeJson(Path file, Map<String, Object> tree) throws IOException {
        AtomicFiles.write(file, out -> JSON.writeValue(out, tree));
    }

    /** The mapper used for summaries (tests read files back with it). */
    public static ObjectMapper json() {
        return JSON;
    }
}
