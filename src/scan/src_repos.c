/* src_repos — repositories of the configured orgs and users: list them (Link paging), scan
 * each default branch once through git trees + blobs (binaries and oversize files skipped,
 * each blob's seen mark written with its findings), then on a new pushed_at scan only the
 * new commits (compare from the last scanned head, or commits?since when history was
 * rewritten). Findings from these repositories are owned. A file or a new commit that cannot
 * be fetched is skipped and reported (gaps.c); the repository's cursor stays put while it is
 * to be retried, so the next run fetches it again (a file alone: scanned blobs are marked
 * seen; a commit with those after it). */
#include "config.h"
#include "scan/ghscan.h"

#include <stdlib.h>
#include <string.h>

#define SRC "github.repos"

/* Repo state "PUSHED_AT\tHEAD_SHA\tHEAD_DATE" (dates ISO). */
struct repo_state {
    char *pushed_at, *head, *head_date;
};

static int
state_load(struct ghscan *g, const char *key, struct repo_state *rs)
{
    char *v = NULL;
    memset(rs, 0, sizeof *rs);
    if (store_state_get(g->st, SRC, key, &v, NULL) != AKW_OK)
        return 0;
    char *field[3] = {v, NULL, NULL}; /* fields may be empty: no strtok */
    for (int i = 1; i < 3 && field[i - 1]; i++) {
        char *tab = strchr(field[i - 1], '\t');
        if (tab)
            *tab = '\0', field[i] = tab + 1;
    }
    rs->pushed_at = xstrdup(field[0] ? field[0] : "");
    rs->head = xstrdup(field[1] ? field[1] : "");
    rs->head_date = xstrdup(field[2] ? field[2] : "");
    free(v);
    return 1;
}

static void
state_done(struct repo_state *rs)
{
    free(rs->pushed_at);
    free(rs->head);
    free(rs->head_date);
}

static char *
state_value(const char *pushed_at, const char *head, time_t head_date)
{
    char d[32];
    akw_time_iso(head_date, d);
    return xasprintf("%s\t%s\t%s", pushed_at ? pushed_at : "", head, d);
}

static char *
file_url(const struct gh_repo_ref *r, const char *sha, const char *path)
{
    if (r->html_url)
        return xasprintf("%s/blob/%s/%s", r->html_url, sha, path);
    return xasprintf("https://github.com/%s/blob/%s/%s", r->full_name, sha, path);
}

/* The default branch at its head commit, blob by blob. *open: files skipped this run that
 * the next run must try again (the caller then leaves the cursor where it is). */
static enum akw_status
scan_tree(struct ghscan *g, struct ghgaps *gaps, const struct gh_repo_ref *r,
          const struct gh_commit *head, long *open, struct akw_err *err)
{
    *open = 0;
    struct gh_tree t;
    enum akw_status st = gh_tree_get(g->gh, r->full_name, head->sha, &t, err);
    if (st != AKW_OK)
        return st;
    struct buf blob;
    buf_init(&blob);
    for (size_t i = 0; st == AKW_OK && i < t.n; i++) {
        const struct gh_tree_entry *e = &t.v[i];
        if (gh_cancelled(g->cancel)) {
            st = akw_err_set(err, AKW_ERR_CANCEL, _("stopped"));
            break;
        }
        if ((g->cfg->max_file_size > 0 && e->size > g->cfg->max_file_size) ||
            ghscan_path_skipped(g->cfg, e->path))
            continue;
        char *key = xasprintf("seen:%s:%s:%s", e->sha, r->full_name, e->path);
        if (ghscan_seen(g, SRC, key) || ghgaps_given_up(gaps, r->full_name, e->path, e->sha)) {
            free(key);
            continue;
        }
        buf_reset(&blob);
        st = gh_blob_get(g->gh, r->full_name, e->sha, &blob, err);
        if (st == AKW_OK) {
            ghgaps_fetched(gaps);
            char *url = file_url(r, head->sha, e->path);
            struct ghprov p = {.repo = r->full_name, .path = e->path, .commit = head->sha,
                               .url = url,
                               .author = head->author_login ? head->author_login
                                                            : head->author_name,
                               .committed_at = head->date, .owned_source = 1};
            struct ghstate s = {SRC, key, "1"};
            st = ghscan_text(g, &p, blob.data, blob.len, &s, 1, err);
            sched_count(g->sched, "files", 1);
            free(url);
        } else if (st == AKW_ERR_NOTFOUND) {
            st = AKW_OK;
        } else {
            st = ghgaps_failed(gaps, r->full_name, e->path, e->sha, st, err);
        }
        free(key);
    }
    buf_wipe(&blob);
    gh_tree_done(&t);
    if (st == AKW_OK)
        st = ghgaps_flush(gaps, r->full_name, open, err);
    return st;
}

