package dev.descent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CUDA device line printed at start, from ND4J's environment entries (no GPU needed). */
class BackendTest {
    @Test
    void cudaDevicesAreNamedWithComputeCapabilityAndMemory() {
        Object info = List.of(Map.of("cuda.deviceName", "NVIDIA H100 80GB HBM3", "cuda.deviceMajor", 9, "cuda.deviceMinor", 0,
                "cuda.totalMemory", 85_031_714_816L, "cuda.freeMemory", 84_499_038_208L));
        assertEquals("NVIDIA H100 80GB HBM3 (sm_90), 78.7 of 79.2 GiB free", Backend.cudaDevices(info));
        assertEquals("CUDA device (no device information)", Backend.cudaDevices(null));
    }
}
