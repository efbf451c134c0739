package dev.descent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.descent.data.AtomicFiles;
import dev.descent.data.DataFormatException;
import dev.descent.data.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A saved model: {@code W.npy} (nX×nY) and {@code B.npy} (nY) in original units, and {@code model.json}
 * with shapes, dtype, whatever the caller records (features, targets, scaling, optimizer, losses), and a
 * SHA-256 over all three files' bytes. The directory is written whole into a hidden sibling, fsynced, and
 * swapped in by renames, so a model directory holds one save or the previous one, never a mix; a load
 * checks the checksum, so an edited W, B or model.json is refused, never used.
 */
public final class ModelStore {
    public static final String W = "W.npy";
    public static final String B = "B.npy";
    public static final String META = "model.json";
    static final String FORMAT = "descent-model-2";
    private static final String UNSET = "0".repeat(64);
    private static final java.util.regex.Pattern CHECKSUM = java.util.regex.Pattern.compile("\"sha256\" : \"([0-9a-f]{64})\"");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() {
    }

    /**
     * Saves into {@code dir}, replacing a model already there as a whole. {@code meta}: extra fields for
     * model.json; its "features" and "targets", when given, must be distinct names.
     */
    public static void save(Path dir, LinearModel model, Map<String, Object> meta) throws IOException {
        checkNames(meta.get("features"), meta.get("targets"), dir.toString());
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
        try {
            Npy.write(tmp.resolve(W), model.weights());
            Npy.write(tmp.resolve(B), model.bias());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", FORMAT);
            m.put("inputs", model.inputs());
            m.put("outputs", model.outputs());
            m.put("dtype", model.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE ? "float64" : "float32");
            m.putAll(meta);
            m.put("sha256", UNSET); // W.npy, B.npy and this file with this field's value zeroed
            byte[] json = JSON.writeValueAsBytes(m);
            String sum = checksum(tmp.resolve(W), tmp.resolve(B), json);
            byte[] sealed = new String(json, StandardCharsets.UTF_8).replace("\"sha256\" : \"" + UNSET + "\"",
                    "\"sha256\" : \"" + sum + "\"").getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(tmp.resolve(META), out -> out.write(sealed));
            swapIn(tmp, abs);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Renames {@code fresh} to {@code dir}, the previous {@code dir} (if any) aside first and then deleted. */
    private static void swapIn(Path fresh, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = dir.resolveSibling("." + dir.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    /**
     * Clears what an interrupted save of {@code dir} left beside it: a half-written new model is deleted,
     * and a previous model set aside but not yet replaced is put back. Only for a directory no live save
     * is writing (callers hold the run directory's lock).
     */
    public static void recover(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String name = abs.getFileName().toString();
        try (var siblings = Files.list(parent)) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("." + name + ".tmp-")) {
                    deleteTree(p);
                } else if (n.startsWith("." + name + ".old-")) {
                    if (Files.exists(abs)) {
                        deleteTree(p);
                    } else {
                        Files.move(p, abs, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
        }
    }

    /** A loaded model and its metadata. */
    public record Saved(LinearModel model, JsonNode meta) {
    }

    /** Loads and checks a saved model. */
    public static Saved load(Path dir) throws IOException {
        Path metaFile = dir.resolve(META);
        if (!Files.isRegularFile(metaFile)) {
            throw new DataFormatException(dir + ": not a descent model directory (no " + META + ")");
        }
        byte[] json = Files.readAllBytes(metaFile);
        JsonNode meta;
        try {
            meta = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(metaFile + ": corrupt JSON (" + e.getOriginalMessage() + ")");
        }
        String format = meta.path("format").asText();
        if (!FORMAT.equals(format) && !"descent-model-1".equals(format)) {
            throw new DataFormatException(metaFile + ": unknown model format '" + format + "'");
        }
        for (String f : new String[] {W, B}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new DataFormatException(dir + ": " + f + " is missing");
            }
        }
        if (FORMAT.equals(format)) {
            String text = new String(json, StandardCharsets.UTF_8);
            java.util.regex.Matcher m = CHECKSUM.matcher(text);
            if (!m.find() || !checksum(dir.resolve(W), dir.resolve(B),
                    (text.substring(0, m.start(1)) + UNSET + text.substring(m.end(1))).getBytes(StandardCharsets.UTF_8))
                    .equals(m.group(1))) {
                throw new DataFormatException(dir + ": the model's checksum does not match its files (W.npy, B.npy or "
                        + META + " was edited, or a save was interrupted)");
            }
        } else { // descent-model-1: CRC-32 of the arrays only
            for (String f : new String[] {W, B}) {
                if (crc(dir.resolve(f)) != meta.path("crc32").path(f).asLong(-1)) {
                    throw new DataFormatException(dir.resolve(f) + ": checksum does not match " + META
                            + " (interrupted save or edited file)");
                }
            }
        }
        checkNames(names(meta.path("features")), names(meta.path("targets")), metaFile.toString());
        INDArray w = Npy.read(dir.resolve(W));
        INDArray b = Npy.read(dir.resolve(B));
        if (w.rows() != meta.path("inputs").asLong() || w.columns() != meta.path("outputs").asLong()) {
            throw new DataFormatException(dir + ": W.npy is " + w.rows() + "×" + w.columns() + " but " + META + " says "
                    + meta.path("inputs").asLong() + "×" + meta.path("outputs").asLong());
        }
        if (meta.path("features").isArray() && meta.path("features").size() != w.rows()) {
            throw new DataFormatException(metaFile + ": " + meta.path("features").size() + " feature names for " + w.rows()
                    + " inputs");
        }
        return new Saved(new LinearModel(w, b), meta);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Feature names distinct, target names distinct, and no target among the features. */
    private static void checkNames(Object features, Object targets, String where) {
        List<String> f = features instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        List<String> t = targets instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        Set<String> seen = new HashSet<>();
        for (String n : f) {
            if (!seen.add(n)) {
                throw new DataFormatException(where + ": feature '" + n + "' is named twice");
            }
        }
        Set<String> targetSeen = new HashSet<>();
        for (String n : t) {
            if (!targetSeen.add(n)) {
                throw new DataFormatException(where + ": target '" + n + "' is named twice");
            }
            if (seen.contains(n)) {
                throw new DataFormatException(where + ": '" + n + "' is both a feature and a target");
            }
        }
    }

    private static String checksum(Path w, Path b, byte[] json) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path p : new Path[] {w, b}) {
            try (var in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    d.update(buf, 0, n);
                }
            }
        }
        d.update(json);
        return HexFormat.of().formatHex(d.digest());
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static long crc(Path p) throws IOException {
        CRC32 c = new CRC32();
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                c.update(buf, 0, n);
            }
        }
        return c.getValue();
    }
}
