/* Tests for store_open: file and folder modes, migrations, re-open, read-only opens, and
 * refusing foreign, corrupt and locked files with a clear message and without writing. */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "tap.h"

static int
mode_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

static int
exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Raw SQLite access, to look under the API. Returns a malloc'd text of the first column
 * of the first row, or NULL. */
static char *
sql_text(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    char *v = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
            v = xstrdup((const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return v;
}

static void
is_sql(const char *path, const char *sql, const char *want, const char *what)
{
    char *got = sql_text(path, sql);
    is_str(got, want, "%s", what);
    free(got);
}

static int
sql_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static void
record_one(struct store *st, const char *fp, const char *ak)
{
    struct leak l;
    struct location loc;
    fx_leak(&l, fp, ak, SEVERITY_HIGH, 0);
    fx_loc(&loc, "acme/app", "config/app.yml", 3, "c0ffee", 0);
    struct akw_err err = {0};
    ok(store_record(st, &l, &loc, NULL, &err) == AKW_OK, "record %s (%s)", fp, err.msg);
}

static long
count_all(struct store *st)
{
    long n = -1;
    struct leak_filter f = {0};
    if (store_leak_count(st, &f, &n, NULL) != AKW_OK)
        return -1;
    return n;
}

static void
test_create(void)
{
    const char *path = fx_path("deep/er/akwatch.db");
    mode_t old = umask(0);
    struct store *st = NULL;
    struct akw_err err = {0};
    ok(store_open(path, 0, &st, &err) == AKW_OK, "open creates a new store (%s)", err.msg);
    umask(old);
    is_int(mode_of(path), 0600, "store file is 0600 even with umask 0");
    is_int(mode_of(fx_path("deep/er")), 0700, "its folder is 0700");
    is_int(mode_of(fx_path("deep")), 0700, "and the folder above too");
    record_one(st, "fp-open-1", "LTAI5tOpenTest000000001");
    is_int(mode_of(fx_path("deep/er/akwatch.db-wal")), 0600, "WAL file is 0600 too");
    store_close(st);

    /* 2 added access_requests (calls layer), 3 the trigger-kept counts, 4 the confidence,
     * 5 the leases of the GitHub sources */
    is_sql(path, "SELECT value FROM meta WHERE key = 'schema_version'", "5",
           "meta.schema_version is the latest (5) after migrating an empty file");
    is_sql(path, "PRAGMA journal_mode", "wal", "the store is in WAL mode");
    is_sql(path, "PRAGMA application_id", "1097553697", "application_id marks an akwatch store");
    is_sql(path,
           "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
           " WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name)",
           "access_requests,actions,alerts,calls,leak_counts,leaks,leases,locations,meta,row_counts,"
           "scan_state,whitelist",
           "the schema has every table");

    /* re-open: nothing migrates twice, data stays */
    for (int i = 0; i < 2; i++) {
        st = NULL;
        ok(store_open(path, 0, &st, &err) == AKW_OK, "re-open %d (%s)", i + 1, err.msg);
        is_int(count_all(st), 1, "re-open %d keeps the leak", i + 1);
        store_close(st);
    }
    is_sql(path, "SELECT count(*) FROM meta", "1", "re-opening adds no meta rows");
    is_sql(path, "SELECT value FROM meta WHERE key = 'schema_version'", "5",
           "schema_version unchanged after re-opens");
}

/* A store written at schema v1 (the fixture is a dump of one made by the first release)
 * opens with this code and keeps its data. */
static void
test_v1_file(void)
{
    const char *path = fx_path("v1.db");
    char *dump = NULL;
    const char *srcdir = getenv("AKW_SRCDIR");
    char *fixture = xasprintf("%s/tests/store/fixture-v1.sql", srcdir ? srcdir : "..");
    ok(fs_read_all(fixture, &dump, NULL, NULL) == AKW_OK, "read %s", fixture);
    free(fixture);
    if (!dump)
        return;
    ok(sql_exec(path, dump) == SQLITE_OK, "load the v1 fixture");
    free(dump);
    chmod(path, 0600);

    struct store *st = NULL;
    struct akw_err err = {0};
    ok(store_open(path, 0, &st, &err) == AKW_OK, "open a v1 store (%s)", err.msg);
    if (!st)
        return;
    is_int(count_all(st), 3, "its three leaks are there");
    struct store_stats stats;
    ok(store_stats_get(st, &stats, &err) == AKW_OK, "stats of the upgraded store");
    ok(stats.leaks == 3 && stats.unhandled == 2 && stats.handled == 1 &&
           stats.whitelisted == 0 && stats.locations == 4,
       "counts computed for the existing rows (%ld leaks, %ld unhandled, %ld handled, "
       "%ld locations)",
       stats.leaks, stats.unhandled, stats.handled, stats.locations);
    struct leak l;
    ok(store_leak_get(st, 2, &l, &err) == AKW_OK, "get leak 2 (%s)", err.msg);
    is_str(l.ak_id, "LTAI5tFixture0000000002", "leak 2 AK ID kept");
    is_str(l.repo, "acme/fixture", "leak 2 first repo kept");
    is_int(l.status, LEAK_STATUS_HANDLED, "leak 2 status kept");
    is_int(l.handled_as, HANDLED_DISABLED, "leak 2 handled-as kept");
    is_int(l.n_locations, 2, "leak 2 locations kept");
    leak_done(&l);
    struct audit_entry *a = NULL;
    size_t n = 0;
    ok(store_audit_list(st, 2, &a, &n, &err) == AKW_OK, "audit of leak 2");
    is_int(n, 1, "one audit row for leak 2");
    if (n == 1)
        is_str(a[0].who, "alice", "audit row who kept");
    store_audit_free(a, n);
    record_one(st, "fp-after-v1", NULL);
    is_int(count_all(st), 4, "a v1 store takes new findings");
    store_close(st);
}

/* A read-only open of an older store it may write upgrades it, then reads it; one it may
 * not write fails with one line naming the file, its version and what to do. */
static void
test_v1_readonly(void)
{
    char *dump = NULL;
    const char *srcdir = getenv("AKW_SRCDIR");
    char *fixture = xasprintf("%s/tests/store/fixture-v1.sql", srcdir ? srcdir : "..");
    fs_read_all(fixture, &dump, NULL, NULL);
    free(fixture);
    if (!dump)
        return;
    const char *path = fx_path("v1-reader.db");
    ok(sql_exec(path, dump) == SQLITE_OK, "a v1 store for a reader");
    struct store *st = NULL;
    struct akw_err err = {0};
    ok(store_open(path, STORE_OPEN_READONLY, &st, &err) == AKW_OK,
       "read-only open of a writable v1 store upgrades it (%s)", err.msg);
    if (st) {
        is_int(count_all(st), 3, "and reads its three leaks");
        struct leak l;
        struct location loc;
        fx_leak(&l, "fp-ro-v1", NULL, SEVERITY_LOW, 0);
        fx_loc(&loc, "acme/x", "a", 1, NULL, 0);
        ok(store_record(st, &l, &loc, NULL, &err) == AKW_ERR_DB,
           "the store handed back is still read-only");
        store_close(st);
    }
    is_sql(path, "SELECT value FROM meta WHERE key = 'schema_version'", "5",
           "the file is at the latest schema version (5) now");

    /* root writes anything: only an unprivileged run can see a file it may not write */
    if (geteuid() != 0) {
        const char *ro = fx_path("v1-ro.db");
        ok(sql_exec(ro, dump) == SQLITE_OK, "a v1 store, then made read-only");
        chmod(ro, 0400);
        akw_err_clear(&err);
        ok(store_open(ro, STORE_OPEN_READONLY, &st, &err) == AKW_ERR_DB && !st,
           "read-only open of a read-only v1 store fails");
        ok(strstr(err.msg, ro) == err.msg && strstr(err.msg, "version 1") &&
               strstr(err.msg, "not writable") && !strchr(err.msg, '\n'),
           "one line: the file, version 1, not writable (%s)", err.msg);
        is_sql(ro, "SELECT value FROM meta WHERE key = 'schema_version'", "1",
               "and the file is still at version 1");
    }
    free(dump);
}

/* A migration that fails leaves nothing of itself behind and the version unchanged; the
 * steps before it stay applied (each step is its own transaction). */
static void
test_failed_migration(void)
{
    const char *path = fx_path("half.db");
    char *dump = NULL;
    const char *srcdir = getenv("AKW_SRCDIR");
    char *fixture = xasprintf("%s/tests/store/fixture-v1.sql", srcdir ? srcdir : "..");
    fs_read_all(fixture, &dump, NULL, NULL);
    free(fixture);
    if (!dump)
        return;
    /* a table in the way of the last thing step 3 creates */
    char *sql = xasprintf("%s; CREATE TABLE row_counts(x);", dump);
    ok(sql_exec(path, sql) == SQLITE_OK, "a v1 store with an obstacle for step 3");
    free(sql);
    free(dump);
    struct store *st = NULL;
    struct akw_err err = {0};
    ok(store_open(path, 0, &st, &err) == AKW_ERR_DB && !st, "open fails in the migration");
    ok(strstr(err.msg, "migration 3") != NULL && strstr(err.msg, path) == err.msg,
       "the message names the path and the step (%s)", err.msg);
    is_sql(path, "SELECT value FROM meta WHERE key = 'schema_version'", "2",
           "steps before it stay applied");
    is_sql(path, "SELECT count(*) FROM sqlite_master WHERE name = 'leak_counts'", "0",
           "nothing of the failed step is left");
    is_sql(path, "SELECT count(*) FROM leaks", "3", "the data is intact");
    store_close(st);
}

static void
expect_refused(const char *path, const char *want, const char *what)
{
    size_t len0 = 0, len1 = 0;
    char *before = NULL, *after = NULL;
    fs_read_all(path, &before, &len0, NULL);
    struct store *st = NULL;
    struct akw_err err = {0};
    enum akw_status s = store_open(path, 0, &st, &err);
    ok(s == AKW_ERR_DB && st == NULL, "%s: refused", what);
    ok(strstr(err.msg, want) != NULL && strstr(err.msg, path) == err.msg,
       "%s: message names the path and says '%s' (got '%s')", what, want, err.msg);
    ok(strchr(err.msg, '\n') == NULL, "%s: message is one line", what);
    fs_read_all(path, &after, &len1, NULL);
    ok(before && after && len0 == len1 && memcmp(before, after, len0) == 0,
       "%s: file untouched", what);
    char *wal = xasprintf("%s-wal", path);
    ok(!exists(wal), "%s: no WAL file created", what);
    free(wal);
    free(before);
    free(after);
    if (st)
        store_close(st);
}

static void
write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
}

static void
test_refuse(void)
{
    const char *text = fx_path("notes.txt");
    write_file(text, "this is not a database\n", 23);
    expect_refused(text, "not an akwatch store", "a text file");

    const char *foreign = fx_path("other.db");
    ok(sql_exec(foreign, "CREATE TABLE songs(title TEXT); INSERT INTO songs VALUES('x');") ==
           SQLITE_OK,
       "make another program's SQLite file");
    expect_refused(foreign, "not an akwatch store", "a foreign SQLite database");

    /* SQLite's magic, then garbage: looks like SQLite but is not readable */
    char junk[4096];
    memset(junk, 0xA5, sizeof junk);
    memcpy(junk, "SQLite format 3", 16);
    const char *garbage = fx_path("garbage.db");
    write_file(garbage, junk, sizeof junk);
    expect_refused(garbage, "corrupt", "SQLite header then garbage");

    /* a real store whose first page (the schema) is overwritten past the header */
    const char *broken = fx_path("broken.db");
    struct store *st = NULL;
    struct akw_err err = {0};
    ok(store_open(broken, 0, &st, &err) == AKW_OK, "make a store to break");
    for (int i = 0; i < 20; i++) {
        char fp[32];
        snprintf(fp, sizeof fp, "fp-broken-%d", i);
        record_one(st, fp, NULL);
    }
    store_close(st); /* checkpoints the WAL into the file */
    size_t len = 0;
    char *data = NULL;
    fs_read_all(broken, &data, &len, NULL);
    ok(len > 8192, "store file has several pages");
    if (len > 8192) {
        memset(data + 100, 0x5A, 3000);
        write_file(broken, data, len);
        expect_refused(broken, "corrupt", "a store with a damaged schema page");
    }
    free(data);
}

static int
count_cb(const struct leak *l, void *user)
{
    (void)l;
    (*(long *)user)++;
    return 0;
}

/* Damage in the middle of the data (not the schema): opening may work, reading the damaged
 * rows must fail with the "corrupt" message, not crash or return garbage silently. */
static void
test_corrupt_data(void)
{
    const char *path = fx_path("rotten.db");
    struct store *st = NULL;
    struct akw_err err = {0};
    ok(store_open(path, 0, &st, &err) == AKW_OK, "make a store of 3000 leaks");
    store_begin(st, &err);
    for (int i = 0; i < 3000; i++) {
        char fp[32];
        snprintf(fp, sizeof fp, "fp-rotten-%05d", i);
        struct leak l;
        struct location loc;
        fx_leak(&l, fp, "LTAI5tRottenStore000001", SEVERITY_HIGH, 1000 + i);
        fx_loc(&loc, "acme/rotten", fp, i, "r0", 0);
        store_record(st, &l, &loc, NULL, &err);
    }
    ok(store_commit(st, &err) == AKW_OK, "committed");
    store_close(st);
    size_t len = 0;
    char *data = NULL;
    fs_read_all(path, &data, &len, NULL);
    ok(len > 100000, "store is big enough to damage the middle (%zu bytes)", len);
    if (len <= 100000) {
        free(data);
        return;
    }
    for (size_t i = len / 3; i < len / 3 + 40960; i++)
        data[i] = (char)(i * 131);
    write_file(path, data, len);
    free(data);
    st = NULL;
    enum akw_status s = store_open(path, 0, &st, &err);
    if (s == AKW_OK) {
        long n = 0;
        struct leak_filter f = {0, NULL, NULL, LEAK_SORT_TIME, 0};
        s = store_leak_foreach(st, &f, count_cb, &n, &err);
        if (s == AKW_OK)
            s = store_leak_foreach(st, &(struct leak_filter){.ak_prefix = "ltai", .sort = LEAK_SORT_SEVERITY},
                                   count_cb, &n, &err);
        store_close(st);
    }
    ok(s == AKW_ERR_DB && strstr(err.msg, "corrupt") && strstr(err.msg, path) == err.msg,
       "damaged rows give the corrupt message (%s)", err.msg);
}

static void
test_newer_schema(void)
{
    const char *path = fx_path("future.db");
    struct store *st = NULL;
    struct akw_err err = {0};
    ok(store_open(path, 0, &st, &err) == AKW_OK, "make a store");
    store_close(st);
    ok(sql_exec(path, "UPDATE meta SET value = '999' WHERE key = 'schema_version'") == SQLITE_OK,
       "pretend a newer akwatch wrote it");
    st = NULL;
    ok(store_open(path, 0, &st, &err) == AKW_ERR_DB, "a newer schema is refused");
    ok(strstr(err.msg, "newer than this akwatch") != NULL, "says it is newer (%s)", err.msg);
    store_close(st);
}

static void
test_readonly(void)
{
    const char *missing = fx_path("nope/missing.db");
    struct store *st = NULL;
    struct akw_err err = {0};
    ok(store_open(missing, STORE_OPEN_READONLY, &st, &err) != AKW_OK && st == NULL,
       "read-only open of a missing file fails");
    ok(strstr(err.msg, missing) == err.msg, "message names the path (%s)", err.msg);
    ok(!exists(missing) && !exists(fx_path("nope")), "nothing created");

    const char *empty = fx_path("empty.db");
    write_file(empty, "", 0);
    ok(store_open(empty, STORE_OPEN_READONLY, &st, &err) == AKW_ERR_DB,
       "read-only open of a store needing migration fails (%s)", err.msg);
    ok(store_open(empty, 0, &st, &err) == AKW_OK, "an existing empty file becomes a store");
    is_int(count_all(st), 0, "with no leaks");
    store_close(st);
    st = NULL;

    const char *path = fx_path("ro.db");
    ok(store_open(path, 0, &st, &err) == AKW_OK, "make a store");
    record_one(st, "fp-ro-1", "LTAI5tReadOnly000000001");
    store_close(st);
    st = NULL;
    akw_err_clear(&err);
    ok(store_open(path, STORE_OPEN_READONLY, &st, &err) == AKW_OK, "read-only open (%s)",
       err.msg);
    if (!st)
        return;
    is_int(count_all(st), 1, "read-only store lists");
    struct leak l;
    struct location loc;
    fx_leak(&l, "fp-ro-2", NULL, SEVERITY_LOW, 0);
    fx_loc(&loc, "acme/x", "a", 1, NULL, 0);
    ok(store_record(st, &l, &loc, NULL, &err) == AKW_ERR_DB, "read-only store refuses writes");
    ok(store_state_set(st, "s", "k", "v", &err) == AKW_ERR_DB, "and state writes");
    store_close(st);
}

static void
test_locked(void)
{
    const char *path = fx_path("locked.db");
    struct store *a = NULL, *b = NULL;
    struct akw_err err = {0};
    setenv("AKWATCH_DB_TIMEOUT_MS", "50", 1);
    ok(store_open(path, 0, &a, &err) == AKW_OK, "writer A opens");
    ok(store_open(path, 0, &b, &err) == AKW_OK, "writer B opens");
    ok(store_begin(a, &err) == AKW_OK, "A starts a batch (holds the write lock)");
    ok(store_begin(a, &err) == AKW_ERR_USAGE, "nested store_begin is refused");
    struct leak l;
    struct location loc;
    fx_leak(&l, "fp-locked", NULL, SEVERITY_LOW, 0);
    fx_loc(&loc, "acme/x", "a", 1, NULL, 0);
    ok(store_record(b, &l, &loc, NULL, &err) == AKW_ERR_DB, "B's write fails after the timeout");
    ok(strstr(err.msg, "database is locked") != NULL && strstr(err.msg, path) == err.msg,
       "message says the database is locked (%s)", err.msg);
    is_int(count_all(b), 0, "B can still read while A writes");
    store_rollback(a);
    akw_err_clear(&err);
    ok(store_record(b, &l, &loc, NULL, &err) == AKW_OK, "B writes once A is done (%s)",
       err.msg);
    store_close(a);
    store_close(b);
    unsetenv("AKWATCH_DB_TIMEOUT_MS");
}

/* Another program (the sqlite3 shell, exec'd: a forked copy of this process would share its
 * SQLite lock bookkeeping) opens the store, reads scan_state test/k into out, and closes. */
static int
other_process_reads(const char *path, char *out, size_t n)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], STDOUT_FILENO);
        execl("/usr/bin/sqlite3", "sqlite3", path,
              "SELECT value FROM scan_state WHERE source = 'test' AND key = 'k'", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    ssize_t got = read(p[0], out, n - 1);
    out[got > 0 ? got : 0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    close(p[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Two connections in one process (the TUI and its scan thread), and another process opening
 * and closing the store meanwhile: the second open must not drop the process's locks (a
 * stray open/close of the file does), or the other process, believing itself the last
 * user, deletes the WAL the first connection still writes to and later writes vanish. */
static void
test_second_connection_keeps_locks(void)
{
    const char *path = fx_path("shared.db");
    char wal[600], got[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct store *a = NULL, *b = NULL;
    struct akw_err err;
    ok(store_open(path, 0, &a, &err) == AKW_OK, "locks: first connection");
    ok(store_state_set(a, "test", "k", "one", &err) == AKW_OK, "locks: a write through it");
    ok(store_open(path, 0, &b, &err) == AKW_OK, "locks: a second connection in this process");
    ok(other_process_reads(path, got, sizeof got) == 0, "locks: another process opened and closed it");
    is_str(got, "one", "locks: and read the first write");
    ok(exists(wal), "locks: the WAL is still there after the other process closed");
    ok(store_state_set(a, "test", "k", "two", &err) == AKW_OK, "locks: a later write");
    ok(other_process_reads(path, got, sizeof got) == 0, "locks: another process reads again");
    is_str(got, "two", "locks: it sees the later write (nothing vanished)");
    store_close(b);
    store_close(a);
}

int
main(void)
{
    unsetenv("AKWATCH_NOW");
    test_create();
    test_v1_file();
    test_v1_readonly();
    test_failed_migration();
    test_refuse();
    test_corrupt_data();
    test_newer_schema();
    test_readonly();
    test_locked();
    test_second_connection_keeps_locks();
    return done_testing();
}
