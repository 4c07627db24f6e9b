/* test_http — the GitHub HTTP layer against the fake server on loopback: headers sent,
 * ETag/304, the loopback-only http rule, rate-limit waits (ordering in the request log),
 * retries on 500 / hangs / short reads, 401, cancellation, the token pool, credentials
 * never sent to another host; plus the pure policy helpers, table-driven. */
#include "config.h"

#include <pthread.h>

#include "github/github.h"
#include "github/http_int.h"
#include "tap.h"
#include "fake.h"

static const char *const TOKENS[] = {"ghp_testtoken_one", "ghp_testtoken_two"};

static void
test_pure(void)
{
    static const struct { const char *host; int want; } hosts[] = {
        {"127.0.0.1", 1}, {"127.9.8.7", 1}, {"localhost", 1}, {"::1", 1}, {"[::1]", 1},
        {"128.0.0.1", 0}, {"10.0.0.1", 0}, {"example.com", 0}, {"127.0.0.1.evil.com", 0},
        {"", 0}, {NULL, 0},
    };
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        is_int(gh_host_is_loopback(hosts[i].host), hosts[i].want, "loopback(%s)",
               hosts[i].host ? hosts[i].host : "NULL");

    static const struct { const char *path; enum gh_bucket want; } paths[] = {
        {"/search/code?q=x", GH_BUCKET_CODE_SEARCH}, {"/search/commits?q=x", GH_BUCKET_SEARCH},
        {"/rate_limit", GH_BUCKET_NONE}, {"/events", GH_BUCKET_CORE},
        {"/repos/a/b/commits/x", GH_BUCKET_CORE},
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        is_int(gh_bucket_of_path(paths[i].path), paths[i].want, "bucket of %s", paths[i].path);

    static const struct gh_rate empty = {1, 5000, 0, 5000, 1}, some = {1, 5000, 10, 4990, 1},
                                none = {0};
    static const char sec[] = "{\"message\":\"You have exceeded a secondary rate limit\"}";
    static const struct {
        long status; const struct gh_rate *rate; long retry; const char *body; enum gh_verdict want;
    } cls[] = {
        {200, &some, -1, "", GH_V_OK}, {304, &some, -1, "", GH_V_OK},
        {401, &some, -1, "", GH_V_AUTH}, {403, &empty, -1, "", GH_V_PRIMARY},
        {429, &empty, -1, "", GH_V_PRIMARY}, {403, &some, 5, "", GH_V_SECONDARY},
        {403, &some, -1, sec, GH_V_SECONDARY}, {429, &none, -1, "", GH_V_SECONDARY},
        {403, &some, -1, "{\"message\":\"forbidden\"}", GH_V_FAIL},
        {404, &some, -1, "", GH_V_NOTFOUND}, {409, &some, -1, "", GH_V_NOTFOUND},
        {422, &some, -1, "", GH_V_FAIL}, {500, &some, -1, "", GH_V_RETRY},
        {301, &some, -1, "", GH_V_REDIRECT}, {307, &none, -1, "", GH_V_REDIRECT},
        {503, &none, -1, "", GH_V_RETRY},
    };
    for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++)
        is_int(gh_classify(cls[i].status, cls[i].rate, cls[i].retry, cls[i].body), cls[i].want,
               "classify %ld (case %zu)", cls[i].status, i);

    static const struct { int attempt; double rnd; long want; } bo[] = {
        {0, 0.0, 500}, {0, 0.999, 999}, {1, 0.0, 1000}, {3, 0.0, 4000}, {10, 0.0, 30000},
        {40, 0.0, 30000}, {2, -1.0, 2000},
    };
    for (size_t i = 0; i < sizeof bo / sizeof bo[0]; i++)
        is_int(gh_backoff_ms(bo[i].attempt, 1000, 60000, bo[i].rnd), bo[i].want,
               "backoff attempt %d rnd %.3f", bo[i].attempt, bo[i].rnd);

    static const struct { const char *in; const char *want; int rc; } b64[] = {
        {"", "", 0}, {"YQ==", "a", 0}, {"YWJj\nZGVm\n", "abcdef", 0},
        {"TFRBSTV0\r\nZXN0", "LTAI5test", 0}, {"Y*Q=", "", -1},
    };
    for (size_t i = 0; i < sizeof b64 / sizeof b64[0]; i++) {
        struct buf b;
        buf_init(&b);
        int rc = gh_b64_decode(b64[i].in, strlen(b64[i].in), &b);
        is_int(rc, b64[i].rc, "b64 case %zu: rc", i);
        if (rc == 0)
            is_str(b.data ? b.data : "", b64[i].want, "b64 case %zu: bytes", i);
        buf_done(&b);
    }

    static const struct { const char *patch; const char *want; long added; } pt[] = {
        {"@@ -0,0 +1,2 @@\n+a\n+b", "a\nb\n", 2},
        {"@@ -1,3 +1,3 @@\n ctx\n-old\n+new\n ctx2", "\nnew\n", 1},
        {"@@ -10,2 +10,3 @@\n x\n+y\n z\n@@ -20,1 +21,2 @@\n-q\n+r\n+s\n\\ No newline at end of file",
         "\n\n\n\n\n\n\n\n\n\ny\n\n\n\n\n\n\n\n\n\nr\ns\n", 3},
        {"", "", 0}, {"Binary files differ", "", 0},
    };
    for (size_t i = 0; i < sizeof pt / sizeof pt[0]; i++) {
        struct buf b;
        buf_init(&b);
        long n = gh_patch_added(pt[i].patch, &b, 1000000);
        is_int(n, pt[i].added, "patch %zu: added lines", i);
        is_str(b.data ? b.data : "", pt[i].want, "patch %zu: added text at new line numbers", i);
        buf_done(&b);
    }
}

