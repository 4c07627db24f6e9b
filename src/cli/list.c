/* list — `akwatch list`: the leaks of the store, filtered by status and AK ID prefix, as an
 * aligned table, json lines (DESIGN's contract, with locations) or tsv. Read-only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli_int.h"

enum list_format { LIST_TABLE, LIST_JSON, LIST_TSV };
static const char *const list_formats[] = {"table", "json", "tsv", NULL};
static const char *const statuses[] = {"unhandled", "handled", "whitelisted", "all", NULL};
static const char *const sorts[] = {"time", "severity", NULL};
static const char *const confidences[] = {"low", "medium", "high", NULL};
/* --verified: names and their store filter bits (verify layer) */
static const char *const verified_names[] = {"live", "invalid", "unknown", "none", NULL};
static const int verified_bits[] = {LEAK_VERIFIED_LIVE, LEAK_VERIFIED_INVALID,
                                    LEAK_VERIFIED_UNKNOWN, LEAK_VERIFIED_NONE};

struct list_run {
    struct store *st;
    enum list_format fmt;
    struct cli_table *table;
    struct akw_err err;
    long n;
};

/* "handled (deleted)" etc., translated, for people. */
static char *
status_text(const struct leak *l)
{
    static const char *const names[] = {N_("unhandled"), N_("handled"), N_("whitelisted")};
    const char *s = (unsigned)l->status < 3 ? _(names[l->status]) : "?";
    if (l->status == LEAK_STATUS_HANDLED && l->handled_as != HANDLED_NONE)
        return xasprintf("%s (%s)", s, cli_handled_as(l->handled_as));
    return xstrdup(s);
}

static void
add_row(struct list_run *r, const struct leak *l)
{
    char id[24], date[32];
    snprintf(id, sizeof id, "%lld", (long long)l->id);
    akw_time_iso(l->first_seen, date);
    date[10] = '\0'; /* the day is enough in a table; show has the time */
    char *status = status_text(l);
    char *where = l->n_locations > 1
                      ? xasprintf(_("%s (+%ld more)"), l->path ? l->path : "", l->n_locations - 1)
                      : xstrdup(l->path ? l->path : "");
    const char *row[] = {id,      cli_severity(l->severity), cli_confidence(l->confidence),
                         status,  l->kind, l->ak_id ? l->ak_id : l->secret_masked,
                         where,   date};
    cli_table_add(r->table, row);
    free(status);
    free(where);
}

static void
tsv_row(const struct leak *l)
{
    char id[24], locs[24], first[32], last[32];
    snprintf(id, sizeof id, "%lld", (long long)l->id);
    snprintf(locs, sizeof locs, "%ld", l->n_locations);
    akw_time_iso(l->first_seen, first);
    akw_time_iso(l->last_seen, last);
    const char *f[] = {id,       severity_name(l->severity), leak_status_name(l->status),
                       handled_as_name(l->handled_as), l->kind, l->rule, l->ak_id,
                       l->secret_masked, l->fingerprint, l->owned ? "1" : "0", l->repo,
                       l->path,  locs, first, last, confidence_name(l->confidence)};
    size_t n = sizeof f / sizeof f[0];
    for (size_t i = 0; i < n; i++)
        cli_tsv_field(stdout, f[i], i + 1 == n);
}

static int
on_leak(const struct leak *l, void *user)
{
    struct list_run *r = user;
    r->n++;
    if (r->fmt == LIST_TABLE)
        add_row(r, l);
    else if (r->fmt == LIST_TSV)
        tsv_row(l);
    else {
        json_object *j = cli_leak_json(r->st, l, &r->err);
        if (!j)
            return 1;
        cli_json_line(stdout, j);
        json_object_put(j);
    }
    return 0;
}

static void
start_output(struct list_run *r)
{
    if (r->fmt == LIST_TSV) {
        static const char *const cols[] = {"id", "severity", "status", "handled_as", "kind",
                                           "rule", "ak_id", "secret_masked", "fingerprint",
                                           "owned", "repo", "path", "locations", "first_seen",
                                           "last_seen", "confidence", NULL};
        for (size_t i = 0; cols[i]; i++)
            cli_tsv_field(stdout, cols[i], cols[i + 1] == NULL);
    } else if (r->fmt == LIST_TABLE) {
        r->table = cli_table_new(8);
        const char *head[] = {_("ID"),   _("SEVERITY"),       _("CONFIDENCE"), _("STATUS"),
                              _("KIND"), _("AK ID / SECRET"), _("WHERE"),      _("FIRST SEEN")};
        cli_table_add(r->table, head);
    }
}

