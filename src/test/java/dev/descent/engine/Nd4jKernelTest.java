package dev.descent.engine;

class Nd4jKernelTest extends GradientKernelContract {
    @Override
    KernelKind kind() {
        return KernelKind.ND4J;
    }
}