static struct gh_client *
client(const struct fake *f, size_t ntok, struct gh_cancel *cancel)
{
    struct gh_client_opts o = {.api_url = f->url, .tokens = TOKENS, .n_tokens = ntok,
                               .low_speed_time = 1, .backoff_base_ms = 20,
                               .backoff_cap_ms = 100, .secondary_wait_s = 1, .cancel = cancel};
    struct gh_client *c = NULL;
    struct akw_err err;
    if (gh_client_new(&o, &c, &err) != AKW_OK)
        printf("# %s\n", err.msg);
    return c;
}

static void
test_url_rule(void)
{
    static const struct { const char *url; enum akw_status want; } urls[] = {
        {"http://example.com", AKW_ERR_USAGE}, {"http://10.1.2.3:8080/api/v3", AKW_ERR_USAGE},
        {"ftp://127.0.0.1/", AKW_ERR_USAGE}, {"https://api.github.com", AKW_OK},
        {"https://ghe.example/api/v3/", AKW_OK}, {"http://127.0.0.1:9", AKW_OK},
        {"http://localhost:9", AKW_OK}, {"http://[::1]:9", AKW_OK},
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        struct gh_client_opts o = {.api_url = urls[i].url};
        struct gh_client *c = NULL;
        struct akw_err err = {0};
        enum akw_status st = gh_client_new(&o, &c, &err);
        is_int(st, urls[i].want, "client for %s", urls[i].url);
        if (st == AKW_ERR_USAGE && strncmp(urls[i].url, "http:", 5) == 0)
            ok(strstr(err.msg, "refusing plain http") != NULL, "says why: %s", err.msg);
        gh_client_free(c);
    }
}

