/* gaps — files (or commits: an empty path) a source could not fetch (a 5xx after the
 * retries, a body that is not JSON, one over the size limit): each is skipped for this run
 * and reported, its count of failed runs in a row kept in scan_state, and after [github]
 * give_up_after such runs it is not tried again but still reported every run. Tells an
 * outage (several fetches failing in a row) from a bad file. Fetches nothing and decides
 * nothing about cursors itself. */
#include "config.h"
#include "scan/ghscan.h"

#include <stdlib.h>
#include <string.h>

#define MAX_STREAK 3 /* fetches failed in a row: the API is down, not one file bad */

struct gap {
    char *repo, *path, *sha, *why;
};

struct ghgaps {
    struct ghscan *g;
    const char *source;
    int one_repo; /* pending failures belong to one repository at a time */
    struct gap *v; /* pending: failed this run, not yet written */
    size_t n;
    int streak;
    char **told; /* "REPO\nPATH" of given-up files already reported by this process */
    size_t n_told;
};

struct ghgaps *
ghgaps_new(struct ghscan *g, const char *source, int one_repo)
{
    struct ghgaps *gp = xcalloc(1, sizeof *gp);
    gp->g = g;
    gp->source = source;
    gp->one_repo = one_repo;
    return gp;
}

static void
gap_done(struct gap *x)
{
    free(x->repo);
    free(x->path);
    free(x->sha);
    free(x->why);
}

static void
drop_pending(struct ghgaps *gp)
{
    for (size_t i = 0; i < gp->n; i++)
        gap_done(&gp->v[i]);
    free(gp->v);
    gp->v = NULL;
    gp->n = 0;
}

void
ghgaps_free(struct ghgaps *gp)
{
    if (!gp)
        return;
    drop_pending(gp);
    for (size_t i = 0; i < gp->n_told; i++)
        free(gp->told[i]);
    free(gp->told);
    free(gp);
}

void
ghgaps_begin(struct ghgaps *gp)
{
    drop_pending(gp);
    gp->streak = 0;
}

/* What a gap is called in messages: its path, or for a commit its sha. */
static const char *
gap_name(const char *path, const char *sha)
{
    return *path ? path : sha;
}

/* First time this process meets a given-up file? (watch would else repeat it every round) */
static int
first_telling(struct ghgaps *gp, const char *repo, const char *name)
{
    char *k = xasprintf("%s\n%s", repo, name);
    for (size_t i = 0; i < gp->n_told; i++)
        if (strcmp(gp->told[i], k) == 0) {
            free(k);
            return 0;
        }
    gp->told = xrealloc(gp->told, (gp->n_told + 1) * sizeof *gp->told);
    gp->told[gp->n_told++] = k;
    return 1;
}

static char *
fail_key(const char *repo, const char *path, const char *sha)
{
    return xasprintf("fail:%s:%s:%s", sha, repo, path);
}

static long
failed_runs(struct ghgaps *gp, const char *repo, const char *path, const char *sha)
{
    char *key = fail_key(repo, path, sha), *v = NULL;
    long n = 0;
    if (store_state_get(gp->g->st, gp->source, key, &v, NULL) == AKW_OK)
        n = strtol(v, NULL, 10);
    free(v);
    free(key);
    return n;
}

int
ghgaps_given_up(struct ghgaps *gp, const char *repo, const char *path, const char *sha)
{
    int limit = gp->g->cfg->give_up_after;
    return limit > 0 && failed_runs(gp, repo, path, sha) >= limit;
}

int
ghgaps_pending(const struct ghgaps *gp, const char *repo, const char *path, const char *sha)
{
    for (size_t i = 0; i < gp->n; i++)
        if (strcmp(gp->v[i].repo, repo) == 0 && strcmp(gp->v[i].path, path) == 0 &&
            strcmp(gp->v[i].sha, sha) == 0)
            return 1;
    return 0;
}

void
ghgaps_fetched(struct ghgaps *gp)
{
    gp->streak = 0;
}

enum akw_status
ghgaps_failed(struct ghgaps *gp, const char *repo, const char *path, const char *sha,
              enum akw_status st, struct akw_err *err)
{
    if (st != AKW_ERR_NET && st != AKW_ERR_PARSE)
        return st; /* credentials, the store, a cancel: not about this file */
    if (gp->one_repo && gp->n && strcmp(gp->v[0].repo, repo) != 0)
        drop_pending(gp); /* left by a repository whose walk ended in an error */
    if (++gp->streak >= MAX_STREAK) {
        /* Nothing of this run counts against the files: the next run tries them all. */
        drop_pending(gp);
        akw_err_prefix(err, _("%d files in a row could not be fetched; the last"), MAX_STREAK);
        return st;
    }
    gp->v = xrealloc(gp->v, (gp->n + 1) * sizeof *gp->v);
    gp->v[gp->n++] = (struct gap){xstrdup(repo), xstrdup(path), xstrdup(sha),
                                  xstrdup(err ? err->msg : "")};
    return AKW_OK;
}

/* "PATH\tSHA\n" lines of the files of repo given up for good (caller frees), or NULL. */
static char *
given_up_list(struct ghgaps *gp, const char *key)
{
    char *v = NULL;
    if (store_state_get(gp->g->st, gp->source, key, &v, NULL) != AKW_OK)
        return NULL;
    return v;
}

