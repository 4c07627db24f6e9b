/* http — the one place that talks libcurl: a reused easy handle per client, GitHub's
 * headers, the token pool (Authorization only to the API's own origin, never logged),
 * loopback-only plain http, and the wait/retry loop driven by ratelimit.c's verdicts.
 * Does not parse bodies beyond an error's "message". */
#include "config.h"
#include "github/github.h"
#include "github/http_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#define MAX_SECONDARY_WAITS 10
#define MAX_REDIRECTS 5

struct gh_token {
    char *value; /* NULL: anonymous */
    int revoked; /* GitHub answered 401 to it: not used again by this client */
    struct gh_rate rate[GH_BUCKET_COUNT];
};

#define MAX_RESET_AHEAD 3600 /* seconds: no GitHub rate-limit window is longer */

struct gh_client {
    CURL *curl;
    char *api_url;    /* no trailing '/' */
    char *api_origin; /* scheme://host:port */
    struct gh_token *tok;
    size_t n_tok;     /* >= 1 */
    size_t n_real;    /* configured tokens */
    struct gh_client_opts o;
    long requests, connections;
    unsigned rnd;
    struct gh_response *cur;
    int too_big;
    char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void
curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- URLs ---------------------------------------------------------------------------- */

int
gh_host_is_loopback(const char *host)
{
    if (!host)
        return 0;
    if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
        strcmp(host, "[::1]") == 0)
        return 1;
    unsigned a, b, c, d;
    char extra;
    return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &extra) == 4 && a == 127 && b < 256 &&
           c < 256 && d < 256;
}