static void
test_basics(void)
{
    struct fake f;
    if (fake_start(&f, "{\"tokens\": [\"ghp_testtoken_one\", \"ghp_testtoken_two\"],"
                       " \"poll_interval\": 7,"
                       " \"repos\": {\"acme/app\": {\"files\": {\"a.txt\": \"hello\"},"
                       "   \"large\": [\"a.txt\"]}},"
                       " \"events\": [{\"id\": \"5\", \"repo\": \"acme/app\"}],"
                       " \"faults\": [{\"match\": \"/repos/acme/oldname/\", \"kind\": \"redirect\","
                       "   \"from\": \"/oldname/\", \"to\": \"/app/\", \"times\": 9},"
                       "  {\"match\": \"/repos/acme/moved/\", \"kind\": \"redirect\", \"other_host\": true,"
                       "   \"from\": \"/moved/\", \"to\": \"/app/\", \"times\": 9}]}") != 0) {
        ok(0, "fake server started");
        return;
    }
    struct gh_client *c = client(&f, 1, NULL);
    struct gh_response r;
    struct akw_err err = {0};
    is_int(gh_get(c, "/events", NULL, &r, &err), AKW_OK, "GET /events");
    is_int(r.status, 200, "200");
    ok(r.etag && r.etag[0] == 'W', "ETag parsed (%s)", r.etag ? r.etag : "none");
    is_int(r.poll_interval, 7, "X-Poll-Interval parsed");
    ok(r.rate.known && r.rate.limit == 5000 && r.rate.remaining == 4999, "rate headers parsed");
    is_int(r.bucket, GH_BUCKET_CORE, "bucket from X-RateLimit-Resource");
    char *etag = xstrdup(r.etag);
    gh_response_done(&r);
    struct gh_request req = {.if_none_match = etag};
    is_int(gh_get(c, "/events", &req, &r, &err), AKW_OK, "conditional GET");
    is_int(r.status, 304, "If-None-Match gives 304");
    gh_response_done(&r);
    free(etag);
    is_int(fake_count(&f, "\"user_agent\": \"akwatch/", NULL, NULL), 2, "User-Agent akwatch/VERSION");
    is_int(fake_count(&f, "\"api_version\": \"2022-11-28\"", "\"accept\": \"application/vnd.github+json\"", NULL),
           2, "Accept and X-GitHub-Api-Version sent");
    is_int(fake_count(&f, "\"auth\": \"Bearer ghp_testtoken_one\"", NULL, NULL), 2, "Bearer token sent");
    is_int(fake_count(&f, "\"status\": 304", "\"counted\": false", NULL), 1, "304 not counted");

    /* A large file: contents has no content, download_url is on another host. */
    struct buf b;
    buf_init(&b);
    char *html = NULL;
    char *url = xasprintf("%s/repos/acme/app/contents/a.txt", f.url);
    is_int(gh_contents_get(c, url, &b, &html, &err), AKW_OK, "contents via download_url");
    is_str(b.data, "hello", "raw content");
    ok(html && strstr(html, "/acme/app/blob/"), "html_url kept");
    is_int(fake_count(&f, "/_raw/", "\"host\": \"localhost:", NULL), 1, "raw fetched from the other host");
    is_int(fake_count(&f, "/_raw/", "\"auth\": null", NULL), 1, "no Authorization to another host");
    free(url);
    free(html);
    buf_done(&b);
    /* A renamed repository answers 301: followed, with credentials on the same origin only. */
    buf_init(&b);
    url = xasprintf("%s/repos/acme/oldname/contents/a.txt", f.url);
    is_int(gh_contents_get(c, url, &b, NULL, &err), AKW_OK, "301 followed%s%s",
           err.msg[0] ? ": " : "", err.msg);
    is_str(b.data, "hello", "content from the new place");
    is_int(fake_count(&f, "/repos/acme/oldname/", "\"status\": 301", NULL), 1, "one 301");
    is_int(fake_count(&f, "/repos/acme/app/contents/a.txt", "Bearer", NULL), 2,
           "the new place on the API origin gets the token");
    free(url);
    buf_done(&b);
    buf_init(&b);
    is_int(gh_blob_get(c, "acme/moved", "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0", &b, &err), AKW_OK,
           "301 to another host followed");
    is_str(b.data ? b.data : "", "hello", "blob from the other host");
    is_int(fake_count(&f, "/repos/acme/app/git/blobs/b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0", "\"auth\": null",
                      "localhost"), 1, "no token after a redirect to another host");
    buf_done(&b);
    is_int(gh_get(c, "/repos/acme/app/commits/nosuchsha", NULL, &r, &err), AKW_ERR_NOTFOUND,
           "422 is not retried and not a network error");
    ok(strstr(err.msg, "422") != NULL, "message names the status: %s", err.msg);
    gh_response_done(&r);
    gh_client_free(c);

    /* A bad token: 401, a clear message without the token. */
    static const char *const bad[] = {"ghp_wrong_secret_token"};
    struct gh_client_opts o = {.api_url = f.url, .tokens = bad, .n_tokens = 1};
    gh_client_new(&o, &c, &err);
    is_int(gh_get(c, "/events", NULL, &r, &err), AKW_ERR_AUTH, "401 → AKW_ERR_AUTH");
    ok(strstr(err.msg, "Bad credentials") && strstr(err.msg, "GITHUB_TOKEN"), "401 message: %s", err.msg);
    ok(!strstr(err.msg, "ghp_wrong"), "401 message has no token");
    is_int(fake_count(&f, "\"status\": 401", NULL, NULL), 1, "401 not retried");
    gh_response_done(&r);
    gh_client_free(c);
    fake_stop(&f);
}

