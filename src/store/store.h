/* store — the SQLite store of leaks, their locations, triage decisions, whitelist,
 * alerts, suspicious calls and scan state. Callers never see SQL.
 *
 *   driver.h     the thin SQL driver every statement goes through (prepare / bind / step)
 *   driver_sqlite.c  the driver over sqlite3, and opening a store file (0600, WAL, checks)
 *   store.c      open (identity, schema version), close, transactions
 *   migrate.c    versioned schema migrations (meta.schema_version)
 *   sql.c        per-connection prepared-statement cache, error messages, transactions
 *   names.c      status/action names, leak_done, location_done
 *   record.c     record findings (dedupe by fingerprint, whitelist, regression reopen)
 *   leaks.c      get one leak, locations of a leak
 *   page.c       count, page and walk the filtered list (fast on 1M leaks)
 *   triage.c     handle (deleted/disabled/whitelisted/reopened) and the audit log
 *   whitelist.c  whitelist add/remove/list ("cancel whitelist")
 *   state.c      per-source key/value scan state (cursors, ETags, seen blobs), stats
 *   verify.c     verification outcome (verify layer)
 *   lease.c      which watcher runs which GitHub source (team mode; both backends)
 *   alerts.c, calls.c  alerts, suspicious calls, access-log requests (notify/calls layers)
 *   copy.c       copy every row of one store into another (store copy FROM TO)
 *
 * Threads: one struct store per thread (each owns its sqlite3 connection). Several
 * processes may open the same file; writers wait up to the busy timeout.
 */
#ifndef AKW_STORE_H
#define AKW_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/util.h"

enum leak_status {
    LEAK_STATUS_UNHANDLED = 0,
    LEAK_STATUS_HANDLED = 1,
    LEAK_STATUS_WHITELISTED = 2,
};
enum handled_as {
    HANDLED_NONE = 0,
    HANDLED_DELETED = 1,
    HANDLED_DISABLED = 2,
};
/* Triage decisions, as written to the audit log. */
enum triage_action {
    TRIAGE_DELETED = 1,     /* deleted manually   -> handled/deleted */
    TRIAGE_DISABLED = 2,    /* disabled manually  -> handled/disabled */
    TRIAGE_WHITELISTED = 3, /* add to whitelist   -> whitelisted */
    TRIAGE_REOPENED = 4,    /* back to unhandled (also "cancel whitelist") */
};

/* "unhandled" | "handled" | "whitelisted"; parse returns 0 or -1. */
const char *leak_status_name(enum leak_status s);
int leak_status_parse(const char *s, enum leak_status *out);
/* "" | "deleted" | "disabled" */
const char *handled_as_name(enum handled_as h);
/* "deleted" | "disabled" | "whitelisted" | "reopened"; parse returns 0 or -1. */
const char *triage_action_name(enum triage_action a);
int triage_action_parse(const char *s, enum triage_action *out);

/* One place a leak was seen. Strings are heap-owned by the struct (location_done frees);
 * as input to store_record() they are only read. */
struct location {
    int64_t id, leak_id;
    char *platform; /* "local" | "git" | "github" */
    char *repo;     /* "owner/name" for github; the scanned root for local; may be NULL */
    char *path;
    long line, column;
    char *commit, *url, *author; /* may be NULL */
    time_t committed_at;         /* 0 when unknown */
    time_t found_at;
    char *snippet; /* the matching line, secret masked */
};

/* One leak (one fingerprint). Heap-owned strings; leak_done frees. */
struct leak {
    int64_t id;
    char fingerprint[65];
    char *rule, *kind, *description;
    char *ak_id;         /* may be NULL */
    char *secret_masked;
    char *secret;        /* raw secret: only set when the user opted in; else NULL */
    enum severity severity;
    /* how sure detection is that it is a real credential: the highest confidence of its
     * locations. store_record reads the finding's (0 = high); get/page fill the leak's
     * (leaks recorded before findings were graded read as high) */
    enum confidence confidence;
    int owned;
    enum leak_status status;
    enum handled_as handled_as;
    char *note;          /* note of the latest decision, may be NULL */
    char *verified;      /* "live" | "invalid" | "unknown" | NULL (not checked) */
    time_t first_seen, last_seen;
    /* filled by get/page, ignored by store_record: */
    char *repo, *path;   /* of the first location */
    long n_locations;
    /* the last live check (verify layer; filled by get/page, ignored by store_record): */
    time_t verified_at;        /* 0 = never checked */
    char *verified_identity;   /* live: what the provider says the key is; may be NULL */
    char *verify_error;        /* invalid/unknown: the provider's code or the network error */
};

