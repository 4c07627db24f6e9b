/* verify — opt-in live verification of leaked credentials with their provider: is a leaked
 * key still working (live), dead (invalid), or could we not tell (unknown, with the reason)?
 * One signed, read-only call per check; the secret itself is only ever sent to the provider
 * that issued it, and for AccessKey pairs not even there (only a signature is sent).
 *
 *   verify.c        outcome/provider vocabulary, the verifier object, dispatch, cache rule
 *   ratelimit.c     token bucket per provider (never more than `rate` requests/s)
 *   alibaba.c       Alibaba Cloud AccessKey pair: RPC DescribeRegions signed HMAC-SHA1
 *   aws.c           AWS key pair: STS GetCallerIdentity signed SigV4
 *   tencent.c       Tencent Cloud SecretId/SecretKey: STS GetCallerIdentity signed TC3
 *   gh_user.c       GitHub token: GET /user
 *   leak.c          verify a stored leak: cache per fingerprint (store), audit, secret source
 *   job.c           verify a stored leak on a thread of its own (TUI re-check)
 *   sign*.c         the signatures (see sign.h)
 *
 * Where the secret comes from: a check needs the raw secret. During a scan the finding in
 * hand carries it (pass it as secret_in_hand). On demand (`akwatch verify`) only a store
 * written with `[scan] store_secrets = on` has it; otherwise the leak is reported as
 * VERIFY_SKIP_NO_SECRET and nothing is sent.
 *
 * Who calls it: `akwatch verify` (cli/verify.c); with [verify] enabled = on, the local scan
 * (cli/scan.c) and the GitHub scan thread (scan/ghscan.c) right after committing a finding
 * and before alerting on it, so [verify] alert_only_live (notify) sees the verdict; the TUI's
 * re-check through verify_job_start(). Running `akwatch verify` is itself the opt-in for an
 * on-demand check; [verify] enabled only governs the automatic checks during scans.
 *
 * Threads: a struct verifier may be shared by threads (the buckets are locked); each thread
 * passes its own struct store. The rate bound is per verifier, hence per process.
 */
#ifndef AKW_VERIFY_H
#define AKW_VERIFY_H

#include <stdint.h>
#include <time.h>

#include "util/util.h"

struct config;
struct store;

enum verify_state {
    VERIFY_NONE = 0,    /* never checked */
    VERIFY_LIVE = 1,    /* the provider accepted the key */
    VERIFY_INVALID = 2, /* the provider rejected it (unknown ID, wrong secret, disabled) */
    VERIFY_UNKNOWN = 3, /* could not tell: network, throttling, unexpected answer */
};
/* "" | "live" | "invalid" | "unknown" (untranslated: store, JSON, export). */
const char *verify_state_name(enum verify_state s);
/* Accepts the names above (NULL or "" = VERIFY_NONE); returns 0 or -1. */
int verify_state_parse(const char *s, enum verify_state *out);

enum verify_provider {
    VERIFY_PROVIDER_NONE = 0,
    VERIFY_PROVIDER_ALIBABA,
    VERIFY_PROVIDER_AWS,
    VERIFY_PROVIDER_GITHUB,
    VERIFY_PROVIDER_TENCENT,
    VERIFY_PROVIDER_COUNT
};
/* "alibaba" | "aws" | "github" | "tencent" | "" */
const char *verify_provider_name(enum verify_provider p);
/* The provider able to check findings of a rule, from the rule id's prefix
 * ("alibaba-accesskey", "aliyun-accesskey", "aws-access-key", "tencent-secret",
 * "github-token", "github-fine-grained-token", "github-pat"); VERIFY_PROVIDER_NONE when none can
 * (databases, passwords, other providers' keys). */
enum verify_provider verify_provider_for_rule(const char *rule_id);

struct verify_outcome {
    enum verify_state state;
    time_t checked_at;  /* akw_now() when the answer arrived */
    char identity[256]; /* live: what the provider says the key is (ARN and account,
                           GitHub login, Alibaba regions); else "" */
    char error[256];    /* invalid/unknown: the provider's error code or the network error;
                           never contains the secret. identity and error are stored and
                           exported as they are: not translated */
};

