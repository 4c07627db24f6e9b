/* github — the GitHub REST client: one HTTP layer over libcurl that honours rate limits and
 * never leaks the token, and the endpoints akwatch uses turned into plain structs. Knows
 * nothing of detection, the store or scheduling.
 *
 *   cancel.c     interruptible waits: a cancel flag plus a self-pipe (async-signal-safe)
 *   ratelimit.c  token pool with per-bucket budgets, response classification, backoff
 *   http.c       the only file including <curl/curl.h>: one easy handle per client, headers,
 *                loopback-only plain http, the retry/wait loop
 *   headers.c    one response header line → struct gh_response (private: http_int.h)
 *   json.c       small json-c helpers shared by the endpoint files
 *   api.c        endpoints → structs (search, events, commits, compare, repos, trees, blobs,
 *                contents, rate_limit)
 *   patch.c      unified diff → text holding only added lines at their new-file line numbers
 *   b64.c        base64 decoding (GitHub wraps its base64 in newlines)
 *
 * Threads: a gh_client belongs to one thread at a time. A gh_cancel may be requested from
 * any thread or from a signal handler.
 */
#ifndef AKW_GITHUB_H
#define AKW_GITHUB_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/util.h"

/* ---- cancellation ------------------------------------------------------------------- */
/* A cancel flag with a pipe so waits wake at once. Embedded (init/done). */
struct gh_cancel {
    atomic_int flag;
    int fds[2];
};
enum akw_status gh_cancel_init(struct gh_cancel *c, struct akw_err *err);
void gh_cancel_done(struct gh_cancel *c);
/* Set the flag and wake every waiter. Async-signal-safe; any thread. Permanent until reset. */
void gh_cancel_request(struct gh_cancel *c);
void gh_cancel_reset(struct gh_cancel *c);
int gh_cancelled(struct gh_cancel *c); /* NULL → 0 */
/* Sleep up to seconds (wall clock); returns 1 if cancelled (at once when c is cancelled),
 * else 0. c may be NULL (plain sleep). */
int gh_cancel_wait(struct gh_cancel *c, double seconds);

/* ---- rate limits -------------------------------------------------------------------- */
enum gh_bucket {
    GH_BUCKET_CORE = 0,
    GH_BUCKET_SEARCH,
    GH_BUCKET_CODE_SEARCH,
    GH_BUCKET_NONE, /* /rate_limit, raw downloads: not counted */
    GH_BUCKET_COUNT
};
/* "core" | "search" | "code_search" | "none". */
const char *gh_bucket_name(enum gh_bucket b);
/* Which bucket a request path ("/search/code?...") spends. */
enum gh_bucket gh_bucket_of_path(const char *path);

/* What the X-RateLimit-* headers said. known = 0 when the response had none. */
struct gh_rate {
    int known;
    long limit, remaining, used;
    time_t reset;
};

/* ---- the client ----------------------------------------------------------------------- */
struct gh_client;

/* Called (on the client's thread) before the client sleeps: why is "rate-limited",
 * "secondary rate limit", "retrying after error"; until is the wall-clock end of the wait. */
typedef void (*gh_wait_cb)(void *user, enum gh_bucket b, time_t until, const char *why);
/* Called (on the client's thread) when GitHub answered 401 to token index (0-based) of a
 * pool that still has `left` usable tokens: that token is dropped for the client's life and
 * the request goes on with another. masked is gh_token_mask()'s form, never the token. */
typedef void (*gh_token_cb)(void *user, size_t index, const char *masked, size_t left);

struct gh_client_opts {
    const char *api_url;         /* e.g. https://api.github.com; NULL = that */
    const char *const *tokens;   /* copied; none = unauthenticated */
    size_t n_tokens;
    long connect_timeout;        /* seconds; 0 = 10 */
    long low_speed_time;         /* seconds with < 1 byte/s before giving up; 0 = 30 */
    long total_timeout;          /* seconds for one transfer; 0 = 300 */
    int max_retries;             /* on 5xx / network errors; 0 = 5, -1 = none */
    long backoff_base_ms;        /* 0 = 1000 */
    long backoff_cap_ms;         /* 0 = 60000 */
    long secondary_wait_s;       /* wait on a secondary limit without Retry-After; 0 = 60 */
    size_t max_body;             /* bytes; 0 = 64 MiB */
    struct gh_cancel *cancel;    /* borrowed, may be NULL */
    gh_wait_cb on_wait;
    gh_token_cb on_token;        /* may be NULL */
    void *user;
};

struct gh_request {
    const char *accept;        /* NULL = application/vnd.github+json */
    const char *if_none_match; /* ETag of the previous answer, or NULL */
};

