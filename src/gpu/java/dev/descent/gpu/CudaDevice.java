package dev.descent.gpu;

import static org.bytedeco.cuda.global.cublas.*;
import static org.bytedeco.cuda.global.cudart.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * {@link Device} on an NVIDIA GPU: cuBLAS, the CUDA runtime and NVRTC through JavaCPP's CUDA presets (the
 * {@code gpu} build). One stream carries every call; cuBLAS reads α and β from host memory, and writes each
 * dot product into device memory (no copy back per step). The gather kernel is compiled by {@link Nvrtc}
 * for the device's architecture when the device is opened.
 *
 * <p>Results are reproducible run to run on one GPU model: one stream, cuBLAS's atomics off
 * ({@code CUBLAS_ATOMICS_NOT_ALLOWED}), and pedantic math ({@code CUBLAS_PEDANTIC_MATH}: no TF32 or other
 * reduced-precision shortcuts in float32). cuBLAS gives the same bits for the same calls on the same
 * architecture and number of multiprocessors; not across GPU models.
 *
 * <p>Ran on an NVIDIA H200 with CUDA 13.0's libraries (the gpu13 build; docs/gpu.md); the CUDA 12 build
 * and other GPUs have not run. CI compiles {@code kernels.cu} for sm_90 with NVRTC and checks the error
 * path on a machine without a GPU.
 */
public final class CudaDevice implements Device {
    /** The CUDA major version of the presets this is built against (the runtime libraries it loads). */
    static final int CUDA_MAJOR = org.bytedeco.cuda.global.cudart.CUDART_VERSION / 1000; // a constant: loads nothing
    private static final int THREADS = 128;

    private final boolean doubles;
    private final int es;
    private final String description;
    private final CUstream_st stream = new CUstream_st();
    private final CUstream_st copyStream = new CUstream_st(); // staged copies, beside the compute
    private final CUevent_st[] copied = {new CUevent_st(), new CUevent_st()};
    private final CUevent_st[] computed = {new CUevent_st(), new CUevent_st()};
    private final List<Pointer> pinnedBuffers = new ArrayList<>();
    private final cublasContext handle = new cublasContext();
    private final CUmod_st module = new CUmod_st();
    private final CUfunc_st gather = new CUfunc_st();
    private final List<CudaMem> allocations = new ArrayList<>();
    private final DoublePointer alphaD = new DoublePointer(1);
    private final DoublePointer betaD = new DoublePointer(1);
    private final FloatPointer alphaF = new FloatPointer(1);
    private final FloatPointer betaF = new FloatPointer(1);
    // the gather's arguments, set before each launch (cuLaunchKernel copies them)
    private final LongPointer argSrc = new LongPointer(1);
    private final IntPointer argWidth = new IntPointer(1);
    private final LongPointer argOrder = new LongPointer(1);
    private final IntPointer argStart = new IntPointer(1);
    private final IntPointer argRows = new IntPointer(1);
    private final LongPointer argDst = new LongPointer(1);
    private final PointerPointer<Pointer> args = new PointerPointer<>(argSrc, argWidth, argOrder, argStart, argRows, argDst);
    private BytePointer staging = new BytePointer((Pointer) null); // pinned host memory for the per-epoch copies
    private long stagingBytes;
    private boolean closed;

    private static final class CudaMem extends Mem {
        final Pointer base;
        final BytePointer bytes;
        final DoublePointer[] d = new DoublePointer[3];
        final FloatPointer[] f = new FloatPointer[3];

        CudaMem(long length, Pointer base) {
            super(length);
            this.base = base;
            this.bytes = new BytePointer(base);
            for (int i = 0; i < 3; i++) {
                d[i] = new DoublePointer(base);
                f[i] = new FloatPointer(base);
            }
        }
    }

