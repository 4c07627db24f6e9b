/* verify — the verifier object: names of states and providers, which rule goes to which
 * provider, rate-limited dispatch to the provider functions, the cache rule and the alert
 * gate. Does not touch the store (leak.c does) or the network (the provider files do).
 */
#include "config.h"
#include "verify/verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/conf.h"
#include "verify/verify_int.h"

struct verifier {
    struct verify_config cfg;
    struct ratelimit buckets[VERIFY_PROVIDER_COUNT];
    long requests[VERIFY_PROVIDER_COUNT];
    pthread_mutex_t count_lock;
};

// clang-format off
static const char *const state_names[] = {
    [VERIFY_NONE] = "", [VERIFY_LIVE] = "live", [VERIFY_INVALID] = "invalid",
    [VERIFY_UNKNOWN] = "unknown",
};
static const char *const provider_names[] = {
    [VERIFY_PROVIDER_NONE] = "", [VERIFY_PROVIDER_ALIBABA] = "alibaba",
    [VERIFY_PROVIDER_AWS] = "aws", [VERIFY_PROVIDER_GITHUB] = "github",
    [VERIFY_PROVIDER_TENCENT] = "tencent",
};
/* Rule id prefixes (see data/rules/): the first match wins. Narrow on purpose: a provider
 * family also has rules for other secrets (aliyun-rds-endpoint is a database password), and
 * only AccessKey pairs and tokens can be checked — anything else would send the wrong thing. */
static const struct {
    const char *prefix;
    enum verify_provider p;
} rule_prefixes[] = {
    {"alibaba-accesskey",         VERIFY_PROVIDER_ALIBABA},
    {"aliyun-accesskey",          VERIFY_PROVIDER_ALIBABA},
    {"aws-access-key",            VERIFY_PROVIDER_AWS},
    {"tencent-secret",            VERIFY_PROVIDER_TENCENT},
    {"github-token",              VERIFY_PROVIDER_GITHUB},
    {"github-fine-grained-token", VERIFY_PROVIDER_GITHUB},
    {"github-pat",                VERIFY_PROVIDER_GITHUB},
};
// clang-format on

const char *
verify_state_name(enum verify_state s)
{
    return (unsigned)s < sizeof state_names / sizeof state_names[0] ? state_names[s] : "";
}

int
verify_state_parse(const char *s, enum verify_state *out)
{
    if (!s || !*s) {
        *out = VERIFY_NONE;
        return 0;
    }
    for (size_t i = 1; i < sizeof state_names / sizeof state_names[0]; i++) {
        if (strcmp(s, state_names[i]) == 0) {
            *out = (enum verify_state)i;
            return 0;
        }
    }
    return -1;
}

const char *
verify_provider_name(enum verify_provider p)
{
    return (unsigned)p < VERIFY_PROVIDER_COUNT ? provider_names[p] : "";
}

enum verify_provider
verify_provider_for_rule(const char *rule_id)
{
    if (!rule_id)
        return VERIFY_PROVIDER_NONE;
    for (size_t i = 0; i < sizeof rule_prefixes / sizeof rule_prefixes[0]; i++)
        if (strncasecmp(rule_id, rule_prefixes[i].prefix, strlen(rule_prefixes[i].prefix)) == 0)
            return rule_prefixes[i].p;
    return VERIFY_PROVIDER_NONE;
}

void
verify_config_from(struct verify_config *vc, const struct config *cfg)
{
    memset(vc, 0, sizeof *vc);
    vc->alibaba_endpoint = cfg->alibaba_endpoint;
    vc->aws_sts_endpoint = cfg->aws_sts_endpoint;
    vc->github_api = cfg->github_api;
    vc->tencent_sts_endpoint = cfg->tencent_sts_endpoint;
    vc->recheck_after = cfg->recheck_after;
    vc->rate = cfg->verify_rate;
}

struct verifier *
verifier_new(const struct verify_config *cfg)
{
    struct verifier *v = xcalloc(1, sizeof *v);

    v->cfg = *cfg;
    if (!v->cfg.alibaba_endpoint || !*v->cfg.alibaba_endpoint)
        v->cfg.alibaba_endpoint = VERIFY_DEFAULT_ALIBABA;
    if (!v->cfg.aws_sts_endpoint || !*v->cfg.aws_sts_endpoint)
        v->cfg.aws_sts_endpoint = VERIFY_DEFAULT_AWS_STS;
    if (!v->cfg.github_api || !*v->cfg.github_api)
        v->cfg.github_api = VERIFY_DEFAULT_GITHUB;
    if (!v->cfg.tencent_sts_endpoint || !*v->cfg.tencent_sts_endpoint)
        v->cfg.tencent_sts_endpoint = VERIFY_DEFAULT_TENCENT_STS;
    if (v->cfg.rate <= 0)
        v->cfg.rate = VERIFY_DEFAULT_RATE;
    if (v->cfg.recheck_after <= 0)
        v->cfg.recheck_after = VERIFY_DEFAULT_RECHECK;
    for (int i = 0; i < VERIFY_PROVIDER_COUNT; i++)
        ratelimit_init(&v->buckets[i], v->cfg.rate);
    pthread_mutex_init(&v->count_lock, NULL);
    return v;
}

void
verifier_free(struct verifier *v)
{
    if (!v)
        return;
    for (int i = 0; i < VERIFY_PROVIDER_COUNT; i++)
        ratelimit_done(&v->buckets[i]);
    pthread_mutex_destroy(&v->count_lock);
    free(v);
}

long
verifier_recheck_after(const struct verifier *v)
{
    return v->cfg.recheck_after;
}

