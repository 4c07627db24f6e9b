/* driver_sqlite — the driver over sqlite3: statements, errors in the driver's terms, and
 * opening a store file (created 0600, checked to be SQLite without writing it, WAL, busy
 * timeout, pragmas). The only file of the program that includes <sqlite3.h>. Knows no
 * table; the schema is migrate_sqlite.c's. */
#include "config.h"
#include "store/driver.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

struct sq_db {
    struct drv base;
    sqlite3 *db;
};

struct sq_stmt {
    struct drv_stmt base;
    sqlite3_stmt *s;
};

#define SQ_DB(d) (((struct sq_db *)(d))->db)
#define SQ_ST(st) (((struct sq_stmt *)(st))->s)

/* clang-format off */
static const struct drv_dialect sqlite_dialect = {
    .name = "sqlite",
    .begin_write = "BEGIN IMMEDIATE",
    .begin_read = "BEGIN",
    /* keeps the planner's statistics fresh; bounded work (SQLite's advice) */
    .on_close = "PRAGMA analysis_limit = 400; PRAGMA optimize;",
    .cache_fmt = "PRAGMA cache_size = -%ld",
    .index_hints = 1,
    .nocase_pre = "",
    .nocase_post = " COLLATE NOCASE",
    .like = "LIKE",
    .objects_sql = "SELECT count(*) FROM sqlite_master",
    .has_meta_sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
    .app_id_sql = "PRAGMA application_id",
    .app_id_needs_meta = 0,
    .app_id_set = "PRAGMA application_id = 1097553697", /* 0x416b5721, "AkW!" */
    .migrate_lock = NULL,
    .foreign = N_("not an akwatch store (an SQLite database of another program)"),
    .identity_sql = "SELECT file FROM pragma_database_list WHERE name = 'main'",
    .id_resync = NULL, /* an INTEGER PRIMARY KEY goes on from max(id) */
    .row_lock = "", /* BEGIN IMMEDIATE: one writer at a time already */
    .role_sql = NULL,
};
/* clang-format on */

static int
sq_prepare(struct drv *db, const char *sql, int keep, struct drv_stmt **out)
{
    sqlite3_stmt *s = NULL;
    *out = NULL;
    if (sqlite3_prepare_v3(SQ_DB(db), sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &s,
                           NULL) != SQLITE_OK)
        return -1;
    struct sq_stmt *st = xcalloc(1, sizeof *st);
    st->base.db = db;
    st->s = s;
    *out = &st->base;
    return 0;
}

static void
sq_finalize(struct drv_stmt *st)
{
    sqlite3_finalize(SQ_ST(st));
    free(st);
}

static void
sq_reset(struct drv_stmt *st)
{
    sqlite3_reset(SQ_ST(st));
}

static void
sq_clear(struct drv_stmt *st)
{
    sqlite3_clear_bindings(SQ_ST(st));
}

static int
sq_param_index(struct drv_stmt *st, const char *name)
{
    return sqlite3_bind_parameter_index(SQ_ST(st), name);
}

/* Binding a number the statement does not have would leave SQLITE_RANGE as the
 * connection's last error; the driver's contract is to ignore it. */
static int
in_range(struct drv_stmt *st, int i)
{
    return i >= 1 && i <= sqlite3_bind_parameter_count(SQ_ST(st));
}

static void
sq_bind_int64(struct drv_stmt *st, int i, int64_t v)
{
    if (in_range(st, i))
        sqlite3_bind_int64(SQ_ST(st), i, (sqlite3_int64)v);
}

