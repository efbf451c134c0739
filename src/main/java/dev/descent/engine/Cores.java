package dev.descent.engine;

import java.util.concurrent.Callable;

/**
 * The cores the current thread's training may use: the JVM's, unless the caller says fewer for a piece of
 * work ({@link #within}) — a Spark task runs with the CPUs its scheduler gave it (one by default), while the
 * executor's JVM sees every core of its machine. The one-thread kernel starts its gather helper only when
 * this is more than one.
 */
public final class Cores {
    private static final ThreadLocal<Integer> LIMIT = new ThreadLocal<>();

    private Cores() {
    }

    /** The JVM's available processors, or fewer where {@link #within} set a limit on this thread. */
    public static int available() {
        int jvm = Runtime.getRuntime().availableProcessors();
        Integer limit = LIMIT.get();
        return limit == null ? jvm : Math.min(limit, jvm);
    }

    /** Runs {@code body} on this thread with at most {@code cores} cores for the kernels it creates. */
    public static <T> T within(int cores, Callable<T> body) throws Exception {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, got " + cores);
        }
        Integer before = LIMIT.get();
        LIMIT.set(cores);
        try {
            return body.call();
        } finally {
            if (before == null) {
                LIMIT.remove();
            } else {
                LIMIT.set(before);
            }
        }
    }
}