static void
test_faults(void)
{
    struct fake f;
    if (fake_start(&f, "{\"tokens\": [\"ghp_testtoken_one\", \"ghp_testtoken_two\"],"
                       " \"faults\": ["
                       "  {\"match\": \"/events\\\\?a=500\", \"kind\": \"status\", \"status\": 500, \"times\": 2},"
                       "  {\"match\": \"a=secondary\", \"kind\": \"secondary\", \"retry_after\": 1},"
                       "  {\"match\": \"a=sec2\", \"kind\": \"secondary\", \"no_header\": true},"
                       "  {\"match\": \"a=hang\", \"kind\": \"hang\", \"delay\": 4},"
                       "  {\"match\": \"a=short\", \"kind\": \"short\"},"
                       "  {\"match\": \"a=trunc\", \"kind\": \"truncated\"},"
                       "  {\"match\": \"a=malformed\", \"kind\": \"malformed\"},"
                       "  {\"match\": \"/search/code\", \"kind\": \"primary\", \"reset\": 1},"
                       "  {\"match\": \"a=always500\", \"kind\": \"status\", \"status\": 502, \"times\": 99}"
                       " ]}") != 0) {
        ok(0, "fake server started");
        return;
    }
    struct gh_client *c = client(&f, 1, NULL);
    struct gh_response r;
    struct akw_err err = {0};
    static const struct { const char *path; int want_requests; const char *what; } retry[] = {
        {"/events?a=500", 3, "500 twice, then success"},
        {"/events?a=secondary", 2, "secondary limit with Retry-After, then success"},
        {"/events?a=sec2", 2, "secondary limit without Retry-After, then success"},
        {"/events?a=hang", 2, "hang → low-speed timeout, then success"},
        {"/events?a=short", 2, "short read, then success"},
    };
    for (size_t i = 0; i < sizeof retry / sizeof retry[0]; i++) {
        enum akw_status st = gh_get(c, retry[i].path, NULL, &r, &err);
        ok(st == AKW_OK && r.status == 200, "%s", retry[i].what);
        if (st != AKW_OK)
            printf("# %s\n", err.msg);
        gh_response_done(&r);
        char needle[80];
        snprintf(needle, sizeof needle, "\"path\": \"%s\"", retry[i].path);
        is_int(fake_count(&f, needle, NULL, NULL), retry[i].want_requests, "%s: requests", retry[i].path);
    }
    double t0 = fake_time(&f, "a=secondary", 0, "end"), t1 = fake_time(&f, "a=secondary", 1, "ts");
    ok(t1 - t0 >= 0.95, "Retry-After honoured (next request %.2fs later)", t1 - t0);
    t0 = fake_time(&f, "a=sec2", 0, "end"), t1 = fake_time(&f, "a=sec2", 1, "ts");
    ok(t1 - t0 >= 0.95, "default secondary wait honoured (%.2fs)", t1 - t0);

    is_int(gh_get(c, "/events?a=always500", NULL, &r, &err), AKW_ERR_NET, "persistent 502 gives up");
    ok(strstr(err.msg, "502") != NULL, "error names the status: %s", err.msg);
    is_int(fake_count(&f, "a=always500", NULL, NULL), 6, "5 retries then give up");
    gh_response_done(&r);

    struct gh_events_page ep;
    is_int(gh_events(c, NULL, 30, "/events?a=trunc", &ep, &err), AKW_ERR_PARSE,
           "truncated JSON is a parse error");
    ok(strstr(err.msg, "truncated") != NULL, "says truncated: %s", err.msg);
    gh_events_page_done(&ep);
    is_int(gh_events(c, NULL, 30, "/events?a=malformed", &ep, &err), AKW_ERR_PARSE,
           "malformed JSON is a parse error");
    ok(strstr(err.msg, "malformed") != NULL, "says malformed: %s", err.msg);
    gh_events_page_done(&ep);

    /* Primary limit on code_search: the retry waits for the reset; core is not held up. */
    struct gh_search_page sp;
    is_int(gh_search_code(c, "LTAI", NULL, &sp, &err), AKW_OK, "search after a primary limit");
    gh_search_page_done(&sp);
    char *log = fake_log(&f);
    char *lim = strstr(log, "\"fault\": \"primary\"");
    ok(lim != NULL, "primary limit was served");
    double reset = 0;
    if (lim) {
        /* The reset is in the response headers, not the log: the fake sets it to
         * ceil(request time + 1), so the retry must come at or after that. */
        double ts = fake_time(&f, "/search/code", 0, "ts");
        reset = (double)(long)(ts + 1.0) + ((ts + 1.0) > (double)(long)(ts + 1.0) ? 1 : 0);
        double next = fake_time(&f, "/search/code", 1, "ts");
        ok(next >= reset, "no code_search request before its reset (%.2f ≥ %.2f)", next, reset);
    }
    free(log);
    is_int(fake_count(&f, "/search/code", NULL, NULL), 2, "one limited request, one retry");
    is_int(fake_count(&f, "/search/code", "text-match", NULL), 2, "text-match media type asked");
    gh_client_free(c);
    fake_stop(&f);
}

