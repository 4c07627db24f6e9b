/* akw_fill — build an akwatch store through the store API (never raw SQL): from a
 * hand-written demo file (data/demo/findings.conf: leaks, locations, triage decisions,
 * whitelist entries with their dates), or with N synthetic findings for benchmarks.
 * Masks and fingerprints with the detect library, so the store looks like a real scan's.
 *
 *   akw_fill DB FILE            new store at DB from FILE (built beside DB, renamed at the end)
 *   akw_fill --synthetic N DB   add N synthetic findings to DB (0.1% handled, a tenth of
 *                               them whitelisted)
 *   akw_fill --list|--whitelist|--audit DB   print leaks / whitelist / audit log as TSV, so
 *                               the TUI tests check the store after their keys
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect/detect.h"
#include "store/store.h"
#include "util/util.h"

enum item_type { ITEM_LEAK, ITEM_LOCATION, ITEM_DECISION, ITEM_WHITELIST };

struct item {
    enum item_type type;
    int line;
    struct leak leak;     /* ITEM_LEAK */
    struct location loc;  /* ITEM_LOCATION */
    enum triage_action action; /* ITEM_DECISION */
    char *note, *who, *ak_id, *reason; /* DECISION / WHITELIST */
    time_t at;
};

struct parser {
    const char *file;
    int line;
    struct item *items;
    size_t n, cap;
    struct akw_err err;
};

static int
fail(struct parser *ps, const char *key, const char *msg)
{
    akw_err_set(&ps->err, AKW_ERR_PARSE, "%s:%d: %s%s%s", ps->file, ps->line, key ? key : "",
                key ? ": " : "", msg);
    return -1;
}

static struct item *
item_new(struct parser *ps, enum item_type t)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 64;
        ps->items = xrealloc(ps->items, ps->cap * sizeof *ps->items);
    }
    struct item *it = &ps->items[ps->n++];
    memset(it, 0, sizeof *it);
    it->type = t;
    it->line = ps->line;
    return it;
}

static int
set_time(struct parser *ps, const char *key, const char *v, time_t *out)
{
    return akw_time_parse(v, out) == 0 ? 0 : fail(ps, key, "not an ISO 8601 time");
}

/* One key of a [leak] section. The raw secret is kept only to mask and fingerprint it. */
static int
leak_key(struct parser *ps, struct item *it, const char *k, const char *v)
{
    struct leak *l = &it->leak;
    char **strs[] = {&l->rule, &l->kind, &l->description, &l->ak_id, &l->secret};
    static const char *const names[] = {"rule", "kind", "description", "ak_id", "secret"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(k, names[i]) == 0) {
            free(*strs[i]);
            *strs[i] = xstrdup(v);
            return 0;
        }
    if (strcmp(k, "severity") == 0) {
        enum severity s;
        if (severity_parse(v, &s) != 0)
            return fail(ps, k, "expected low, medium, high or critical");
        l->severity = s;
        return 0;
    }
    if (strcmp(k, "confidence") == 0) {
        enum confidence c;
        if (confidence_parse(v, &c) != 0)
            return fail(ps, k, "expected low, medium or high");
        l->confidence = c;
        return 0;
    }
    if (strcmp(k, "owned") == 0) {
        l->owned = strcmp(v, "yes") == 0;
        return 0;
    }
    if (strcmp(k, "first_seen") == 0)
        return set_time(ps, k, v, &l->first_seen);
    return fail(ps, k, "unknown key in [leak]");
}

static int
location_key(struct parser *ps, struct item *it, const char *k, const char *v)
{
    struct location *l = &it->loc;
    char **strs[] = {&l->platform, &l->repo, &l->path, &l->commit, &l->url, &l->author,
                     &l->snippet};
    static const char *const names[] = {"platform", "repo", "path", "commit", "url", "author",
                                        "snippet"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(k, names[i]) == 0) {
            free(*strs[i]);
            *strs[i] = xstrdup(v);
            return 0;
        }
    if (strcmp(k, "line") == 0) {
        char *end;
        l->line = strtol(v, &end, 10);
        return *end || l->line <= 0 ? fail(ps, k, "expected a line number") : 0;
    }
    if (strcmp(k, "committed_at") == 0)
        return set_time(ps, k, v, &l->committed_at);
    if (strcmp(k, "found_at") == 0)
        return set_time(ps, k, v, &l->found_at);
    return fail(ps, k, "unknown key in [location]");
}

