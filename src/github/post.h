/* post — one-shot HTTP POST for webhooks (notify/), beside the GitHub client in http.c.
 * Kept in github/ because only this folder includes <curl/curl.h>. Not rate-limited and
 * knows nothing of GitHub; the caller decides about retries.
 *
 * Threads: any thread; each call uses its own easy handle. curl_global_init must have run
 * (gh_post_global_init() does it once; call it from main before threads, or rely on the
 * first call being on a single thread).
 */
#ifndef AKW_GITHUB_POST_H
#define AKW_GITHUB_POST_H

#include <stddef.h>

#include "util/util.h"

/* Initialise libcurl once (idempotent, thread-safe through pthread_once). */
void gh_post_global_init(void);

/* 0 when url may receive alerts: https (certificates verified), or plain http to a loopback
 * host (127.0.0.0/8, ::1, localhost). Else -1 and err (AKW_ERR_USAGE) says why. */
int gh_post_url_allowed(const char *url, struct akw_err *err);

/* Scheme and host of url only ("https://hooks.slack.com/…"), for messages: webhook URLs carry
 * their secret in the path or query. */
void gh_post_url_redact(const char *url, char *out, size_t n);

/* POST body (len bytes, content_type) to url; no redirects followed; timeout_s for the whole
 * transfer. *status gets the HTTP status (0 when none). Returns AKW_OK on any 2xx,
 * AKW_ERR_NET otherwise, with err naming the redacted URL and the status or curl error. */
enum akw_status gh_post(const char *url, const char *content_type, const char *body, size_t len,
                        long timeout_s, long *status, struct akw_err *err);

#endif
