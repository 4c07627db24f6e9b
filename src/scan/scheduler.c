/* scheduler — the GitHub scan thread (the cmus job pattern): owns its store connection,
 * detector and HTTP client, runs each configured source when it is due, publishes small
 * events to a mutex-protected queue and wakes the listener with one byte on a pipe.
 * Cancellation is a flag plus a self-pipe, checked between requests and files. */
#include "config.h"
#include "scan/sched.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan/ghscan.h"
#include "store/store.h"
#include "notify/notify.h"
#include "verify/verify.h"

#define QUEUE_MAX 4096

struct sched {
    struct sched_opts o;
    char *db_path, *rules_dir;
    pthread_t th;
    int started, joined;
    struct gh_cancel cancel;
    int wake[2];
    pthread_mutex_t mu;
    struct sched_event *q;
    size_t qn;
    struct sched_status status;
    enum akw_status result;
    struct akw_err result_err;
    /* leases (scan thread only): this watcher's name, its store, the source it runs and
     * when its lease was last renewed */
    char owner[96];
    struct store *lease_st;
    const char *lease_source;
    time_t lease_renewed;
    /* the store's server is unreachable (scan thread only): the state to go back to */
    int store_down;
    enum sched_state before_down;
};

/* In enum sched_state order. */
static const char *const state_names[] = {
    "idle", "running", "rate-limited", "offline", "error", "stopped",
};

const char *
sched_state_name(enum sched_state s)
{
    return (unsigned)s <= SCHED_STOPPED ? state_names[s] : "?";
}

/* ---- queue and status (any thread) ----------------------------------------------------- */

static void
wake(struct sched *s)
{
    ssize_t r = write(s->wake[1], "!", 1); /* a full pipe already wakes the reader */
    (void)r;
}

static void
push_event(struct sched *s, const struct sched_event *ev)
{
    pthread_mutex_lock(&s->mu);
    if (s->qn == QUEUE_MAX) { /* the listener is not draining: keep the newest */
        memmove(s->q, s->q + 1, (QUEUE_MAX - 1) * sizeof *s->q);
        s->qn--;
    }
    s->q[s->qn++] = *ev;
    pthread_mutex_unlock(&s->mu);
    if (s->o.on_event)
        s->o.on_event(ev, s->o.user);
    wake(s);
}

void
sched_publish(struct sched *s, enum sched_event_kind kind, int64_t leak_id, int new_leak,
              int owned, const char *fmt, ...)
{
    if (!s)
        return;
    struct sched_event ev = {.kind = kind, .at = akw_now(), .leak_id = leak_id,
                             .new_leak = new_leak, .owned = owned};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev.text, sizeof ev.text, fmt, ap);
    va_end(ap);
    if (kind == SCHED_EV_FINDING) {
        pthread_mutex_lock(&s->mu);
        s->status.last_detection = ev.at;
        pthread_mutex_unlock(&s->mu);
    }
    push_event(s, &ev);
}

static void
status_changed(struct sched *s)
{
    if (s->o.on_status) {
        struct sched_status copy;
        sched_status(s, &copy);
        s->o.on_status(&copy, s->o.user);
    }
}

static void
set_state(struct sched *s, enum sched_state st, time_t until, const char *source)
{
    pthread_mutex_lock(&s->mu);
    int changed = s->status.state != st || s->status.limited_until != until;
    s->status.state = st;
    s->status.limited_until = until;
    if (source)
        snprintf(s->status.source, sizeof s->status.source, "%s", source);
    pthread_mutex_unlock(&s->mu);
    if (changed) {
        struct sched_event ev = {.kind = SCHED_EV_STATUS, .at = akw_now()};
        snprintf(ev.text, sizeof ev.text, "%s", sched_state_name(st));
        push_event(s, &ev);
    }
    status_changed(s);
}

static struct gh_client *current_gh(struct sched *s);