void leak_done(struct leak *l);
void location_done(struct location *l);

struct store;

enum { STORE_OPEN_READONLY = 1 };

/* Is the location a URL (scheme://...) rather than a file path? A URL is never taken for a
 * path: postgresql:// and postgres:// open a PostgreSQL store, any other scheme is refused. */
int store_location_is_url(const char *location);
/* 1 when location names a server's store (postgresql:// or postgres://). */
int store_location_is_server(const char *location);

/* Open a store and migrate it. path is a file (SQLite) or a postgresql:// URL (team mode:
 * libpq's URL syntax; TLS verify-full unless the URL sets sslmode; messages name the URL
 * without its password). A file store:
 * Open (creating it 0600, and its folder 0700, when missing, unless READONLY) and migrate.
 * READONLY on a store of an older schema: when the file and its folder are writable by this
 * process, it is upgraded first (each migration step one transaction, as a read-write open
 * does), then opened read-only; when they are not, AKW_ERR_DB with one line naming the
 * file, its schema version and what to do.
 * Errors: AKW_ERR_DB "PATH: not an akwatch store / database is locked / ..." */
enum akw_status store_open(const char *path, int flags, struct store **out, struct akw_err *err);
void store_close(struct store *st);
/* "sqlite" or "postgresql". */
const char *store_backend(const struct store *st);

/* ---- roles.c: least privilege on a PostgreSQL store (`akwatch store roles`) ---------- */

/* 1 when prefix may name the roles (PREFIX_watcher, PREFIX_analyst, PREFIX_viewer). */
int store_roles_prefix_ok(const char *prefix);
/* *out: the SQL script that creates the three NOLOGIN group roles and grants each what it
 * may do on this store's schema, and nothing else (the caller frees it). A SQLite store,
 * or a bad prefix: AKW_ERR_USAGE. */
enum akw_status store_roles_script(struct store *st, const char *prefix, char **out,
                                   struct akw_err *err);
/* Run that script (one transaction; the store's owner runs it). */
enum akw_status store_roles_apply(struct store *st, const char *script, struct akw_err *err);

/* Group many writes in one transaction (much faster for scans). Nesting is not allowed.
 * A batch is all or nothing: after a write in it failed, later writes and store_commit()
 * refuse with an error, and the commit rolls the batch back (as store_rollback()). */
enum akw_status store_begin(struct store *st, struct akw_err *err);
enum akw_status store_commit(struct store *st, struct akw_err *err);
void store_rollback(struct store *st);

struct store_record_result {
    int64_t leak_id;
    int new_leak;     /* first time this fingerprint was seen */
    int new_location; /* this location was not known yet */
    int whitelisted;  /* the leak is (or became, via its AK ID) whitelisted */
    int reopened;     /* a handled leak seen in a new location after handling: reopened */
    /* the leak's confidence before this finding (0 for a new leak) and after it: a finding
     * surer than every earlier one raises it (alerts gated on confidence use the pair) */
    enum confidence confidence_before, confidence;
};

/* Record a finding: insert the leak if its fingerprint is new (status whitelisted at once
 * if its AK ID or fingerprint is whitelisted), add the location unless the same
 * (platform, repo, path, line, commit) is known, bump last_seen and raise the confidence
 * to the finding's when that is higher. Reads in->fingerprint, rule, kind, description,
 * ak_id, secret_masked, secret, severity, confidence, owned, first_seen (0 = now). A handled leak seen in a new location found after its handling is reopened
 * (audit log: who "akwatch", note "regression"). */
enum akw_status store_record(struct store *st, const struct leak *in, const struct location *loc,
                             struct store_record_result *res, struct akw_err *err);

