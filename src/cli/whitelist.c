/* whitelist — `akwatch whitelist add|remove|list`: whitelisted AccessKey IDs (their leaks,
 * now and future, are whitelisted and never alert) and "cancel whitelist".
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli_int.h"

/* An AK ID or fingerprint as typed: printable, no spaces, sane length. */
static int
valid_key(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 128)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isgraph((unsigned char)*p))
            return 0;
    return 1;
}

static int
wl_list(struct cli_ctx *ctx, struct store *st, int fmt)
{
    struct whitelist_entry *e = NULL;
    size_t n = 0;
    struct akw_err err = {0};
    if (st && store_whitelist_list(st, &e, &n, &err) != AKW_OK)
        return cli_fail_err(&err);
    (void)ctx;
    if (fmt == 1) {
        for (size_t i = 0; i < n; i++) {
            json_object *j = json_object_new_object();
            json_object_object_add(j, "ak_id", json_str_new(e[i].ak_id));
            json_object_object_add(j, "fingerprint",
                                   json_str_new(e[i].fingerprint));
            json_object_object_add(j, "reason", json_str_new(e[i].reason));
            json_object_object_add(j, "who", json_str_new(e[i].who));
            json_object_object_add(j, "added_at", e[i].added_at ? json_str_new(cli_time(e[i].added_at)) : NULL);
            json_object_object_add(j, "leaks", json_object_new_int64(e[i].n_leaks));
            cli_json_line(stdout, j);
            json_object_put(j);
        }
    } else if (n == 0) {
        printf("%s\n", _("The whitelist is empty."));
    } else {
        struct cli_table *t = cli_table_new(5);
        const char *head[] = {_("AK ID / FINGERPRINT"), _("LEAKS"), _("ADDED"), _("BY"), _("REASON")};
        cli_table_add(t, head);
        for (size_t i = 0; i < n; i++) {
            char leaks[24], added[32];
            snprintf(leaks, sizeof leaks, "%ld", e[i].n_leaks);
            akw_time_iso(e[i].added_at, added);
            const char *row[] = {e[i].ak_id ? e[i].ak_id : e[i].fingerprint, leaks, added,
                                 e[i].who, e[i].reason};
            cli_table_add(t, row);
        }
        cli_table_print(t, stdout);
        cli_table_free(t);
    }
    store_whitelist_free(e, n);
    return 0;
}

static int
whitelist_main(struct cli_ctx *ctx, int argc, char **argv)
{
    // clang-format off
    static const struct option opts[] = {
        {"reason", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},
        {0, 0, 0, 0},
    };
    // clang-format on
    static const char *const verbs[] = {"add", "remove", "list", NULL};
    static const char *const formats[] = {"table", "json", NULL};
    const char *reason = NULL;
    int rc = 0, c, fmt = 0, verb;
    while ((c = cli_getopt(ctx, argc, argv, "r:f:", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'r')
            reason = optarg;
        else if (c == 'f' && cli_choice(ctx, "--format", optarg, formats, &fmt))
            return CLI_ERROR;
    }
    if (optind >= argc)
        return cli_usage_error(ctx, "whitelist", _("expected add, remove or list"));
    if (cli_choice(ctx, "whitelist", argv[optind], verbs, &verb))
        return CLI_ERROR;
    int want_args = verb == 2 ? 0 : 1;
    if (argc - optind - 1 != want_args)
        return cli_usage_error(ctx, argv[optind],
                               want_args ? _("expected one AccessKey ID") : _("takes no argument"));
    const char *key = want_args ? argv[optind + 1] : NULL;
    if (key && !valid_key(key))
        return cli_usage_error(ctx, key, _("not an AccessKey ID or fingerprint"));
    const struct config *cfg; /* a bad configuration is an error for every command */
    if (cli_config(ctx, &cfg))
        return CLI_ERROR;
    struct store *st;
    /* add may create the store; remove and list never do */
    if (cli_store(ctx, verb != 0, verb == 2, &st))
        return CLI_ERROR;
    struct akw_err err = {0};
    if (verb == 2)
        rc = wl_list(ctx, st, fmt);
    else if (!st)
        rc = cli_fail(_("%s: not whitelisted"), key);
    else if (verb == 0 && store_whitelist_add(st, key, reason, cli_who(), &err) != AKW_OK)
        rc = cli_fail_err(&err);
    else if (verb == 1 && store_whitelist_remove(st, key, cli_who(), &err) != AKW_OK)
        rc = cli_fail_err(&err);
    else if (!ctx->quiet)
        printf(verb == 0 ? _("%s: whitelisted\n") : _("%s: whitelist cancelled; its leaks are unhandled again\n"), key);
    store_close(st);
    return rc;
}

const struct cli_command cli_cmd_whitelist = {
    "whitelist",
    whitelist_main,
    N_("whitelist AccessKey IDs, cancel a whitelist, list the whitelist"),
    N_("whitelist add AK_ID [--reason TEXT] | remove AK_ID|FINGERPRINT | list [--format table|json]"),
    N_("  add AK_ID        whitelist an AccessKey ID: every leak naming it, now and in future,\n"
       "                   is whitelisted and never alerts (--reason TEXT is kept with it)\n"
       "  remove KEY       cancel the whitelist of an AccessKey ID or a leak fingerprint: its\n"
       "                   leaks return to unhandled\n"
       "  list             the whitelist, with how many leaks each entry covers\n"
       "\n"
       "Every change is written to the audit log with who ($USER) and when.\n"),
};
