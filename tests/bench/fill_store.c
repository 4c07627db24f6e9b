/* fill_store — build a store through the store API, for the export tests and benchmarks.
 *   fill_store DB N [L]  N synthetic leaks with 1..L locations each (default 1: N findings,
 *                        N leaks); mixed kinds, severities, statuses, owned; deterministic,
 *                        with a few whitelist and audit rows
 *   fill_store DB --fixture
 *                        a small store of awkward cases: CJK paths, formula-leading notes,
 *                        invalid UTF-8 and control characters in a snippet, no AK ID,
 *                        missing times, a handled, a whitelisted leak, and the raw secret
 *                        "LTAI5tRAWSECRETplantedXYZ" stored (opt-in) to prove exports omit it;
 *                        two suspicious calls and three alerts
 * Times are fixed (2026-01-..), so two runs give the same store. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/util.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */

static struct store *st;

static void
die(const char *what, const struct akw_err *e)
{
    fprintf(stderr, "fill_store: %s: %s\n", what, e->msg);
    exit(2);
}

static void
fingerprint(unsigned long n, char out[65])
{
    unsigned char b[32];
    unsigned long x = n * 2654435761UL + 12345;
    for (int i = 0; i < 32; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        b[i] = (unsigned char)(x >> 24);
    }
    hex_encode(b, 32, out);
}

static int64_t
record(struct leak *l, struct location *loc)
{
    struct akw_err e = {0};
    struct store_record_result r;
    if (store_record(st, l, loc, &r, &e) != AKW_OK)
        die("record", &e);
    return r.leak_id;
}

static const char *const kinds[] = {"alibaba-accesskey", "aws-accesskey", "mysql-url",
                                    "tencent-secretid", "redis-password"};

static void
synthetic(long n, int max_loc)
{
    struct akw_err e = {0};
    char ak[32], masked[64], path[128], url[256], commit[41], snippet[160];
    store_begin(st, &e);
    for (long i = 0; i < n; i++) {
        struct leak l = {0};
        fingerprint((unsigned long)i, l.fingerprint);
        snprintf(ak, sizeof ak, "LTAI5t%018ld", i);
        snprintf(masked, sizeof masked, "LTAI5t****************%04ld", i % 10000);
        l.rule = (char *)kinds[i % 5];
        l.kind = (char *)kinds[i % 5];
        l.description = (char *)"synthetic leak";
        l.ak_id = ak;
        l.secret_masked = masked;
        l.severity = (enum severity)(1 + i % 4);
        l.owned = i % 3 == 0;
        l.first_seen = T0 + i;
        int nloc = 1 + (int)(i % max_loc);
        for (int k = 0; k < nloc; k++) {
            struct location loc = {0};
            snprintf(path, sizeof path, "config/app%d/application-%ld.properties", k, i);
            snprintf(commit, sizeof commit, "%040ld", i * 3 + k);
            snprintf(url, sizeof url, "https://github.com/acme/repo%ld/blob/%s/%s", i % 97,
                     commit, path);
            snprintf(snippet, sizeof snippet, "aliyun.accessKeySecret=%s", masked);
            loc.platform = (char *)"github";
            loc.repo = (char *)"acme/repo";
            loc.path = path;
            loc.line = 10 + k;
            loc.column = 5;
            loc.commit = commit;
            loc.url = url;
            loc.author = (char *)"dev@example.com";
            loc.committed_at = T0 + i - 60;
            loc.found_at = T0 + i + k;
            loc.snippet = snippet;
            record(&l, &loc);
        }
        if ((i + 1) % 20000 == 0) {
            if (store_commit(st, &e) != AKW_OK || store_begin(st, &e) != AKW_OK)
                die("commit", &e);
        }
    }
    if (store_commit(st, &e) != AKW_OK)
        die("commit", &e);
    /* a few decisions so the audit and whitelist sheets are not empty */
    for (long id = 1; id <= n && id <= 50; id += 7)
        if (store_handle(st, id, id % 2 ? TRIAGE_DELETED : TRIAGE_WHITELISTED, "bench", "bench",
                         &e) != AKW_OK)
            die("handle", &e);
}

