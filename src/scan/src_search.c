/* src_search — the code-search source: one query per configured asset (quoted) and per
 * configured query, every page (at most the 1000 results GitHub serves), then each hit's
 * file fetched and scanned. A file already scanned at the same blob sha is not fetched
 * again (seen-set in scan_state, written with the file's findings). A hit whose file cannot
 * be fetched is skipped and reported (gaps.c), never marked seen, so the next round tries
 * it again; the other hits and queries go on. */
#include "config.h"
#include "scan/ghscan.h"

#include <stdlib.h>
#include <string.h>

#define SRC "github.search"
#define MAX_PAGES 10

/* The commit of a contents URL "...?ref=SHA" (caller frees), or NULL. */
static char *
ref_of_url(const char *url)
{
    const char *r = strstr(url, "?ref=");
    if (!r)
        r = strstr(url, "&ref=");
    if (!r)
        return NULL;
    r += 5;
    return xstrndup(r, strcspn(r, "&#"));
}

static enum akw_status
scan_item(struct ghscan *g, const struct gh_search_item *it, struct akw_err *err)
{
    const char *repo = it->repo.full_name, *sha = it->sha ? it->sha : "";
    char *key = xasprintf("seen:%s:%s:%s", sha, repo, it->path);
    enum akw_status st = AKW_OK;
    if (ghscan_seen(g, SRC, key) || ghscan_path_skipped(g->cfg, it->path) ||
        ghgaps_pending(g->search_gaps, repo, it->path, sha)) {
        free(key);
        return AKW_OK;
    }
    if (ghgaps_given_up(g->search_gaps, repo, it->path, sha)) {
        ghgaps_report_given_up(g->search_gaps, repo);
        free(key);
        return AKW_OK;
    }
    struct buf text;
    buf_init(&text);
    char *html = NULL;
    st = gh_contents_get(g->gh, it->url, &text, &html, err);
    if (st == AKW_OK) {
        ghgaps_fetched(g->search_gaps);
        char *commit = ref_of_url(it->url);
        /* html_url of a hit points at the blob at its ref; drop any #fragment. */
        const char *h = html ? html : it->html_url;
        char *url = h ? xstrndup(h, strcspn(h, "#")) : NULL;
        struct ghprov p = {.repo = it->repo.full_name, .path = it->path, .commit = commit,
                           .url = url};
        struct ghstate s = {SRC, key, "1"};
        if ((long long)text.len > g->cfg->max_file_size && g->cfg->max_file_size > 0)
            st = ghscan_state(g, &s, 1, err); /* too big: remember, do not scan */
        else
            st = ghscan_text(g, &p, text.data, text.len, &s, 1, err);
        sched_count(g->sched, "files", 1);
        free(commit);
        free(url);
    } else if (st == AKW_ERR_NOTFOUND) {
        st = AKW_OK; /* deleted since it was indexed */
    } else {
        st = ghgaps_failed(g->search_gaps, repo, it->path, sha, st, err);
    }
    free(html);
    buf_wipe(&text);
    free(key);
    return st;
}

static enum akw_status
run_query(struct ghscan *g, const char *q, struct akw_err *err)
{
    char *next = NULL;
    enum akw_status st = AKW_OK;
    for (int page = 0; page < MAX_PAGES && st == AKW_OK; page++) {
        struct gh_search_page sp;
        st = gh_search_code(g->gh, q, next, &sp, err);
        free(next);
        next = NULL;
        for (size_t i = 0; st == AKW_OK && i < sp.n; i++) {
            if (gh_cancelled(g->cancel))
                st = akw_err_set(err, AKW_ERR_CANCEL, _("stopped"));
            else
                st = scan_item(g, &sp.items[i], err);
        }
        if (st == AKW_OK && sp.next)
            next = xstrdup(sp.next);
        gh_search_page_done(&sp);
        if (!next)
            break;
    }
    free(next);
    return st;
}

/* A query GitHub rejects (422: invalid) is reported and the next query goes on. */
static enum akw_status
query_or_report(struct ghscan *g, const char *q, struct akw_err *err)
{
    enum akw_status st = run_query(g, q, err);
    if (st == AKW_ERR_NOTFOUND) {
        sched_publish(g->sched, SCHED_EV_ERROR, 0, 0, 0, _("code search %s: %s"), q,
                      err ? err->msg : "");
        st = AKW_OK;
    }
    return st;
}

enum akw_status
src_search_run(struct ghscan *g, struct akw_err *err)
{
    const struct config *cfg = g->cfg;
    const struct strlist *assets[] = {&cfg->access_key_ids, &cfg->domains, &cfg->endpoints,
                                      &cfg->hosts};
    enum akw_status st = AKW_OK;
    if (!g->search_gaps)
        g->search_gaps = ghgaps_new(g, SRC, 0);
    ghgaps_begin(g->search_gaps);
    for (size_t l = 0; st == AKW_OK && l < sizeof assets / sizeof assets[0]; l++)
        for (size_t i = 0; st == AKW_OK && i < assets[l]->n; i++) {
            char *q = xasprintf("\"%s\"", assets[l]->v[i]);
            st = query_or_report(g, q, err);
            free(q);
        }
    for (size_t i = 0; st == AKW_OK && i < cfg->queries.n; i++)
        st = query_or_report(g, cfg->queries.v[i], err);
    long open = 0;
    if (st == AKW_OK) /* every query done: count, report (and give up on) what failed */
        st = ghgaps_flush(g->search_gaps, NULL, &open, err);
    return st;
}

int
src_search_enabled(const struct config *cfg)
{
    return cfg->access_key_ids.n + cfg->domains.n + cfg->endpoints.n + cfg->hosts.n +
               cfg->queries.n > 0;
}
