package dev.descent.optim;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Level-1 BLAS on whole contiguous buffers: y ← a·x + y, x ← a·x, y ← x. On the CPU backend it calls
 * {@link dev.descent.host.Blas} on the arrays' memory through pointers cached per array (no allocation per call:
 * ND4J's BLAS wrapper allocates about 400 bytes a call); on other backends it goes through ND4J's
 * wrapper (cuBLAS on CUDA). One instance per optimizer: the cache is not shared between threads.
 */
final class Blas {
    private static final int SLOTS = 8;
    private final boolean direct = dev.descent.host.HostMemory.cpuBackend();
    private final INDArray[] keys = new INDArray[SLOTS];
    private final Pointer[] pointers = new Pointer[SLOTS];
    private int next;

    /** y ← a·x + y. x: not modified. y: modified. */
    void axpy(double a, INDArray x, INDArray y) {
        if (!direct || !contiguous(x) || !contiguous(y)) {
            Nd4j.getBlasWrapper().level1().axpy(y.length(), a, x, y);
        } else {
            dev.descent.host.Blas.of(y.dataType()).axpy((int) y.length(), a, pointer(x), pointer(y));
        }
    }

    /** x ← a·x. x: modified. */
    void scal(double a, INDArray x) {
        if (!direct || !contiguous(x)) {
            Nd4j.getBlasWrapper().level1().scal(x.length(), a, x);
        } else {
            dev.descent.host.Blas.of(x.dataType()).scal((int) x.length(), a, pointer(x));
        }
    }

    /** y ← x. x: not modified. y: modified. */
    void copy(INDArray x, INDArray y) {
        if (!direct || !contiguous(x) || !contiguous(y)) {
            Nd4j.getBlasWrapper().level1().copy(x, y);
        } else {
            dev.descent.host.Blas.of(y.dataType()).copy((int) y.length(), pointer(x), pointer(y));
        }
    }

    private static boolean contiguous(INDArray a) {
        return a.elementWiseStride() == 1 && a.length() <= Integer.MAX_VALUE
                && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE);
    }

    /** The typed pointer to a's first element, cached by identity. */
    private Pointer pointer(INDArray a) {
        for (int i = 0; i < SLOTS; i++) {
            if (keys[i] == a) {
                return pointers[i];
            }
        }
        Pointer p = dev.descent.host.Blas.of(a.dataType()).typed(a.data().addressPointer());
        keys[next] = a;
        pointers[next] = p;
        next = (next + 1) % SLOTS;
        return p;
    }
}
