package dev.descent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.descent.data.AtomicFiles;
import dev.descent.data.DataFormatException;
import dev.descent.data.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A saved model: {@code W.npy} (nX×nY) and {@code B.npy} (nY) in original units, and {@code model.json}
 * with shapes, dtype, the CRC-32 of both arrays' files and whatever the caller records (scaling,
 * optimizer, seed, epochs, losses, backend, version). Each file is written atomically and model.json
 * last; a load checks the checksums, so a save interrupted between files is detected, never used.
 */
public final class ModelStore {
    public static final String W = "W.npy";
    public static final String B = "B.npy";
    public static final String META = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() {
    }

    /** Saves into {@code dir} (created if missing). {@code meta}: extra fields for model.json. */
    public static void save(Path dir, LinearModel model, Map<String, Object> meta) throws IOException {
        Files.createDirectories(dir);
        Npy.write(dir.resolve(W), model.weights());
        Npy.write(dir.resolve(B), model.bias());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "descent-model-1");
        m.put("inputs", model.inputs());
        m.put("outputs", model.outputs());
        m.put("dtype", model.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE ? "float64" : "float32");
        m.put("crc32", Map.of(W, crc(dir.resolve(W)), B, crc(dir.resolve(B))));
        m.putAll(meta);
        AtomicFiles.write(dir.resolve(META), out -> JSON.writeValue(out, m));
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
        JsonNode meta;
        try {
            meta = JSON.readTree(metaFile.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(metaFile + ": corrupt JSON (" + e.getOriginalMessage() + ")");
        }
        if (!"descent-model-1".equals(meta.path("format").asText())) {
            throw new DataFormatException(metaFile + ": unknown model format '" + meta.path("format").asText() + "'");
        }
        for (String f : new String[] {W, B}) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                throw new DataFormatException(dir + ": " + f + " is missing");
            }
            long want = meta.path("crc32").path(f).asLong(-1);
            if (crc(p) != want) {
                throw new DataFormatException(p + ": checksum does not match " + META + " (interrupted save or edited file)");
            }
        }
        INDArray w = Npy.read(dir.resolve(W));
        INDArray b = Npy.read(dir.resolve(B));
        if (w.rows() != meta.path("inputs").asLong() || w.columns() != meta.path("outputs").asLong()) {
            throw new DataFormatException(dir + ": W.npy is " + w.rows() + "×" + w.columns() + " but " + META + " says "
                    + meta.path("inputs").asLong() + "×" + meta.path("outputs").asLong());
        }
        return new Saved(new LinearModel(w, b), meta);
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
