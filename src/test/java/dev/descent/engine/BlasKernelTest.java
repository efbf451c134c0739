package dev.descent.engine;

class BlasKernelTest extends GradientKernelContract {
    @Override
    KernelKind kind() {
        return KernelKind.BLAS;
    }
}
