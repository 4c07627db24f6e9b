/* ratelimit — a token bucket of capacity one per provider: consecutive requests leave at
 * least 1/rate seconds apart, so no one-second window holds more than `rate` of them. Real
 * (monotonic) time, not the AKWATCH_NOW seam: this paces the wire, not the bookkeeping.
 */
#include "config.h"

#include <errno.h>
#include <time.h>

#include "verify/verify_int.h"

static double
mono_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
ratelimit_init(struct ratelimit *r, double rate)
{
    pthread_mutex_init(&r->lock, NULL);
    r->interval = rate > 0 ? 1.0 / rate : 1.0;
    r->next_free = 0;
}

void
ratelimit_done(struct ratelimit *r)
{
    pthread_mutex_destroy(&r->lock);
}

void
ratelimit_take(struct ratelimit *r)
{
    double now, at, wait;
    struct timespec ts;

    /* Reserve a slot under the lock, sleep outside it: concurrent callers queue up in
     * order, each with its own slot. */
    pthread_mutex_lock(&r->lock);
    now = mono_now();
    at = r->next_free > now ? r->next_free : now;
    r->next_free = at + r->interval;
    pthread_mutex_unlock(&r->lock);
    wait = at - now;
    if (wait <= 0)
        return;
    ts.tv_sec = (time_t)wait;
    ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}
