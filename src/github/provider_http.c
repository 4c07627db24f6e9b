/* provider_http — a single libcurl request for the verifiers (see provider_http.h). Knows
 * nothing of providers' formats; does no retry and keeps no state between calls.
 */
#include "config.h"
#include "github/provider_http.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

enum { BODY_MAX = 1 << 20, DEFAULT_TIMEOUT_S = 20 };

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
provider_http_is_loopback(const char *host)
{
    char h[64];
    size_t n;
    struct in_addr a4;
    struct in6_addr a6;

    if (!host)
        return 0;
    n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof h)
        return 0;
    memcpy(h, host, n);
    h[n] = '\0';
    if (strcasecmp(h, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, h, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, h, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6);
    return 0;
}

/* Checks scheme and host; fills host_out for error messages. */
static enum akw_status
check_url(const char *url, char *host_out, size_t host_size, struct akw_err *err)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    enum akw_status st = AKW_OK;

    snprintf(host_out, host_size, "?");
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        st = akw_err_set(err, AKW_ERR_USAGE, _("not a valid URL"));
        goto out;
    }
    snprintf(host_out, host_size, "%s", host);
    if (strcasecmp(scheme, "https") == 0)
        goto out;
    if (strcasecmp(scheme, "http") == 0 && provider_http_is_loopback(host))
        goto out;
    st = akw_err_set(err, AKW_ERR_USAGE,
                     _("%s: refusing %s:// (https is required; plain http only to loopback)"),
                     host, scheme);
out:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return st;
}

static size_t
on_body(char *p, size_t size, size_t nmemb, void *user)
{
    struct buf *b = user;
    size_t n = size * nmemb;

    if (b->len + n > BODY_MAX)
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    buf_append(b, p, n);
    return n;
}

struct capture {
    const char *name;
    char **value;
};

/* Keeps the value of one response header (the last one seen, so the final response's). */
static size_t
on_header(char *p, size_t size, size_t nmemb, void *user)
{
    struct capture *c = user;
    size_t n = size * nmemb, k = strlen(c->name);

    if (n > k && p[k] == ':' && strncasecmp(p, c->name, k) == 0) {
        const char *v = p + k + 1, *end = p + n;
        while (v < end && (*v == ' ' || *v == '\t'))
            v++;
        while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
            end--;
        free(*c->value);
        *c->value = xstrndup(v, (size_t)(end - v));
    }
    return n;
}

static void
wipe_headers(struct curl_slist *l)
{
    for (struct curl_slist *p = l; p; p = p->next)
        explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(l);
}

static void
set_options(CURL *c, const struct provider_http_req *req, struct curl_slist *hdrs,
            struct provider_http_resp *resp, char *errbuf)
{
    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, req->timeout_s > 0 ? req->timeout_s : DEFAULT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp->body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    /* An https proxy from the environment only sees a CONNECT tunnel, so it is honoured;
     * loopback never goes through one. */
    curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
    if (req->method && strcmp(req->method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)req->body_len);
    } else if (req->method && strcmp(req->method, "GET") != 0) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
    }
}

enum akw_status
provider_http_do(const struct provider_http_req *req, struct provider_http_resp *resp,
                 struct akw_err *err)
{
    char host[256], errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdrs = NULL;
    struct capture cap = {req->capture_header, &resp->captured};
    enum akw_status st;
    CURLcode rc;
    CURL *c;

    memset(resp, 0, sizeof *resp);
    buf_init(&resp->body);
    buf_puts(&resp->body, "");
    pthread_once(&init_once, global_init);
    if ((st = check_url(req->url, host, sizeof host, err)) != AKW_OK)
        return st;
    if (!(c = curl_easy_init()))
        return akw_err_set(err, AKW_ERR_NET, "%s: %s", host, _("cannot start a request"));
    /* Without this, curl adds "Expect: 100-continue" to POSTs and some fakes stall. */
    hdrs = curl_slist_append(hdrs, "Expect:");
    for (const char *const *h = req->headers; h && *h; h++)
        hdrs = curl_slist_append(hdrs, *h);
    set_options(c, req, hdrs, resp, errbuf);
    if (req->capture_header) {
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &cap);
    }
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
        st = AKW_OK;
    } else {
        st = akw_err_set(err, AKW_ERR_NET, "%s: %s", host,
                         *errbuf ? errbuf : curl_easy_strerror(rc));
    }
    wipe_headers(hdrs);
    curl_easy_cleanup(c);
    return st;
}

void
provider_http_resp_done(struct provider_http_resp *resp)
{
    if (!resp)
        return;
    buf_done(&resp->body);
    free(resp->captured);
    resp->captured = NULL;
    resp->status = 0;
}
