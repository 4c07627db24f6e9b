/* local — the detector over walked files, over history patches and over the staged
 * changes: turns each detector finding into a scan_hit with its place (path as reached;
 * work tree and path in it, see place.c; commit). Does not store or print.
 */
#include "config.h"
#include "scan/local.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct glue {
    struct detector *d;
    scan_hit_cb cb;
    void *user;
    struct scan_stats *st;
    const char *arg;
    struct scan_hit hit;
    const struct scan_patch *patch; /* history: maps buffer lines to file lines */
    char *path;                     /* history: arg joined with the repo path */
    const char *root, *relpath;     /* the file as the walk or git log gave it */
    struct scan_place place;        /* its place whatever the argument (hit.root/relpath) */
    int placed;                     /* place computed for the current file */
};

static int
on_finding(const struct finding *f, void *user)
{
    struct glue *g = user;
    g->st->findings++;
    if (!g->placed) { /* only files with findings need their place */
        scan_place_of(&g->place, g->root, g->relpath, &g->hit.root, &g->hit.relpath);
        g->placed = 1;
    }
    if (!g->patch) {
        g->hit.f = f;
        return g->cb(&g->hit, g->user);
    }
    struct finding moved = *f;
    if (f->line >= 1 && f->line <= g->patch->n_lines)
        moved.line = (size_t)g->patch->line_no[f->line - 1];
    g->hit.f = &moved;
    return g->cb(&g->hit, g->user);
}

static int
on_file(const struct scan_file *file, void *user)
{
    struct glue *g = user;
    g->hit.path = file->path;
    g->root = file->root;
    g->relpath = file->relpath;
    g->placed = 0;
    return detector_scan(g->d, file->path, file->data, file->len, on_finding, g)
           == AKW_ERR_CANCEL;
}

enum akw_status
scan_local(struct detector *d, const char *arg, const struct scan_opts *o, scan_hit_cb cb,
           void *user, struct scan_stats *st, struct akw_err *err)
{
    struct glue g = {.d = d, .cb = cb, .user = user, .st = st, .arg = arg};
    g.hit.platform = "local";
    enum akw_status rc = scan_walk(arg, o, on_file, &g, st, err);
    scan_place_done(&g.place);
    return rc;
}

/* "repo" + "/" + path, like grep would show it ("." stays explicit: "./a/b"). */
static char *
join(const char *arg, const char *path)
{
    size_t n = strlen(arg);
    return xasprintf("%s%s%s", arg, n && arg[n - 1] == '/' ? "" : "/", path);
}

static int
on_patch(const struct scan_patch *p, void *user)
{
    struct glue *g = user;
    free(g->path);
    g->path = join(g->arg, p->path);
    g->patch = p;
    g->hit.path = g->path;
    g->relpath = p->path;
    g->placed = 0;
    g->hit.commit = p->commit;
    g->hit.author = p->author;
    g->hit.committed_at = p->committed_at;
    return detector_scan(g->d, p->path, p->data, p->len, on_finding, g) == AKW_ERR_CANCEL;
}

enum akw_status
scan_history(struct detector *d, const char *repo, const struct scan_opts *o, scan_hit_cb cb,
             void *user, struct scan_stats *st, struct akw_err *err)
{
    enum akw_status rc = scan_path_check(repo, err);
    if (rc != AKW_OK)
        return rc;
    char *root = realpath(repo, NULL);
    if (!root)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", repo, strerror(errno));
    struct glue g = {.d = d, .cb = cb, .user = user, .st = st, .arg = repo};
    g.hit.platform = "git";
    g.root = root;
    rc = scan_git_log(repo, o, on_patch, &g, st, err);
    free(g.path);
    scan_place_done(&g.place);
    free(root);
    return rc;
}

/* The staged changes: paths are the work tree's as git shows them ("src/app.conf"). */
static int
on_staged(const struct scan_patch *p, void *user)
{
    struct glue *g = user;
    g->patch = p;
    g->hit.path = p->path;
    g->relpath = p->path;
    g->placed = 0;
    return detector_scan(g->d, p->path, p->data, p->len, on_finding, g) == AKW_ERR_CANCEL;
}

enum akw_status
scan_staged(struct detector *d, const char *repo, const struct scan_opts *o, scan_hit_cb cb,
            void *user, struct scan_stats *st, struct akw_err *err)
{
    enum akw_status rc = scan_path_check(repo, err);
    if (rc != AKW_OK)
        return rc;
    char *root = scan_baseline_root_of(repo);
    if (!root)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", repo, strerror(errno));
    struct glue g = {.d = d, .cb = cb, .user = user, .st = st, .arg = repo};
    g.hit.platform = "staged";
    g.root = root;
    rc = scan_git_staged(repo, o, on_staged, &g, st, err);
    scan_place_done(&g.place);
    free(root);
    return rc;
}
