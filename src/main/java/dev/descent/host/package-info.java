/**
 * The ground floor: what the machine offers beneath the engine. Dense float64 LAPACK through the
 * OpenBLAS build that ND4J already loads, and the memory a run may still take (physical memory and
 * the container's limit). Depends on nothing else in descent.
 */
package dev.descent.host;
