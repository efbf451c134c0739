package dev.descent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Output directories: created and checked writable before any work, so a bad path fails first. */
final class OutputDirs {
    private OutputDirs() {
    }

    /** {@code out}, or {@code runs/<command>-<date-time>} when null; created if missing. */
    static Path create(Path out, String command) throws IOException {
        Path dir = out != null ? out
                : Path.of("runs", command + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("--out " + dir + ": cannot create directory (" + e.getMessage() + ")", e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException("--out " + dir + ": not a writable directory");
        }
        return dir;
    }
}
