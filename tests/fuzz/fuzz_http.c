/* fuzz_http — libFuzzer harness for the response-header parser of src/github/ (headers.c:
 * gh_header_line, with the Link rel="next", ETag, Location, Retry-After, X-Poll-Interval and
 * X-RateLimit-* fields). The input is a header block split at each '\n' (kept, as libcurl
 * hands lines over); the first byte picks the body limit. Checks what a caller relies on: a
 * next link is a piece of the input between '<' and '>', a refused body stops the block. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "github/http_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t max_body = (size_t)data[0] << 4; /* 0 .. 4080: both sides of the limit */
    const char *in = (const char *)data + 1;
    size_t left = size - 1;
    struct gh_response r;
    memset(&r, 0, sizeof r);
    r.retry_after = -1;
    r.bucket = GH_BUCKET_CORE;
    while (left > 0) {
        const char *nl = memchr(in, '\n', left);
        size_t n = nl ? (size_t)(nl - in) + 1 : left;
        if (gh_header_line(&r, in, n, max_body))
            break; /* libcurl would abort the transfer here */
        if (r.link_next && (!memmem(data, size, r.link_next, strlen(r.link_next)) ||
                            strchr(r.link_next, '>')))
            abort();
        if (r.bucket < GH_BUCKET_CORE || r.bucket >= GH_BUCKET_COUNT)
            abort();
        in += n;
        left -= n;
    }
    gh_response_done(&r);
    return 0;
}
