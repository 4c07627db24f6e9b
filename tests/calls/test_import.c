/* test_import — calls import on a real store: the sample ActionTrail, CloudTrail and access
 * logs in tests/calls/data (written for these tests in the providers' real formats), gzip,
 * broken files, malformed lines with file:line, re-import idempotence, the access-log
 * search, and a leak found after the import still matched. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "calls/calls.h"
#include "store/store.h"
#include "tap.h"

#define AK_ALI "LTAI5tLeakedKey000000001"
#define AK_AWS "AKIALEAKEDKEY0000001"

static char dir[64];
static struct store *st;
static struct buf warnings;

static void
on_warn(void *user, const char *file, long line, const char *why)
{
    (void)user;
    const char *base = strrchr(file, '/');
    buf_printf(&warnings, "%s:%ld: %s\n", base ? base + 1 : file, line, why);
}

static char *
data(const char *name)
{
    return xasprintf("%s/tests/calls/data/%s", AKW_SRCDIR, name);
}

static time_t
at(const char *iso)
{
    time_t t = 0;
    akw_time_parse(iso, &t);
    return t;
}

static int64_t
leak(const char *fp, const char *ak, const char *first_seen, const char *platform,
     const char *repo, const char *path)
{
    struct leak l = {.rule = (char *)"test-rule", .kind = (char *)"alibaba", .ak_id = (char *)ak,
                     .secret_masked = (char *)"abcd****wxyz", .severity = SEVERITY_HIGH,
                     .first_seen = at(first_seen)};
    snprintf(l.fingerprint, sizeof l.fingerprint, "%s", fp);
    struct location loc = {.platform = (char *)platform, .repo = (char *)repo,
                           .path = (char *)path, .line = 1, .found_at = at(first_seen)};
    struct store_record_result res = {0};
    struct akw_err err = {0};
    if (store_record(st, &l, &loc, &res, &err) != AKW_OK)
        printf("# store_record: %s\n", err.msg);
    return res.leak_id;
}

static int
count(const struct call *c, void *user)
{
    (void)c;
    (*(long *)user)++;
    return 0;
}

static long
calls_count(const char *ak)
{
    long n = 0;
    struct call_filter f = {.ak_id = ak};
    store_calls_foreach(st, &f, count, &n, NULL);
    return n;
}

static struct calls_file_result
import(struct calls_import *im, const char *path, enum akw_status want, const char *why)
{
    struct calls_file_result r;
    struct akw_err err = {0};
    enum akw_status s = calls_import_file(im, path, &r, &err);
    if (!ok(s == want, "%s: import status %d (%s)", why, s, err.msg))
        printf("#   %s\n", err.msg);
    return r;
}

struct collected {
    struct buf b;
};

static int
collect_call(const struct call *c, void *user)
{
    char when[32];
    akw_time_iso(c->at, when);
    const char *base = strrchr(c->source_file, '/');
    buf_printf(user, "%s %s %s %s %s %s:%ld|", c->kind, when, c->source_ip, c->action,
               c->url ? c->url : "-", base ? base + 1 : c->source_file, c->source_line);
    return 0;
}

static int
collect_req(const struct access_request *r, void *user)
{
    const char *base = strrchr(r->source_file, '/');
    buf_printf(user, "%s %s %d %s:%ld|", r->source_ip, r->path, r->status,
               base ? base + 1 : r->source_file, r->source_line);
    return 0;
}

/* The access-log search's requests for leak id, as collect_req lines. Caller frees. */
static char *
requests_for(int64_t id)
{
    struct buf b;
    buf_init(&b);
    buf_puts(&b, "");
    store_access_for_leak(st, id, collect_req, &b, NULL);
    return buf_steal(&b);
}

