package dev.descent.cli;

import dev.descent.engine.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a training checkpoint records about its run so that {@code --resume} continues that run and no
 * other: the command's arguments (data files as absolute paths), the run directory, and each data file's
 * fingerprint; and the check of all three on resume.
 */
final class RunIdentity {
    private RunIdentity() {
    }

    /** Options that name data files: recorded as absolute paths, so a resume from elsewhere reads the same files. */
    private static final java.util.List<String> DATA_OPTIONS = java.util.List.of("--data", "--data-y", "--test-data", "--test-data-y");

    /**
     * What a checkpoint records so that a resume continues this run and no other: the arguments (data files
     * as absolute paths), the run directory, and each data file's fingerprint.
     */
    static Map<String, Object> of(java.util.List<String> originalArgs, Path dir) throws IOException {
        java.util.List<String> args = new java.util.ArrayList<>(withoutOutput(originalArgs));
        Map<String, Object> fingerprints = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String option = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!DATA_OPTIONS.contains(option)) {
                continue;
            }
            boolean inline = a.contains("=");
            if (!inline && i + 1 >= args.size()) {
                continue;
            }
            String value = inline ? a.substring(a.indexOf('=') + 1) : args.get(i + 1);
            if (dev.descent.data.DataFiles.remote(value)) {
                continue; // hdfs://…, s3a://… (--spark): kept as written; Spark reads it, nothing to fingerprint here
            }
            Path file = Path.of(value).toAbsolutePath().normalize();
            if (inline) {
                args.set(i, option + "=" + file);
            } else {
                args.set(++i, file.toString());
            }
            fingerprints.put(file.toString(), dev.descent.data.Fingerprint.of(file));
        }
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("args", args);
        id.put("run_dir", dir.toAbsolutePath().normalize().toString());
        id.put("data_fingerprints", fingerprints);
        return id;
    }

    /** Refuses a checkpoint from another run directory, or one whose data files changed since it was written. */
    static void check(Checkpoint c, Path dir, Path file) throws IOException {
        Object recordedDir = c.describe().get("run_dir");
        String here = dir.toAbsolutePath().normalize().toString();
        if (recordedDir != null && !recordedDir.equals(here)) {
            throw new IllegalArgumentException(file + " was written by the run in " + recordedDir + " (copied here?); resume"
                    + " that run there, or move the whole directory back");
        }
        if (c.describe().get("data_fingerprints") instanceof Map<?, ?> prints) {
            for (var e : prints.entrySet()) {
                Path data = Path.of(String.valueOf(e.getKey()));
                if (!Files.isRegularFile(data)) {
                    throw new IllegalArgumentException(file + ": the run's data file " + data + " is gone");
                }
                if (!dev.descent.data.Fingerprint.of(data).equals(String.valueOf(e.getValue()))) {
                    throw new IllegalArgumentException(file + ": the data file " + data + " changed since the checkpoint was"
                            + " written (size or contents); a resume must train on the data the run started with");
                }
            }
        }
    }

    /** The command's arguments without --out/--overwrite/--resume/--progress (a resume sets its own). */
    static java.util.List<String> withoutOutput(java.util.List<String> args) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = args.isEmpty() || !args.get(0).equals("train") ? 0 : 1; i < args.size(); i++) {
            String x = args.get(i);
            if (x.equals("--out") || x.equals("--progress") || x.equals("--resume")) {
                i++;
            } else if (!x.equals("--overwrite") && !x.startsWith("--out=") && !x.startsWith("--progress=")) {
                out.add(x);
            }
        }
        return out;
    }
}
