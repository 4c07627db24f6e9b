/* store_int — private to src/store/: the connection struct, the per-connection cache of
 * prepared statements, transaction helpers and row readers. Nothing outside src/store/
 * includes this file. Statements go through the driver (driver.h); no client library is
 * named here.
 *
 * Threads: everything here works on one struct store, owned by one thread.
 */
#ifndef AKW_STORE_INT_H
#define AKW_STORE_INT_H

#include "store/driver.h"
#include "store/store.h"

/* The marker of an akwatch store ("AkW!": SQLite's PRAGMA application_id, PostgreSQL's
 * meta.application_id), so a foreign database is refused. */
#define STORE_APPLICATION_ID 0x416b5721

/* Statements prepared once per connection and reused (scans record many findings).
 * The SQL of each is in sql.c, in the same order. */
enum store_stmt_id {
    SQL_LEAK_INSERT,
    SQL_LEAK_TOUCH,
    SQL_LEAK_REOPEN,
    SQL_LOCATION_INSERT,
    SQL_WHITELISTED,
    SQL_RECORD_ONE,
    SQL_LEAK_GET,
    SQL_LEAK_STATE,
    SQL_LOCATIONS_GET,
    SQL_ACTION_INSERT,
    SQL_STATE_GET,
    SQL_STATE_SET,
    SQL_LEAK_CONFIDENCE,
    SQL__COUNT
};

/* Page and count queries are built from the filter's shape; a few are kept prepared. */
#define STORE_DYN_SLOTS 16

struct store_dyn {
    char *sql;
    struct drv_stmt *stmt;
    unsigned long used; /* clock of the last use, for LRU replacement */
};

/* What page.c remembers about the last list asked for, so paging near a known row and
 * re-counting do not rescan (see page.c). Valid only while the database is unchanged:
 * the same drv_data_version() (changes by this connection and by others). */
#define STORE_ANCHORS 32

struct store_anchor {
    long offset; /* position of the row in the list */
    int64_t id, first_seen;
    int severity;
};

struct store_list_cache {
    char *key; /* the filter's SQL and parameters; NULL = nothing cached */
    int64_t data_version[2];
    int64_t *ids; /* searches (AK ID, text): every matching id, in list order */
    size_t n_ids;
    struct store_anchor anchors[STORE_ANCHORS]; /* other lists: known rows */
    size_t n_anchors, next_anchor;
};

struct store {
    struct drv *db;
    char *path;
    int readonly;
    int in_batch; /* store_begin() is active */
    /* a write of the open batch failed: it can only be rolled back (store_tx_end) */
    int batch_failed;
    struct drv_stmt *stmts[SQL__COUNT];
    struct store_dyn dyn[STORE_DYN_SLOTS];
    unsigned long dyn_clock;
    struct store_list_cache list;
    int role_known; /* role read (store_actor) */
    char *role;     /* the role the audit log names, NULL: the caller's (OS) user */
    char *login;    /* a server's session role (roles.c), NULL elsewhere */
    char *groups;   /* and the akwatch group roles it is in, "a,b" (roles.c) */
    int in_tx;      /* store_tx_start() outside a batch is active */
    int listening;  /* store_listen() was asked: made again after a reconnect */
    store_lost_fn on_lost; /* reconnect.c: the owner's wait, NULL: fail at once */
    void *on_lost_arg;
    double backoff_max_s;
    unsigned seed; /* the backoff's jitter */
    long unfolded; /* findings recorded since the count logs were last folded */
};

/* The page cache of a SQLite connection (dialect cache_fmt), in KiB: the default, set when
 * the file is opened (driver_sqlite.c), and while a batch is open: a batch of thousands of
 * findings touches a dozen random-keyed index pages for each, and with the default cache
 * SQLite spilled dirty pages to the WAL in the middle of it and wrote them again and again
 * (half of a 10,000-finding batch's time in pwrite). Pages are taken only as needed. */
#define STORE_CACHE_KIB 8192
#define STORE_BATCH_CACHE_KIB 65536

