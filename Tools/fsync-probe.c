// fsync-probe: what one fdatasync costs on this disk, depending on what it has to make durable.
//
// Build and run (Linux, gcc; the directory must be on the disk the spool uses, /tmp here):
//   mkdir -p .build && gcc -O2 -o .build/fsync-probe Tools/fsync-probe.c
//   .build/fsync-probe [BYTES [SAMPLES [DIR]]]        (defaults: 56000 bytes, 200 samples, /tmp)
//
// Every sample runs each mode once, in turn, so that all modes see the same disk and machine state; it prints the
// p0/p25/p50/p75/p90 of each mode in microseconds. Only the fdatasync is timed unless the mode says otherwise.
//   overwrite   rewrite BYTES at offset 0 of a file whose blocks are written and synced: data only, no metadata
//   append      append BYTES to one long-lived file (what a flush's sync has to do: the new blocks are allocated
//               and the file size grows, so ext4 commits its journal as well as writing the data)
//   fresh       create a new file, write BYTES, fdatasync it (the inode, its directory entry and its blocks are
//               all new), close and unlink it: a sync that also commits a new file's metadata
//   fresh+close the same, timing fdatasync + close + unlink
//   dirfsync    fsync of the directory after an append (a flush does it once per new segment only)
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void check(int ok, const char *what) {
    if (!ok) {
        perror(what);
        exit(1);
    }
}

static void write_all(int fd, const char *p, size_t n, off_t at) {
    while (n > 0) {
        ssize_t w = at >= 0 ? pwrite(fd, p, n, at) : write(fd, p, n);
        check(w > 0, "write");
        p += w;
        n -= (size_t)w;
        if (at >= 0) at += w;
    }
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

enum { OVERWRITE, APPEND, FRESH, FRESH_CLOSE, DIRFSYNC, MODES };
static const char *names[MODES] = {"overwrite", "append", "fresh", "fresh+close", "dirfsync"};

int main(int argc, char **argv) {
    size_t bytes = argc > 1 ? strtoul(argv[1], 0, 10) : 56000;
    int samples = argc > 2 ? atoi(argv[2]) : 200;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    char *buf = malloc(bytes);
    for (size_t i = 0; i < bytes; i++) buf[i] = (char)(i * 131 + 7);
    char keep[4096], over[4096], fresh[4096];
    snprintf(keep, sizeof keep, "%s/fsync-probe-%d.append", dir, getpid());
    snprintf(over, sizeof over, "%s/fsync-probe-%d.overwrite", dir, getpid());
    snprintf(fresh, sizeof fresh, "%s/fsync-probe-%d.fresh", dir, getpid());
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
    check(dirfd >= 0, "open dir");
    int afd = open(keep, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    check(afd >= 0, "open append file");
    write_all(afd, buf, 4096, -1);  // an existing file with a header, like a segment
    check(fdatasync(afd) == 0 && fsync(dirfd) == 0, "initial sync");
    int ofd = open(over, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    check(ofd >= 0, "open overwrite file");
    write_all(ofd, buf, bytes, 0);
    check(fdatasync(ofd) == 0 && fsync(dirfd) == 0, "initial sync");
    double *t[MODES];
    for (int m = 0; m < MODES; m++) t[m] = calloc((size_t)samples, sizeof(double));
    for (int s = 0; s < samples; s++) {
        double a, b;
        write_all(ofd, buf, bytes, 0);
        a = now_us();
        check(fdatasync(ofd) == 0, "fdatasync overwrite");
        t[OVERWRITE][s] = now_us() - a;

        write_all(afd, buf, bytes, -1);
        a = now_us();
        check(fdatasync(afd) == 0, "fdatasync append");
        t[APPEND][s] = now_us() - a;

        for (int m = FRESH; m <= FRESH_CLOSE; m++) {
            int ffd = open(fresh, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            check(ffd >= 0, "open fresh");
            write_all(ffd, buf, bytes, -1);
            a = now_us();
            check(fdatasync(ffd) == 0, "fdatasync fresh");
            b = now_us();
            close(ffd);
            unlink(fresh);
            t[m][s] = (m == FRESH ? b : now_us()) - a;
        }

        write_all(afd, buf, bytes, -1);
        check(fdatasync(afd) == 0, "fdatasync append");
        a = now_us();
        check(fsync(dirfd) == 0, "fsync dir");
        t[DIRFSYNC][s] = now_us() - a;
    }
    printf("%zu bytes, %d samples in %s (microseconds)\n", bytes, samples, dir);
    printf("%-12s %8s %8s %8s %8s %8s\n", "mode", "p0", "p25", "p50", "p75", "p90");
    for (int m = 0; m < MODES; m++) {
        qsort(t[m], (size_t)samples, sizeof(double), cmp);
        printf(
            "%-12s %8.0f %8.0f %8.0f %8.0f %8.0f\n", names[m], t[m][0], t[m][samples / 4], t[m][samples / 2],
            t[m][samples * 3 / 4], t[m][samples * 9 / 10]);
    }
    close(afd);
    close(ofd);
    unlink(keep);
    unlink(over);
    return 0;
}
