/**
 * The ground floor: what the machine offers beneath the engine. The native memory of arrays (pointers,
 * row views, which backend runs), dense float64 LAPACK and BLAS through the
 * OpenBLAS build that ND4J already loads, the C library's logarithm (numpy's), and the memory a run may
 * still take (available memory and the container's cgroup limit). Depends on nothing else in descent.
 */
package dev.descent.host;
