/* scan — `akwatch scan [--history] PATH...`: validate every argument, the config, the rules
 * and the store first; scan, printing findings as they come; then record them all in one
 * transaction at the end, so a scan that fails part-way leaves the store untouched and a
 * long scan never holds the write lock. Exit 0/1/2 per DESIGN. `scan --staged [REPO]`, the
 * pre-commit check, scans what the next commit would add and records nothing.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "cli/github_cli.h"
#include "cli/scan_out.h"
#include "notify/notify.h"
#include "scan/local.h"
#include "verify/verify.h"

/* A finding kept for the store: its own copies of what the leak and location need. */
struct pending {
    struct leak leak;
    struct location loc;
    char *vsecret;   /* the raw secret, kept in memory for [verify] enabled = on; wiped */
    int64_t leak_id; /* set by record_all() */
    int shown;       /* at or above the confidence threshold (or --all): printed, counted */
};

/* Findings found but not reported, by reason (the second summary line). */
struct scan_quiet {
    long below;     /* under min_confidence (recorded; --all shows them) */
    long allowed;   /* on a line with an allow comment (akwatch:allow ...): not recorded */
    long baselined; /* listed in the root's .akwatchignore: not recorded */
};

struct scan_run {
    struct cli_ctx *ctx;
    const struct config *cfg;
    struct scan_out *out;
    struct scan_assets assets;
    const char **names; /* domains + endpoints + hosts, for assets */
    struct pending *pend;
    size_t n_pend, cap_pend;
    int store; /* keep findings for the store */
    enum confidence min_conf; /* findings below it are recorded, not reported */
    int all;                  /* --all: report every confidence */
    long shown;               /* findings reported */
    struct scan_quiet quiet;
    struct scan_baselines baselines; /* .akwatchignore of each root met */
    char *arg_root;                  /* the baseline root of the PATH being scanned */
    struct akw_err stop_err;         /* why on_hit stopped the scan (a bad baseline) */
    struct notify *notify; /* alerts for new leaks; NULL with --no-store */
    time_t now;
    struct timespec last_progress;
    int progress_shown;
};

static void
keep(struct scan_run *r, const struct scan_hit *h, int owned, int shown)
{
    const struct finding *f = h->f;
    if (r->n_pend == r->cap_pend) {
        r->cap_pend = r->cap_pend ? 2 * r->cap_pend : 64;
        r->pend = xrealloc(r->pend, r->cap_pend * sizeof *r->pend);
    }
    struct pending *p = &r->pend[r->n_pend++];
    memset(p, 0, sizeof *p);
    snprintf(p->leak.fingerprint, sizeof p->leak.fingerprint, "%s", f->fingerprint);
    p->leak.rule = xstrdup(f->rule->id);
    p->leak.kind = xstrdup(f->rule->kind);
    p->leak.description = xstrdup(f->rule->description);
    p->leak.ak_id = xstrdup(f->ak_id);
    p->leak.secret_masked = xstrdup(f->secret_masked);
    p->leak.secret = r->cfg->store_secrets ? xstrdup(f->secret) : NULL;
    if (r->cfg->verify_enabled && verify_provider_for_rule(f->rule->id) != VERIFY_PROVIDER_NONE)
        p->vsecret = xstrdup(f->secret);
    p->leak.severity = f->severity;
    p->leak.confidence = f->confidence;
    p->leak.owned = owned;
    p->loc.platform = xstrdup(h->platform);
    p->loc.repo = xstrdup(h->root);
    p->loc.path = xstrdup(h->relpath);
    p->loc.line = (long)f->line;
    p->loc.column = (long)f->column;
    p->loc.commit = xstrdup(h->commit);
    p->loc.author = xstrdup(h->author);
    p->loc.committed_at = h->committed_at;
    p->loc.found_at = r->now;
    p->loc.snippet = xstrdup(f->line_masked);
    p->shown = shown;
}

