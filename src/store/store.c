/* store — open a store file (the driver creates it 0600 and sets WAL, busy timeout and
 * foreign keys), refuse files that are not akwatch stores without touching them, migrate
 * (also for a reader that meets an older store it may write), close, and the batching
 * transaction. Tables are handled by the other files of this folder. */
#include "config.h"
#include "store/store_int.h"

#include <stdio.h>
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
    const struct drv_dialect *d = db->dialect;
    int64_t app_id = 0, n_objects = 0, has_meta = 1;
    if ((d->app_id_needs_meta && store_query_int64(db, d->has_meta_sql, &has_meta) != 0) ||
        (has_meta && store_query_int64(db, d->app_id_sql, &app_id) != 0) ||
        store_query_int64(db, d->objects_sql, &n_objects) != 0)
        return store_sqlerr_db(db, path, err, "reading the schema");
    if (app_id == 0 && n_objects == 0) {
        *version = 0;
        return AKW_OK;
    }
    if (app_id != STORE_APPLICATION_ID)
        return akw_err_set(err, AKW_ERR_DB, "%s: %s", path, _(d->foreign));
    enum akw_status s = store_migrate_version(db, path, version, err);
    if (s != AKW_OK)
        return s;
    if (*version < 1)
        return akw_err_set(err, AKW_ERR_DB, _("%s: not an akwatch store (no schema version)"),
                           path);
    if (*version > store_migrate_latest(db))
        return akw_err_set(err, AKW_ERR_DB,
                           _("%s: store schema version %d is newer than this akwatch (%d); "
                             "upgrade akwatch"),
                           path, *version, store_migrate_latest(db));
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
upgrade_for_reader(const char *path, int version, int latest, struct akw_err *err)
{
    if (!writable(path))
        return akw_err_set(err, AKW_ERR_DB,
                           _("%s: store schema version %d is older than this akwatch's (%d) "
                             "and the file is not writable here; to upgrade it, run akwatch "
                             "once as a user who may write it and its folder (or copy it "
                             "and use --db COPY)"),
                           path, version, latest);
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
    int server = drv_pg_url(path);
    if (!server && store_location_is_url(path))
        return akw_err_set(err, AKW_ERR_USAGE,
                           _("%s: not a store location akwatch knows (a file path, or a "
                             "postgresql:// URL)"),
                           path);
    struct drv *db = NULL;
    enum akw_status s = server ? drv_pg_open(path, readonly, &db, err)
                               : drv_sqlite_open(path, readonly, busy_timeout_ms(), &db, err);
    if (s != AKW_OK)
        return s;
    char *shown = server ? drv_pg_display(path) : xstrdup(path);
    int version = 0, latest = store_migrate_latest(db);
    s = check_identity(db, shown, &version, err);
    /* version 0 is an empty file, not an older store: a reader leaves it alone (a server's
     * store is upgraded by a read-write open, by a role that may change the schema) */
    if (s == AKW_OK && readonly && version >= 1 && version < latest && may_upgrade && !server) {
        drv_close(db);
        free(shown);
        s = upgrade_for_reader(path, version, latest, err);
        return s == AKW_OK ? open_store(path, flags, 0, out, err) : s;
    }
    if (s == AKW_OK && readonly && version < latest)
        s = akw_err_set(err, AKW_ERR_DB,
                        _("%s: store schema version %d needs upgrading to %d; open it once "
                          "read-write"),
                        shown, version, latest);
    if (s == AKW_OK && !readonly && !server)
        s = drv_sqlite_tune(db, path, busy_timeout_ms(), err);
    if (s == AKW_OK && !readonly)
        s = store_migrate(db, shown, version, err);
    if (s != AKW_OK) {
        drv_close(db);
        free(shown);
        return s;
    }
    struct store *st = xcalloc(1, sizeof *st);
    st->db = db;
    st->path = shown; /* what messages name: a server's URL without its password */
    st->readonly = readonly;
    store_roles_read(st); /* before any refusal needs them: an aborted transaction reads nothing */
    *out = st;
    return AKW_OK;
}

int
store_location_is_url(const char *location)
{
    /* scheme "://": letters, digits, + - . after a first letter (RFC 3986) */
    const char *p = location;
    if (!p || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    return strncmp(p, "://", 3) == 0;
}

int
store_location_is_server(const char *location)
{
    return drv_pg_url(location);
}

int
store_listen(struct store *st, struct akw_err *err)
{
    int fd = drv_listen(st->db, "akwatch");
    st->listening = fd >= 0;
    if (fd == -1)
        store_sqlerr(st, err, "listening for changes");
    return fd < 0 ? -1 : fd;
}

int
store_changed(struct store *st, struct akw_err *err)
{
    int n = drv_notified(st->db);
    if (n < 0) {
        store_sqlerr(st, err, "reading notifications");
        return -1;
    }
    return n > 0;
}

const char *
store_backend(const struct store *st)
{
    return st->db->dialect->name;
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
    free(st->role);
    free(st->login);
    free(st->groups);
    free(st);
}

/* The page cache for a batch (kib), or the default again (0); nothing where the dialect
 * has no page cache to size. */
static void
batch_cache(struct store *st, long kib)
{
    const char *fmt = st->db->dialect->cache_fmt;
    if (!fmt)
        return;
    char sql[64];
    snprintf(sql, sizeof sql, fmt, kib > 0 ? kib : (long)STORE_CACHE_KIB);
    drv_exec(st->db, sql);
}

enum akw_status
store_begin(struct store *st, struct akw_err *err)
{
    if (st->in_batch)
        return akw_err_set(err, AKW_ERR_USAGE, "%s: store_begin: a batch is already open",
                           st->path);
    if (st->readonly)
        return akw_err_set(err, AKW_ERR_DB, _("%s: store is opened read-only"), st->path);
    enum akw_status s = store_ensure(st, err);
    if (s != AKW_OK)
        return s;
    s = store_exec(st, st->db->dialect->begin_write, err);
    if (s == AKW_OK) {
        st->in_batch = 1;
        batch_cache(st, STORE_BATCH_CACHE_KIB);
    }
    st->batch_failed = 0;
    return s;
}

enum akw_status
store_commit(struct store *st, struct akw_err *err)
{
    if (!st->in_batch)
        return akw_err_set(err, AKW_ERR_USAGE, "%s: store_commit without store_begin",
                           st->path);
    enum akw_status s = st->batch_failed ? store_batch_failed_err(st, err)
                                         : store_exec(st, "COMMIT", err);
    if (s != AKW_OK && drv_in_tx(st->db))
        drv_exec(st->db, "ROLLBACK");
    st->in_batch = 0;
    st->batch_failed = 0;
    batch_cache(st, 0);
    if (s == AKW_OK)
        store_counts_fold(st);
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
    st->batch_failed = 0;
    batch_cache(st, 0);
}
