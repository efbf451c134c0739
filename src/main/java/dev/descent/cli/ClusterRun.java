package dev.descent.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

/**
 * {@code train --spark}: hands the command to the Spark code, which only the Spark build holds
 * ({@code mvn -Pspark}, {@code DESCENT_PROFILE=spark ./descent}); the default build stays free of Spark.
 */
final class ClusterRun {
    static final String SPARK_RUNNER = "dev.descent.cli.SparkTraining";

    private ClusterRun() {
    }

    static boolean available() {
        try {
            Class.forName(SPARK_RUNNER);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** @param resumeFrom the checkpoint to continue from, or null */
    static int run(TrainCommand cmd, dev.descent.engine.Checkpoint resumeFrom) throws IOException {
        if (!available()) {
            throw new IllegalArgumentException("--spark needs the Spark build of descent: DESCENT_PROFILE=spark ./descent train --spark "
                    + cmd.spark + " ... (or mvn -Pspark package)");
        }
        try {
            return (Integer) Class.forName(SPARK_RUNNER).getMethod("run", TrainCommand.class, dev.descent.engine.Checkpoint.class)
                    .invoke(null, cmd, resumeFrom);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Spark build's runner cannot be called: " + e, e);
        }
    }
}