/* Fill *origin (caller frees) with "scheme://host:port" after checking the scheme rule. */
static enum akw_status
url_check(const char *url, char **origin, struct akw_err *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    enum akw_status st = AKW_OK;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
        st = akw_err_set(err, AKW_ERR_USAGE, _("not a valid URL: %s"), url);
    } else if (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0) {
        st = akw_err_set(err, AKW_ERR_USAGE, _("unsupported URL scheme \"%s\" in %s"), scheme,
                         url);
    } else if (strcasecmp(scheme, "http") == 0 && !gh_host_is_loopback(host)) {
        st = akw_err_set(err, AKW_ERR_USAGE,
                         _("refusing plain http to %s: use https (plain http is allowed only "
                           "to loopback addresses)"),
                         host);
    } else if (origin) {
        *origin = xasprintf("%s://%s:%s", scheme, host, port);
        for (char *p = *origin; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return st;
}

/* ---- client ----------------------------------------------------------------------------- */

enum akw_status
gh_client_new(const struct gh_client_opts *o, struct gh_client **out, struct akw_err *err)
{
    pthread_once(&curl_once, curl_init_once);
    const char *api = o->api_url && *o->api_url ? o->api_url : "https://api.github.com";
    char *origin = NULL;
    enum akw_status st = url_check(api, &origin, err);
    if (st != AKW_OK)
        return st;
    struct gh_client *c = xcalloc(1, sizeof *c);
    c->api_origin = origin;
    c->api_url = xstrdup(api);
    size_t l = strlen(c->api_url);
    while (l > 0 && c->api_url[l - 1] == '/')
        c->api_url[--l] = '\0';
    c->o = *o;
    c->o.api_url = NULL;
    c->o.tokens = NULL;
    c->n_real = o->n_tokens;
    c->n_tok = o->n_tokens ? o->n_tokens : 1;
    c->tok = xcalloc(c->n_tok, sizeof *c->tok);
    for (size_t i = 0; i < o->n_tokens; i++)
        c->tok[i].value = xstrdup(o->tokens[i]);
    if (!c->o.connect_timeout)
        c->o.connect_timeout = 10;
    if (!c->o.low_speed_time)
        c->o.low_speed_time = 30;
    if (!c->o.total_timeout)
        c->o.total_timeout = 300;
    if (!c->o.max_retries)
        c->o.max_retries = 5;
    if (c->o.max_retries < 0)
        c->o.max_retries = 0;
    if (!c->o.backoff_base_ms)
        c->o.backoff_base_ms = 1000;
    if (!c->o.backoff_cap_ms)
        c->o.backoff_cap_ms = 60000;
    if (!c->o.secondary_wait_s)
        c->o.secondary_wait_s = 60;
    if (!c->o.max_body)
        c->o.max_body = 64u << 20;
    c->rnd = (unsigned)time(NULL) ^ (unsigned)getpid() ^ (unsigned)(uintptr_t)c;
    c->curl = curl_easy_init();
    if (!c->curl) {
        gh_client_free(c);
        return akw_err_set(err, AKW_ERR_NET, _("cannot initialise libcurl"));
    }
    *out = c;
    return AKW_OK;
}

void
gh_client_free(struct gh_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    for (size_t i = 0; i < c->n_tok; i++)
        secret_free(c->tok[i].value);
    free(c->tok);
    free(c->api_url);
    free(c->api_origin);
    free(c);
}

const char *
gh_client_api_url(const struct gh_client *c)
{
    return c->api_url;
}

size_t
gh_client_token_count(const struct gh_client *c)
{
    return c->n_tok;
}

struct gh_rate
gh_client_rate(const struct gh_client *c, size_t token, enum gh_bucket b)
{
    struct gh_rate none = {0};
    if (token >= c->n_tok || (unsigned)b >= GH_BUCKET_COUNT)
        return none;
    return c->tok[token].rate[b];
}

long
gh_client_requests(const struct gh_client *c)
{
    return c->requests;
}

long
gh_client_connections(const struct gh_client *c)
{
    return c->connections;
}

void
gh_response_done(struct gh_response *r)
{
    buf_done(&r->body);
    free(r->etag);
    free(r->link_next);
    free(r->location);
    memset(r, 0, sizeof *r);
    r->retry_after = -1;
}

/* ---- curl callbacks --------------------------------------------------------------------- */

static size_t
on_body(char *p, size_t size, size_t n, void *user)
{
    struct gh_client *c = user;
    size_t len = size * n;
    if (c->cur->body.len + len > c->o.max_body) {
        c->too_big = 1;
        return 0;
    }
    buf_append(&c->cur->body, p, len);
    return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *user)
{
    struct gh_client *c = user;
    size_t len = size * n;
    if (gh_header_line(c->cur, p, len, c->o.max_body)) {
        c->too_big = 1; /* a declared body over the limit is refused before it is read */
        return 0;
    }
    return len;
}

static int
on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    struct gh_client *c = user;
    return gh_cancelled(c->o.cancel);
}

/* ---- one transfer ---------------------------------------------------------------------- */

static double
now_real(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
rnd01(struct gh_client *c)
{
    return (double)(rand_r(&c->rnd) % 10000) / 10000.0;
}

/* The token to spend on bucket b, or -1 with *until set when every one is exhausted
 * (*until = 0 and -1: every token was revoked). Revoked tokens are never picked. */
static long
pick_token(struct gh_client *c, enum gh_bucket b, time_t now, time_t *until)
{
    long best = -1, best_rem = -1;
    *until = 0;
    for (size_t i = 0; i < c->n_tok; i++) {
        if (c->tok[i].revoked)
            continue;
        if (b == GH_BUCKET_NONE) /* not counted: any usable token */
            return (long)i;
        const struct gh_rate *r = &c->tok[i].rate[b];
        long rem = !r->known || r->reset <= now ? LONG_MAX : r->remaining;
        if (rem > 0 && rem > best_rem) {
            best = (long)i;
            best_rem = rem;
        } else if (rem == 0 && (*until == 0 || r->reset < *until)) {
            *until = r->reset;
        }
    }
    return best;
}

static size_t
tokens_usable(const struct gh_client *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_tok; i++)
        n += !c->tok[i].revoked;
    return n;
}

