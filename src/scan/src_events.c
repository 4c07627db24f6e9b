/* src_events — the public events feed: poll GET /events with If-None-Match, keep the highest
 * event id processed, page back until that id is seen (else record a gap), and scan only
 * the added lines of every pushed commit (from the payload's list, or compare before...head
 * when the payload has none). The cursor is written with each event's findings. A commit
 * that cannot be fetched does not hold the cursor: it is skipped and reported (gaps.c), put
 * on a retry list written with the cursor, and tried again at each poll until it is scanned
 * or given up ([github] give_up_after polls in a row). Does not decide when to poll next
 * beyond reporting X-Poll-Interval. */
#include "config.h"
#include "scan/ghscan.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC "github.events"
#define PER_PAGE 100
#define MAX_PAGES 3 /* the feed holds at most 300 events */
#define RETRY_MAX 200 /* lines kept in "retry" (the oldest go first) */

/* One poll: the gaps, and "retry" = "REPO\tSHA\n" lines of the pushed commits that could
 * not be fetched (given-up ones stay, to be reported, until RETRY_MAX pushes them out). */
struct poll {
    struct ghgaps *gaps;
    struct buf retry;
    int worked; /* a commit was fetched in this poll: GitHub answers */
};

static int64_t
state_i64(struct ghscan *g, const char *key)
{
    char *v = NULL;
    int64_t n = 0;
    if (store_state_get(g->st, SRC, key, &v, NULL) == AKW_OK)
        n = strtoll(v, NULL, 10);
    free(v);
    return n;
}

/* The shas pushed by an event: its payload list, or compare before...head when the list is
 * absent or cut (GitHub lists at most 20 commits of a push). */
static enum akw_status
push_shas(struct ghscan *g, const struct gh_event *e, char ***out, size_t *n,
          struct akw_err *err)
{
    *out = NULL;
    *n = 0;
    if (e->has_commits && (e->size < 0 || (size_t)e->size <= e->n_commits || !e->before)) {
        *out = xcalloc(e->n_commits + 1, sizeof **out);
        for (size_t i = 0; i < e->n_commits; i++)
            (*out)[(*n)++] = xstrdup(e->commits[i].sha);
        return AKW_OK;
    }
    if (!e->before || !e->head)
        return AKW_OK;
    struct gh_commit_list l;
    enum akw_status st = gh_compare(g->gh, e->repo, e->before, e->head, &l, err);
    if (st == AKW_ERR_NOTFOUND) /* new branch (before = 0000…) or gone: the head alone */
        st = AKW_OK, l.n = 0, l.v = NULL;
    if (st != AKW_OK)
        return st;
    *out = xcalloc(l.n + 2, sizeof **out);
    for (size_t i = 0; i < l.n; i++)
        (*out)[(*n)++] = xstrdup(l.v[i].sha);
    if (*n == 0)
        (*out)[(*n)++] = xstrdup(e->head);
    gh_commit_list_done(&l);
    return AKW_OK;
}