enum leak_sort {
    LEAK_SORT_TIME = 0,     /* newest first_seen first */
    LEAK_SORT_SEVERITY = 1, /* most severe first, then newest */
};

/* Verification filter bits, OR-ed into leak_filter.status_mask (verify layer): when any is
 * set, only leaks whose verification state is one of those set are listed. */
enum {
    LEAK_VERIFIED_LIVE = 1 << 8,
    LEAK_VERIFIED_INVALID = 1 << 9,
    LEAK_VERIFIED_UNKNOWN = 1 << 10,
    LEAK_VERIFIED_NONE = 1 << 11, /* never checked */
    LEAK_VERIFIED_ANY = 0xf << 8,
};

struct leak_filter {
    int status_mask;       /* bits (1 << LEAK_STATUS_*); 0 = every status; may also carry
                              LEAK_VERIFIED_* bits */
    const char *ak_prefix; /* AK ID prefix (case-insensitive); NULL/"" = any */
    const char *text;      /* substring of ak_id or of any location's repo, path or url;
                              NULL/"" = any */
    enum leak_sort sort;
    int confidence_mask;   /* bits (1 << CONFIDENCE_*); 0 = every confidence. The default
                              lists pass store_confidence_at_least(threshold) */
};

/* The confidence_mask of every level at or above min (min 0 or below low: every level). */
int store_confidence_at_least(enum confidence min);

enum akw_status store_leak_count(struct store *st, const struct leak_filter *f, long *out,
                                 struct akw_err *err);
/* Fill out[0..limit) with the rows at [offset, offset+limit) of the filtered, sorted list;
 * *n_out gets how many. Caller leak_done()s each. Cost must not grow with the store size for
 * small offsets, and stays usable (index-backed) for deep ones. */
enum akw_status store_leak_page(struct store *st, const struct leak_filter *f, long offset,
                                long limit, struct leak *out, size_t *n_out, struct akw_err *err);
/* Call cb for every leak of the filter in order (export, list). Stop when cb returns
 * non-zero. The leak passed is borrowed for the duration of the call. */
enum akw_status store_leak_foreach(struct store *st, const struct leak_filter *f,
                                   int (*cb)(const struct leak *l, void *user), void *user,
                                   struct akw_err *err);
/* AKW_ERR_NOTFOUND "no leak with id N" when missing. Caller leak_done()s. */
enum akw_status store_leak_get(struct store *st, int64_t id, struct leak *out,
                               struct akw_err *err);
/* All locations of a leak, oldest first. Caller frees with store_locations_free(). */
enum akw_status store_locations_get(struct store *st, int64_t leak_id, struct location **out,
                                    size_t *n, struct akw_err *err);
void store_locations_free(struct location *locs, size_t n);

/* Apply a triage decision to one leak and write it to the audit log (who, when, what,
 * note), in one transaction. Whitelisting a leak with an AK ID also whitelists the AK ID
 * (future findings of it are whitelisted). REOPENED on a whitelisted leak cancels its
 * whitelist entry. who: the user name. note may be NULL. */
enum akw_status store_handle(struct store *st, int64_t leak_id, enum triage_action a,
                             const char *note, const char *who, struct akw_err *err);
/* What a deciding analyst saw of a leak (a list row, the processing pane). */
struct leak_seen {
    enum leak_status status;
    enum handled_as handled_as;
};
/* store_handle, refused with AKW_ERR_STALE when the leak's status or handled-as is no
 * longer what seen says (another analyst decided meanwhile): err names who changed it and
 * when (from the audit log) and what it is now; nothing is written. The row is locked while
 * deciding, so of two analysts deciding at once on one leak, the second is refused.
 * seen NULL: no check (store_handle). On a server store the audit log names the session's
 * role instead of who when the role is not the database owner's (see store_actor). */
enum akw_status store_handle_seen(struct store *st, int64_t leak_id, enum triage_action a,
                                  const char *note, const char *who,
                                  const struct leak_seen *seen, struct akw_err *err);
/* The same check without deciding (before running an [actions] hook): AKW_OK while the
 * leak is as seen, AKW_ERR_STALE (who and when) once it is not. */
enum akw_status store_check_seen(struct store *st, int64_t leak_id,
                                 const struct leak_seen *seen, struct akw_err *err);

