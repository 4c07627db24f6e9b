/* driver — the thin SQL driver the store runs every statement through: prepare / bind /
 * step / column / reset / exec / transactions / last error, over one client library per
 * backend. The store's files hold one set of SQL statements and never call a client
 * library; each backend's file is the only one that includes its library's header:
 *
 *   driver_sqlite.c   sqlite3 (an embedded store file: open, WAL, pragmas, file checks)
 *   driver_pg.c       libpq (a PostgreSQL server, team mode: a postgresql:// URL)
 *
 * Dialect differences that SQL text cannot hide are fields of struct drv_dialect (below)
 * and each backend's migrations; everything else is written once in the SQL both speak
 * (ON CONFLICT ... DO UPDATE, RETURNING, numbered ?N placeholders).
 *
 * Threads: a connection and its statements belong to one thread.
 */
#ifndef AKW_STORE_DRIVER_H
#define AKW_STORE_DRIVER_H

#include <stdint.h>

#include "util/util.h"

struct drv;
struct drv_stmt;

/* drv_step() results. */
enum { DRV_ERROR = -1, DRV_DONE = 0, DRV_ROW = 1 };

/* What went wrong, as far as the store words its messages differently. */
enum drv_fault {
    DRV_FAULT_NONE = 0,
    DRV_FAULT_OTHER,
    DRV_FAULT_BUSY,     /* locked by another writer (after waiting) */
    DRV_FAULT_CORRUPT,  /* the database file is damaged or not a database */
    DRV_FAULT_READONLY, /* the database or the connection may not be written */
    DRV_FAULT_FULL,     /* disk full */
    DRV_FAULT_CANTOPEN, /* the database cannot be opened */
    DRV_FAULT_DENIED,   /* the role lacks a privilege (the message names it) */
    DRV_FAULT_CONN,     /* the connection to the server is lost */
};

/* What differs between backends beyond what one SQL text can say. NULL = nothing to run. */
struct drv_dialect {
    const char *name;        /* "sqlite" | "postgresql" */
    const char *begin_write; /* a transaction that will write: take the write lock now */
    const char *begin_read;  /* a transaction that sees one moment */
    const char *on_close;    /* run before closing a read-write connection */
    const char *fold_counts; /* folds the count logs (NULL: the counts are rows already); run
                              * after a commit once enough findings were recorded */
    const char *cache_fmt;   /* printf with one %ld (KiB): size the page cache */
    int index_hints;         /* the list queries may name their index (INDEXED BY) */
    /* a case-insensitive key of a column: nocase_pre COLUMN nocase_post (ASCII folding,
     * compared bytewise, as the AK ID index is built) */
    const char *nocase_pre, *nocase_post;
    const char *like;        /* the case-insensitive LIKE operator */
    /* is this database an akwatch store? tables in it; is meta one of them; our marker
     * (read only once meta exists when app_id_needs_meta); set the marker */
    const char *objects_sql, *has_meta_sql, *app_id_sql;
    int app_id_needs_meta;
    const char *app_id_set;
    const char *migrate_lock; /* run first in a migration's transaction */
    const char *foreign;      /* N_(): why a database with tables but no marker is refused */
    /* store copy: one text naming the database (a file's path, which copy.c resolves with
     * realpath; a server's database, port and start time); printf with the table's name
     * twice, run after rows were inserted with explicit ids (NULL: ids continue anyway) */
    const char *identity_sql;
    const char *id_resync;
    /* team mode: appended to the SELECT that reads a row about to be changed, so two
     * writers deciding on one leak take turns ("" where the write transaction is already
     * exclusive) */
    const char *row_lock;
    /* one row: the session's role, the database owner's, and the akwatch group roles the
     * session's role is a member of, comma-separated (NULL: the store has no roles; the
     * audit log then names the OS user) */
    const char *role_sql;
    /* the regression reopen of SQL_LEAK_REOPEN (?1 leak id, ?2 note) where the server runs
     * it on a watcher's behalf (a role that may not triage); NULL: the common UPDATE */
    const char *leak_reopen;
    /* INSERT and UPDATE may stand inside WITH: a finding is recorded in one statement
     * (SQL_RECORD_ONE), one round trip to a server instead of four */
    int writes_in_with;
};