static int
decision_key(struct parser *ps, struct item *it, const char *k, const char *v)
{
    char **strs[] = {&it->note, &it->who, &it->ak_id, &it->reason};
    static const char *const names[] = {"note", "who", "ak_id", "reason"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(k, names[i]) == 0) {
            free(*strs[i]);
            *strs[i] = xstrdup(v);
            return 0;
        }
    if (strcmp(k, "at") == 0)
        return set_time(ps, k, v, &it->at);
    if (strcmp(k, "action") == 0 && it->type == ITEM_DECISION)
        return triage_action_parse(v, &it->action) == 0
                   ? 0
                   : fail(ps, k, "expected deleted, disabled, whitelisted or reopened");
    return fail(ps, k, "unknown key");
}

static char *
trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Check the section that just ended has what it needs. */
static int
section_check(struct parser *ps, struct item *it)
{
    if (!it)
        return 0;
    int saved = ps->line;
    ps->line = it->line;
    int r = 0;
    if (it->type == ITEM_LEAK && (!it->leak.rule || !it->leak.kind || !it->leak.secret ||
                                  !it->leak.severity))
        r = fail(ps, NULL, "[leak] needs rule, kind, secret and severity");
    else if (it->type == ITEM_LOCATION && (!it->loc.platform || !it->loc.path || !it->loc.found_at))
        r = fail(ps, NULL, "[location] needs platform, path and found_at");
    else if (it->type == ITEM_DECISION && (!it->action || !it->who || !it->at))
        r = fail(ps, NULL, "[decision] needs action, who and at");
    else if (it->type == ITEM_WHITELIST && (!it->ak_id || !it->who || !it->at))
        r = fail(ps, NULL, "[whitelist] needs ak_id, who and at");
    ps->line = saved;
    return r;
}

static int
parse_line(struct parser *ps, char *raw, struct item **cur, int *have_leak)
{
    static const char *const sections[] = {"[leak]", "[location]", "[decision]", "[whitelist]"};
    char *s = trim(raw);
    if (*s == '\0' || *s == '#' || *s == ';')
        return 0;
    if (*s == '[') {
        if (section_check(ps, *cur) != 0)
            return -1;
        for (int t = 0; t < 4; t++)
            if (strcmp(s, sections[t]) == 0) {
                if ((t == ITEM_LOCATION || t == ITEM_DECISION) && !*have_leak)
                    return fail(ps, NULL, "a [location] or [decision] must follow a [leak]");
                *have_leak |= t == ITEM_LEAK;
                *cur = item_new(ps, (enum item_type)t);
                return 0;
            }
        return fail(ps, NULL, "unknown section");
    }
    char *eq = strchr(s, '=');
    if (!eq || !*cur)
        return fail(ps, NULL, "expected key = value inside a section");
    *eq = '\0';
    char *k = trim(s), *v = eq + 1;
    while (*v == ' ' || *v == '\t') /* keep leading spaces of snippets beyond one */
        v++;
    v = trim(v);
    switch ((*cur)->type) {
    case ITEM_LEAK: return leak_key(ps, *cur, k, v);
    case ITEM_LOCATION: return location_key(ps, *cur, k, v);
    default: return decision_key(ps, *cur, k, v);
    }
}

static int
parse_file(struct parser *ps, const char *file)
{
    char *text;
    size_t len;
    ps->file = file;
    if (fs_read_all(file, &text, &len, &ps->err) != AKW_OK)
        return -1;
    struct item *cur = NULL;
    int have_leak = 0, r = 0;
    char *p = text;
    ps->line = 0;
    /* strtok_r would skip empty lines and miscount; split by hand */
    while (p && r == 0) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        ps->line++;
        r = parse_line(ps, p, &cur, &have_leak);
        cur = ps->n ? &ps->items[ps->n - 1] : NULL;
        p = nl ? nl + 1 : NULL;
    }
    if (r == 0)
        r = section_check(ps, cur);
    free(text);
    return r;
}

