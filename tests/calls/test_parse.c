/* test_parse — the calls parsers without a store: access-log lines, trail events, the
 * Records splitter fed in awkward chunk sizes, and query masking. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "calls/calls_int.h"
#include "tap.h"

// clang-format off
static const struct {
    const char *line;
    int rc;
    const char *ip, *method, *path, *ak, *ua, *at;
    int status;
} lines[] = {
    {"203.0.113.9 - - [01/Mar/2026:10:00:00 +0800] \"GET /config/application.properties HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"",
     0, "203.0.113.9", "GET", "/config/application.properties", NULL, "curl/8.0", "2026-03-01T02:00:00Z", 200},
    {"198.51.100.7 - bob [01/Mar/2026:10:00:00 -0500] \"GET /?Action=DescribeRegions&AccessKeyId=LTAI5tAbCdEfGhIjKlMnOpQr&Signature=abc%2Bdef HTTP/1.1\" 200 10 \"https://x/\" \"aliyun-sdk\"",
     0, "198.51.100.7", "GET", "/", "LTAI5tAbCdEfGhIjKlMnOpQr", "aliyun-sdk", "2026-03-01T15:00:00Z", 200},
    {"::1 - - [02/Mar/2026:00:00:01 +0000] \"GET /b.txt?X-Amz-Credential=AKIAABCDEFGHIJKLMNOP%2F20260302%2Fus-east-1%2Fs3%2Faws4_request HTTP/2.0\" 403 0 \"-\" \"Mozilla/5.0 (X11; \\\"quoted\\\")\"",
     0, "::1", "GET", "/b.txt", "AKIAABCDEFGHIJKLMNOP", "Mozilla/5.0 (X11; \"quoted\")", "2026-03-02T00:00:01Z", 403},
    {"10.0.0.1 - - [02/Mar/2026:00:00:01 +0000] \"GET /a%20b/.env HTTP/1.1\" 404 0",
     0, "10.0.0.1", "GET", "/a b/.env", NULL, NULL, "2026-03-02T00:00:01Z", 404},
    {"10.0.0.1 - - [02/Mar/2026:00:00:01 +0000] \"GET http://example.com/x/y.php?q=1 HTTP/1.1\" 200 1 \"-\" \"ua\"",
     0, "10.0.0.1", "GET", "/x/y.php", NULL, "ua", "2026-03-02T00:00:01Z", 200},
    {"10.0.0.1 - - [02/Mar/2026:00:00:01 +0000] \"\\x16\\x03\\x01\" 400 0 \"-\" \"-\"",
     0, "10.0.0.1", NULL, NULL, NULL, "-", "2026-03-02T00:00:01Z", 400},
    {"garbage line without structure", -1, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"10.0.0.1 - - [32/Foo/2026:00:00:01 +0000] \"GET / HTTP/1.1\" 200 1", -1, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"10.0.0.1 - - [02/Mar/2026:00:00:01 +0000] \"GET / HTTP/1.1", -1, NULL, NULL, NULL, NULL, NULL, NULL, 0},
    {"10.0.0.1 - - [02/Mar/2026:00:00:01 +0000] \"GET / HTTP/1.1\" abc 1", -1, NULL, NULL, NULL, NULL, NULL, NULL, 0},
};

static const struct {
    const char *json;
    int rc;
    const char *kind, *ak, *ip, *action, *id, *why;
} events[] = {
    {"{\"eventId\":\"e1\",\"eventName\":\"DescribeInstances\",\"eventSource\":\"ecs.aliyuncs.com\","
     "\"eventTime\":\"2026-03-01T10:00:00Z\",\"serviceName\":\"Ecs\",\"sourceIpAddress\":\"1.2.3.4\","
     "\"userAgent\":\"aliyun-cli\",\"userIdentity\":{\"accessKeyId\":\"LTAI5tX\",\"type\":\"ram-user\"}}",
     0, "actiontrail", "LTAI5tX", "1.2.3.4", "Ecs:DescribeInstances", "e1", NULL},
    {"{\"eventVersion\":\"1.08\",\"eventID\":\"c-9\",\"eventName\":\"GetCallerIdentity\","
     "\"eventSource\":\"sts.amazonaws.com\",\"awsRegion\":\"us-east-1\",\"eventTime\":\"2026-03-01T10:00:00Z\","
     "\"sourceIPAddress\":\"5.6.7.8\",\"userIdentity\":{\"type\":\"IAMUser\",\"accessKeyId\":\"AKIAX\"}}",
     0, "cloudtrail", "AKIAX", "5.6.7.8", "sts:GetCallerIdentity", "c-9", NULL},
    {"{\"eventName\":\"ConsoleLogin\",\"eventTime\":\"2026-03-01T10:00:00Z\",\"userIdentity\":{}}",
     0, "actiontrail", NULL, NULL, "ConsoleLogin", NULL, NULL},
    {"{\"eventName\":\"X\",\"eventTime\":\"2026-03-01T10:00", -1, NULL, NULL, NULL, NULL, NULL, "truncated JSON"},
    {"{\"eventName\":\"X\"}", -1, NULL, NULL, NULL, NULL, NULL, "missing eventTime"},
    {"{\"eventTime\":\"yesterday\",\"eventName\":\"X\"}", -1, NULL, NULL, NULL, NULL, NULL, "bad eventTime"},
    {"{\"eventTime\":\"2026-03-01T10:00:00Z\"}", -1, NULL, NULL, NULL, NULL, NULL, "missing eventName"},
    {"[1,2]", -1, NULL, NULL, NULL, NULL, NULL, "event is not a JSON object"},
    {"{\"a\":1} {\"b\":2}", -1, NULL, NULL, NULL, NULL, NULL, "trailing data after the JSON event"},
    {"{nope}", -1, NULL, NULL, NULL, NULL, NULL, "invalid JSON"},
    {"{\"__topic__\":\"actiontrail_audit_event\",\"__source__\":\"actiontrail\",\"event\":"
     "\"{\\\"eventId\\\":\\\"sls-1\\\",\\\"eventName\\\":\\\"ListBuckets\\\",\\\"serviceName\\\":\\\"Oss\\\","
     "\\\"eventTime\\\":\\\"2026-03-01T10:00:00Z\\\",\\\"sourceIpAddress\\\":\\\"9.9.9.9\\\","
     "\\\"userIdentity\\\":{\\\"accessKeyId\\\":\\\"LTAI5tSLS\\\"}}\"}",
     0, "actiontrail", "LTAI5tSLS", "9.9.9.9", "Oss:ListBuckets", "sls-1", NULL},
    {"{\"__topic__\":\"actiontrail_audit_event\",\"event\":{\"eventName\":\"GetUser\","
     "\"serviceName\":\"Ram\",\"eventTime\":\"2026-03-01T10:00:00Z\",\"userIdentity\":{\"accessKeyId\":\"LTAI5tO\"}}}",
     0, "actiontrail", "LTAI5tO", NULL, "Ram:GetUser", NULL, NULL},
    {"{\"__topic__\":\"x\",\"event\":\"{broken\"}", -1, NULL, NULL, NULL, NULL, NULL,
     "invalid JSON in the event field"},
};
// clang-format on

static time_t
at(const char *iso)
{
    time_t t = 0;
    akw_time_parse(iso, &t);
    return t;
}

static void
test_lines(void)
{
    struct buf scratch;
    buf_init(&scratch);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char *copy = xstrdup(lines[i].line);
        struct calls_event ev;
        const char *why = NULL;
        int rc = accesslog_parse(copy, strlen(copy), &scratch, &ev, &why);
        is_int(rc, lines[i].rc, "access line %zu parses as expected (%s)", i, why ? why : "ok");
        if (rc == 0) {
            ok(strcmp(ev.source_ip, lines[i].ip) == 0 && ev.at == at(lines[i].at)
                   && ev.status == lines[i].status,
               "line %zu: ip, time with zone offset, status", i);
            is_str(ev.path, lines[i].path, "line %zu: decoded path", i);
            is_str(ev.method, lines[i].method, "line %zu: method", i);
            is_str(ev.ak_id, lines[i].ak, "line %zu: AK ID from the query", i);
            is_str(ev.user_agent, lines[i].ua, "line %zu: user agent", i);
        }
        free(copy);
    }
    buf_done(&scratch);
}

static void
test_events(void)
{
    struct trail_parser *tp = trail_parser_new();
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        struct calls_event ev;
        const char *why = NULL;
        int rc = trail_parse(tp, events[i].json, strlen(events[i].json), &ev, &why);
        is_int(rc, events[i].rc, "event %zu parses as expected", i);
        if (rc == 0) {
            is_str(ev.kind, events[i].kind, "event %zu: kind", i);
            is_str(ev.ak_id, events[i].ak, "event %zu: accessKeyId", i);
            is_str(ev.source_ip, events[i].ip, "event %zu: source IP (either spelling)", i);
            is_str(ev.action, events[i].action, "event %zu: action", i);
            is_str(ev.event_id, events[i].id, "event %zu: event id (either spelling)", i);
            is_int(ev.at, at("2026-03-01T10:00:00Z"), "event %zu: time", i);
        } else {
            is_str(why, events[i].why, "event %zu: reason", i);
        }
    }
    trail_parser_free(tp);
}

struct got {
    struct buf names;
    struct buf bad;
};

static void
on_elem(void *user, const char *s, size_t n, long line)
{
    struct got *g = user;
    buf_printf(&g->names, "%ld:%.*s|", line, (int)(n > 12 ? 12 : n), s);
}

static void
on_bad(void *user, long line, const char *why)
{
    struct got *g = user;
    buf_printf(&g->bad, "%ld:%s|", line, why);
}

static void
split(const char *doc, size_t chunk, struct got *g)
{
    buf_init(&g->names);
    buf_init(&g->bad);
    struct records_splitter *sp = records_splitter_new(on_elem, on_bad, g);
    for (size_t i = 0, n = strlen(doc); i < n; i += chunk)
        records_splitter_feed(sp, doc + i, n - i < chunk ? n - i : chunk);
    records_splitter_finish(sp);
    records_splitter_free(sp);
}

static void
test_splitter(void)
{
    const char *doc = "{\"Records\": [\n {\"a\":\"}{]\\\"\"},\n {\"b\":[{}]} ,\n 42,\n {\"c\":1}\n]}";
    size_t sizes[] = {1, 2, 3, 7, 1000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct got g;
        split(doc, sizes[i], &g);
        is_str(g.names.data, "2:{\"a\":\"}{]\\\"\"|3:{\"b\":[{}]}|5:{\"c\":1}|",
               "elements with braces in strings, chunk size %zu", sizes[i]);
        is_str(g.bad.data, "4:unexpected character in the Records array|",
               "a stray value is reported with its line, chunk size %zu", sizes[i]);
        buf_done(&g.names);
        buf_done(&g.bad);
    }
    struct got g;
    split("{\"Records\":[{\"a\":1},\n{\"b\":", 5, &g);
    is_str(g.names.data, "1:{\"a\":1}|", "complete element before truncation");
    is_str(g.bad.data, "2:truncated JSON (the file ends inside an event)|", "truncation reported");
    buf_done(&g.names);
    buf_done(&g.bad);
    split("[{\"a\":1}", 5, &g);
    is_str(g.bad.data, "1:truncated JSON (the Records array is not closed)|", "unclosed array");
    buf_done(&g.names);
    buf_done(&g.bad);
}

static void
test_mask(void)
{
    char *m = calls_mask_query("/p?AccessKeyId=LTAI1&Signature=abc&x=1&X-Amz-Security-Token=t#f");
    is_str(m, "/p?AccessKeyId=LTAI1&Signature=****&x=1&X-Amz-Security-Token=****",
           "signature and token values masked, the rest kept");
    free(m);
    m = calls_mask_query("/plain/path");
    is_str(m, "/plain/path", "no query: unchanged");
    free(m);
}

int
main(void)
{
    test_lines();
    test_events();
    test_splitter();
    test_mask();
    return done_testing();
}
