/* test_notify — alerts end to end on a real store in a temp folder: a webhook receiver on
 * 127.0.0.1 (tests/notify/receiver.py), fixed clocks through AKWATCH_NOW inside and outside
 * windows (overnight, DST), retry, the command hook, digest mode, call alerts, and the raw
 * secret absent from every channel. */
#include "config.h"

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/conf.h"
#include "notify/notify.h"
#include "store/store.h"
#include "tap.h"

#define RAW_SECRET "Zx9RawSecretValue0123456789abcdef"
#define MASKED "Zx9R****cdef"

extern char **environ;

static char dir[64];
static struct store *st;
static pid_t receiver = -1;
static char url[128], capture[128];
static int leak_seq;

static void
receiver_start(int fail_first)
{
    if (receiver > 0) {
        kill(receiver, SIGTERM);
        waitpid(receiver, NULL, 0);
    }
    char portfile[128], fails[16];
    snprintf(portfile, sizeof portfile, "%s/port", dir);
    snprintf(capture, sizeof capture, "%s/capture", dir);
    snprintf(fails, sizeof fails, "%d", fail_first);
    unlink(portfile);
    unlink(capture);
    char *script = xasprintf("%s/tests/notify/receiver.py", AKW_SRCDIR);
    char *argv[] = {(char *)"/usr/bin/python3", script, portfile, capture, fails, NULL};
    if (posix_spawn(&receiver, argv[0], NULL, NULL, argv, environ) != 0) {
        printf("Bail out! cannot start the receiver\n");
        exit(1);
    }
    free(script);
    for (int i = 0; i < 1000 && access(portfile, F_OK) != 0; i++) /* a guard, not a timing */
        usleep(10000);
    char *port = NULL;
    size_t n;
    if (fs_read_all(portfile, &port, &n, NULL) != AKW_OK) {
        printf("Bail out! receiver did not start\n");
        exit(1);
    }
    /* the path token stands for the secret part of a real hook URL */
    snprintf(url, sizeof url, "http://127.0.0.1:%s/hook/T0KEN-IN-PATH", port);
    free(port);
}

/* Requests the receiver got so far; *last gets the last line (caller frees) when wanted. */
static int
received(char **last)
{
    char *text = NULL;
    size_t n = 0;
    if (last)
        *last = NULL;
    if (fs_read_all(capture, &text, &n, NULL) != AKW_OK)
        return 0;
    int lines = 0;
    char *start = text;
    for (char *p = text; *p; p++)
        if (*p == '\n') {
            lines++;
            if (last && p[1] == '\0') {
                free(*last);
                *last = xstrndup(start, (size_t)(p - start));
            }
            start = p + 1;
        }
    free(text);
    return lines;
}

static void
now(const char *iso)
{
    setenv("AKWATCH_NOW", iso, 1);
}

static void
cfg_set(struct config *c, const char *window, const char *days, const char *tz)
{
    config_init(c);
    c->window = window ? xstrdup(window) : NULL;
    c->days = days ? xstrdup(days) : NULL;
    c->tz = tz ? xstrdup(tz) : NULL;
    c->webhook = xstrdup(url);
    c->bell = 1;
}

static struct notify *
make(struct config *c)
{
    struct notify *n = NULL;
    struct akw_err err = {0};
    if (notify_new(c, &n, &err) != AKW_OK)
        printf("# notify_new: %s\n", err.msg);
    config_done(c);
    return n;
}

/* Record a fresh leak and pass it to notify; returns the alert id (0 = none). */
static int64_t
found(struct notify *n, int owned, struct store_record_result *res_out)
{
    char fp[65], ak[32];
    snprintf(fp, sizeof fp, "fp-notify-%d", ++leak_seq);
    snprintf(ak, sizeof ak, "LTAI5tNotifyTest%08d", leak_seq);
    struct leak l = {.rule = (char *)"alibaba-access-key", .kind = (char *)"alibaba",
                     .ak_id = ak, .secret_masked = (char *)MASKED, .secret = (char *)RAW_SECRET,
                     .severity = SEVERITY_CRITICAL, .owned = owned};
    snprintf(l.fingerprint, sizeof l.fingerprint, "%s", fp);
    struct location loc = {.platform = (char *)"github", .repo = (char *)"acme/app",
                           .path = (char *)"config/application.properties", .line = 3,
                           .url = (char *)"https://github.com/acme/app/blob/main/x",
                           .snippet = (char *)"secret=" MASKED, .found_at = akw_now()};
    struct store_record_result res = {0};
    struct akw_err err = {0};
    if (store_record(st, &l, &loc, &res, &err) != AKW_OK)
        printf("# store_record: %s\n", err.msg);
    int64_t id = 0;
    if (notify_leak_found(n, st, &l, &loc, &res, &id, &err) != AKW_OK)
        printf("# notify_leak_found: %s\n", err.msg);
    if (res_out)
        *res_out = res;
    return id;
}