/* After a commit: fold the count logs (dialect fold_counts) once STORE_FOLD_AFTER findings
 * were recorded since the last fold, so counting stays a read of a few rows. A failed fold
 * changes nothing and is tried again after the next commit. */
#define STORE_FOLD_AFTER 2000
void store_counts_fold(struct store *st);

/* Read the session's role, the owner's and the session's akwatch groups once (a store
 * without roles: nothing). */
void store_roles_read(struct store *st);
/* err: the one line a statement the server refused (DRV_FAULT_DENIED) becomes: who, in
 * which akwatch roles, may not do what to which object, and which role it needs. */
enum akw_status store_denied_err(struct store *st, const char *what, struct akw_err *err);

/* reconnect.c: at the start of an operation, outside any transaction, on a lost connection
 * of a store with an on_lost wait: connect again with backoff until it works (AKW_OK) or
 * the wait gives up (AKW_ERR_CANCEL, err says why the server could not be reached). Does
 * nothing otherwise (the operation then fails with the driver's error). */
enum akw_status store_ensure(struct store *st, struct akw_err *err);

/* Turn the connection's last error into an akw_err naming the store's path and the
 * operation (what). Locked and corrupt get their own plain-words messages. */
enum akw_status store_sqlerr(struct store *st, struct akw_err *err, const char *what);
/* Same for a connection and path before struct store exists (store_open). */
enum akw_status store_sqlerr_db(struct drv *db, const char *path, struct akw_err *err,
                                const char *what);

/* The cached statement id, reset and with its bindings cleared; NULL on error (err set). */
struct drv_stmt *store_stmt(struct store *st, enum store_stmt_id id, struct akw_err *err);
/* A statement for dynamic SQL, prepared once per distinct text and kept (LRU). */
struct drv_stmt *store_stmt_dyn(struct store *st, const char *sql, struct akw_err *err);
void store_stmts_finalize(struct store *st);

/* Who the audit log names for a change by who (the OS user): the session's role on a
 * server where it is not the database owner's (each analyst logs in as a role of their
 * own, `akwatch store roles`), else who. Borrowed from st or who. */
const char *store_actor(struct store *st, const char *who);

/* Run SQL without results (schema, pragmas, transaction control). */
enum akw_status store_exec(struct store *st, const char *sql, struct akw_err *err);

/* Make the following writes atomic: the dialect's write transaction, committed by
 * store_tx_end() when status is AKW_OK, else rolled back; it returns status (or the
 * commit's error). Inside store_begin() the writes go straight into the batch's
 * transaction, without a savepoint per operation: a failure fails the whole batch (every
 * caller rolls a batch back on its first error, and a server has aborted the transaction
 * by then anyway), so later writes and store_commit() refuse, and the commit rolls it
 * back. A savepoint per finding cost a subtransaction on the server, two statements, and
 * row locks shared between subtransactions (multixacts). */
enum akw_status store_tx_start(struct store *st, struct akw_err *err);
enum akw_status store_tx_end(struct store *st, enum akw_status status, struct akw_err *err);
/* err: why a failed batch refuses a write or its commit. */
enum akw_status store_batch_failed_err(struct store *st, struct akw_err *err);

/* Bind helpers: text NULL binds NULL; the _e variant binds "" for NULL (unique keys). */
void store_bind_text(struct drv_stmt *s, int i, const char *v);
void store_bind_text_e(struct drv_stmt *s, int i, const char *v);
/* Column as a heap copy (NULL stays NULL). */
char *store_col_dup(struct drv_stmt *s, int i);

/* How to read a query's rows into an array of structs: read fills one zeroed item from the
 * current row, done frees what read put into an item (NULL: nothing), what names the read
 * in an error message. */
struct store_rows {
    size_t size; /* of one item */
    void (*read)(struct drv_stmt *s, void *item);
    void (*done)(void *item);
    const char *what;
};
/* Step s to its end, one item per row, into a new array: *items (n of them, NULL for none),
 * which the caller frees with store_rows_free. On an error nothing is kept
 * (*items = NULL, *n = 0) and err names how->what. s is reset either way. */
enum akw_status store_rows_read(struct store *st, struct drv_stmt *s, const struct store_rows *how,
                                void **items, size_t *n, struct akw_err *err);