static void
test_trails(struct calls_import *im)
{
    char *f = data("actiontrail.jsonl");
    struct calls_file_result r = import(im, f, AKW_OK, "actiontrail.jsonl");
    is_str(r.format, "actiontrail", "format recognised by content");
    is_int(r.events, 5, "five well-formed events (blank line ignored)");
    is_int(r.malformed, 2, "two malformed lines");
    is_str(warnings.data,
           "actiontrail.jsonl:6: truncated JSON\nactiontrail.jsonl:8: missing eventTime\n",
           "malformed lines reported with file:line and why");
    is_int(r.with_leaked_key, 2, "two calls with the leaked key at or after first_seen");
    is_int(r.calls_new, 2, "both stored");
    is_int(r.n_new_call_ids, 2, "their ids returned for notify");
    calls_file_result_done(&r);

    struct buf b;
    buf_init(&b);
    store_calls_foreach(st, &(struct call_filter){.ak_id = AK_ALI}, collect_call, &b, NULL);
    is_str(b.data,
           "actiontrail 2026-03-01T00:00:00Z 198.51.100.23 Ecs:DescribeInstances - "
           "actiontrail.jsonl:2|"
           "actiontrail 2026-03-01T01:30:00Z 198.51.100.23 Ram:CreateAccessKey - "
           "actiontrail.jsonl:7|",
           "calls keep time (offset applied), source IP, action, file and line");
    buf_done(&b);

    buf_reset(&warnings);
    r = import(im, f, AKW_OK, "actiontrail.jsonl again");
    ok(r.with_leaked_key == 2 && r.calls_new == 0 && r.n_new_call_ids == 0,
       "re-import adds nothing (eventId and line hash keys)");
    calls_file_result_done(&r);

    /* the same file gzipped, under another name: still nothing new */
    char *gz = xasprintf("%s/copy-of-trail.json.gz", dir), *text;
    size_t len;
    fs_read_all(f, &text, &len, NULL);
    gzFile g = gzopen(gz, "wb");
    gzwrite(g, text, (unsigned)len);
    gzclose(g);
    r = import(im, gz, AKW_OK, "gzip copy");
    ok(r.events == 5 && r.calls_new == 0 && r.malformed == 2,
       "gzip read transparently; a renamed, gzipped copy adds nothing");
    calls_file_result_done(&r);

    /* a truncated gzip: nothing from it is kept */
    char *cut = xasprintf("%s/cut.json.gz", dir), *gzdata;
    size_t gzlen;
    fs_read_all(gz, &gzdata, &gzlen, NULL);
    FILE *o = fopen(cut, "wb");
    fwrite(gzdata, 1, gzlen * 2 / 3, o);
    fclose(o);
    struct store *probe = st;
    long before = calls_count(NULL);
    struct akw_err err = {0};
    struct calls_file_result rc;
    ok(calls_import_file(im, cut, &rc, &err) == AKW_ERR_IO && strstr(err.msg, "cut.json.gz")
           && strstr(err.msg, "gzip"),
       "truncated gzip is an error naming the file: %s", err.msg);
    ok(rc.calls_new == 0 && calls_count(NULL) == before && probe == st,
       "and nothing of it was imported");
    calls_file_result_done(&rc);
    free(text);
    free(gzdata);
    free(cut);
    free(gz);
    free(f);

    f = data("cloudtrail.json");
    buf_reset(&warnings);
    r = import(im, f, AKW_OK, "cloudtrail.json");
    ok(strcmp(r.format, "cloudtrail") == 0 && r.events == 3 && r.malformed == 0,
       "a {\"Records\":[...]} document: three events");
    ok(r.with_leaked_key == 1 && r.calls_new == 1, "one call after first_seen");
    calls_file_result_done(&r);
    buf_init(&b);
    store_calls_foreach(st, &(struct call_filter){.ak_id = AK_AWS}, collect_call, &b, NULL);
    is_str(b.data, "cloudtrail 2026-03-02T04:06:00Z 203.0.113.77 s3:ListBuckets - cloudtrail.json:1|",
           "cloudtrail call: service:action from eventSource");
    buf_done(&b);
    free(f);

    f = data("cloudtrail_truncated.json");
    r = import(im, f, AKW_OK, "cloudtrail_truncated.json");
    ok(r.events == 2 && r.malformed == 1 && r.calls_new == 0,
       "truncated Records document: complete events read, the cut one reported");
    ok(strstr(warnings.data ? warnings.data : "", "cloudtrail_truncated.json:")
           && strstr(warnings.data, "truncated JSON"),
       "truncation reported with file:line: %s", warnings.data ? warnings.data : "");
    calls_file_result_done(&r);
    free(f);

    r = import(im, "/nonexistent/trail.json", AKW_ERR_IO, "missing file");
    calls_file_result_done(&r);
}