static void
pending_free(struct scan_run *r)
{
    for (size_t i = 0; i < r->n_pend; i++) {
        secret_free(r->pend[i].leak.secret);
        r->pend[i].leak.secret = NULL;
        secret_free(r->pend[i].vsecret);
        leak_done(&r->pend[i].leak);
        location_done(&r->pend[i].loc);
    }
    free(r->pend);
}

static int
on_hit(const struct scan_hit *h, void *user)
{
    struct scan_run *r = user;
    if (h->f->allowed) { /* the user judged it false, on that very line */
        r->quiet.allowed++;
        return 0;
    }
    const struct scan_baseline *b = NULL;
    if (scan_baselines_get(&r->baselines, h->root ? h->root : r->arg_root, &b, &r->stop_err)
        != AKW_OK)
        return 1;
    if (scan_baseline_has(b, h->f->fingerprint)) {
        r->quiet.baselined++;
        return 0;
    }
    int owned = scan_owned(&r->assets, h->f->ak_id, h->f->line_masked, h->f->secret);
    int shown = r->all || h->f->confidence >= r->min_conf;
    if (r->progress_shown) {
        fputs("\r\033[K", stderr);
        r->progress_shown = 0;
    }
    if (shown) {
        scan_out_hit(r->out, h, owned);
        r->shown++;
    } else {
        r->quiet.below++;
    }
    if (r->store)
        keep(r, h, owned, shown);
    return 0;
}

/* A progress line on a terminal, at most ten times a second. */
static int
on_progress(const struct scan_stats *st, const char *path, void *user)
{
    struct scan_run *r = user;
    (void)path;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - r->last_progress.tv_sec) * 1000
              + (now.tv_nsec - r->last_progress.tv_nsec) / 1000000;
    if (ms < 100)
        return 0;
    r->last_progress = now;
    fputs("\r\033[K", stderr); /* control characters stay out of the translated text */
    fprintf(stderr, _("scanning: %ld files, %.1f MB, %ld findings"), st->files,
            (double)st->bytes / 1e6, st->findings);
    r->progress_shown = 1;
    return 0;
}

/* "812 bytes", "4.2 KB", "151.3 MB" */
static void
human_size(long long n, char out[32])
{
    if (n < 1000)
        snprintf(out, 32, ngettext("%lld byte", "%lld bytes", (unsigned long)n), n);
    else if (n < 1000000)
        snprintf(out, 32, _("%.1f KB"), (double)n / 1e3);
    else
        snprintf(out, 32, _("%.1f MB"), (double)n / 1e6);
}

/* What was found but not reported, and why; nothing when everything was. */
static void
print_quiet(const struct scan_run *r)
{
    if (!r->quiet.below && !r->quiet.allowed && !r->quiet.baselined)
        return;
    fputs(_("akwatch: not reported:"), stderr);
    const char *sep = " ";
    if (r->quiet.below) {
        fputs(sep, stderr);
        fprintf(stderr, _("%ld below the confidence threshold %s (--all shows them)"),
                r->quiet.below, cli_confidence(r->min_conf));
        sep = ", ";
    }
    if (r->quiet.allowed) {
        fputs(sep, stderr);
        fprintf(stderr, ngettext("%ld allowed by an inline comment",
                                 "%ld allowed by inline comments", (unsigned long)r->quiet.allowed),
                r->quiet.allowed);
        sep = ", ";
    }
    if (r->quiet.baselined) {
        fputs(sep, stderr);
        fprintf(stderr, ngettext("%ld listed in %s", "%ld listed in %s",
                                 (unsigned long)r->quiet.baselined),
                r->quiet.baselined, SCAN_BASELINE_FILE);
    }
    fputc('\n', stderr);
}

