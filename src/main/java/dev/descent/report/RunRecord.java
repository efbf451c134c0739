package dev.descent.report;

import dev.descent.engine.StopReason;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The record of a training run, as summary.json and model.json hold it: the one-word status, the
 * training block (batching, steps, stop, speed), the parameters (every value when small, norms when
 * large), and the line that says how long it took.
 */
public final class RunRecord {
    private RunRecord() {
    }

    /** A map in the order of its keys (JSON output keeps it). */
    public static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The summary's one-word status of a training run. */
    public static String status(StopReason stop) {
        return switch (stop) {
            case EPOCHS -> "completed";
            case CONVERGED -> "converged";
            case DIVERGED -> "diverged";
            case INTERRUPTED -> "interrupted";
        };
    }

    /** The training block: what was asked, what ran, why it stopped, how fast. */
    public static Map<String, Object> training(Trainer.Config c, TrainingResult r, long nTrain) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", c.batchFor(nTrain));
        m.put("epochs_requested", c.epochs());
        m.put("epochs_run", r.history().size());
        m.put("steps", r.steps());
        m.put("shuffle", c.shuffle());
        m.put("drop_last", c.dropLast());
        m.put("tolerance", c.tolerance());
        m.put("shuffle_seed", c.seed());
        m.put("kernel", c.kernel().resolve().name().toLowerCase(Locale.ROOT));
        m.put("threads", c.threads());
        m.put("stop", r.stop().name().toLowerCase(Locale.ROOT));
        if (r.message() != null) {
            m.put("message", r.message());
        }
        m.put("seconds", r.seconds());
        long rows = r.history().stream().mapToLong(s -> s.rows()).sum();
        m.put("samples_per_s", r.seconds() > 0 ? rows / r.seconds() : null);
        if (r.last() != null) {
            m.put("final_epoch_train_loss", r.last().trainLoss());
        }
        return m;
    }

    /** "time: … s over E epochs, … s/epoch, … samples/s", when an epoch finished. */
    public static void printTime(PrintWriter o, TrainingResult result) {
        if (result.last() != null) {
            o.printf(Locale.ROOT, "time: %.3f s over %d epochs, %.3f s/epoch, %,.0f samples/s%n", result.seconds(),
                    result.history().size(), result.seconds() / result.history().size(),
                    result.history().stream().mapToLong(s -> s.rows()).sum() / result.seconds());
        }
    }

    /**
     * Prints W and B (every value, in the shortest form that reads back to the same value of its type,
     * when W has at most 20; else norms) and records them in {@code results} under names ending in {@code suffix}.
     */
    public static void parameters(PrintWriter out, String label, LinearModel model, Map<String, Object> results, String suffix) {
        INDArray w = model.weights();
        INDArray b = model.bias();
        if (w.length() <= 20) {
            boolean f32 = w.dataType() == DataType.FLOAT;
            Object wv = f32 ? w.toFloatMatrix() : w.castTo(DataType.DOUBLE).toDoubleMatrix();
            Object bv = f32 ? b.toFloatVector() : b.castTo(DataType.DOUBLE).toDoubleVector();
            out.println(label + "W = " + Arrays.deepToString((Object[]) wv));
            out.println(label + "B = " + (f32 ? Arrays.toString((float[]) bv) : Arrays.toString((double[]) bv)));
            results.put("W" + suffix, wv);
            results.put("B" + suffix, bv);
        } else {
            INDArray wd = w.castTo(DataType.DOUBLE);
            INDArray bd = b.castTo(DataType.DOUBLE);
            out.printf(Locale.ROOT, "%sW: %d×%d, ‖W‖ = %.6g, max |w| = %.6g;  B: ‖B‖ = %.6g (all values in model/W.npy, B.npy)%n",
                    label, w.rows(), w.columns(), wd.norm2Number().doubleValue(), wd.amaxNumber().doubleValue(),
                    bd.norm2Number().doubleValue());
            results.put("W_norm" + suffix, wd.norm2Number().doubleValue());
            results.put("B" + suffix, b.length() <= 100 ? bd.toDoubleVector() : null);
        }
    }
}