/* Two suspicious calls with the first key and three alerts: sent, suppressed, pending. */
static void
fixture_calls_alerts(void)
{
    struct akw_err e = {0};
    int64_t call_id = 0;
    struct call c = {0};
    c.leak_id = 1;
    c.ak_id = (char *)"LTAI5tFixtureOne0000001";
    c.at = T0 + 5400;
    c.source_ip = (char *)"198.51.100.7";
    c.action = (char *)"DescribeInstances";
    c.user_agent = (char *)"aliyun-cli/3.0";
    c.source_file = (char *)"actiontrail-2026-01-01.json";
    c.source_line = 1;
    c.kind = (char *)"actiontrail";
    c.event_key = (char *)"evt-0001";
    if (store_call_add(st, &c, &call_id, &e) != AKW_OK)
        die("call", &e);
    c.at = T0 + 5500;
    c.action = (char *)"GET";
    c.url = (char *)"/src/main/resources/application.properties";
    c.user_agent = (char *)"+curl/8.0 \"scanner\"";
    c.source_file = (char *)"access.log";
    c.source_line = 42;
    c.kind = (char *)"access_log";
    c.event_key = (char *)"access.log:42";
    if (store_call_add(st, &c, NULL, &e) != AKW_OK)
        die("call", &e);

    struct alert a = {.leak_id = 1, .type = ALERT_TYPE_LEAK, .state = ALERT_SENT,
                      .created_at = T0 + 3600, .sent_at = T0 + 3601,
                      .channel = (char *)"webhook,bell", .attempts = 1};
    if (store_alert_add(st, &a, NULL, &e) != AKW_OK)
        die("alert", &e);
    a = (struct alert){.leak_id = 2, .type = ALERT_TYPE_LEAK, .state = ALERT_SUPPRESSED,
                       .created_at = T0 + 86400,
                       .suppressed_reason = (char *)"outside window 08:00-20:00"};
    if (store_alert_add(st, &a, NULL, &e) != AKW_OK)
        die("alert", &e);
    a = (struct alert){.call_id = call_id, .leak_id = 1, .type = ALERT_TYPE_CALL,
                       .state = ALERT_FAILED, .created_at = T0 + 5400, .attempts = 3,
                       .last_error = (char *)"webhook: HTTP 500"};
    if (store_alert_add(st, &a, NULL, &e) != AKW_OK)
        die("alert", &e);
}

