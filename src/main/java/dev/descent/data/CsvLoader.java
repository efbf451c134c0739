package dev.descent.data;

import dev.descent.host.HostMemory;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a numeric CSV into X and Y in two streaming passes: the first counts the data rows (a byte scan),
 * the second parses cells with Jackson's streaming CSV parser straight into the preallocated arrays'
 * memory, so the heap holds one row at a time whatever the file's size. Targets and features are chosen
 * by header name or 0-based index; every error names the file, line and column.
 */
public final class CsvLoader {

    /**
     * @param delimiter the field separator
     * @param header the first non-blank line names the columns
     * @param targets target columns by name or index (empty: X only, as for predictions)
     * @param features feature columns by name or index; empty = every column that is not a target
     * @param dtype float32 or float64
     * @param dropNonFinite drop rows holding NaN or ±Inf (counted) instead of rejecting the file
     */
    public record Options(char delimiter, boolean header, List<String> targets, List<String> features, DataType dtype,
            boolean dropNonFinite) {
        public Options {
            targets = targets == null ? List.of() : targets;
            features = features == null ? List.of() : List.copyOf(features);
            targets = List.copyOf(targets);
        }
    }

    /** X, Y (null when no targets were asked for), the chosen column names, and the rows dropped for NaN/Inf. */
    public record Loaded(INDArray x, INDArray y, List<String> featureNames, List<String> targetNames, long droppedRows) {
        /** X and Y as a dataset. */
        public Dataset data() {
            if (y == null) {
                throw new IllegalArgumentException("no target columns were given (--target NAME or INDEX)");
            }
            return new Dataset(x, y);
        }
    }

    private CsvLoader() {
    }