struct canceller {
    struct gh_cancel *cancel;
};

static void *
cancel_later(void *p)
{
    struct canceller *cc = p;
    gh_cancel_wait(NULL, 0.3);
    gh_cancel_request(cc->cancel);
    return NULL;
}

static void
test_cancel_and_pool(void)
{
    struct fake f;
    if (fake_start(&f, "{\"tokens\": [\"ghp_testtoken_one\", \"ghp_testtoken_two\"],"
                       " \"faults\": [{\"match\": \"a=hang\", \"kind\": \"hang\", \"delay\": 20},"
                       "   {\"match\": \"a=limit\", \"kind\": \"primary\", \"reset\": 30, \"times\": 2}]}") != 0) {
        ok(0, "fake server started");
        return;
    }
    struct gh_cancel cancel;
    struct akw_err err = {0};
    gh_cancel_init(&cancel, &err);
    struct gh_client *c = client(&f, 2, &cancel);
    struct gh_response r;
    for (int i = 0; i < 10; i++) {
        gh_get(c, "/events", NULL, &r, &err);
        gh_response_done(&r);
    }
    is_int(gh_client_connections(c), 1, "10 requests over one reused connection");
    is_int(fake_count(&f, "Bearer ghp_testtoken_one", NULL, NULL), 5, "pool: token one spent 5 times");
    is_int(fake_count(&f, "Bearer ghp_testtoken_two", NULL, NULL), 5, "pool: token two spent 5 times");

    struct canceller cc = {&cancel};
    pthread_t th;
    time_t start = time(NULL);
    pthread_create(&th, NULL, cancel_later, &cc);
    is_int(gh_get(c, "/events?a=hang", NULL, &r, &err), AKW_ERR_CANCEL, "cancel stops a hung transfer");
    pthread_join(th, NULL);
    gh_response_done(&r);
    ok(time(NULL) - start < 10, "well before the 20 s hang ends");

    gh_cancel_reset(&cancel);
    pthread_create(&th, NULL, cancel_later, &cc);
    start = time(NULL);
    /* Both tokens get limited for 30 s: the client waits, and cancel ends the wait. */
    is_int(gh_get(c, "/events?a=limit", NULL, &r, &err), AKW_ERR_CANCEL, "cancel stops a rate-limit wait");
    pthread_join(th, NULL);
    gh_response_done(&r);
    ok(time(NULL) - start < 10, "well before the 30 s reset");
    ok(gh_client_rate(c, 0, GH_BUCKET_CORE).remaining == 0 ||
       gh_client_rate(c, 1, GH_BUCKET_CORE).remaining == 0, "limited token shows 0 remaining");
    ok(gh_client_requests(c) >= 12, "requests counted (%ld)", gh_client_requests(c));
    gh_client_free(c);
    gh_cancel_done(&cancel);
    fake_stop(&f);
}

