/* ratelimit — the rate-limit policy, kept free of I/O so tests can drive it: which bucket a
 * path spends, how a response is classified (primary / secondary limit, retry, auth) and
 * how long to back off. The client (http.c) does the waiting. */
#include "config.h"
#include "github/github.h"

#include <string.h>
#include <strings.h>

// clang-format off
static const char *const bucket_names[GH_BUCKET_COUNT] = {
    [GH_BUCKET_CORE] = "core", [GH_BUCKET_SEARCH] = "search",
    [GH_BUCKET_CODE_SEARCH] = "code_search", [GH_BUCKET_NONE] = "none",
};
static const struct { const char *prefix; enum gh_bucket b; } bucket_paths[] = {
    { "/search/code", GH_BUCKET_CODE_SEARCH },
    { "/search/",     GH_BUCKET_SEARCH },
    { "/rate_limit",  GH_BUCKET_NONE },
};
// clang-format on

const char *
gh_bucket_name(enum gh_bucket b)
{
    return (unsigned)b < GH_BUCKET_COUNT ? bucket_names[b] : "none";
}

enum gh_bucket
gh_bucket_of_path(const char *path)
{
    for (size_t i = 0; i < sizeof bucket_paths / sizeof bucket_paths[0]; i++)
        if (strncmp(path, bucket_paths[i].prefix, strlen(bucket_paths[i].prefix)) == 0)
            return bucket_paths[i].b;
    return GH_BUCKET_CORE;
}

static int
mentions_secondary(const char *body)
{
    return body && (strcasestr(body, "secondary rate limit") || strcasestr(body, "abuse"));
}

enum gh_verdict
gh_classify(long status, const struct gh_rate *rate, long retry_after, const char *body)
{
    if ((status >= 200 && status < 300) || status == 304)
        return GH_V_OK;
    if (status == 401)
        return GH_V_AUTH;
    if (status == 403 || status == 429) {
        /* A Retry-After or the secondary wording wins: those limits are not per bucket. */
        if (retry_after >= 0 || mentions_secondary(body))
            return GH_V_SECONDARY;
        if (rate && rate->known && rate->remaining == 0)
            return GH_V_PRIMARY;
        if (status == 429)
            return GH_V_SECONDARY;
        return GH_V_FAIL;
    }
    if (status == 404 || status == 409)
        return GH_V_NOTFOUND;
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        return GH_V_REDIRECT;
    if (status >= 500)
        return GH_V_RETRY;
    return GH_V_FAIL;
}

long
gh_backoff_ms(int attempt, long base_ms, long cap_ms, double rnd)
{
    long d = base_ms;
    for (int i = 0; i < attempt && d < cap_ms; i++)
        d *= 2;
    if (d > cap_ms)
        d = cap_ms;
    if (rnd < 0)
        rnd = 0;
    if (rnd >= 1)
        rnd = 0.999;
    return (long)((double)d * (0.5 + rnd / 2.0));
}
