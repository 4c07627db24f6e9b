/* cli/export — `akwatch export [--format xlsx|csv|json] [-o FILE] [--status S] [--force]`:
 * parses the options, opens the store read-only, runs export_run() with a progress line
 * on a terminal, and prints the saved path. The report itself is src/export/. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_export.h"
#include "export/export.h"
#include "store/store.h"
#include "util/util.h"

static void
usage(FILE *f)
{
    fputs(_("usage: akwatch export [--format xlsx|csv|json] [-o FILE] [--status S] [--force]\n"
            "  --format F   xlsx (default): a workbook; csv: a folder of csv files, one per\n"
            "               sheet; json: one document\n"
            "  -o FILE      where to write (default: akwatch-report-YYYYMMDD.xlsx, .json, or\n"
            "               the folder akwatch-report-YYYYMMDD for csv)\n"
            "  --status S   only leaks with status S (unhandled, handled, whitelisted;\n"
            "               repeat or separate with commas)\n"
            "  --force      replace an existing file\n"),
          f);
}

static int
progress(long done, long total, void *user)
{
    (void)user;
    if (total > 0)
        fprintf(stderr, _("\rexporting: %3ld%%"), done >= total ? 100 : done * 100 / total);
    return 0;
}

/* "unhandled,handled" -> mask; -1 on an unknown name. */
static int
parse_status(const char *arg, int *mask)
{
    char *copy = xstrdup(arg), *save = NULL;
    int rc = 0;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        enum leak_status s;
        if (leak_status_parse(t, &s) != 0) {
            rc = -1;
            break;
        }
        *mask |= 1 << s;
    }
    free(copy);
    return rc;
}

int
cli_export(const char *db_path, int quiet, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"status", required_argument, NULL, 's'}, {"force", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    struct export_opts o = {.format = EXPORT_XLSX};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:s:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (export_format_parse(optarg, &o.format) != 0) {
                fprintf(stderr, _("akwatch export: unknown format '%s' (xlsx, csv or json)\n"),
                        optarg);
                return 2;
            }
            break;
        case 'o': o.path = optarg; break;
        case 's':
            if (parse_status(optarg, &o.status_mask) != 0) {
                fprintf(stderr,
                        _("akwatch export: unknown status '%s' (unhandled, handled, "
                          "whitelisted)\n"),
                        optarg);
                return 2;
            }
            break;
        case 'F': o.force = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("akwatch export: unexpected argument '%s'\n"), argv[optind]);
        return 2;
    }
    int tty = !quiet && isatty(STDERR_FILENO);
    if (tty)
        o.progress = progress;

    struct akw_err err = {0};
    struct store *st = NULL;
    char *saved = NULL;
    enum akw_status rc = store_open(db_path, STORE_OPEN_READONLY, &st, &err);
    if (rc == AKW_OK)
        rc = export_run(st, &o, &saved, &err);
    store_close(st);
    if (tty)
        fputs("\r\033[K", stderr);
    if (rc != AKW_OK) {
        fprintf(stderr, "akwatch export: %s\n", err.msg);
        return 2;
    }
    if (!quiet)
        printf(_("Report saved to %s\n"), saved);
    free(saved);
    return 0;
}
