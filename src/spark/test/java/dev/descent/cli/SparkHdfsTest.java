package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.descent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.Npy;
import dev.descent.data.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * train --spark reading hdfs:// paths: an HDFS namenode and datanode in this JVM (Hadoop's MiniDFSCluster, the
 * version Spark's client is), a CSV file on it, trained, checkpointed and resumed as the same file on disk.
 */
class SparkHdfsTest {
    @TempDir
    static Path tmp;
    private static MiniDFSCluster dfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
    }

    @AfterAll
    static void stopHdfs() {
        if (dfs != null) {
            dfs.shutdown();
        }
    }

    @Test
    void aCsvOnHdfsTrainsResumesAndEqualsTheSameFileOnDisk() throws Exception {
        Dataset d = new SyntheticData(4000, 3, 2, 0.2, DataType.DOUBLE, 5).generate().data();
        Path local = dev.descent.spark.TestCsv.write(tmp.resolve("rows.csv"), "a,b,c,t1,t2", d);
        dfs.getFileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()),
                new org.apache.hadoop.fs.Path("/data/rows.csv"));
        String uri = dfs.getURI() + "/data/rows.csv";
        assertTrue(uri.startsWith("hdfs://"), uri);

        String[] run = {"--spark", "local[2]", "--solver", "gd", "--target", "t1", "--target", "t2", "--dtype", "float64",
            "--epochs", "6", "--optimizer", "nesterov-keras", "--lr", "0.2", "--momentum", "0.8", "--progress", "off"};
        Path onDisk = tmp.resolve("disk");
        TrainCommandTest.Run a = descent(concat(new String[] {"train", "--data", local.toString(), "--out", onDisk.toString()}, run));
        assertEquals(0, a.code(), a.err());
        Path onHdfs = tmp.resolve("hdfs");
        TrainCommandTest.Run b = descent(concat(new String[] {"train", "--data", uri, "--checkpoint-every", "2", "--out",
            onHdfs.toString()}, run));
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("train 3,200 rows, test 800 (seeded random rows)  nX=3  nY=2"), b.out()); // the default 0.2
        assertEquals(Npy.read(onDisk.resolve("model/W.npy")), Npy.read(onHdfs.resolve("model/W.npy")), "W: hdfs vs disk");
        assertEquals(Npy.read(onDisk.resolve("model/B.npy")), Npy.read(onHdfs.resolve("model/B.npy")), "B: hdfs vs disk");

        TrainCommandTest.Run again = descent("train", "--resume", onHdfs.toString(), "--progress", "off");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("after epoch 4 of 6"), again.out());
        assertEquals(Npy.read(onDisk.resolve("model/W.npy")), Npy.read(onHdfs.resolve("model/W.npy")), "W after --resume");
    }

    /** .npy files on HDFS: every executor reads its row range through Hadoop, the same bits as from disk. */
    @Test
    void npyFilesOnHdfsTrainAsTheSameFilesOnDisk() throws Exception {
        Dataset d = new SyntheticData(3000, 4, 1, 0.2, DataType.DOUBLE, 8).generate().data();
        Path x = tmp.resolve("x.npy");
        Path y = tmp.resolve("y.npy");
        Npy.write(x, d.x());
        Npy.write(y, d.y());
        for (Path f : new Path[] {x, y}) {
            dfs.getFileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()),
                    new org.apache.hadoop.fs.Path("/npy/" + f.getFileName()));
        }
        String[] run = {"--spark", "local[2]", "--solver", "local-sgd", "--partitions", "3", "--batch-size", "64", "--epochs", "3",
            "--lr", "0.05", "--progress", "off"};
        Path onDisk = tmp.resolve("npy-disk");
        TrainCommandTest.Run a = descent(concat(new String[] {"train", "--data", x.toString(), "--data-y", y.toString(), "--out",
            onDisk.toString()}, run));
        assertEquals(0, a.code(), a.err());
        Path onHdfs = tmp.resolve("npy-hdfs");
        TrainCommandTest.Run b = descent(concat(new String[] {"train", "--data", dfs.getURI() + "/npy/x.npy", "--data-y",
            dfs.getURI() + "/npy/y.npy", "--out", onHdfs.toString()}, run));
        assertEquals(0, b.code(), b.err());
        assertEquals(Npy.read(onDisk.resolve("model/W.npy")), Npy.read(onHdfs.resolve("model/W.npy")), "W: hdfs vs disk");
        assertArrayEquals(Npy.read(onDisk.resolve("model/B.npy")).data().asDouble(), Npy.read(onHdfs.resolve("model/B.npy")).data().asDouble(),
                0.0, "B: hdfs vs disk, to the bit");

        TrainCommandTest.Run missing = descent(concat(new String[] {"train", "--data", dfs.getURI() + "/npy/none.npy", "--data-y",
            dfs.getURI() + "/npy/y.npy", "--out", tmp.resolve("npy-missing").toString()}, run));
        assertTrue(missing.code() != 0, missing.err());
        assertTrue(missing.err().contains("/npy/none.npy: cannot open it on its Hadoop file system (FileNotFoundException"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