/* Append one row to a leak's audit log that changes nothing else (the outcome of an
 * [actions] hook: what "hook-deleted", note "exit 0: ticket opened"), in a transaction of
 * its own; who as in store_handle. AKW_ERR_NOTFOUND when there is no such leak. */
enum akw_status store_audit_note(struct store *st, int64_t leak_id, const char *what,
                                 const char *note, const char *who, struct akw_err *err);

struct whitelist_entry {
    int64_t id;
    char *ak_id;       /* either ak_id or fingerprint is set */
    char *fingerprint;
    char *reason, *who;
    time_t added_at;
    long n_leaks;      /* leaks currently whitelisted through this entry */
};
/* Whitelist an AK ID (every leak naming it becomes whitelisted, now and in future).
 * Idempotent. Audit-logged. */
enum akw_status store_whitelist_add(struct store *st, const char *ak_id, const char *reason,
                                    const char *who, struct akw_err *err);
/* Cancel the whitelist of an AK ID or a fingerprint: its leaks return to unhandled.
 * AKW_ERR_NOTFOUND when not whitelisted. Audit-logged. */
enum akw_status store_whitelist_remove(struct store *st, const char *ak_id_or_fp,
                                       const char *who, struct akw_err *err);
enum akw_status store_whitelist_list(struct store *st, struct whitelist_entry **out, size_t *n,
                                     struct akw_err *err);
void store_whitelist_free(struct whitelist_entry *e, size_t n);

/* Audit log rows. */
struct audit_entry {
    int64_t id, leak_id; /* leak_id 0 for whitelist changes not tied to one leak */
    char *ak_id, *who, *what, *note; /* what: triage_action_name() or "whitelist-add"... */
    time_t at;
};
/* leak_id 0 = the whole log. Oldest first. */
enum akw_status store_audit_list(struct store *st, int64_t leak_id, struct audit_entry **out,
                                 size_t *n, struct akw_err *err);
void store_audit_free(struct audit_entry *e, size_t n);

struct store_stats {
    long leaks, unhandled, handled, whitelisted, owned;
    long locations, calls, call_alerts, alerts;
    time_t last_detection; /* max(last_seen), 0 if none */
};
enum akw_status store_stats_get(struct store *st, struct store_stats *out, struct akw_err *err);

/* Scan state: small key/value per source (cursors, ETags, seen blob shas).
 * get: AKW_ERR_NOTFOUND when absent; *value is malloc'd (caller frees). */
enum akw_status store_state_get(struct store *st, const char *source, const char *key,
                                char **value, struct akw_err *err);
enum akw_status store_state_set(struct store *st, const char *source, const char *key,
                                const char *value, struct akw_err *err);

/* ---- live updates (store.c): several analysts on one server store ---------------------- */

/* A file descriptor to poll() that becomes readable when another connection commits a
 * change to the leaks or the whitelist (PostgreSQL LISTEN/NOTIFY: the notify triggers of
 * migrate_pg.c), or -1 when the store cannot tell (a SQLite file; err untouched) or on
 * error (err set). */
int store_listen(struct store *st, struct akw_err *err);
/* After store_listen: 1 when a change was committed since the last call (by anyone,
 * this connection too), 0 when not, -1 on error. Never blocks; call it also before
 * polling, since a notification may have arrived with another answer. */
int store_changed(struct store *st, struct akw_err *err);

/* ---- a lost server (reconnect.c) -------------------------------------------------------- */

/* Is the connection to a server store lost (it restarted, the network dropped)? An
 * operation that failed on a lost connection did nothing: its transaction was rolled back
 * by the server, and it may be retried whole once connected again. Always 0 for a file. */
int store_lost(struct store *st);
/* One attempt to connect again (same URL; statements are prepared anew; a LISTEN is made
 * again, and store_listen then gives the new descriptor). AKW_OK (also when not lost), or
 * AKW_ERR_DB "URL: cannot connect to the store: REASON" (no password). */
enum akw_status store_reconnect(struct store *st, struct akw_err *err);
/* The wait before connecting again after attempt (0-based) failed: 0.5 s doubling up to
 * max_s (30 when 0), within ±20 % (seed: the caller's rand_r state). */