static void
test_paging(void)
{
    /* 150 repositories in an org and 150 files matching a search: two pages each. */
    struct buf sc;
    buf_init(&sc);
    buf_puts(&sc, "{\"tokens\": [\"ghp_testtoken_one\"], \"repos\": {");
    for (int i = 0; i < 150; i++)
        buf_printf(&sc, "%s\"big/r%03d\": {\"files\": {\"f.txt\": \"needle %d\"}}", i ? "," : "",
                   i, i);
    buf_puts(&sc, ", \"big/wide\": {\"commits\": [{\"sha\": \"d000000000000000000000000000000000000000\", "
                  "\"files\": [");
    for (int i = 0; i < 650; i++)
        buf_printf(&sc, "%s{\"filename\": \"f%03d\", \"patch\": \"@@ -0,0 +1 @@\\n+x\"}", i ? "," : "",
                   i);
    buf_puts(&sc, "]}]}");
    buf_puts(&sc, "}, \"orgs\": {\"big\": [");
    for (int i = 0; i < 150; i++)
        buf_printf(&sc, "%s\"big/r%03d\"", i ? "," : "", i);
    buf_puts(&sc, "]}}");
    struct fake f;
    if (fake_start(&f, sc.data) != 0) {
        ok(0, "fake server started");
        buf_done(&sc);
        return;
    }
    buf_done(&sc);
    struct gh_client *c = client(&f, 1, NULL);
    struct akw_err err = {0};
    struct gh_repo_list rl;
    is_int(gh_list_repos(c, 1, "big", &rl, &err), AKW_OK, "list an org's repos");
    is_int(rl.n, 150, "every page followed through Link rel=next");
    ok(rl.n == 150 && strcmp(rl.v[149].full_name, "big/r149") == 0 &&
       strcmp(rl.v[0].default_branch, "main") == 0, "repos parsed in order");
    is_int(fake_count(&f, "/orgs/big/repos", NULL, NULL), 2, "two pages of 100");
    is_int(fake_count(&f, "/orgs/big/repos?per_page=100&page=2", NULL, NULL), 1, "page 2 from Link");
    gh_repo_list_done(&rl);
    struct gh_commit cm;
    is_int(gh_commit_get(c, "big/wide", "d000000000000000000000000000000000000000", &cm, &err),
           AKW_OK, "a commit of 650 files");
    ok(cm.n_files == 650 && strcmp(cm.files[649].filename, "f649") == 0 && cm.files[649].patch,
       "every page of files read (%zu)", cm.n_files);
    is_int(fake_count(&f, "/repos/big/wide/commits/", NULL, NULL), 3, "three pages of 300");
    gh_commit_done(&cm);
    is_int(gh_list_repos(c, 0, "nobody", &rl, &err), AKW_ERR_NOTFOUND, "unknown user: 404");
    gh_repo_list_done(&rl);

    struct gh_search_page sp;
    long total = 0, pages = 0;
    char *next = NULL;
    do {
        if (gh_search_code(c, "needle org:big", next, &sp, &err) != AKW_OK)
            break;
        total += (long)sp.n;
        pages++;
        free(next);
        next = xstrdup(sp.next);
        if (pages == 1)
            ok(sp.total_count == 150 && sp.n == 100 && sp.items[0].sha && sp.items[0].url &&
               strstr(sp.items[0].url, "?ref=") && strcmp(sp.items[0].repo.owner, "big") == 0,
               "search page 1: total, items, blob sha, contents url, repository");
        gh_search_page_done(&sp);
    } while (next && pages < 5);
    free(next);
    is_int(total, 150, "search results over every page");
    is_int(pages, 2, "two search pages");
    gh_client_free(c);
    fake_stop(&f);
}

