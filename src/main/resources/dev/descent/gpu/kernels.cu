// descent's own device code, compiled at run time by NVRTC for the GPU at hand (dev.descent.gpu.Nvrtc):
// the shuffled gather. Everything else a training step does is cuBLAS.
//
// Row i of dst <- row order[start + i] of src, for i < rows; rows `width` elements wide, row-major.
// One block per row; its threads copy the row's elements side by side (coalesced reads and writes).
#define DESCENT_GATHER(NAME, T)                                                                           \
  extern "C" __global__ void NAME(const T* __restrict__ src, int width, const int* __restrict__ order,  \
                                  int start, int rows, T* __restrict__ dst) {                           \
    int i = blockIdx.x;                                                                                   \
    if (i >= rows) return;                                                                                \
    const T* s = src + (long long) order[start + i] * width;                                             \
    T* d = dst + (long long) i * width;                                                                   \
    for (int j = threadIdx.x; j < width; j += blockDim.x) d[j] = s[j];                                   \
  }

DESCENT_GATHER(gather_f32, float)
DESCENT_GATHER(gather_f64, double)
