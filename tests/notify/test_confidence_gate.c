/* test_confidence_gate — alerts follow the confidence threshold on a real store: a leak
 * below [notify] min_confidence (else [scan]'s) gets only a suppressed alert that says why,
 * a later, surer finding of it raises the alert then, and a less sure one adds nothing.
 * The bell is the channel, so no network is involved. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "notify/notify.h"
#include "store/store.h"
#include "tap.h"

static struct store *st;
static char dir[64];

static struct notify *
make(enum confidence scan_min, enum confidence notify_min)
{
    struct config c;
    config_init(&c);
    c.bell = 1;
    if (scan_min)
        c.min_confidence = scan_min;
    c.notify_min_confidence = notify_min;
    struct notify *n = NULL;
    struct akw_err err = {0};
    if (notify_new(&c, &n, &err) != AKW_OK)
        printf("# notify_new: %s\n", err.msg);
    config_done(&c);
    return n;
}

/* Record leak fp at path with confidence c and pass it to notify; returns the alert id. */
static int64_t
found(struct notify *n, const char *fp, const char *path, enum confidence c)
{
    struct leak l = {.rule = (char *)"password-assignment", .kind = (char *)"generic_secret",
                     .secret_masked = (char *)"Xk9#****R4tW", .severity = SEVERITY_MEDIUM,
                     .confidence = c};
    snprintf(l.fingerprint, sizeof l.fingerprint, "%s", fp);
    struct location loc = {.platform = (char *)"local", .repo = (char *)"/src/app",
                           .path = (char *)path, .line = 3, .found_at = akw_now()};
    struct store_record_result res = {0};
    struct akw_err err = {0};
    if (store_record(st, &l, &loc, &res, &err) != AKW_OK)
        printf("# store_record: %s\n", err.msg);
    int64_t id = 0;
    if (notify_leak_found(n, st, &l, &loc, &res, &id, &err) != AKW_OK)
        printf("# notify_leak_found: %s\n", err.msg);
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

static void
test_default_threshold(void)
{
    struct notify *n = make(0, 0);
    notify_bell_take();
    int64_t id = found(n, "fp-medium", "app.conf", CONFIDENCE_MEDIUM);
    struct alert a = alert_get(id);
    ok(id > 0 && a.state == ALERT_SENT, "a medium leak alerts (default threshold medium)");
    ok(notify_bell_take() == 1, "the bell rang once");
    alert_done(&a);

    id = found(n, "fp-low", "docs/example.md", CONFIDENCE_LOW);
    a = alert_get(id);
    ok(id > 0 && a.state == ALERT_SUPPRESSED, "a low leak: its alert is recorded suppressed");
    is_str(a.suppressed_reason, "confidence low, below min_confidence medium",
           "the reason names both levels");
    ok(notify_bell_take() == 0, "and nothing rang");
    alert_done(&a);

    id = found(n, "fp-low", "docs/other.md", CONFIDENCE_LOW);
    ok(id == 0, "the low leak in another low place: no second alert");
    id = found(n, "fp-low", ".env", CONFIDENCE_MEDIUM);
    a = alert_get(id);
    ok(id > 0 && a.state == ALERT_SENT, "found again where it is medium: it alerts now");
    ok(notify_bell_take() == 1, "the bell rang for it");
    alert_done(&a);
    id = found(n, "fp-low", "config/.env", CONFIDENCE_HIGH);
    ok(id == 0, "already at the threshold: a surer place adds no alert");
    notify_free(n);
}

static void
test_configured(void)
{
    struct notify *n = make(CONFIDENCE_MEDIUM, CONFIDENCE_HIGH);
    int64_t id = found(n, "fp-n-medium", "app.conf", CONFIDENCE_MEDIUM);
    struct alert a = alert_get(id);
    ok(id > 0 && a.state == ALERT_SUPPRESSED, "[notify] min_confidence high: medium is quiet");
    is_str(a.suppressed_reason, "confidence medium, below min_confidence high",
           "the reason says high");
    alert_done(&a);
    id = found(n, "fp-n-high", "keys.txt", CONFIDENCE_HIGH);
    a = alert_get(id);
    ok(id > 0 && a.state == ALERT_SENT, "and high alerts");
    alert_done(&a);
    notify_free(n);

    n = make(CONFIDENCE_LOW, 0);
    notify_bell_take();
    id = found(n, "fp-s-low", "docs/x.md", CONFIDENCE_LOW);
    a = alert_get(id);
    ok(id > 0 && a.state == ALERT_SENT, "[scan] min_confidence low, no [notify] one: low alerts");
    ok(notify_bell_take() == 1, "the bell rang");
    alert_done(&a);
    notify_free(n);

    struct config c;
    config_init(&c);
    is_int(config_alert_confidence(&c), CONFIDENCE_MEDIUM, "defaults: alerts need medium");
    c.min_confidence = CONFIDENCE_HIGH;
    is_int(config_alert_confidence(&c), CONFIDENCE_HIGH, "the [scan] threshold when alone");
    c.notify_min_confidence = CONFIDENCE_LOW;
    is_int(config_alert_confidence(&c), CONFIDENCE_LOW, "[notify] wins when set");
    config_done(&c);
}

int
main(void)
{
    snprintf(dir, sizeof dir, "/tmp/akw-confgate-XXXXXX");
    if (!mkdtemp(dir))
        return 99;
    setenv("AKWATCH_NOW", "2026-03-02T10:00:00Z", 1);
    char *db = xasprintf("%s/store.db", dir);
    struct akw_err err = {0};
    ok(store_open(db, 0, &st, &err) == AKW_OK, "open the store (%s)", err.msg);
    if (st) {
        test_default_threshold();
        test_configured();
        store_close(st);
    }
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    free(cmd);
    free(db);
    return done_testing();
}
