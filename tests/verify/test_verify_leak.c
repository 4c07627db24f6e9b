/* test_verify_leak — verification of stored leaks against the fake providers, on a real
 * SQLite store in a temp folder: the store as the cache (recheck_after, a shorter life for
 * unknown, --force), where the secret comes from (stored, in hand, missing), unsupported
 * kinds, the audit row on each change of verdict, the due list, and no secret in any
 * outcome or audit note. "Now" is set through AKWATCH_NOW.
 */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakeprov.h"
#include "store/store.h"
#include "tap.h"
#include "verify/sign.h"
#include "verify/verify.h"

#define ALI_LIVE "LTAI5tLiveKeyId0000000001"
#define ALI_SECRET "AliSecretLive0123456789abcdefXY"
#define ALI_OTHER "LTAI5tOtherKeyId000000002"
#define AWS_LIVE "AKIAQLIVEKEYID000001"
#define AWS_SECRET "AwsSecretLive/0123456789+abcdefghijklmnop"
#define GH_TOKEN "ghp_LiveToken0123456789abcdefghijklmnopq"
#define T0 1772600000L /* 2026-03-04T04:53:20Z */
#define RECHECK 3600L

static char tmpdir[] = "/tmp/akw-vleak.XXXXXX";

static void
set_now(long t)
{
    char s[32];

    snprintf(s, sizeof s, "%ld", t);
    setenv("AKWATCH_NOW", s, 1);
}

static int64_t
record(struct store *st, const char *rule, const char *ak_id, const char *secret, int line)
{
    struct leak l = {0};
    struct location loc = {0};
    struct store_record_result res;
    char key[256];

    snprintf(key, sizeof key, "%s|%s|%d", rule, secret ? secret : "-", line);
    sign_sha256_hex(key, strlen(key), l.fingerprint);
    l.rule = (char *)rule;
    l.kind = (char *)(strstr(rule, "mysql") ? "database" : "cloud_accesskey");
    l.description = (char *)"test";
    l.ak_id = (char *)ak_id;
    l.secret_masked = (char *)"****";
    l.secret = (char *)secret;
    l.severity = SEVERITY_HIGH;
    loc.platform = (char *)"local";
    loc.repo = (char *)"/src";
    loc.path = (char *)"app.env";
    loc.line = line;
    loc.found_at = T0;
    if (store_record(st, &l, &loc, &res, NULL) != AKW_OK)
        return -1;
    return res.leak_id;
}

static enum verify_how
run(struct verifier *v, struct store *st, int64_t id, const char *in_hand, int force,
    struct verify_outcome *o)
{
    enum verify_how how = 99;
    struct akw_err err;

    memset(o, 0, sizeof *o);
    if (verify_leak(v, st, id, in_hand, force, "tester", o, &how, &err) != AKW_OK)
        printf("#   verify_leak failed: %s\n", err.msg);
    return how;
}

static int
audit_count(struct store *st, int64_t id, const char *what, const char *secret_a,
            const char *secret_b, int *secret_seen)
{
    struct audit_entry *e;
    size_t n;
    int c = 0;

    if (store_audit_list(st, id, &e, &n, NULL) != AKW_OK)
        return -1;
    for (size_t i = 0; i < n; i++) {
        c += strcmp(e[i].what, what) == 0;
        if (e[i].note && (strstr(e[i].note, secret_a) || strstr(e[i].note, secret_b)))
            *secret_seen = 1;
    }
    store_audit_free(e, n);
    return c;
}

