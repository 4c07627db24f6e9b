/* store — open a store file (the driver creates it 0600 and sets WAL, busy timeout and
 * foreign keys), refuse files that are not akwatch stores without touching them, migrate
 * (also for a reader that meets an older store it may write), close, and the batching
 * transaction. Tables are handled by the other files of this folder. */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>
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

/* Read-only look at the database: is it ours, and at which schema version? The reads
 * share one transaction: another process may be creating the store right now, and the
 * marker and the tables must be seen from the same moment. */
static enum akw_status
check_identity_tx(struct drv *db, const char *path, int *version, struct akw_err *err)
{
    int64_t app_id = 0, n_objects = 0;
    if (store_query_int64(db, "PRAGMA application_id", &app_id) != 0 ||
        store_query_int64(db, "SELECT count(*) FROM sqlite_master", &n_objects) != 0)
        return store_sqlerr_db(db, path, err, "reading the schema");
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
check_identity(struct drv *db, const char *path, int *version, struct akw_err *err)
{
    if (drv_exec(db, db->dialect->begin_read) != 0)
        return store_sqlerr_db(db, path, err, "reading the schema");
    enum akw_status s = check_identity_tx(db, path, version, err);
    drv_exec(db, "COMMIT");
    return s;
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
    struct drv *db = NULL;
    enum akw_status s = drv_sqlite_open(path, readonly, busy_timeout_ms(), &db, err);
    if (s != AKW_OK)
        return s;
    int version = 0;
    s = check_identity(db, path, &version, err);
    /* version 0 is an empty file, not an older store: a reader leaves it alone */
    if (s == AKW_OK && readonly && version >= 1 && version < store_migrate_latest() &&
        may_upgrade) {
        drv_close(db);
        s = upgrade_for_reader(path, version, err);
        return s == AKW_OK ? open_store(path, flags, 0, out, err) : s;
    }
    if (s == AKW_OK && readonly && version < store_migrate_latest())
        s = akw_err_set(err, AKW_ERR_DB,
                        _("%s: store schema version %d needs upgrading to %d; open it once "
                          "read-write"),
                        path, version, store_migrate_latest());
    if (s == AKW_OK && !readonly)
        s = drv_sqlite_tune(db, path, busy_timeout_ms(), err);
    if (s == AKW_OK && !readonly)
        s = store_migrate(db, path, version, err);
    if (s != AKW_OK) {
        drv_close(db);
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
    if (!st->readonly && st->db->dialect->on_close)
        drv_exec(st->db, st->db->dialect->on_close);
    drv_close(st->db);
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
    enum akw_status s = store_exec(st, st->db->dialect->begin_write, err);
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
    if (s != AKW_OK && drv_in_tx(st->db))
        drv_exec(st->db, "ROLLBACK");
    st->in_batch = 0;
    return s;
}

void
store_rollback(struct store *st)
{
    if (!st->in_batch)
        return;
    if (drv_in_tx(st->db))
        drv_exec(st->db, "ROLLBACK");
    st->in_batch = 0;
}
