/* ghscan — turns a text fetched from GitHub into recorded findings: runs the detector,
 * decides ownership (a configured asset named near the finding, or a configured org/user),
 * and records findings with provenance together with the source's scan_state writes in one
 * transaction; and scans the added lines of one commit for the sources that follow commits
 * (events feed, org/user repositories). Fetches nothing else. */
#include "config.h"
#include "scan/ghscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notify/notify.h"
#include "verify/verify.h"

#define OWNER_WINDOW 5 /* lines around a finding searched for an asset */

struct hit {
    const struct rule_info *rule;
    enum severity severity;
    enum confidence confidence;
    char *secret, *masked, *ak_id, *line_masked;
    char fingerprint[65];
    long line, column;
};

struct hits {
    struct hit *v;
    size_t n, cap;
};

static int
collect(const struct finding *f, void *user)
{
    struct hits *h = user;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        h->v = xrealloc(h->v, h->cap * sizeof *h->v);
    }
    struct hit *x = &h->v[h->n++];
    x->rule = f->rule;
    x->severity = f->severity;
    x->confidence = f->confidence;
    x->secret = xstrdup(f->secret);
    x->masked = xstrdup(f->secret_masked);
    x->ak_id = xstrdup(f->ak_id);
    x->line_masked = xstrdup(f->line_masked);
    snprintf(x->fingerprint, sizeof x->fingerprint, "%s", f->fingerprint);
    x->line = (long)f->line;
    x->column = (long)f->column;
    return 0;
}

static void
hits_free(struct hits *h)
{
    for (size_t i = 0; i < h->n; i++) {
        secret_free(h->v[i].secret);
        free(h->v[i].masked);
        free(h->v[i].ak_id);
        free(h->v[i].line_masked);
    }
    free(h->v);
}

static const char *
memcasemem(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0 || m > n)
        return NULL;
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

/* Byte range of lines [from, to] (1-based, clamped) of data. */
static void
line_range(const char *data, size_t len, long from, long to, size_t *b, size_t *e)
{
    long line = 1;
    size_t i = 0;
    *b = 0;
    for (; i < len && line < from; i++)
        if (data[i] == '\n')
            *b = i + 1, line++;
    for (; i < len && line <= to; i++)
        if (data[i] == '\n')
            line++;
    *e = i;
}

static int
names_asset(const struct config *cfg, const char *text, size_t n)
{
    const struct strlist *lists[] = {&cfg->access_key_ids, &cfg->domains, &cfg->endpoints,
                                     &cfg->hosts};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            if (memcasemem(text, n, lists[l]->v[i]))
                return 1;
    return 0;
}

static int
is_owned(const struct ghscan *g, const struct ghprov *p, const struct hit *h, const char *data,
         size_t len)
{
    const struct config *cfg = g->cfg;
    if (p->owned_source || ghscan_owner_configured(cfg, p->repo))
        return 1;
    for (size_t i = 0; h->ak_id && i < cfg->access_key_ids.n; i++)
        if (strcasecmp(h->ak_id, cfg->access_key_ids.v[i]) == 0)
            return 1;
    if (h->secret && names_asset(cfg, h->secret, strlen(h->secret)))
        return 1;
    size_t b, e;
    line_range(data, len, h->line - OWNER_WINDOW, h->line + OWNER_WINDOW, &b, &e);
    return names_asset(cfg, data + b, e - b);
}

int
ghscan_owner_configured(const struct config *cfg, const char *repo)
{
    const char *slash = repo ? strchr(repo, '/') : NULL;
    if (!slash)
        return 0;
    size_t n = (size_t)(slash - repo);
    const struct strlist *lists[] = {&cfg->orgs, &cfg->users};
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            if (strlen(lists[l]->v[i]) == n && strncasecmp(lists[l]->v[i], repo, n) == 0)
                return 1;
    return 0;
}

int
ghscan_path_skipped(const struct config *cfg, const char *path)
{
    for (size_t i = 0; i < cfg->skip.n; i++)
        if (*cfg->skip.v[i] && strstr(path, cfg->skip.v[i]))
            return 1;
    return 0;
}

int
ghscan_seen(struct ghscan *g, const char *source, const char *key)
{
    char *v = NULL;
    enum akw_status st = store_state_get(g->st, source, key, &v, NULL);
    free(v);
    return st == AKW_OK;
}

static enum akw_status
write_state(struct ghscan *g, const struct ghstate *state, size_t n, struct akw_err *err)
{
    for (size_t i = 0; i < n; i++) {
        enum akw_status st = store_state_set(g->st, state[i].source, state[i].key,
                                             state[i].value, err);
        if (st != AKW_OK)
            return st;
    }
    return AKW_OK;
}