/* The backend's operations; callers use the drv_* wrappers below. Every statement call
 * takes a statement of the same connection. Strings returned by col_text and errmsg are
 * borrowed: valid until the next step, reset or finalize of that statement (col_text) or
 * the next call on the connection (errmsg). */
struct drv_ops {
    int (*prepare)(struct drv *db, const char *sql, int keep, struct drv_stmt **out);
    void (*finalize)(struct drv_stmt *s);
    void (*reset)(struct drv_stmt *s);
    void (*clear)(struct drv_stmt *s);
    int (*param_index)(struct drv_stmt *s, const char *name);
    void (*bind_int64)(struct drv_stmt *s, int i, int64_t v);
    void (*bind_text)(struct drv_stmt *s, int i, const char *v);
    void (*bind_null)(struct drv_stmt *s, int i);
    int (*step)(struct drv_stmt *s);
    int (*busy)(struct drv_stmt *s);
    int64_t (*col_int64)(struct drv_stmt *s, int i);
    const char *(*col_text)(struct drv_stmt *s, int i);
    int (*col_null)(struct drv_stmt *s, int i);
    int64_t (*changes)(struct drv *db);
    int (*exec)(struct drv *db, const char *sql);
    int (*in_tx)(struct drv *db);
    int (*data_version)(struct drv *db, int64_t out[2]);
    int (*listen)(struct drv *db, const char *channel);
    int (*notified)(struct drv *db);
    enum drv_fault (*fault)(struct drv *db);
    const char *(*errmsg)(struct drv *db);
    void (*close)(struct drv *db);
    int (*lost)(struct drv *db);
    int (*reconnect)(struct drv *db);
};

/* The head of every backend's connection and statement structs. */
struct drv {
    const struct drv_ops *ops;
    const struct drv_dialect *dialect;
    /* after DRV_FAULT_DENIED, when the server said which object: what the statement
     * needed ("update", "insert", "delete", "read", "execute") and the object's name;
     * "" otherwise (roles.c words the message) */
    char denied_priv[16];
    char denied_on[64];
    char denied_col[64]; /* an UPDATE's first column set, "" when none */
};
struct drv_stmt {
    struct drv *db;
};

/* Prepare one statement. keep: it will be reused many times (a hint). 0 or -1 (errmsg). */
static inline int
drv_prepare(struct drv *db, const char *sql, int keep, struct drv_stmt **out)
{
    return db->ops->prepare(db, sql, keep, out);
}
/* NULL is fine. */
static inline void
drv_finalize(struct drv_stmt *s)
{
    if (s)
        s->db->ops->finalize(s);
}
/* Back to before the first step; bindings stay (clear forgets them: unbound = NULL). */
static inline void
drv_reset(struct drv_stmt *s)
{
    s->db->ops->reset(s);
}
static inline void
drv_clear(struct drv_stmt *s)
{
    s->db->ops->clear(s);
}
/* The number of the named parameter (":lo"), or 0 when the statement has none of it. */
static inline int
drv_param_index(struct drv_stmt *s, const char *name)
{
    return s->db->ops->param_index(s, name);
}
/* Parameters count from 1; an index the statement does not use is ignored. Text is
 * copied; NULL text binds NULL. */
static inline void
drv_bind_int64(struct drv_stmt *s, int i, int64_t v)
{
    s->db->ops->bind_int64(s, i, v);
}
static inline void
drv_bind_text(struct drv_stmt *s, int i, const char *v)
{
    s->db->ops->bind_text(s, i, v);
}
static inline void
drv_bind_null(struct drv_stmt *s, int i)
{
    s->db->ops->bind_null(s, i);
}
/* DRV_ROW (a row to read), DRV_DONE (finished) or DRV_ERROR (fault and errmsg say why). */
static inline int
drv_step(struct drv_stmt *s)
{
    return s->db->ops->step(s);
}
/* Stepped and not finished or reset (its result is still being read). */
static inline int
drv_busy(struct drv_stmt *s)
{
    return s->db->ops->busy(s);
}
/* Columns count from 0. NULL reads as 0 / NULL. */
static inline int64_t
drv_col_int64(struct drv_stmt *s, int i)
{
    return s->db->ops->col_int64(s, i);
}
static inline int
drv_col_int(struct drv_stmt *s, int i)
{
    return (int)s->db->ops->col_int64(s, i);
}
static inline const char *
drv_col_text(struct drv_stmt *s, int i)
{
    return s->db->ops->col_text(s, i);
}
static inline int
drv_col_null(struct drv_stmt *s, int i)
{
    return s->db->ops->col_null(s, i);
}
/* Rows inserted, updated or deleted by the last finished statement. */
static inline int64_t
drv_changes(struct drv *db)
{
    return db->ops->changes(db);
}
/* Run SQL (one or more statements) without results. 0 or -1. */
static inline int
drv_exec(struct drv *db, const char *sql)
{
    return db->ops->exec(db, sql);
}
/* Inside a transaction (BEGIN seen, no COMMIT/ROLLBACK yet)? */
static inline int
drv_in_tx(struct drv *db)
{
    return db->ops->in_tx(db);
}
/* Two numbers that both stay the same while nothing changed the data, by this connection
 * or another. 0 or -1. */