/* Copy the client's per-token budgets into the status (s->mu held). */
static void
read_budgets(struct sched *s, const struct gh_client *gh)
{
    size_t n = gh_client_token_count(gh);
    s->status.requests = gh_client_requests(gh);
    s->status.n_tokens = n < SCHED_MAX_TOKENS ? n : SCHED_MAX_TOKENS;
    for (size_t i = 0; i < s->status.n_tokens; i++) {
        struct gh_rate c = gh_client_rate(gh, i, GH_BUCKET_CORE);
        struct gh_rate q = gh_client_rate(gh, i, GH_BUCKET_CODE_SEARCH);
        struct sched_budget *b = &s->status.budgets[i];
        b->core_remaining = c.remaining, b->core_limit = c.known ? c.limit : 0;
        b->core_reset = c.reset;
        b->search_remaining = q.remaining, b->search_limit = q.known ? q.limit : 0;
        b->search_reset = q.reset;
    }
}

/* The token budgets as one short text for `akwatch watchers` ("core 4990/5000 ..."). */
static void
budget_text(struct sched *s, char *out, size_t size)
{
    long cr = 0, cl = 0, sr = 0, sl = 0;
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->status.n_tokens; i++) {
        cr += s->status.budgets[i].core_remaining, cl += s->status.budgets[i].core_limit;
        sr += s->status.budgets[i].search_remaining, sl += s->status.budgets[i].search_limit;
    }
    size_t n = s->status.n_tokens;
    pthread_mutex_unlock(&s->mu);
    if (cl || sl)
        snprintf(out, size, "core %ld/%ld, search %ld/%ld (%zu token%s)", cr, cl, sr, sl, n,
                 n == 1 ? "" : "s");
    else
        snprintf(out, size, "%s", "");
}

/* Whether owner ("host:pid") is a watcher of this host, other than us, that is gone (a
 * SIGKILLed watch restarted: its leases need not be waited out). Another host's owner is
 * never known to be gone; its lease expires. */
static int
owner_gone(const struct sched *s, const char *owner)
{
    const char *colon = owner ? strrchr(owner, ':') : NULL;
    const char *ours = strrchr(s->owner, ':');
    if (!colon || !ours || colon - owner != ours - s->owner ||
        strncmp(owner, s->owner, (size_t)(colon - owner)) != 0 || !strcmp(owner, s->owner))
        return 0;
    char *end;
    long pid = strtol(colon + 1, &end, 10);
    if (*end || pid <= 0 || pid == (long)getpid())
        return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* The owner of source's lease when it is a gone watcher of this host (heap, caller frees),
 * else NULL. */
static char *
gone_holder(struct sched *s, const char *source)
{
    struct lease *l;
    size_t n;
    struct akw_err e = {0};
    char *gone = NULL;
    if (store_leases_list(s->lease_st, &l, &n, &e) != AKW_OK)
        return NULL;
    for (size_t i = 0; i < n && !gone; i++)
        if (l[i].source && !strcmp(l[i].source, source) && owner_gone(s, l[i].owner))
            gone = xstrdup(l[i].owner);
    store_leases_free(l, n);
    return gone;
}

/* Take or renew the lease of source; *held says whether this watcher may run it. */
static enum akw_status
lease_take(struct sched *s, const char *source, int *held, struct akw_err *err)
{
    char budget[128];
    budget_text(s, budget, sizeof budget);
    enum akw_status st = store_lease_take(s->lease_st, source, s->owner,
                                          s->o.cfg->lease_seconds, budget, held, err);
    char *gone = st == AKW_OK && !*held ? gone_holder(s, source) : NULL;
    if (gone)
        st = store_lease_take_over(s->lease_st, source, gone, s->owner,
                                   s->o.cfg->lease_seconds, budget, held, err);
    free(gone);
    if (st == AKW_OK && *held) {
        s->lease_source = source;
        s->lease_renewed = akw_now();
    }
    return st;
}

/* While a source runs, its lease is renewed every third of its length (from the scan
 * thread's progress calls, so a watcher stuck for longer loses it). */
static void
lease_renew(struct sched *s)
{
    int len = s->o.cfg->lease_seconds > 0 ? s->o.cfg->lease_seconds : 120;
    if (!s->lease_st || !s->lease_source || akw_now() - s->lease_renewed < len / 3)
        return;
    int held = 0;
    struct akw_err e = {0};
    if (lease_take(s, s->lease_source, &held, &e) != AKW_OK || !held)
        s->lease_renewed = akw_now(); /* try again a third later; the round ends soon */
}

void
sched_count(struct sched *s, const char *what, long n)
{
    if (!s)
        return;
    lease_renew(s);
    // clang-format off
    struct { const char *name; long *field; } fields[] = {
        {"files", &s->status.files}, {"commits", &s->status.commits},
        {"events", &s->status.events}, {"findings", &s->status.findings},
        {"new_leaks", &s->status.new_leaks}, {"gaps", &s->status.gaps},
        {"verified", &s->status.verified}, {"verify_errors", &s->status.verify_errors},
        {"skipped", &s->status.skipped}, {"skipped_commits", &s->status.skipped_commits},
    };
    // clang-format on
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].name, what) == 0)
            *fields[i].field += n;
    if (current_gh(s))
        read_budgets(s, current_gh(s));
    int was_waiting = s->status.state != SCHED_RUNNING;
    s->status.state = SCHED_RUNNING;
    s->status.limited_until = 0;
    pthread_mutex_unlock(&s->mu);
    if (was_waiting) {
        struct sched_event ev = {.kind = SCHED_EV_STATUS, .at = akw_now()};
        snprintf(ev.text, sizeof ev.text, "running");
        push_event(s, &ev);
    }
    status_changed(s);
}

