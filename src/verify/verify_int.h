/* verify_int — private to src/verify/: the per-provider check functions, the token bucket
 * and small URL/outcome helpers. Other layers include verify/verify.h only.
 */
#ifndef AKW_VERIFY_INT_H
#define AKW_VERIFY_INT_H

#include <pthread.h>

#include <json-c/json.h>

#include "github/provider_http.h"
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
/* A provider's error code and what it says about the key. */
struct verify_code {
    const char *code;
    enum verify_state state;
};
/* The outcome of an answer that did not show the key working, carrying error code `code`
 * (and message msg, may be NULL): its state from codes[0..n) (a code not listed:
 * VERIFY_UNKNOWN), error "CODE (HTTP status)" (with the message when unknown); a live one
 * (authenticated, then denied) gets identity "authenticated, no permission for CALL: msg".
 * No code at all (NULL): VERIFY_UNKNOWN, "HTTP status: unexpected answer from the provider". */
void verify_outcome_from_code(struct verify_outcome *out, const struct verify_code *codes,
                              size_t n, const char *code, const char *msg, long status,
                              const char *call);
/* Send req to the provider; when an answer arrives (any status) classify(answer, out) judges
 * it, else *out is VERIFY_UNKNOWN with the network error. */
void verify_send(const struct provider_http_req *req,
                 void (*classify)(const struct provider_http_resp *, struct verify_outcome *),
                 struct verify_outcome *out);
/* The string member key of JSON object o; NULL when o is NULL or has no such member. */
const char *verify_json_str(json_object *o, const char *key);
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
void verify_tencent_check(const struct verify_config *c, const char *secret_id,
                          const char *secret_key, struct verify_outcome *out);
void verify_github_check(const struct verify_config *c, const char *token,
                         struct verify_outcome *out);

#endif
