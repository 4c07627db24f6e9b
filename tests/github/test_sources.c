/* test_sources — the GitHub scheduler and its three sources against the fake server, with
 * the real detector and a real store in a temp folder: every planted leak found with its
 * provenance, unowned feed findings dropped (or kept with keep_unowned), binaries, skipped
 * paths and context lines ignored, reruns refetch nothing and add nothing, a push noticed
 * through pushed_at scans only the new commit, a feed gap is recorded, 401 stops the thread. */
#include "config.h"

#include <poll.h>

#include "config/conf.h"
#include "github/github.h"
#include "scan/sched.h"
#include "store/store.h"
#include "tap.h"
#include "fake.h"

#define SC_DIR AKW_SRCDIR "/tests/fakegh/scenarios/"
#define SHA_A1 "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define SHA_A2 "a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2"
#define SHA_S1 "5151515151515151515151515151515151515151"
#define SHA_P1 "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1"

static void
sl_add(struct strlist *l, const char *s)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(s);
}

static void
make_config(struct config *cfg, const struct fake *f, int keep_unowned, const char *token)
{
    config_init(cfg);
    cfg->api_url = xstrdup(f->url);
    sl_add(&cfg->tokens, token);
    sl_add(&cfg->access_key_ids, "LTAI5tR7xK2mQ9pW4vN8sB3dZ");
    sl_add(&cfg->endpoints, "rm-acme.mysql.rds.aliyuncs.com");
    sl_add(&cfg->orgs, "acme");
    sl_add(&cfg->skip, "vendor/");
    cfg->events = 1;
    cfg->keep_unowned = keep_unowned;
    cfg->poll_interval = 1;
    cfg->max_file_size = 1000; /* data/big.txt (2098 bytes) is over it */
}

/* Run the scheduler once over db; returns its final status and the events it queued. */
static enum akw_status
run_once(const char *db, const struct config *cfg, struct sched_event *evs, size_t *n_evs,
         struct akw_err *err)
{
    struct sched_opts o = {.db_path = db, .rules_dir = AKW_SRCDIR "/data/rules", .cfg = cfg,
                           .once = 1, .http_timeout_s = 5, .backoff_base_ms = 10};
    struct sched *s;
    enum akw_status st = sched_new(&o, &s, err);
    if (st != AKW_OK)
        return st;
    st = sched_start(s, err);
    if (st == AKW_OK) {
        /* The listener's side: the pipe becomes readable (a guard timeout only). */
        struct pollfd p = {.fd = sched_fd(s), .events = POLLIN};
        ok(poll(&p, 1, 30000) == 1, "wake pipe readable");
        st = sched_join(s, err);
        struct sched_status ss;
        sched_status(s, &ss);
        ok(ss.state == SCHED_STOPPED || ss.state == SCHED_ERROR, "status after join: %s",
           sched_state_name(ss.state));
        ok(ss.n_tokens == 1 && (ss.budgets[0].core_limit == 5000 || st != AKW_OK),
           "token budget visible (%ld/%ld)", ss.budgets[0].core_remaining,
           ss.budgets[0].core_limit);
    }
    size_t n = 0, max = n_evs ? *n_evs : 0;
    struct sched_event tmp[64];
    for (size_t k; (k = sched_drain(s, tmp, 64)) > 0;)
        for (size_t i = 0; i < k; i++)
            if (n < max)
                evs[n++] = tmp[i];
    if (n_evs)
        *n_evs = n;
    sched_free(s);
    return st;
}

struct want_loc {
    const char *rule_prefix, *repo, *path;
    long line;
    const char *commit, *author;
    const char *url;
    int owned;
    time_t committed_at;
};

struct found {
    const struct want_loc *w;
    int hits;
    struct store *st;
};

static int
match_leak(const struct leak *l, void *user)
{
    struct found *fd = user;
    const struct want_loc *w = fd->w;
    if (strncmp(l->rule, w->rule_prefix, strlen(w->rule_prefix)) != 0)
        return 0;
    struct location *locs;
    size_t n;
    if (store_locations_get(fd->st, l->id, &locs, &n, NULL) != AKW_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const struct location *x = &locs[i];
        if (strcmp(x->platform, "github") == 0 && x->repo && strcmp(x->repo, w->repo) == 0 &&
            strcmp(x->path, w->path) == 0 && x->line == w->line &&
            (!w->commit || (x->commit && strcmp(x->commit, w->commit) == 0)) &&
            (!w->author || (x->author && strcmp(x->author, w->author) == 0)) &&
            (!w->url || (x->url && strcmp(x->url, w->url) == 0)) && l->owned == w->owned &&
            (!w->committed_at || x->committed_at == w->committed_at) && x->found_at > 0)
            fd->hits++;
    }
    store_locations_free(locs, n);
    return 0;
}