void
sched_status(struct sched *s, struct sched_status *out)
{
    pthread_mutex_lock(&s->mu);
    *out = s->status;
    pthread_mutex_unlock(&s->mu);
}

int
sched_fd(const struct sched *s)
{
    return s->wake[0];
}

size_t
sched_drain(struct sched *s, struct sched_event *out, size_t max)
{
    char tmp[256];
    while (read(s->wake[0], tmp, sizeof tmp) > 0)
        ;
    pthread_mutex_lock(&s->mu);
    size_t n = s->qn < max ? s->qn : max;
    memcpy(out, s->q, n * sizeof *out);
    memmove(s->q, s->q + n, (s->qn - n) * sizeof *s->q);
    s->qn -= n;
    int more = s->qn > 0;
    pthread_mutex_unlock(&s->mu);
    if (more)
        wake(s);
    return n;
}

/* ---- the thread ----------------------------------------------------------------------- */

static __thread struct gh_client *thread_gh;

static struct gh_client *
current_gh(struct sched *s)
{
    (void)s;
    return thread_gh;
}

static void
on_wait(void *user, enum gh_bucket b, time_t until, const char *why)
{
    struct sched *s = user;
    (void)b;
    set_state(s, strstr(why, "rate") ? SCHED_RATE_LIMITED : SCHED_OFFLINE, until, NULL);
}

/* The store's server cannot be reached (restarted, network down): the scan thread waits
 * here, holding what it found (the findings of the file in hand; nothing more is fetched
 * meanwhile), says so once per attempt, and goes on when the store is back. */
static int
on_store_lost(void *user, double wait_s, const struct akw_err *why)
{
    struct sched *s = user;
    if (!why) {
        if (s->store_down) {
            s->store_down = 0;
            sched_publish(s, SCHED_EV_STORE, 0, 0, 0, "%s",
                          _("store reachable again; recording what was held back"));
            set_state(s, s->before_down, 0, NULL);
        }
        return 0;
    }
    if (!s->store_down) {
        pthread_mutex_lock(&s->mu);
        s->before_down = s->status.state;
        pthread_mutex_unlock(&s->mu);
        s->store_down = 1;
    }
    pthread_mutex_lock(&s->mu);
    snprintf(s->status.last_error, sizeof s->status.last_error, "%s", why->msg);
    pthread_mutex_unlock(&s->mu);
    set_state(s, SCHED_OFFLINE, 0, NULL);
    /* the message names the store without its password (store_open made it so) */
    sched_publish(s, SCHED_EV_STORE, 0, 0, 0, _("store unreachable, retrying in %.1f s: %s"),
                  wait_s, why->msg);
    return gh_cancel_wait(&s->cancel, wait_s);
}

