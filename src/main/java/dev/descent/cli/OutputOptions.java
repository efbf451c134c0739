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
    static java.util.List<Path> removeEmptyCreated() {
        java.util.List<Path> removed = new java.util.ArrayList<>();
        unlockAll();
        for (Created c : CREATED) {
            try (var files = Files.list(c.dir())) { // empty but for our lock file
                List<Path> left = files.toList();
                if (left.size() == 1 && left.get(0).getFileName().toString().equals(LOCK)) {
                    Files.deleteIfExists(left.get(0));
                }
            } catch (IOException e) {
                // not there any more, or unreadable: nothing to remove
            }
            CREATED.remove(c);
            Path p = c.dir();
            while (p != null && p.startsWith(c.top())) {
                try {
                    Files.delete(p); // only an empty directory can be deleted
                } catch (IOException e) {
                    break;
                }
                if (p.equals(c.dir())) {
                    removed.add(p);
                }
                p = p.getParent();
            }
        }
        return removed;
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
        lock(dir);
        return dir;
    }

    /** The lock file in a run directory: held while a command writes there. */
    static final String LOCK = ".descent.lock";

    private record Held(Path dir, java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
    }

    private static final List<Held> LOCKS = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * A temporary file that {@code AtomicFiles} writes and a dead run left behind: ".NAME.EXT.DIGITS.EXT" (the
     * target's own extension twice) or ".NAME.DIGITS.tmp".
     */
    private static final java.util.regex.Pattern STALE =
            java.util.regex.Pattern.compile("\\.[^/]+\\.([A-Za-z0-9]+)\\.[0-9]{6,}\\.\\1|\\.[^/]+\\.[0-9]{6,}\\.tmp");

    /**
     * Takes the run directory's lock for this process, refusing a second run in the same directory, then
     * clears what a dead run left there: temporary files and an interrupted model save.
     *
     * @throws IllegalArgumentException when another live process holds the lock
     */
    static void lock(Path dir) throws IOException {
        Path file = dir.resolve(LOCK);
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null; // this JVM holds it already (a command run twice in one process)
        }
        if (l == null) {
            ch.close();
            throw new IllegalArgumentException("--out " + dir + " is in use by another descent run; wait for it to end or"
                    + " choose another --out");
        }
        LOCKS.add(new Held(dir, ch, l));
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && STALE.matcher(f.getFileName().toString()).matches()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        dev.descent.model.ModelStore.recover(dir.resolve("model"));
    }

    /** Releases the locks this process holds (the lock files stay: deleting one could split a lock). */
    private static void unlockAll() {
        for (Held h : LOCKS) {
            LOCKS.remove(h);
            try {
                h.lock().release();
                h.channel().close();
            } catch (IOException e) {
                // released with the process anyway
            }
        }
    }
}
