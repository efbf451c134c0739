package dev.descent.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies the rows of a shuffled batch (X's rows and Y's rows) into one of two slots, and, for large
 * batches, the next batch ahead on a helper thread while the caller computes on this one.
 *
 * <p>A shuffled epoch is memory-latency bound: each row is a cache (and TLB) miss. Gathering batch k+1
 * while the BLAS calls of batch k run hides the smaller of the two costs. A prefetch is used only when the
 * next call asks for exactly the rows that were fetched (same order array, start + b, b); otherwise the
 * call waits for the helper to go idle and gathers itself. The helper spins briefly between batches,
 * then parks, and ends after {@link #IDLE_NANOS} without work, so an abandoned gather leaks no thread.
 * Nothing is allocated per batch.
 */
final class RowGather implements Runnable {
    /** Batches of at least this many bytes of X are prefetched: below it the hand-off costs more than it hides. */
    static final long PREFETCH_MIN_BYTES = 32 * 1024;
    private static final long IDLE_NANOS = 200_000_000L;
    private static final long SPIN_NANOS = 50_000L;

    private final ByteBuffer[] xRows;
    private final ByteBuffer[] yRows;
    private final int xPerChunk;
    private final int yPerChunk;
    private final int xRowBytes;
    private final int yRowBytes;
    private final ByteBuffer[] xSlots;
    private final ByteBuffer[] ySlots;
    private final boolean prefetch;
    /** The arrays whose memory the slots are: held so they outlive any copy the helper still runs. */
    private final Object slotArrays;

    private final Object lock = new Object();
    private volatile long requested;
    private volatile long completed;
    private boolean alive; // guarded by lock
    private volatile Thread helper;
    // The pending request: written before `requested` is incremented (under lock), read after.
    private int[] reqOrder;
    private int reqStart;
    private int reqB;
    private int reqSlot;

    private int slot; // the slot the caller last used

    RowGather(ByteBuffer[] xRows, int xPerChunk, int xRowBytes, ByteBuffer[] yRows, int yPerChunk, int yRowBytes,
            ByteBuffer[] xSlots, ByteBuffer[] ySlots, int maxBatch, Object slotArrays) {
        this.xRows = xRows;
        this.yRows = yRows;
        this.xPerChunk = xPerChunk;
        this.yPerChunk = yPerChunk;
        this.xRowBytes = xRowBytes;
        this.yRowBytes = yRowBytes;
        this.xSlots = xSlots;
        this.ySlots = ySlots;
        this.prefetch = (long) maxBatch * xRowBytes >= PREFETCH_MIN_BYTES;
        this.slotArrays = slotArrays;
    }

    /**
     * Makes rows {@code order[start..start+b)} available in a slot and returns the slot; when large enough,
     * starts fetching {@code order[start+b..start+2b)} into the other slot. order: not modified, and its
     * entries must not change until the next call.
     */
    int gather(int[] order, int start, int b, int nextB) {
        long pending = requested;
        while (completed != pending) {
            Thread.onSpinWait();
        }
        int s;
        if (pending > 0 && reqOrder == order && reqStart == start && reqB == b) {
            s = reqSlot;
        } else {
            s = slot;
            copy(order, start, b, s);
        }
        reqOrder = null; // consumed (or superseded)
        slot = s;
        int next = start + b;
        int nb = Math.min(nextB, order.length - next);
        if (prefetch && nb > 0 && (long) nb * xRowBytes >= PREFETCH_MIN_BYTES) {
            request(order, next, nb, 1 - s);
        }
        return s;
    }

    private void request(int[] order, int start, int b, int s) {
        reqOrder = order;
        reqStart = start;
        reqB = b;
        reqSlot = s;
        Thread t;
        synchronized (lock) {
            requested = requested + 1;
            if (!alive) {
                alive = true;
                t = new Thread(this, "descent-row-gather");
                t.setDaemon(true);
                helper = t;
                t.start();
                return;
            }
            t = helper;
        }
        LockSupport.unpark(t);
    }

    @Override
    public void run() {
        long idleSince = System.nanoTime();
        while (true) {
            long r = requested;
            if (r != completed) {
                copy(reqOrder, reqStart, reqB, reqSlot);
                completed = r;
                idleSince = System.nanoTime();
                continue;
            }
            long idle = System.nanoTime() - idleSince;
            if (idle < SPIN_NANOS) {
                Thread.onSpinWait();
            } else if (idle < IDLE_NANOS) {
                LockSupport.parkNanos(this, 1_000_000L);
            } else {
                synchronized (lock) {
                    if (requested == completed) {
                        alive = false;
                        return;
                    }
                }
            }
        }
    }

    private void copy(int[] order, int start, int b, int s) {
        ByteBuffer y = ySlots[s];
        for (int i = 0; i < b; i++) { // Y's scattered reads first: independent loads the CPU overlaps
            int row = order[start + i];
            ByteBuffer src = yRows[row / yPerChunk];
            int at = (row % yPerChunk) * yRowBytes;
            switch (yRowBytes) { // one float or double: a plain load, cheaper than a bulk copy's call
                case 4 -> y.putInt(i * 4, src.getInt(at));
                case 8 -> y.putLong(i * 8, src.getLong(at));
                default -> y.put(i * yRowBytes, src, at, yRowBytes);
            }
        }
        ByteBuffer x = xSlots[s];
        for (int i = 0; i < b; i++) {
            int row = order[start + i];
            x.put(i * xRowBytes, xRows[row / xPerChunk], (row % xPerChunk) * xRowBytes, xRowBytes);
        }
    }
}
