/* store — open a store file (created 0600, WAL, busy timeout, foreign keys), refuse files
 * that are not akwatch stores without touching them, migrate (also for a reader that meets
 * an older store it may write), close, and the batching transaction. Tables are handled by
 * the other files of this folder. */
#include "config.h"
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a writer waits for another one before "database is locked". */
#define STORE_BUSY_TIMEOUT_MS 5000

static int
busy_timeout_ms(void)
{
    /* a seam for tests that check the "locked" message without waiting 5 s */
    const char *s = getenv("AKWATCH_DB_TIMEOUT_MS");
    if (s && *s) {
        long v = strtol(s, NULL, 10);
        if (v >= 0 && v <= 600000)
            return (int)v;
    }
    return STORE_BUSY_TIMEOUT_MS;
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

static int
int_cb(void *user, int ncol, char **vals, char **names)
{
    (void)ncol;
    (void)names;
    *(long *)user = vals[0] ? strtol(vals[0], NULL, 10) : 0;
    return 0;
}

/* Read-only look at the database: is it ours, and at which schema version? The reads
 * share one transaction: another process may be creating the store right now, and the
 * marker and the tables must be seen from the same moment. */
static enum akw_status
check_identity_tx(sqlite3 *db, const char *path, int *version, struct akw_err *err)
{
    long app_id = 0, n_objects = 0;
    int rc = sqlite3_exec(db, "PRAGMA application_id", int_cb, &app_id, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", int_cb, &n_objects, NULL);
    if (rc != SQLITE_OK)
        return store_sqlerr_db(db, path, rc, err, "reading the schema");
    if (app_id == 0 && n_objects == 0) {
        *version = 0;
        return AKW_OK;
    }
    if (app_id != STORE_APPLICATION_ID)
        return akw_err_set(err, AKW_ERR_DB,
                           _("%s: not an akwatch store (an SQLite database of another program)"),
                           path);
    enum akw_status s = store_migrate_version(db, path, version, err);
    if (s != AKW_OK)
        return s;
    if (*version < 1)
        return akw_err_set(err, AKW_ERR_DB, _("%s: not an akwatch store (no schema version)"),
                           path);
    if (*version > store_migrate_latest())
        return akw_err_set(err, AKW_ERR_DB,
                           _("%s: store schema version %d is newer than this akwatch (%d); "
                             "upgrade akwatch"),
                           path, *version, store_migrate_latest());
    return AKW_OK;
}

static enum akw_status
check_identity(sqlite3 *db, const char *path, int *version, struct akw_err *err)
{
    int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_sqlerr_db(db, path, rc, err, "reading the schema");
    enum akw_status s = check_identity_tx(db, path, version, err);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return s;
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
journal_wal_retry(sqlite3 *db, char **mode)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int ms = 1;; ms = ms < 50 ? ms * 2 : 50) {
        int rc = journal_wal(db, mode);
        if ((rc & 0xff) != SQLITE_BUSY)
            return rc;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long waited = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (waited >= busy_timeout_ms())
            return rc;
        sqlite3_sleep(ms);
    }
}

static enum akw_status
set_pragmas(sqlite3 *db, const char *path, struct akw_err *err)
{
    char *mode = NULL;
    int rc = journal_wal_retry(db, &mode);
    if (rc != SQLITE_ROW) {
        free(mode);
        return store_sqlerr_db(db, path, rc, err, "enabling WAL");
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
        return store_sqlerr_db(db, path, rc, err, "setting pragmas");
    return AKW_OK;
}

static enum akw_status
open_db(const char *path, int readonly, sqlite3 **out, struct akw_err *err)
{
    int oflags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                 SQLITE_OPEN_NOMUTEX;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, oflags, NULL);
    if (rc != SQLITE_OK) {
        enum akw_status s = store_sqlerr_db(db, path, rc, err, "opening");
        sqlite3_close(db);
        return s;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms());
    /* 8 MiB of page cache (SQLite's default is 2): recording into a store of a million
     * leaks touches several random-keyed indexes per finding. Reads nothing yet. */
    sqlite3_exec(db, "PRAGMA cache_size = -8192", NULL, NULL, NULL);
    *out = db;
    return AKW_OK;
}

/* May this process write the file and create the journal files beside it? */
static int
writable(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    int yes = access(path, W_OK) == 0 && access(slash ? dir : ".", W_OK) == 0;
    free(dir);
    return yes;
}

/* A reader met a store of an older schema: upgrade it with a read-write open (migrations
 * are transactional, so another reader sees the old schema or the new one), or say why not
 * and what to do, in one line. */
static enum akw_status
upgrade_for_reader(const char *path, int version, struct akw_err *err)
{
    if (!writable(path))
        return akw_err_set(err, AKW_ERR_DB,
                           _("%s: store schema version %d is older than this akwatch's (%d) "
                             "and the file is not writable here; to upgrade it, run akwatch "
                             "once as a user who may write it and its folder (or copy it "
                             "and use --db COPY)"),
                           path, version, store_migrate_latest());
    struct store *rw = NULL;
    enum akw_status s = store_open(path, 0, &rw, err);
    store_close(rw);
    return s;
}

static enum akw_status
open_store(const char *path, int flags, int may_upgrade, struct store **out,
           struct akw_err *err)
{
    *out = NULL;
    if (!path || !*path)
        return akw_err_set(err, AKW_ERR_USAGE, _("no store path given"));
    int readonly = (flags & STORE_OPEN_READONLY) != 0;
    enum akw_status s = prepare_file(path, readonly, err);
    if (s != AKW_OK)
        return s;
    sqlite3 *db = NULL;
    if ((s = open_db(path, readonly, &db, err)) != AKW_OK)
        return s;
    int version = 0;
    s = check_header(db, path, err);
    if (s == AKW_OK)
        s = check_identity(db, path, &version, err);
    /* version 0 is an empty file, not an older store: a reader leaves it alone */
    if (s == AKW_OK && readonly && version >= 1 && version < store_migrate_latest() &&
        may_upgrade) {
        sqlite3_close(db);
        s = upgrade_for_reader(path, version, err);
        return s == AKW_OK ? open_store(path, flags, 0, out, err) : s;
    }
    if (s == AKW_OK && readonly && version < store_migrate_latest())
        s = akw_err_set(err, AKW_ERR_DB,
                        _("%s: store schema version %d needs upgrading to %d; open it once "
                          "read-write"),
                        path, version, store_migrate_latest());
    if (s == AKW_OK && !readonly)
        s = set_pragmas(db, path, err);
    if (s == AKW_OK && !readonly)
        s = store_migrate(db, path, version, err);
    if (s != AKW_OK) {
        sqlite3_close(db);
        return s;
    }
    struct store *st = xcalloc(1, sizeof *st);
    st->db = db;
    st->path = xstrdup(path);
    st->readonly = readonly;
    *out = st;
    return AKW_OK;
}

enum akw_status
store_open(const char *path, int flags, struct store **out, struct akw_err *err)
{
    return open_store(path, flags, 1, out, err);
}

void
store_close(struct store *st)
{
    if (!st)
        return;
    store_stmts_finalize(st);
    store_list_cache_reset(st);
    if (!st->readonly) {
        /* keeps the planner's statistics fresh; bounded work (SQLite's advice) */
        sqlite3_exec(st->db, "PRAGMA analysis_limit = 400; PRAGMA optimize;", NULL, NULL, NULL);
    }
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

enum akw_status
store_begin(struct store *st, struct akw_err *err)
{
    if (st->in_batch)
        return akw_err_set(err, AKW_ERR_USAGE, "%s: store_begin: a batch is already open",
                           st->path);
    if (st->readonly)
        return akw_err_set(err, AKW_ERR_DB, _("%s: store is opened read-only"), st->path);
    enum akw_status s = store_exec(st, "BEGIN IMMEDIATE", err);
    if (s == AKW_OK)
        st->in_batch = 1;
    return s;
}

enum akw_status
store_commit(struct store *st, struct akw_err *err)
{
    if (!st->in_batch)
        return akw_err_set(err, AKW_ERR_USAGE, "%s: store_commit without store_begin",
                           st->path);
    enum akw_status s = store_exec(st, "COMMIT", err);
    if (s != AKW_OK && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_batch = 0;
    return s;
}

void
store_rollback(struct store *st)
{
    if (!st->in_batch)
        return;
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_batch = 0;
}