    private CudaDevice(boolean doubles) {
        this.doubles = doubles;
        this.es = doubles ? 8 : 4;
        cuda(cudaSetDevice(0), "cudaSetDevice");
        cuda(cudaFree(null), "cudaFree (context)");
        int[] major = new int[1];
        int[] minor = new int[1];
        cuda(cudaDeviceGetAttribute(major, cudaDevAttrComputeCapabilityMajor, 0), "cudaDeviceGetAttribute");
        cuda(cudaDeviceGetAttribute(minor, cudaDevAttrComputeCapabilityMinor, 0), "cudaDeviceGetAttribute");
        cudaDeviceProp prop = new cudaDeviceProp();
        cuda(cudaGetDeviceProperties(prop, 0), "cudaGetDeviceProperties");
        SizeTPointer free = new SizeTPointer(1);
        SizeTPointer total = new SizeTPointer(1);
        cuda(cudaMemGetInfo(free, total), "cudaMemGetInfo");
        int[] runtime = new int[1];
        int[] driver = new int[1];
        cudaRuntimeGetVersion(runtime);
        cudaDriverGetVersion(driver);
        cuda(cudaStreamCreate(stream), "cudaStreamCreate");
        cuda(cudaStreamCreate(copyStream), "cudaStreamCreate");
        for (int s = 0; s < 2; s++) {
            cuda(cudaEventCreateWithFlags(copied[s], cudaEventDisableTiming), "cudaEventCreateWithFlags");
            cuda(cudaEventCreateWithFlags(computed[s], cudaEventDisableTiming), "cudaEventCreateWithFlags");
        }
        blas(cublasCreate_v2(handle), "cublasCreate");
        blas(cublasSetStream_v2(handle, stream), "cublasSetStream");
        blas(cublasSetAtomicsMode(handle, CUBLAS_ATOMICS_NOT_ALLOWED), "cublasSetAtomicsMode");
        blas(cublasSetMathMode(handle, CUBLAS_PEDANTIC_MATH), "cublasSetMathMode");
        int[] cublasVersion = new int[1];
        cublasGetVersion_v2(handle, cublasVersion);
        int arch = 10 * major[0] + minor[0];
        Nvrtc.Code code = Nvrtc.forArch(arch);
        driverCall(cuInit(0), "cuInit");
        BytePointer image = new BytePointer(code.bytes().length + 1L);
        image.put(code.bytes()).put(code.bytes().length, (byte) 0);
        driverCall(cuModuleLoadData(module, image), "cuModuleLoadData (" + code.target() + ")");
        driverCall(cuModuleGetFunction(gather, module, doubles ? "gather_f64" : "gather_f32"), "cuModuleGetFunction");
        this.description = String.format(Locale.ROOT, "%s (sm_%d%d), %.1f of %.1f GiB free; CUDA runtime %d, driver %d, cuBLAS %d;"
                + " gather kernel %s by NVRTC %s", prop.name().getString(), major[0], minor[0], free.get() / (double) (1L << 30),
                total.get() / (double) (1L << 30), runtime[0], driver[0], cublasVersion[0],
                code.ptx() ? "as PTX for " + code.target() : "for " + code.target(), Nvrtc.version());
    }

    /**
     * The first CUDA device, computing in float64 ({@code doubles}) or float32.
     *
     * @throws IllegalArgumentException when the CUDA libraries cannot be loaded or there is no device (one line)
     */
    public static CudaDevice open(boolean doubles) {
        load(org.bytedeco.cuda.global.cudart.class);
        int[] count = new int[1];
        int rc = cudaGetDeviceCount(count);
        if (rc != cudaSuccess || count[0] == 0) {
            throw new IllegalArgumentException("no CUDA device: " + (rc != cudaSuccess ? cudaGetErrorString(rc).getString()
                    : "the driver reports none"));
        }
        load(org.bytedeco.cuda.global.cublas.class);
        Nvrtc.load();
        return new CudaDevice(doubles);
    }