static struct alert
alert_get(int64_t id)
{
    struct alert_filter f = {.after_id = id - 1, .limit = 1, .oldest_first = 1};
    struct alert *a = NULL;
    size_t n = 0;
    struct alert out = {0};
    if (store_alert_list(st, &f, &a, &n, NULL) == AKW_OK && n == 1 && a[0].id == id) {
        out = a[0];
        memset(&a[0], 0, sizeof a[0]);
    }
    store_alerts_free(a, n);
    return out;
}

static int
has(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

static void
test_window_decides(void)
{
    struct config c;
    struct alert a;
    char *last;
    receiver_start(0);
    notify_bell_take();

    cfg_set(&c, "08:00-20:00", NULL, "UTC");
    struct notify *n = make(&c);
    now("2026-03-02T10:00:00Z");
    int64_t id = found(n, 0, NULL);
    a = alert_get(id);
    ok(id > 0 && a.state == ALERT_SENT, "inside the window: sent");
    is_int(a.sent_at, akw_now(), "sent_at is now (the clock seam)");
    is_str(a.channel, "webhook,bell", "channels recorded");
    is_int(received(&last), 1, "the receiver got one POST");
    ok(has(last, "\\\"type\\\":\\\"leak\\\"") && has(last, MASKED)
           && has(last, "LTAI5tNotifyTest00000001") && has(last, "application/json"),
       "generic JSON with type, AK ID and masked secret");
    ok(!has(last, RAW_SECRET), "the raw secret is not in the webhook body");
    is_int(notify_bell_take(), 1, "the bell was rung once");
    is_int(notify_bell_take(), 0, "and the flag resets");
    free(last);
    alert_done(&a);

    now("2026-03-02T20:00:00Z");
    id = found(n, 0, NULL);
    a = alert_get(id);
    ok(a.state == ALERT_SUPPRESSED && a.sent_at == 0, "at the end edge: suppressed, not sent");
    ok(has(a.suppressed_reason, "outside the notification window (08:00-20:00 UTC)")
           && has(a.suppressed_reason, "not sent later")
           && has(a.suppressed_reason, "2026-03-03T08:00:00Z"),
       "reason names the window and when it opens: %s", a.suppressed_reason);
    is_int(received(NULL), 1, "nothing was posted");
    is_int(notify_bell_take(), 0, "no bell outside the window");
    alert_done(&a);

    now("2026-03-03T09:00:00Z");
    struct akw_err err = {0};
    ok(notify_tick(n, st, &err) == AKW_OK, "tick inside the window");
    is_int(received(NULL), 1, "a suppressed alert is never sent later (no digest)");

    struct store_record_result res;
    ok(found(n, 0, &res) > 0 && res.new_leak, "(setup) another new leak alerts");
    int before = received(NULL);
    id = notify_leak_found(n, st, &(struct leak){.secret_masked = (char *)MASKED}, NULL,
                           &(struct store_record_result){.leak_id = res.leak_id}, NULL, &err);
    is_int(received(NULL), before, "a leak seen again (not new) raises no alert");
    notify_leak_found(n, st, &(struct leak){.secret_masked = (char *)MASKED}, NULL,
                      &(struct store_record_result){.leak_id = res.leak_id, .new_leak = 1,
                                                    .whitelisted = 1},
                      &id, &err);
    ok(id == 0 && received(NULL) == before, "a whitelisted leak raises no alert");
    notify_leak_found(n, st,
                      &(struct leak){.secret_masked = (char *)MASKED, .kind = (char *)"alibaba"},
                      NULL, &(struct store_record_result){.leak_id = res.leak_id, .reopened = 1},
                      &id, &err);
    ok(id > 0 && received(&last) == before + 1 && has(last, "seen again after it was handled"),
       "a reopened (regression) leak alerts again");
    free(last);
    notify_free(n);
}

static void
test_overnight_dst_owned(void)
{
    struct config c;
    struct alert a;
    cfg_set(&c, "22:00-06:00", "mon-fri", "America/New_York");
    struct notify *n = make(&c);
    int base = received(NULL);
    /* Sunday 2026-03-08 07:30Z = 03:30 EDT, right after spring forward: Saturday's night is
     * not in mon-fri, so suppressed; Monday 2026-03-09 03:30Z = Sun 23:30 EDT: not either. */
    now("2026-03-08T07:30:00Z");
    a = alert_get(found(n, 0, NULL));
    is_int(a.state, ALERT_SUPPRESSED, "overnight window, weekend night after spring forward");
    alert_done(&a);
    /* Tuesday 2026-03-10 09:30Z = 05:30 EDT, Monday's night: inside. */
    now("2026-03-10T09:30:00Z");
    a = alert_get(found(n, 0, NULL));
    is_int(a.state, ALERT_SENT, "overnight window after midnight, EDT");
    alert_done(&a);
    /* 10:30Z = 06:30 EDT: closed (in EST it would still be 05:30, inside). */
    now("2026-03-10T10:30:00Z");
    a = alert_get(found(n, 0, NULL));
    is_int(a.state, ALERT_SUPPRESSED, "06:30 EDT is outside although 05:30 EST would not be");
    alert_done(&a);
    a = alert_get(found(n, 1, NULL));
    is_int(a.state, ALERT_SUPPRESSED, "an owned leak waits too unless owned_bypass_window");
    alert_done(&a);
    notify_free(n);

    cfg_set(&c, "22:00-06:00", "mon-fri", "America/New_York");
    c.owned_bypass_window = 1;
    n = make(&c);
    a = alert_get(found(n, 1, NULL));
    is_int(a.state, ALERT_SENT, "owned_bypass_window: an owned leak is sent outside the window");
    alert_done(&a);
    a = alert_get(found(n, 0, NULL));
    is_int(a.state, ALERT_SUPPRESSED, "owned_bypass_window: others still wait");
    alert_done(&a);
    is_int(received(NULL), base + 2, "exactly the two sent alerts were posted");
    notify_free(n);
}

static void
test_formats_retry(void)
{
    struct config c;
    struct alert a;
    char *last;
    now("2026-03-02T10:00:00Z");
    cfg_set(&c, NULL, NULL, NULL);
    c.webhook_format = xstrdup("slack");
    struct notify *n = make(&c);
    is_str(notify_channels(n), "webhook(slack),bell", "channels described");
    found(n, 0, NULL);
    received(&last);
    ok(has(last, "{\\\"text\\\":\\\"akwatch: new leak: alibaba LTAI5tNotifyTest")
           && has(last, MASKED) && !has(last, RAW_SECRET),
       "slack body: text with masked secret only");
    free(last);
    notify_free(n);

    cfg_set(&c, NULL, NULL, NULL);
    c.webhook_format = xstrdup("dingtalk");
    n = make(&c);
    found(n, 0, NULL);
    received(&last);
    ok(has(last, "\\\"msgtype\\\":\\\"text\\\"") && has(last, "\\\"content\\\":\\\"akwatch")
           && has(last, MASKED) && !has(last, RAW_SECRET),
       "dingtalk body: msgtype text, content with masked secret only");
    free(last);
    notify_free(n);

    receiver_start(2);
    cfg_set(&c, NULL, NULL, NULL);
    n = make(&c);
    a = alert_get(found(n, 0, NULL));
    ok(a.state == ALERT_SENT && a.attempts == 3, "two 500s then 200: sent on attempt 3 (%d)",
       a.attempts);
    is_int(received(NULL), 3, "three POSTs reached the receiver");
    alert_done(&a);
    notify_free(n);

    receiver_start(100);
    cfg_set(&c, NULL, NULL, NULL);
    n = make(&c);
    a = alert_get(found(n, 0, NULL));
    ok(a.state == ALERT_FAILED && a.attempts == 3, "always 500: failed after 3 attempts");
    ok(has(a.last_error, "HTTP 500") && has(a.last_error, "http://127.0.0.1/")
           && !has(a.last_error, "T0KEN"),
       "last_error has the status and the host, not the hook's secret path: %s", a.last_error);
    is_str(a.channel, "bell", "the bell still rang");
    alert_done(&a);
    notify_free(n);
    receiver_start(-1);
    cfg_set(&c, NULL, NULL, NULL);
    c.webhook_format = xstrdup("dingtalk");
    n = make(&c);
    a = alert_get(found(n, 0, NULL));
    ok(a.state == ALERT_FAILED && a.last_error && strstr(a.last_error, "refused")
           && strstr(a.last_error, "310000"),
       "a DingTalk refusal (HTTP 200, errcode 310000) is a failure: %s", a.last_error);
    alert_done(&a);
    notify_free(n);
    receiver_start(0);

    struct akw_err err = {0};
    config_init(&c);
    c.webhook = xstrdup("http://hooks.example.com/x");
    ok(notify_new(&c, &n, &err) == AKW_ERR_USAGE && has(err.msg, "loopback"),
       "plain http to a remote host is refused: %s", err.msg);
    config_done(&c);
    config_init(&c);
    c.webhook_format = xstrdup("teams");
    ok(notify_new(&c, &n, &err) == AKW_ERR_PARSE && has(err.msg, "teams"),
       "unknown webhook_format refused: %s", err.msg);
    config_done(&c);
    config_init(&c);
    c.window = xstrdup("8-20");
    ok(notify_new(&c, &n, &err) == AKW_ERR_PARSE && has(err.msg, "[notify]"),
       "bad window refused: %s", err.msg);
    config_done(&c);
    config_init(&c);
    c.bell = 0;
    n = make(&c);
    struct alert b = alert_get(found(n, 0, NULL));
    ok(b.state == ALERT_SUPPRESSED && has(b.suppressed_reason, "no notification channel"),
       "no channel at all: suppressed with the reason");
    alert_done(&b);
    notify_free(n);
}

static void
test_command(void)
{
    char *script = xasprintf("%s/hook.sh", dir), *out = xasprintf("%s/hook.out", dir);
    char *body = xasprintf("#!/bin/sh\n{ env | grep -E '^(AKWATCH_|GITHUB_TOKEN)' | sort;"
                           " echo STDIN; cat; echo; echo ARGS \"$@\"; } > '%s'\n"
                           "[ \"$1\" = fail ] && { echo 'pager is down' >&2; exit 3; }\nexit 0\n",
                           out);
    FILE *f = fopen(script, "w");
    fputs(body, f);
    fclose(f);
    chmod(script, 0700);
    setenv("GITHUB_TOKEN", "ghp_notForHooks", 1);
    struct config c;
    config_init(&c);
    c.command = xasprintf("%s 'two words' \"x y\"", script);
    c.bell = 0;
    struct notify *n = make(&c);
    now("2026-03-02T10:00:00Z");
    struct alert a = alert_get(found(n, 0, NULL));
    ok(a.state == ALERT_SENT && has(a.channel, "command"), "command hook ran: sent");
    alert_done(&a);
    char *got = NULL;
    size_t len;
    fs_read_all(out, &got, &len, NULL);
    ok(has(got, "AKWATCH_AK_ID=LTAI5tNotifyTest") && has(got, "AKWATCH_SECRET_MASKED=" MASKED)
           && has(got, "AKWATCH_ALERT_TYPE=leak") && has(got, "AKWATCH_PATH=config/application"),
       "alert in the environment");
    ok(has(got, "STDIN\n{\"source\":\"akwatch\",\"type\":\"leak\""), "JSON on stdin");
    ok(has(got, "ARGS two words x y"), "quoted words split without a shell");
    ok(!has(got, RAW_SECRET), "the raw secret is not in the env or stdin");
    ok(!has(got, "GITHUB_TOKEN") && !has(got, "AKWATCH_NOW"),
       "GITHUB_TOKEN and stale AKWATCH_ variables are not passed");
    free(got);
    notify_free(n);

    config_init(&c);
    c.command = xasprintf("%s fail", script);
    c.bell = 0;
    n = make(&c);
    a = alert_get(found(n, 0, NULL));
    ok(a.state == ALERT_FAILED && has(a.last_error, "exit status 3: pager is down")
           && a.attempts == 3,
       "failing hook: failed after retries with its stderr: %s", a.last_error);
    alert_done(&a);
    notify_free(n);
    unsetenv("GITHUB_TOKEN");
    free(script);
    free(out);
    free(body);
}

static void
test_digest(void)
{
    struct config c;
    struct akw_err err = {0};
    char *last;
    receiver_start(0);
    cfg_set(&c, "08:00-20:00", NULL, "Europe/Berlin");
    c.digest = 1;
    struct notify *n = make(&c);
    /* flush older suppressed alerts into a first digest */
    now("2026-03-28T10:00:00Z");
    ok(notify_tick(n, st, &err) == AKW_OK, "first tick sends what was pending");
    int base = received(NULL);
    /* Saturday 2026-03-28 20:30 CET: outside. */
    now("2026-03-28T19:30:00Z");
    struct alert a = alert_get(found(n, 0, NULL));
    ok(a.state == ALERT_SUPPRESSED && has(a.suppressed_reason, "in the digest"),
       "digest mode: suppressed, to be summarised: %s", a.suppressed_reason);
    ok(has(a.suppressed_reason, "2026-03-29T06:00:00Z"),
       "next opening is 08:00 CEST after the spring-forward night");
    alert_done(&a);
    found(n, 0, NULL);
    now("2026-03-29T05:59:00Z"); /* 07:59 CEST */
    notify_tick(n, st, &err);
    is_int(received(NULL), base, "no digest before the window opens");
    now("2026-03-29T06:00:00Z");
    ok(notify_tick(n, st, &err) == AKW_OK, "tick when the window opens");
    is_int(received(&last), base + 1, "one digest sent");
    ok(has(last, "\\\"type\\\":\\\"digest\\\"") && has(last, "\\\"count\\\":2")
           && has(last, MASKED) && !has(last, RAW_SECRET),
       "digest lists the two suppressed alerts, masked");
    free(last);
    notify_tick(n, st, &err);
    is_int(received(NULL), base + 1, "a second tick sends nothing more");
    struct alert_filter f = {.type_mask = 1 << ALERT_TYPE_DIGEST, .limit = 1};
    struct alert *d = NULL;
    size_t nd = 0;
    store_alert_list(st, &f, &d, &nd, &err);
    ok(nd == 1 && d[0].state == ALERT_SENT && d[0].sent_at == akw_now(),
       "the digest is an alert of its own, sent");
    store_alerts_free(d, nd);
    notify_free(n);
}

static void
test_calls(void)
{
    struct config c;
    struct akw_err err = {0};
    char *last;
    cfg_set(&c, NULL, NULL, NULL);
    struct notify *n = make(&c);
    now("2026-03-02T10:00:00Z");
    struct store_record_result res;
    found(n, 0, &res);
    int base = received(NULL);
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        char key[32];
        snprintf(key, sizeof key, "test:call-%d-%d", leak_seq, i);
        struct call call = {.leak_id = res.leak_id, .ak_id = (char *)"LTAI5tNotifyTest",
                            .at = akw_now() + i, .source_ip = (char *)"198.51.100.7",
                            .action = (char *)"Ecs:DescribeInstances",
                            .source_file = (char *)"trail.json", .source_line = i + 1,
                            .kind = (char *)"actiontrail", .event_key = key};
        store_call_add(st, &call, &ids[i], &err);
    }
    ok(notify_calls_found(n, st, ids, 3, &err) == AKW_OK, "calls found: %s", err.msg);
    is_int(received(&last), base + 1, "one message for the key's three calls");
    ok(has(last, "\\\"type\\\":\\\"call\\\"") && has(last, "\\\"calls\\\":3")
           && has(last, "198.51.100.7") && has(last, "Ecs:DescribeInstances")
           && !has(last, RAW_SECRET),
       "call alert: count, source IP, action; no raw secret");
    free(last);
    struct alert_filter f = {.type_mask = 1 << ALERT_TYPE_CALL, .state_mask = 1 << ALERT_SENT};
    struct alert *a = NULL;
    size_t na = 0;
    store_alert_list(st, &f, &a, &na, &err);
    is_int(na, 3, "one sent alert row per call");
    store_alerts_free(a, na);
    notify_free(n);
}

int
main(void)
{
    strcpy(dir, "/tmp/akw-notify.XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    setenv("TZ", "UTC", 1);
    unsetenv("GITHUB_TOKEN");
    char *db = xasprintf("%s/akwatch.db", dir);
    struct akw_err err = {0};
    if (store_open(db, 0, &st, &err) != AKW_OK) {
        printf("Bail out! %s\n", err.msg);
        return 1;
    }
    test_window_decides();
    test_overnight_dst_owned();
    test_formats_retry();
    test_command();
    test_digest();
    test_calls();
    store_close(st);
    if (receiver > 0) {
        kill(receiver, SIGTERM);
        waitpid(receiver, NULL, 0);
    }
    char *rm = xasprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        printf("# could not remove %s\n", dir);
    free(rm);
    free(db);
    return done_testing();
}
