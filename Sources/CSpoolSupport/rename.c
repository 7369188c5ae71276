// rename without replacing an existing target, where the system supports it.
#define _GNU_SOURCE
#include "CSpoolSupport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

int tracespool_rename_noreplace(int dirfd, const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
    long r = syscall(SYS_renameat2, dirfd, from, dirfd, to, 1 /* RENAME_NOREPLACE */);
    if (r == 0) return 0;
    if (errno != ENOSYS && errno != EINVAL) return -1;
    // Old kernel or a file system without RENAME_NOREPLACE: fall back to a plain rename.
#endif
    return renameat(dirfd, from, dirfd, to);
}