static void
test_resource_names(void)
{
    /* An older Enterprise server names code search's bucket "search": the wait still holds. */
    struct fake f;
    if (fake_start(&f, "{\"tokens\": [\"ghp_testtoken_one\"],"
                       " \"limits\": {\"code_search\": {\"limit\": 1, \"window\": 2}},"
                       " \"resource_names\": {\"code_search\": \"search\"}}") != 0) {
        ok(0, "fake server started");
        return;
    }
    struct gh_client *c = client(&f, 1, NULL);
    struct akw_err err = {0};
    struct gh_search_page sp;
    for (int i = 0; i < 2; i++) {
        is_int(gh_search_code(c, "anything", NULL, &sp, &err), AKW_OK, "search %d", i + 1);
        gh_search_page_done(&sp);
    }
    double reset = fake_time(&f, "/search/code", 0, "reset");
    double next = fake_time(&f, "/search/code", 1, "ts");
    ok(reset > 0 && next >= reset, "second search waits for the reset (%.2f >= %.0f)", next, reset);
    is_int(fake_count(&f, "/search/code", "\"status\": 403", NULL), 0, "never limited");
    gh_client_free(c);
    fake_stop(&f);
}

/* gh_header_line: one line at a time, as libcurl hands them over. */
static void
test_header_lines(void)
{
    static const struct {
        const char *line;
        const char *next, *etag; /* NULL: unset */
        long retry_after, remaining;
        int too_big;
    } cases[] = {
        {"Link: <https://h/x?page=2>; rel=\"next\", <https://h/x?page=9>; rel=\"last\"\r\n",
         "https://h/x?page=2", NULL, -1, 0, 0},
        {"link: <https://h/x?page=1>; rel=\"prev\", <https://h/x?page=3>; rel=\"next\"\r\n",
         "https://h/x?page=3", NULL, -1, 0, 0},
        {"Link: <https://h/x?page=9>; rel=\"last\"\r\n", NULL, NULL, -1, 0, 0},
        {"Link: <https://h/x?page=2; rel=\"next\"\r\n", NULL, NULL, -1, 0, 0},
        {"ETag:   W/\"abc\"  \r\n", NULL, "W/\"abc\"", -1, 0, 0},
        {"retry-after: 42\r\n", NULL, NULL, 42, 0, 0},
        {"X-RateLimit-Remaining: 17\r\n", NULL, NULL, -1, 17, 0},
        {"Content-Length: 1001\r\n", NULL, NULL, -1, 0, 1},
        {"Content-Length: 1000\r\n", NULL, NULL, -1, 0, 0},
        {": no name\r\n", NULL, NULL, -1, 0, 0},
        {"no colon at all\r\n", NULL, NULL, -1, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gh_response r;
        memset(&r, 0, sizeof r);
        r.retry_after = -1;
        int big = gh_header_line(&r, cases[i].line, strlen(cases[i].line), 1000);
        ok(big == cases[i].too_big &&
               (cases[i].next ? r.link_next && strcmp(r.link_next, cases[i].next) == 0
                              : !r.link_next) &&
               (cases[i].etag ? r.etag && strcmp(r.etag, cases[i].etag) == 0 : !r.etag) &&
               r.retry_after == cases[i].retry_after && r.rate.remaining == cases[i].remaining,
           "header line %zu: %.*s", i, (int)strcspn(cases[i].line, "\r\n"), cases[i].line);
        gh_response_done(&r);
    }
    /* A status line (a redirect, a 100 Continue) forgets the previous answer's headers. */
    struct gh_response r;
    memset(&r, 0, sizeof r);
    static const char *const block[] = {"HTTP/1.1 301 Moved\r\n", "Location: /new\r\n",
                                        "X-RateLimit-Resource: search\r\n",
                                        "HTTP/1.1 200 OK\r\n", "ETag: \"e\"\r\n"};
    for (size_t i = 0; i < sizeof block / sizeof block[0]; i++)
        gh_header_line(&r, block[i], strlen(block[i]), 1000);
    ok(!r.location && r.etag && r.bucket == GH_BUCKET_SEARCH && r.retry_after == -1,
       "a new status line resets the headers, keeps the bucket");
    gh_response_done(&r);
}

struct dropped {
    int calls;
    size_t index, left;
    char masked[32];
};

static void
on_token(void *user, size_t index, const char *masked, size_t left)
{
    struct dropped *d = user;
    d->calls++;
    d->index = index;
    d->left = left;
    snprintf(d->masked, sizeof d->masked, "%s", masked);
}

/* A revoked token in a pool is dropped once and the pool goes on; all revoked → AUTH. */
static void
test_revoked_token(void)
{
    static const struct { const char *token, *masked; } masks[] = {
        {"", "****"}, {"abc", "****"}, {"abcdef", "a****f"}, {"ghp_abcdefgh", "gh****gh"},
        {"ghp_akwatch_test_token_1", "ghp_****en_1"},
        {"ghp_0123456789abcdefghijklmnopqrstuvwxyz", "ghp_****wxyz"},
    };
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        char out[32];
        gh_token_mask(masks[i].token, out, sizeof out);
        is_str(out, masks[i].masked, "mask of \"%s\"", masks[i].token);
    }
    struct fake f;
    if (fake_start(&f, "{\"tokens\": [\"ghp_testtoken_two\"]}") != 0) {
        ok(0, "fake server started");
        return;
    }
    static const char *const pool[] = {"ghp_revoked_one", "ghp_testtoken_two"};
    struct dropped d = {0};
    struct gh_client_opts o = {.api_url = f.url, .tokens = pool, .n_tokens = 2,
                               .on_token = on_token, .user = &d};
    struct gh_client *c = NULL;
    struct akw_err err = {0};
    gh_client_new(&o, &c, &err);
    struct gh_response r;
    int good = 0;
    for (int i = 0; i < 4; i++) {
        good += gh_get(c, "/events", NULL, &r, &err) == AKW_OK && r.status == 200;
        gh_response_done(&r);
    }
    is_int(good, 4, "pool with a revoked token: every request answered");
    is_int(d.calls, 1, "the revoked token reported once");
    ok(d.index == 0 && d.left == 1, "reported as token 1, one left (%zu, %zu)", d.index, d.left);
    is_str(d.masked, "gh****ne", "reported masked");
    is_int(fake_count(&f, "Bearer ghp_revoked_one", NULL, NULL), 1, "the revoked token sent once");
    is_int(fake_count(&f, "Bearer ghp_testtoken_two", NULL, NULL), 4, "the good one carries on");
    gh_client_free(c);

    static const char *const bad[] = {"ghp_revoked_one", "ghp_revoked_two"};
    o.tokens = bad;
    d = (struct dropped){0};
    gh_client_new(&o, &c, &err);
    is_int(gh_get(c, "/events", NULL, &r, &err), AKW_ERR_AUTH, "every token revoked → AKW_ERR_AUTH");
    gh_response_done(&r);
    ok(strstr(err.msg, "every token") && strstr(err.msg, "GITHUB_TOKEN"), "message: %s", err.msg);
    ok(!strstr(err.msg, "ghp_revoked"), "no token in the message");
    is_int(d.calls, 1, "the first one dropped was reported, the last ends the request");
    is_int(gh_get(c, "/rate_limit", NULL, &r, &err), AKW_ERR_AUTH, "then nothing is sent");
    gh_response_done(&r);
    is_int(fake_count(&f, "Bearer ghp_revoked_two", NULL, NULL), 1, "the last revoked token sent once");
    gh_client_free(c);
    fake_stop(&f);
}

int
main(void)
{
    test_pure();
    test_url_rule();
    test_basics();
    test_faults();
    test_cancel_and_pool();
    test_revoked_token();
    test_header_lines();
    test_paging();
    test_resource_names();
    return done_testing();
}