double store_backoff(unsigned attempt, double max_s, unsigned *seed);
/* A long-running writer's wait: when why is not NULL the server could not be reached and
 * the store will try again in wait_s seconds: wait that long (return 0) or give up (non-zero:
 * the operation fails with AKW_ERR_CANCEL); why NULL: connected again. */
typedef int (*store_lost_fn)(void *arg, double wait_s, const struct akw_err *why);
/* From now on an operation that starts on a lost connection (outside a transaction) waits
 * for the server with fn (backoff up to max_s, 0 = 30 s) instead of failing, and a single
 * record or scan-state write cut by the loss is retried whole. fn runs on the store's
 * thread. */
void store_on_lost(struct store *st, store_lost_fn fn, void *arg, double max_s);
/* After an operation failed on a lost connection (outside any transaction): connect again,
 * waiting with store_on_lost's fn between attempts. AKW_OK when connected (or not lost),
 * AKW_ERR_CANCEL when fn gave up; without store_on_lost, one attempt (store_reconnect). */
enum akw_status store_reconnect_wait(struct store *st, struct akw_err *err);

/* ---- leases (lease.c): several watchers on one store, no source run by two --------------- */

/* One source's lease. Heap strings; lease_done frees. */
struct lease {
    char *source; /* the source's name, as the scheduler gives it */
    char *owner;  /* the watcher: "host:pid" */
    time_t since, expires;
    char *budget; /* the owner's token budget when it last renewed ("" or NULL: unknown) */
};
void lease_done(struct lease *l);
/* Take or renew the lease of source for owner until now + seconds: *held = 1 when owner
 * holds it now (it was free, expired, or owner's), 0 when another owner's lease is still
 * running. budget (may be NULL) is kept with it for `akwatch watchers`. Atomic across
 * processes and backends. */
enum akw_status store_lease_take(struct store *st, const char *source, const char *owner,
                                 int seconds, const char *budget, int *held,
                                 struct akw_err *err);
/* Take source's lease over from dead_owner, a watcher known to be gone (killed on this
 * host): *held = 1 when the row was still dead_owner's and is now owner's until now +
 * seconds, 0 when someone else took or renewed it first. Atomic like store_lease_take. */
enum akw_status store_lease_take_over(struct store *st, const char *source,
                                      const char *dead_owner, const char *owner, int seconds,
                                      const char *budget, int *held, struct akw_err *err);
/* Give back every lease of owner (a watcher that stops). */
enum akw_status store_lease_release(struct store *st, const char *owner, struct akw_err *err);
/* Every lease, expired ones included, by owner then source. Caller store_leases_free()s. */
enum akw_status store_leases_list(struct store *st, struct lease **out, size_t *n,
                                  struct akw_err *err);
void store_leases_free(struct lease *l, size_t n);

/* ---- verification outcome (verify.c; written by the verify layer) ---------------------- */

/* What the last live check of a leak said. Heap strings owned by the struct. */
struct leak_verification {
    char *state;       /* "live" | "invalid" | "unknown" | NULL (never checked) */
    time_t checked_at; /* 0 when never checked */
    char *identity;    /* live: what the provider says the key is; may be NULL */
    char *error;       /* invalid/unknown: the provider's code or the network error; or NULL */
};
void leak_verification_done(struct leak_verification *v);
/* AKW_ERR_NOTFOUND when there is no such leak. Caller leak_verification_done()s *out. */
enum akw_status store_verify_get(struct store *st, int64_t leak_id, struct leak_verification *out,
                                 struct akw_err *err);
/* Store an outcome on a leak (state NULL/"" clears it). When the state differs from the
 * stored one, the audit log gets a row what = "verified-<state>", note = identity or error,
 * in the same transaction. *changed (may be NULL) says whether the state changed. */
enum akw_status store_verify_set(struct store *st, int64_t leak_id, const char *state,
                                 time_t checked_at, const char *identity, const char *error,
                                 const char *who, int *changed, struct akw_err *err);
/* Ids of the leaks never checked or last checked at or before `before` (oldest check
 * first), restricted to statuses in status_mask (bits 1 << LEAK_STATUS_*; 0 = all).
 * Caller frees *ids. */