/* Free n items read the way how says, then the array (NULL is fine). */
void store_rows_free(void *items, size_t n, const struct store_rows *how);

/* The columns store_leak_read() reads, in order, from a query on "leaks l". The
 * _NOSECRET list reads NULL for the raw secret (lists never need it). */
#define STORE_LEAK_COLUMNS_(secret)                                                          \
    "l.id, l.fingerprint, l.rule, l.kind, l.description, l.ak_id, l.secret_masked, "         \
    secret ", l.severity, l.owned, l.status, l.handled_as, l.note, l.verified, "             \
    "l.first_seen, l.last_seen, l.first_repo, l.first_path, "                                \
    "(SELECT count(*) FROM locations c WHERE c.leak_id = l.id), "                           \
    "l.verified_at, l.verified_identity, l.verify_error, coalesce(l.confidence, 3)"
#define STORE_LEAK_COLUMNS STORE_LEAK_COLUMNS_("l.secret")
#define STORE_LEAK_COLUMNS_NOSECRET STORE_LEAK_COLUMNS_("NULL")
void store_leak_read(struct drv_stmt *s, struct leak *out);

/* Append an audit row (actions). leak_id 0 = not tied to one leak. */
enum akw_status store_audit_add(struct store *st, int64_t leak_id, const char *ak_id,
                                const char *who, const char *what, const char *note,
                                int old_status, int new_status, struct akw_err *err);

/* migrate.c: the newest schema version this code knows; the version of an open database
 * (0 for an empty one); apply the steps after `from`, each in one transaction. */
int store_migrate_latest(const struct drv *db);
/* migrate_pg.c: PostgreSQL's steps. */
#define STORE_MIGRATIONS_PG 4
extern const char *const store_migrations_pg[STORE_MIGRATIONS_PG];
enum akw_status store_migrate_version(struct drv *db, const char *path, int *version,
                                      struct akw_err *err);
enum akw_status store_migrate(struct drv *db, const char *path, int from, struct akw_err *err);

/* whitelist.c, inside a transaction. add: create the entry for ak_id, else for fingerprint,
 * unless present (audit "whitelist-add", tied to leak_id when not 0), then whitelist every
 * unhandled leak it covers (audit each). remove: delete the entries keyed by key (an AK ID
 * or a fingerprint) and return the leaks no other entry covers to unhandled (audit each);
 * *found (may be NULL) says whether an entry existed. */
enum akw_status store_whitelist_add_tx(struct store *st, int64_t leak_id, const char *ak_id,
                                       const char *fingerprint, const char *reason,
                                       const char *who, struct akw_err *err);
enum akw_status store_whitelist_remove_tx(struct store *st, const char *key, const char *who,
                                          int *found, struct akw_err *err);

/* A filter turned into SQL pieces. */
struct list_query {
    const char *from;  /* the table, with the index that drives a search */
    struct buf where;  /* " WHERE ..." or "" */
    char *ak_lo, *ak_hi, *like; /* named parameters :lo :hi :like (NULL = unused) */
    int mask;          /* status mask, 0 = every status */
    int conf_mask;     /* confidence mask (1 << CONFIDENCE_*), 0 = every confidence */
    int search;        /* AK ID or text: ids are collected and cached */
    int by_severity;
    char *key;         /* identifies the list for the cache */
};

/* filter.c: build q from f (NULL = everything), free it; the ORDER BY of the list (or its
 * reverse); bind q's named parameters (and one integer) to a statement made from it. */
void store_query_init(struct list_query *q, const struct leak_filter *f,
                      const struct drv_dialect *d);
void store_query_done(struct list_query *q);
const char *store_query_order(const struct list_query *q, int ascending);
void store_query_bind(struct drv_stmt *s, const struct list_query *q);
void store_bind_named_int(struct drv_stmt *s, const char *name, int64_t v);

/* One integer from the first row of sql (no parameters); 0 or -1 (the connection's error). */
int store_query_int64(struct drv *db, const char *sql, int64_t *out);

/* Forget what page.c remembers (store_close). */
void store_list_cache_reset(struct store *st);

#endif
