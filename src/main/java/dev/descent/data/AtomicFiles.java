package dev.descent.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a file through a temporary sibling, fsynced, then renamed over the target. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes a file's bytes. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * A hidden temporary sibling ending in the target's own extension (some writers append theirs), readable
     * by all like an ordinary new file (createTempFile alone makes it owner-only).
     */
    private static Path temporary(Path dir, Path target) throws IOException {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path tmp = Files.createTempFile(dir, "." + name + ".", dot > 0 ? name.substring(dot) : ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
        return tmp;
    }

    /** A writer that needs a path (libraries that write files themselves). */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path tmp) throws IOException;
    }

    /** Lets {@code writer} write a temporary sibling path, then renames it over {@code target}. */
    public static void writeVia(Path target, PathWriter writer) throws IOException {
        try {
            writeViaTemporary(target, writer);
        } catch (IOException e) {
            throw named(target, e);
        }
    }

    private static void writeViaTemporary(Path target, PathWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = temporary(dir, target);
        try {
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes {@code target} atomically: readers see the old file or the whole new one, never a part. An I/O
     * error (a full disk, say) names the file: "runs/x/history.csv: cannot write (No space left on device)".
     */
    public static void write(Path target, Writer writer) throws IOException {
        try {
            writeAtomically(target, writer);
        } catch (IOException e) {
            throw named(target, e);
        }
    }

    /** An I/O error with the file in its message (once). */
    static IOException named(Path target, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains(target.getFileName().toString())) {
            return e;
        }
        return new IOException(target + ": cannot write (" + (e.getMessage() == null ? e.toString() : m) + ")", e);
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = temporary(dir, target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch))) {
                // Writers (Jackson) may close what they are given: hand them a stream whose close only flushes.
                writer.write(new java.io.FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
