package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.descent.SeededTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchOrderTest extends SeededTest {

    @Test
    void eachEpochIsAPermutationDependingOnlyOnSeedAndEpoch() {
        BatchOrder a = new BatchOrder(1000, 7, true, false, 3);
        BatchOrder b = new BatchOrder(1000, 7, true, false, 3);
        a.startEpoch(0);
        a.startEpoch(1);
        a.startEpoch(2);
        b.startEpoch(2); // straight to epoch 2, as a resumed run does
        assertArrayEquals(a.order(), b.order());
        int[] sorted = a.order().clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        int[] e2 = a.order().clone();
        a.startEpoch(3);
        assertFalse(Arrays.equals(e2, a.order()));
    }

    @Test
    void shuffleIsUniformOverPositions() {
        // Chi-square over where element 0 lands, 20,000 epochs of N = 10: expected 2,000 per position.
        BatchOrder o = new BatchOrder(10, 1, true, false, 11);
        int[] counts = new int[10];
        for (int e = 0; e < 20_000; e++) {
            o.startEpoch(e);
            for (int p = 0; p < 10; p++) {
                if (o.order()[p] == 0) {
                    counts[p]++;
                }
            }
        }
        double chi2 = 0;
        for (int c : counts) {
            chi2 += (c - 2000.0) * (c - 2000.0) / 2000.0;
        }
        // 9 degrees of freedom: P(χ² > 27.88) = 0.001.
        assertEquals(true, chi2 < 27.88, "chi-square " + chi2 + " for " + Arrays.toString(counts));
    }

    @Test
    void batchesAndPartialBatches() {
        BatchOrder keep = new BatchOrder(100, 30, false, false, 1);
        BatchOrder drop = new BatchOrder(100, 30, false, true, 1);
        assertEquals(4, keep.batches());
        assertEquals(10, keep.size(3));
        assertEquals(100, keep.rowsPerEpoch());
        assertEquals(3, drop.batches());
        assertEquals(90, drop.rowsPerEpoch());
    }
}
