/* fixture — helpers shared by the store tests: a temp folder removed at exit, and findings
 * built from a few fields. Header-only; each test program includes it once. */
#ifndef AKW_TEST_STORE_FIXTURE_H
#define AKW_TEST_STORE_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static char fx_dir[64];

static int
fx_rm(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

static void
fx_cleanup(void)
{
    if (fx_dir[0])
        nftw(fx_dir, fx_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Create the temp folder (once) and return "<dir>/<name>" in a static buffer ring. */
static const char *
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

/* A finding with fingerprint fp (the other fields derived), not owned, given severity. */
static void
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

static void
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
