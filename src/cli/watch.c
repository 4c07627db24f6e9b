/* watch — `akwatch watch`: the headless GitHub scan loop for a service or cron, with a
 * progress line on a terminal and a clean stop on SIGINT/SIGTERM. The loop itself is in
 * scan_github.c; this file is the command's entry in the table.
 */
#include "config.h"

#include "cli/github_cli.h"

static int
watch_main(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int code, c;
    while ((c = cli_getopt(ctx, argc, argv, "", opts, &code)) != CLI_OPT_END)
        if (c == CLI_OPT_EXIT)
            return code;
    if (optind < argc)
        return cli_usage_error(ctx, argv[optind], _("watch takes no arguments"));
    return cli_github_loop(ctx, 0, 1);
}

const struct cli_command cli_cmd_watch = {
    "watch",
    watch_main,
    N_("watch GitHub headless: the scan loop until interrupted (for a service or cron)"),
    N_("watch"),
    N_("Runs the configured GitHub sources until SIGINT or SIGTERM: code search for every\n"
       "[assets] entry and [github] query, the public events feed (events = on), and the\n"
       "repositories of every [github] org and user. New findings are recorded in the store\n"
       "and printed one per line; on a terminal a progress line shows the state (running,\n"
       "rate-limited until HH:MM, offline) and the counts. Cursors and ETags are kept in the\n"
       "store, so a restart resumes where the last run stopped. When a PostgreSQL store's\n"
       "server goes away, the scan pauses, connects again with backoff and records what it\n"
       "holds once the server is back.\n"),
};
