/* common — what every subcommand shares: one-line errors, the configuration, the store
 * and the rules opened the same way everywhere, and who is acting (for the audit log).
 */
#include "config.h"
#include "cli/cli_int.h"

#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
cli_fail(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* one line, whatever a path or git's message held */
    fprintf(stderr, "akwatch: %s\n", cli_safe(msg));
    return CLI_ERROR;
}

int
cli_fail_err(const struct akw_err *err)
{
    return cli_fail("%s", err->msg[0] ? err->msg : _("unknown error"));
}

/* Which configuration file, and whether it must exist (named by --config or
 * AKWATCH_CONFIG). Caller frees. */
static char *
config_file_path(const struct cli_ctx *ctx, int *must_exist)
{
    const char *env = getenv("AKWATCH_CONFIG");
    *must_exist = 1;
    if (ctx->config_path)
        return xstrdup(ctx->config_path);
    if (env && *env)
        return xstrdup(env);
    *must_exist = 0;
    return akw_default_config_path();
}

int
cli_config(struct cli_ctx *ctx, const struct config **out)
{
    if (!ctx->cfg_loaded) {
        int must_exist = 1;
        char *path = config_file_path(ctx, &must_exist);
        struct akw_err err = {0};
        enum akw_status rc = config_load(path, must_exist, &ctx->cfg, &err);
        free(path);
        if (rc != AKW_OK) {
            config_done(&ctx->cfg);
            return cli_fail_err(&err);
        }
        if (ctx->api_url) {
            const char *why = config_check_url(ctx->api_url);
            if (why) {
                config_done(&ctx->cfg);
                return cli_fail("--api-url: %s (%s)", _(why), ctx->api_url);
            }
            free(ctx->cfg.api_url);
            ctx->cfg.api_url = xstrdup(ctx->api_url);
        }
        ctx->cfg_loaded = 1;
    }
    *out = &ctx->cfg;
    return 0;
}

char *
cli_db_path(struct cli_ctx *ctx)
{
    /* --db, then AKWATCH_DB, then [store] url, then the default file. A configuration
     * that does not load is said by the command that reads it; here it only has no url. */
    const char *env = getenv("AKWATCH_DB");
    if (ctx->db_path)
        return xstrdup(ctx->db_path);
    if (!(env && *env)) {
        int must_exist = 0;
        char *path = config_file_path(ctx, &must_exist);
        struct config cfg;
        struct akw_err err = {0};
        char *url = NULL;
        if (config_load(path, must_exist, &cfg, &err) == AKW_OK && cfg.store_url &&
            *cfg.store_url)
            url = xstrdup(cfg.store_url);
        config_done(&cfg);
        free(path);
        if (url)
            return url;
    }
    return akw_default_db_path();
}

int
cli_store(struct cli_ctx *ctx, int existing_only, int readonly, struct store **out)
{
    char *path = cli_db_path(ctx);
    struct stat sb;
    *out = NULL;
    /* a URL names a server's store: it is always opened (and a bad one said so) */
    if (existing_only && !store_location_is_url(path) && stat(path, &sb) != 0 &&
        errno == ENOENT) {
        free(path);
        return 0;
    }
    struct akw_err err = {0};
    enum akw_status rc = store_open(path, readonly ? STORE_OPEN_READONLY : 0, out, &err);
    free(path);
    if (rc != AKW_OK) {
        *out = NULL;
        return cli_fail_err(&err);
    }
    return 0;
}

static int
rules_load(int meta, struct detect_ruleset **out)
{
    char *dir = xasprintf("%s/rules", akw_data_dir());
    struct akw_err err = {0};
    enum akw_status rc = meta ? detect_rules_load_meta(dir, out, &err)
                              : detect_rules_load(dir, out, &err);
    free(dir);
    return rc == AKW_OK ? 0 : cli_fail_err(&err);
}

int
cli_rules(struct detect_ruleset **out)
{
    return rules_load(0, out);
}

int
cli_rules_meta(struct detect_ruleset **out)
{
    return rules_load(1, out);
}

const char *
cli_who(void)
{
    static char who[64];
    if (who[0])
        return who;
    const char *user = getenv("USER");
    struct passwd *pw;
    if (user && *user)
        snprintf(who, sizeof who, "%s", user);
    else if ((pw = getpwuid(getuid())) != NULL)
        snprintf(who, sizeof who, "%s", pw->pw_name);
    else
        snprintf(who, sizeof who, "uid %u", (unsigned)getuid());
    return who;
}

int
cli_parse_id(struct cli_ctx *ctx, const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v <= 0)
        return cli_usage_error(ctx, s, _("not a leak id (a positive number, see akwatch list)"));
    *out = (int64_t)v;
    return 0;
}

int
cli_choice(struct cli_ctx *ctx, const char *opt, const char *name, const char *const *names,
           int *out)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return 0;
        }
    struct buf b;
    buf_init(&b);
    buf_printf(&b, _("'%s' is not one of"), name);
    for (int i = 0; names[i]; i++)
        buf_printf(&b, "%s %s", i ? "," : "", names[i]);
    int rc = cli_usage_error(ctx, opt, b.data);
    buf_done(&b);
    return rc;
}

int
cli_confidence_option(struct cli_ctx *ctx, const char *opt, const char *name, int *out)
{
    static const char *const names[] = {"low", "medium", "high", NULL};
    int i;
    if (cli_choice(ctx, opt, name, names, &i))
        return CLI_ERROR;
    *out = CONFIDENCE_LOW + i;
    return 0;
}

const char *
cli_time(time_t t)
{
    static char out[32];
    akw_time_iso(t, out);
    return out;
}