struct gh_response {
    long status;     /* 200, 304, ... */
    struct buf body; /* NUL-terminated */
    char *etag;      /* or NULL */
    char *link_next; /* absolute URL of rel="next", or NULL */
    char *location;  /* Location of a redirect, or NULL */
    long poll_interval;  /* X-Poll-Interval, 0 when absent */
    long retry_after;    /* Retry-After seconds, -1 when absent */
    enum gh_bucket bucket;
    struct gh_rate rate;
};
void gh_response_done(struct gh_response *r);

/* Create a client. Fails (AKW_ERR_USAGE) when api_url is not https and not plain http to a
 * loopback address. Caller frees with gh_client_free(). */
enum akw_status gh_client_new(const struct gh_client_opts *o, struct gh_client **out,
                              struct akw_err *err);
void gh_client_free(struct gh_client *c);
const char *gh_client_api_url(const struct gh_client *c); /* without trailing '/' */

/* GET a path under the API root ("/events?per_page=100") or an absolute URL (Link next,
 * download_url). Authorization is sent only to the API root's scheme://host:port.
 * Waits out rate limits (telling on_wait), retries 5xx / network errors with backoff,
 * follows redirects (credentials only while on the API origin).
 * Returns AKW_OK with status 2xx or 304 in resp; AKW_ERR_NOTFOUND on 404/409 and any other
 * 4xx that is no rate limit (not available as asked: retrying will not help; the message
 * says "GET PATH: STATUS MESSAGE"); AKW_ERR_AUTH on 401 when no other token of the pool is
 * left (a pool's rejected token is dropped and the request asked again with another: see
 * on_token; the message never contains a token); AKW_ERR_CANCEL when cancelled; AKW_ERR_NET for network errors and 5xx after
 * the retries. Caller gh_response_done()s resp in every case. */
enum akw_status gh_get(struct gh_client *c, const char *path_or_url, const struct gh_request *req,
                       struct gh_response *resp, struct akw_err *err);

/* Budget per token and bucket, for status displays. Returns the number of tokens (0 when
 * unauthenticated, then row 0 is the anonymous budget and the function returns 1). */
size_t gh_client_token_count(const struct gh_client *c);
struct gh_rate gh_client_rate(const struct gh_client *c, size_t token, enum gh_bucket b);
/* HTTP transfers made so far (each retry counts), and new connections opened for them
 * (fewer when connections are reused). */
long gh_client_requests(const struct gh_client *c);
long gh_client_connections(const struct gh_client *c);

/* A token as it may be shown: at most 4 leading and 4 trailing characters (a third of a
 * short one) around "****", e.g. "ghp_****x9Zq". out holds n bytes (24 is enough). */
void gh_token_mask(const char *token, char *out, size_t n);

/* Is plain http allowed to this host? (127.0.0.0/8, ::1, localhost) */
int gh_host_is_loopback(const char *host);

/* ---- rate-limit policy (pure; exposed for tests) ---------------------------------------- */
enum gh_verdict {
    GH_V_OK = 0,      /* 2xx or 304 */
    GH_V_PRIMARY,     /* bucket exhausted: wait until rate.reset */
    GH_V_SECONDARY,   /* wait Retry-After (or the default) */
    GH_V_RETRY,       /* 5xx: back off and retry */
    GH_V_AUTH,        /* 401 */
    GH_V_NOTFOUND,    /* 404, 409 */
    GH_V_FAIL,        /* other 4xx (or 403 without a limit): not available as asked */
    GH_V_REDIRECT,    /* 301, 302, 303, 307, 308: follow Location (renamed repositories) */
};
enum gh_verdict gh_classify(long status, const struct gh_rate *rate, long retry_after,
                            const char *body);
/* Backoff for attempt (0-based): min(cap, base * 2^attempt), with jitter in [50%, 100%]
 * taken from rnd in [0, 1). */
long gh_backoff_ms(int attempt, long base_ms, long cap_ms, double rnd);

/* ---- endpoints (api.c) --------------------------------------------------------------- */
struct gh_repo_ref {
    char *full_name, *owner, *html_url, *default_branch;
    char *pushed_at; /* ISO 8601 as given */
    int fork, archived;
    long size;
};
void gh_repo_ref_done(struct gh_repo_ref *r);

struct gh_search_item {
    char *path, *sha, *url, *html_url; /* url: contents API at its ref */
    struct gh_repo_ref repo;
};
struct gh_search_page {
    long total_count;
    int incomplete;
    struct gh_search_item *items;
    size_t n;
    char *next; /* Link next or NULL */
};
void gh_search_page_done(struct gh_search_page *p);
/* One page of GET /search/code with text matches. url_or_null: NULL = the first page of q,
 * else a Link next URL. */