    /** Loads a CUDA library's JNI half and the library under it, or says in one line why it cannot. */
    static void load(Class<?> presets) {
        try {
            org.bytedeco.javacpp.Loader.load(presets);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            int v = CUDA_MAJOR;
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s could not be loaded: --kernel cuda needs CUDA %d's "
                    + "libcudart.so.%d, libcublas.so.%d and libnvrtc.so.%d, and the NVIDIA driver's libcuda.so.1, on the library "
                    + "path (LD_LIBRARY_PATH)", presets.getSimpleName(), v, v, v, v));
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean doubles() {
        return doubles;
    }

    @Override
    public Mem alloc(long length) {
        return allocate(length, es);
    }

    @Override
    public Mem allocInts(long length) {
        return allocate(length, 4);
    }

    private Mem allocate(long length, int size) {
        Pointer p = new Pointer();
        long bytes = Math.max(1, length) * size;
        int rc = cudaMalloc(p, bytes);
        if (rc != cudaSuccess) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the GPU has no room for %.2f GiB more (%s): %s",
                    bytes / (double) (1L << 30), cudaGetErrorString(rc).getString(), description == null ? "" : description));
        }
        cuda(cudaMemsetAsync(p, 0, bytes, stream), "cudaMemsetAsync");
        CudaMem m = new CudaMem(length, p);
        allocations.add(m);
        return m;
    }

    @Override
    public void upload(ByteBuffer src, Mem dst, long offset) {
        CudaMem m = (CudaMem) dst;
        cuda(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        cuda(cudaMemcpy(m.bytes.position(offset * es), new BytePointer(src), src.remaining(), cudaMemcpyHostToDevice),
                "cudaMemcpy (to the device)");
    }

    @Override
    public void upload(int[] src, Mem dst) {
        // through pinned memory, queued on the stream: the staging buffer is not touched again before the
        // next download, which waits for the stream
        BytePointer s = staging(src.length * 4L);
        new IntPointer(s).put(src);
        cuda(cudaMemcpyAsync(((CudaMem) dst).bytes.position(0), s, src.length * 4L, cudaMemcpyHostToDevice, stream),
                "cudaMemcpyAsync (to the device)");
    }

    @Override
    public void download(Mem src, long offset, double[] dst) {
        long bytes = (long) dst.length * es;
        BytePointer s = staging(bytes);
        cuda(cudaMemcpyAsync(s, ((CudaMem) src).bytes.position(offset * es), bytes, cudaMemcpyDeviceToHost, stream),
                "cudaMemcpyAsync (to the host)");
        cuda(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        if (doubles) {
            new DoublePointer(s).get(dst);
        } else {
            FloatPointer f = new FloatPointer(s);
            for (int i = 0; i < dst.length; i++) {
                dst[i] = f.get(i);
            }
        }
    }

    /** Pinned host memory of at least {@code bytes}, grown as needed (after the stream is idle). */
    private BytePointer staging(long bytes) {
        if (bytes > stagingBytes) {
            cuda(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
            if (stagingBytes > 0) {
                cudaFreeHost(staging);
            }
            Pointer p = new Pointer();
            cuda(cudaMallocHost(p, bytes), "cudaMallocHost");
            staging = new BytePointer(p);
            stagingBytes = bytes;
        }
        return staging.position(0);
    }

    @Override
    public void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, Mem a, long aOff, int lda, Mem b, long bOff,
            int ldb, double beta, Mem c, long cOff, int ldc) {
        int opA = ta ? CUBLAS_OP_T : CUBLAS_OP_N;
        int opB = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
        if (doubles) {
            blas(cublasDgemm_v2(handle, opA, opB, m, n, k, alphaD.put(alpha), d(a, aOff, 0), lda, d(b, bOff, 1), ldb,
                    betaD.put(beta), d(c, cOff, 2), ldc), "cublasDgemm");
        } else {
            blas(cublasSgemm_v2(handle, opA, opB, m, n, k, alphaF.put((float) alpha), f(a, aOff, 0), lda, f(b, bOff, 1), ldb,
                    betaF.put((float) beta), f(c, cOff, 2), ldc), "cublasSgemm");
        }
    }

    @Override
    public void gemv(boolean trans, int m, int n, double alpha, Mem a, long aOff, int lda, Mem x, long xOff, double beta, Mem y,
            long yOff) {
        int op = trans ? CUBLAS_OP_T : CUBLAS_OP_N;
        if (doubles) {
            blas(cublasDgemv_v2(handle, op, m, n, alphaD.put(alpha), d(a, aOff, 0), lda, d(x, xOff, 1), 1, betaD.put(beta),
                    d(y, yOff, 2), 1), "cublasDgemv");
        } else {
            blas(cublasSgemv_v2(handle, op, m, n, alphaF.put((float) alpha), f(a, aOff, 0), lda, f(x, xOff, 1), 1,
                    betaF.put((float) beta), f(y, yOff, 2), 1), "cublasSgemv");
        }
    }

    @Override
    public void ger(int m, int n, double alpha, Mem x, long xOff, Mem y, long yOff, Mem a, long aOff, int lda) {
        if (doubles) {
            blas(cublasDger_v2(handle, m, n, alphaD.put(alpha), d(x, xOff, 0), 1, d(y, yOff, 1), 1, d(a, aOff, 2), lda),
                    "cublasDger");
        } else {
            blas(cublasSger_v2(handle, m, n, alphaF.put((float) alpha), f(x, xOff, 0), 1, f(y, yOff, 1), 1, f(a, aOff, 2), lda),
                    "cublasSger");
        }
    }

    @Override
    public void axpy(int n, double alpha, Mem x, long xOff, Mem y, long yOff) {
        if (doubles) {
            blas(cublasDaxpy_v2(handle, n, alphaD.put(alpha), d(x, xOff, 0), 1, d(y, yOff, 1), 1), "cublasDaxpy");
        } else {
            blas(cublasSaxpy_v2(handle, n, alphaF.put((float) alpha), f(x, xOff, 0), 1, f(y, yOff, 1), 1), "cublasSaxpy");
        }
    }

    @Override
    public void scal(int n, double alpha, Mem x, long xOff) {
        if (doubles) {
            blas(cublasDscal_v2(handle, n, alphaD.put(alpha), d(x, xOff, 0), 1), "cublasDscal");
        } else {
            blas(cublasSscal_v2(handle, n, alphaF.put((float) alpha), f(x, xOff, 0), 1), "cublasSscal");
        }
    }

    @Override
    public void copy(int n, Mem x, long xOff, Mem y, long yOff) {
        if (doubles) {
            blas(cublasDcopy_v2(handle, n, d(x, xOff, 0), 1, d(y, yOff, 1), 1), "cublasDcopy");
        } else {
            blas(cublasScopy_v2(handle, n, f(x, xOff, 0), 1, f(y, yOff, 1), 1), "cublasScopy");
        }
    }

    @Override
    public void dot(int n, Mem x, long xOff, Mem y, long yOff, Mem result, long rOff) {
        blas(cublasSetPointerMode_v2(handle, CUBLAS_POINTER_MODE_DEVICE), "cublasSetPointerMode");
        if (doubles) {
            blas(cublasDdot_v2(handle, n, d(x, xOff, 0), 1, d(y, yOff, 1), 1, d(result, rOff, 2)), "cublasDdot");
        } else {
            blas(cublasSdot_v2(handle, n, f(x, xOff, 0), 1, f(y, yOff, 1), 1, f(result, rOff, 2)), "cublasSdot");
        }
        blas(cublasSetPointerMode_v2(handle, CUBLAS_POINTER_MODE_HOST), "cublasSetPointerMode");
    }

    @Override
    public void gatherRows(Mem src, int width, Mem order, int start, int rows, Mem dst) {
        argSrc.put(((CudaMem) src).base.address());
        argWidth.put(width);
        argOrder.put(((CudaMem) order).base.address());
        argStart.put(start);
        argRows.put(rows);
        argDst.put(((CudaMem) dst).base.address());
        driverCall(cuLaunchKernel(gather, rows, 1, 1, Math.min(THREADS, 32 * ((width + 31) / 32)), 1, 1, 0, stream, args, null),
                "cuLaunchKernel (gather)");
    }

    @Override
    public long freeBytes() {
        SizeTPointer free = new SizeTPointer(1);
        SizeTPointer total = new SizeTPointer(1);
        cuda(cudaMemGetInfo(free, total), "cudaMemGetInfo");
        return free.get();
    }

    @Override
    public ByteBuffer pinned(long bytes) {
        Pointer p = new Pointer();
        cuda(cudaMallocHost(p, bytes), "cudaMallocHost");
        pinnedBuffers.add(p);
        return new BytePointer(p).capacity(bytes).asByteBuffer().order(java.nio.ByteOrder.nativeOrder());
    }

    @Override
    public void stage(ByteBuffer src, long bytes, Mem dst, int slot) {
        // the end of the compute queued so far: the last that reads the other slot's buffers
        cuda(cudaEventRecord(computed[1 - slot], stream), "cudaEventRecord");
        // this slot's buffers are overwritten only after the compute that read them (recorded one stage earlier)
        cuda(cudaStreamWaitEvent(copyStream, computed[slot], 0), "cudaStreamWaitEvent");
        cuda(cudaMemcpyAsync(((CudaMem) dst).bytes.position(0), new BytePointer(src), bytes, cudaMemcpyHostToDevice, copyStream),
                "cudaMemcpyAsync (staged)");
        cuda(cudaEventRecord(copied[slot], copyStream), "cudaEventRecord");
        cuda(cudaStreamWaitEvent(stream, copied[slot], 0), "cudaStreamWaitEvent");
    }

    @Override
    public void awaitStaged() {
        cuda(cudaEventSynchronize(copied[0]), "cudaEventSynchronize");
        cuda(cudaEventSynchronize(copied[1]), "cudaEventSynchronize");
    }

    @Override
    public double time(Runnable work) {
        CUevent_st start = new CUevent_st();
        CUevent_st stop = new CUevent_st();
        cuda(cudaEventCreate(start), "cudaEventCreate");
        cuda(cudaEventCreate(stop), "cudaEventCreate");
        try {
            cuda(cudaEventRecord(start, stream), "cudaEventRecord");
            work.run();
            cuda(cudaEventRecord(stop, stream), "cudaEventRecord");
            cuda(cudaEventSynchronize(stop), "cudaEventSynchronize");
            float[] ms = new float[1];
            cuda(cudaEventElapsedTime(ms, start, stop), "cudaEventElapsedTime");
            return ms[0] / 1e3;
        } finally {
            cudaEventDestroy(start);
            cudaEventDestroy(stop);
        }
    }

    private static DoublePointer d(Mem m, long off, int view) {
        return ((CudaMem) m).d[view].position(off);
    }

    private static FloatPointer f(Mem m, long off, int view) {
        return ((CudaMem) m).f[view].position(off);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cudaStreamSynchronize(stream);
        for (CudaMem m : allocations) {
            cudaFree(m.base);
        }
        allocations.clear();
        if (stagingBytes > 0) {
            cudaFreeHost(staging);
        }
        cudaStreamSynchronize(copyStream);
        for (Pointer p : pinnedBuffers) {
            cudaFreeHost(p);
        }
        for (int s = 0; s < 2; s++) {
            cudaEventDestroy(copied[s]);
            cudaEventDestroy(computed[s]);
        }
        cudaStreamDestroy(copyStream);
        cuModuleUnload(module);
        cublasDestroy_v2(handle);
        cudaStreamDestroy(stream);
    }

    private static void cuda(int rc, String call) {
        if (rc != cudaSuccess) {
            throw new IllegalStateException(call + " failed: " + cudaGetErrorString(rc).getString());
        }
    }

    private static void driverCall(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: CUDA driver error " + rc);
        }
    }

    private static void blas(int status, String call) {
        if (status != CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(call + " failed: cuBLAS status " + status);
        }
    }
}
