/* tui — `akwatch [tui] [--no-scan]`: the command's entry in the table. Loads the config,
 * finds the store and the rules, and hands them to the terminal UI (src/ui/), which runs
 * the GitHub scan thread itself when sources are configured.
 */
#include "config.h"

#include <stdlib.h>

#include "cli/cli_int.h"
#include "ui/ui.h"

static int
tui_main(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"no-scan", no_argument, NULL, 'n'},
                                         {"all", no_argument, NULL, 'a'},
                                         {0, 0, 0, 0}};
    int code, c, no_scan = 0, all = 0;
    while ((c = cli_getopt(ctx, argc, argv, "", opts, &code)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return code;
        if (c == 'n')
            no_scan = 1;
        else if (c == 'a')
            all = 1;
    }
    if (optind < argc)
        return cli_usage_error(ctx, argv[optind], _("tui takes no arguments"));
    const struct config *cfg;
    if (cli_config(ctx, &cfg) != 0)
        return CLI_ERROR;
    char *db = cli_db_path(ctx);
    char *rules = xasprintf("%s/rules", akw_data_dir());
    struct ui_opts o = {.db_path = db, .cfg = cfg, .rules_dir = rules, .start_scan = !no_scan,
                        .all_confidence = all};
    const char *t = getenv("AKWATCH_HTTP_TIMEOUT"); /* seconds; tests shorten it */
    if (t && atol(t) > 0)
        o.http_timeout_s = atol(t);
    int rc = ui_run(&o);
    free(rules);
    free(db);
    return rc;
}

const struct cli_command cli_cmd_tui = {
    "tui",
    tui_main,
    N_("triage leaks in the terminal UI (the default command)"),
    N_("tui [--no-scan] [--all]"),
    N_("Opens the terminal UI on the store: the leak list (Unhandled / Handled / All),\n"
       "details with the Related recommendation, processing (deleted manually, disabled\n"
       "manually, add to whitelist), the whitelist, search by AccessKey ID and the report.\n"
       "With [github] sources configured the scan runs in the background and new findings\n"
       "appear as they are found. The list shows the leaks at or above [scan] min_confidence\n"
       "(default medium); c shows or hides the others. Press ? inside for every key.\n"
       "\n"
       "  --no-scan  do not start the background GitHub scan\n"
       "  --all      start with the leaks below the confidence threshold shown\n"),
};
