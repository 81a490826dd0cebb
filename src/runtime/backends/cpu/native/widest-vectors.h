/*
 * WIDEST_VECTORS before a function: GCC compiles it for AVX-512, AVX2 and plain x86-64, and the
 * loader picks the widest the CPU has (target_clones). Built with -ffp-contract=off, every version
 * gives the same bits. Elsewhere (other CPUs or compilers) one version.
 */
#ifndef DISCO_WIDEST_VECTORS_H
#define DISCO_WIDEST_VECTORS_H
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define WIDEST_VECTORS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WIDEST_VECTORS
#endif
#endif
