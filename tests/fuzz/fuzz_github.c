/* fuzz_github — libFuzzer harness for the GitHub JSON parsers of src/github/api.c (search,
 * events, commits, compare, commit lists, repository lists, trees, blobs, contents,
 * rate_limit) and the diff and base64 helpers. It replaces the HTTP layer: gh_get() below
 * answers each request with the next NUL-separated part of the input, with a Link next
 * while parts remain, so paging runs too. http.c (headers, retries) is not linked. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "github/github.h"

static const uint8_t *in_p;
static size_t in_left;
static int in_parts; /* answers given in this run */

void
gh_response_done(struct gh_response *r)
{
    buf_done(&r->body);
    free(r->etag);
    free(r->link_next);
    memset(r, 0, sizeof *r);
}

enum akw_status
gh_get(struct gh_client *c, const char *path_or_url, const struct gh_request *req,
       struct gh_response *resp, struct akw_err *err)
{
    (void)c;
    (void)req;
    memset(resp, 0, sizeof *resp);
    buf_init(&resp->body);
    resp->retry_after = -1;
    if (strlen(path_or_url) == 0)
        abort();
    if (in_parts++ > 50)
        return akw_err_set(err, AKW_ERR_NET, "GET %s: too many pages", path_or_url);
    const uint8_t *nul = memchr(in_p, '\0', in_left);
    size_t n = nul ? (size_t)(nul - in_p) : in_left;
    buf_append(&resp->body, in_p, n);
    buf_putc(&resp->body, '\0');
    resp->body.len--;
    in_p += nul ? n + 1 : n;
    in_left -= nul ? n + 1 : n;
    resp->status = 200;
    if (nul)
        resp->link_next = strdup("https://api.github.com/next?page=2");
    resp->etag = strdup("\"e\"");
    return AKW_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gh_client *c = (struct gh_client *)(uintptr_t)1; /* never dereferenced */
    struct akw_err err = {0};
    if (size == 0)
        return 0;
    in_p = data + 1;
    in_left = size - 1;
    in_parts = 0;
    switch (data[0] % 12) {
    case 0: {
        struct gh_search_page p = {0};
        gh_search_code(c, "LTAI filename:.env", NULL, &p, &err);
        gh_search_page_done(&p);
        break;
    }
    case 1: {
        struct gh_events_page p = {0};
        gh_events(c, "\"etag\"", 100, NULL, &p, &err);
        gh_events_page_done(&p);
        break;
    }
    case 2: {
        struct gh_commit cm = {0};
        if (gh_commit_get(c, "o/r", "main", &cm, &err) == AKW_OK) {
            for (size_t i = 0; i < cm.n_files; i++) {
                if (cm.files[i].patch) {
                    struct buf b;
                    buf_init(&b);
                    gh_patch_added(cm.files[i].patch, &b, 100000);
                    buf_done(&b);
                }
            }
        }
        gh_commit_done(&cm);
        break;
    }
    case 3: {
        struct gh_commit_list l = {0};
        gh_compare(c, "o/r", "a", "b", &l, &err);
        gh_commit_list_done(&l);
        break;
    }
    case 4: {
        struct gh_commit_list l = {0};
        gh_commits_since(c, "o/r", "main", "2024-01-01T00:00:00Z", &l, &err);
        gh_commit_list_done(&l);
        break;
    }
    case 5:
    case 6: {
        struct gh_repo_list l = {0};
        gh_list_repos(c, data[0] % 12 == 5, "someone", &l, &err);
        gh_repo_list_done(&l);
        break;
    }
    case 7: {
        struct gh_tree t = {0};
        gh_tree_get(c, "o/r", "main", &t, &err);
        gh_tree_done(&t);
        break;
    }
    case 8: {
        struct buf b;
        buf_init(&b);
        gh_blob_get(c, "o/r", "abc", &b, &err);
        buf_done(&b);
        break;
    }
    case 9: {
        struct buf b;
        char *html = NULL;
        buf_init(&b);
        gh_contents_get(c, "https://api.github.com/repos/o/r/contents/a?ref=x", &b, &html,
                        &err);
        buf_done(&b);
        free(html);
        break;
    }
    case 10: {
        gh_rate_limit_refresh(c, &err);
        break;
    }
    default: {
        char *s = malloc(size);
        memcpy(s, data + 1, size - 1);
        s[size - 1] = '\0';
        struct buf b;
        buf_init(&b);
        gh_patch_added(s, &b, 1000);
        buf_reset(&b);
        gh_b64_decode(s, size - 1, &b);
        buf_done(&b);
        free(s);
        break;
    }
    }
    return 0;
}
