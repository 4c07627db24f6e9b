/* post — webhook POSTs over libcurl: https verified, plain http to loopback only, no
 * redirects (a redirect could carry the alert elsewhere), a bounded reply kept for errors.
 */
#include "config.h"
#include "github/post.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
gh_post_global_init(void)
{
    pthread_once(&init_once, init);
}

static int
host_is_loopback(const char *host)
{
    if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0
        || strcmp(host, "[::1]") == 0)
        return 1;
    struct in_addr a;
    return inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

/* Split url with libcurl's own parser, so we judge the host curl will connect to. */
static int
url_parts(const char *url, char **scheme, char **host)
{
    *scheme = *host = NULL;
    CURLU *u = curl_url();
    int ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK
             && curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK
             && curl_url_get(u, CURLUPART_HOST, host, 0) == CURLUE_OK;
    curl_url_cleanup(u);
    return ok ? 0 : -1;
}

int
gh_post_url_allowed(const char *url, struct akw_err *err)
{
    char *scheme, *host;
    int rc = -1;
    if (!url || url_parts(url, &scheme, &host) != 0)
        akw_err_set(err, AKW_ERR_USAGE, _("webhook: not a valid URL"));
    else if (strcasecmp(scheme, "https") == 0
             || (strcasecmp(scheme, "http") == 0 && host_is_loopback(host)))
        rc = 0;
    else if (strcasecmp(scheme, "http") == 0)
        akw_err_set(err, AKW_ERR_USAGE,
                    _("webhook: plain http is allowed only to loopback; use https for %s"), host);
    else
        akw_err_set(err, AKW_ERR_USAGE, _("webhook: unsupported scheme %s (use https)"), scheme);
    curl_free(scheme);
    curl_free(host);
    return rc;
}

void
gh_post_url_redact(const char *url, char *out, size_t n)
{
    char *scheme, *host;
    if (url && url_parts(url, &scheme, &host) == 0)
        snprintf(out, n, "%s://%s/…", scheme, host);
    else
        snprintf(out, n, "(invalid URL)");
    if (url) {
        curl_free(scheme);
        curl_free(host);
    }
}

struct reply {
    char text[256];
    size_t len;
};

static size_t
on_body(char *p, size_t size, size_t nmemb, void *user)
{
    struct reply *r = user;
    size_t n = size * nmemb, room = sizeof r->text - 1 - r->len;
    memcpy(r->text + r->len, p, n < room ? n : room);
    r->len += n < room ? n : room;
    r->text[r->len] = '\0';
    return n;
}

enum akw_status
gh_post(const char *url, const char *content_type, const char *body, size_t len, long timeout_s,
        long *status, struct akw_err *err)
{
    char shown[160];
    gh_post_url_redact(url, shown, sizeof shown);
    *status = 0;
    if (gh_post_url_allowed(url, err) != 0)
        return AKW_ERR_USAGE;
    gh_post_global_init();
    CURL *e = curl_easy_init();
    if (!e)
        return akw_err_set(err, AKW_ERR_NET, "%s: cannot start libcurl", shown);
    struct reply reply = {.len = 0};
    reply.text[0] = '\0';
    char ct[128];
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
    struct curl_slist *hdrs = curl_slist_append(NULL, ct);
    hdrs = curl_slist_append(hdrs, "Expect:");
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s : 10L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "akwatch/" VERSION);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &reply);
    CURLcode rc = curl_easy_perform(e);
    enum akw_status s = AKW_OK;
    if (rc != CURLE_OK) {
        s = akw_err_set(err, AKW_ERR_NET, "%s: %s", shown, curl_easy_strerror(rc));
    } else {
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
        if (*status < 200 || *status > 299) {
            for (char *p = reply.text; *p; p++)
                if (*p == '\n' || *p == '\r')
                    *p = ' ';
            s = akw_err_set(err, AKW_ERR_NET, "%s: HTTP %ld %s", shown, *status, reply.text);
        }
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(e);
    return s;
}