enum akw_status store_verify_due(struct store *st, time_t before, int status_mask,
                                 int64_t **ids, size_t *n, struct akw_err *err);

/* ---- copying a store (copy.c) ------------------------------------------------------- */

/* What the copy did to one table. */
struct store_copy_table {
    const char *name; /* "leaks", "locations", "whitelist", "calls", "alerts", "actions",
                         "scan_state", "access_requests" (static) */
    long from;        /* rows in the source */
    long copied;      /* added to the target by this copy */
    long present;     /* already in the target (matched on natural keys, not ids) */
    long to_before, to_after; /* rows in the target before and after */
    int kept_ids;     /* the target held none: the rows kept the source's ids */
};
#define STORE_COPY_TABLES 8
struct store_copy_report {
    struct store_copy_table tables[STORE_COPY_TABLES]; /* in the order they are copied */
    long fingerprints;         /* leaks' fingerprints of the source, all found in the target */
    long missing_fingerprints; /* of them not in the target (the copy is then refused) */
    long other_decision;       /* leaks the target held already with another decision
                                  (status, handled_as or note): the target's is kept */
};

/* Copy every leak (with its decision, verification outcome and raw secret if kept),
 * location, whitelist entry, suspicious call, alert, audit row, scan state and access-log
 * request of `from` into `to` (either backend, either way). A row the target holds already
 * (a leak by fingerprint, a location by its place, a whitelist entry by AK ID or
 * fingerprint, a call or request by event key, scan state by source and key, an alert or
 * audit row by all its fields) is not added again, so a second copy adds nothing. A table
 * the target holds no row of keeps the source's ids. All in one transaction of `to`,
 * which commits only when every table's count adds up and every fingerprint of `from` is
 * in `to`; on an error `to` is unchanged. `from` is read in one read transaction and never
 * written (open it READONLY). *rep is filled either way (as far as the copy went).
 * Errors: AKW_ERR_USAGE "A and B are the same store"; AKW_ERR_DB (either store's). */
enum akw_status store_copy(struct store *from, struct store *to, struct store_copy_report *rep,
                           struct akw_err *err);
/* Are a and b the same database (one file by two paths, one server database by two URLs)?
 * A store whose identity cannot be read counts as the same. */
int store_same(struct store *a, struct store *b);
/* The store as messages name it: its path, or its URL without the password. Borrowed:
 * valid until store_close. */
const char *store_name(const struct store *st);

/* ==== alerts, suspicious calls, access-log requests ===================================
 * Owned by the notify/calls engineer: alerts.c, calls.c (this section only).
 * Threads: as above, one struct store per thread. */

enum alert_type {
    ALERT_TYPE_LEAK = 0,   /* a new (or reopened) unhandled leak */
    ALERT_TYPE_CALL = 1,   /* a new suspicious call made with a leaked key */
    ALERT_TYPE_DIGEST = 2, /* one summary of alerts suppressed outside the window */
};
enum alert_state {
    ALERT_PENDING = 0,    /* created, delivery not finished */
    ALERT_SENT = 1,       /* delivered through every configured channel; sent_at set */
    ALERT_SUPPRESSED = 2, /* not delivered on purpose (suppressed_reason says why); never later */
    ALERT_FAILED = 3,     /* delivery failed after retries (last_error) */
};
/* "leak" | "call" | "digest"; "pending" | "sent" | "suppressed" | "failed". */
const char *alert_type_name(enum alert_type t);
const char *alert_state_name(enum alert_state s);

/* One alert. Heap-owned strings; alert_done frees. */
struct alert {
    int64_t id;
    int64_t leak_id, call_id; /* 0 = none */
    enum alert_type type;
    enum alert_state state;
    time_t created_at, sent_at; /* sent_at 0 = not sent */
    char *suppressed_reason;    /* may be NULL */
    char *channel;              /* channels used, e.g. "webhook,command,bell"; may be NULL */
    int attempts;
    char *last_error;           /* may be NULL; never holds a secret */
};
void alert_done(struct alert *a);

