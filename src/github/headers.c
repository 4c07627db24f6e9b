/* headers — one HTTP response header line, as libcurl hands it over, applied to a
 * struct gh_response: ETag, Link rel="next", Location, X-Poll-Interval, Retry-After and the
 * X-RateLimit-* family; a status line starts a new response. No I/O and no libcurl, so the
 * fuzz harness (tests/fuzz/fuzz_http.c) drives it directly. */
#include "config.h"
#include "github/http_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *
trim_dup(const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    return xstrndup(v, n);
}

/* Link: <url>; rel="next", <url>; rel="last" */
static char *
link_next(const char *v)
{
    const char *p = v;
    while ((p = strchr(p, '<')) != NULL) {
        const char *end = strchr(p, '>');
        if (!end)
            break;
        const char *comma = strchr(end, ',');
        const char *rel = strstr(end, "rel=\"next\"");
        if (rel && (!comma || rel < comma))
            return xstrndup(p + 1, (size_t)(end - p - 1));
        p = end;
    }
    return NULL;
}

static enum gh_bucket
bucket_by_name(const char *name)
{
    for (int b = 0; b < GH_BUCKET_COUNT; b++)
        if (strcmp(name, gh_bucket_name(b)) == 0)
            return b;
    return GH_BUCKET_NONE;
}

static void
header_value(struct gh_response *r, const char *name, const char *v)
{
    if (strcasecmp(name, "etag") == 0) {
        free(r->etag);
        r->etag = xstrdup(v);
    } else if (strcasecmp(name, "link") == 0) {
        free(r->link_next);
        r->link_next = link_next(v);
    } else if (strcasecmp(name, "location") == 0) {
        free(r->location);
        r->location = xstrdup(v);
    } else if (strcasecmp(name, "x-poll-interval") == 0) {
        r->poll_interval = atol(v);
    } else if (strcasecmp(name, "retry-after") == 0) {
        r->retry_after = atol(v);
    } else if (strcasecmp(name, "x-ratelimit-limit") == 0) {
        r->rate.known = 1;
        r->rate.limit = atol(v);
    } else if (strcasecmp(name, "x-ratelimit-remaining") == 0) {
        r->rate.known = 1;
        r->rate.remaining = atol(v);
    } else if (strcasecmp(name, "x-ratelimit-used") == 0) {
        r->rate.used = atol(v);
    } else if (strcasecmp(name, "x-ratelimit-reset") == 0) {
        r->rate.reset = (time_t)atoll(v);
    } else if (strcasecmp(name, "x-ratelimit-resource") == 0) {
        r->bucket = bucket_by_name(v);
    }
}

int
gh_header_line(struct gh_response *r, const char *p, size_t len, size_t max_body)
{
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* A new response (after a 100 Continue or a redirect): forget the previous one. */
        enum gh_bucket keep = r->bucket;
        free(r->etag);
        free(r->link_next);
        free(r->location);
        r->etag = r->link_next = r->location = NULL;
        r->poll_interval = 0;
        r->retry_after = -1;
        memset(&r->rate, 0, sizeof r->rate);
        r->bucket = keep;
        return 0;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon || colon == p)
        return 0;
    char name[64];
    size_t nl = (size_t)(colon - p);
    if (nl >= sizeof name)
        return 0;
    memcpy(name, p, nl);
    name[nl] = '\0';
    char *v = trim_dup(colon + 1, len - nl - 1);
    header_value(r, name, v);
    int too_big = strcasecmp(name, "content-length") == 0 &&
                  strtoull(v, NULL, 10) > (unsigned long long)max_body;
    free(v);
    return too_big;
}