/* Replace {masked} and {ak} in a snippet. Caller frees. */
static char *
expand_snippet(const char *snip, const struct leak *l)
{
    struct buf b;
    buf_init(&b);
    for (const char *s = snip; *s;) {
        if (strncmp(s, "{masked}", 8) == 0) {
            buf_puts(&b, l->secret_masked);
            s += 8;
        } else if (strncmp(s, "{ak}", 4) == 0) {
            buf_puts(&b, l->ak_id ? l->ak_id : "");
            s += 4;
        } else {
            buf_putc(&b, *s++);
        }
    }
    return buf_steal(&b);
}

static void
set_now(time_t t)
{
    char iso[32];
    akw_time_iso(t, iso);
    setenv("AKWATCH_NOW", iso, 1);
}

static enum akw_status
write_location(struct store *st, struct item *leak_item, struct item *it, int64_t *leak_id,
               struct akw_err *err)
{
    struct leak *l = &leak_item->leak;
    struct location loc = it->loc;
    char *snippet = loc.snippet ? expand_snippet(loc.snippet, l) : NULL;
    char *url = NULL;
    if (!loc.url && loc.repo && loc.commit && strcmp(loc.platform, "github") == 0)
        url = xasprintf("https://github.com/%s/blob/%s/%s#L%ld", loc.repo, loc.commit, loc.path,
                        loc.line);
    loc.snippet = snippet;
    if (url)
        loc.url = url;
    set_now(loc.found_at);
    struct store_record_result res;
    enum akw_status s = store_record(st, l, &loc, &res, err);
    if (s == AKW_OK)
        *leak_id = res.leak_id;
    free(snippet);
    free(url);
    return s;
}

static enum akw_status
write_items(struct store *st, struct parser *ps, struct akw_err *err)
{
    struct item *leak_item = NULL;
    int64_t leak_id = 0;
    enum akw_status s = AKW_OK;
    for (size_t i = 0; i < ps->n && s == AKW_OK; i++) {
        struct item *it = &ps->items[i];
        switch (it->type) {
        case ITEM_LEAK: {
            char masked[512];
            struct leak *l = &it->leak;
            if (strlen(l->secret) >= sizeof masked)
                return akw_err_set(err, AKW_ERR_PARSE, "%s:%d: secret: too long", ps->file,
                                   it->line);
            detect_mask(l->secret, masked);
            l->secret_masked = xstrdup(masked);
            detect_fingerprint(l->rule, l->secret, l->fingerprint);
            secret_free(l->secret); /* the store keeps only the masked form */
            l->secret = NULL;
            leak_item = it;
            leak_id = 0;
            break;
        }
        case ITEM_LOCATION: s = write_location(st, leak_item, it, &leak_id, err); break;
        case ITEM_DECISION:
            set_now(it->at);
            s = leak_id ? store_handle(st, leak_id, it->action, it->note, it->who, err)
                        : akw_err_set(err, AKW_ERR_PARSE, "%s:%d: [decision] before any [location]",
                                      ps->file, it->line);
            break;
        case ITEM_WHITELIST:
            set_now(it->at);
            s = store_whitelist_add(st, it->ak_id, it->reason, it->who, err);
            break;
        }
        if (s != AKW_OK)
            akw_err_prefix(err, "%s:%d", ps->file, it->line);
    }
    return s;
}

static void
items_free(struct parser *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        struct item *it = &ps->items[i];
        secret_free(it->leak.secret);
        it->leak.secret = NULL;
        leak_done(&it->leak);
        location_done(&it->loc);
        free(it->note);
        free(it->who);
        free(it->ak_id);
        free(it->reason);
    }
    free(ps->items);
}

