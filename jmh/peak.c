/*
 * One core's FP32 peak, measured: independent chains of fused multiply-adds on the widest vectors
 * the CPU has (AVX-512, else AVX2 + FMA), so the table's "% of peak" rests on a number measured
 * on the machine in the same run rather than on a datasheet clock.
 *
 * 12 chains: an FMA has a latency of 4 cycles on current x86 cores and there are up to 2 FMA
 * pipes, so at least 8 independent accumulators are needed to keep both busy; 12 leave margin.
 * The empty asm keeps the compiler from merging or hoisting the chains. Prints GFLOP/s (best of
 * 15 runs of about 0.1 s, so that one quiet moment on a shared machine is enough) on stdout and
 * what was measured on stderr.
 *
 *   cc -O2 -o peak jmh/peak.c && ./peak
 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#define ITERATIONS 40000000L
#define RUNS 15
#define CHAINS 12

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Twelve named accumulators (an array would be kept in memory and measure store forwarding). */
#define FMA12(fma, a, b)                                                           \
    c0 = fma(a, c0, b); c1 = fma(a, c1, b); c2 = fma(a, c2, b); c3 = fma(a, c3, b);   \
    c4 = fma(a, c4, b); c5 = fma(a, c5, b); c6 = fma(a, c6, b); c7 = fma(a, c7, b);   \
    c8 = fma(a, c8, b); c9 = fma(a, c9, b); c10 = fma(a, c10, b); c11 = fma(a, c11, b);
#define KEEP(r) __asm__ volatile("" : "+" r(c0), "+" r(c1), "+" r(c2), "+" r(c3), "+" r(c4), "+" r(c5), \
                                 "+" r(c6), "+" r(c7), "+" r(c8), "+" r(c9), "+" r(c10), "+" r(c11))

__attribute__((target("avx512f"))) static double avx512(float *sink) {
    __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-6f);
    __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0,
           c8 = c0, c9 = c0, c10 = c0, c11 = c0;
    double t = now();
    for (long i = 0; i < ITERATIONS; i++) {
        FMA12(_mm512_fmadd_ps, a, b)
        KEEP("v");
    }
    t = now() - t;
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                             _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)));
    *sink += _mm512_reduce_add_ps(s);
    return ITERATIONS * CHAINS * 2.0 * 16 / t / 1e9;
}

__attribute__((target("avx2,fma"))) static double avx2(float *sink) {
    __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-6f);
    __m256 c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0,
           c8 = c0, c9 = c0, c10 = c0, c11 = c0;
    double t = now();
    for (long i = 0; i < ITERATIONS; i++) {
        FMA12(_mm256_fmadd_ps, a, b)
        KEEP("x");
    }
    t = now() - t;
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                             _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
    float lanes[8];
    _mm256_storeu_ps(lanes, s);
    for (int i = 0; i < 8; i++) *sink += lanes[i];
    return ITERATIONS * CHAINS * 2.0 * 8 / t / 1e9;
}

int main(void) {
    __builtin_cpu_init();
    int wide = __builtin_cpu_supports("avx512f");
    if (!wide && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
        fprintf(stderr, "peak: neither AVX-512 nor AVX2+FMA on this CPU\n");
        return 1;
    }
    float sink = 0;
    double best = 0;
    for (int r = 0; r < RUNS; r++) {
        double g = wide ? avx512(&sink) : avx2(&sink);
        if (g > best) best = g;
    }
    printf("%.1f\n", best);
    fprintf(stderr, "%s FMA, %d independent chains, best of %d runs (checksum %g)\n",
            wide ? "AVX-512" : "AVX2", CHAINS, RUNS, sink);
    return 0;
}
