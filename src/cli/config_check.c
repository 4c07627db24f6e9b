/* config_check — `akwatch config check`: validate every key of the configuration against
 * the same table the loader uses, and the [keys] bindings with the TUI's own names, print
 * each problem as file:line, or "ok: PATH".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli_int.h"
#include "ui/ui.h"

static void
on_error(const char *msg, void *user)
{
    (void)user;
    fprintf(stderr, "akwatch: %s\n", msg);
}

/* Tokens and webhook URLs are credentials too: say so when others can read the file.
 * A warning, not an error: the configuration itself is valid. */
static void
warn_if_readable(const char *path)
{
    struct stat sb;
    struct config cfg;
    struct akw_err err = {0};
    if (stat(path, &sb) != 0 || !(sb.st_mode & 077))
        return;
    if (config_load(path, 1, &cfg, &err) == AKW_OK) {
        const char *env = getenv("GITHUB_TOKEN");
        size_t from_file = cfg.tokens.n - (env && *env && cfg.tokens.n ? 1 : 0);
        if (from_file > 0 || cfg.webhook || cfg.webhook_secret)
            fprintf(stderr, _("akwatch: %s: warning: holds tokens or a webhook URL but is readable "
                              "by others (mode %03o); run chmod 600 %s\n"),
                    cli_safe(path), (unsigned)(sb.st_mode & 0777), cli_safe(path));
    }
    config_done(&cfg);
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
    if (st == AKW_OK) { /* the names in [keys] bind lines: the TUI's, as it starts */
        struct config cfg;
        if (config_load(path, 1, &cfg, &err) == AKW_OK && ui_keys_check(&cfg, on_error, NULL))
            st = AKW_ERR_PARSE;
        config_done(&cfg);
        akw_err_clear(&err);
    }
    if (st == AKW_OK) {
        warn_if_readable(path);
        printf(_("ok: %s\n"), path);
    }
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