static void
test_access(struct calls_import *im, int64_t leak_ali)
{
    char *f = data("access.log");
    buf_reset(&warnings);
    struct calls_file_result r = import(im, f, AKW_OK, "access.log");
    is_str(r.format, "access_log", "access log recognised");
    is_int(r.events, 7, "seven well-formed lines (TLS noise included)");
    is_int(r.malformed, 2, "two malformed");
    ok(strstr(warnings.data, "access.log:5:") && strstr(warnings.data, "access.log:8:"),
       "reported as access.log:5 and access.log:8");
    is_int(r.requests_new, 6, "six requests with a path kept for the access-log search");
    is_int(r.calls_new, 1, "a signed OSS URL with the leaked key is a suspicious call");
    calls_file_result_done(&r);

    struct buf b;
    buf_init(&b);
    store_calls_foreach(st, &(struct call_filter){.ak_id = AK_ALI}, collect_call, &b, NULL);
    ok(strstr(b.data, "access_log 2026-03-02T01:00:00Z 198.51.100.23 GET /reports/q1.pdf "
                      "/reports/q1.pdf?OSSAccessKeyId=" AK_ALI
                      "&Expires=1772430000&Signature=**** access.log:6|")
           != NULL,
       "access-log call: method and path, URL with the signature masked: %s", b.data);
    buf_done(&b);

    r = import(im, f, AKW_OK, "access.log again");
    ok(r.requests_new == 0 && r.calls_new == 0, "re-import adds no request and no call");
    calls_file_result_done(&r);

    char *got = requests_for(leak_ali);
    is_str(got,
           "203.0.113.9 /config/application.properties 200 access.log:1|"
           "203.0.113.9 /backup/config/application.properties 404 access.log:2|",
           "access-log search: the file's path, exact or as a suffix, not /xconfig/...");
    free(got);

    /* a leak found after the import, in a local scan of /srv/site outside any git work tree
     * (no repository, the absolute path) */
    got = requests_for(leak("fp-later", NULL, "2026-03-05T00:00:00Z", "local", "",
                            "/srv/site/static/.env"));
    is_str(got, "192.0.2.10 /static/.env 200 access.log:4|",
           "a leak found later still matches requests imported before (web root /srv/site)");
    free(got);
    /* a repository whose public/ folder is the web root: /static/.env is public/static/.env */
    got = requests_for(
        leak("fp-web", NULL, "2026-03-05T00:00:00Z", "github", "acme/web", "public/static/.env"));
    is_str(got, "192.0.2.10 /static/.env 200 access.log:4|",
           "a request for the end of the file's path matches (web root public/)");
    free(got);
    got = requests_for(leak("fp-other", NULL, "2026-03-05T00:00:00Z", "github", "acme/web",
                            "public/xstatic/.env"));
    is_str(got, "", "but only at a whole path component (not xstatic/.env)");
    free(got);
    free(f);
}

int
main(void)
{
    strcpy(dir, "/tmp/akw-calls.XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    buf_init(&warnings);
    char *db = xasprintf("%s/akwatch.db", dir);
    struct akw_err err = {0};
    if (store_open(db, 0, &st, &err) != AKW_OK) {
        printf("Bail out! %s\n", err.msg);
        return 1;
    }
    int64_t ali = leak("fp-ali", AK_ALI, "2026-03-01T00:00:00Z", "github", "acme/app",
                       "config/application.properties");
    leak("fp-aws", AK_AWS, "2026-03-02T04:05:30Z", "github", "acme/infra", "deploy/ci.env");
    struct calls_import *im = NULL;
    ok(calls_import_new(st, on_warn, NULL, &im, &err) == AKW_OK, "importer loads leaked keys");
    test_trails(im);
    test_access(im, ali);
    calls_import_free(im);
    store_close(st);
    char *rm = xasprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        printf("# could not remove %s\n", dir);
    free(rm);
    free(db);
    buf_done(&warnings);
    return done_testing();
}
