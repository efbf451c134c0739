package dev.descent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.data.AtomicFiles;
import dev.descent.data.DataFormatException;
import dev.descent.data.Npy;
import java.io.IOException;
import java.nio.file.Files;
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

/**
 * Everything needed to continue a run exactly: θ = [W; B], the optimizer's state, the epochs and steps
 * done, the loss bookkeeping of the stop rules, the history, and a description of the run (optimizer,
 * configuration, caller's metadata) to refuse a mismatched resume. The epoch order needs no state: it is
 * a function of (seed, epoch).
 *
 * <p>On disk: one zip file ({@code theta.npy}, {@code state-i.npy}, {@code checkpoint.json}), written to a
 * temporary file, fsynced, then renamed over the previous checkpoint, which therefore stays whole until
 * the new one is complete. The zip's CRC-32s catch a corrupt file on load.
 */
public record Checkpoint(INDArray theta, INDArray[] optimizerState, int epochsDone, long steps, double firstLoss,
        double prevLoss, List<EpochStats> history, Map<String, Object> describe, EpochProgress progress) {

    /**
     * How far into epoch {@code epochsDone} (0-based) a run stopped between two steps: batches done, the
     * sum of their losses × rows, the rows, the seconds; {@link #NONE} at an epoch boundary.
     */
    public record EpochProgress(int batchesDone, double lossSum, long rows, double seconds) {
        public static final EpochProgress NONE = new EpochProgress(0, 0, 0, 0);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most state buffers an optimizer keeps (velocity, moving average, ...): more means a corrupt file. */
    static final int MAX_STATE_BUFFERS = 16;
    /** Milliseconds to pause after writing the temporary file: a fault-injection hook for the kill tests only. */
    private static final long TEST_PAUSE_MS = Long.getLong("descent.test.checkpointPauseMs", 0);

    public void save(Path file) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "descent-checkpoint-1");
        meta.put("epochs_done", epochsDone);
        meta.put("steps", steps);
        meta.put("first_loss_bits", Double.doubleToRawLongBits(firstLoss));
        meta.put("prev_loss_bits", Double.doubleToRawLongBits(prevLoss));
        meta.put("state_buffers", optimizerState.length);
        meta.put("batches_done", progress.batchesDone());
        meta.put("epoch_loss_sum_bits", Double.doubleToRawLongBits(progress.lossSum()));
        meta.put("epoch_rows", progress.rows());
        meta.put("epoch_seconds", progress.seconds());
        List<Map<String, Object>> h = new ArrayList<>();
        for (EpochStats s : history) {
            h.add(Map.of("epoch", s.epoch(), "train_loss_bits", Double.doubleToRawLongBits(s.trainLoss()),
                    "test_loss_bits", Double.doubleToRawLongBits(s.testLoss()), "lr", s.learningRate(), "steps", s.steps(),
                    "rows", s.rows(), "seconds", s.seconds()));
        }
        meta.put("history", h);
        meta.put("run", describe);
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry("theta.npy"));
            Npy.write(zip, theta);
            zip.closeEntry();
            for (int i = 0; i < optimizerState.length; i++) {
                zip.putNextEntry(new ZipEntry("state-" + i + ".npy"));
                Npy.write(zip, optimizerState[i]);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("checkpoint.json"));
            zip.write(JSON.writeValueAsBytes(meta));
            zip.closeEntry();
            zip.finish();
            if (TEST_PAUSE_MS > 0) {
                out.flush();
                try {
                    Thread.sleep(TEST_PAUSE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** Loads a checkpoint, refusing a corrupt or foreign file with a one-line message. */
    public static Checkpoint load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": no checkpoint here");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry m = zip.getEntry("checkpoint.json");
            if (m == null) {
                throw new DataFormatException(file + ": not a descent checkpoint (no checkpoint.json)");
            }
            JsonNode meta = JSON.readTree(verified(zip, m, file));
            if (!"descent-checkpoint-1".equals(meta.path("format").asText())) {
                throw new DataFormatException(file + ": unknown checkpoint format '" + meta.path("format").asText() + "'");
            }
            INDArray theta = array(zip, "theta.npy", file);
            int buffers = meta.path("state_buffers").asInt(-1);
            if (buffers < 0 || buffers > MAX_STATE_BUFFERS) {
                throw new DataFormatException(file + ": corrupt checkpoint (state_buffers " + meta.path("state_buffers").asText()
                        + ", expected 0 to " + MAX_STATE_BUFFERS + ")");
            }
            INDArray[] state = new INDArray[buffers];
            for (int i = 0; i < state.length; i++) {
                state[i] = array(zip, "state-" + i + ".npy", file);
            }
            List<EpochStats> history = new ArrayList<>();
            for (JsonNode h : meta.path("history")) {
                history.add(new EpochStats(h.path("epoch").asInt(), Double.longBitsToDouble(h.path("train_loss_bits").asLong()),
                        Double.longBitsToDouble(h.path("test_loss_bits").asLong()), h.path("lr").asDouble(),
                        h.path("steps").asLong(), h.path("rows").asLong(), h.path("seconds").asDouble()));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> run = JSON.convertValue(meta.path("run"), Map.class);
            return new Checkpoint(theta, state, meta.path("epochs_done").asInt(), meta.path("steps").asLong(),
                    Double.longBitsToDouble(meta.path("first_loss_bits").asLong()),
                    Double.longBitsToDouble(meta.path("prev_loss_bits").asLong()), history, run,
                    new EpochProgress(meta.path("batches_done").asInt(0), Double.longBitsToDouble(meta.path("epoch_loss_sum_bits").asLong(0)),
                            meta.path("epoch_rows").asLong(0), meta.path("epoch_seconds").asDouble(0)));
        } catch (ZipException | java.io.EOFException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(file + ": corrupt checkpoint (" + (e.getMessage() == null ? "truncated zip structure"
                    : e.getMessage().lines().findFirst().orElse("")) + ")");
        }
    }

    private static INDArray array(ZipFile zip, String name, Path file) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new DataFormatException(file + ": corrupt checkpoint (no " + name + ")");
        }
        byte[] bytes = verified(zip, e, file);
        return Npy.read(new java.io.ByteArrayInputStream(bytes), bytes.length, file + "[" + name + "]");
    }

    /** An entry's bytes, checked against its CRC-32 (ZipFile itself does not check). */
    private static byte[] verified(ZipFile zip, ZipEntry e, Path file) throws IOException {
        long declared = e.getSize();
        // A zip states each entry's inflated size: refuse what would not fit before inflating it.
        if (declared < 0 || declared > Integer.MAX_VALUE - 8 || 2 * declared > dev.descent.host.MemoryBudget.availableBytes()) {
            throw new DataFormatException(String.format(java.util.Locale.ROOT,
                    "%s: corrupt checkpoint (%s declares %,d bytes inflated; %.2f GB of memory is available)", file, e.getName(),
                    declared, dev.descent.host.MemoryBudget.availableBytes() / 1e9));
        }
        byte[] bytes;
        try (var in = zip.getInputStream(e)) {
            bytes = in.readNBytes((int) declared + 1); // never more than declared: a lying size is caught below
        } catch (java.util.zip.ZipException | java.io.EOFException x) {
            throw new DataFormatException(file + ": corrupt checkpoint (" + e.getName() + ": " + x.getMessage() + ")");
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        if (crc.getValue() != e.getCrc() || bytes.length != e.getSize()) {
            throw new DataFormatException(file + ": corrupt checkpoint (" + e.getName() + " fails its CRC-32)");
        }
        return bytes;
    }
}