int
main(void)
{
    static const char *const ali_keys[] = {ALI_LIVE "," ALI_SECRET, ALI_OTHER "," ALI_SECRET,
                                           NULL};
    static const char *const aws_keys[] = {AWS_LIVE "," AWS_SECRET, NULL};
    static const char *const gh_keys[] = {GH_TOKEN ",leaky-bot", NULL};
    struct fakeprov ali, aws, gh;
    struct store *st;
    struct verify_outcome o;
    char db[600];
    int seen = 0;

    if (!mkdtemp(tmpdir))
        return 1;
    set_now(T0);
    snprintf(db, sizeof db, "%s/akwatch.db", tmpdir);
    if (!ok(store_open(db, 0, &st, NULL) == AKW_OK, "store opened"))
        return done_testing();
    ok(fakeprov_start(&ali, "alibaba", ali_keys, tmpdir) == 0, "fake alibaba started");
    ok(fakeprov_start(&aws, "aws", aws_keys, tmpdir) == 0, "fake aws started");
    ok(fakeprov_start(&gh, "github", gh_keys, tmpdir) == 0, "fake github started");
    struct verify_config c = {.alibaba_endpoint = ali.url, .aws_sts_endpoint = aws.url,
                              .github_api = gh.url, .rate = 100, .recheck_after = RECHECK};
    struct verifier *v = verifier_new(&c);

    int64_t a = record(st, "alibaba-accesskey-id", ALI_LIVE, ALI_SECRET, 1);
    int64_t b = record(st, "alibaba-accesskey-id", ALI_OTHER, "WrongSecretForOther00000000000", 2);
    int64_t nos = record(st, "alibaba-accesskey-id", ALI_OTHER, NULL, 3);
    int64_t db_ = record(st, "mysql-url", NULL, "mysql://root:pw@db/x", 4);
    int64_t idonly = record(st, "alibaba-accesskey-id", ALI_LIVE, ALI_LIVE, 5);
    int64_t aw = record(st, "aws-access-key-id", AWS_LIVE, AWS_SECRET, 6);
    int64_t g = record(st, "github-token", NULL, GH_TOKEN, 7);
    ok(a > 0 && b > 0 && nos > 0 && db_ > 0 && idonly > 0 && aw > 0 && g > 0,
       "seven leaks recorded");

    /* given no stored outcome, when verified, then checked and stored */
    is_int(run(v, st, a, NULL, 0, &o), VERIFY_CHECKED, "alibaba pair: checked");
    is_int(o.state, VERIFY_LIVE, "alibaba pair: live");
    struct leak l;
    store_leak_get(st, a, &l, NULL);
    is_str(l.verified, "live", "leak.verified reads live from the store");
    is_int(l.verified_at, T0, "leak.verified_at is read with the leak");
    ok(l.verified_identity && strstr(l.verified_identity, "3 regions") && !l.verify_error,
       "leak.verified_identity is read with the leak");
    leak_done(&l);
    struct leak_verification lv;
    store_verify_get(st, a, &lv, NULL);
    is_int(lv.checked_at, T0, "verified_at is AKWATCH_NOW");
    ok(lv.identity && strstr(lv.identity, "cn-qingdao"), "verified_identity stored");
    leak_verification_done(&lv);

    is_int(run(v, st, b, NULL, 0, &o), VERIFY_CHECKED, "wrong secret: checked");
    is_int(o.state, VERIFY_INVALID, "wrong secret: invalid");
    ok(strstr(o.error, "SignatureDoesNotMatch") != NULL, "wrong secret: the code is kept");
    is_int(run(v, st, nos, NULL, 0, &o), VERIFY_SKIP_NO_SECRET,
           "secret not stored and none in hand: skipped");
    is_int(run(v, st, nos, ALI_SECRET, 0, &o), VERIFY_CHECKED,
           "secret not stored but in hand (scan): checked");
    is_int(o.state, VERIFY_LIVE, "in-hand secret: live");
    is_int(run(v, st, db_, NULL, 0, &o), VERIFY_SKIP_UNSUPPORTED, "database URL: no verifier");
    long before = verifier_requests(v, VERIFY_PROVIDER_ALIBABA);
    is_int(run(v, st, idonly, NULL, 0, &o), VERIFY_SKIP_UNSUPPORTED,
           "an AccessKey ID without its secret: not verifiable");
    is_int(verifier_requests(v, VERIFY_PROVIDER_ALIBABA), before, "... and nothing was sent");
    is_int(run(v, st, aw, NULL, 0, &o), VERIFY_CHECKED, "aws pair: checked");
    is_int(o.state, VERIFY_LIVE, "aws pair: live");
    is_int(run(v, st, g, NULL, 0, &o), VERIFY_CHECKED, "github token: checked");
    ok(o.state == VERIFY_LIVE && strstr(o.identity, "leaky-bot"),
       "github token: live as leaky-bot");

    /* the cache: per leak (= per fingerprint), fresh for recheck_after */
    before = verifier_requests(v, VERIFY_PROVIDER_ALIBABA);
    set_now(T0 + RECHECK - 1);
    is_int(run(v, st, a, NULL, 0, &o), VERIFY_CACHED, "within recheck_after: from the cache");
    ok(o.state == VERIFY_LIVE && o.checked_at == T0 && strstr(o.identity, "cn-qingdao"),
       "cached outcome carries state, time and identity");
    is_int(verifier_requests(v, VERIFY_PROVIDER_ALIBABA), before, "cache: nothing sent");
    is_int(run(v, st, a, NULL, 1, &o), VERIFY_CHECKED, "--force: checked anyway");
    is_int(o.checked_at, T0 + RECHECK - 1, "--force: new checked time");
    set_now(T0 + 2 * RECHECK - 1);
    is_int(run(v, st, a, NULL, 0, &o), VERIFY_CHECKED, "recheck_after elapsed: checked again");
    is_int(verifier_requests(v, VERIFY_PROVIDER_ALIBABA), before + 2, "two requests in all");

    /* due list: at T0 + 2*RECHECK - 1 everything checked at or before T0 is due */
    int64_t *ids;
    size_t n;
    store_verify_due(st, T0, 0, &ids, &n, NULL);
    int has_a = 0, has_nos = 0, has_db = 0;
    for (size_t i = 0; i < n; i++)
        has_a |= ids[i] == a, has_nos |= ids[i] == nos, has_db |= ids[i] == db_;
    ok(!has_a && has_nos && has_db, "due list: the just-checked leak is not due, others are");
    free(ids);
    store_verify_due(st, T0, 1 << LEAK_STATUS_HANDLED, &ids, &n, NULL);
    is_int(n, 0, "due list: status mask (no handled leak)");
    free(ids);

    /* a change of verdict is audited once; an unchanged recheck adds no row */
    is_int(audit_count(st, a, "verified-live", ALI_SECRET, GH_TOKEN, &seen), 1,
           "audit: one verified-live row after three live checks");
    struct verify_config c2 = c;
    c2.alibaba_endpoint = "http://127.0.0.1:1"; /* the provider cannot be reached */
    struct verifier *down = verifier_new(&c2);
    set_now(T0 + 4 * RECHECK);
    is_int(run(down, st, a, NULL, 0, &o), VERIFY_CHECKED, "provider down: checked");
    is_int(o.state, VERIFY_UNKNOWN, "provider down: unknown");
    is_int(audit_count(st, a, "verified-unknown", ALI_SECRET, GH_TOKEN, &seen), 1,
           "audit: the change to unknown is recorded");
    set_now(T0 + 4 * RECHECK + RECHECK / 10 - 1);
    is_int(run(down, st, a, NULL, 0, &o), VERIFY_CACHED,
           "unknown: cached for a tenth of the interval");
    set_now(T0 + 4 * RECHECK + RECHECK / 10);
    is_int(run(v, st, a, NULL, 0, &o), VERIFY_CHECKED, "unknown: then asked again");
    is_int(o.state, VERIFY_LIVE, "... and live again");
    is_int(audit_count(st, a, "verified-live", ALI_SECRET, GH_TOKEN, &seen), 2,
           "audit: back to live is a second row");
    verifier_free(down);
    ok(!seen, "no secret or token in any audit note");

    /* the list filter by verification state (TUI, list) */
    static const struct {
        int bits;
        long want;
    } by_state[] = {
        {LEAK_VERIFIED_LIVE, 4}, {LEAK_VERIFIED_INVALID, 1}, {LEAK_VERIFIED_UNKNOWN, 0},
        {LEAK_VERIFIED_NONE, 2}, {LEAK_VERIFIED_LIVE | LEAK_VERIFIED_INVALID, 5},
        {LEAK_VERIFIED_ANY, 7}, {0, 7},
        {LEAK_VERIFIED_LIVE | (1 << LEAK_STATUS_HANDLED), 0},
        {LEAK_VERIFIED_LIVE | (1 << LEAK_STATUS_UNHANDLED), 4},
    };
    for (size_t i = 0; i < sizeof by_state / sizeof by_state[0]; i++) {
        struct leak_filter f = {.status_mask = by_state[i].bits};
        long cnt = -1;
        store_leak_count(st, &f, &cnt, NULL);
        is_int(cnt, by_state[i].want, "filter mask 0x%x: count", by_state[i].bits);
    }
    struct leak_filter fl = {.status_mask = LEAK_VERIFIED_INVALID, .ak_prefix = "ltai5tother"};
    struct leak page[4];
    size_t np = 0;
    store_leak_page(st, &fl, 0, 4, page, &np, NULL);
    ok(np == 1 && page[0].id == b && strcmp(page[0].verified, "invalid") == 0,
       "filter verified invalid with an AK prefix: the wrong-secret leak");
    for (size_t i = 0; i < np; i++)
        leak_done(&page[i]);

    struct akw_err err;
    enum verify_how how;
    is_int(verify_leak(v, st, 999999, NULL, 0, "t", &o, &how, &err), AKW_ERR_NOTFOUND,
           "unknown leak id: not found");
    is_int(store_verify_set(st, 999999, "live", T0, NULL, NULL, "t", NULL, &err),
           AKW_ERR_NOTFOUND, "store_verify_set on a missing leak: not found");

    /* a background job (TUI re-check): the caller polls a pipe, never the network */
    int pfd[2];
    struct verify_job *job;
    if (pipe(pfd) == 0 &&
        verify_job_start(&c, db, a, 1, "tui-user", pfd[1], &job, &err) == AKW_OK) {
        struct pollfd pf = {.fd = pfd[0], .events = POLLIN};
        char byte;
        ok(poll(&pf, 1, 30000) == 1 && read(pfd[0], &byte, 1) == 1,
           "job: the wake-up byte arrives");
        enum verify_how jh = 99;
        ok(verify_job_done(job, &o, &jh, &err) == 1, "job: done after the wake-up");
        ok(err.code == AKW_OK && jh == VERIFY_CHECKED && o.state == VERIFY_LIVE,
           "job: checked, live");
        verify_job_free(job);
        ok(verify_job_start(&c, db, 999999, 0, NULL, pfd[1], &job, &err) == AKW_OK,
           "job: started for a missing leak");
        ok(poll(&pf, 1, 30000) == 1 && read(pfd[0], &byte, 1) == 1 &&
               verify_job_done(job, NULL, NULL, &err) == 1,
           "job: done");
        is_int(err.code, AKW_ERR_NOTFOUND, "job: the error is reported, not lost");
        verify_job_free(job);
        close(pfd[0]);
        close(pfd[1]);
    } else {
        ok(0, "job started");
    }

    char *l1 = fakeprov_log(&ali), *l2 = fakeprov_log(&aws);
    ok(!strstr(l1, ALI_SECRET) && !strstr(l2, AWS_SECRET), "AK secrets never on the wire");
    free(l1), free(l2);

    verifier_free(v);
    store_close(st);
    fakeprov_stop(&ali);
    fakeprov_stop(&aws);
    fakeprov_stop(&gh);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        return 1;
    return done_testing();
}