enum akw_status gh_search_code(struct gh_client *c, const char *q, const char *next_url,
                               struct gh_search_page *out, struct akw_err *err);

struct gh_push_commit {
    char *sha, *author_name, *author_email;
};
struct gh_event {
    char *id_str;
    int64_t id;
    char *type, *actor, *repo, *created_at;
    /* PushEvent only: */
    char *ref, *head, *before;
    int has_commits; /* payload carried a commit list */
    long size;       /* payload "size" (commits pushed), -1 when absent; GitHub lists at
                        most 20, so size > n_commits means the list is cut */
    struct gh_push_commit *commits;
    size_t n_commits;
};
struct gh_events_page {
    int not_modified;     /* 304: nothing new (events empty) */
    char *etag;
    long poll_interval;   /* X-Poll-Interval, 0 if absent */
    struct gh_event *events; /* as returned: newest first */
    size_t n;
    char *next;
};
void gh_events_page_done(struct gh_events_page *p);
/* GET /events (page 1 with per_page, or next_url), with If-None-Match etag when given. */
enum akw_status gh_events(struct gh_client *c, const char *etag, int per_page,
                          const char *next_url, struct gh_events_page *out, struct akw_err *err);

struct gh_file_change {
    char *filename, *status, *patch; /* patch NULL for binary / too large */
};
struct gh_commit {
    char *sha, *html_url, *message;
    char *author_name, *author_email, *author_login; /* login may be NULL */
    time_t date;                                      /* author date */
    struct gh_file_change *files;
    size_t n_files;
};
void gh_commit_done(struct gh_commit *c);
/* GET /repos/{full}/commits/{ref} (a sha or a branch). */
enum akw_status gh_commit_get(struct gh_client *c, const char *full, const char *ref,
                              struct gh_commit *out, struct akw_err *err);

/* Commits between base and head (oldest first; files not filled). */
struct gh_commit_list {
    struct gh_commit *v;
    size_t n;
};
void gh_commit_list_done(struct gh_commit_list *l);
/* GET /repos/{full}/compare/{base}...{head}: the commits list only. */
enum akw_status gh_compare(struct gh_client *c, const char *full, const char *base,
                           const char *head, struct gh_commit_list *out, struct akw_err *err);
/* GET /repos/{full}/commits?sha=BRANCH&since=ISO, every page, returned oldest first. */
enum akw_status gh_commits_since(struct gh_client *c, const char *full, const char *branch,
                                 const char *since_iso, struct gh_commit_list *out,
                                 struct akw_err *err);

struct gh_repo_list {
    struct gh_repo_ref *v;
    size_t n;
};
void gh_repo_list_done(struct gh_repo_list *l);
/* GET /orgs/{name}/repos or /users/{name}/repos (is_org), following Link next. */
enum akw_status gh_list_repos(struct gh_client *c, int is_org, const char *name,
                              struct gh_repo_list *out, struct akw_err *err);

struct gh_tree_entry {
    char *path, *sha;
    long size;
};
struct gh_tree {
    struct gh_tree_entry *v; /* blobs only */
    size_t n;
    int truncated;
};
void gh_tree_done(struct gh_tree *t);
/* GET /repos/{full}/git/trees/{ref}?recursive=1 — blobs only. */
enum akw_status gh_tree_get(struct gh_client *c, const char *full, const char *ref,
                            struct gh_tree *out, struct akw_err *err);
/* GET /repos/{full}/git/blobs/{sha}: decoded bytes in out (NUL-terminated). */
enum akw_status gh_blob_get(struct gh_client *c, const char *full, const char *sha,
                            struct buf *out, struct akw_err *err);
/* GET a contents API URL (as in a search item) and decode the file; when the API leaves
 * the content out (large files) fetch download_url instead (without credentials when on
 * another host). *html_url (may be NULL) gets the file's html_url (caller frees). */
enum akw_status gh_contents_get(struct gh_client *c, const char *url, struct buf *out,
                                char **html_url, struct akw_err *err);

/* GET /rate_limit: checks the API root and the token (401 → AKW_ERR_AUTH) without spending
 * any budget. */
enum akw_status gh_rate_limit_refresh(struct gh_client *c, struct akw_err *err);

/* ---- helpers (b64.c, patch.c) ------------------------------------------------------------ */
/* Decode base64 skipping whitespace; appends to out. Returns 0, or -1 on a bad character. */
int gh_b64_decode(const char *in, size_t len, struct buf *out);
/* Turn a unified diff into text where line k is the k-th line of the new file if that line
 * was added, and empty otherwise (so detection reports new-file line numbers and sees only
 * added lines). Stops at max_lines. Appends to out; returns the number of added lines. */
long gh_patch_added(const char *patch, struct buf *out, long max_lines);

#endif
