/**
 * Training on a GPU: {@link dev.descent.gpu.DeviceBlock} runs the CPU kernel's BLAS calls on a
 * {@link dev.descent.gpu.Device} (cuBLAS's calls and one gather kernel), inside the engine's one loop. The
 * CUDA implementation ({@code CudaDevice}, JavaCPP's CUDA presets) is compiled by the {@code gpu} profile from
 * src/gpu; it ran on an NVIDIA H200 (docs/gpu.md).
 */
package dev.descent.gpu;
