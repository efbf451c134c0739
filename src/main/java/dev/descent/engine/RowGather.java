package dev.descent.engine;

import dev.descent.host.HostMemory;
import dev.descent.host.RawRows;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies the rows of a shuffled batch (X's rows and Y's rows) into one of two slots, and, for large
 * batches, the next batch ahead on a helper thread while the caller computes on this one.
 *
 * <p>A shuffled epoch is memory-latency bound: each row is a cache (and TLB) miss. Gathering batch k+1
 * while the BLAS calls of batch k run hides the smaller of the two costs; and the work is shared: the
 * rows of a request are claimed in chunks by whichever thread is free, so a caller that finishes its
 * computation before the helper has fetched everything copies the remaining chunks itself instead of
 * waiting (per row, the two cores then split gather + compute rather than each waiting on the slower).
 * Every row lands at its own place in the slot, so who copied it does not change a bit.
 *
 * <p>A prefetch is used only when the next call asks for exactly the rows that were requested (same
 * order array, start + b, b); otherwise the call cancels it, waits for the chunks in flight and gathers
 * itself. The helper spins briefly between requests, then parks, and ends after {@link Tuning#GATHER_IDLE_NANOS}
 * without work, so an abandoned gather leaks no thread. Nothing is allocated per batch.
 */
public final class RowGather {
    // Sizes and times: Tuning.PREFETCH_MIN_BYTES (below it the hand-off costs more than it hides),
    // GATHER_CHUNK_BYTES (a few microseconds of copying, far more than a claim costs), the spin and idle times.

    private final Copier mine; // the caller's buffers
    private final Copier helpers; // the helper's duplicates (a ByteBuffer is not shared between threads)
    private final int xRowBytes;
    private final int chunk; // rows per claim
    private final boolean prefetch;
    /** The arrays whose memory the slots are: held so they outlive any copy the helper still runs. */
    private final Object slotArrays;

    /** Copies claimed chunks of each request; its failure (a row out of range) the caller rethrows instead of waiting. */
    private final HelperThread helper = new HelperThread("descent-row-gather", new HelperThread.Work() {
        @Override
        public boolean run() {
            return claimAndCopy(helpers);
        }

        @Override
        public boolean pending() {
            return !exhausted(claim.get());
        }
    }, false);

    /**
     * The request being fetched: its row count b in the high 32 bits, the next unclaimed row in the low 32.
     * A claim is a compare-and-set on the whole word and the limit is read from the same word, so a thread
     * holding a stale word cannot claim rows of a finished request: the caller replaces the word only once
     * every row claimed on it has been copied. (A word that recurs holds the same meaning for the newer
     * request, whose fields are read after the claim.)
     */
    private final AtomicLong claim = new AtomicLong();
    /** Rows of the current request copied so far (by either thread). */
    private final AtomicInteger copied = new AtomicInteger();
    // The current request: written before `claim` publishes it, read after a claim on it succeeds.
    private int[] reqOrder;
    private int reqStart;
    private int reqB;
    private int reqSlot;
    private boolean pending; // caller only: a request is outstanding

    private int slot; // the slot the caller last used

    /**
     * @param xRows X's rows in chunks of {@code xPerChunk} rows ({@code HostMemory.rowChunks}); likewise Y
     * @param xSlots, ySlots the two slots rows are copied into, each room for {@code maxBatch} rows
     * @param helper whether batches large enough may be fetched ahead on a helper thread; without, every
     *     gather copies on the calling thread
     * @param slotArrays whatever owns the slots' memory, held as long as the gather lives
     */
    public RowGather(ByteBuffer[] xRows, int xPerChunk, int xRowBytes, ByteBuffer[] yRows, int yPerChunk, int yRowBytes,
            ByteBuffer[] xSlots, ByteBuffer[] ySlots, int maxBatch, boolean helper, Object slotArrays) {
        this.mine = new Copier(xRows, xPerChunk, xRowBytes, yRows, yPerChunk, yRowBytes, xSlots, ySlots);
        this.helpers = new Copier(HostMemory.threadViews(xRows), xPerChunk, xRowBytes, HostMemory.threadViews(yRows),
                yPerChunk, yRowBytes, HostMemory.threadViews(xSlots), HostMemory.threadViews(ySlots));
        this.xRowBytes = xRowBytes;
        this.chunk = Math.max(1, Tuning.GATHER_CHUNK_BYTES / xRowBytes);
        this.prefetch = helper && (long) maxBatch * xRowBytes >= Tuning.PREFETCH_MIN_BYTES;
        this.slotArrays = slotArrays;
    }

    /**
     * Makes rows {@code order[start..start+b)} available in a slot and returns the slot; when large enough,
     * starts fetching {@code order[start+b..start+b+nextB)} into the other slot. order: not modified, and its
     * entries must not change until the next call.
     */
    public int gather(int[] order, int start, int b, int nextB) {
        int s;
        if (pending && reqOrder == order && reqStart == start && reqB == b) {
            claimAndCopy(mine); // whatever the helper has not claimed yet
            awaitCopied(b); // chunks the helper is still copying
            s = reqSlot;
        } else {
            cancel();
            s = slot;
            mine.copy(order, start, 0, b, s);
        }
        pending = false;
        slot = s;
        int next = start + b;
        int nb = Math.min(nextB, order.length - next);
        if (prefetch && nb > 0 && (long) nb * xRowBytes >= Tuning.PREFETCH_MIN_BYTES) {
            request(order, next, nb, 1 - s);
        }
        return s;
    }

    /** Stops an outstanding request: no further chunk is claimed, and those claimed are finished. */
    private void cancel() {
        if (!pending) {
            return;
        }
        long c;
        do {
            c = claim.get();
        } while (!claim.compareAndSet(c, word(reqB, reqB)));
        int claimed = Math.min((int) c, reqB);
        awaitCopied(claimed);
        pending = false;
    }

    private void awaitCopied(int rows) {
        while (copied.get() != rows) {
            Throwable f = helper.failure();
            if (f != null) {
                throw new IllegalStateException("the row gather's helper thread failed: " + f, f);
            }
            Thread.onSpinWait();
        }
    }

    private void request(int[] order, int start, int b, int s) {
        reqOrder = order;
        reqStart = start;
        reqB = b;
        reqSlot = s;
        copied.set(0);
        claim.set(word(b, 0)); // publishes the fields above
        pending = true;
        helper.wake();
    }

    /** Claims chunks of the current request and copies them until none is left; true if any was copied. */
    private boolean claimAndCopy(Copier with) {
        boolean any = false;
        while (true) {
            long c = claim.get();
            if (exhausted(c)) {
                return any;
            }
            if (claim.compareAndSet(c, c + chunk)) {
                // The claim holds on the live request: its fields stay as they are until `copied` reaches b.
                int i = (int) c;
                int len = Math.min(chunk, (int) (c >>> 32) - i);
                with.copy(reqOrder, reqStart, i, len, reqSlot);
                copied.addAndGet(len);
                any = true;
            }
        }
    }

    private static long word(int b, int next) {
        return (long) b << 32 | next;
    }

    /** Every row of the word's request has been claimed. */
    private static boolean exhausted(long word) {
        return (int) word >= (int) (word >>> 32);
    }

    /** One thread's views of the source rows and the slots. */
    private static final class Copier {
        private final RawRows xRows;
        private final RawRows yRows;
        private final int xRowBytes;
        private final int yRowBytes;
        private final ByteBuffer[] xSlots;
        private final ByteBuffer[] ySlots;
        private final long[] xSlotAt; // the slots' addresses
        private final long[] ySlotAt;

        Copier(ByteBuffer[] xRows, int xPerChunk, int xRowBytes, ByteBuffer[] yRows, int yPerChunk, int yRowBytes,
                ByteBuffer[] xSlots, ByteBuffer[] ySlots) {
            this.xRows = new RawRows(xRows, xPerChunk, xRowBytes);
            this.yRows = new RawRows(yRows, yPerChunk, yRowBytes);
            this.xRowBytes = xRowBytes;
            this.yRowBytes = yRowBytes;
            this.xSlots = xSlots;
            this.ySlots = ySlots;
            this.xSlotAt = new long[xSlots.length];
            this.ySlotAt = new long[ySlots.length];
            for (int s = 0; s < xSlots.length; s++) {
                xSlotAt[s] = RawRows.addressOf(xSlots[s]);
                ySlotAt[s] = RawRows.addressOf(ySlots[s]);
            }
        }

        /** Copies rows order[start+from .. start+from+len) to positions from.. of slot s. */
        void copy(int[] order, int start, int from, int len, int s) {
            ByteBuffer y = ySlots[s];
            long ya = ySlotAt[s];
            int to = from + len;
            for (int i = from; i < to; i++) { // Y's scattered reads first: independent loads the CPU overlaps
                yRows.copy(order[start + i], y, ya, i * yRowBytes);
            }
            ByteBuffer x = xSlots[s];
            long xa = xSlotAt[s];
            for (int i = from; i < to; i++) {
                xRows.copy(order[start + i], x, xa, i * xRowBytes);
            }
        }
    }
}