/* Insert an alert (id ignored; created_at 0 = now). *id_out (may be NULL) gets its id. */
enum akw_status store_alert_add(struct store *st, const struct alert *a, int64_t *id_out,
                                struct akw_err *err);
/* Update the delivery fields (state, sent_at, suppressed_reason, channel, attempts,
 * last_error) of alert a->id. AKW_ERR_NOTFOUND when missing. */
enum akw_status store_alert_update(struct store *st, const struct alert *a, struct akw_err *err);

struct alert_filter {
    int64_t leak_id;  /* 0 = any leak */
    int64_t after_id; /* only ids > after_id */
    int state_mask;   /* bits (1 << ALERT_*); 0 = any */
    int type_mask;    /* bits (1 << ALERT_TYPE_*); 0 = any */
    const char *reason_prefix; /* only suppressed_reason starting with this; NULL = any */
    int oldest_first; /* default newest first */
    long limit;       /* 0 = no limit */
};
/* Alerts matching f; caller store_alerts_free()s. */
enum akw_status store_alert_list(struct store *st, const struct alert_filter *f,
                                 struct alert **out, size_t *n, struct akw_err *err);
void store_alerts_free(struct alert *a, size_t n);

/* One suspicious call. Heap-owned strings; call_done frees. */
struct call {
    int64_t id, leak_id;
    char *ak_id;
    time_t at;
    char *source_ip, *action, *url, *user_agent; /* may be NULL; url has secrets masked */
    char *source_file;                           /* as given on the command line */
    long source_line;
    char *kind;      /* "actiontrail" | "cloudtrail" | "access_log" */
    char *event_key; /* eventID, or a hash of file identity + line */
};
void call_done(struct call *c);

/* Insert a call unless its event_key is known. *id_out gets the new id, or 0 when the call
 * was already stored (re-import). */
enum akw_status store_call_add(struct store *st, const struct call *c, int64_t *id_out,
                               struct akw_err *err);
enum akw_status store_call_get(struct store *st, int64_t id, struct call *out,
                               struct akw_err *err);

struct call_filter {
    const char *ak_id; /* exact AK ID (case-insensitive); NULL = any */
    int64_t leak_id;   /* 0 = any */
};
/* Calls of the filter, oldest first; cb gets a borrowed call; stops when cb returns
 * non-zero. */
enum akw_status store_calls_foreach(struct store *st, const struct call_filter *f,
                                    int (*cb)(const struct call *c, void *user), void *user,
                                    struct akw_err *err);

/* Every leak that names an AK ID: (leak id, ak_id, first_seen, status). For calls import,
 * which matches events against them in memory. Caller store_leaked_keys_free()s. */
struct leaked_key {
    int64_t leak_id;
    char *ak_id;
    time_t first_seen;
    enum leak_status status;
};
enum akw_status store_leaked_keys(struct store *st, struct leaked_key **out, size_t *n,
                                  struct akw_err *err);
void store_leaked_keys_free(struct leaked_key *k, size_t n);

/* One request from an imported web access log (kept so that leaks found later can still be
 * searched for). Heap-owned strings; access_request_done frees. */
struct access_request {
    int64_t id;
    time_t at;
    char *source_ip, *method, *path; /* path: URL-decoded, without the query */
    int status;                      /* HTTP status, 0 when unknown */
    char *user_agent, *source_file;
    long source_line;
};
void access_request_done(struct access_request *r);

/* Insert a request unless key (a 63-bit hash of file identity + line) is known; *inserted
 * (may be NULL) says whether it was new. */
enum akw_status store_access_add(struct store *st, const struct access_request *r, int64_t key,
                                 int *inserted, struct akw_err *err);
/* The access-log search of a leak: requests whose path equals "/"+P or ends with "/"+P for
 * the path P of any location of the leak; oldest first. cb as in store_calls_foreach. */
enum akw_status store_access_for_leak(struct store *st, int64_t leak_id,
                                      int (*cb)(const struct access_request *r, void *user),
                                      void *user, struct akw_err *err);
/* Same for one file path. */
enum akw_status store_access_for_path(struct store *st, const char *path,
                                      int (*cb)(const struct access_request *r, void *user),
                                      void *user, struct akw_err *err);
/* ==== end of the alerts/calls section ================================================ */

#endif