static int
fill_demo(const char *db, const char *file)
{
    struct parser ps;
    memset(&ps, 0, sizeof ps);
    if (parse_file(&ps, file) != 0) {
        fprintf(stderr, "akw_fill: %s\n", ps.err.msg);
        items_free(&ps);
        return 2;
    }
    /* build beside the target and rename at the end: nothing half-written (a server's
     * store is filled in place: the test made it empty) */
    int url = store_location_is_url(db);
    char *tmp = url ? xstrdup(db) : xasprintf("%s.tmp%ld", db, (long)getpid());
    struct store *st = NULL;
    struct akw_err err;
    akw_err_clear(&err);
    enum akw_status s = store_open(tmp, 0, &st, &err);
    if (s == AKW_OK) {
        s = write_items(st, &ps, &err);
        store_close(st);
    }
    if (s == AKW_OK && !url && rename(tmp, db) != 0)
        s = akw_err_set(&err, AKW_ERR_IO, "%s: %s", db, strerror(errno));
    if (s != AKW_OK) {
        if (!url)
            unlink(tmp);
        fprintf(stderr, "akw_fill: %s\n", err.msg);
    }
    free(tmp);
    items_free(&ps);
    unsetenv("AKWATCH_NOW");
    return s == AKW_OK ? 0 : 2;
}

/* ---- synthetic findings -------------------------------------------------- */

static uint64_t
rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void
rnd_str(uint64_t *x, const char *alphabet, char *out, size_t n)
{
    size_t k = strlen(alphabet);
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[rnd(x) % k];
    out[n] = '\0';
}

static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char *const repos[] = {"payments", "order-service", "infra-terraform", "mobile-app",
                                    "data-pipeline", "ops-scripts", "web-portal", "crm-sync"};
static const char *const paths[] = {"src/main/resources/application.yml", "config/prod.env",
                                    "deploy/k8s/secret.yaml", "scripts/backup.sh",
                                    "settings.py", "conf/oss.properties", ".env", "README.md"};

static void
synth_one(uint64_t *x, time_t base, struct leak *l, struct location *loc, char *ak,
          char *secret, char *masked, char *repo, char *commit)
{
    rnd_str(x, alnum, ak + 6, 18);
    memcpy(ak, "LTAI5t", 6);
    rnd_str(x, alnum, secret, 30);
    detect_mask(secret, masked);
    memset(l, 0, sizeof *l);
    l->rule = (char *)"alibaba-accesskey-id";
    l->kind = (char *)"cloud_accesskey";
    l->description = (char *)"Alibaba Cloud AccessKey ID with its AccessKey Secret";
    l->ak_id = ak;
    l->secret_masked = masked;
    l->severity = (enum severity)(1 + rnd(x) % 4);
    l->owned = rnd(x) % 5 == 0;
    l->first_seen = base - (time_t)(rnd(x) % (365L * 86400));
    detect_fingerprint(l->rule, secret, l->fingerprint);
    snprintf(repo, 128, "synth-org-%ld/%s", (long)(rnd(x) % 500), repos[rnd(x) % 8]);
    rnd_str(x, "0123456789abcdef", commit, 40);
    memset(loc, 0, sizeof *loc);
    loc->platform = (char *)"github";
    loc->repo = repo;
    loc->path = (char *)paths[rnd(x) % 8];
    loc->line = 1 + (long)(rnd(x) % 300);
    loc->commit = commit;
    loc->author = (char *)"synthetic <bench@example.invalid>";
    loc->committed_at = l->first_seen - 600;
    loc->found_at = l->first_seen;
    loc->snippet = masked;
}