static void
sq_bind_text(struct drv_stmt *st, int i, const char *v)
{
    if (!in_range(st, i))
        return;
    if (v)
        sqlite3_bind_text(SQ_ST(st), i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(SQ_ST(st), i);
}

static void
sq_bind_null(struct drv_stmt *st, int i)
{
    if (in_range(st, i))
        sqlite3_bind_null(SQ_ST(st), i);
}

static int
sq_step(struct drv_stmt *st)
{
    int rc = sqlite3_step(SQ_ST(st));
    return rc == SQLITE_ROW ? DRV_ROW : rc == SQLITE_DONE ? DRV_DONE : DRV_ERROR;
}

static int
sq_busy(struct drv_stmt *st)
{
    return sqlite3_stmt_busy(SQ_ST(st));
}

static int64_t
sq_col_int64(struct drv_stmt *st, int i)
{
    return sqlite3_column_int64(SQ_ST(st), i);
}

static const char *
sq_col_text(struct drv_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(SQ_ST(st), i);
}

static int
sq_col_null(struct drv_stmt *st, int i)
{
    return sqlite3_column_type(SQ_ST(st), i) == SQLITE_NULL;
}

static int64_t
sq_changes(struct drv *db)
{
    return sqlite3_changes64(SQ_DB(db));
}

static int
sq_exec(struct drv *db, const char *sql)
{
    return sqlite3_exec(SQ_DB(db), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int
sq_in_tx(struct drv *db)
{
    return !sqlite3_get_autocommit(SQ_DB(db));
}

/* PRAGMA data_version moves when another connection commits; total_changes when this one
 * writes. */
static int
sq_data_version(struct drv *db, int64_t out[2])
{
    sqlite3_stmt *s;
    out[0] = out[1] = -1;
    if (sqlite3_prepare_v2(SQ_DB(db), "PRAGMA data_version", -1, &s, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        out[0] = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    out[1] = sqlite3_total_changes64(SQ_DB(db));
    return rc == SQLITE_ROW ? 0 : -1;
}

/* One process's file: no server to notify anyone (the TUI reloads on its own changes). */
static int
sq_listen(struct drv *db, const char *channel)
{
    (void)db, (void)channel;
    return -2;
}

static int
sq_notified(struct drv *db)
{
    (void)db;
    return 0;
}

static enum drv_fault
fault_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return DRV_FAULT_NONE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DRV_FAULT_BUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return DRV_FAULT_CORRUPT;
    case SQLITE_READONLY:
        return DRV_FAULT_READONLY;
    case SQLITE_FULL:
        return DRV_FAULT_FULL;
    case SQLITE_CANTOPEN:
        return DRV_FAULT_CANTOPEN;
    default:
        return DRV_FAULT_OTHER;
    }
}

static enum drv_fault
sq_fault(struct drv *db)
{
    enum drv_fault f = fault_of(sqlite3_errcode(SQ_DB(db)));
    return f == DRV_FAULT_NONE ? DRV_FAULT_OTHER : f;
}

static const char *
sq_errmsg(struct drv *db)
{
    return sqlite3_errmsg(SQ_DB(db));
}

static void
sq_close(struct drv *db)
{
    sqlite3_close(SQ_DB(db));
    free(db);
}

/* A file is never lost; there is nothing to connect to again. */
static int
sq_lost(struct drv *db)
{
    (void)db;
    return 0;
}

static int
sq_reconnect(struct drv *db)
{
    (void)db;
    return -1;
}

/* clang-format off */
static const struct drv_ops sqlite_ops = {
    sq_prepare, sq_finalize, sq_reset, sq_clear, sq_param_index, sq_bind_int64, sq_bind_text,
    sq_bind_null, sq_step, sq_busy, sq_col_int64, sq_col_text, sq_col_null, sq_changes,
    sq_exec, sq_in_tx, sq_data_version, sq_listen, sq_notified, sq_fault, sq_errmsg, sq_close,
    sq_lost, sq_reconnect,
};
/* clang-format on */

/* ---- opening a store file ------------------------------------------------------------ */

static enum akw_status
sqerr(sqlite3 *db, const char *path, int rc, const char *what, struct akw_err *err)
{
    int code = db ? sqlite3_extended_errcode(db) : rc;
    enum drv_fault f = fault_of(rc ? rc : code);
    return store_fault_err(path, f == DRV_FAULT_NONE ? DRV_FAULT_OTHER : f,
                           db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), what, err);
}

/* Create the file (0600, folders 0700) when missing; check an existing one looks like
 * SQLite without opening it through SQLite (so a foreign file is never written). */
static enum akw_status
prepare_file(const char *path, int readonly, struct akw_err *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT)
            return akw_err_set(err, AKW_ERR_DB, "%s: %s", path, strerror(errno));
        if (readonly)
            return akw_err_set(err, AKW_ERR_NOTFOUND, _("%s: no store here (nothing recorded yet)"),
                               path);
        if (fs_mkdir_parents(path) != 0)
            return akw_err_set(err, AKW_ERR_DB, _("%s: cannot create its folder: %s"), path,
                               strerror(errno));
        int fd = fs_create_private(path, 1);
        if (fd < 0 && errno != EEXIST)
            return akw_err_set(err, AKW_ERR_DB, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return AKW_OK;
    }
    if (!S_ISREG(sb.st_mode))
        return akw_err_set(err, AKW_ERR_DB, _("%s: not an akwatch store (not a regular file)"),
                           path);
    return AKW_OK;
}

/* Is the file an SQLite database at all? Read through the connection's own file handle:
 * opening and closing the file by another descriptor would drop every POSIX lock this
 * process holds on it (another connection's included), and another process closing its
 * connection could then delete the WAL that ours still uses. An empty file is a new store. */
static enum akw_status
check_header(sqlite3 *db, const char *path, struct akw_err *err)
{
    sqlite3_file *f = NULL;
    sqlite3_int64 size = 0;
    char head[16] = {0};
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->xFileSize(f, &size) != SQLITE_OK || size == 0)
        return AKW_OK; /* nothing to look at: SQLite itself reports what it cannot read */
    int rc = f->pMethods->xRead(f, head, sizeof head, 0);
    if ((rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) || size < (sqlite3_int64)sizeof head ||
        memcmp(head, "SQLite format 3", 16) != 0)
        return akw_err_set(err, AKW_ERR_DB,
                           _("%s: not an akwatch store (not an SQLite database)"), path);
    return AKW_OK;
}

