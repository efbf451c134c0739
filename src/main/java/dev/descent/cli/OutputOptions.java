package dev.descent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * --out and --overwrite: the output directory is created and checked writable before any work, a
 * previous run's directory is not overwritten unless asked, and a directory that a failed run created
 * and left empty is removed when the command ends.
 */
final class OutputOptions {
    /** Files that mark a directory as holding a run's results. */
    static final List<String> RUN_FILES = List.of("summary.json", "history.csv", "checkpoint.ckpt", "model", "compare.json",
            "sweep.json", "ema.png", "bench.json");

    /** A directory this process created, and the topmost of the directories created with it. */
    private record Created(Path dir, Path top) {
    }

    private static final List<Created> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Removes the output directories this process created and left empty (a run that failed or was
     * interrupted before writing anything), with the parents created for them. Called when a command ends.
     */
    static void removeEmptyCreated() {
        for (Created c : CREATED) {
            CREATED.remove(c);
            Path p = c.dir();
            while (p != null && p.startsWith(c.top())) {
                try {
                    Files.delete(p); // only an empty directory can be deleted
                } catch (IOException e) {
                    break;
                }
                p = p.getParent();
            }
        }
    }

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<command>-<date-time>).")
    Path out;

    @Option(names = "--overwrite", description = "Write into --out even if it holds a previous run's results.")
    boolean overwrite;

    /** The directory for {@code command}, created; refused if it holds a previous run (unless --overwrite). */
    Path create(String command) throws IOException {
        Path dir = out;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dir = Path.of("runs", command + "-" + stamp);
            for (int i = 2; Files.exists(dir); i++) {
                dir = Path.of("runs", command + "-" + stamp + "-" + i);
            }
        } else if (!overwrite) {
            for (String f : RUN_FILES) {
                if (Files.exists(dir.resolve(f))) {
                    throw new IllegalArgumentException("--out " + dir + " holds a previous run (" + f + "); use --overwrite to"
                            + " replace it" + (command.equals("train") ? " or --resume " + dir + " to continue it" : ""));
                }
            }
        }
        try {
            Path missing = dir.toAbsolutePath().normalize();
            while (missing.getParent() != null && !Files.exists(missing.getParent())) {
                missing = missing.getParent();
            }
            boolean fresh = !Files.exists(dir);
            Files.createDirectories(dir);
            if (fresh) {
                CREATED.add(new Created(dir.toAbsolutePath().normalize(), missing));
            }
        } catch (IOException e) {
            throw new IOException("--out " + dir + ": cannot create directory (" + e.getMessage() + ")", e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException("--out " + dir + ": not a writable directory");
        }
        return dir;
    }
}
