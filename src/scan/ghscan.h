/* ghscan — private to the GitHub sources of src/scan/: the context each source works in
 * (client, store, detector, config, cancel) and the one way they record what they found:
 * detect a text, decide ownership, record findings with provenance and the source's state
 * in ONE transaction, so a kill at any instant neither loses nor duplicates anything.
 * Scan thread only. */
#ifndef AKW_GHSCAN_H
#define AKW_GHSCAN_H

#include "config/conf.h"
#include "detect/detect.h"
#include "github/github.h"
#include "scan/sched.h"
#include "store/store.h"

struct ghscan {
    struct gh_client *gh;
    struct store *st;
    struct detector *det;
    const struct config *cfg;
    struct gh_cancel *cancel;
    struct sched *sched;     /* for events and counters; may be NULL in tests */
    long events_interval_s;  /* set by the events source from X-Poll-Interval */
    struct verifier *verifier; /* [verify] enabled = on: keys are live-checked as they are
                                  found (verify layer); NULL = off */
    struct notify *notify;     /* alerts for new leaks (notify layer); NULL = none */
    struct ghgaps *repo_gaps;  /* the repos source's skipped files and commits (src_repos.c
                                  owns it; the scheduler frees it with the context) */
    struct ghgaps *search_gaps; /* the code-search source's (src_search.c), likewise */
    struct ghgaps *event_gaps;  /* the events feed's skipped commits (src_events.c) */
};

/* Where a text came from. Borrowed strings. */
struct ghprov {
    const char *repo;      /* owner/name */
    const char *path;
    const char *commit;    /* may be NULL */
    const char *url;       /* html url of the file at that commit (no #L); may be NULL */
    const char *author;    /* may be NULL */
    time_t committed_at;   /* 0 = unknown */
    int owned_source;      /* from a configured org/user */
    int from_feed;         /* public events feed: unowned findings kept only if keep_unowned */
};

/* One scan_state write to make in the same transaction as the findings. */
struct ghstate {
    const char *source, *key, *value;
};

/* Detect data[0..len) and record the findings plus the state writes atomically.
 * Skips binaries. Counts into the scheduler's status. */
enum akw_status ghscan_text(struct ghscan *g, const struct ghprov *p, const char *data,
                            size_t len, const struct ghstate *state, size_t n_state,
                            struct akw_err *err);
/* The added lines of commit sha of repo, scanned file by file (each file's findings in its
 * own transaction; skipped paths and files without a patch left out), then `done` (may be
 * NULL) written in a transaction of its own once every file is in. Locations point at
 * HTML_BASE/blob/SHA/PATH, where html_base is the repository's html url, or NULL to derive
 * it from the commit's html_url (https://github.com/REPO when that has none). from_feed: the
 * public feed (unowned findings kept only with keep_unowned); otherwise the repository is a
 * configured org's or user's and every finding is owned. Counts the commit.
 * Returns AKW_ERR_NOTFOUND, writing nothing, when the commit cannot be had (404/409/422). */
enum akw_status ghscan_commit_added(struct ghscan *g, const char *repo, const char *html_base,
                                    const char *sha, int from_feed, const struct ghstate *done,
                                    struct akw_err *err);
/* Write state only (one transaction). */
enum akw_status ghscan_state(struct ghscan *g, const struct ghstate *state, size_t n_state,
                             struct akw_err *err);
/* 1 when the key exists in scan_state. */
int ghscan_seen(struct ghscan *g, const char *source, const char *key);
/* Is owner (of "owner/repo") a configured org or user? */
int ghscan_owner_configured(const struct config *cfg, const char *repo);
/* Does a skip fragment of [scan] skip match path? */
int ghscan_path_skipped(const struct config *cfg, const char *path);

/* Files a source could not fetch (gaps.c): skipped for this run and reported; counted per
 * file in scan_state ("fail:SHA:REPO:PATH" = failed runs in a row); after [github]
 * give_up_after such runs not tried again, listed in "skipped:REPO" and reported every run.
 * A commit is a gap with an empty path (sha = the commit). Pending failures are written and
 * reported per repository by ghgaps_flush(). */
struct ghgaps;
/* source: borrowed. one_repo: the source walks one repository at a time (a failure in
 * another drops what an unfinished walk left pending); else failures of any mix pend. */
struct ghgaps *ghgaps_new(struct ghscan *g, const char *source, int one_repo);
void ghgaps_free(struct ghgaps *gp);
/* A new run of the source: the streak and anything left pending by an unfinished run go. */
void ghgaps_begin(struct ghgaps *gp);
/* 1 when the file was given up in an earlier run: do not fetch it. */
int ghgaps_given_up(struct ghgaps *gp, const char *repo, const char *path, const char *sha);
/* 1 when it already failed in this run (do not fetch it twice). */
int ghgaps_pending(const struct ghgaps *gp, const char *repo, const char *path,
                   const char *sha);
/* A fetch worked (a run of failures in a row ends). */
void ghgaps_fetched(struct ghgaps *gp);
/* A fetch failed with st (err filled). A 5xx after the retries or a bad body (AKW_ERR_NET,
 * AKW_ERR_PARSE) is kept pending and AKW_OK returned: the caller goes on with the next file.
 * Any other status is returned as is; so is the third failure in a row (an outage, not a
 * bad file: what is pending is dropped, err says so) and the caller stops. */
enum akw_status ghgaps_failed(struct ghgaps *gp, const char *repo, const char *path,
                              const char *sha, enum akw_status st, struct akw_err *err);
/* Write the pending failures of repo (NULL: of every repository, one transaction each)
 * (their counts; the files given up) in one transaction, then report each (SCHED_EV_ERROR,
 * counted as "skipped"). *open = how many of them the next run must try again. */
enum akw_status ghgaps_flush(struct ghgaps *gp, const char *repo, long *open,
                             struct akw_err *err);
/* Report (and count) the files of repo given up in earlier runs: once per process (a
 * `watch` would else repeat them every round). */
void ghgaps_report_given_up(struct ghgaps *gp, const char *repo);

/* Scheduler hooks (scheduler.c). */
void sched_count(struct sched *s, const char *what, long n);
void sched_publish(struct sched *s, enum sched_event_kind kind, int64_t leak_id, int new_leak,
                   int owned, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The sources. Each runs one round and returns; errors are per round. */
int src_search_enabled(const struct config *cfg); /* any asset or query configured */
enum akw_status src_search_run(struct ghscan *g, struct akw_err *err);
enum akw_status src_events_poll(struct ghscan *g, struct akw_err *err);
enum akw_status src_repos_run(struct ghscan *g, struct akw_err *err);

#endif
