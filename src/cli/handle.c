/* handle — `akwatch handle ID --as deleted|disabled|whitelisted|reopened [--note TEXT]`: one
 * triage decision, applied and audit-logged by the store in one transaction.
 */
#include "config.h"

#include <string.h>

#include "cli/cli_int.h"

static int
handle_main(struct cli_ctx *ctx, int argc, char **argv)
{
    // clang-format off
    static const struct option opts[] = {
        {"as",   required_argument, NULL, 'a'},
        {"note", required_argument, NULL, 'n'},
        {0, 0, 0, 0},
    };
    // clang-format on
    static const char *const actions[] = {"deleted", "disabled", "whitelisted", "reopened", NULL};
    const char *as = NULL, *note = NULL;
    int rc = 0, c;
    while ((c = cli_getopt(ctx, argc, argv, "a:n:", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'a')
            as = optarg;
        else if (c == 'n')
            note = optarg;
    }
    if (argc - optind != 1)
        return cli_usage_error(ctx, "handle", _("expected one leak ID"));
    int64_t id;
    if (cli_parse_id(ctx, argv[optind], &id))
        return CLI_ERROR;
    if (!as)
        return cli_usage_error(ctx, "--as", _("missing: deleted, disabled, whitelisted or reopened"));
    int idx;
    enum triage_action action;
    if (cli_choice(ctx, "--as", as, actions, &idx) || triage_action_parse(as, &action) != 0)
        return CLI_ERROR;
    const struct config *cfg; /* a bad configuration is an error for every command */
    if (cli_config(ctx, &cfg))
        return CLI_ERROR;
    struct store *st;
    if (cli_store(ctx, 1, 0, &st))
        return CLI_ERROR;
    if (!st) /* no store yet: nothing to handle, and nothing is created */
        return cli_fail(_("no leak with id %lld"), (long long)id);
    struct akw_err err = {0};
    struct leak l;
    memset(&l, 0, sizeof l);
    if (store_handle(st, id, action, note, cli_who(), &err) != AKW_OK
        || store_leak_get(st, id, &l, &err) != AKW_OK)
        rc = cli_fail_err(&err);
    else if (!ctx->quiet) {
        const char *status = leak_status_name(l.status);
        if (l.handled_as != HANDLED_NONE)
            printf(_("leak %lld: %s (%s)\n"), (long long)id, _(status),
                   cli_handled_as(l.handled_as));
        else
            printf(_("leak %lld: %s\n"), (long long)id, _(status));
        if (action == TRIAGE_WHITELISTED && l.ak_id)
            printf(_("AccessKey ID %s is whitelisted: its future findings will not alert.\n"),
                   l.ak_id);
    }
    leak_done(&l);
    store_close(st);
    return rc;
}

const struct cli_command cli_cmd_handle = {
    "handle",
    handle_main,
    N_("record a triage decision for a leak"),
    N_("handle ID --as deleted|disabled|whitelisted|reopened [--note TEXT]"),
    N_("Records what was done about the leak ID, with who ($USER) and when, in the audit log.\n"
       "\n"
       "  --as deleted      the secret was deleted manually      -> handled\n"
       "  --as disabled     the key was disabled manually        -> handled\n"
       "  --as whitelisted  add to the whitelist (with its AccessKey ID, so future findings\n"
       "                    of that key are whitelisted too)     -> whitelisted\n"
       "  --as reopened     back to unhandled; on a whitelisted leak this cancels the\n"
       "                    whitelist\n"
       "  --note TEXT       a note kept with the decision\n"
       "\n"
       "A handled leak seen again in a new place is reopened automatically by the next scan.\n"),
};