/* A revoked token of a pool: said once (the client never uses it again), the scan goes on. */
static void
on_token(void *user, size_t index, const char *masked, size_t left)
{
    struct sched *s = user;
    pthread_mutex_lock(&s->mu);
    if (index < SCHED_MAX_TOKENS)
        s->status.budgets[index].dropped = 1;
    pthread_mutex_unlock(&s->mu);
    sched_publish(s, SCHED_EV_ERROR, 0, 0, 0,
                  ngettext("GitHub rejected token %zu of %zu (%s, 401 Bad credentials): not "
                           "used again in this run; going on with the other %zu token",
                           "GitHub rejected token %zu of %zu (%s, 401 Bad credentials): not "
                           "used again in this run; going on with the other %zu tokens",
                           left),
                  index + 1, s->o.cfg->tokens.n, masked, left);
}

static double
mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct source {
    const char *name;
    enum akw_status (*run)(struct ghscan *g, struct akw_err *err);
    int enabled;
    double due;
};

static int
setup(struct sched *s, struct ghscan *g, struct detect_ruleset **rs, struct akw_err *err)
{
    const struct config *cfg = s->o.cfg;
    if (store_open(s->db_path, 0, &g->st, err) != AKW_OK)
        return -1;
    if (detect_rules_load(s->rules_dir, rs, err) != AKW_OK)
        return -1;
    g->det = detector_new(*rs);
    struct gh_client_opts ho = {
        .api_url = cfg->api_url, .tokens = (const char *const *)cfg->tokens.v,
        .n_tokens = cfg->tokens.n, .low_speed_time = s->o.http_timeout_s,
        .backoff_base_ms = s->o.backoff_base_ms, .cancel = &s->cancel, .on_wait = on_wait,
        .on_token = on_token, .user = s,
    };
    if (gh_client_new(&ho, &g->gh, err) != AKW_OK)
        return -1;
    s->lease_st = g->st;
    store_on_lost(g->st, on_store_lost, s, 0);
    thread_gh = g->gh;
    if (cfg->verify_enabled) {
        struct verify_config vc;
        verify_config_from(&vc, cfg);
        g->verifier = verifier_new(&vc);
    }
    if (notify_new(cfg, &g->notify, err) != AKW_OK) /* alerts for what this thread finds */
        return -1;
    return 0;
}

static void
finish(struct sched *s, enum akw_status st, const struct akw_err *err)
{
    s->result = st;
    if (st != AKW_OK && err)
        s->result_err = *err;
    pthread_mutex_lock(&s->mu);
    if (st != AKW_OK && st != AKW_ERR_CANCEL && err)
        snprintf(s->status.last_error, sizeof s->status.last_error, "%s", err->msg);
    pthread_mutex_unlock(&s->mu);
    set_state(s, st == AKW_OK || st == AKW_ERR_CANCEL ? SCHED_STOPPED : SCHED_ERROR, 0, "");
    struct sched_event ev = {.kind = SCHED_EV_DONE, .at = akw_now()};
    snprintf(ev.text, sizeof ev.text, "%s", st == AKW_OK || st == AKW_ERR_CANCEL ? "" : err->msg);
    push_event(s, &ev);
}

