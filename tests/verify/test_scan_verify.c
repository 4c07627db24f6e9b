/* test_scan_verify — verification during a GitHub scan: the scheduler runs once over the
 * fake GitHub (tests/fakegh, scenario basic.json) with the real detector and store, and the
 * Alibaba pair it finds is live-checked against the fake Alibaba Cloud with the secret in
 * hand — with [scan] store_secrets off, so the secret is never stored. With [verify]
 * enabled = off (the default) no request reaches the provider.
 */
#include "config.h"

#include <poll.h>
#include <sys/stat.h>

#include "config/conf.h"
#include "fakeprov.h"
#include "github/fake.h"
#include "scan/sched.h"
#include "store/store.h"
#include "tap.h"
#include "verify/verify.h"

/* The pair planted in basic.json (acme/app config/application.properties). */
#define ALI_ID "LTAI5tQ8bRmZp3Lx9wKvN2Yd"
#define ALI_SECRET "Xk9mP2qR7sT4vW8yZ3bN6cF1hJ5kL0"

static void
sl_add(struct strlist *l, const char *s)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(s);
}

static enum akw_status
run_once(const char *db, const struct config *cfg, struct sched_status *status,
         struct akw_err *err)
{
    struct sched_opts o = {.db_path = db, .rules_dir = AKW_SRCDIR "/data/rules", .cfg = cfg,
                           .once = 1, .http_timeout_s = 5, .backoff_base_ms = 10};
    struct sched *s;
    enum akw_status st = sched_new(&o, &s, err);

    if (st != AKW_OK)
        return st;
    st = sched_start(s, err);
    if (st == AKW_OK)
        st = sched_join(s, err);
    sched_status(s, status);
    sched_free(s);
    return st;
}

struct seen {
    int n, live, verified_other;
    char identity[256];
    struct store *st;
};

static int
on_leak(const struct leak *l, void *user)
{
    struct seen *s = user;
    struct leak_verification v;

    if (!l->ak_id || strcmp(l->ak_id, ALI_ID) != 0 || !l->rule ||
        strcmp(l->rule, "alibaba-accesskey-id") != 0)
        return 0;
    s->n++;
    if (l->verified && strcmp(l->verified, "live") == 0)
        s->live++;
    if (store_verify_get(s->st, l->id, &v, NULL) == AKW_OK) {
        snprintf(s->identity, sizeof s->identity, "%s", v.identity ? v.identity : "");
        leak_verification_done(&v);
    }
    return 0;
}

/* Requests the fake has logged (one line each). */
static long
requests(const struct fakeprov *f)
{
    char *log = fakeprov_log(f);
    long n = 0;

    for (const char *p = log; (p = strchr(p, '\n')); p++)
        n++;
    free(log);
    return n;
}

static void
scan_case(struct fake *gh, struct fakeprov *ali, int enabled, const char *db_name,
          const char *hook)
{
    struct config cfg;
    struct sched_status status;
    struct akw_err err = {0};
    char *db = xasprintf("%s/%s", gh->dir, db_name);
    long before = requests(ali);
    char *log;

    config_init(&cfg);
    cfg.api_url = xstrdup(gh->url);
    sl_add(&cfg.tokens, "ghp_akwatch_test_token_1");
    sl_add(&cfg.orgs, "acme");
    cfg.verify_enabled = enabled;
    cfg.alibaba_endpoint = xstrdup(ali->url);
    cfg.store_secrets = 0;
    if (hook) {
        cfg.command = xstrdup(hook);
        cfg.bell = 0;
        cfg.alert_only_live = 1;
    }
    enum akw_status st = run_once(db, &cfg, &status, &err);
    is_int(st, AKW_OK, "verify %s: the scan ends cleanly%s%s", enabled ? "on" : "off",
           st ? ": " : "", st ? err.msg : "");

    struct store *sto;
    struct seen seen = {0};
    struct leak_filter f = {0};
    if (store_open(db, 0, &sto, &err) != AKW_OK) {
        ok(0, "store opens: %s", err.msg);
        return;
    }
    seen.st = sto;
    store_leak_foreach(sto, &f, on_leak, &seen, NULL);
    is_int(seen.n, 1, "verify %s: the planted Alibaba pair was found", enabled ? "on" : "off");
    long after = requests(ali);
    log = fakeprov_log(ali);
    if (enabled) {
        is_int(seen.live, 1, "verify on: the pair is verified live during the scan");
        ok(strstr(seen.identity, "regions") != NULL, "verify on: the identity is stored");
        ok(after > before, "verify on: the provider was asked");
        ok(status.verified >= 1, "verify on: the scheduler counts the checks (%ld)",
           status.verified);
        is_int(status.verify_errors, 0, "verify on: no verification error");
    } else {
        is_int(seen.live, 0, "verify off: nothing verified");
        is_int(after, before, "verify off: no request reached the provider");
    }
    ok(!strstr(log, ALI_SECRET), "verify %s: the secret never went to the provider",
       enabled ? "on" : "off");
    free(log);
    store_close(sto);
    config_done(&cfg);
    free(db);
}

int
main(void)
{
    static const char *const keys[] = {ALI_ID "," ALI_SECRET, NULL};
    struct fake gh;
    struct fakeprov ali;
    char *scen = NULL;
    size_t len;

    if (fs_read_all(AKW_SRCDIR "/tests/fakegh/scenarios/basic.json", &scen, &len, NULL) !=
            AKW_OK ||
        fake_start(&gh, scen) != 0) {
        ok(0, "fake GitHub started");
        return done_testing();
    }
    free(scen);
    if (!ok(fakeprov_start(&ali, "alibaba", keys, gh.dir) == 0, "fake Alibaba started")) {
        fake_stop(&gh);
        return done_testing();
    }
    scan_case(&gh, &ali, 0, "off.db", NULL);
    scan_case(&gh, &ali, 1, "on.db", NULL);

    /* [verify] alert_only_live during a GitHub scan: a command hook records each alert's AK
     * ID; only the live pair may alert (the ID-only and other findings are not live). */
    char *hook = xasprintf("%s/hook.sh", gh.dir), *alerts = xasprintf("%s/alerts", gh.dir);
    char *script = xasprintf("#!/bin/sh\necho \"$AKWATCH_AK_ID\" >>%s\n", alerts);
    fake_write(hook, script);
    chmod(hook, 0700);
    scan_case(&gh, &ali, 1, "gate.db", hook);
    char *got = NULL;
    size_t n;
    if (fs_read_all(alerts, &got, &n, NULL) != AKW_OK)
        got = xstrdup("");
    ok(strstr(got, ALI_ID "\n") != NULL, "alert_only_live: the live pair alerted");
    is_int((long)strlen(got), (long)strlen(ALI_ID "\n"),
           "alert_only_live: nothing else alerted (got '%s')", got);
    free(got), free(script), free(alerts), free(hook);
    fakeprov_stop(&ali);
    fake_stop(&gh);
    return done_testing();
}