void
gh_token_mask(const char *token, char *out, size_t n)
{
    size_t len = token ? strlen(token) : 0;
    size_t k = len / 6; /* a third of it at most, never more than 4 + 4 characters */
    if (k > 4)
        k = 4;
    snprintf(out, n, "%.*s****%.*s", (int)k, token ? token : "", (int)k,
             token ? token + len - k : "");
}

/* A 401 to token tok. In a pool with another usable token, drop it for the rest of the
 * client's life, tell on_token, and return 1 (ask again with another); else 0. */
static int
drop_token(struct gh_client *c, long tok)
{
    if (tok < 0 || !c->tok[tok].value || c->n_real < 2)
        return 0;
    c->tok[tok].revoked = 1;
    size_t left = tokens_usable(c);
    if (left == 0)
        return 0;
    if (c->o.on_token) {
        char masked[32];
        gh_token_mask(c->tok[tok].value, masked, sizeof masked);
        c->o.on_token(c->o.user, (size_t)tok, masked, left);
    }
    return 1;
}

static struct curl_slist *
make_headers(struct gh_client *c, const struct gh_request *req, long tok, int same_origin)
{
    struct curl_slist *h = NULL;
    char line[512];
    snprintf(line, sizeof line, "Accept: %s",
             req && req->accept ? req->accept : "application/vnd.github+json");
    h = curl_slist_append(h, line);
    h = curl_slist_append(h, "X-GitHub-Api-Version: 2022-11-28");
    if (req && req->if_none_match) {
        snprintf(line, sizeof line, "If-None-Match: %s", req->if_none_match);
        h = curl_slist_append(h, line);
    }
    if (same_origin && tok >= 0 && c->tok[tok].value) {
        char *auth = xasprintf("Authorization: Bearer %s", c->tok[tok].value);
        h = curl_slist_append(h, auth);
        secret_free(auth);
    }
    return h;
}

static CURLcode
perform(struct gh_client *c, const char *url, struct curl_slist *hdrs, struct gh_response *r)
{
    CURL *e = c->curl;
    curl_easy_reset(e); /* keeps the connection cache: connections are reused */
    c->errbuf[0] = '\0';
    c->too_big = 0;
    c->cur = r;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "akwatch/" VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, c->o.connect_timeout);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, c->o.low_speed_time);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, c->o.total_timeout);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, c);
    c->requests++;
    CURLcode rc = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->status);
    long fresh = 0;
    curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &fresh);
    c->connections += fresh;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
    return rc;
}

/* The API's "message" (or the start of the body), for error text. */
static void
body_message(const struct gh_response *r, char *out, size_t n)
{
    out[0] = '\0';
    json_object *j = r->body.len ? json_tokener_parse(r->body.data) : NULL;
    json_object *m;
    if (j && json_object_object_get_ex(j, "message", &m))
        snprintf(out, n, "%s", json_object_get_string(m));
    json_object_put(j);
}

static void
short_path(const struct gh_client *c, const char *url, char *out, size_t n)
{
    size_t l = strlen(c->api_url);
    if (strncmp(url, c->api_url, l) == 0)
        url += l;
    snprintf(out, n, "%s", url);
}

/* Sleep until `until` (wall clock) unless cancelled; tells on_wait first. */
static int
wait_until(struct gh_client *c, enum gh_bucket b, double until, const char *why)
{
    if (c->o.on_wait)
        c->o.on_wait(c->o.user, b, (time_t)(until + 0.999), why);
    double left = until - now_real();
    return left > 0 ? gh_cancel_wait(c->o.cancel, left) : gh_cancelled(c->o.cancel);
}

static enum gh_bucket
bucket_of_url(const struct gh_client *c, const char *url)
{
    size_t n = strlen(c->api_url);
    return strncmp(url, c->api_url, n) == 0 ? gh_bucket_of_path(url + n) : GH_BUCKET_CORE;
}

