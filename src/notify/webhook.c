/* webhook — check and POST the alert to the configured webhook through the github layer's
 * provider_http (the one place libcurl lives): https verified, plain http only to loopback,
 * no redirects. Messages show scheme and host only: hook URLs carry their secret in the
 * path or query (Slack, DingTalk access_token).
 */
#include "config.h"
#include "notify/notify_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "github/provider_http.h"

/* Split "scheme://host[:port]/..." into scheme length and host (brackets kept). 0 or -1. */
static int
url_host(const char *url, size_t *scheme_len, char *host, size_t n)
{
    const char *sep = strstr(url, "://");
    if (!sep || sep == url)
        return -1;
    *scheme_len = (size_t)(sep - url);
    const char *h = sep + 3, *at = NULL;
    size_t hl = strcspn(h, "/?#");
    for (const char *p = h; p < h + hl; p++)
        if (*p == '@')
            at = p;
    if (at) { /* drop user:password@ */
        hl -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    if (*h == '[') {
        const char *close = memchr(h, ']', hl);
        if (!close)
            return -1;
        hl = (size_t)(close + 1 - h);
    } else {
        const char *colon = memchr(h, ':', hl);
        if (colon)
            hl = (size_t)(colon - h);
    }
    if (hl == 0 || hl >= n)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    return 0;
}

int
webhook_url_allowed(const char *url, struct akw_err *err)
{
    size_t sl;
    char host[256];
    if (!url || url_host(url, &sl, host, sizeof host) != 0) {
        akw_err_set(err, AKW_ERR_USAGE, _("webhook: not a valid URL"));
        return -1;
    }
    if (sl == 5 && strncasecmp(url, "https", 5) == 0)
        return 0;
    if (sl == 4 && strncasecmp(url, "http", 4) == 0) {
        if (provider_http_is_loopback(host))
            return 0;
        akw_err_set(err, AKW_ERR_USAGE,
                    _("webhook: plain http is allowed only to loopback; use https for %s"), host);
        return -1;
    }
    akw_err_set(err, AKW_ERR_USAGE, _("webhook: unsupported scheme %.*s (use https)"), (int)sl,
                url);
    return -1;
}

void
webhook_url_redact(const char *url, char *out, size_t n)
{
    size_t sl;
    char host[256];
    if (url && url_host(url, &sl, host, sizeof host) == 0)
        snprintf(out, n, "%.*s://%s/…", (int)sl, url, host);
    else
        snprintf(out, n, "(invalid URL)");
}

/* 1 when a 200 body is JSON with a non-zero member key. */
static int
refused(const char *body, const char *key)
{
    if (!key || !body || !strstr(body, key))
        return 0;
    json_object *o = json_tokener_parse(body), *code;
    int bad = o && json_object_object_get_ex(o, key, &code) && json_object_get_int64(code) != 0;
    json_object_put(o);
    return bad;
}

enum akw_status
webhook_post(const char *url, const char *body, const char *refusal_key, long timeout_s,
             long *status, struct akw_err *err)
{
    static const char *const headers[] = {"Content-Type: application/json; charset=utf-8",
                                          "User-Agent: akwatch/" VERSION, "Expect:", NULL};
    char shown[300];
    webhook_url_redact(url, shown, sizeof shown);
    struct provider_http_req req = {.method = "POST", .url = url, .headers = headers,
                                    .body = body, .body_len = strlen(body),
                                    .timeout_s = timeout_s};
    struct provider_http_resp resp;
    struct akw_err e = {0};
    enum akw_status s = provider_http_do(&req, &resp, &e);
    *status = resp.status;
    if (s != AKW_OK) {
        /* provider_http names only the host; say which hook. */
        akw_err_set(err, s, "%s: %s", shown, e.msg);
    } else if (resp.status >= 200 && resp.status <= 299 && refused(resp.body.data, refusal_key)) {
        /* DingTalk and WeCom answer 200 with {"errcode": N, "errmsg": ...} on refusal,
         * Feishu with {"code": N, "msg": ...} */
        s = akw_err_set(err, AKW_ERR_NET, "%s: refused: %.120s", shown, resp.body.data);
    } else if (resp.status < 200 || resp.status > 299) {
        char snippet[120];
        snprintf(snippet, sizeof snippet, "%s", resp.body.data ? resp.body.data : "");
        for (char *p = snippet; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
        s = akw_err_set(err, AKW_ERR_NET, "%s: HTTP %ld %s", shown, resp.status, snippet);
    }
    provider_http_resp_done(&resp);
    return s;
}
