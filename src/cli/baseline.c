/* baseline — `akwatch baseline [--history] [--output FILE] [PATH...]`: scan PATH (default
 * the current folder) as `scan` would, ignoring any existing baseline, and write the
 * fingerprints of every finding (whatever its confidence; inline-allowed ones are already
 * silenced and left out) to the root's .akwatchignore, sorted, with a header, atomically.
 * Records nothing in the store.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "scan/local.h"

/* A finding kept for the file: its own copies. */
struct kept {
    char fingerprint[65];
    char *rule, *where;
};

struct baseline_run {
    struct kept *v;
    size_t n, cap;
};

static int
on_hit(const struct scan_hit *h, void *user)
{
    struct baseline_run *r = user;
    if (h->f->allowed)
        return 0;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    struct kept *k = &r->v[r->n++];
    snprintf(k->fingerprint, sizeof k->fingerprint, "%s", h->f->fingerprint);
    k->rule = xstrdup(h->f->rule->id);
    k->where = xasprintf("%s:%zu", h->relpath ? h->relpath : h->path, h->f->line);
    return 0;
}

static void
run_done(struct baseline_run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].rule);
        free(r->v[i].where);
    }
    free(r->v);
}

/* Every PATH exists, is what --history needs, and (without --output) shares one root,
 * which *root gets (caller frees). Returns 0 or CLI_ERROR (reported). */
static int
check_paths(struct cli_ctx *ctx, int history, int n, char **paths, const char *output,
            char **root)
{
    *root = NULL;
    for (int i = 0; i < n; i++) {
        struct akw_err err = {0};
        if ((history ? scan_git_check(paths[i], &err) : scan_path_check(paths[i], &err))
            != AKW_OK) {
            free(*root);
            *root = NULL;
            return cli_fail_err(&err);
        }
        char *r = scan_baseline_root_of(paths[i]);
        if (!r) {
            free(*root);
            *root = NULL;
            return cli_fail("%s: %s", paths[i], strerror(errno));
        }
        if (*root && strcmp(*root, r) != 0 && !output) {
            free(r);
            free(*root);
            *root = NULL;
            return cli_usage_error(ctx, paths[i],
                                   _("is in another repository than the first PATH; give "
                                     "--output FILE or one repository at a time"));
        }
        if (!*root)
            *root = r;
        else
            free(r);
    }
    return 0;
}

static int
scan_all(struct detector *d, const struct config *cfg, int history, int n, char **paths,
         struct baseline_run *r, struct scan_stats *st)
{
    struct scan_opts o = {
        .max_file_size = cfg->max_file_size,
        .skip = (const char *const *)cfg->skip.v,
        .n_skip = cfg->skip.n,
    };
    for (int i = 0; i < n; i++) {
        struct akw_err err = {0};
        enum akw_status rc = history ? scan_history(d, paths[i], &o, on_hit, r, st, &err)
                                     : scan_local(d, paths[i], &o, on_hit, r, st, &err);
        if (rc != AKW_OK)
            return cli_fail_err(&err);
    }
    return 0;
}

static int
write_file(const char *path, struct baseline_run *r, int history, size_t *written)
{
    struct scan_baseline_entry *e = xcalloc(r->n + 1, sizeof *e);
    for (size_t i = 0; i < r->n; i++)
        e[i] = (struct scan_baseline_entry){r->v[i].fingerprint, r->v[i].rule, r->v[i].where};
    /* the header is part of a file committed beside the code: English, like its format */
    char *header = xasprintf(
        "# akwatch baseline: the findings judged not to be leaks, by fingerprint (SHA-256 of\n"
        "# rule and secret), one per line, then a comment. `akwatch scan` does not report\n"
        "# them; a secret not listed here is always reported. List only what is not a real\n"
        "# secret: a real one is rotated, not ignored.\n"
        "# Written by `akwatch baseline%s` at %s; regenerate it the same way.\n",
        history ? " --history" : "", cli_time(akw_now()));
    struct akw_err err = {0};
    enum akw_status rc = scan_baseline_write(path, e, r->n, header, written, &err);
    free(header);
    free(e);
    return rc == AKW_OK ? 0 : cli_fail_err(&err);
}

static int
baseline_main(struct cli_ctx *ctx, int argc, char **argv)
{
    // clang-format off
    static const struct option opts[] = {
        {"history", no_argument,       NULL, 'H'},
        {"output",  required_argument, NULL, 'o'},
        {0, 0, 0, 0},
    };
    // clang-format on
    int history = 0, rc = 0, c;
    const char *output = NULL;
    while ((c = cli_getopt(ctx, argc, argv, "o:", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'H')
            history = 1;
        else if (c == 'o')
            output = optarg;
    }
    /* no PATH: the whole work tree holding the current folder (a baseline of a subfolder
     * would drop the entries of the rest of the repository), else the current folder */
    char *top = optind < argc ? NULL : scan_baseline_root_of(".");
    char *here[] = {top};
    int n = optind < argc ? argc - optind : 1;
    char **paths = optind < argc ? argv + optind : here;
    if (!top && optind >= argc)
        return cli_fail(".: %s", strerror(errno));
    const struct config *cfg;
    char *root = NULL;
    struct detect_ruleset *rs = NULL;
    if (cli_config(ctx, &cfg) || check_paths(ctx, history, n, paths, output, &root)
        || cli_rules(&rs)) {
        free(root);
        free(top);
        return CLI_ERROR;
    }
    struct detector *d = detector_new(rs);
    struct baseline_run r = {0};
    struct scan_stats st;
    memset(&st, 0, sizeof st);
    char *path = output ? xstrdup(output) : xasprintf("%s/%s", root, SCAN_BASELINE_FILE);
    size_t written = 0;
    rc = scan_all(d, cfg, history, n, paths, &r, &st);
    if (rc == 0)
        rc = write_file(path, &r, history, &written);
    if (rc == 0 && !ctx->quiet)
        printf(ngettext("Baseline written to %s: %zu fingerprint\n",
                        "Baseline written to %s: %zu fingerprints\n", (unsigned long)written),
               path, written);
    free(path);
    free(root);
    free(top);
    run_done(&r);
    detector_free(d);
    detect_rules_free(rs);
    return rc;
}

const struct cli_command cli_cmd_baseline = {
    "baseline",
    baseline_main,
    N_("write the baseline (.akwatchignore) of the current findings"),
    N_("baseline [--history] [-o FILE] [PATH...]"),
    N_("Scans each PATH (default: the git work tree holding the current folder, else the\n"
       "current folder) as `akwatch scan` does, ignoring any existing baseline, and writes\n"
       "the fingerprint of every finding, whatever its confidence, to .akwatchignore at the\n"
       "root of the work tree holding the first PATH (else the folder it names), replacing\n"
       "it: sorted, one per line with the rule and a place as a comment, under a header;\n"
       "written atomically (mode 0600). Findings on a line with akwatch:allow are left out\n"
       "(they are silenced already). From then on `akwatch scan` does not report those\n"
       "findings; a secret not in the file, even in the same place, is reported as usual.\n"
       "GitHub sources ignore baselines. Nothing is recorded in the store.\n"
       "\n"
       "  --history        also the findings of every commit (what `scan --history` finds)\n"
       "  -o, --output F   write F instead (needed when the PATHs are in several\n"
       "                   repositories)\n"
       "\n"
       "A malformed .akwatchignore line makes `scan` stop with FILE:LINE and exit 2.\n"),
};