/* Run one source; returns non-zero when the thread must end. */
static int
run_source(struct sched *s, struct ghscan *g, struct source *src, enum akw_status *round,
           struct akw_err *err)
{
    set_state(s, SCHED_RUNNING, 0, src->name);
    struct akw_err e = {0};
    enum akw_status st = src->run(g, &e);
    /* cut by a lost store (what the source had not committed was rolled back, its cursor
     * too): once the store is back, run it again from the stored cursor */
    while (st == AKW_ERR_DB && store_lost(g->st) && !gh_cancelled(&s->cancel)) {
        akw_err_clear(&e);
        st = store_reconnect_wait(g->st, &e);
        if (st == AKW_OK)
            st = src->run(g, &e);
    }
    if (st == AKW_ERR_CANCEL || gh_cancelled(&s->cancel)) {
        *round = AKW_ERR_CANCEL;
        return 1;
    }
    if (st == AKW_OK)
        return 0;
    pthread_mutex_lock(&s->mu);
    snprintf(s->status.last_error, sizeof s->status.last_error, "%s: %s", src->name, e.msg);
    pthread_mutex_unlock(&s->mu);
    sched_publish(s, SCHED_EV_ERROR, 0, 0, 0, "%s: %s", src->name, e.msg);
    *round = st;
    *err = e;
    /* Retrying cannot fix credentials or a broken store. */
    return st == AKW_ERR_AUTH || st == AKW_ERR_DB || st == AKW_ERR_USAGE;
}

static void *
thread_main(void *p)
{
    struct sched *s = p;
    struct ghscan g = {.cfg = s->o.cfg, .cancel = &s->cancel, .sched = s};
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};
    enum akw_status result = AKW_OK;
    if (setup(s, &g, &rs, &err) != 0) {
        result = err.code ? err.code : AKW_ERR_IO;
        goto out;
    }
    const struct config *cfg = s->o.cfg;
    /* Own repositories first (their commits carry the richest provenance), then the feed
     * (it moves fastest), then code search (the scarcest budget). */
    struct source srcs[] = {
        {"repos", src_repos_run, cfg->orgs.n + cfg->users.n > 0, 0},
        {"events", src_events_poll, cfg->events, 0},
        {"search", src_search_run, src_search_enabled(cfg), 0},
    };
    double every[] = {(double)s->o.repos_every_s, 0, (double)s->o.search_every_s};
    g.events_interval_s = cfg->poll_interval;
    for (;;) {
        double now = mono(), next = now + 3600;
        int stop = 0;
        for (size_t i = 0; i < 3 && !stop; i++) {
            if (!srcs[i].enabled)
                continue;
            if (mono() >= srcs[i].due) {
                /* several watchers on one store: each source runs in one at a time */
                int held = 0;
                struct akw_err le = {0};
                enum akw_status ls;
                while ((ls = lease_take(s, srcs[i].name, &held, &le)) == AKW_ERR_DB &&
                       store_lost(g.st) && store_reconnect_wait(g.st, &le) == AKW_OK)
                    ; /* cut by a lost store: take it again once the store is back */
                if (ls != AKW_OK) {
                    result = le.code, err = le, stop = 1;
                    break;
                }
                if (held)
                    stop = run_source(s, &g, &srcs[i], &result, &err);
                else
                    sched_publish(s, SCHED_EV_STATUS, 0, 0, 0,
                                  "%s: another watcher holds it", srcs[i].name);
                s->lease_source = NULL;
                double again = i == 1 ? (double)g.events_interval_s : every[i];
                double retry = s->o.cfg->lease_seconds / 4.0 + 1;
                srcs[i].due = mono() + (held || again < retry ? again : retry);
            }
            if (srcs[i].due < next)
                next = srcs[i].due;
        }
        if (stop || s->o.once || gh_cancelled(&s->cancel))
            break;
        result = AKW_OK; /* a failed round is retried when due */
        struct akw_err ne;
        if (notify_tick(g.notify, g.st, &ne) != AKW_OK) /* digest when the window opens */
            sched_count(s, "alert_errors", 1);
        double left = next - mono();
        pthread_mutex_lock(&s->mu);
        s->status.next_poll = akw_now() + (time_t)(left > 0 ? left + 0.999 : 0);
        pthread_mutex_unlock(&s->mu);
        set_state(s, SCHED_WAITING, 0, ""); /* after the tick: counting says "running" */
        if (notify_wants_tick(g.notify) && left > 60)
            left = 60;
        if (left > 0 && gh_cancel_wait(&s->cancel, left))
            break;
    }
    if (gh_cancelled(&s->cancel) && result == AKW_OK)
        result = AKW_ERR_CANCEL;
