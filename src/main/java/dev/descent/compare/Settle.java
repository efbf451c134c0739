package dev.descent.compare;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Lets the work a run leaves behind finish before the next run is timed. DL4J's per-batch arrays live
 * off-heap until the collector finds their wrappers, and then ND4J's deallocator threads free them: run
 * right after a DL4J side, that freeing took the second core from the engine's gather (a batch-256 bench
 * cell measured at half its speed). Called outside every timed region.
 */
final class Settle {
    /** A window in which the other threads used less CPU than this counts as quiet. */
    static final long QUIET_CPU_NANOS = 10_000_000L;
    static final long WINDOW_MILLIS = 100;
    static final long MAX_MILLIS = 10_000;

    private Settle() {
    }

    /**
     * Collects garbage, then waits until the JVM's other threads use under {@link #QUIET_CPU_NANOS} of CPU
     * in a {@link #WINDOW_MILLIS} window, for at most {@link #MAX_MILLIS}. Returns the milliseconds waited.
     */
    static long quiet() {
        System.gc();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
            return 0;
        }
        long before = othersCpuNanos(mx);
        while (System.nanoTime() - start < MAX_MILLIS * 1_000_000L) {
            try {
                Thread.sleep(WINDOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = othersCpuNanos(mx);
            if (now - before < QUIET_CPU_NANOS) {
                break;
            }
            before = now;
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }

    private static long othersCpuNanos(ThreadMXBean mx) {
        long me = Thread.currentThread().getId();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            if (id != me) {
                long t = mx.getThreadCpuTime(id); // -1 once a thread has ended
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }
}