static void
print_summary(const struct scan_stats *st, int history, long shown, long unhandled, int stored)
{
    char size[32];
    human_size(st->bytes, size);
    fputs("akwatch: ", stderr);
    if (history)
        fprintf(stderr, ngettext("%ld commit, ", "%ld commits, ", (unsigned long)st->commits),
                st->commits);
    fprintf(stderr, ngettext("%ld file", "%ld files", (unsigned long)st->files), st->files);
    fprintf(stderr, _(" (%s) scanned, "), size);
    fprintf(stderr, ngettext("%ld finding", "%ld findings", (unsigned long)shown), shown);
    if (stored)
        fprintf(stderr, ngettext(", %ld leak left unhandled", ", %ld leaks left unhandled",
                                 (unsigned long)unhandled),
                unhandled);
    fputc('\n', stderr);
    int any = 0;
    for (int i = 0; i < SCAN_SKIP_N; i++) {
        if (!st->skipped[i])
            continue;
        fprintf(stderr, "%s %s: %ld", any ? "," : _("akwatch: skipped"),
                _(scan_skip_name((enum scan_skip)i)), st->skipped[i]);
        any = 1;
    }
    if (any)
        fputc('\n', stderr);
}

static int
cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* [verify] enabled = on: check each recorded key with its provider, with the secret in hand
 * (the store need not keep it); repeats of one leak are answered from the store's cache.
 * Runs after the commit and before the alerts, and leaves the verdict on the pending leak,
 * so [verify] alert_only_live sees it. */
static void
verify_found(struct scan_run *r, struct store *st)
{
    struct verifier *v = cli_verifier_new(r->cfg);
    for (size_t i = 0; v && i < r->n_pend; i++) {
        struct pending *p = &r->pend[i];
        if (!p->vsecret)
            continue;
        const char *state = cli_verify_found(v, st, p->leak_id, p->vsecret);
        if (state) {
            free(p->leak.verified);
            p->leak.verified = xstrdup(state);
        }
    }
    verifier_free(v);
}

/* Record every pending finding in one transaction; count the leaks left unhandled (several
 * findings may be one leak). */
static int
record_all(struct scan_run *r, struct store *st, long *unhandled)
{
    struct akw_err err = {0};
    int64_t *ids = xcalloc(r->n_pend + 1, sizeof *ids);
    struct store_record_result *results = xcalloc(r->n_pend + 1, sizeof *results);
    size_t n_ids = 0;
    *unhandled = 0;
    if (store_begin(st, &err) != AKW_OK) {
        free(ids);
        free(results);
        return cli_fail_err(&err);
    }
    for (size_t i = 0; i < r->n_pend; i++) {
        struct store_record_result res;
        struct leak now;
        memset(&now, 0, sizeof now);
        if (store_record(st, &r->pend[i].leak, &r->pend[i].loc, &res, &err) != AKW_OK
            || store_leak_get(st, res.leak_id, &now, &err) != AKW_OK) {
            store_rollback(st);
            free(ids);
            free(results);
            return cli_fail_err(&err);
        }
        results[i] = res;
        r->pend[i].leak_id = res.leak_id;
        /* the stored verdict, for the alert gate (verify_found() may refresh it) */
        free(r->pend[i].leak.verified);
        r->pend[i].leak.verified = xstrdup(now.verified);
        if (now.status == LEAK_STATUS_UNHANDLED && r->pend[i].shown)
            ids[n_ids++] = res.leak_id;
        leak_done(&now);
    }
    if (store_commit(st, &err) != AKW_OK) {
        store_rollback(st);
        free(ids);
        free(results);
        return cli_fail_err(&err);
    }
    verify_found(r, st);
    /* Alerts after the commit, so no network wait holds the write lock; delivered (or
     * recorded suppressed) before scan exits. */
    int rc = 0;
    if (r->notify) {
        struct notify_leak_item *items = xcalloc(r->n_pend + 1, sizeof *items);
        for (size_t i = 0; i < r->n_pend; i++)
            items[i] = (struct notify_leak_item){.leak = &r->pend[i].leak,
                                                 .loc = &r->pend[i].loc, .res = &results[i]};
        if (notify_leaks_found(r->notify, st, items, r->n_pend, &err) != AKW_OK)
            rc = cli_fail_err(&err);
        free(items);
    }
    if (r->notify && rc == 0 && notify_tick(r->notify, st, &err) != AKW_OK)
        rc = cli_fail_err(&err);
    if (notify_bell_take() > 0 && isatty(2)) /* the bell channel, on a terminal */
        fputc('\a', stderr);
    free(results);
    if (n_ids > 1)
        qsort(ids, n_ids, sizeof *ids, cmp_id);
    for (size_t i = 0; i < n_ids; i++)
        *unhandled += i == 0 || ids[i] != ids[i - 1];
    free(ids);
    return rc;
}