out:
    if (g.gh) {
        pthread_mutex_lock(&s->mu);
        read_budgets(s, g.gh);
        pthread_mutex_unlock(&s->mu);
    }
    thread_gh = NULL;
    if (g.st) {
        struct akw_err le = {0};
        store_lease_release(g.st, s->owner, &le); /* the others need not wait for expiry */
    }
    ghgaps_free(g.repo_gaps);
    ghgaps_free(g.search_gaps);
    ghgaps_free(g.event_gaps);
    gh_client_free(g.gh);
    verifier_free(g.verifier);
    notify_free(g.notify);
    detector_free(g.det);
    detect_rules_free(rs);
    store_close(g.st);
    finish(s, result, &err);
    return NULL;
}

/* ---- lifecycle (owner thread) ---------------------------------------------------------- */

enum akw_status
sched_new(const struct sched_opts *o, struct sched **out, struct akw_err *err)
{
    struct sched *s = xcalloc(1, sizeof *s);
    s->o = *o;
    s->db_path = xstrdup(o->db_path);
    s->rules_dir = xstrdup(o->rules_dir);
    s->o.db_path = s->o.rules_dir = NULL;
    if (!s->o.search_every_s)
        s->o.search_every_s = 900;
    if (!s->o.repos_every_s)
        s->o.repos_every_s = 300;
    s->q = xcalloc(QUEUE_MAX, sizeof *s->q);
    s->wake[0] = s->wake[1] = -1;
    char host[64] = "";
    if (gethostname(host, sizeof host - 1) != 0 || !*host)
        snprintf(host, sizeof host, "%s", "localhost");
    snprintf(s->owner, sizeof s->owner, "%s:%ld", host, (long)getpid());
    pthread_mutex_init(&s->mu, NULL);
    enum akw_status st = gh_cancel_init(&s->cancel, err);
    if (st == AKW_OK && pipe(s->wake) != 0)
        st = akw_err_set(err, AKW_ERR_IO, _("cannot create a pipe: %s"), strerror(errno));
    for (int i = 0; st == AKW_OK && i < 2; i++) {
        fcntl(s->wake[i], F_SETFL, fcntl(s->wake[i], F_GETFL) | O_NONBLOCK);
        fcntl(s->wake[i], F_SETFD, FD_CLOEXEC);
    }
    if (st != AKW_OK) {
        sched_free(s);
        return st;
    }
    *out = s;
    return AKW_OK;
}

enum akw_status
sched_start(struct sched *s, struct akw_err *err)
{
    const struct config *cfg = s->o.cfg;
    if (!src_search_enabled(cfg) && !cfg->orgs.n && !cfg->users.n && !cfg->events)
        return akw_err_set(err, AKW_ERR_USAGE,
                           _("no GitHub source configured: add an asset, a query, an org, a "
                             "user or events = on to the config"));
    if (s->started)
        return akw_err_set(err, AKW_ERR_USAGE, _("the scan is already running"));
    s->status.state = SCHED_RUNNING;
    if (pthread_create(&s->th, NULL, thread_main, s) != 0)
        return akw_err_set(err, AKW_ERR_IO, _("cannot start the scan thread"));
    s->started = 1;
    return AKW_OK;
}

void
sched_cancel(struct sched *s)
{
    gh_cancel_request(&s->cancel);
}

enum akw_status
sched_join(struct sched *s, struct akw_err *err)
{
    if (s->started && !s->joined) {
        pthread_join(s->th, NULL);
        s->joined = 1;
    }
    if (s->result != AKW_OK && err)
        *err = s->result_err;
    return s->result;
}

void
sched_stop(struct sched *s)
{
    sched_cancel(s);
    sched_join(s, NULL);
}

void
sched_free(struct sched *s)
{
    if (!s)
        return;
    if (s->started && !s->joined)
        sched_stop(s);
    gh_cancel_done(&s->cancel);
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    pthread_mutex_destroy(&s->mu);
    free(s->q);
    free(s->db_path);
    free(s->rules_dir);
    free(s);
}
