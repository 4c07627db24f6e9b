/* test_scan_alerts — the GitHub scan thread (scheduler, as `watch` and the TUI run it)
 * alerts on every new leak it commits: against the fake GitHub server and a loopback webhook
 * receiver, inside the window every new leak is posted once, a rerun posts nothing, outside
 * the window every alert is recorded suppressed and nothing is posted. */
#include "config.h"

#include <poll.h>

#include "config/conf.h"
#include "notify/notify.h"
#include "scan/sched.h"
#include "store/store.h"
#include "tap.h"
#include "../github/fake.h"

static pid_t receiver;
static char hook[128], capture[160];

static void
receiver_start(const char *dir)
{
    char portfile[160];
    snprintf(portfile, sizeof portfile, "%s/hookport", dir);
    snprintf(capture, sizeof capture, "%s/capture", dir);
    char *argv[] = {(char *)"/usr/bin/python3", (char *)AKW_SRCDIR "/tests/notify/receiver.py",
                    portfile, capture, (char *)"0", NULL};
    /* fork + exec: <spawn.h> would pull in <sched.h>, whose SCHED_IDLE clashes with ours */
    if ((receiver = fork()) == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    for (int i = 0; i < 1000 && access(portfile, F_OK) != 0; i++) /* a guard only */
        usleep(10000);
    char *port = NULL;
    size_t n;
    if (fs_read_all(portfile, &port, &n, NULL) == AKW_OK)
        snprintf(hook, sizeof hook, "http://127.0.0.1:%s/hook", port);
    free(port);
}

static int
posts(void)
{
    char *text = NULL;
    size_t n = 0;
    int lines = 0;
    if (fs_read_all(capture, &text, &n, NULL) == AKW_OK)
        for (size_t i = 0; i < n; i++)
            lines += text[i] == '\n';
    free(text);
    return lines;
}

static void
sl_add(struct strlist *l, const char *s)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(s);
}

static enum akw_status
run_once(const char *db, const struct config *cfg, struct akw_err *err)
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
    struct sched_event tmp[64];
    while (sched_drain(s, tmp, 64) > 0)
        ;
    sched_free(s);
    return st;
}

/* Leak alerts in db by state: counts[ALERT_*]; returns the number of leaks. */
static long
alert_states(const char *db, long counts[4])
{
    struct store *st;
    long leaks = 0;
    memset(counts, 0, 4 * sizeof *counts);
    if (store_open(db, STORE_OPEN_READONLY, &st, NULL) != AKW_OK)
        return -1;
    struct alert *a;
    size_t n;
    struct alert_filter f = {.type_mask = 1 << ALERT_TYPE_LEAK};
    if (store_alert_list(st, &f, &a, &n, NULL) == AKW_OK) {
        for (size_t i = 0; i < n; i++)
            counts[a[i].state]++;
        store_alerts_free(a, n);
    }
    struct leak_filter lf = {0};
    store_leak_count(st, &lf, &leaks, NULL);
    store_close(st);
    return leaks;
}

int
main(void)
{
    struct fake f;
    char *scen = NULL;
    size_t len;
    if (fs_read_all(AKW_SRCDIR "/tests/fakegh/scenarios/basic.json", &scen, &len, NULL) != AKW_OK
        || fake_start(&f, scen) != 0) {
        ok(0, "fake server started");
        return done_testing();
    }
    free(scen);
    receiver_start(f.dir);
    ok(hook[0] != '\0', "webhook receiver started");
    struct config cfg;
    config_init(&cfg);
    cfg.api_url = xstrdup(f.url);
    sl_add(&cfg.tokens, "ghp_akwatch_test_token_1");
    sl_add(&cfg.access_key_ids, "LTAI5tR7xK2mQ9pW4vN8sB3dZ");
    sl_add(&cfg.endpoints, "rm-acme.mysql.rds.aliyuncs.com");
    sl_add(&cfg.orgs, "acme");
    cfg.events = 1;
    cfg.poll_interval = 1;
    cfg.window = xstrdup("09:00-18:00");
    cfg.tz = xstrdup("Asia/Shanghai");
    cfg.webhook = xstrdup(hook);
    cfg.bell = 0;

    char *db = xasprintf("%s/inside.db", f.dir), *db2 = xasprintf("%s/outside.db", f.dir);
    struct akw_err err = {0};
    long counts[4];
    setenv("AKWATCH_NOW", "2026-03-02T02:00:00Z", 1); /* 10:00 in Shanghai */
    is_int(run_once(db, &cfg, &err), AKW_OK, "scan thread run inside the window: %s", err.msg);
    long leaks = alert_states(db, counts);
    ok(leaks >= 3, "leaks found (%ld)", leaks);
    is_int(counts[ALERT_SENT], leaks, "every new leak has a sent alert");
    is_int(posts(), leaks, "and was posted once");
    is_int(run_once(db, &cfg, &err), AKW_OK, "rerun");
    alert_states(db, counts);
    is_int(counts[ALERT_SENT], leaks, "a rerun adds no alert");
    is_int(posts(), leaks, "and posts nothing");

    setenv("AKWATCH_NOW", "2026-03-02T11:00:00Z", 1); /* 19:00 in Shanghai */
    is_int(run_once(db2, &cfg, &err), AKW_OK, "scan thread run outside the window");
    long leaks2 = alert_states(db2, counts);
    ok(leaks2 == leaks && counts[ALERT_SUPPRESSED] == leaks2 && counts[ALERT_SENT] == 0,
       "outside the window every alert is suppressed (%ld of %ld)", counts[ALERT_SUPPRESSED],
       leaks2);
    is_int(posts(), leaks, "nothing more was posted");

    config_done(&cfg);
    kill(receiver, SIGTERM);
    waitpid(receiver, NULL, 0);
    fake_stop(&f);
    free(db);
    free(db2);
    return done_testing();
}