enum akw_status
ghscan_state(struct ghscan *g, const struct ghstate *state, size_t n, struct akw_err *err)
{
    enum akw_status st;
    do { /* cut by a lost store: the server rolled it back; write it again once back */
        st = store_begin(g->st, err);
        if (st != AKW_OK)
            return st;
        st = write_state(g, state, n, err);
        if (st == AKW_OK)
            st = store_commit(g->st, err);
        else
            store_rollback(g->st);
    } while (st == AKW_ERR_DB && store_lost(g->st) && store_reconnect_wait(g->st, err) == AKW_OK);
    return st;
}

/* The store's input for one hit; *url (caller frees) backs loc->url. */
static void
fill_record(struct ghscan *g, const struct ghprov *p, const struct hit *h, int owned,
            struct leak *in, struct location *loc, char **url)
{
    memset(in, 0, sizeof *in);
    memset(loc, 0, sizeof *loc);
    memcpy(in->fingerprint, h->fingerprint, sizeof in->fingerprint);
    in->rule = (char *)h->rule->id;
    in->kind = (char *)h->rule->kind;
    in->description = (char *)h->rule->description;
    in->ak_id = h->ak_id;
    in->secret_masked = h->masked;
    in->secret = g->cfg->store_secrets ? h->secret : NULL;
    in->severity = h->severity;
    in->confidence = h->confidence;
    in->owned = owned;
    *url = p->url ? xasprintf("%s#L%ld", p->url, h->line) : NULL;
    loc->platform = (char *)"github";
    loc->repo = (char *)p->repo;
    loc->path = (char *)p->path;
    loc->line = h->line;
    loc->column = h->column;
    loc->commit = (char *)p->commit;
    loc->url = *url;
    loc->author = (char *)p->author;
    loc->committed_at = p->committed_at;
    loc->found_at = akw_now();
    loc->snippet = h->line_masked;
}

static enum akw_status
record_one(struct ghscan *g, const struct ghprov *p, const struct hit *h, int owned,
           struct store_record_result *res, struct akw_err *err)
{
    struct leak in;
    struct location loc;
    char *url;
    fill_record(g, p, h, owned, &in, &loc, &url);
    enum akw_status st = store_record(g->st, &in, &loc, res, err);
    free(url);
    return st;
}

/* Alert on the committed new (or reopened) leaks of one file, in one batch; after verify_hit
 * so [verify] alert_only_live sees the verdict. A delivery failure is recorded on the alert; a
 * store failure is counted, not fatal: the findings themselves are committed. */
static void
notify_hits(struct ghscan *g, const struct ghprov *p, const struct hits *h, const int *owned,
            const struct store_record_result *res)
{
    if (!g->notify || h->n == 0)
        return;
    struct leak *in = xcalloc(h->n, sizeof *in);
    struct location *loc = xcalloc(h->n, sizeof *loc);
    char **url = xcalloc(h->n, sizeof *url);
    struct notify_leak_item *items = xcalloc(h->n, sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (owned[i] < 0)
            continue;
        fill_record(g, p, &h->v[i], owned[i], &in[n], &loc[n], &url[n]);
        items[n] = (struct notify_leak_item){.leak = &in[n], .loc = &loc[n], .res = &res[i]};
        n++;
    }
    struct akw_err e;
    if (notify_leaks_found(g->notify, g->st, items, n, &e) != AKW_OK)
        sched_count(g->sched, "alert_errors", 1);
    for (size_t i = 0; i < n; i++)
        free(url[i]);
    free(items);
    free(url);
    free(loc);
    free(in);
}

/* [verify] enabled = on: live-check a committed finding with the secret in hand (the store
 * need not keep it). Only a new place is worth a check; the store's cache answers for a leak
 * checked within recheck_after. Runs before the finding is published, so whoever reacts to
 * it (alerts, the TUI) sees the outcome. A failure to store the outcome is counted, not
 * fatal: the finding itself is committed. */
static void
verify_hit(struct ghscan *g, const struct hit *h, const struct store_record_result *res)
{
    struct verify_outcome o;
    enum verify_how how;
    struct akw_err e;

    if (!g->verifier || !res->new_location ||
        verify_provider_for_rule(h->rule->id) == VERIFY_PROVIDER_NONE)
        return;
    if (verify_leak(g->verifier, g->st, res->leak_id, h->secret, 0, "akwatch", &o, &how, &e) !=
        AKW_OK)
        sched_count(g->sched, "verify_errors", 1);
    else if (how == VERIFY_CHECKED)
        sched_count(g->sched, "verified", 1);
}