/* One commit's added lines; the repo state moves to this commit in a transaction of its own
 * once they are all in ("pushed_at" stays blank until the round ends), unless hold: an
 * earlier commit is to be retried, so the cursor stays before it. */
static enum akw_status
scan_commit(struct ghscan *g, const struct gh_repo_ref *r, const struct gh_commit *listed,
            const char *key, int hold, struct akw_err *err)
{
    char *base = r->html_url ? xstrdup(r->html_url)
                             : xasprintf("https://github.com/%s", r->full_name);
    char *sv = state_value("", listed->sha, listed->date);
    struct ghstate s = {SRC, key, sv};
    enum akw_status st =
        ghscan_commit_added(g, r->full_name, base, listed->sha, 0, hold ? NULL : &s, err);
    free(sv);
    free(base);
    return st;
}

/* Move the cursor to commit c (nothing scanned). */
static enum akw_status
cursor_to(struct ghscan *g, const char *key, const struct gh_commit *c, struct akw_err *err)
{
    char *sv = state_value("", c->sha, c->date);
    struct ghstate s = {SRC, key, sv};
    enum akw_status st = ghscan_state(g, &s, 1, err);
    free(sv);
    return st;
}

/* The commits pushed since the cursor, oldest first. A commit that cannot be fetched is
 * skipped and reported (gaps.c); the cursor stays before it while it is to be retried (the
 * later commits are scanned all the same, and again next run), and moves past it once it is
 * given up. *open: commits the next run must try again. */
static enum akw_status
scan_new_commits(struct ghscan *g, struct ghgaps *gaps, const struct gh_repo_ref *r,
                 const struct repo_state *rs, const char *key, long *open, struct akw_err *err)
{
    *open = 0;
    struct gh_commit_list l;
    enum akw_status st = gh_compare(g->gh, r->full_name, rs->head, r->default_branch, &l, err);
    if (st == AKW_ERR_NOTFOUND) {
        /* The old head is gone (history rewritten): take what was committed since. */
        st = gh_commits_since(g->gh, r->full_name, r->default_branch,
                              *rs->head_date ? rs->head_date : NULL, &l, err);
    }
    if (st != AKW_OK) {
        gh_commit_list_done(&l); /* valid after an error too */
        return st;
    }
    int hold = 0;
    const struct gh_commit *last = NULL;
    for (size_t i = 0; st == AKW_OK && i < l.n; i++) {
        const struct gh_commit *c = &l.v[i];
        if (strcmp(c->sha, rs->head) == 0)
            continue;
        last = c;
        if (gh_cancelled(g->cancel)) {
            st = akw_err_set(err, AKW_ERR_CANCEL, _("stopped"));
        } else if (ghgaps_given_up(gaps, r->full_name, "", c->sha)) {
            if (!hold) /* skipped for good: the cursor goes past it */
                st = cursor_to(g, key, c, err);
        } else {
            st = scan_commit(g, r, c, key, hold, err);
            if (st == AKW_OK) {
                ghgaps_fetched(gaps);
            } else if (st != AKW_ERR_NOTFOUND) {
                st = ghgaps_failed(gaps, r->full_name, "", c->sha, st, err);
                if (st == AKW_OK)
                    hold = 1;
            }
        }
    }
    if (st == AKW_OK)
        st = ghgaps_flush(gaps, r->full_name, open, err);
    if (st == AKW_OK && hold && *open == 0 && last) /* what held it was given up just now */
        st = cursor_to(g, key, last, err);
    gh_commit_list_done(&l);
    return st;
}

