package dev.descent.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.engine.StopReason;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The derived figures of a bench cell, checked by hand. */
class BenchCellTest {
    private static final double EXACT = 1e-12;

    @Test
    void derivedFiguresByHand() {
        // 1e6 rows of 100 + 1 float32 = 404e6 bytes per epoch; engine 0.5 s, DL4J 1000 rows in 0.01 s.
        Bench.Cell c = new Bench.Cell(100, 1, 256, DataType.FLOAT, 1_000_000, 0.5, StopReason.EPOCHS, 1000, 0.01, 0.1, 0.2, 0.25, 0.3, 50);
        assertEquals(404e6, c.epochBytes(), EXACT);
        assertEquals(2e6, c.engineRate(), EXACT);
        assertEquals(1e5, c.dl4jRate(), EXACT);
        assertEquals(20, c.speedRatio(), EXACT);
        assertEquals(0.808, c.achievedGBs(), EXACT);
        assertEquals(4.04, c.readGBs(), EXACT);
        assertEquals(0.2, c.fractionOfRead(), EXACT);
        assertEquals(0.8, c.achievedGflops(), EXACT); // 4 · 1e6 · 100 · 1 / 0.5 s
        assertEquals(1e7, c.readBoundRate(), EXACT);
        assertEquals(5e6, c.gatherBoundRate(), EXACT);
        assertEquals(4e6, c.gatherXYBoundRate(), EXACT);
        assertEquals(1e6 / 0.3, c.handOffBoundRate(), 1e-6);
    }

    @Test
    void probesCountTheirWork() {
        var a = org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 1000, 50);
        MachineProbes.Probe read = MachineProbes.streamRead(a, 2);
        assertEquals(1000 * 50 * 4, read.work(), EXACT);
        for (int threads = 1; threads <= 3; threads++) {
            assertEquals(1000 * 50 * 4, MachineProbes.streamRead(a, 2, threads).work(), EXACT);
            MachineProbes.Probe gather = MachineProbes.gather(a, 64, 1, 2, threads);
            assertEquals(1000 * 50 * 4, gather.work(), EXACT);
            MachineProbes.Probe xy = MachineProbes.gather(a, a.getColumns(0, 1), 64, 1, 2, threads);
            assertEquals(1000 * (50 + 2) * 4, xy.work(), EXACT); // with each row's two targets
            for (int batch : new int[] {8, 300}) { // groups of batches; blocks of a batch (50 floats: 983 rows)
                MachineProbes.Probe handOff = MachineProbes.handOff(a, a.getColumns(0, 1), batch, 1, 2);
                assertEquals(1000 * (50 + 2) * 4, handOff.work(), EXACT);
                assertTrue(handOff.seconds() > 0);
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MachineProbes.gather(a, 64, 1, 2, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MachineProbes.streamRead(a, 2, 0));
        MachineProbes.Probe gemm = MachineProbes.gemm(64, DataType.DOUBLE, 2);
        assertEquals(2.0 * 64 * 64 * 64, gemm.work(), EXACT);
        assertEquals(gemm.work() / gemm.seconds() / 1e9, gemm.ratePerSecond(), EXACT);
    }
}
