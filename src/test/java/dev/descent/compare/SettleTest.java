package dev.descent.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import org.junit.jupiter.api.Test;

/** {@link Settle#quiet} returns only once another thread's burst of work has ended. */
class SettleTest extends SeededTest {
    private volatile boolean done;

    @Test
    void waitsForABusyThreadToFinish() throws InterruptedException {
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 600_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x += System.nanoTime() & 1;
            }
            done = x >= 0;
        });
        busy.start();
        Thread.sleep(20); // running before the first window
        long waited = Settle.quiet();
        assertTrue(done, "returned after " + waited + " ms while the other thread was still busy");
        busy.join();
    }
}
