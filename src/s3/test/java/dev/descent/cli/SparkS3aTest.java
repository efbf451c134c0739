package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.Npy;
import dev.descent.data.SyntheticData;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * train --spark reading s3a:// paths through Hadoop's S3A client (hadoop-aws, the -Ps3 profile): an S3 endpoint in
 * this JVM (S3Proxy over jclouds' in-memory store) on 127.0.0.1, with a key pair that it checks (AWS signatures
 * v2 or v4). A CSV file through Spark's reader and an .npy pair through descent's reader train to the same bits
 * as the same files on disk; a missing object and wrong keys stop in one line.
 */
class SparkS3aTest {
    private static final String KEY = "descent-key";
    private static final String SECRET = "descent-secret";
    private static final Map<String, String> HADOOP = new java.util.LinkedHashMap<>();

    @TempDir
    static Path tmp;
    private static S3Proxy s3;
    private static BlobStore store;

    @BeforeAll
    static void startS3() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder(new org.jclouds.blobstore.TransientApiMetadata()).credentials("local", "local").build(BlobStoreContext.class);
        store = context.getBlobStore();
        store.createContainerInLocation(null, "rows");
        s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
        s3.start();
        for (int i = 0; i < 500 && !"STARTED".equals(s3.getState()); i++) {
            Thread.sleep(10);
        }
        assertEquals("STARTED", s3.getState());
        // What a user passes as --conf spark.hadoop.fs.s3a.…: SparkConf reads spark.* system properties.
        HADOOP.put("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:" + s3.getPort());
        HADOOP.put("spark.hadoop.fs.s3a.path.style.access", "true");
        HADOOP.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        HADOOP.put("spark.hadoop.fs.s3a.access.key", KEY);
        HADOOP.put("spark.hadoop.fs.s3a.secret.key", SECRET);
        HADOOP.put("spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        HADOOP.put("spark.hadoop.fs.s3a.attempts.maximum", "1");
        HADOOP.put("spark.hadoop.fs.s3a.retry.limit", "1");
        HADOOP.forEach(System::setProperty);
    }

    @AfterAll
    static void stopS3() throws Exception {
        HADOOP.keySet().forEach(System::clearProperty);
        if (s3 != null) {
            s3.stop();
        }
    }

    private static void put(String name, Path file) throws Exception {
        store.putBlob("rows", store.blobBuilder(name).payload(Files.readAllBytes(file)).contentLength(Files.size(file)).build());
    }

    @Test
    void aCsvAndAnNpyPairOnS3TrainAsTheSameFilesOnDisk() throws Exception {
        Dataset d = new SyntheticData(3000, 3, 2, 0.2, DataType.DOUBLE, 6).generate().data();
        Path local = dev.descent.spark.TestCsv.write(tmp.resolve("rows.csv"), "a,b,c,t1,t2", d);
        put("data/rows.csv", local);
        String[] run = {"--spark", "local[2]", "--solver", "gd", "--target", "t1", "--target", "t2", "--dtype", "float64",
            "--epochs", "5", "--optimizer", "nesterov-keras", "--lr", "0.2", "--momentum", "0.8", "--scale-x", "standard",
            "--progress", "off"};
        Path onDisk = tmp.resolve("csv-disk");
        TrainCommandTest.Run a = descent(concat(new String[] {"train", "--data", local.toString(), "--out", onDisk.toString()}, run));
        assertEquals(0, a.code(), a.err());
        Path onS3 = tmp.resolve("csv-s3");
        TrainCommandTest.Run b = descent(concat(new String[] {"train", "--data", "s3a://rows/data/rows.csv", "--out", onS3.toString()}, run));
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("data: csv s3a://rows/data/rows.csv  train 2,400 rows, test 600 (seeded random rows)"), b.out());
        assertEquals(Npy.read(onDisk.resolve("model/W.npy")), Npy.read(onS3.resolve("model/W.npy")), "W: s3a vs disk");
        assertEquals(Npy.read(onDisk.resolve("model/B.npy")), Npy.read(onS3.resolve("model/B.npy")), "B: s3a vs disk");

        Path xf = tmp.resolve("x.npy");
        Path yf = tmp.resolve("y.npy");
        Npy.write(xf, d.x());
        Npy.write(yf, d.y());
        put("npy/x.npy", xf);
        put("npy/y.npy", yf);
        String[] npy = {"--spark", "local[2]", "--solver", "local-sgd", "--partitions", "3", "--batch-size", "64", "--epochs", "3",
            "--lr", "0.05", "--progress", "off"};
        Path npyDisk = tmp.resolve("npy-disk");
        TrainCommandTest.Run c = descent(concat(new String[] {"train", "--data", xf.toString(), "--data-y", yf.toString(), "--out",
            npyDisk.toString()}, npy));
        assertEquals(0, c.code(), c.err());
        Path npyS3 = tmp.resolve("npy-s3");
        TrainCommandTest.Run e = descent(concat(new String[] {"train", "--data", "s3a://rows/npy/x.npy", "--data-y", "s3a://rows/npy/y.npy",
            "--out", npyS3.toString()}, npy));
        assertEquals(0, e.code(), e.err());
        assertArrayEquals(Npy.read(npyDisk.resolve("model/W.npy")).data().asDouble(), Npy.read(npyS3.resolve("model/W.npy")).data().asDouble(),
                0.0, "W: s3a vs disk, to the bit");

        TrainCommandTest.Run missing = descent(concat(new String[] {"train", "--data", "s3a://rows/npy/none.npy", "--data-y",
            "s3a://rows/npy/y.npy", "--out", tmp.resolve("npy-missing").toString()}, npy));
        assertTrue(missing.code() != 0, missing.err());
        assertTrue(missing.err().contains("s3a://rows/npy/none.npy: cannot open it on its Hadoop file system (FileNotFoundException"),
                missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
    }

    /** A secret the endpoint does not know: S3 refuses it (403, AccessDenied), said in one line, no run directory left. */
    @Test
    void wrongKeysAreOneLineErrors() throws Exception {
        Path small = tmp.resolve("small.csv");
        Files.writeString(small, "u,t1\n1,2\n2,4\n3,6\n");
        put("data/small.csv", small);
        System.setProperty("spark.hadoop.fs.s3a.secret.key", "not-the-secret");
        System.setProperty("spark.hadoop.fs.s3a.impl.disable.cache", "true"); // not the file system of the right keys
        try {
            Path out = tmp.resolve("denied");
            TrainCommandTest.Run r = descent("train", "--spark", "local[2]", "--solver", "exact", "--data", "s3a://rows/data/small.csv",
                    "--target", "t1", "--progress", "off", "--out", out.toString());
            assertTrue(r.code() != 0, r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertEquals("train: permission denied: s3a://rows/data/small.csv", r.err().strip());
            assertTrue(!Files.exists(out), "no run directory is left");
        } finally {
            System.setProperty("spark.hadoop.fs.s3a.secret.key", SECRET);
            System.clearProperty("spark.hadoop.fs.s3a.impl.disable.cache");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
