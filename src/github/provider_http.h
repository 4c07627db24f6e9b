/* provider_http — one HTTP request to a credential provider (Alibaba Cloud, AWS STS, the
 * GitHub API) for live verification: given method, URL, headers and body, returns the status
 * and body. It lives here because only src/github/ includes curl.h; it is independent of the
 * GitHub client (http.c): no retries, no rate-limit bookkeeping, no redirects, no cookies.
 *
 * Safety: https with certificate and host-name verification always on; plain http only to a
 * loopback address (127.0.0.0/8, ::1, localhost — the tests' fake providers). Redirects are
 * never followed, so signed requests and tokens go only to the URL given. Header strings are
 * wiped from curl's copies after the request (they may carry a token). Error messages name
 * the host only, never the query string or a header.
 *
 * Threads: any thread; each call uses its own curl handle.
 */
#ifndef AKW_GITHUB_PROVIDER_HTTP_H
#define AKW_GITHUB_PROVIDER_HTTP_H

#include <stddef.h>

#include "util/util.h"

struct provider_http_req {
    const char *method;          /* "GET" | "POST" */
    const char *url;             /* absolute URL */
    const char *const *headers;  /* "Name: value" strings, NULL-terminated; may be NULL */
    const char *body;            /* request body or NULL */
    size_t body_len;
    long timeout_s;              /* whole request; 0 = 20 seconds */
    const char *capture_header;  /* name of one response header to keep (any case), or NULL */
};

struct provider_http_resp {
    long status;     /* HTTP status, 0 when no response arrived */
    struct buf body; /* response body (NUL-terminated), at most 1 MiB kept */
    char *captured;  /* value of req->capture_header (trimmed), NULL when absent */
};

/* Perform req. AKW_OK means a response arrived (any status: the caller interprets 4xx);
 * AKW_ERR_USAGE for a refused URL (bad scheme, http to a non-loopback host);
 * AKW_ERR_NET for DNS/connect/TLS/timeout failures, with "HOST: reason" in err.
 * resp is always initialised; caller calls provider_http_resp_done(). */
enum akw_status provider_http_do(const struct provider_http_req *req,
                                 struct provider_http_resp *resp, struct akw_err *err);
void provider_http_resp_done(struct provider_http_resp *resp);

/* 1 when host (as in a URL, brackets allowed around IPv6) is a loopback name or address. */
int provider_http_is_loopback(const char *host);

#endif