static void
report(struct ghgaps *gp, const struct gap *x, long runs)
{
    int limit = gp->g->cfg->give_up_after;
    sched_count(gp->g->sched, "skipped", 1);
    if (!*x->path) { /* a commit */
        sched_count(gp->g->sched, "skipped_commits", 1);
        if (limit > 0 && runs >= limit && first_telling(gp, x->repo, x->sha))
            sched_publish(gp->g->sched, SCHED_EV_ERROR, 0, 0, 0,
                          _("%s: commit %s could not be fetched in %ld runs in a row (%s): "
                            "skipped from now on"),
                          x->repo, x->sha, runs, x->why);
        else if (limit > 0 && runs < limit)
            sched_publish(gp->g->sched, SCHED_EV_ERROR, 0, 0, 0,
                          _("%s: commit %s could not be fetched (%s): tried again next run "
                            "(failed %ld of %d)"),
                          x->repo, x->sha, x->why, runs, limit);
        return;
    }
    if (limit > 0 && runs >= limit && first_telling(gp, x->repo, x->path))
        sched_publish(gp->g->sched, SCHED_EV_ERROR, 0, 0, 0,
                      _("%s: %s could not be fetched in %ld runs in a row (%s): skipped from "
                        "now on"),
                      x->repo, x->path, runs, x->why);
    else if (limit > 0 && runs < limit)
        sched_publish(gp->g->sched, SCHED_EV_ERROR, 0, 0, 0,
                      _("%s: %s could not be fetched (%s): tried again next run (failed "
                        "%ld of %d)"),
                      x->repo, x->path, x->why, runs, limit);
}

/* Write and report the pending failures of repo, then take them off the pending list. */
static enum akw_status
flush_repo(struct ghgaps *gp, const char *repo, long *open, struct akw_err *err)
{
    int limit = gp->g->cfg->give_up_after;
    char *list_key = xasprintf("skipped:%s", repo);
    char *old = given_up_list(gp, list_key);
    struct buf list;
    buf_init(&list);
    if (old)
        buf_puts(&list, old);
    struct ghstate *s = xcalloc(gp->n + 1, sizeof *s);
    long *runs = xcalloc(gp->n, sizeof *runs);
    char **keys = xcalloc(gp->n, sizeof *keys), **vals = xcalloc(gp->n, sizeof *vals);
    size_t *mine = xcalloc(gp->n, sizeof *mine), n = 0;
    int grew = 0;
    for (size_t i = 0; i < gp->n; i++) {
        const struct gap *x = &gp->v[i];
        if (strcmp(x->repo, repo) != 0)
            continue;
        runs[n] = failed_runs(gp, x->repo, x->path, x->sha) + 1;
        keys[n] = fail_key(x->repo, x->path, x->sha);
        vals[n] = xasprintf("%ld", runs[n]);
        s[n] = (struct ghstate){gp->source, keys[n], vals[n]};
        if (limit > 0 && runs[n] >= limit)
            buf_printf(&list, "%s\t%s\n", x->path, x->sha), grew = 1;
        else
            (*open)++;
        mine[n++] = i;
    }
    size_t ns = n;
    if (grew)
        s[ns++] = (struct ghstate){gp->source, list_key, list.data};
    enum akw_status st = ghscan_state(gp->g, s, ns, err);
    for (size_t i = 0; st == AKW_OK && i < n; i++)
        report(gp, &gp->v[mine[i]], runs[i]);
    for (size_t i = 0; i < n; i++)
        free(keys[i]), free(vals[i]);
    /* Keep the other repositories' failures, in order. */
    size_t k = 0;
    for (size_t i = 0; i < gp->n; i++) {
        if (strcmp(gp->v[i].repo, repo) == 0)
            gap_done(&gp->v[i]);
        else
            gp->v[k++] = gp->v[i];
    }
    gp->n = k;
    free(mine);
    free(keys);
    free(vals);
    free(runs);
    free(s);
    buf_done(&list);
    free(old);
    free(list_key);
    return st;
}

enum akw_status
ghgaps_flush(struct ghgaps *gp, const char *repo, long *open, struct akw_err *err)
{
    *open = 0;
    enum akw_status st = AKW_OK;
    if (repo)
        st = gp->n ? flush_repo(gp, repo, open, err) : AKW_OK;
    while (!repo && st == AKW_OK && gp->n) {
        char *r = xstrdup(gp->v[0].repo);
        st = flush_repo(gp, r, open, err);
        free(r);
    }
    if (st != AKW_OK)
        drop_pending(gp);
    return st;
}

void
ghgaps_report_given_up(struct ghgaps *gp, const char *repo)
{
    char *key = xasprintf("skipped:%s", repo);
    char *list = given_up_list(gp, key);
    free(key);
    for (char *line = list, *nl; line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            break;
        *nl = '\0';
        char *tab = strchr(line, '\t');
        if (tab)
            *tab = '\0';
        const char *name = gap_name(line, tab ? tab + 1 : "");
        if (!*name || !first_telling(gp, repo, name))
            continue; /* counted and named once per process */
        sched_count(gp->g->sched, "skipped", 1);
        if (!*line)
            sched_count(gp->g->sched, "skipped_commits", 1);
        if (*line)
            sched_publish(gp->g->sched, SCHED_EV_ERROR, 0, 0, 0,
                          _("%s: %s skipped: it could not be fetched in %d runs in a row"),
                          repo, line, gp->g->cfg->give_up_after);
        else
            sched_publish(gp->g->sched, SCHED_EV_ERROR, 0, 0, 0,
                          _("%s: commit %s skipped: it could not be fetched in %d runs in a "
                            "row"),
                          repo, name, gp->g->cfg->give_up_after);
    }
    free(list);
}
