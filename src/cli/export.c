/* export — `akwatch export`: the report of the store as an xlsx workbook, a folder of csv
 * files or one json document. Parses options, opens the store read-only, shows progress
 * on a terminal, prints the saved path; the report itself is src/export/.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "export/export.h"

static const char *const formats[] = {"xlsx", "csv", "json", NULL};
static const char *const statuses[] = {"unhandled", "handled", "whitelisted", "all", NULL};

static int
progress(long done, long total, void *user)
{
    (void)user;
    if (total <= 0)
        return 0;
    fputc('\r', stderr); /* cursor control stays out of the translated message */
    fprintf(stderr, _("exporting: %3ld%%"), done >= total ? 100 : done * 100 / total);
    return 0;
}

/* The comma-separated names of arg (an option that may repeat) into *bits: bit i for
 * names[i]. 0, or CLI_ERROR after cli_choice's message naming the bad one. */
static int
add_choices(struct cli_ctx *ctx, const char *opt, const char *arg, const char *const *names,
            unsigned *bits)
{
    char *copy = xstrdup(arg), *save = NULL;
    int rc = 0, i;
    for (char *t = strtok_r(copy, ",", &save); t && rc == 0; t = strtok_r(NULL, ",", &save))
        if ((rc = cli_choice(ctx, opt, t, names, &i)) == 0)
            *bits |= 1u << i;
    free(copy);
    return rc;
}

/* --status S into a mask of leak statuses; "all" (statuses[3]) clears the filter for good. */
static int
add_status(struct cli_ctx *ctx, const char *arg, int *mask)
{
    unsigned bits = 0;
    if (add_choices(ctx, "--status", arg, statuses, &bits) != 0)
        return CLI_ERROR;
    if (bits & 1u << 3)
        *mask = -1;
    else if (*mask != -1)
        *mask |= (int)bits;
    return 0;
}

/* --sheets K,K... into export_opts.sheets. */
static int
add_sheets(struct cli_ctx *ctx, const char *arg, unsigned *mask)
{
    if (add_choices(ctx, "--sheets", arg, export_sheet_keys, mask) != 0)
        return CLI_ERROR;
    return *mask ? 0 : cli_usage_error(ctx, "--sheets", _("no sheet named"));
}

static int
export_main(struct cli_ctx *ctx, int argc, char **argv)
{
    // clang-format off
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"status", required_argument, NULL, 's'},
        {"sheets", required_argument, NULL, 'S'},
        {"force",  no_argument,       NULL, 'F'},
        {"all",    no_argument,       NULL, 'a'},
        {0, 0, 0, 0},
    };
    // clang-format on
    struct export_opts o = {.format = EXPORT_XLSX};
    int c, code, f, all = 0;
    while ((c = cli_getopt(ctx, argc, argv, "f:o:s:", opts, &code)) != CLI_OPT_END) {
        switch (c) {
        case CLI_OPT_EXIT: return code;
        case 'f':
            if (cli_choice(ctx, "--format", optarg, formats, &f) != 0)
                return CLI_ERROR;
            o.format = (enum export_format)f;
            break;
        case 'o': o.path = optarg; break;
        case 's':
            if (add_status(ctx, optarg, &o.status_mask) != 0)
                return CLI_ERROR;
            break;
        case 'S':
            if (add_sheets(ctx, optarg, &o.sheets) != 0)
                return CLI_ERROR;
            break;
        case 'F': o.force = 1; break;
        case 'a': all = 1; break;
        }
    }
    if (optind < argc)
        return cli_usage_error(ctx, argv[optind], _("unexpected argument"));
    if (o.status_mask == -1)
        o.status_mask = 0;
    const struct config *cfg; /* [scan] min_confidence; a bad config is an error here too */
    if (cli_config(ctx, &cfg) != 0)
        return CLI_ERROR;
    o.confidence_mask = all ? 0 : store_confidence_at_least(cfg->min_confidence);

    struct store *st = NULL;
    if (cli_store(ctx, 1, 1, &st) != 0)
        return CLI_ERROR;
    if (!st) {
        char *path = cli_db_path(ctx);
        int rc = cli_fail(_("%s: no store yet (nothing was ever scanned); nothing to export"),
                          path);
        free(path);
        return rc;
    }
    struct detect_ruleset *rules; /* the provider and console of each leak */
    if (cli_rules_meta(&rules) != 0) {
        store_close(st);
        return CLI_ERROR;
    }
    o.rules = rules;
    int tty = !ctx->quiet && isatty(STDERR_FILENO);
    if (tty)
        o.progress = progress;
    struct akw_err err = {0};
    char *saved = NULL;
    enum akw_status rc = export_run(st, &o, &saved, &err);
    store_close(st);
    detect_rules_free(rules);
    if (tty)
        fputs("\r\033[K", stderr);
    if (rc != AKW_OK)
        return cli_fail_err(&err);
    if (!ctx->quiet)
        printf(o.format == EXPORT_CSV ? _("Report saved to the folder %s\n")
                                      : _("Report saved to %s\n"),
               saved);
    free(saved);
    return CLI_OK;
}

const struct cli_command cli_cmd_export = {
    "export",
    export_main,
    N_("write the report: an Excel workbook, csv files or json"),
    N_("export [--format xlsx|csv|json] [-o FILE] [--status S] [--all] [--sheets LIST]\n"
       "              [--force]"),
    N_("Writes every leak, location, suspicious call, alert, whitelist entry and audit-log\n"
       "entry of the store, with a summary, for auditors (xlsx) or scripts (csv, json).\n"
       "Secrets are always masked; all times are UTC. Like the lists, it holds the leaks\n"
       "at or above [scan] min_confidence (default medium); the Summary says so.\n"
       "\n"
       "  --format FORMAT  xlsx (default): one workbook, sheets Summary, Leaks, Locations,\n"
       "                   Suspicious calls, Alerts, Whitelist, Audit log, headers in your\n"
       "                   language; csv: a folder with one RFC 4180 file per sheet\n"
       "                   (summary.csv, leaks.csv, ...; header row = column keys); json:\n"
       "                   one document {\"report\":\"akwatch\",\"sheets\":{\"leaks\":[...],...}}\n"
       "  -o, --output F   where to write (default akwatch-report-YYYYMMDD.xlsx or .json, or\n"
       "                   the folder akwatch-report-YYYYMMDD for csv, in the current folder)\n"
       "  --status S       only leaks (and their locations) with status S: unhandled,\n"
       "                   handled, whitelisted or all; repeat to combine\n"
       "  --all            every leak, whatever its confidence\n"
       "  --sheets LIST    only these sheets, comma-separated: summary, leaks, locations,\n"
       "                   calls, alerts, whitelist, audit (default all; the Summary still\n"
       "                   counts every sheet)\n"
       "  --force          replace an existing file (csv: the sheet files in the folder)\n"
       "\n"
       "Files are created 0600 under a temporary name and renamed when complete. In csv a\n"
       "text field starting with = + - @ or TAB gets a leading ' so that a spreadsheet does\n"
       "not run it as a formula. Exit status 2 when the file exists (without --force) or on\n"
       "any error; nothing is left half-written.\n"),
};
