/* cli_main — the dispatcher: global options, then the subcommand found in the table built
 * from CLI_COMMANDS (cli_int.h); `akwatch --help` lists that same table, so help cannot
 * drift from what exists. No command: the "tui" entry when one is built, else usage.
 */
#include "config.h"
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

#define CLI_ENTRY(n) &cli_cmd_##n,
static const struct cli_command *const commands[] = {CLI_COMMANDS(CLI_ENTRY)};
#undef CLI_ENTRY
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct cli_command *
find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void
print_help(FILE *f)
{
    fprintf(f, "%s\n\n", _("usage: akwatch [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]"));
    fprintf(f, "%s\n\n", _("Find leaked credentials (cloud AccessKeys, database and server "
                           "passwords, tokens) and triage them."));
    fprintf(f, "%s\n", _("Commands:"));
    struct cli_table *t = cli_table_new(2);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        char *name = xasprintf("  %s", commands[i]->name);
        const char *row[] = {name, _(commands[i]->summary)};
        cli_table_add(t, row);
        free(name);
    }
    cli_table_print(t, f);
    cli_table_free(t);
    fprintf(f, "\n%s\n", _("Global options:"));
    t = cli_table_new(2);
    // clang-format off
    static const char *const globals[][2] = {
        {"  --db PATH|URL",  N_("the store: a file, or a postgresql:// URL (default $AKWATCH_DB, else [store] url, else $XDG_DATA_HOME/akwatch/akwatch.db)")},
        {"  --config PATH",  N_("the configuration (default $AKWATCH_CONFIG, else $XDG_CONFIG_HOME/akwatch/config)")},
        {"  --api-url URL",  N_("GitHub API URL (default from the config or $AKWATCH_API_URL)")},
        {"  --quiet",        N_("no summary or progress on stderr")},
        {"  --version",      N_("print the version and exit")},
        {"  --help",         N_("this help; COMMAND --help for a command's own")},
    };
    // clang-format on
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        const char *row[] = {globals[i][0], _(globals[i][1])};
        cli_table_add(t, row);
    }
    cli_table_print(t, f);
    cli_table_free(t);
    fprintf(f, "\n%s\n", _("Run 'akwatch COMMAND --help' for a command's usage and options."));
    fprintf(f, "%s\n", _("Exit status: 0 nothing unhandled, 1 unhandled findings (scan), "
                           "2 usage or runtime error."));
}

/* `akwatch [tui] [--no-scan]`: when the first argument that is not a global option is an
 * option the globals do not know, and a "tui" command is built, the whole line is the
 * TUI's (its own parser accepts the globals too). */
static int
is_tui_line(int argc, char **argv)
{
    static const char *const with_value[] = {"--db", "--config", "--api-url", NULL};
    static const char *const flags[] = {"--quiet", "--help", "-h", "--version", NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "--") == 0)
            return 0;
        int known = 0;
        for (size_t k = 0; with_value[k] && !known; k++) {
            size_t n = strlen(with_value[k]);
            if (strncmp(a, with_value[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                known = 1;
                i += a[n] == '\0';
            }
        }
        for (size_t k = 0; flags[k] && !known; k++)
            known = strcmp(a, flags[k]) == 0;
        if (!known)
            return 1;
    }
    return 0;
}

static int
run_command(struct cli_ctx *ctx, const struct cli_command *cmd, int argc, char **argv)
{
    ctx->cmd = cmd;
    optind = 0;
    int rc = cmd->run(ctx, argc, argv);
    if (ctx->cfg_loaded)
        config_done(&ctx->cfg);
    fflush(stdout);
    if (ferror(stdout)) /* a full disk or closed pipe must not look like success */
        return cli_fail("%s", _("error writing output"));
    return rc;
}

int
cli_main(int argc, char **argv)
{
    struct cli_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    cli_hide_passwords(argc, argv);
    static const struct option opts[] = {{"version", no_argument, NULL, 'V'}, {0, 0, 0, 0}};
    int rc = CLI_OK, c;
    const struct cli_command *tui = find_command("tui");
    if (tui && is_tui_line(argc, argv))
        return run_command(&ctx, tui, argc, argv);
    /* "+": stop at the command name; its own options are parsed by the command */
    optind = 0;
    while ((c = cli_getopt(&ctx, argc, argv, "+", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT) {
            if (rc == CLI_OK)
                print_help(stdout);
            return rc;
        }
        if (c == 'V') {
            printf("akwatch %s\n", VERSION);
            return CLI_OK;
        }
    }
    const char *name = optind < argc ? argv[optind] : "tui";
    ctx.cmd = find_command(name);
    if (!ctx.cmd) {
        if (optind >= argc) {
            print_help(stderr);
            return CLI_ERROR;
        }
        return cli_usage_error(NULL, name, _("unknown command"));
    }
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    char *fake[] = {(char *)"tui", NULL};
    if (optind >= argc) {
        sub_argc = 1;
        sub_argv = fake;
    }
    return run_command(&ctx, ctx.cmd, sub_argc, sub_argv);
}