static void
set_assets(struct scan_run *r)
{
    const struct config *c = r->cfg;
    size_t n = c->domains.n + c->endpoints.n + c->hosts.n, k = 0;
    r->names = xcalloc(n + 1, sizeof *r->names);
    const struct strlist *lists[] = {&c->domains, &c->endpoints, &c->hosts};
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            r->names[k++] = lists[l]->v[i];
    r->assets.ak_ids = (const char *const *)c->access_key_ids.v;
    r->assets.n_ak_ids = c->access_key_ids.n;
    r->assets.names = r->names;
    r->assets.n_names = n;
}

/* What is scanned at each PATH. */
enum scan_what {
    SCAN_WHAT_FILES,   /* the files and folders */
    SCAN_WHAT_HISTORY, /* --history: every commit */
    SCAN_WHAT_STAGED,  /* --staged: what the next commit would add */
};

/* Everything that can be wrong is checked before anything is scanned or written. */
static int
check_paths(enum scan_what what, int n, char **paths)
{
    for (int i = 0; i < n; i++) {
        struct akw_err err = {0};
        if ((what == SCAN_WHAT_FILES ? scan_path_check(paths[i], &err)
                                     : scan_git_check(paths[i], &err))
            != AKW_OK)
            return cli_fail_err(&err);
    }
    return 0;
}

static int
run_scan(struct scan_run *r, struct detector *d, enum scan_what what, int n, char **paths,
         struct scan_stats *st)
{
    struct scan_opts o = {
        .max_file_size = r->cfg->max_file_size,
        .skip = (const char *const *)r->cfg->skip.v,
        .n_skip = r->cfg->skip.n,
        .on_progress = !r->ctx->quiet && isatty(2) ? on_progress : NULL,
        .user = r,
    };
    /* read (and check) the baseline of every PATH before anything is printed: a malformed
     * one stops the scan with nothing reported or recorded */
    for (int i = 0; i < n; i++) {
        struct akw_err err = {0};
        const struct scan_baseline *b;
        char *root = scan_baseline_root_of(paths[i]);
        if (!root)
            return cli_fail("%s: %s", paths[i], strerror(errno));
        enum akw_status rc = scan_baselines_get(&r->baselines, root, &b, &err);
        free(root);
        if (rc != AKW_OK)
            return cli_fail_err(&err);
    }
    for (int i = 0; i < n; i++) {
        struct akw_err err = {0};
        free(r->arg_root);
        r->arg_root = scan_baseline_root_of(paths[i]);
        if (!r->arg_root)
            return cli_fail("%s: %s", paths[i], strerror(errno));
        enum akw_status rc =
            what == SCAN_WHAT_STAGED    ? scan_staged(d, paths[i], &o, on_hit, r, st, &err)
            : what == SCAN_WHAT_HISTORY ? scan_history(d, paths[i], &o, on_hit, r, st, &err)
                                        : scan_local(d, paths[i], &o, on_hit, r, st, &err);
        if (r->progress_shown)
            fputs("\r\033[K", stderr);
        r->progress_shown = 0;
        if (rc == AKW_ERR_CANCEL && r->stop_err.msg[0])
            return cli_fail_err(&r->stop_err);
        if (rc != AKW_OK)
            return cli_fail_err(&err);
    }
    return 0;
}

