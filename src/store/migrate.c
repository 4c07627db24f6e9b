/* migrate — the schema as a list of versioned steps, applied in order, each in its own
 * transaction, recorded in meta.schema_version. It never rewrites an applied step: a
 * change to the schema is a new step at the end of the table. Each backend has its own
 * list: SQLite's is here, PostgreSQL's in migrate_pg.c (a change to one is a new step in
 * both). */
#include "config.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
static const char *const migrations[] = {
    /* 1: the first schema. Columns in unique keys are '' rather than NULL so that
     * uniqueness holds (SQLite treats NULLs as distinct). */
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE leaks("
    " id INTEGER PRIMARY KEY,"
    " fingerprint TEXT NOT NULL UNIQUE,"
    " rule TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '', description TEXT,"
    " ak_id TEXT, secret_masked TEXT, secret TEXT,"
    " severity INTEGER NOT NULL DEFAULT 1, owned INTEGER NOT NULL DEFAULT 0,"
    " status INTEGER NOT NULL DEFAULT 0, handled_as INTEGER NOT NULL DEFAULT 0, note TEXT,"
    " verified TEXT, verified_at INTEGER, verified_identity TEXT, verify_error TEXT,"
    " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, handled_at INTEGER,"
    " first_repo TEXT, first_path TEXT);"
    /* the list orders, per status and over every status (status covered for masks) */
    "CREATE INDEX leaks_status_time ON leaks(status, first_seen, id);"
    "CREATE INDEX leaks_status_sev ON leaks(status, severity, first_seen, id);"
    "CREATE INDEX leaks_time ON leaks(first_seen, id, status);"
    "CREATE INDEX leaks_sev ON leaks(severity, first_seen, id, status);"
    /* AK ID prefix search: a range on this index, with the sort keys covered */
    "CREATE INDEX leaks_ak ON leaks(ak_id COLLATE NOCASE, status, first_seen, severity);"
    /* text search scans this narrow index instead of the wide rows */
    "CREATE INDEX leaks_text ON leaks(ak_id, first_repo, first_path, status, first_seen,"
    " severity);"
    "CREATE INDEX leaks_last_seen ON leaks(last_seen);"
    "CREATE INDEX leaks_owned ON leaks(owned) WHERE owned != 0;"
    "CREATE TABLE locations("
    " id INTEGER PRIMARY KEY,"
    " leak_id INTEGER NOT NULL REFERENCES leaks(id),"
    " platform TEXT NOT NULL DEFAULT '', repo TEXT NOT NULL DEFAULT '',"
    " path TEXT NOT NULL DEFAULT '', line INTEGER NOT NULL DEFAULT 0,"
    " col INTEGER NOT NULL DEFAULT 0, commit_sha TEXT NOT NULL DEFAULT '',"
    " url TEXT, author TEXT, committed_at INTEGER, found_at INTEGER NOT NULL, snippet TEXT,"
    " UNIQUE(leak_id, platform, repo, path, line, commit_sha));"
    "CREATE TABLE alerts("
    " id INTEGER PRIMARY KEY,"
    " leak_id INTEGER REFERENCES leaks(id),"
    " call_id INTEGER REFERENCES calls(id),"
    " type TEXT NOT NULL CHECK(type IN ('leak', 'call', 'digest')),"
    " created_at INTEGER NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK(state IN ('pending', 'sent', 'suppressed', 'failed')),"
    " sent_at INTEGER, suppressed_reason TEXT, channel TEXT,"
    " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);"
    "CREATE INDEX alerts_state ON alerts(state, created_at);"
    "CREATE INDEX alerts_leak ON alerts(leak_id);"
    "CREATE INDEX alerts_call ON alerts(call_id);"
    "CREATE TABLE whitelist("
    " id INTEGER PRIMARY KEY,"
    " ak_id TEXT UNIQUE, fingerprint TEXT UNIQUE,"
    " reason TEXT, who TEXT, added_at INTEGER NOT NULL,"
    " CHECK(ak_id IS NOT NULL OR fingerprint IS NOT NULL));"
    "CREATE TABLE calls("
    " id INTEGER PRIMARY KEY,"
    " ak_id TEXT, leak_id INTEGER REFERENCES leaks(id), at INTEGER NOT NULL,"
    " source_ip TEXT, action TEXT, url TEXT, user_agent TEXT,"
    " source_file TEXT, source_line INTEGER,"
    " kind TEXT NOT NULL CHECK(kind IN ('actiontrail', 'cloudtrail', 'access_log')),"
    " event_key TEXT UNIQUE);"
    "CREATE INDEX calls_ak ON calls(ak_id, at);"
    "CREATE INDEX calls_leak ON calls(leak_id, at);"
    "CREATE TABLE actions("
    " id INTEGER PRIMARY KEY,"
    " leak_id INTEGER REFERENCES leaks(id), ak_id TEXT,"
    " who TEXT NOT NULL, what TEXT NOT NULL, note TEXT, at INTEGER NOT NULL,"
    " old_status INTEGER, new_status INTEGER);"
    "CREATE INDEX actions_leak ON actions(leak_id, id);"
    "CREATE TABLE scan_state("
    " source TEXT NOT NULL, key TEXT NOT NULL, value TEXT, updated_at INTEGER,"
    " PRIMARY KEY(source, key));",
    /* 2: requests from imported web access logs, kept for the access-log search of leaks
     * found later (calls/). base = last path segment, indexed; event_key = 63-bit hash of
     * file identity + line, so a re-import adds nothing. */
    "CREATE TABLE access_requests("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL, source_ip TEXT, method TEXT, path TEXT NOT NULL, base TEXT NOT NULL,"
    " status INTEGER, user_agent TEXT, source_file TEXT, source_line INTEGER,"
    " event_key INTEGER NOT NULL UNIQUE);"
    "CREATE INDEX access_requests_base ON access_requests(base);",

    /* 3: row counts kept by triggers, so the header line and the list's count are a few
     * small reads instead of scans of a million index entries. Triggers live in the
     * database, so every writer keeps the counts right. */
    "CREATE TABLE leak_counts("
    " status INTEGER NOT NULL, owned INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY(status, owned)) WITHOUT ROWID;"
    "INSERT INTO leak_counts(status, owned, n)"
    " SELECT status, owned != 0, count(*) FROM leaks GROUP BY 1, 2;"
    "INSERT OR IGNORE INTO leak_counts(status, owned, n)"
    " VALUES(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 0), (2, 0, 0), (2, 1, 0);"
    "CREATE TRIGGER leaks_count_insert AFTER INSERT ON leaks BEGIN"
    " UPDATE leak_counts SET n = n + 1 WHERE status = NEW.status AND owned = (NEW.owned != 0);"
    " END;"
    "CREATE TRIGGER leaks_count_delete AFTER DELETE ON leaks BEGIN"
    " UPDATE leak_counts SET n = n - 1 WHERE status = OLD.status AND owned = (OLD.owned != 0);"
    " END;"
    "CREATE TRIGGER leaks_count_update AFTER UPDATE OF status, owned ON leaks"
    " WHEN OLD.status != NEW.status OR (OLD.owned != 0) != (NEW.owned != 0) BEGIN"
    " UPDATE leak_counts SET n = n - 1 WHERE status = OLD.status AND owned = (OLD.owned != 0);"
    " UPDATE leak_counts SET n = n + 1 WHERE status = NEW.status AND owned = (NEW.owned != 0);"
    " END;"
    /* the verification filter (verify layer) */
    "CREATE INDEX leaks_verified ON leaks(verified, status, first_seen, severity);"
    "CREATE TABLE row_counts(name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO row_counts(name, n) VALUES"
    " ('locations', (SELECT count(*) FROM locations)),"
    " ('calls', (SELECT count(*) FROM calls)),"
    " ('alerts', (SELECT count(*) FROM alerts)),"
    " ('call_alerts', (SELECT count(*) FROM alerts WHERE type = 'call'));"
    "CREATE TRIGGER locations_count_insert AFTER INSERT ON locations BEGIN"
    " UPDATE row_counts SET n = n + 1 WHERE name = 'locations'; END;"
    "CREATE TRIGGER locations_count_delete AFTER DELETE ON locations BEGIN"
    " UPDATE row_counts SET n = n - 1 WHERE name = 'locations'; END;"
    "CREATE TRIGGER calls_count_insert AFTER INSERT ON calls BEGIN"
    " UPDATE row_counts SET n = n + 1 WHERE name = 'calls'; END;"
    "CREATE TRIGGER calls_count_delete AFTER DELETE ON calls BEGIN"
    " UPDATE row_counts SET n = n - 1 WHERE name = 'calls'; END;"
    "CREATE TRIGGER alerts_count_insert AFTER INSERT ON alerts BEGIN"
    " UPDATE row_counts SET n = n + 1"
    "  WHERE name = 'alerts' OR (name = 'call_alerts' AND NEW.type = 'call'); END;"
    "CREATE TRIGGER alerts_count_delete AFTER DELETE ON alerts BEGIN"
    " UPDATE row_counts SET n = n - 1"
    "  WHERE name = 'alerts' OR (name = 'call_alerts' AND OLD.type = 'call'); END;"
    "CREATE TRIGGER alerts_count_update AFTER UPDATE OF type ON alerts"
    " WHEN (OLD.type = 'call') != (NEW.type = 'call') BEGIN"
    " UPDATE row_counts SET n = n + (CASE WHEN NEW.type = 'call' THEN 1 ELSE -1 END)"
    "  WHERE name = 'call_alerts'; END;",

    /* 4: how sure detection is that a leak is a real credential: the highest confidence any
     * of its locations was given (1 low, 2 medium, 3 high). NULL for leaks recorded before
     * findings were graded: they count as high until a scan sees them again and grades
     * them. leak_counts gains the confidence, so the default lists (medium and up) are
     * counted from it as before. */
    "ALTER TABLE leaks ADD COLUMN confidence INTEGER;"
    "DROP TRIGGER leaks_count_insert;"
    "DROP TRIGGER leaks_count_delete;"
    "DROP TRIGGER leaks_count_update;"
    "DROP TABLE leak_counts;"
    "CREATE TABLE leak_counts("
    " status INTEGER NOT NULL, owned INTEGER NOT NULL, confidence INTEGER NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY(status, owned, confidence)) WITHOUT ROWID;"
    "INSERT INTO leak_counts(status, owned, confidence, n)"
    " SELECT status, owned != 0, coalesce(confidence, 3), count(*) FROM leaks GROUP BY 1, 2, 3;"
    "WITH s(v) AS (VALUES(0), (1), (2)), o(v) AS (VALUES(0), (1)), c(v) AS (VALUES(1), (2), (3))"
    " INSERT OR IGNORE INTO leak_counts(status, owned, confidence, n)"
    " SELECT s.v, o.v, c.v, 0 FROM s, o, c;"
    "CREATE TRIGGER leaks_count_insert AFTER INSERT ON leaks BEGIN"
    " UPDATE leak_counts SET n = n + 1 WHERE status = NEW.status AND owned = (NEW.owned != 0)"
    "  AND confidence = coalesce(NEW.confidence, 3);"
    " END;"
    "CREATE TRIGGER leaks_count_delete AFTER DELETE ON leaks BEGIN"
    " UPDATE leak_counts SET n = n - 1 WHERE status = OLD.status AND owned = (OLD.owned != 0)"
    "  AND confidence = coalesce(OLD.confidence, 3);"
    " END;"
    "CREATE TRIGGER leaks_count_update AFTER UPDATE OF status, owned, confidence ON leaks"
    " WHEN OLD.status != NEW.status OR (OLD.owned != 0) != (NEW.owned != 0)"
    "  OR coalesce(OLD.confidence, 3) != coalesce(NEW.confidence, 3) BEGIN"
    " UPDATE leak_counts SET n = n - 1 WHERE status = OLD.status AND owned = (OLD.owned != 0)"
    "  AND confidence = coalesce(OLD.confidence, 3);"
    " UPDATE leak_counts SET n = n + 1 WHERE status = NEW.status AND owned = (NEW.owned != 0)"
    "  AND confidence = coalesce(NEW.confidence, 3);"
    " END;",

    /* 5: leases of the GitHub sources (lease.c): several watchers on one store run each
     * source in one of them at a time; a row per source, its owner and when it expires. */
    "CREATE TABLE leases(source TEXT PRIMARY KEY, owner TEXT NOT NULL, since INTEGER NOT NULL,"
    " expires INTEGER NOT NULL, budget TEXT);",
};
/* clang-format on */

/* Each backend's list; migrate_pg.c holds PostgreSQL's. */
static const struct {
    const char *dialect;
    const char *const *steps;
    int n;
} schemas[] = {
    {"sqlite", migrations, (int)(sizeof migrations / sizeof migrations[0])},
    {"postgresql", store_migrations_pg, STORE_MIGRATIONS_PG},
};

static int
schema_of(const struct drv *db)
{
    for (int i = 0; i < (int)(sizeof schemas / sizeof schemas[0]); i++)
        if (strcmp(schemas[i].dialect, db->dialect->name) == 0)
            return i;
    return 0;
}

int
store_migrate_latest(const struct drv *db)
{
    return schemas[schema_of(db)].n;
}

enum akw_status
store_migrate_version(struct drv *db, const char *path, int *version, struct akw_err *err)
{
    *version = 0;
    int64_t has_meta = 0, v = 0;
    if (store_query_int64(db, db->dialect->has_meta_sql, &has_meta) != 0)
        return store_sqlerr_db(db, path, err, "reading the schema");
    if (!has_meta)
        return AKW_OK;
    if (store_query_int64(db,
                          "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'",
                          &v) != 0)
        return store_sqlerr_db(db, path, err, "reading the schema version");
    *version = (int)v;
    return AKW_OK;
}

/* Apply step `to` (1-based) unless another process did it first. */
static enum akw_status
migrate_step(struct drv *db, const char *path, int to, struct akw_err *err)
{
    const struct drv_dialect *d = db->dialect;
    if (drv_exec(db, d->begin_write) != 0 || (d->migrate_lock && drv_exec(db, d->migrate_lock)))
        return store_sqlerr_db(db, path, err, "starting a migration");
    int have = 0;
    enum akw_status s = store_migrate_version(db, path, &have, err);
    if (s == AKW_OK && have < to) {
        char *sql = xasprintf("%s;"
                              "INSERT INTO meta(key, value) VALUES('schema_version', '%d')"
                              " ON CONFLICT(key) DO UPDATE SET value = excluded.value;"
                              "%s;",
                              schemas[schema_of(db)].steps[to - 1], to, d->app_id_set);
        int rc = drv_exec(db, sql);
        free(sql);
        if (rc != 0) {
            char what[64];
            snprintf(what, sizeof what, "applying schema migration %d", to);
            s = store_sqlerr_db(db, path, err, what);
        }
    }
    if (s == AKW_OK && drv_exec(db, "COMMIT") != 0)
        s = store_sqlerr_db(db, path, err, "committing a migration");
    if (s != AKW_OK)
        drv_exec(db, "ROLLBACK");
    return s;
}

enum akw_status
store_migrate(struct drv *db, const char *path, int from, struct akw_err *err)
{
    for (int v = from + 1; v <= store_migrate_latest(db); v++) {
        enum akw_status s = migrate_step(db, path, v, err);
        if (s != AKW_OK)
            return s;
    }
    return AKW_OK;
}
