// Cost of one clock read on this machine: clock_gettime(CLOCK_REALTIME) through the vDSO (what the tracer reads at
// each span's start and end), CLOCK_REALTIME_COARSE, and a bare rdtsc (x86_64).
// Run: mkdir -p .build && gcc -O2 -o .build/clock clock.c && .build/clock
#include <time.h>
#include <stdio.h>
#include <x86intrin.h>
int main(){struct timespec ts,a,b;long n=20000000;unsigned long s=0;
clock_gettime(CLOCK_MONOTONIC,&a);for(long i=0;i<n;i++){clock_gettime(CLOCK_REALTIME,&ts);s+=ts.tv_nsec;}clock_gettime(CLOCK_MONOTONIC,&b);
printf("realtime %.1f ns\n",((b.tv_sec-a.tv_sec)*1e9+(b.tv_nsec-a.tv_nsec))/n);
clock_gettime(CLOCK_MONOTONIC,&a);for(long i=0;i<n;i++){clock_gettime(CLOCK_REALTIME_COARSE,&ts);s+=ts.tv_nsec;}clock_gettime(CLOCK_MONOTONIC,&b);
printf("coarse %.1f ns\n",((b.tv_sec-a.tv_sec)*1e9+(b.tv_nsec-a.tv_nsec))/n);
clock_gettime(CLOCK_MONOTONIC,&a);for(long i=0;i<n;i++){s+=__rdtsc();}clock_gettime(CLOCK_MONOTONIC,&b);
printf("rdtsc %.1f ns %lu\n",((b.tv_sec-a.tv_sec)*1e9+(b.tv_nsec-a.tv_nsec))/n,s&1);}