static int
count_loc(struct store *st, const struct want_loc *w)
{
    struct found fd = {w, 0, st};
    struct leak_filter f = {0};
    store_leak_foreach(st, &f, match_leak, &fd, NULL);
    return fd.hits;
}

static long
count_all(struct store *st, long *locations)
{
    struct store_stats s = {0};
    store_stats_get(st, &s, NULL);
    if (locations)
        *locations = s.locations;
    return s.leaks;
}

static int
leaks_with_ak(struct store *st, const char *ak)
{
    struct leak_filter f = {.ak_prefix = ak};
    long n = 0;
    store_leak_count(st, &f, &n, NULL);
    return (int)n;
}

static char *
state(struct store *st, const char *src, const char *key)
{
    char *v = NULL;
    if (store_state_get(st, src, key, &v, NULL) != AKW_OK)
        return xstrdup("(none)");
    return v;
}

static void
reload(struct fake *f, const char *file)
{
    struct gh_client *c;
    struct gh_client_opts o = {.api_url = f->url};
    struct gh_response r;
    char *path = xasprintf("/_fake/reload?file=%s", file);
    if (gh_client_new(&o, &c, NULL) == AKW_OK) {
        gh_get(c, path, NULL, &r, NULL);
        gh_response_done(&r);
        gh_client_free(c);
    }
    free(path);
}

static int
count_events(const struct sched_event *evs, size_t n, const char *a, const char *b)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += evs[i].kind == SCHED_EV_ERROR && strstr(evs[i].text, a) && (!b || strstr(evs[i].text, b));
    return k;
}

/* A blob answering 502 through every retry is skipped, the rest scanned; three blobs failing
 * in a row are an outage: the run stops and counts nothing against the files. */
static void
test_gaps(struct fake *f)
{
    static const char *const faults[] = {
        "{\"match\": \"/git/blobs/\", \"kind\": \"status\", \"status\": 502, \"skip\": 1, \"times\": 6}",
        "{\"match\": \"/git/blobs/\", \"kind\": \"status\", \"status\": 502, \"times\": 999}",
        "",
    };
    char *path = xasprintf("%s/gaps.json", f->dir), *db = xasprintf("%s/gaps.db", f->dir);
    struct config cfg;
    config_init(&cfg);
    cfg.api_url = xstrdup(f->url);
    sl_add(&cfg.tokens, "ghp_akwatch_test_token_1");
    sl_add(&cfg.orgs, "acme");
    struct sched_event evs[64];
    struct akw_err err = {0};
    enum akw_status want[] = {AKW_OK, AKW_ERR_NET, AKW_OK};
    for (size_t round = 0; round < 3; round++) {
        char *sc = xasprintf(
            "{\"tokens\": [\"ghp_akwatch_test_token_1\"], \"orgs\": {\"acme\": [\"acme/gap\"]},"
            " \"repos\": {\"acme/gap\": {\"files\": {"
            "\"a.py\": \"aws = \\\"AKIAQ3XAMPLEKEYAAA2B\\\"\\n\","
            " \"b.py\": \"aws = \\\"AKIAQ3XAMPLEKEYBBB3C\\\"\\n\","
            " \"c.py\": \"aws = \\\"AKIAQ3XAMPLEKEYCCC4D\\\"\\n\"},"
            " \"commits\": [{\"sha\": \"%s\"}]}}, \"faults\": [%s]}",
            "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1", faults[round]);
        fake_write(path, sc);
        free(sc);
        reload(f, path);
        if (round == 1) { /* a new store: nothing seen yet; one failed run would give up */
            cfg.give_up_after = 1;
            char *wal = xasprintf("%s-wal", db), *shm = xasprintf("%s-shm", db);
            unlink(db), unlink(wal), unlink(shm);
            free(wal), free(shm);
        }
        size_t nev = 64;
        is_int(run_once(db, &cfg, evs, &nev, &err), want[round], "gaps round %zu", round + 1);
        struct store *sto;
        store_open(db, 0, &sto, &err);
        if (round == 0) {
            is_int(leaks_with_ak(sto, "AKIAQ3XAMPLEKEY"), 2, "502 through every retry: the other files scanned");
            is_int(count_events(evs, nev, "acme/gap: b.py could not be fetched", "502"), 1,
                   "the skipped file reported once, with the status");
            char *v = state(sto, "github.repos", "repo:acme/gap");
            is_str(v, "(none)", "the repo cursor is not written while a file is missing");
            free(v);
        } else if (round == 1) {
            ok(strstr(err.msg, "3 files in a row could not be fetched") != NULL,
               "three failures in a row stop the source: %s", err.msg);
            is_int(count_events(evs, nev, "could not be fetched (", NULL), 0,
                   "an outage is not reported file by file");
        } else {
            is_int(leaks_with_ak(sto, "AKIAQ3XAMPLEKEY"), 3, "after the outage every file is scanned");
            is_int(count_events(evs, nev, "could not be fetched", NULL), 0, "and nothing is missing");
            char *v = state(sto, "github.repos", "skipped:acme/gap");
            is_str(v, "(none)", "nothing given up: the outage counted against no file");
            free(v);
        }
        store_close(sto);
    }
    config_done(&cfg);
    free(path);
    free(db);
}