    public static Loaded load(Path file, Options o) throws IOException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(name + ": no such file");
        }
        Scan scan = scan(file);
        long lines = scan.lines();
        long heap = Runtime.getRuntime().maxMemory();
        if (scan.longestBytes() > heap / 2 / HEAP_BYTES_PER_LINE_BYTE) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s:%d: a line of %,d bytes; reading a row takes up to"
                    + " %d bytes of heap per byte of its line (%.1f GB) and the heap is %.1f GB: split the data into more"
                    + " rows, or convert it to .npy", name, scan.longestLine(), scan.longestBytes(), HEAP_BYTES_PER_LINE_BYTE,
                    scan.longestBytes() * (double) HEAP_BYTES_PER_LINE_BYTE / 1e9, heap / 1e9));
        }
        if (lines == 0) {
            throw new DataFormatException(name + ": empty file (expected " + (o.header() ? "a header line and " : "") + "data rows)");
        }
        long rows = o.header() ? lines - 1 : lines;
        if (rows == 0) {
            throw new DataFormatException(name + ": a header but no data rows");
        }
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(o.delimiter());
        try (Reader reader = new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT));
                CsvParser p = mapper.getFactory().createParser(reader)) {
            p.setSchema(schema);
            p.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            p.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
            p.enable(CsvParser.Feature.TRIM_SPACES);
            // WRAP_AS_ARRAY: the document is an array of rows, each an array of cells.
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.START_ARRAY) {
                throw new DataFormatException(name + ": no CSV rows found");
            }
            List<String> first = new ArrayList<>();
            long firstLine = p.currentLocation().getLineNr();
            readRow(p, first);
            if (!first.isEmpty() && first.get(0).startsWith("\uFEFF")) { // a UTF-8 byte-order mark, not part of the name
                first.set(0, first.get(0).substring(1).strip());
            }
            int width = first.size();
            List<String> names = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                names.add(o.header() ? first.get(c) : String.valueOf(c));
            }
            int[] t = resolve(o.targets(), names, o.header(), name);
            int[] f;
            if (o.features().isEmpty()) {
                List<Integer> rest = new ArrayList<>();
                for (int c = 0; c < width; c++) {
                    final int cc = c;
                    if (java.util.Arrays.stream(t).noneMatch(x -> x == cc)) {
                        rest.add(c);
                    }
                }
                f = rest.stream().mapToInt(Integer::intValue).toArray();
            } else {
                f = resolve(o.features(), names, o.header(), name);
                for (int a : f) {
                    for (int b : t) {
                        if (a == b) {
                            throw new DataFormatException(name + ": column '" + names.get(a) + "' is both a feature and a target");
                        }
                    }
                }
            }
            if (f.length == 0) {
                throw new DataFormatException(name + ": no feature columns left after taking the target(s)");
            }
            long bytes = rows * (long) (f.length + t.length) * (o.dtype() == DataType.DOUBLE ? 8 : 4);
            if (bytes > dev.descent.host.MemoryBudget.availableBytes()) {
                throw new DataFormatException(String.format(Locale.ROOT, "%s: %,d rows × %d columns need %.2f GB as %s; %.2f GB"
                        + " of memory is available", name, rows, f.length + t.length, bytes / 1e9,
                        o.dtype() == DataType.DOUBLE ? "float64" : "float32", dev.descent.host.MemoryBudget.availableBytes() / 1e9));
            }
            INDArray x = Nd4j.createUninitialized(o.dtype(), rows, f.length);
            INDArray y = t.length == 0 ? null : Nd4j.createUninitialized(o.dtype(), rows, t.length);
            HostMemory.Rows wx = new HostMemory.Rows(x);
            HostMemory.Rows wy = y == null ? null : new HostMemory.Rows(y);
            double[] vx = new double[f.length];
            double[] vy = new double[t.length];
            long kept = 0;
            long dropped = 0;
            List<String> cells = first;
            long line = firstLine;
            boolean pending = !o.header();
            while (true) {
                if (!pending) {
                    JsonToken tok = p.nextToken();
                    if (tok != JsonToken.START_ARRAY) {
                        break; // END_ARRAY of the document, or end of input
                    }
                    line = p.currentLocation().getLineNr();
                    cells.clear();
                    readRow(p, cells);
                    if (cells.size() == 1 && cells.get(0).isBlank() && width > 1) {
                        continue; // a blank line
                    }
                }
                pending = false;
                if (cells.size() != width) {
                    throw new DataFormatException(String.format(Locale.ROOT, "%s:%d: %d fields, expected %d (as in line %d)",
                            name, line, cells.size(), width, firstLine));
                }
                if (kept + dropped >= rows) {
                    throw new DataFormatException(name + ":" + line + ": more rows than counted (a quoted field spans lines?)");
                }
                boolean f32 = o.dtype() == DataType.FLOAT;
                boolean finite = parse(cells, f, vx, names, name, line, o.dropNonFinite(), f32)
                        & parse(cells, t, vy, names, name, line, o.dropNonFinite(), f32);
                if (!finite) {
                    dropped++;
                    continue;
                }
                wx.put(kept, vx);
                if (wy != null) {
                    wy.put(kept, vy);
                }
                kept++;
            }
            if (kept == 0) {
                throw new DataFormatException(name + ": no rows left after dropping " + dropped + " with NaN or Inf");
            }
            if (kept < rows) {
                x = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, kept), org.nd4j.linalg.indexing.NDArrayIndex.all());
                y = y == null ? null : y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, kept), org.nd4j.linalg.indexing.NDArrayIndex.all());
            }
            List<String> fn = new ArrayList<>();
            for (int c : f) {
                fn.add(names.get(c));
            }
            List<String> tn = new ArrayList<>();
            for (int c : t) {
                tn.add(names.get(c));
            }
            return new Loaded(x, y, fn, tn, dropped);
        } catch (java.nio.charset.CharacterCodingException | java.io.CharConversionException e) {
            throw new DataFormatException(name + ": not UTF-8 text (" + e.getMessage() + ")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(name + ":" + e.getLocation().getLineNr() + ": malformed CSV ("
                    + e.getOriginalMessage() + ")");
        }
    }

    private static void readRow(CsvParser p, List<String> out) throws IOException {
        JsonToken tok;
        while ((tok = p.nextToken()) != JsonToken.END_ARRAY && tok != null) {
            out.add(p.getText().strip());
        }
    }

    /** Parses the chosen cells; false when one is NaN/Inf and dropping is on. */
    private static boolean parse(List<String> cells, int[] cols, double[] out, List<String> names, String file, long line,
            boolean drop, boolean float32) {
        boolean finite = true;
        for (int i = 0; i < cols.length; i++) {
            String s = cells.get(cols[i]);
            double v = number(s);
            if (Double.isNaN(v) && !isNanSpelling(s)) {
                throw new DataFormatException(String.format(Locale.ROOT, "%s:%d, column %d ('%s'): '%s' is not a number",
                        file, line, cols[i] + 1, names.get(cols[i]), abbreviate(s)));
            }
            if (float32 && Double.isFinite(v) && !Float.isFinite((float) v)) { // checked as stored, not as parsed
                if (!drop) {
                    throw new DataFormatException(String.format(Locale.ROOT,
                            "%s:%d, column %d ('%s'): %s overflows float32 (largest %s); use --dtype float64, or"
                            + " --drop-nonfinite to drop such rows", file, line, cols[i] + 1, names.get(cols[i]), abbreviate(s),
                            Float.MAX_VALUE));
                }
                finite = false;
            }
            if (!Double.isFinite(v)) {
                if (!drop) {
                    throw new DataFormatException(String.format(Locale.ROOT,
                            "%s:%d, column %d ('%s'): %s is not a finite number (--drop-nonfinite drops such rows)",
                            file, line, cols[i] + 1, names.get(cols[i]), s));
                }
                finite = false;
            }
            out[i] = v;
        }
        return finite;
    }

    /** A cell as a double; NaN when it is not a number at all (told apart from a NaN spelling by the caller). */
    static double number(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (s.isEmpty() || s.chars().anyMatch(Character::isLetter) && !s.toLowerCase(Locale.ROOT).matches("[-+0-9.]*e[-+0-9]*")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean isNanSpelling(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.equals("nan") || l.equals("+nan") || l.equals("-nan");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Columns by header name, or by 0-based index when the spec is an integer that is not a name. */
    private static int[] resolve(List<String> specs, List<String> names, boolean header, String file) {
        int[] out = new int[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            String s = specs.get(i);
            int idx = header ? names.indexOf(s) : -1;
            if (idx < 0) {
                try {
                    idx = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file + ": no column '" + abbreviate(s) + "' (columns: " + listed(names) + ")");
                }
                if (idx < 0 || idx >= names.size()) {
                    throw new DataFormatException(file + ": column index " + idx + " is out of range (" + names.size()
                            + " columns, indices 0.." + (names.size() - 1) + ")");
                }
            }
            for (int j = 0; j < i; j++) {
                if (out[j] == idx) {
                    throw new DataFormatException(file + ": column '" + abbreviate(names.get(idx)) + "' is chosen twice");
                }
            }
            out[i] = idx;
        }
        return out;
    }

    /** Column names for a message: all of a few, the first ten and a count of many. */
    private static String listed(List<String> names) {
        List<String> shown = new ArrayList<>();
        for (String n : names.subList(0, Math.min(10, names.size()))) {
            shown.add(abbreviate(n));
        }
        return String.join(", ", shown) + (names.size() > 10 ? ", ... (" + names.size() + " columns)" : "");
    }

    /** What a byte scan (no decoding) finds: non-blank lines, and the longest line's length and number. */
    record Scan(long lines, long longestBytes, long longestLine) {
    }

    static Scan scan(Path file) throws IOException {
        long count = 0;
        long physical = 1;
        long length = 0;
        long longest = 0;
        long longestAt = 0;
        boolean content = false;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        if (content) {
                            count++;
                        }
                        if (length > longest) {
                            longest = length;
                            longestAt = physical;
                        }
                        content = false;
                        length = 0;
                        physical++;
                    } else {
                        length++;
                        if (b != ' ' && b != '\t' && b != '\r') {
                            content = true;
                        }
                    }
                }
            }
        }
        if (length > longest) {
            longest = length;
            longestAt = physical;
        }
        return new Scan(content ? count + 1 : count, longest, longestAt);
    }

    /**
     * Heap that reading one row takes per byte of its line, at worst: a cell of one digit and a separator
     * becomes a String (about 48 bytes with its array) and a list slot.
     */
    static final int HEAP_BYTES_PER_LINE_BYTE = 28;
}