static enum akw_status
scan_repo(struct ghscan *g, struct ghgaps *gaps, const struct gh_repo_ref *r,
          struct akw_err *err)
{
    ghgaps_report_given_up(gaps, r->full_name);
    char *key = xasprintf("repo:%s", r->full_name);
    struct repo_state rs;
    int known = state_load(g, key, &rs);
    enum akw_status st = AKW_OK;
    if (known && *rs.head && r->pushed_at && strcmp(rs.pushed_at, r->pushed_at) == 0)
        goto out; /* nothing pushed since the last round */
    long open = 0;
    if (known && *rs.head) {
        st = scan_new_commits(g, gaps, r, &rs, key, &open, err);
    } else {
        struct gh_commit head;
        st = gh_commit_get(g->gh, r->full_name, r->default_branch, &head, err);
        if (st == AKW_ERR_NOTFOUND) { /* empty repository (409) */
            st = AKW_OK;
            goto out;
        }
        if (st == AKW_OK) {
            st = scan_tree(g, gaps, r, &head, &open, err);
            if (st == AKW_OK && open == 0) { /* else the next run retries what is missing */
                char *sv = state_value(r->pushed_at, head.sha, head.date);
                struct ghstate s = {SRC, key, sv};
                st = ghscan_state(g, &s, 1, err);
                free(sv);
            }
            gh_commit_done(&head);
        }
        goto out;
    }
    if (st == AKW_OK && open == 0) { /* every new commit done: remember the pushed_at */
        struct repo_state now;
        if (state_load(g, key, &now)) {
            char *sv = xasprintf("%s\t%s\t%s", r->pushed_at ? r->pushed_at : "", now.head,
                                 now.head_date);
            struct ghstate s = {SRC, key, sv};
            st = ghscan_state(g, &s, 1, err);
            free(sv);
            state_done(&now);
        }
    }
out:
    if (known)
        state_done(&rs);
    free(key);
    return st;
}

static enum akw_status
run_owner(struct ghscan *g, struct ghgaps *gaps, int is_org, const char *name,
          struct akw_err *err)
{
    struct gh_repo_list l;
    enum akw_status st = gh_list_repos(g->gh, is_org, name, &l, err);
    if (st != AKW_OK)
        return st;
    for (size_t i = 0; st == AKW_OK && i < l.n; i++) {
        st = scan_repo(g, gaps, &l.v[i], err);
        if (st == AKW_ERR_NOTFOUND) { /* gone or blocked since listed: the others go on */
            sched_publish(g->sched, SCHED_EV_ERROR, 0, 0, 0, "%s: %s", l.v[i].full_name,
                          err ? err->msg : "");
            st = AKW_OK;
        }
    }
    gh_repo_list_done(&l);
    return st;
}

enum akw_status
src_repos_run(struct ghscan *g, struct akw_err *err)
{
    enum akw_status st = AKW_OK;
    if (!g->repo_gaps)
        g->repo_gaps = ghgaps_new(g, SRC, 1);
    struct ghgaps *gaps = g->repo_gaps;
    ghgaps_begin(gaps);
    for (size_t i = 0; st == AKW_OK && i < g->cfg->orgs.n; i++)
        st = run_owner(g, gaps, 1, g->cfg->orgs.v[i], err);
    for (size_t i = 0; st == AKW_OK && i < g->cfg->users.n; i++)
        st = run_owner(g, gaps, 0, g->cfg->users.v[i], err);
    return st;
}
