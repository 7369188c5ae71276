// Cost of one clock read on this machine: clock_gettime(CLOCK_REALTIME) through the vDSO (what the tracer reads at
// each span's start and end), CLOCK_REALTIME_COARSE, and a bare rdtsc (x86_64 only).
// Run: mkdir -p .build && gcc -O2 -o .build/clock clock.c && .build/clock
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static double elapsed_ns(struct timespec a, struct timespec b) {
    return (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
}

static const long n = 20000000;
static unsigned long sink;

/// Nanoseconds per clock_gettime(id), averaged over n calls.
static double per_read(clockid_t id) {
    struct timespec ts, a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) {
        clock_gettime(id, &ts);
        sink += ts.tv_nsec;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    return elapsed_ns(a, b) / n;
}

int main(void) {
    printf("clock_gettime(CLOCK_REALTIME)        %5.1f ns\n", per_read(CLOCK_REALTIME));
    printf("clock_gettime(CLOCK_REALTIME_COARSE) %5.1f ns\n", per_read(CLOCK_REALTIME_COARSE));
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) sink += __rdtsc();
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("rdtsc                                %5.1f ns\n", elapsed_ns(a, b) / n);
    return sink == 42;  // keeps the loops
}
