/* config_check — `akwatch config check`: validate every key of the configuration against
 * the same table the loader uses, print each problem as file:line, or "ok: PATH".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli_int.h"

static void
on_error(const char *msg, void *user)
{
    (void)user;
    fprintf(stderr, "akwatch: %s\n", msg);
}

static int
config_main(struct cli_ctx *ctx, int argc, char **argv)
{
    int rc = 0, c;
    while ((c = cli_getopt(ctx, argc, argv, "", NULL, &rc)) != CLI_OPT_END)
        if (c == CLI_OPT_EXIT)
            return rc;
    if (argc - optind != 1 || strcmp(argv[optind], "check") != 0)
        return cli_usage_error(ctx, optind < argc ? argv[optind] : "config", _("expected: config check"));
    const char *env = getenv("AKWATCH_CONFIG");
    char *path = ctx->config_path ? xstrdup(ctx->config_path)
                 : env && *env    ? xstrdup(env)
                                  : akw_default_config_path();
    struct stat sb;
    if (!ctx->config_path && !(env && *env) && stat(path, &sb) != 0) {
        printf(_("ok: %s does not exist; the defaults apply\n"), path);
        free(path);
        return CLI_OK;
    }
    struct akw_err err = {0};
    enum akw_status st = config_check(path, on_error, NULL, &err);
    if (st == AKW_OK && ctx->api_url && config_check_url(ctx->api_url)) {
        char *msg = xasprintf("--api-url: %s", _(config_check_url(ctx->api_url)));
        on_error(msg, NULL);
        free(msg);
        st = AKW_ERR_PARSE;
    }
    if (st == AKW_OK)
        printf(_("ok: %s\n"), path);
    else if (st != AKW_ERR_PARSE)
        cli_fail_err(&err);
    free(path);
    return st == AKW_OK ? CLI_OK : CLI_ERROR;
}

const struct cli_command cli_cmd_config = {
    "config",
    config_main,
    N_("check the configuration file"),
    N_("config check"),
    N_("Validates every key of the configuration (--config, else $AKWATCH_CONFIG, else\n"
       "$XDG_CONFIG_HOME/akwatch/config): unknown sections and keys, on/off values, sizes,\n"
       "the notification window HH:MM-HH:MM, days, time zone, URLs (https, or http only to\n"
       "loopback) and the environment overrides. Prints \"ok: PATH\", or one line\n"
       "\"file:line: [section] key: message\" per problem and exit status 2.\n"),
};