static void
fixture(void)
{
    struct akw_err e = {0};
    struct leak l = {0};
    struct location loc = {0};

    /* 1: an Alibaba pair seen in two places, raw secret stored (opt-in) */
    fingerprint(1, l.fingerprint);
    l.rule = (char *)"alibaba-accesskey-pair";
    l.kind = (char *)"alibaba-accesskey";
    l.description = (char *)"Alibaba Cloud AccessKey ID and Secret";
    l.ak_id = (char *)"LTAI5tFixtureOne0000001";
    l.secret_masked = (char *)"LTAI5t****************XYZ";
    l.secret = (char *)"LTAI5tRAWSECRETplantedXYZ";
    l.severity = SEVERITY_CRITICAL;
    l.owned = 1;
    l.first_seen = T0 + 3600;
    loc.platform = (char *)"github";
    loc.repo = (char *)"acme/web";
    loc.path = (char *)"src/main/resources/application.properties";
    loc.line = 12, loc.column = 24;
    loc.commit = (char *)"0123456789abcdef0123456789abcdef01234567";
    loc.url = (char *)"https://github.com/acme/web/blob/0123456789abcdef0123456789abcdef01234567/"
                      "src/main/resources/application.properties#L12";
    loc.author = (char *)"Zhang San <zs@example.com>";
    loc.committed_at = T0 + 1800;
    loc.found_at = T0 + 3600;
    loc.snippet = (char *)"aliyun.secret=LTAI5t****************XYZ";
    record(&l, &loc);
    loc.repo = (char *)"acme/配置";
    loc.path = (char *)"部署/生产环境.yml";
    loc.url = (char *)"https://github.com/acme/config/blob/main/deploy.yml#L3";
    loc.line = 3;
    loc.found_at = T0 + 7200;
    loc.snippet = (char *)"bad utf8 \xff\xfe and ctrl \x01 end";
    record(&l, &loc);

    /* 2: a database URL, no AK ID, local file, no commit / url / times */
    memset(&l, 0, sizeof l);
    memset(&loc, 0, sizeof loc);
    fingerprint(2, l.fingerprint);
    l.rule = (char *)"mysql-url";
    l.kind = (char *)"mysql-url";
    l.description = (char *)"MySQL URL with password, \"quoted\", comma";
    l.secret_masked = (char *)"mysql://app:****@rm-acme.mysql.rds.aliyuncs.com/db";
    l.severity = SEVERITY_HIGH;
    l.first_seen = T0 + 86400;
    loc.platform = (char *)"local";
    loc.repo = (char *)"/srv/app";
    loc.path = (char *)"=cmd|' /C calc'!A0.env";
    loc.line = 1, loc.column = 1;
    loc.found_at = T0 + 86400;
    loc.snippet = (char *)"DB=mysql://app:****@rm-acme.mysql.rds.aliyuncs.com/db";
    int64_t id2 = record(&l, &loc);

    /* 3: an AWS key, later whitelisted; 4: low severity, medium, handled as disabled */
    memset(&l, 0, sizeof l);
    fingerprint(3, l.fingerprint);
    l.rule = l.kind = (char *)"aws-accesskey";
    l.description = (char *)"AWS access key";
    l.ak_id = (char *)"AKIAFIXTURE000000003";
    l.secret_masked = (char *)"AKIA****0003";
    l.severity = SEVERITY_MEDIUM;
    l.first_seen = T0 + 2 * 86400;
    loc.platform = (char *)"git";
    loc.repo = (char *)"/home/dev/proj";
    loc.path = (char *)"-leading-dash.txt";
    loc.commit = (char *)"fedcba9876543210fedcba9876543210fedcba98";
    loc.committed_at = T0 + 2 * 86400 - 100;
    loc.found_at = T0 + 2 * 86400;
    loc.snippet = (char *)"aws_access_key_id = AKIA****0003";
    record(&l, &loc);
    fingerprint(4, l.fingerprint);
    l.rule = l.kind = (char *)"tencent-secretid";
    l.description = (char *)"Tencent Cloud SecretId";
    l.ak_id = (char *)"AKIDFIXTURE4";
    l.secret_masked = (char *)"AKID****4";
    l.severity = SEVERITY_LOW;
    l.first_seen = T0 + 3 * 86400;
    loc.found_at = T0 + 3 * 86400;
    loc.path = (char *)"tencent.ini";
    int64_t id4 = record(&l, &loc);

    if (store_handle(st, id2, TRIAGE_DELETED, "=HYPERLINK(\"http://evil\",\"x\")", "alice", &e))
        die("handle", &e);
    if (store_handle(st, id4, TRIAGE_DISABLED, "禁用于控制台, rotated", "bob", &e))
        die("handle", &e);
    if (store_whitelist_add(st, "AKIAFIXTURE000000003", "test account", "carol", &e))
        die("whitelist", &e);
    fixture_calls_alerts();
}

int
main(int argc, char **argv)
{
    struct akw_err e = {0};
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: fill_store DB N [MAX_LOCATIONS] | fill_store DB --fixture\n");
        return 2;
    }
    if (store_open(argv[1], 0, &st, &e) != AKW_OK)
        die(argv[1], &e);
    if (strcmp(argv[2], "--fixture") == 0)
        fixture();
    else
        synthetic(atol(argv[2]), argc > 3 && atoi(argv[3]) > 0 ? atoi(argv[3]) : 1);
    store_close(st);
    return 0;
}
