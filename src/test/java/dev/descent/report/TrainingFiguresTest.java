package dev.descent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.descent.engine.EpochStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A 300,000-epoch history is drawn from at most about 2,000 points, the last epoch always among them. */
class TrainingFiguresTest {
    @Test
    void longHistoriesAreThinnedForPlotting() {
        List<EpochStats> h = new ArrayList<>();
        for (int e = 0; e < 300_000; e++) {
            h.add(new EpochStats(e, 1.0 / (e + 1), Double.NaN, 0.01, 1, 10, 0.001));
        }
        List<EpochStats> t = TrainingFigures.thinned(h);
        assertEquals(2001, t.size());
        assertSame(h.get(0), t.get(0));
        assertSame(h.get(h.size() - 1), t.get(t.size() - 1));
        List<EpochStats> shortOne = h.subList(0, 2000);
        assertSame(shortOne, TrainingFigures.thinned(shortOne));
        TrainingFigures.lossCurves("t", "units", h); // builds without holding 300,000 points per series
    }
}