enum akw_status
ghscan_text(struct ghscan *g, const struct ghprov *p, const char *data, size_t len,
            const struct ghstate *state, size_t n_state, struct akw_err *err)
{
    struct hits h = {0};
    if (len && !detect_is_binary(data, len))
        detector_scan(g->det, p->path, data, len, collect, &h);
    struct store_record_result *res = xcalloc(h.n + 1, sizeof *res);
    int *owned = xcalloc(h.n + 1, sizeof *owned);
    for (size_t i = 0; i < h.n; i++) {
        owned[i] = is_owned(g, p, &h.v[i], data, len);
        if (p->from_feed && !owned[i] && !g->cfg->keep_unowned)
            owned[i] = -1; /* not kept */
    }
    /* One batch: the file's findings and the source's cursor together. A store whose
     * server went away rolled it back whole: the scan pauses here, the findings in hand,
     * until the store is back (store_on_lost), and records the batch again; the upserts
     * on fingerprint and place make a batch that did commit before the loss count once. */
    enum akw_status st;
    do {
        memset(res, 0, (h.n + 1) * sizeof *res);
        st = store_begin(g->st, err);
        if (st != AKW_OK)
            break;
        for (size_t i = 0; i < h.n && st == AKW_OK; i++)
            if (owned[i] >= 0)
                st = record_one(g, p, &h.v[i], owned[i], &res[i], err);
        if (st == AKW_OK)
            st = write_state(g, state, n_state, err);
        if (st == AKW_OK)
            st = store_commit(g->st, err);
        else
            store_rollback(g->st);
    } while (st == AKW_ERR_DB && store_lost(g->st) && store_reconnect_wait(g->st, err) == AKW_OK);
    /* Publish only what is committed: verdicts, then alerts, then the events. */
    for (size_t i = 0; st == AKW_OK && i < h.n; i++)
        if (owned[i] >= 0)
            verify_hit(g, &h.v[i], &res[i]);
    if (st == AKW_OK)
        notify_hits(g, p, &h, owned, res);
    for (size_t i = 0; st == AKW_OK && i < h.n; i++) {
        if (owned[i] < 0)
            continue;
        sched_count(g->sched, "findings", 1);
        if (res[i].new_leak)
            sched_count(g->sched, "new_leaks", 1);
        if (res[i].new_location)
            sched_publish(g->sched, SCHED_EV_FINDING, res[i].leak_id, res[i].new_leak, owned[i],
                          "%s %s/%s:%ld", h.v[i].rule->id, p->repo, p->path, h.v[i].line);
    }
    free(res);
    free(owned);
    hits_free(&h);
    return st;
}

/* HTML_BASE/blob/SHA/PATH, the base being the repository's html url when the source knows
 * it, else the commit's html_url up to /commit/ (…/commit/SHA → …/blob/SHA/PATH). */
static char *
commit_file_url(const char *html_base, const struct gh_commit *c, const char *repo,
                const char *path)
{
    if (html_base)
        return xasprintf("%s/blob/%s/%s", html_base, c->sha, path);
    const char *h = c->html_url ? strstr(c->html_url, "/commit/") : NULL;
    if (!h)
        return xasprintf("https://github.com/%s/blob/%s/%s", repo, c->sha, path);
    return xasprintf("%.*s/blob/%s/%s", (int)(h - c->html_url), c->html_url, c->sha, path);
}

enum akw_status
ghscan_commit_added(struct ghscan *g, const char *repo, const char *html_base, const char *sha,
                    int from_feed, const struct ghstate *done, struct akw_err *err)
{
    struct gh_commit c;
    enum akw_status st = gh_commit_get(g->gh, repo, sha, &c, err);
    if (st != AKW_OK)
        return st;
    sched_count(g->sched, "commits", 1);
    struct buf text;
    buf_init(&text);
    for (size_t i = 0; st == AKW_OK && i < c.n_files; i++) {
        const struct gh_file_change *f = &c.files[i];
        if (!f->patch || ghscan_path_skipped(g->cfg, f->filename))
            continue;
        buf_reset(&text);
        if (gh_patch_added(f->patch, &text, 1000000) == 0)
            continue;
        char *url = commit_file_url(html_base, &c, repo, f->filename);
        struct ghprov p = {.repo = repo, .path = f->filename, .commit = c.sha, .url = url,
                           .author = c.author_login ? c.author_login : c.author_name,
                           .committed_at = c.date, .owned_source = !from_feed,
                           .from_feed = from_feed};
        st = ghscan_text(g, &p, text.data, text.len, NULL, 0, err);
        free(url);
    }
    buf_wipe(&text);
    gh_commit_done(&c);
    if (st == AKW_OK && done)
        st = ghscan_state(g, done, 1, err);
    return st;
}