static void
free_shas(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* retry + "REPO\tSHA\n", cut to the newest RETRY_MAX lines. */
static void
retry_add(struct buf *retry, const char *repo, const char *sha)
{
    buf_printf(retry, "%s\t%s\n", repo, sha);
    size_t lines = 0;
    for (size_t i = 0; i < retry->len; i++)
        lines += retry->data[i] == '\n';
    if (lines <= RETRY_MAX)
        return;
    char *nl = memchr(retry->data, '\n', retry->len);
    size_t cut = (size_t)(nl - retry->data) + 1;
    memmove(retry->data, retry->data + cut, retry->len - cut + 1);
    retry->len -= cut;
}

/* One pushed commit of the feed; the cursor moves with it (done), also when it cannot be
 * fetched: then it goes on the retry list in the same transaction. */
static enum akw_status
push_commit(struct ghscan *g, struct poll *pl, const char *repo, const char *sha,
            const struct ghstate *done, struct akw_err *err)
{
    enum akw_status st = ghscan_commit_added(g, repo, NULL, sha, 1, done, err);
    if (st == AKW_OK) {
        ghgaps_fetched(pl->gaps);
        pl->worked = 1;
    } else if (st == AKW_ERR_NOTFOUND) { /* force-pushed away or repository gone */
        st = ghscan_state(g, done, 1, err);
    } else if (ghgaps_failed(pl->gaps, repo, "", sha, st, err) == AKW_OK) {
        retry_add(&pl->retry, repo, sha);
        struct ghstate s[] = {*done, {SRC, "retry", pl->retry.data}};
        st = ghscan_state(g, s, 2, err);
    }
    return st;
}

/* Process one event; "progress" = "ID:K" says its first K commits are done. */
static enum akw_status
do_event(struct ghscan *g, struct poll *pl, const struct gh_event *e, struct akw_err *err)
{
    char idbuf[32];
    snprintf(idbuf, sizeof idbuf, "%" PRId64, e->id);
    sched_count(g->sched, "events", 1);
    enum akw_status st = AKW_OK;
    if (e->type && strcmp(e->type, "PushEvent") == 0 && e->repo) {
        char **shas;
        size_t n, from = 0;
        char *prog = NULL;
        if (store_state_get(g->st, SRC, "progress", &prog, NULL) == AKW_OK) {
            char *colon = strchr(prog, ':');
            if (colon && strncmp(prog, idbuf, (size_t)(colon - prog)) == 0 &&
                strlen(idbuf) == (size_t)(colon - prog))
                from = strtoul(colon + 1, NULL, 10);
        }
        free(prog);
        st = push_shas(g, e, &shas, &n, err);
        for (size_t i = from; st == AKW_OK && i < n; i++) {
            if (gh_cancelled(g->cancel)) {
                st = akw_err_set(err, AKW_ERR_CANCEL, _("stopped"));
                break;
            }
            char *pv = xasprintf("%s:%zu", idbuf, i + 1);
            struct ghstate done = {SRC, "progress", pv};
            st = push_commit(g, pl, e->repo, shas[i], &done, err);
            free(pv);
        }
        free_shas(shas, n);
    }
    if (st == AKW_OK) {
        struct ghstate s[] = {{SRC, "last_id", idbuf}, {SRC, "progress", ""}};
        st = ghscan_state(g, s, 2, err);
    }
    return st;
}

/* Try the commits of the retry list again (after the new events: a fetch that worked this
 * poll shows GitHub answers, so a failure here is the commit's, not an outage). Scanned or
 * gone ones leave the list; given-up ones stay and are reported once per process. */
static enum akw_status
retry_pass(struct ghscan *g, struct poll *pl, struct akw_err *err)
{
    char *old = xstrdup(pl->retry.data ? pl->retry.data : "");
    struct buf keep;
    buf_init(&keep);
    enum akw_status st = AKW_OK;
    for (char *line = old, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            break;
        *nl = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        const char *repo = line, *sha = tab + 1;
        int again = 0;
        if (st != AKW_OK || ghgaps_pending(pl->gaps, repo, "", sha)) {
            again = 1; /* failed once this poll already, or the poll stopped */
        } else if (ghgaps_given_up(pl->gaps, repo, "", sha)) {
            ghgaps_report_given_up(pl->gaps, repo);
            again = 1;
        } else if (gh_cancelled(g->cancel)) {
            st = akw_err_set(err, AKW_ERR_CANCEL, _("stopped"));
            again = 1;
        } else {
            if (pl->worked)
                ghgaps_fetched(pl->gaps);
            st = ghscan_commit_added(g, repo, NULL, sha, 1, NULL, err);
            if (st == AKW_OK)
                pl->worked = 1;
            else if (st == AKW_ERR_NOTFOUND)
                st = AKW_OK;
            else /* pending (tried again next poll), or an outage: kept, not counted */
                st = ghgaps_failed(pl->gaps, repo, "", sha, st, err), again = 1;
        }
        if (again)
            buf_printf(&keep, "%s\t%s\n", repo, sha);
    }
    free(old);
    if (strcmp(keep.data ? keep.data : "", pl->retry.data ? pl->retry.data : "") != 0) {
        struct ghstate s = {SRC, "retry", keep.data ? keep.data : ""};
        enum akw_status w = ghscan_state(g, &s, 1, err);
        if (st == AKW_OK)
            st = w;
    }
    buf_done(&keep);
    return st;
}

static int
cmp_event_id(const void *a, const void *b)
{
    const struct gh_event *x = *(const struct gh_event *const *)a;
    const struct gh_event *y = *(const struct gh_event *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

enum akw_status
src_events_poll(struct ghscan *g, struct akw_err *err)
{
    int64_t last = state_i64(g, "last_id");
    char *etag = NULL;
    if (last > 0 && store_state_get(g->st, SRC, "etag", &etag, NULL) == AKW_OK && !*etag) {
        free(etag);
        etag = NULL;
    }
    if (!g->event_gaps)
        g->event_gaps = ghgaps_new(g, SRC, 0);
    struct poll pl = {.gaps = g->event_gaps};
    ghgaps_begin(pl.gaps);
    buf_init(&pl.retry);
    char *retry = NULL;
    if (store_state_get(g->st, SRC, "retry", &retry, NULL) == AKW_OK)
        buf_puts(&pl.retry, retry);
    free(retry);
    struct gh_events_page pages[MAX_PAGES];
    size_t np = 0, total = 0;
    enum akw_status st = AKW_OK;
    int reached = last == 0; /* saw an event at or below last: nothing missed */
    char *new_etag = NULL;
    while (np < MAX_PAGES) {
        const char *next = np ? pages[np - 1].next : NULL;
        if (np && !next)
            break;
        st = gh_events(g->gh, np ? NULL : etag, PER_PAGE, next, &pages[np], err);
        if (st != AKW_OK)
            break;
        struct gh_events_page *pg = &pages[np++];
        if (np == 1) {
            long iv = pg->poll_interval;
            g->events_interval_s = iv > g->cfg->poll_interval ? iv : g->cfg->poll_interval;
            new_etag = xstrdup(pg->etag);
            if (pg->not_modified)
                break;
        }
        total += pg->n;
        for (size_t i = 0; i < pg->n; i++)
            if (pg->events[i].id <= last)
                reached = 1;
        if (reached)
            break;
    }
    if (st == AKW_OK && !(np == 1 && pages[0].not_modified)) {
        if (!reached && total > 0) {
            char *gaps = xasprintf("%" PRId64, state_i64(g, "gaps") + 1);
            char when[32];
            akw_time_iso(akw_now(), when);
            struct ghstate s[] = {{SRC, "gaps", gaps}, {SRC, "last_gap", when}};
            st = ghscan_state(g, s, 2, err);
            free(gaps);
            sched_count(g->sched, "gaps", 1);
            sched_publish(g->sched, SCHED_EV_GAP, 0, 0, 0,
                          _("events feed: events after id %" PRId64 " were missed (the feed "
                            "moved faster than the poll)"),
                          last);
        }
        struct gh_event **todo = xcalloc(total + 1, sizeof *todo);
        size_t n = 0;
        for (size_t p = 0; p < np; p++)
            for (size_t i = 0; i < pages[p].n; i++)
                if (pages[p].events[i].id > last)
                    todo[n++] = &pages[p].events[i];
        qsort(todo, n, sizeof *todo, cmp_event_id);
        for (size_t i = 0; st == AKW_OK && i < n; i++) {
            if (i && todo[i]->id == todo[i - 1]->id)
                continue;
            st = do_event(g, &pl, todo[i], err);
        }
        free(todo);
        /* The ETag goes last: a restart before this point polls afresh. */
        if (st == AKW_OK && new_etag) {
            struct ghstate s = {SRC, "etag", new_etag};
            st = ghscan_state(g, &s, 1, err);
        }
    }
    if (st == AKW_OK)
        st = retry_pass(g, &pl, err);
    long open = 0;
    if (st == AKW_OK) /* count, report (and give up on) what failed in this poll */
        st = ghgaps_flush(pl.gaps, NULL, &open, err);
    buf_done(&pl.retry);
    for (size_t p = 0; p < np; p++)
        gh_events_page_done(&pages[p]);
    free(etag);
    free(new_etag);
    return st;
}