/* Under a table: how many leaks of this list the confidence threshold left out. */
static void
note_hidden(struct store *st, const struct leak_filter *shown, enum confidence min)
{
    struct leak_filter f = *shown;
    f.confidence_mask = ~store_confidence_at_least(min) & store_confidence_at_least(0);
    long n = 0;
    if (!st || !f.confidence_mask || store_leak_count(st, &f, &n, NULL) != AKW_OK || n == 0)
        return;
    fprintf(stderr,
            ngettext("akwatch: %ld leak below the confidence threshold %s is not listed (--all "
                     "lists it)\n",
                     "akwatch: %ld leaks below the confidence threshold %s are not listed (--all "
                     "lists them)\n",
                     (unsigned long)n),
            n, cli_confidence(min));
}

static int
list_main(struct cli_ctx *ctx, int argc, char **argv)
{
    // clang-format off
    static const struct option opts[] = {
        {"status", required_argument, NULL, 's'},
        {"ak",     required_argument, NULL, 'a'},
        {"search", required_argument, NULL, 't'},
        {"sort",   required_argument, NULL, 'S'},
        {"format", required_argument, NULL, 'f'},
        {"verified", required_argument, NULL, 'V'},
        {"confidence", required_argument, NULL, 'c'},
        {"all",    no_argument,       NULL, 'A'},
        {0, 0, 0, 0},
    };
    // clang-format on
    struct leak_filter filter = {0};
    int fmt = LIST_TABLE, rc = 0, c, v, conf_mask = 0, all = 0;
    while ((c = cli_getopt(ctx, argc, argv, "s:a:f:", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'a')
            filter.ak_prefix = optarg;
        else if (c == 't')
            filter.text = optarg;
        else if (c == 'f' && cli_choice(ctx, "--format", optarg, list_formats, &fmt))
            return CLI_ERROR;
        else if (c == 'S') {
            if (cli_choice(ctx, "--sort", optarg, sorts, &v))
                return CLI_ERROR;
            filter.sort = (enum leak_sort)v;
        } else if (c == 's') {
            if (cli_choice(ctx, "--status", optarg, statuses, &v))
                return CLI_ERROR;
            filter.status_mask |= v == 3 ? 0 : 1 << v;
        } else if (c == 'V') {
            if (cli_choice(ctx, "--verified", optarg, verified_names, &v))
                return CLI_ERROR;
            filter.status_mask |= verified_bits[v];
        } else if (c == 'c') {
            if (cli_choice(ctx, "--confidence", optarg, confidences, &v))
                return CLI_ERROR;
            conf_mask |= 1 << (CONFIDENCE_LOW + v);
        } else if (c == 'A') {
            all = 1;
        }
    }
    if (optind < argc)
        return cli_usage_error(ctx, argv[optind], _("unexpected argument"));
    const struct config *cfg; /* a bad configuration is an error for every command */
    if (cli_config(ctx, &cfg))
        return CLI_ERROR;
    /* --confidence names levels; else the threshold, unless --all */
    filter.confidence_mask = conf_mask ? conf_mask
                             : all     ? 0
                                       : store_confidence_at_least(cfg->min_confidence);
    struct list_run r = {.fmt = (enum list_format)fmt};
    if (cli_store(ctx, 1, 1, &r.st))
        return CLI_ERROR;
    start_output(&r);
    if (r.st && store_leak_foreach(r.st, &filter, on_leak, &r, &r.err) != AKW_OK)
        rc = cli_fail_err(&r.err);
    else if (r.err.msg[0])
        rc = cli_fail_err(&r.err);
    if (r.table) {
        if (rc == 0 && r.n == 0)
            printf("%s\n", _("No leaks."));
        else if (rc == 0)
            cli_table_print(r.table, stdout);
        cli_table_free(r.table);
        if (rc == 0 && !conf_mask && !all && !ctx->quiet)
            note_hidden(r.st, &filter, cfg->min_confidence);
    }
    store_close(r.st);
    return rc;
}

const struct cli_command cli_cmd_list = {
    "list",
    list_main,
    N_("list the leaks in the store"),
    N_("list [--status S] [--verified V] [--confidence C | --all] [--ak ID] [--search TEXT]\n"
       "            [--sort time|severity] [--format table|json|tsv]"),
    N_("Lists the leaks (one per secret), newest first: those at or above the confidence\n"
       "threshold ([scan] min_confidence, default medium); a table says how many it left out.\n"
       "\n"
       "  --status S       unhandled, handled, whitelisted or all (default all); repeat to\n"
       "                   combine\n"
       "  --verified V     live, invalid, unknown or none (never checked): the outcome of\n"
       "                   `akwatch verify`; repeat to combine\n"
       "  --confidence C   only leaks of confidence C (low, medium or high); repeat to combine\n"
       "  --all            every leak, whatever its confidence\n"
       "  --ak ID          only leaks whose AccessKey ID starts with ID (case-insensitive)\n"
       "  --search TEXT    only leaks whose AK ID, or the repository, path or URL of any\n"
       "                   of their locations, contains TEXT\n"
       "  --sort ORDER     time (newest first, default) or severity (most severe first)\n"
       "  --format FORMAT  table (default, aligned), json (one object per line with its\n"
       "                   locations; times ISO 8601 UTC) or tsv (with a header line)\n"),
};
