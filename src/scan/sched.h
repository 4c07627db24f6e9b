/* sched — the GitHub scan scheduler: runs the code-search, events-feed and org/user-repo
 * sources in a background thread with its own store connection, detector and HTTP client,
 * and tells a listener what happened through a queue and a pipe it can poll().
 * Does not draw anything or send notifications: front ends (cli/watch, the TUI) do.
 *
 *   scheduler.c   the thread, the queue, status, due times of each source
 *   ghscan.c      detection of one text with provenance, ownership, recording (private)
 *   src_search.c  code search per asset and per query (seen blob shas skip refetches)
 *   src_events.c  the public events feed (ETag, X-Poll-Interval, highest id, gaps)
 *   src_repos.c   org/user repositories: default branch once, then new commits only
 *   gaps.c        files that could not be fetched: skipped, reported, retried, given up
 *
 * Threads: sched_new/start/stop/free on one owner thread; sched_fd, sched_drain and
 * sched_status may be called from any thread. Callbacks run on the scan thread.
 */
#ifndef AKW_SCHED_H
#define AKW_SCHED_H

#include <stdint.h>
#include <time.h>

#include "config/conf.h"
#include "util/util.h"

/* Not SCHED_IDLE: glibc's <sched.h> (pulled in by <pthread.h> under _GNU_SOURCE) defines
 * SCHED_IDLE as 5, which silently turned "waiting" into SCHED_STOPPED. */
enum sched_state {
    SCHED_WAITING = 0,  /* not started, or waiting for the next poll (until next_poll) */
    SCHED_RUNNING,      /* a source is working */
    SCHED_RATE_LIMITED, /* waiting for a rate-limit reset (until limited_until) */
    SCHED_OFFLINE,      /* network errors; retrying */
    SCHED_ERROR,        /* stopped on an error that retrying cannot fix (e.g. 401) */
    SCHED_STOPPED,      /* finished (--once) or stopped */
};
/* "idle" | "running" | "rate-limited" | "offline" | "error" | "stopped" (untranslated). */
const char *sched_state_name(enum sched_state s);

enum sched_event_kind {
    SCHED_EV_FINDING = 1, /* a finding was recorded (leak_id, new_leak, owned) */
    SCHED_EV_STATUS,      /* the state changed; text says what */
    SCHED_EV_GAP,         /* the events feed moved faster than the poll: events missed */
    SCHED_EV_ERROR,       /* a source failed this round (text); the scan goes on */
    SCHED_EV_DONE,        /* the thread ended */
    SCHED_EV_STORE,       /* the store's server is unreachable, or back (text) */
};

struct sched_event {
    enum sched_event_kind kind;
    time_t at;
    int64_t leak_id;
    int new_leak, owned;
    char text[300]; /* finding: "rule repo/path:line"; never a secret or a token */
};

/* The budget of one token, as GitHub's last answers told it (limit 0 = not known yet). */
struct sched_budget {
    long core_remaining, core_limit, search_remaining, search_limit;
    time_t core_reset, search_reset; /* search: the code_search bucket */
    int dropped; /* GitHub rejected it (401 Bad credentials): not used again in this run */
};
#define SCHED_MAX_TOKENS 8

struct sched_status {
    enum sched_state state;
    time_t limited_until;  /* when state is SCHED_RATE_LIMITED */
    time_t next_poll;      /* when state is SCHED_WAITING: when the next source is due */
    char source[16];       /* "search" | "events" | "repos" | "" */
    long files, commits, events, findings, new_leaks, gaps;
    long skipped;          /* files and commits that could not be fetched this run: retried
                              next run, or given up after [github] give_up_after runs (still
                              counted) */
    long skipped_commits;  /* of them, commits */
    long requests;         /* HTTP transfers made */
    time_t last_detection;
    char last_error[300];
    long verified, verify_errors; /* live checks made ([verify] enabled = on) and failures
                                     to store their outcome */
    size_t n_tokens;       /* budgets[0..n_tokens) (the anonymous budget when no token) */
    struct sched_budget budgets[SCHED_MAX_TOKENS];
};

typedef void (*sched_status_cb)(const struct sched_status *st, void *user);
typedef void (*sched_event_cb)(const struct sched_event *ev, void *user);

struct sched_opts {
    const char *db_path;          /* the store (the thread opens its own connection) */
    const char *rules_dir;        /* data/rules */
    const struct config *cfg;     /* borrowed; must outlive the scheduler */
    int once;                     /* run each enabled source once, then stop */
    /* Test and tuning seams (0 = defaults): */
    long search_every_s;          /* default 900 */
    long repos_every_s;           /* default 300 */
    long http_timeout_s;          /* low-speed timeout, default 30 */
    long backoff_base_ms;         /* default 1000 */
    sched_status_cb on_status;    /* optional, scan thread, on every change/progress */
    sched_event_cb on_event;      /* optional, scan thread, for every queued event */
    void *user;
};

struct sched;

/* Copy opts (cfg stays borrowed). Creates the wake pipe. Caller sched_free()s. */
enum akw_status sched_new(const struct sched_opts *o, struct sched **out, struct akw_err *err);
/* Start the thread. AKW_ERR_USAGE when no source is configured. */
enum akw_status sched_start(struct sched *s, struct akw_err *err);
/* Ask the thread to stop (async-signal-safe) — it notices within a second. */
void sched_cancel(struct sched *s);
/* Wait for the thread to end; returns its final status: AKW_OK, AKW_ERR_CANCEL when
 * stopped, or the error that ended it (err filled). */
enum akw_status sched_join(struct sched *s, struct akw_err *err);
/* cancel + join. */
void sched_stop(struct sched *s);
void sched_free(struct sched *s);

/* The read end of the wake pipe: readable when events are queued. Any thread. */
int sched_fd(const struct sched *s);
/* Take up to max queued events (oldest first) and empty the pipe. Any thread. */
size_t sched_drain(struct sched *s, struct sched_event *out, size_t max);
/* A copy of the current status. Any thread. */
void sched_status(struct sched *s, struct sched_status *out);

#endif
