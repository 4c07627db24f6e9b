/* cancel — interruptible waits: an atomic flag plus a self-pipe, so a signal handler or
 * another thread can stop a sleeping client at once. Does not decide when to wait. */
#include "config.h"
#include "github/github.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

enum akw_status
gh_cancel_init(struct gh_cancel *c, struct akw_err *err)
{
    atomic_init(&c->flag, 0);
    if (pipe(c->fds) != 0) {
        c->fds[0] = c->fds[1] = -1;
        return akw_err_set(err, AKW_ERR_IO, _("cannot create a pipe: %s"), strerror(errno));
    }
    for (int i = 0; i < 2; i++) {
        fcntl(c->fds[i], F_SETFL, fcntl(c->fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(c->fds[i], F_SETFD, FD_CLOEXEC);
    }
    return AKW_OK;
}

void
gh_cancel_done(struct gh_cancel *c)
{
    for (int i = 0; i < 2; i++)
        if (c->fds[i] >= 0)
            close(c->fds[i]);
    c->fds[0] = c->fds[1] = -1;
}

void
gh_cancel_request(struct gh_cancel *c)
{
    atomic_store(&c->flag, 1);
    /* The byte stays in the pipe: every later wait returns at once. */
    ssize_t r = write(c->fds[1], "x", 1);
    (void)r;
}

void
gh_cancel_reset(struct gh_cancel *c)
{
    char tmp[64];
    while (read(c->fds[0], tmp, sizeof tmp) > 0)
        ;
    atomic_store(&c->flag, 0);
}

int
gh_cancelled(struct gh_cancel *c)
{
    return c && atomic_load(&c->flag);
}

static double
now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
gh_cancel_wait(struct gh_cancel *c, double seconds)
{
    double end = now_mono() + seconds;
    for (;;) {
        if (gh_cancelled(c))
            return 1;
        double left = end - now_mono();
        if (left <= 0)
            return 0;
        int ms = left > 1000.0 ? 1000000 : (int)(left * 1000.0) + 1;
        if (c) {
            struct pollfd p = {.fd = c->fds[0], .events = POLLIN};
            poll(&p, 1, ms);
        } else {
            struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
}