enum akw_status
drv_sqlite_open(const char *path, int readonly, int busy_ms, struct drv **out,
                struct akw_err *err)
{
    *out = NULL;
    enum akw_status s = prepare_file(path, readonly, err);
    if (s != AKW_OK)
        return s;
    int oflags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                 SQLITE_OPEN_NOMUTEX;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, oflags, NULL);
    if (rc != SQLITE_OK) {
        s = sqerr(db, path, rc, "opening", err);
        sqlite3_close(db);
        return s;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_ms);
    /* 8 MiB of page cache (SQLite's default is 2): recording into a store of a million
     * leaks touches several random-keyed indexes per finding. Reads nothing yet. */
    sqlite3_exec(db, "PRAGMA cache_size = -8192", NULL, NULL, NULL);
    if ((s = check_header(db, path, err)) != AKW_OK) {
        sqlite3_close(db);
        return s;
    }
    struct sq_db *d = xcalloc(1, sizeof *d);
    d->base.ops = &sqlite_ops;
    d->base.dialect = &sqlite_dialect;
    d->db = db;
    *out = &d->base;
    return AKW_OK;
}

/* PRAGMA journal_mode = WAL once; returns SQLite's code, *mode the mode now (caller frees). */
static int
journal_wal(sqlite3 *db, char **mode)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
        *mode = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return rc;
}

/* Switching a new store to WAL takes its shared lock and then upgrades it: when two
 * processes create one store at once, SQLite answers one of them SQLITE_BUSY at once
 * (a deadlock, so its busy handler is not called). Retry for the busy timeout. */
static int
journal_wal_retry(sqlite3 *db, int busy_ms, char **mode)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int ms = 1;; ms = ms < 50 ? ms * 2 : 50) {
        int rc = journal_wal(db, mode);
        if ((rc & 0xff) != SQLITE_BUSY)
            return rc;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long waited = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (waited >= busy_ms)
            return rc;
        sqlite3_sleep(ms);
    }
}

enum akw_status
drv_sqlite_tune(struct drv *d, const char *path, int busy_ms, struct akw_err *err)
{
    sqlite3 *db = SQ_DB(d);
    char *mode = NULL;
    int rc = journal_wal_retry(db, busy_ms, &mode);
    if (rc != SQLITE_ROW) {
        free(mode);
        return sqerr(db, path, rc, "enabling WAL", err);
    }
    int wal = mode && strcmp(mode, "wal") == 0;
    free(mode);
    if (!wal)
        return akw_err_set(err, AKW_ERR_DB, _("%s: cannot use WAL journal mode"), path);
    /* journal_size_limit: a big batch leaves a big WAL; trim it back after checkpoints */
    rc = sqlite3_exec(db,
                      "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
                      " PRAGMA journal_size_limit = 33554432;",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sqerr(db, path, rc, "setting pragmas", err);
    return AKW_OK;
}
