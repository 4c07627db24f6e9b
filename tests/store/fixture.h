/* fixture — helpers shared by the store tests: a temp folder removed at exit, store
 * locations (a file there, or a fresh PostgreSQL database when AKWATCH_TEST_DB_URL is set),
 * raw SQL on a store, and findings built from a few fields. Header-only; each test program
 * includes it once.
 *
 * AKWATCH_TEST_DB_URL: a postgresql:// URL with "%s" where the database name goes
 * (tests/store/on_postgresql.sh sets it); each fx_store() name gets its own database. */
#ifndef AKW_TEST_STORE_FIXTURE_H
#define AKW_TEST_STORE_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char fx_dir[64];

static inline int
fx_rm(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

static inline void
fx_cleanup(void)
{
    if (fx_dir[0])
        nftw(fx_dir, fx_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Create the temp folder (once) and return "<dir>/<name>" in a static buffer ring. */
static inline const char *
fx_path(const char *name)
{
    static char bufs[8][256];
    static int next;
    if (!fx_dir[0]) {
        snprintf(fx_dir, sizeof fx_dir, "/tmp/akw-store-XXXXXX");
        if (!mkdtemp(fx_dir)) {
            perror("mkdtemp");
            exit(99);
        }
        atexit(fx_cleanup);
    }
    char *b = bufs[next++ % 8];
    snprintf(b, 256, "%s/%s", fx_dir, name);
    return b;
}

/* The location of a store called name: fx_path(name), or a new database on the test
 * server (created at the first call for that name). Static buffer ring, as fx_path. */
static inline const char *
fx_store(const char *name)
{
    static char bufs[8][512];
    static int next;
    const char *tmpl = getenv("AKWATCH_TEST_DB_URL");
    const char *at = tmpl ? strstr(tmpl, "%s") : NULL;
    if (!at)
        return fx_path(name);
    char db[128];
    size_t n = 0;
    n += (size_t)snprintf(db, sizeof db, "t%ld_", (long)getpid());
    for (const char *p = name; *p && n + 1 < sizeof db; p++)
        db[n++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_';
    db[n] = '\0';
    char *b = bufs[next++ % 8];
    snprintf(b, 512, "%.*s%s%s", (int)(at - tmpl), tmpl, db, at + 2);
    /* created once per name: a second fx_store(name) is the same store */
    static char made[64][128];
    static int n_made;
    for (int i = 0; i < n_made; i++)
        if (strcmp(made[i], db) == 0)
            return b;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "psql -q -X -v ON_ERROR_STOP=1 '%.*spostgres%s' -c 'CREATE DATABASE %s'",
             (int)(at - tmpl), tmpl, at + 2, db);
    if (system(cmd) != 0) {
        fprintf(stderr, "cannot create test database %s\n", db);
        exit(99);
    }
    if (n_made < 64)
        snprintf(made[n_made++], sizeof made[0], "%s", db);
    return b;
}

/* Is the test running on a PostgreSQL store? */
static inline int
fx_on_server(void)
{
    const char *t = getenv("AKWATCH_TEST_DB_URL");
    return t && strstr(t, "%s");
}

/* Run SQL on the store at loc behind the store's back (sqlite3 shell or psql); 0 = done. */
static inline int
fx_raw_sql(const char *loc, const char *sql)
{
    char *file = xstrdup(fx_path("raw.sql"));
    FILE *f = fopen(file, "w");
    if (!f)
        return -1;
    fputs(sql, f);
    fclose(f);
    char cmd[1536];
    if (fx_on_server())
        snprintf(cmd, sizeof cmd, "psql -q -X -v ON_ERROR_STOP=1 '%s' -f '%s'", loc, file);
    else
        snprintf(cmd, sizeof cmd, "sqlite3 -bail -cmd '.timeout 5000' '%s' <'%s'", loc, file);
    free(file);
    return system(cmd) == 0 ? 0 : -1;
}

/* A finding with fingerprint fp (the other fields derived), not owned, given severity. */
static inline void
fx_leak(struct leak *l, const char *fp, const char *ak_id, enum severity sev, time_t first_seen)
{
    memset(l, 0, sizeof *l);
    snprintf(l->fingerprint, sizeof l->fingerprint, "%s", fp);
    l->rule = (char *)"alibaba-access-key";
    l->kind = (char *)"cloud-ak";
    l->description = (char *)"Alibaba Cloud AccessKey";
    l->ak_id = (char *)ak_id;
    l->secret_masked = (char *)"LTAI5t****************1a2B";
    l->severity = sev;
    l->first_seen = first_seen;
}

static inline void
fx_loc(struct location *loc, const char *repo, const char *path, long line, const char *commit,
       time_t found_at)
{
    memset(loc, 0, sizeof *loc);
    loc->platform = (char *)"github";
    loc->repo = (char *)repo;
    loc->path = (char *)path;
    loc->line = line;
    loc->column = 7;
    loc->commit = (char *)commit;
    loc->found_at = found_at;
    loc->snippet = (char *)"key = LTAI5t****************1a2B";
}

#endif