/* Temporary (STS) key IDs are only valid with the session token issued with them, which a
 * leak rarely carries: without it the provider would say "invalid" for a key that may well
 * work. AWS: ASIA…; Alibaba Cloud: STS.… */
static int
temporary_key(enum verify_provider p, const char *ak_id)
{
    return (p == VERIFY_PROVIDER_AWS && strncmp(ak_id, "ASIA", 4) == 0) ||
           (p == VERIFY_PROVIDER_ALIBABA && strncmp(ak_id, "STS.", 4) == 0);
}

void
verifier_check(struct verifier *v, enum verify_provider p, const char *ak_id,
               const char *secret, struct verify_outcome *out)
{
    memset(out, 0, sizeof *out);
    if (p <= VERIFY_PROVIDER_NONE || p >= VERIFY_PROVIDER_COUNT || !secret || !*secret) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "%s", "nothing to check with");
        return;
    }
    if (p != VERIFY_PROVIDER_GITHUB && (!ak_id || !*ak_id)) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "%s",
                           "a secret alone cannot be checked: its AccessKey ID was not found");
        return;
    }
    if (p != VERIFY_PROVIDER_GITHUB && strcmp(ak_id, secret) == 0) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "%s",
                           "an AccessKey ID alone cannot be checked: its secret was not found");
        return;
    }
    if (temporary_key(p, ak_id)) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "%s",
                           "temporary credentials: their session token is needed to check them");
        return;
    }
    ratelimit_take(&v->buckets[p]);
    pthread_mutex_lock(&v->count_lock);
    v->requests[p]++;
    pthread_mutex_unlock(&v->count_lock);
    switch (p) {
    case VERIFY_PROVIDER_ALIBABA: verify_alibaba_check(&v->cfg, ak_id, secret, out); break;
    case VERIFY_PROVIDER_AWS: verify_aws_check(&v->cfg, ak_id, secret, out); break;
    case VERIFY_PROVIDER_GITHUB: verify_github_check(&v->cfg, secret, out); break;
    case VERIFY_PROVIDER_TENCENT: verify_tencent_check(&v->cfg, ak_id, secret, out); break;
    default: break;
    }
}

long
verifier_requests(const struct verifier *v, enum verify_provider p)
{
    long n;

    if (p <= VERIFY_PROVIDER_NONE || p >= VERIFY_PROVIDER_COUNT)
        return 0;
    pthread_mutex_lock((pthread_mutex_t *)&v->count_lock);
    n = v->requests[p];
    pthread_mutex_unlock((pthread_mutex_t *)&v->count_lock);
    return n;
}

int
verify_is_due(time_t checked_at, long recheck_after, time_t now)
{
    if (checked_at <= 0)
        return 1;
    if (recheck_after <= 0)
        recheck_after = VERIFY_DEFAULT_RECHECK;
    return now - checked_at >= recheck_after;
}

int
verify_alert_allowed(int alert_only_live, enum verify_state s)
{
    return !alert_only_live || s == VERIFY_LIVE;
}

void
verify_outcome_set(struct verify_outcome *out, enum verify_state s, const char *fmt, ...)
{
    va_list ap;

    out->state = s;
    out->checked_at = akw_now();
    out->identity[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(out->error, sizeof out->error, fmt, ap);
    va_end(ap);
}

void
verify_outcome_from_code(struct verify_outcome *out, const struct verify_code *codes, size_t n,
                         const char *code, const char *msg, long status, const char *call)
{
    enum verify_state s = VERIFY_UNKNOWN;

    if (!code) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "HTTP %ld: %s", status,
                           "unexpected answer from the provider");
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(code, codes[i].code) == 0)
            s = codes[i].state;
    /* A message can be long and useless (Alibaba's SignatureDoesNotMatch echoes its string
     * to sign): the code says it all, except for an unknown verdict. */
    if (s == VERIFY_UNKNOWN && msg)
        verify_outcome_set(out, s, "%s (HTTP %ld): %.160s", code, status, msg);
    else
        verify_outcome_set(out, s, "%s (HTTP %ld)", code, status);
    if (s == VERIFY_LIVE)
        snprintf(out->identity, sizeof out->identity, "authenticated, no permission for %s: %.160s",
                 call, msg ? msg : "");
}

void
verify_send(const struct provider_http_req *req,
            void (*classify)(const struct provider_http_resp *, struct verify_outcome *),
            struct verify_outcome *out)
{
    struct provider_http_resp resp;
    struct akw_err err;

    if (provider_http_do(req, &resp, &err) == AKW_OK)
        classify(&resp, out);
    else
        verify_outcome_set(out, VERIFY_UNKNOWN, "%s", err.msg);
    provider_http_resp_done(&resp);
}

const char *
verify_json_str(json_object *o, const char *key)
{
    json_object *v = NULL;

    return o && json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

char *
verify_url_join(const char *endpoint, const char *suffix)
{
    size_t n = strlen(endpoint);

    while (n > 0 && endpoint[n - 1] == '/')
        n--;
    return xasprintf("%.*s%s", (int)n, endpoint, suffix);
}

char *
verify_url_authority(const char *url)
{
    const char *p = strstr(url, "://"), *end;
    char *auth;
    size_t n;

    if (!p)
        return NULL;
    p += 3;
    end = p + strcspn(p, "/?#");
    auth = xstrndup(p, (size_t)(end - p));
    n = strlen(auth);
    if (strncasecmp(url, "https:", 6) == 0 && n > 4 && strcmp(auth + n - 4, ":443") == 0)
        auth[n - 4] = '\0';
    else if (strncasecmp(url, "http:", 5) == 0 && n > 3 && strcmp(auth + n - 3, ":80") == 0)
        auth[n - 3] = '\0';
    return auth;
}