/* Endpoints and limits. Strings are borrowed for the verifier's life. */
struct verify_config {
    const char *alibaba_endpoint; /* NULL = https://ecs.aliyuncs.com */
    const char *aws_sts_endpoint; /* NULL = https://sts.amazonaws.com */
    const char *github_api;       /* NULL = https://api.github.com */
    const char *tencent_sts_endpoint; /* NULL = https://sts.tencentcloudapi.com */
    double rate;                  /* max requests per second per provider; <= 0 = 2 */
    long recheck_after;           /* seconds a stored outcome stays fresh; <= 0 = 1 day */
    long timeout_s;               /* per request; 0 = 20 */
};
#define VERIFY_DEFAULT_ALIBABA "https://ecs.aliyuncs.com"
#define VERIFY_DEFAULT_AWS_STS "https://sts.amazonaws.com"
#define VERIFY_DEFAULT_GITHUB "https://api.github.com"
#define VERIFY_DEFAULT_TENCENT_STS "https://sts.tencentcloudapi.com"
#define VERIFY_DEFAULT_RATE 2.0
#define VERIFY_DEFAULT_RECHECK (24L * 3600)

/* Fill vc from the [verify] section of cfg (borrowing its strings; cfg must outlive vc). */
void verify_config_from(struct verify_config *vc, const struct config *cfg);

struct verifier;
/* cfg is copied (its strings are borrowed). Caller frees with verifier_free(). */
struct verifier *verifier_new(const struct verify_config *cfg);
void verifier_free(struct verifier *v);

/* One live check with the provider, no cache: waits for the provider's token bucket, sends
 * one request, fills *out (checked_at = akw_now()). Every failure (network, throttling,
 * unexpected answer, missing ak_id for a pair) is an outcome VERIFY_UNKNOWN with the reason
 * in out->error, so there is no error return. ak_id: the AccessKey ID (Alibaba, AWS) or
 * NULL (GitHub); Tencent's SecretId is its AccessKey ID. secret: the AccessKey secret or the token; only read, never copied into
 * *out. Any thread. */
void verifier_check(struct verifier *v, enum verify_provider p, const char *ak_id,
                    const char *secret, struct verify_outcome *out);

/* The re-check interval in use (seconds). */
long verifier_recheck_after(const struct verifier *v);

/* Requests sent so far to provider p by this verifier (for status lines and tests). */
long verifier_requests(const struct verifier *v, enum verify_provider p);

/* The cache rule: 1 when an outcome checked at checked_at (0 = never) is due again at now. */
int verify_is_due(time_t checked_at, long recheck_after, time_t now);

/* The alert gate ([verify] alert_only_live): 1 when an alert may be sent for a leak whose
 * verification state is s. With the option off everything passes; with it on only live
 * keys alert (the others are still stored and listed). */
int verify_alert_allowed(int alert_only_live, enum verify_state s);

/* ---- stored leaks (leak.c) ----------------------------------------------------------- */

enum verify_how {
    VERIFY_CHECKED = 0,        /* a request was sent; *out is the fresh outcome */
    VERIFY_CACHED = 1,         /* the stored outcome was fresh; nothing sent */
    VERIFY_SKIP_NO_SECRET = 2, /* the raw secret is not stored ([scan] store_secrets = off)
                                  and none was handed in; nothing sent */
    VERIFY_SKIP_UNSUPPORTED = 3, /* no provider checks this rule (or an ID-only finding) */
};

/* Verify stored leak leak_id: reuse its stored outcome while fresh (unless force), else
 * check it with secret_in_hand (the finding's secret during a scan; may be NULL) or the
 * stored raw secret, then store the outcome on the leak. A change of state is written to
 * the audit log (who, "verified-live" / "verified-invalid" / "verified-unknown").
 * *out gets the outcome used (stored or fresh; untouched for the SKIP cases), *how why.
 * Errors: AKW_ERR_NOTFOUND (no such leak), AKW_ERR_DB. Thread: the caller's store. */
enum akw_status verify_leak(struct verifier *v, struct store *st, int64_t leak_id,
                            const char *secret_in_hand, int force, const char *who,
                            struct verify_outcome *out, enum verify_how *how,
                            struct akw_err *err);

/* ---- a background check (job.c) ----------------------------------------------------- */

/* Verify stored leak leak_id as verify_leak() does (stored secret only), on a new thread with
 * its own connection to the store at db_path, so the caller never waits on the network.
 * When done, one byte is written to wake_fd (if >= 0; e.g. the TUI's wake-up pipe).
 * cfg is copied (its strings must outlive the job). Caller frees with verify_job_free(). */
struct verify_job;
enum akw_status verify_job_start(const struct verify_config *cfg, const char *db_path,
                                 int64_t leak_id, int force, const char *who, int wake_fd,
                                 struct verify_job **out, struct akw_err *err);
/* 0 while running; 1 when finished, then *out, *how and *err (err->code = the status of
 * verify_leak, AKW_OK on success) are filled (each may be NULL). Never blocks. Any thread. */
int verify_job_done(struct verify_job *j, struct verify_outcome *out, enum verify_how *how,
                    struct akw_err *err);
/* Waits for the job to finish (at most one request plus the rate-limit wait), then frees. */
void verify_job_free(struct verify_job *j);

#endif
