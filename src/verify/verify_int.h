/* verify_int — private to src/verify/: the per-provider check functions, the token bucket
 * and small URL/outcome helpers. Other layers include verify/verify.h only.
 */
#ifndef AKW_VERIFY_INT_H
#define AKW_VERIFY_INT_H

#include <pthread.h>

#include "verify/verify.h"

/* ---- ratelimit.c: token bucket (capacity 1, so requests are at least 1/rate s apart) --- */
struct ratelimit {
    pthread_mutex_t lock;
    double interval;   /* seconds between requests */
    double next_free;  /* monotonic time at which the next request may go */
};
void ratelimit_init(struct ratelimit *r, double rate);
void ratelimit_done(struct ratelimit *r);
/* Block until a request may be sent, and take the slot. Any thread. */
void ratelimit_take(struct ratelimit *r);

/* ---- helpers (verify.c) --------------------------------------------------------------- */
/* out->state = s, checked_at = now, error = printf(fmt) (truncated); identity cleared. */
void verify_outcome_set(struct verify_outcome *out, enum verify_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* endpoint without trailing slashes, then suffix. Caller frees. */
char *verify_url_join(const char *endpoint, const char *suffix);
/* The host[:port] part of an absolute URL, without a default port (:443 for https, :80 for
 * http), as curl sends it in Host. Caller frees; NULL when the URL has no "://". */
char *verify_url_authority(const char *url);

/* ---- one function per provider: send one request, classify the answer ----------------- */
void verify_alibaba_check(const struct verify_config *c, const char *ak_id, const char *secret,
                          struct verify_outcome *out);
void verify_aws_check(const struct verify_config *c, const char *ak_id, const char *secret,
                      struct verify_outcome *out);
void verify_github_check(const struct verify_config *c, const char *token,
                         struct verify_outcome *out);

#endif
