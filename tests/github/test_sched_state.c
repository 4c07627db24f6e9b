/* test_sched_state — the scheduler's state between polls: with the events feed polled every
 * second against the fake server, the status seen between two polls is "idle" with a next
 * poll time (never "stopped" while the thread is alive), and "stopped" only after stop. */
#include "config.h"

#include <time.h>

#include "config/conf.h"
#include "scan/sched.h"
#include "tap.h"
#include "fake.h"

static void
sl_add(struct strlist *l, const char *s)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(s);
}

/* Count the queued status events by name; remembers the last one. */
struct seen {
    int idle, running, stopped, done;
    char last[32];
};

static void
drain(struct sched *s, struct seen *w)
{
    struct sched_event evs[64];
    for (size_t n; (n = sched_drain(s, evs, 64)) > 0;)
        for (size_t i = 0; i < n; i++) {
            w->done += evs[i].kind == SCHED_EV_DONE;
            if (evs[i].kind != SCHED_EV_STATUS)
                continue;
            w->idle += strcmp(evs[i].text, "idle") == 0;
            w->running += strcmp(evs[i].text, "running") == 0;
            w->stopped += strcmp(evs[i].text, "stopped") == 0;
            snprintf(w->last, sizeof w->last, "%s", evs[i].text);
        }
}

int
main(void)
{
    struct fake f;
    char *scen = NULL;
    size_t len;
    if (fs_read_all(AKW_SRCDIR "/tests/fakegh/scenarios/basic.json", &scen, &len, NULL) !=
            AKW_OK ||
        fake_start(&f, scen) != 0) {
        ok(0, "fake server started");
        return done_testing();
    }
    free(scen);
    char *db = xasprintf("%s/akwatch.db", f.dir);
    struct config cfg;
    config_init(&cfg);
    cfg.api_url = xstrdup(f.url);
    sl_add(&cfg.tokens, "ghp_akwatch_test_token_1");
    cfg.events = 1; /* the feed only: polled every poll_interval */
    cfg.poll_interval = 1;
    struct sched_opts o = {.db_path = db, .rules_dir = AKW_SRCDIR "/data/rules", .cfg = &cfg,
                           .http_timeout_s = 5, .backoff_base_ms = 10};
    struct sched *s = NULL;
    struct akw_err err = {0};
    enum akw_status st = sched_new(&o, &s, &err);
    if (st == AKW_OK)
        st = sched_start(s, &err);
    is_int(st, AKW_OK, "scheduler started%s%s", st ? ": " : "", st ? err.msg : "");
    if (st != AKW_OK) {
        sched_free(s);
        fake_stop(&f);
        return done_testing();
    }
    /* Watch the status until the feed has been polled again after a waiting state was
     * seen between polls (the 60 s limit is a guard against hangs only). */
    struct seen w = {0};
    struct sched_status between = {0}, ss;
    int polls_at_wait = 0, stopped_while_alive = 0, polls = 0;
    time_t seen_at = 0;
    for (int i = 0; i < 6000; i++) {
        polls = fake_count(&f, "/events", NULL, NULL);
        sched_status(s, &ss);
        drain(s, &w);
        stopped_while_alive |= ss.state == SCHED_STOPPED || ss.state == SCHED_ERROR;
        if (!polls_at_wait && polls >= 1 && ss.state != SCHED_RUNNING) {
            between = ss;
            polls_at_wait = polls;
            seen_at = time(NULL);
        }
        if (polls_at_wait && polls > polls_at_wait)
            break;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    ok(polls_at_wait > 0, "a state between two polls was seen (after poll %d)", polls_at_wait);
    is_str(sched_state_name(between.state), "idle", "status between polls is idle, not stopped");
    ok(between.next_poll >= seen_at - 1 && between.next_poll <= seen_at + 2,
       "the next poll time is given (%ld, seen at %ld)", (long)between.next_poll,
       (long)seen_at);
    ok(polls > polls_at_wait, "the feed was polled again after that (%d polls)", polls);
    ok(!stopped_while_alive, "never stopped or error while the thread polls");
    ok(w.idle >= 1 && w.running >= 1, "status events: idle %d, running %d", w.idle, w.running);
    is_int(w.stopped, 0, "no \"stopped\" status event before stop");
    is_int(w.done, 0, "no done event before stop");
    sched_stop(s);
    sched_status(s, &ss);
    is_str(sched_state_name(ss.state), "stopped", "status after stop");
    drain(s, &w);
    is_int(w.stopped, 1, "one \"stopped\" status event after stop");
    is_str(w.last, "stopped", "the last status event says stopped");
    is_int(w.done, 1, "the done event after stop");
    is_int(sched_join(s, &err), AKW_ERR_CANCEL, "join reports the stop");
    sched_free(s);
    config_done(&cfg);
    free(db);
    fake_stop(&f);
    return done_testing();
}
