package dev.descent.gpu;

import static org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBIN;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBINSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetNumSupportedArchs;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTX;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTXSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetSupportedArchs;
import static org.bytedeco.cuda.global.nvrtc.nvrtcVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * NVIDIA's runtime compiler (NVRTC) on descent's device code ({@code kernels.cu}): machine code (CUBIN) for
 * a GPU's own architecture when this NVRTC knows it, else PTX for the newest one it knows, which the
 * driver compiles on load. Needs no GPU.
 */
public final class Nvrtc {
    /** The device code's resource name. */
    public static final String SOURCE = "kernels.cu";

    private Nvrtc() {
    }

    /** Compiled device code: CUBIN bytes, or a NUL-terminated PTX text. */
    public record Code(byte[] bytes, boolean ptx, String target) {
    }

    /** descent's device code. */
    public static String source() {
        try (InputStream in = Nvrtc.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "major.minor" of this NVRTC. */
    public static String version() {
        int[] major = new int[1];
        int[] minor = new int[1];
        check(nvrtcVersion(major, minor), "nvrtcVersion");
        return major[0] + "." + minor[0];
    }

    /** The architectures this NVRTC compiles machine code for, as 10·major + minor (90 for sm_90). */
    public static int[] supportedArchs() {
        int[] n = new int[1];
        check(nvrtcGetNumSupportedArchs(n), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[n[0]];
        check(nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        return archs;
    }

    /** The device code for a GPU of compute capability {@code arch} (10·major + minor). */
    public static Code forArch(int arch) {
        int newest = 0;
        for (int a : supportedArchs()) {
            if (a == arch) {
                return compile(source(), "sm_" + arch, false);
            }
            newest = Math.max(newest, a);
        }
        if (newest == 0 || newest > arch) {
            throw new IllegalArgumentException("NVRTC " + version() + " cannot compile for sm_" + arch);
        }
        return compile(source(), "compute_" + newest, true);
    }

    /** Compiles {@code source} for {@code target} ("sm_90": CUBIN; "compute_90": PTX). */
    public static Code compile(String source, String target, boolean ptx) {
        _nvrtcProgram prog = new _nvrtcProgram();
        check(nvrtcCreateProgram(prog, new BytePointer(source), new BytePointer(SOURCE), 0, (PointerPointer<?>) null,
                (PointerPointer<?>) null), "nvrtcCreateProgram");
        try {
            PointerPointer<BytePointer> options = new PointerPointer<>("-arch=" + target, "-default-device", "-std=c++17");
            int rc = nvrtcCompileProgram(prog, 3, options);
            if (rc != NVRTC_SUCCESS) {
                throw new IllegalStateException("NVRTC " + version() + " could not compile " + SOURCE + " for " + target + ": "
                        + nvrtcGetErrorString(rc).getString() + "\n" + log(prog));
            }
            SizeTPointer size = new SizeTPointer(1);
            if (ptx) {
                check(nvrtcGetPTXSize(prog, size), "nvrtcGetPTXSize");
            } else {
                check(nvrtcGetCUBINSize(prog, size), "nvrtcGetCUBINSize");
            }
            BytePointer out = new BytePointer(size.get());
            if (ptx) {
                check(nvrtcGetPTX(prog, out), "nvrtcGetPTX");
            } else {
                check(nvrtcGetCUBIN(prog, out), "nvrtcGetCUBIN");
            }
            byte[] bytes = new byte[(int) size.get()];
            out.get(bytes);
            return new Code(bytes, ptx, target);
        } finally {
            nvrtcDestroyProgram(prog);
        }
    }

    private static String log(_nvrtcProgram prog) {
        SizeTPointer size = new SizeTPointer(1);
        nvrtcGetProgramLogSize(prog, size);
        BytePointer log = new BytePointer(size.get());
        nvrtcGetProgramLog(prog, log);
        return log.getString();
    }

    private static void check(int rc, String call) {
        if (rc != NVRTC_SUCCESS) {
            throw new IllegalStateException(call + ": " + nvrtcGetErrorString(rc).getString());
        }
    }

    /** Loads NVRTC, or says in one line why it cannot be. */
    static void load() {
        CudaDevice.load(org.bytedeco.cuda.global.nvrtc.class);
    }
}
