package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class HoldOutTest {

    /** Algorithm S as Knuth writes it, one SplittableRandom drawing a double per row: the oracle. */
    private static BitSet algorithmS(long seed, int n, int k) {
        SplittableRandom rng = new SplittableRandom(seed);
        BitSet out = new BitSet(n);
        int m = 0;
        for (int t = 0; t < n; t++) {
            if ((n - t) * rng.nextDouble() < k - m) {
                out.set(t);
                m++;
            }
        }
        return out;
    }

    @Test
    void choosesTheRowsOfSelectionSamplingWithOneGenerator() {
        for (long seed : new long[] {0, 3, -7, 123456789L}) {
            for (int[] nk : new int[][] {{1, 0}, {1, 1}, {10, 3}, {1000, 200}, {997, 996}}) {
                BitSet expected = algorithmS(seed, nk[0], nk[1]);
                BitSet got = new HoldOut(nk[0], nk[1], seed).chosen(0, nk[0], 0);
                assertEquals(expected, got, "seed " + seed + " n " + nk[0] + " k " + nk[1]);
                assertEquals(nk[1], got.cardinality());
            }
        }
    }

    @Test
    void anyDivisionOfTheRowsChoosesTheSameRows() {
        HoldOut h = new HoldOut(10_000, 2_000, 42);
        BitSet whole = h.chosen(0, 10_000, 0);
        long[] starts = {0, 1, 2_500, 2_501, 7_000, 9_999, 10_000};
        long[] before = h.chosenBefore(starts);
        for (int i = 0; i + 1 < starts.length; i++) {
            BitSet part = h.chosen(starts[i], starts[i + 1], before[i]);
            assertEquals(whole.get((int) starts[i], (int) starts[i + 1]), part, "rows from " + starts[i]);
            assertEquals(whole.get(0, (int) starts[i]).cardinality(), before[i]);
        }
        assertEquals(2_000, before[before.length - 1]);
    }

    @Test
    void everyRowIsEquallyLikelyToBeChosen() {
        // 4000 seeds choosing 3 of 12: each row's count is Binomial(4000, 1/4), sd 27.4; 5 sd is 137
        int n = 12;
        int[] count = new int[n];
        for (long seed = 0; seed < 4000; seed++) {
            new HoldOut(n, 3, seed).chosen(0, n, 0).stream().forEach(i -> count[i]++);
        }
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(count[i] - 1000) < 137, "row " + i + " chosen " + count[i] + " times of 4000");
        }
    }

    @Test
    void refusesWhatIsNoChoice() {
        assertThrows(IllegalArgumentException.class, () -> new HoldOut(5, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> new HoldOut(5, 2, 0).chosen(3, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> new HoldOut(5, 2, 0).chosenBefore(3, 2));
    }

    @Test
    void aRandomSplitHoldsOutTheChosenRowsInOrder() {
        var x = Nd4j.arange(0, 50).castTo(DataType.DOUBLE).reshape(25, 2);
        var y = Nd4j.arange(0, 25).castTo(DataType.DOUBLE).reshape(25, 1);
        Dataset.Split s = new Dataset(x, y).splitRandom(0.2, 9);
        BitSet chosen = new HoldOut(25, 5, 9).chosen(0, 25, 0);
        assertArrayEquals(chosen.stream().asDoubleStream().toArray(), s.test().y().toDoubleVector());
        assertEquals(20, s.train().size());
        for (int i = 0; i < 20; i++) {
            double row = s.train().y().getDouble(i, 0);
            assertTrue(!chosen.get((int) row) && (i == 0 || row > s.train().y().getDouble(i - 1, 0)), "train row " + i);
            assertEquals(2 * row, s.train().x().getDouble(i, 0));
        }
    }
}