/* Location may be absolute or a path on the same origin. Caller frees. */
static char *
redirect_target(const char *from, const char *location)
{
    if (strncmp(location, "http://", 7) == 0 || strncmp(location, "https://", 8) == 0)
        return xstrdup(location);
    const char *host = strstr(from, "://");
    const char *path = host ? strchr(host + 3, '/') : NULL;
    size_t n = path ? (size_t)(path - from) : strlen(from);
    return xasprintf("%.*s%s%s", (int)n, from, *location == '/' ? "" : "/", location);
}

static void
reset_response(struct gh_response *r)
{
    buf_reset(&r->body);
    free(r->etag);
    free(r->link_next);
    free(r->location);
    r->etag = r->link_next = r->location = NULL;
    r->status = 0;
    r->poll_interval = 0;
    r->retry_after = -1;
    memset(&r->rate, 0, sizeof r->rate);
}

/* 401 with no usable token left (or none sent). */
static enum akw_status
auth_error(const struct gh_client *c, struct akw_err *err)
{
    if (c->n_real > 1)
        return akw_err_set(err, AKW_ERR_AUTH,
                           _("GitHub rejected every token of the pool (%zu of %zu, 401 Bad "
                             "credentials): check GITHUB_TOKEN and the token lines of "
                             "[github]"),
                           c->n_real, c->n_real);
    return akw_err_set(err, AKW_ERR_AUTH,
                       _("GitHub rejected the token (401 Bad credentials): check "
                         "GITHUB_TOKEN or [github] token"));
}

