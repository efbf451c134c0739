package dev.descent.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NVRTC compiling descent's device code for today's GPUs, on a machine without one (NVRTC needs none). CI
 * runs it with Debian's CUDA 12.4 NVRTC (benchmarks/gpu/nvrtc-libs.sh, -Dcuda.libs=…); without that folder
 * it is skipped.
 */
class NvrtcTest {
    private static final int EM_CUDA = 190;

    @BeforeAll
    static void nvrtc() {
        assumeFalse(System.getProperty("descent.cuda.libs", "").isBlank(),
                "no CUDA libraries given (mvn -Pgpu test -Dcuda.libs=$(benchmarks/gpu/nvrtc-libs.sh))");
        Nvrtc.load();
    }

    @Test
    void theGatherCompilesToMachineCodeForHopperAndEveryNewerArchThisNvrtcKnows() {
        int[] archs = Nvrtc.supportedArchs();
        assertTrue(Arrays.stream(archs).anyMatch(a -> a == 90), "NVRTC " + Nvrtc.version() + " knows " + Arrays.toString(archs));
        for (int arch : archs) {
            if (arch < 90) {
                continue;
            }
            Nvrtc.Code code = Nvrtc.forArch(arch);
            assertFalse(code.ptx(), "sm_" + arch + " should be machine code");
            ByteBuffer elf = ByteBuffer.wrap(code.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0x464c457f, elf.getInt(0), "an ELF image");
            assertEquals(EM_CUDA, elf.getShort(18), "for a CUDA GPU");
            String text = new String(code.bytes(), StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("gather_f64") && text.contains("gather_f32"), "both gathers are in the image");
            assertTrue(text.contains("sm_" + arch) || (elf.getInt(48) & 0xff) == arch || ((elf.getInt(48) >> 8) & 0xff) == arch,
                    "built for sm_" + arch + " (e_flags " + Integer.toHexString(elf.getInt(48)) + ")");
        }
    }

    @Test
    void aGpuNewerThanThisNvrtcGetsPtxForTheNewestArchItKnows() {
        int newest = Arrays.stream(Nvrtc.supportedArchs()).max().orElseThrow();
        Nvrtc.Code code = Nvrtc.forArch(newest + 1000); // a future architecture
        assertTrue(code.ptx());
        String ptx = new String(code.bytes(), StandardCharsets.US_ASCII);
        assertTrue(ptx.contains(".target sm_" + newest), ptx.lines().limit(20).reduce("", (a, b) -> a + "\n" + b));
        assertTrue(ptx.contains(".entry gather_f64") && ptx.contains(".entry gather_f32"));
        // 64-bit row offsets: order[i]·width is widened before the multiply (rows past 2^31 elements)
        assertTrue(ptx.contains("mul.wide.s32") || ptx.contains("mul.lo.s64"), "the row offset is computed in 64 bits");
    }

    @Test
    void aCompileErrorSaysWhereWithTheCompilersLog() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Nvrtc.compile("extern \"C\" __global__ void k() { undefined_thing(); }", "sm_90", false));
        assertTrue(e.getMessage().contains("undefined_thing"), e.getMessage());
    }
}
