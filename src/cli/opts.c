/* opts — option parsing shared by every subcommand: its own options plus the global ones
 * (accepted before or after the subcommand name), --help, and usage errors that name the
 * culprit. Uses getopt_long with its own messages (opterr = 0).
 */
#include "config.h"
#include "cli/cli_int.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_DB = 0x1000, OPT_CONFIG, OPT_API_URL, OPT_QUIET, OPT_HELP };

// clang-format off
static const struct option global_opts[] = {
    {"db",      required_argument, NULL, OPT_DB},
    {"config",  required_argument, NULL, OPT_CONFIG},
    {"api-url", required_argument, NULL, OPT_API_URL},
    {"quiet",   no_argument,       NULL, OPT_QUIET},
    {"help",    no_argument,       NULL, OPT_HELP},
};
// clang-format on
#define N_GLOBAL (sizeof global_opts / sizeof global_opts[0])

void
cli_command_help(const struct cli_command *cmd, FILE *f)
{
    fprintf(f, _("usage: akwatch %s\n"), _(cmd->usage));
    fprintf(f, "\n%s\n", _(cmd->summary));
    if (cmd->help && *cmd->help)
        fprintf(f, "\n%s", _(cmd->help));
    fprintf(f, "\n%s\n", _("Global options (before or after the command): --db PATH, "
                           "--config PATH, --api-url URL, --quiet."));
}

int
cli_usage_error(struct cli_ctx *ctx, const char *culprit, const char *msg)
{
    if (ctx && ctx->cmd)
        return cli_fail(_("%s: %s (see akwatch %s --help)"), culprit, msg, ctx->cmd->name);
    return cli_fail(_("%s: %s (see akwatch --help)"), culprit, msg);
}

/* The argument that caused the current getopt error, for the message. */
static const char *
culprit(int argc, char **argv, int opt)
{
    static char shortopt[3];
    if (optind > 0 && optind <= argc && argv[optind - 1][0] == '-' && argv[optind - 1][1] == '-')
        return argv[optind - 1];
    shortopt[0] = '-';
    shortopt[1] = (char)(opt ? opt : '?');
    return shortopt;
}

int
cli_getopt(struct cli_ctx *ctx, int argc, char **argv, const char *shortopts,
           const struct option *longopts, int *exit_code)
{
    size_t n = 0;
    while (longopts && longopts[n].name)
        n++;
    struct option all[64];
    if (n + N_GLOBAL + 1 > sizeof all / sizeof all[0])
        abort(); /* a programming error: too many options for one command */
    if (n)
        memcpy(all, longopts, n * sizeof *all);
    memcpy(all + n, global_opts, sizeof global_opts);
    memset(&all[n + N_GLOBAL], 0, sizeof all[0]);
    char shorts[64];
    /* a leading '+' (stop at the first operand) must stay first, before ':' */
    const char *so = shortopts ? shortopts : "";
    int plus = so[0] == '+';
    snprintf(shorts, sizeof shorts, "%s:%sh", plus ? "+" : "", so + plus);
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, shorts, all, NULL);
        switch (c) {
        case -1:
            return CLI_OPT_END;
        case OPT_DB:
            ctx->db_path = optarg;
            break;
        case OPT_CONFIG:
            ctx->config_path = optarg;
            break;
        case OPT_API_URL:
            ctx->api_url = optarg;
            break;
        case OPT_QUIET:
            ctx->quiet = 1;
            break;
        case 'h':
        case OPT_HELP:
            if (ctx->cmd)
                cli_command_help(ctx->cmd, stdout);
            *exit_code = CLI_OK;
            return CLI_OPT_EXIT;
        case ':':
            *exit_code = cli_usage_error(ctx, culprit(argc, argv, optopt), _("needs a value"));
            return CLI_OPT_EXIT;
        case '?':
            *exit_code = cli_usage_error(ctx, culprit(argc, argv, optopt), _("unknown option"));
            return CLI_OPT_EXIT;
        default:
            return c;
        }
    }
}