enum akw_status
gh_get(struct gh_client *c, const char *path_or_url, const struct gh_request *req,
       struct gh_response *r, struct akw_err *err)
{
    int absolute = strncmp(path_or_url, "http://", 7) == 0 ||
                   strncmp(path_or_url, "https://", 8) == 0;
    char *url = absolute ? xstrdup(path_or_url) : xasprintf("%s%s", c->api_url, path_or_url);
    char *origin = NULL, shown[300];
    short_path(c, url, shown, sizeof shown);
    memset(r, 0, sizeof *r);
    r->retry_after = -1;
    enum akw_status st = url_check(url, &origin, err);
    int same = origin && strcmp(origin, c->api_origin) == 0;
    enum gh_bucket b = same ? bucket_of_url(c, url) : GH_BUCKET_NONE;
    int attempt = 0, secondary = 0, redirects = 0;
    while (st == AKW_OK) {
        if (gh_cancelled(c->o.cancel)) {
            st = akw_err_set(err, AKW_ERR_CANCEL, _("stopped"));
            break;
        }
        time_t until;
        long tok = pick_token(c, b, (time_t)now_real(), &until);
        if (tok < 0 && tokens_usable(c) == 0) {
            st = auth_error(c, err);
            break;
        }
        if (tok < 0) {
            if (wait_until(c, b, (double)until + 0.05, "rate-limited"))
                continue;
            continue;
        }
        reset_response(r);
        r->bucket = b;
        struct curl_slist *h = make_headers(c, req, tok, same);
        CURLcode rc = perform(c, url, h, r);
        curl_slist_free_all(h);
        if (rc == CURLE_ABORTED_BY_CALLBACK) {
            st = akw_err_set(err, AKW_ERR_CANCEL, _("stopped"));
            break;
        }
        if (rc == CURLE_WRITE_ERROR && c->too_big) {
            st = akw_err_set(err, AKW_ERR_NET, _("GET %s: response larger than %zu bytes"),
                             shown, c->o.max_body);
            break;
        }
        if (rc != CURLE_OK) {
            if (attempt >= c->o.max_retries || rc == CURLE_PEER_FAILED_VERIFICATION ||
                rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_UNSUPPORTED_PROTOCOL) {
                st = akw_err_set(err, AKW_ERR_NET, _("GET %s: %s"), shown,
                                 c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
                break;
            }
            long ms = gh_backoff_ms(attempt++, c->o.backoff_base_ms, c->o.backoff_cap_ms,
                                    rnd01(c));
            wait_until(c, b, now_real() + ms / 1000.0, "retrying after error");
            continue;
        }
        /* A reset further ahead than GitHub's longest window (an hour) is a lie or a
         * broken proxy: wait at most that long, then ask again. */
        if (r->rate.reset > (time_t)now_real() + MAX_RESET_AHEAD)
            r->rate.reset = (time_t)now_real() + MAX_RESET_AHEAD;
        /* The bucket we spent (b) and the one GitHub named may differ (older Enterprise
         * servers count code search as "search"): keep both, so waits never miss. */
        if (same && tok >= 0 && r->rate.known && b != GH_BUCKET_NONE)
            c->tok[tok].rate[b] = c->tok[tok].rate[r->bucket] = r->rate;
        char msg[200];
        switch (gh_classify(r->status, &r->rate, r->retry_after, r->body.data)) {
        case GH_V_OK:
            goto done;
        case GH_V_PRIMARY: {
            struct gh_rate rt = r->rate;
            rt.remaining = 0;
            if (rt.reset <= (time_t)now_real()) /* clock skew: never hammer */
                rt.reset = (time_t)now_real() + 1;
            c->tok[tok].rate[b == GH_BUCKET_NONE ? r->bucket : b] = rt;
            c->tok[tok].rate[r->bucket] = rt;
            continue;
        }
        case GH_V_SECONDARY: {
            body_message(r, msg, sizeof msg);
            if (++secondary > MAX_SECONDARY_WAITS) {
                st = akw_err_set(err, AKW_ERR_NET, _("GET %s: %ld %s"), shown, r->status, msg);
                break;
            }
            long w = r->retry_after >= 0 ? r->retry_after : c->o.secondary_wait_s;
            wait_until(c, b, now_real() + (double)(w > 0 ? w : 1), "secondary rate limit");
            continue;
        }
        case GH_V_RETRY:
            body_message(r, msg, sizeof msg);
            if (attempt >= c->o.max_retries) {
                st = akw_err_set(err, AKW_ERR_NET, _("GET %s: %ld %s"), shown, r->status, msg);
                break;
            }
            wait_until(c, b,
                       now_real() + gh_backoff_ms(attempt++, c->o.backoff_base_ms,
                                                  c->o.backoff_cap_ms, rnd01(c)) / 1000.0,
                       "retrying after error");
            continue;
        case GH_V_AUTH:
            if (same && drop_token(c, tok))
                continue; /* the same request with another token of the pool */
            st = auth_error(c, err);
            break;
        case GH_V_NOTFOUND:
        case GH_V_FAIL:
            body_message(r, msg, sizeof msg);
            st = akw_err_set(err, AKW_ERR_NOTFOUND, _("GET %s: %ld %s"), shown, r->status, msg);
            break;
        case GH_V_REDIRECT: {
            if (!r->location || ++redirects > MAX_REDIRECTS) {
                st = akw_err_set(err, AKW_ERR_NET, _("GET %s: %ld without a usable Location"),
                                 shown, r->status);
                break;
            }
            /* Renamed repositories answer 301: go on at the new place. Credentials follow
             * only while the new place is the API's own origin (checked per request). */
            char *next = redirect_target(url, r->location);
            free(url);
            url = next;
            free(origin);
            origin = NULL;
            st = url_check(url, &origin, err);
            same = origin && strcmp(origin, c->api_origin) == 0;
            b = same ? bucket_of_url(c, url) : GH_BUCKET_NONE;
            short_path(c, url, shown, sizeof shown);
            continue;
        }
        }
        break;
    }
done:
    free(url);
    free(origin);
    return st;
}
