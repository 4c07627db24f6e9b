/* http_int — private to src/github/: the response-header parser http.c feeds from libcurl's
 * header callback (headers.c), exposed so tests/fuzz/fuzz_http.c can drive it. Not for
 * other layers: they get the parsed struct gh_response from gh_get(). */
#ifndef AKW_GITHUB_HTTP_INT_H
#define AKW_GITHUB_HTTP_INT_H

#include <stddef.h>

#include "github/github.h"

/* Apply one header line p[0..len) (not NUL-terminated; may end in CRLF; may hold any byte)
 * to r: a status line ("HTTP/...") forgets the previous response's headers (after a
 * 100 Continue or a redirect; the bucket is kept), a "Name: value" line sets the field it
 * names (last one wins), anything else is ignored. r's strings are replaced and freed as
 * needed (gh_response_done() frees the rest). Returns 1 when the line declares a
 * Content-Length over max_body (the caller refuses the body unread), else 0. */
int gh_header_line(struct gh_response *r, const char *p, size_t len, size_t max_body);

#endif