static int
scan_main(struct cli_ctx *ctx, int argc, char **argv)
{
    if (cli_argv_has(argc, argv, "--github")) /* the GitHub sources: scan_github.c */
        return cli_scan_github(ctx, argc, argv);
    // clang-format off
    static const struct option opts[] = {
        {"history",  no_argument,       NULL, 'H'},
        {"staged",   no_argument,       NULL, 'S'},
        {"format",   required_argument, NULL, 'f'},
        {"no-store", no_argument,       NULL, 'n'},
        {"all",      no_argument,       NULL, 'a'},
        {"min-confidence", required_argument, NULL, 'm'},
        {0, 0, 0, 0},
    };
    // clang-format on
    int history = 0, staged = 0, fmt = SCAN_FMT_TEXT, no_store = 0, rc = 0, c, all = 0;
    int min_conf = 0;
    while ((c = cli_getopt(ctx, argc, argv, "f:", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'H')
            history = 1;
        else if (c == 'S')
            staged = 1;
        else if (c == 'n')
            no_store = 1;
        else if (c == 'a')
            all = 1;
        else if (c == 'm' && cli_confidence_option(ctx, "--min-confidence", optarg, &min_conf))
            return CLI_ERROR;
        else if (c == 'f' && cli_choice(ctx, "--format", optarg, scan_format_names, &fmt))
            return CLI_ERROR;
    }
    if (staged && history)
        return cli_usage_error(ctx, "--staged", _("cannot be combined with --history"));
    if (staged && argc - optind > 1)
        return cli_usage_error(ctx, argv[optind + 1], _("--staged takes one repository"));
    if (optind >= argc && !staged)
        return cli_usage_error(ctx, "scan", _("no PATH given"));
    /* --staged: the work tree holding the current folder by default; nothing is recorded
     * (a finding the user removes before committing was never a leak) */
    static char here[] = ".";
    char *here_v[] = {here};
    int n = optind < argc ? argc - optind : 1;
    char **paths = optind < argc ? argv + optind : here_v;
    enum scan_what what = staged    ? SCAN_WHAT_STAGED
                          : history ? SCAN_WHAT_HISTORY
                                    : SCAN_WHAT_FILES;
    no_store |= staged;

    struct scan_run r = {.ctx = ctx, .store = !no_store, .now = akw_now()};
    struct detect_ruleset *rs = NULL;
    struct store *st = NULL;
    struct akw_err nerr = {0};
    if (cli_config(ctx, &r.cfg) || check_paths(what, n, paths) || cli_rules(&rs)
        || (!no_store && notify_new(r.cfg, &r.notify, &nerr) != AKW_OK && cli_fail_err(&nerr))
        || (!no_store && cli_store(ctx, 0, 0, &st))) {
        detect_rules_free(rs);
        notify_free(r.notify);
        return CLI_ERROR;
    }
    set_assets(&r);
    r.all = all;
    r.min_conf = min_conf ? (enum confidence)min_conf : r.cfg->min_confidence;
    /* `akwatch scan dir | head` must still record every finding: a closed pipe only
     * stops the printing (stdio keeps the error), never the scan */
    signal(SIGPIPE, SIG_IGN);
    struct detector *d = detector_new(rs);
    r.out = scan_out_new((enum scan_format)fmt, stdout, rs);
    struct scan_stats stats;
    memset(&stats, 0, sizeof stats);
    rc = run_scan(&r, d, what, n, paths, &stats);
    long unhandled = r.shown;
    if (rc == 0 && st)
        rc = record_all(&r, st, &unhandled);
    scan_out_end(r.out);
    if (rc == 0 && !ctx->quiet) {
        print_summary(&stats, history, r.shown, unhandled, st != NULL);
        print_quiet(&r);
        if (staged && r.shown)
            fprintf(stderr,
                    ngettext("akwatch: the staged changes hold %ld finding: remove it (rotate "
                             "the secret if it was ever pushed), or mark a false one with "
                             "akwatch:allow or `akwatch baseline`\n",
                             "akwatch: the staged changes hold %ld findings: remove them "
                             "(rotate a secret if it was ever pushed), or mark false ones "
                             "with akwatch:allow or `akwatch baseline`\n",
                             (unsigned long)r.shown),
                    r.shown);
    }
    if (rc == 0)
        rc = (st ? unhandled : r.shown) > 0 ? CLI_FOUND : CLI_OK;
    if (ferror(stdout) && st)
        clearerr(stdout); /* a reader that went away is not a scan error once recorded */
    detector_free(d);
    notify_free(r.notify);
    store_close(st);
    detect_rules_free(rs);
    pending_free(&r);
    scan_baselines_done(&r.baselines);
    free(r.arg_root);
    free(r.names);
    return rc;
}

const struct cli_command cli_cmd_scan = {
    "scan",
    scan_main,
    N_("scan files, folders and git history for leaked credentials"),
    N_("scan [--history] [--format text|json|sarif|tsv] [--all] [--min-confidence C]\n"
       "            [--no-store] PATH...\n"
       "   or: akwatch scan --staged [--format F] [--all] [--min-confidence C] [REPO]\n"
       "   or: akwatch scan --github [--once]"),
    N_("Scans each PATH: a file, or a folder walked recursively (symlinks followed, each folder\n"
       "once; .git/ folders, [scan] skip matches, files over [scan] max_file_size, binary\n"
       "files, FIFOs and devices are skipped and counted in the summary). Findings are\n"
       "printed as they are found, with secrets masked, and recorded in the store at the end\n"
       "in one transaction: one leak per secret, a location per place it was seen.\n"
       "Not reported nor recorded: a finding on a line with akwatch:allow (or gitleaks:allow,\n"
       "trufflehog:ignore), and one whose fingerprint is in .akwatchignore at the root of its\n"
       "work tree (see `akwatch baseline`; a malformed line stops the scan: FILE:LINE, exit 2).\n"
       "\n"
       "  --history        scan the commits of the git repository at each PATH instead: the\n"
       "                   added lines of every commit of every branch (git log -p --all),\n"
       "                   reported with commit, author and date\n"
       "  --staged         scan what `git commit` would record in the work tree holding REPO\n"
       "                   (default: the current folder): the lines the staged changes add\n"
       "                   (a renamed file: the lines it gains; deleted and binary files:\n"
       "                   nothing), paths from the top of the work tree. Records nothing;\n"
       "                   exit 1 with a reported finding, 0 when clean: the pre-commit check\n"
       "                   (`akwatch hook install` writes the hook)\n"
       "  --format FORMAT  text (default; path:line:column: severity rule secret), json (one\n"
       "                   object per line), sarif (SARIF 2.1.0), tsv (with a header line)\n"
       "  --no-store       print only; record nothing\n"
       "  --all            also report findings below the confidence threshold\n"
       "  --min-confidence C  low, medium or high: the threshold for this run (default\n"
       "                   [scan] min_confidence, else medium). Findings below it are\n"
       "                   recorded, but neither printed nor counted in the exit status\n"
       "  --github         run the configured GitHub sources instead ([assets] code search,\n"
       "                   [github] query/org/user/events) until interrupted, recording as\n"
       "                   they go; --once: one round of each source, then exit\n"
       "\n"
       "A summary (files, bytes, findings, skipped by reason) goes to stderr unless --quiet.\n"
       "Exit status: 0 when no reported finding is left unhandled (new, or reopened;\n"
       "whitelisted and handled ones do not count), 1 when one is, 2 on a usage or runtime\n"
       "error (then nothing is recorded).\n"),
};
