package dev.descent.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * A daemon thread that serves a caller step after step: it does its work while there is some, spins for
 * {@link Tuning#GATHER_SPIN_NANOS} when there is none (the next step usually comes within microseconds), then
 * parks, and ends after {@link Tuning#GATHER_IDLE_NANOS} without work, so an abandoned owner leaks no thread.
 * The caller publishes work (in a volatile field the {@link Work} reads) and then calls {@link #wake}, which
 * starts the thread again if it ended and unparks it if it sleeps. A failure of the work is kept for the caller
 * ({@link #failure}), who waits on results and must not wait forever; the thread then ends.
 */
final class HelperThread implements Runnable {

    /** What the thread does. Both methods run on it. */
    interface Work {
        /** Does the pending work, if any; true if there was some. */
        boolean run();

        /** Whether work is pending (read after the thread says it parks, and before it ends). */
        boolean pending();
    }

    private final String name;
    private final Work work;
    private final boolean yielding;
    private final Object lock = new Object();
    private boolean alive; // guarded by lock
    private volatile Thread thread;
    private volatile boolean parked;
    private volatile Throwable failure;

    /**
     * @param yielding spin by yielding the core rather than with {@link Thread#onSpinWait} (when threads outnumber
     *     cores, a spinning wait would hold the core the others need)
     */
    HelperThread(String name, Work work, boolean yielding) {
        this.name = name;
        this.work = work;
        this.yielding = yielding;
    }

    /** After work is published: starts the thread if it ended, or unparks it if it sleeps. */
    void wake() {
        synchronized (lock) {
            if (!alive) {
                alive = true;
                Thread t = new Thread(this, name);
                t.setDaemon(true);
                thread = t;
                t.start();
                return;
            }
        }
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** What the work threw, or null. */
    Throwable failure() {
        return failure;
    }

    /** Whether the thread runs (tests). */
    boolean alive() {
        synchronized (lock) {
            return alive;
        }
    }

    /** A spinning wait's pause: {@link Thread#onSpinWait}, or a yield of the core. */
    void pause() {
        pause(yielding);
    }

    static void pause(boolean yielding) {
        if (yielding) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (RuntimeException | Error e) {
            failure = e;
            synchronized (lock) {
                alive = false;
            }
        }
    }

    private void serve() {
        long idleSince = System.nanoTime();
        while (true) {
            if (work.run()) {
                idleSince = System.nanoTime();
                continue;
            }
            long idle = System.nanoTime() - idleSince;
            if (idle < Tuning.GATHER_SPIN_NANOS) {
                pause();
            } else if (idle < Tuning.GATHER_IDLE_NANOS) {
                parked = true; // then re-read: work published before the caller saw `parked` is not missed
                if (!work.pending()) {
                    LockSupport.parkNanos(this, 1_000_000L);
                }
                parked = false;
            } else {
                synchronized (lock) { // a wake() after this sees alive false and starts a new thread
                    if (!work.pending()) {
                        alive = false;
                        return;
                    }
                }
            }
        }
    }
}