int
main(void)
{
    struct fake f;
    char *scen = NULL;
    size_t len;
    if (fs_read_all(SC_DIR "basic.json", &scen, &len, NULL) != AKW_OK ||
        fake_start(&f, scen) != 0) {
        ok(0, "fake server started");
        return done_testing();
    }
    free(scen);
    char *db = xasprintf("%s/akwatch.db", f.dir), *db2 = xasprintf("%s/keep.db", f.dir);
    struct config cfg;
    make_config(&cfg, &f, 0, "ghp_akwatch_test_token_1");
    struct akw_err err = {0};
    struct sched_event evs[256];
    size_t nev = 256;
    enum akw_status st = run_once(db, &cfg, evs, &nev, &err);
    is_int(st, AKW_OK, "first run ends cleanly%s%s", st ? ": " : "", st ? err.msg : "");
    int n_finding_ev = 0, done_ev = 0;
    for (size_t i = 0; i < nev; i++) {
        n_finding_ev += evs[i].kind == SCHED_EV_FINDING;
        done_ev += evs[i].kind == SCHED_EV_DONE;
    }
    ok(n_finding_ev >= 5, "finding events queued (%d)", n_finding_ev);
    is_int(done_ev, 1, "one DONE event");

    struct store *sto;
    if (store_open(db, 0, &sto, &err) != AKW_OK) {
        ok(0, "store opens: %s", err.msg);
        return done_testing();
    }
    // clang-format off
    static const struct want_loc want[] = {
        /* org repo: default branch via trees + blobs, owned, head commit provenance */
        {"alibaba-accesskey", "acme/app", "config/application.properties", 3, SHA_A1, "alice",
         "https://github.com/acme/app/blob/" SHA_A1 "/config/application.properties#L3", 1, 1793520000},
        /* code search for the asset AK ID, owned by the asset */
        {"alibaba-accesskey-id", "other/public", "src/settings.py", 3, SHA_P1, NULL,
         "https://github.com/other/public/blob/" SHA_P1 "/src/settings.py#L3", 1, 0},
        /* code search for the endpoint asset */
        {"", "other/public", "deploy/prod.env", 1, SHA_P1, NULL, NULL, 1, 0},
        /* events: listed commit, an added line at its new-file line number */
        {"alibaba-accesskey-id", "stranger/leaky", "src/cfg.py", 12, SHA_S1, "bob",
         "https://github.com/stranger/leaky/blob/" SHA_S1 "/src/cfg.py#L12", 1, 1793611800},
        /* events: no commit list → compare before...head */
        {"", "other/public", "deploy/staging.env", 2, SHA_P1, "Carol", NULL, 1, 1793700000},
    };
    // clang-format on
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        is_int(count_loc(sto, &want[i]) >= 1, 1, "found %s in %s/%s:%ld with provenance",
               want[i].rule_prefix, want[i].repo, want[i].path, want[i].line);
    is_int(leaks_with_ak(sto, "AKIAQ7RMZ3TLX9WKVN2Y"), 0, "unowned feed finding not kept");
    is_int(leaks_with_ak(sto, "AKIAJ4KX7QW2ZR9MNB5T"), 0, "context lines are not scanned");
    is_int(leaks_with_ak(sto, "AKIAV3ND0RSK1PQ7XW2M"), 0, "skip = vendor/ honoured");
    is_int(leaks_with_ak(sto, "LTAI5tBinaryKeyZZ12345678"), 0, "binary blob not scanned");
    is_int(leaks_with_ak(sto, "AKIAB1GF1LEQ7XZ4M2WK"), 0, "file over max_file_size not scanned");
    is_int(fake_count(&f, "/git/blobs/1e91ce477d93e0d5be8f722935039a23ff25b9df", NULL, NULL), 0,
           "nor fetched");
    char *v = state(sto, "github.events", "last_id");
    is_str(v, "103", "events cursor is the highest id");
    free(v);
    long locs1, leaks1 = count_all(sto, &locs1);
    ok(leaks1 >= 4, "leaks recorded (%ld, %ld locations)", leaks1, locs1);
    store_close(sto);

    /* Rerun: nothing new, no file or blob fetched again, the feed answers 304. */
    int blobs = fake_count(&f, "/git/blobs/", NULL, NULL);
    int contents = fake_count(&f, "/contents/", NULL, NULL);
    int trees = fake_count(&f, "/git/trees/", NULL, NULL);
    is_int(run_once(db, &cfg, NULL, NULL, &err), AKW_OK, "rerun ends cleanly");
    store_open(db, 0, &sto, &err);
    long locs2, leaks2 = count_all(sto, &locs2);
    is_int(leaks2, leaks1, "rerun adds no leak");
    is_int(locs2, locs1, "rerun adds no location");
    is_int(fake_count(&f, "/git/blobs/", NULL, NULL), blobs, "rerun fetches no blob");
    is_int(fake_count(&f, "/contents/", NULL, NULL), contents, "rerun fetches no file");
    is_int(fake_count(&f, "/git/trees/", NULL, NULL), trees, "unchanged repo not listed again");
    is_int(fake_count(&f, "\"path\": \"/events?per_page=100\"", "\"status\": 304", NULL), 1,
           "events polled with If-None-Match: 304");
    store_close(sto);

    /* A push to the org repo: pushed_at changes, only the new commit is scanned. */
    reload(&f, SC_DIR "basic_pushed.json");
    is_int(run_once(db, &cfg, NULL, NULL, &err), AKW_OK, "run after a push");
    store_open(db, 0, &sto, &err);
    static const struct want_loc pushed = {"", "acme/app", "config/db.yml", 3, SHA_A2,
                                           "alice", NULL, 1, 0};
    is_int(count_loc(sto, &pushed), 1, "new commit's leak found at its line");
    is_int(fake_count(&f, "/compare/" SHA_A1 "...main", NULL, NULL), 1, "compare from the last head");
    is_int(fake_count(&f, "/git/trees/", NULL, NULL), trees, "no full rescan after a push");
    v = state(sto, "github.repos", "repo:acme/app");
    ok(strstr(v, SHA_A2) && strstr(v, "2026-11-05T12:00:00Z"), "repo cursor moved: %s", v);
    free(v);

    /* History rewritten (force-push): the old head is gone, so commits since its date. */
    store_close(sto);
    reload(&f, SC_DIR "basic_rewritten.json");
    is_int(run_once(db, &cfg, NULL, NULL, &err), AKW_OK, "run after a force-push");
    store_open(db, 0, &sto, &err);
    static const struct want_loc rewritten = {"", "acme/app", "config/redis.conf", 2,
                                              "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1",
                                              "alice", NULL, 1, 0};
    is_int(count_loc(sto, &rewritten), 1, "the rewritten history's new commit scanned");
    is_int(fake_count(&f, "/repos/acme/app/commits?sha=main&since=2026-11-05T12%3A00%3A00Z", NULL,
                      NULL), 1, "commits since the last head's date");
    v = state(sto, "github.repos", "repo:acme/app");
    ok(strstr(v, "c1c1c1c1") && strstr(v, "2026-11-07T09:00:00Z"), "repo cursor on the new head");
    free(v);

    /* A gap: pretend the last poll saw id 50; the feed now starts at 101. */
    store_state_set(sto, "github.events", "last_id", "50", NULL);
    store_state_set(sto, "github.events", "etag", "", NULL);
    store_close(sto);
    nev = 256;
    is_int(run_once(db, &cfg, evs, &nev, &err), AKW_OK, "run with a gap");
    int gap_ev = 0;
    for (size_t i = 0; i < nev; i++)
        gap_ev += evs[i].kind == SCHED_EV_GAP;
    is_int(gap_ev, 1, "gap reported as an event");
    store_open(db, 0, &sto, &err);
    v = state(sto, "github.events", "gaps");
    is_str(v, "1", "gap recorded in scan_state");
    free(v);
    long locs3;
    count_all(sto, &locs3);
    ok(locs3 > locs2, "the pushes added locations (%ld > %ld)", locs3, locs2);
    store_close(sto);
    config_done(&cfg);

    /* keep_unowned = on keeps the stranger's AWS key, not owned. */
    make_config(&cfg, &f, 1, "ghp_akwatch_test_token_2");
    is_int(run_once(db2, &cfg, NULL, NULL, &err), AKW_OK, "run with keep_unowned");
    store_open(db2, 0, &sto, &err);
    is_int(leaks_with_ak(sto, "AKIAQ7RMZ3TLX9WKVN2Y"), 1, "unowned feed finding kept");
    static const struct want_loc unowned = {"aws-access-key-id", "stranger/leaky", "src/aws.py",
                                            2, SHA_S1, "bob", NULL, 0, 0};
    is_int(count_loc(sto, &unowned), 1, "kept as not owned, at its line");
    store_close(sto);
    config_done(&cfg);

    /* A bad token stops the thread with AKW_ERR_AUTH. */
    make_config(&cfg, &f, 0, "ghp_not_a_valid_token");
    st = run_once(db2, &cfg, NULL, NULL, &err);
    is_int(st, AKW_ERR_AUTH, "401 ends the scan");
    ok(strstr(err.msg, "Bad credentials") && !strstr(err.msg, "ghp_not"), "clear message: %s",
       err.msg);
    config_done(&cfg);

    char *log = fake_log(&f);
    ok(!strstr(log, "\"auth\": null, \"user_agent\": null"), "every request had a User-Agent");
    free(log);

    /* A push of 25 commits: the payload lists 20 (as GitHub does), so compare gives all. */
    struct buf sc;
    buf_init(&sc);
    buf_puts(&sc, "{\"tokens\": [\"ghp_akwatch_test_token_1\"], \"repos\": {\"dev/many\": "
                  "{\"commits\": [{\"sha\": \"c000000000000000000000000000000000000000\"}");
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (int i = 1; i <= 25; i++) {
        char key[17];
        for (int k = 0; k < 16; k++)
            key[k] = al[(i * 7 + k * 13 + (i * k) % 5) % 32];
        key[16] = '\0';
        buf_printf(&sc, ", {\"sha\": \"c%039d\", \"files\": [{\"filename\": \"k%d.py\", "
                        "\"patch\": \"@@ -0,0 +1,1 @@\\n+aws = \\\"AKIA%s\\\"\"}]}", i, i, key);
    }
    buf_puts(&sc, "]}}, \"events\": [{\"id\": \"900\", \"repo\": \"dev/many\", \"payload\": "
                  "{\"before\": \"c000000000000000000000000000000000000000\", \"commits\": [");
    for (int i = 1; i <= 25; i++)
        buf_printf(&sc, "%s\"c%039d\"", i > 1 ? ", " : "", i);
    buf_puts(&sc, "]}}]}");
    char *sc_path = xasprintf("%s/many.json", f.dir), *db3 = xasprintf("%s/many.db", f.dir);
    fake_write(sc_path, sc.data);
    buf_done(&sc);
    reload(&f, sc_path);
    config_init(&cfg);
    cfg.api_url = xstrdup(f.url);
    sl_add(&cfg.tokens, "ghp_akwatch_test_token_1");
    cfg.events = 1;
    cfg.keep_unowned = 1;
    is_int(run_once(db3, &cfg, NULL, NULL, &err), AKW_OK, "run over a 25-commit push");
    store_open(db3, 0, &sto, &err);
    is_int(leaks_with_ak(sto, "AKIA"), 25, "every commit of a cut commit list scanned");
    store_close(sto);
    is_int(fake_count(&f, "/repos/dev/many/compare/", NULL, NULL), 1, "compare used for the cut list");
    config_done(&cfg);
    test_gaps(&f);
    free(sc_path);
    free(db3);
    free(db);
    free(db2);
    fake_stop(&f);
    return done_testing();
}