static int
fill_synthetic(const char *db, long n, uint64_t seed)
{
    struct store *st = NULL;
    struct akw_err err;
    akw_err_clear(&err);
    if (store_open(db, 0, &st, &err) != AKW_OK) {
        fprintf(stderr, "akw_fill: %s\n", err.msg);
        return 2;
    }
    uint64_t x = seed ? seed : 0x9e3779b97f4a7c15ULL;
    time_t base = akw_now();
    enum akw_status s = AKW_OK;
    int64_t *to_handle = xcalloc((size_t)(n / 1000 + 1), sizeof *to_handle);
    size_t n_handle = 0;
    for (long i = 0; i < n && s == AKW_OK; i++) {
        if (i % 20000 == 0 && (s = store_begin(st, &err)) != AKW_OK)
            break;
        struct leak l;
        struct location loc;
        char ak[32], secret[40], masked[40], repo[128], commit[48];
        synth_one(&x, base, &l, &loc, ak, secret, masked, repo, commit);
        struct store_record_result res;
        s = store_record(st, &l, &loc, &res, &err);
        if (s == AKW_OK && i % 1000 == 7) /* each decision is its own transaction: keep few */
            to_handle[n_handle++] = res.leak_id;
        if (s == AKW_OK && (i % 20000 == 19999 || i == n - 1))
            s = store_commit(st, &err);
    }
    for (size_t k = 0; k < n_handle && s == AKW_OK; k++)
        s = store_handle(st, to_handle[k], k % 10 == 0 ? TRIAGE_WHITELISTED : TRIAGE_DISABLED,
                         "synthetic", "bench", &err);
    free(to_handle);
    if (s != AKW_OK)
        fprintf(stderr, "akw_fill: %s\n", err.msg);
    store_close(st);
    return s == AKW_OK ? 0 : 2;
}

/* ---- reading the store back (tests) --------------------------------------- */

static const char *
str(const char *s)
{
    return s ? s : "";
}

static int
print_leak(const struct leak *l, void *user)
{
    (void)user;
    printf("%lld\t%s\t%s\t%s\t%s\t%ld\n", (long long)l->id, str(l->ak_id),
           leak_status_name(l->status), handled_as_name(l->handled_as), str(l->note),
           l->n_locations);
    return 0;
}

static enum akw_status
print_store(struct store *st, const char *what, struct akw_err *err)
{
    enum akw_status s = AKW_OK;
    if (strcmp(what, "--list") == 0) {
        struct leak_filter f;
        memset(&f, 0, sizeof f);
        s = store_leak_foreach(st, &f, print_leak, NULL, err);
    } else if (strcmp(what, "--whitelist") == 0) {
        struct whitelist_entry *e = NULL;
        size_t n = 0;
        s = store_whitelist_list(st, &e, &n, err);
        for (size_t i = 0; s == AKW_OK && i < n; i++)
            printf("%s\t%ld\t%s\t%s\n", e[i].ak_id ? e[i].ak_id : str(e[i].fingerprint),
                   e[i].n_leaks, str(e[i].who), str(e[i].reason));
        store_whitelist_free(e, n);
    } else {
        struct audit_entry *e = NULL;
        size_t n = 0;
        s = store_audit_list(st, 0, &e, &n, err);
        for (size_t i = 0; s == AKW_OK && i < n; i++)
            printf("%lld\t%s\t%s\t%s\t%s\n", (long long)e[i].leak_id, str(e[i].ak_id),
                   str(e[i].who), str(e[i].what), str(e[i].note));
        store_audit_free(e, n);
    }
    return s;
}

static int
dump_store(const char *what, const char *db)
{
    struct store *st = NULL;
    struct akw_err err;
    akw_err_clear(&err);
    enum akw_status s = store_open(db, STORE_OPEN_READONLY, &st, &err);
    if (s == AKW_OK) {
        s = print_store(st, what, &err);
        store_close(st);
    }
    if (s != AKW_OK)
        fprintf(stderr, "akw_fill: %s\n", err.msg);
    return s == AKW_OK ? 0 : 2;
}

int
main(int argc, char **argv)
{
    if (argc == 3 && (strcmp(argv[1], "--list") == 0 || strcmp(argv[1], "--whitelist") == 0 ||
                      strcmp(argv[1], "--audit") == 0))
        return dump_store(argv[1], argv[2]);
    if (argc == 4 && strcmp(argv[1], "--synthetic") == 0) {
        char *end;
        long n = strtol(argv[2], &end, 10);
        if (*end || n <= 0) {
            fprintf(stderr, "akw_fill: --synthetic: expected a positive count\n");
            return 2;
        }
        return fill_synthetic(argv[3], n, 0);
    }
    if (argc == 3)
        return fill_demo(argv[1], argv[2]);
    fprintf(stderr, "usage: akw_fill DB FILE | akw_fill --synthetic N DB | "
                    "akw_fill --list|--whitelist|--audit DB\n");
    return 2;
}
