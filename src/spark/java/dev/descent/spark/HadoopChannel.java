package dev.descent.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * A file of a Hadoop file system ({@code hdfs:}, {@code s3a:}, …) as a read-only seekable channel, so that
 * descent's own .npy reader ({@link dev.descent.data.NpyRowSource}) reads row ranges of it as of a local file.
 * The file system is configured as Spark configures it: Hadoop's defaults and the job's {@code spark.hadoop.*}.
 */
final class HadoopChannel implements SeekableByteChannel {
    private final FSDataInputStream in;
    private final long size;
    private final byte[] chunk = new byte[1 << 20];
    private boolean open = true;

    private HadoopChannel(FSDataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    /** Opens {@code location} (a URI with a scheme) for reading. */
    static HadoopChannel open(String location) throws IOException {
        try {
            Path p = new Path(location);
            FileSystem fs = p.getFileSystem(configuration());
            long size = fs.getFileStatus(p).getLen();
            return new HadoopChannel(fs.open(p), size);
        } catch (IOException | RuntimeException e) { // a missing file, an unknown host, no file system for the scheme
            String missing = ClusterData.missingFileSystem(e);
            Throwable cause = e.getCause() != null && e.getMessage() != null && e.getMessage().startsWith("java.") ? e.getCause() : e;
            throw new java.io.FileNotFoundException(location + ": cannot open it on its Hadoop file system (" + (missing != null
                    ? missing + ClusterData.NO_FILE_SYSTEM : cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage())) + ")");
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }

    /** Hadoop's configuration with the Spark job's {@code spark.hadoop.*} entries, on the driver and on executors. */
    static Configuration configuration() {
        Configuration c = new Configuration();
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            for (Tuple2<String, String> kv : env.conf().getAll()) {
                if (kv._1().startsWith("spark.hadoop.")) {
                    c.set(kv._1().substring("spark.hadoop.".length()), kv._2());
                }
            }
        }
        return c;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int got = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()));
        if (got > 0) {
            dst.put(chunk, 0, got);
        }
        return got;
    }

    @Override
    public long position() throws IOException {
        return in.getPos();
    }

    @Override
    public SeekableByteChannel position(long p) throws IOException {
        in.seek(p);
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long s) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        in.close();
    }
}
