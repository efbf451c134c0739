import java.io.FileOutputStream;
import java.io.OutputStream;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A YARN ResourceManager and one NodeManager in this JVM (Hadoop's MiniYARNCluster, from hadoop-client-minicluster)
 * on 127.0.0.1, for benchmarks/spark/yarn-check.sh: writes the cluster's yarn-site.xml into the folder given (a
 * HADOOP_CONF_DIR for spark-submit --master yarn), prints "ready", and stops when its standard input closes.
 * Run as a single source file: java -cp CLASSPATH MiniYarn.java CONF_DIR MEMORY_MB VCORES.
 */
public class MiniYarn {
    public static void main(String[] args) throws Exception {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
        conf.set("fs.defaultFS", "file:///");                       // the staging folder on the local disk
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, Integer.parseInt(args[1]));
        conf.setInt(YarnConfiguration.NM_VCORES, Integer.parseInt(args[2]));
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        // one queue, first come first served (the capacity scheduler's queue file is not in the shaded jar)
        conf.set(YarnConfiguration.RM_SCHEDULER, "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false); // JVMs reserve far more than they use
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.5f);
        MiniYARNCluster cluster = new MiniYARNCluster("descent-yarn-check", 1, 1, 1);
        cluster.init(conf);
        cluster.start();
        try (OutputStream out = new FileOutputStream(args[0] + "/yarn-site.xml")) {
            cluster.getConfig().writeXml(out);
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the script ends (its end of our stdin)
        }
        cluster.stop();
    }
}
