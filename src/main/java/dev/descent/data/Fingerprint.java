package dev.descent.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A data file's identity for resume checks: its size and a SHA-256 of its contents — all of them up to
 * {@value #WHOLE_BYTES} bytes, beyond that {@value #SAMPLES} blocks of 64 KB spread evenly over the file
 * (so a change confined to bytes between the samples of a very large file is not seen).
 */
public final class Fingerprint {
    static final long WHOLE_BYTES = 256L << 20;
    static final int SAMPLES = 1024;
    private static final int BLOCK = 64 << 10;

    private Fingerprint() {
    }

    /** "size:sha256hex" of the file. */
    public static String of(Path file) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            if (size <= WHOLE_BYTES) {
                while (ch.read(buf) > 0) {
                    buf.flip();
                    d.update(buf);
                    buf.clear();
                }
            } else {
                for (int k = 0; k < SAMPLES; k++) {
                    long at = (size - BLOCK) / (SAMPLES - 1) * k;
                    buf.clear();
                    while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
                        // fill the block
                    }
                    buf.flip();
                    d.update(buf);
                }
            }
            return size + ":" + HexFormat.of().formatHex(d.digest());
        }
    }
}
