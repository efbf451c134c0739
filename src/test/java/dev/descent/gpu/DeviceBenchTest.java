package dev.descent.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.compare.Bench;
import dev.descent.engine.KernelKind;
import dev.descent.engine.StopReason;
import dev.descent.optim.Schedule;
import dev.descent.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** bench --kernel cuda's wiring on the CPU stand-in: the GPU's probes, then each cell's training on the device. */
class DeviceBenchTest {

    @Test
    void aGpuGridProbesTheDeviceThenTrainsEveryCellOnIt() {
        List<HostDevice> opened = new ArrayList<>();
        Bench.Config c = new Bench.Config(4000, List.of(10), List.of(1, 2), List.of(32, 256), List.of(DataType.DOUBLE), 3, 1, true,
                -1, 7, KernelKind.CUDA);
        List<Bench.Cell> cells = new Bench(c, new Sgd(new Schedule.Constant(0.01)), t -> {
            HostDevice h = new HostDevice(t == DataType.DOUBLE);
            opened.add(h);
            return h;
        }).run(cell -> { });
        assertEquals(4, cells.size());
        // per (nX, nY): one device for the probes, then one per batch size
        assertEquals(2 * (1 + 2), opened.size());
        assertTrue(opened.stream().allMatch(HostDevice::closed));
        // the probe reads X and Y with dot products and gathers with the step's own kernel
        assertTrue(opened.get(0).calls.contains("dot") && opened.get(0).calls.contains("gather"));
        for (Bench.Cell cell : cells) {
            assertEquals(StopReason.EPOCHS, cell.engineStop());
            assertTrue(cell.readSeconds() > 0 && cell.gatherSeconds() > 0 && cell.engineSeconds() > 0, cell.toString());
            assertTrue(Double.isNaN(cell.gemmGflops()), "no CPU gemm probe in a GPU grid");
        }
        // 4000 rows in batches of 32: 125 gathers per probe repeat, 3 repeats
        long gathers = opened.get(0).calls.stream().filter("gather"::equals).count();
        assertEquals(3 * (125 + 16), gathers);
    }
}
