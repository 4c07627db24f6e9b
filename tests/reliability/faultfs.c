/* faultfs — an LD_PRELOAD library for the fault tests: counts the write-side calls the
 * process makes to files (write, pwrite, pwrite64, fsync, fdatasync, ftruncate) and, at the
 * Nth, either kills the process with SIGKILL (AKW_KILL_AT=N: a crash at a chosen point of a
 * transaction, no wall-clock guess) or fails that call and every later one with ENOSPC
 * (AKW_ENOSPC_AT=N: the disk fills up there). Writes to stdin/stdout/stderr are not counted.
 * Built by the tests with cc -shared; not part of akwatch. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

static long calls, kill_at = -1, enospc_at = -1;
static int inited;

static void
init(void)
{
    if (inited)
        return;
    inited = 1;
    const char *k = getenv("AKW_KILL_AT"), *e = getenv("AKW_ENOSPC_AT");
    if (k)
        kill_at = atol(k);
    if (e)
        enospc_at = atol(e);
}

/* 0 = go on; -1 = fail with ENOSPC. Never returns when the kill point is reached. */
static int
hit(int fd)
{
    init();
    if (fd <= 2)
        return 0;
    calls++;
    if (calls == kill_at)
        raise(SIGKILL);
    if (enospc_at > 0 && calls >= enospc_at) {
        errno = ENOSPC;
        return -1;
    }
    return 0;
}

#define NEXT(name) static __typeof__(name) *real; if (!real) real = dlsym(RTLD_NEXT, #name)

ssize_t
write(int fd, const void *p, size_t n)
{
    NEXT(write);
    return hit(fd) ? -1 : real(fd, p, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
    NEXT(pwrite);
    return hit(fd) ? -1 : real(fd, p, n, off);
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off64_t off)
{
    NEXT(pwrite64);
    return hit(fd) ? -1 : real(fd, p, n, off);
}

int
fsync(int fd)
{
    NEXT(fsync);
    return hit(fd) ? -1 : real(fd);
}

int
fdatasync(int fd)
{
    NEXT(fdatasync);
    return hit(fd) ? -1 : real(fd);
}

int
ftruncate(int fd, off_t len)
{
    NEXT(ftruncate);
    return hit(fd) ? -1 : real(fd, len);
}

/* AKW_FAULT_COUNT=FILE: the number of counted calls is written there at exit, so a test
 * knows how many kill points a command has. */
__attribute__((destructor)) static void
report(void)
{
    const char *f = getenv("AKW_FAULT_COUNT");
    if (f && *f) {
        int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dprintf(fd, "%ld\n", calls);
            close(fd);
        }
    }
}