static inline int
drv_data_version(struct drv *db, int64_t out[2])
{
    return db->ops->data_version(db, out);
}
/* Be told when another connection commits a change to the store: subscribe to channel
 * (the notify triggers of migrate_pg.c). Returns a file descriptor to poll() for input,
 * -2 when the backend cannot tell (SQLite), -1 on error. */
static inline int
drv_listen(struct drv *db, const char *channel)
{
    return db->ops->listen(db, channel);
}
/* After drv_listen: how many notifications arrived since the last call (reading whatever
 * is waiting, without blocking); 0 when none or the backend has none; -1 on error. */
static inline int
drv_notified(struct drv *db)
{
    return db->ops->notified(db);
}
/* The last error of the connection. */
static inline enum drv_fault
drv_fault(struct drv *db)
{
    return db->ops->fault(db);
}
static inline const char *
drv_errmsg(struct drv *db)
{
    return db->ops->errmsg(db);
}
/* Is the connection to the server gone (the server restarted, the network dropped: the
 * last error was a lost connection, or libpq says the connection is bad)? 0 for a file. */
static inline int
drv_lost(struct drv *db)
{
    return db->ops->lost(db);
}
/* Connect again as the first connect did (same URL, same read-only setting), after
 * drv_lost. Every statement of the connection must be finalized first (the server forgot
 * them); a LISTEN must be made again. 0, or -1 (errmsg; the connection stays lost). */
static inline int
drv_reconnect(struct drv *db)
{
    return db->ops->reconnect(db);
}
/* NULL is fine. */
static inline void
drv_close(struct drv *db)
{
    if (db)
        db->ops->close(db);
}

/* ---- driver_sqlite.c ------------------------------------------------------------------ */

/* Open the store file at path for the store: create it (0600, folders 0700) when missing
 * unless readonly; refuse a file that is not SQLite without writing it; busy timeout
 * busy_ms. Errors: AKW_ERR_NOTFOUND (readonly, no file), AKW_ERR_DB (err names path). */
enum akw_status drv_sqlite_open(const char *path, int readonly, int busy_ms, struct drv **out,
                                struct akw_err *err);
/* A read-write connection: WAL journal (retried for busy_ms when two processes create the
 * store at once), synchronous NORMAL, foreign keys on. */
enum akw_status drv_sqlite_tune(struct drv *db, const char *path, int busy_ms,
                                struct akw_err *err);

/* ---- driver_pg.c ---------------------------------------------------------------------- */

/* Is the store location a PostgreSQL URL (postgresql:// or postgres://)? */
int drv_pg_url(const char *location);
/* The URL without its passwords, for messages. Caller frees. */
char *drv_pg_display(const char *url);
/* Connect (sslmode verify-full unless the URL or PGSSLMODE sets one); readonly: every
 * transaction is read-only. Errors: AKW_ERR_USAGE (not a URL libpq reads), AKW_ERR_DB
 * "URL: cannot connect to the store: why" (the URL shown without its password). */
enum akw_status drv_pg_open(const char *url, int readonly, struct drv **out,
                            struct akw_err *err);

/* ---- sql.c: the store's words for a fault ---------------------------------------------- */

/* Set err for a failure of `what` on the store at path: locked, corrupt, read-only, full and
 * cannot-open get their own plain-words lines; others show the backend's message. Returns
 * AKW_ERR_DB. */
enum akw_status store_fault_err(const char *path, enum drv_fault f, const char *msg,
                                const char *what, struct akw_err *err);

#endif
