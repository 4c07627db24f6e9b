/* watchers — `akwatch watchers`: who runs which GitHub source on this store (the leases of
 * several `akwatch watch` on one store, team mode), since when, until when, and each one's
 * token budget at its last renewal. Reads only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli_int.h"

static void
print_json(const struct lease *l, size_t n, time_t now)
{
    for (size_t i = 0; i < n; i++) {
        json_object *j = json_object_new_object();
        json_object_object_add(j, "source", json_str_new(l[i].source));
        json_object_object_add(j, "owner", json_str_new(l[i].owner));
        json_object_object_add(j, "since", json_str_new(cli_time(l[i].since)));
        json_object_object_add(j, "expires", json_str_new(cli_time(l[i].expires)));
        json_object_object_add(j, "expired", json_object_new_boolean(l[i].expires <= now));
        json_object_object_add(j, "budget",
                               l[i].budget && *l[i].budget ? json_str_new(l[i].budget) : NULL);
        cli_json_line(stdout, j);
        json_object_put(j);
    }
}

static void
print_table(const struct lease *l, size_t n, time_t now)
{
    struct cli_table *t = cli_table_new(5);
    const char *head[] = {_("SOURCE"), _("WATCHER"), _("SINCE"), _("UNTIL"), _("TOKEN BUDGET")};
    cli_table_add(t, head);
    for (size_t i = 0; i < n; i++) {
        char since[32], until[64];
        akw_time_iso(l[i].since, since);
        akw_time_iso(l[i].expires, until);
        if (l[i].expires <= now)
            snprintf(until + 20, sizeof until - 20, " %s", _("(expired)"));
        const char *row[] = {l[i].source, l[i].owner, since, until,
                             l[i].budget && *l[i].budget ? l[i].budget : "-"};
        cli_table_add(t, row);
    }
    cli_table_print(t, stdout);
    cli_table_free(t);
}

static int
watchers_main(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    int code, c, json = 0;
    while ((c = cli_getopt(ctx, argc, argv, "", opts, &code)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return code;
        if (c == 'f' && strcmp(optarg, "json") == 0)
            json = 1;
        else if (c == 'f' && strcmp(optarg, "table") != 0)
            return cli_usage_error(ctx, "--format", _("--format: table or json"));
    }
    if (optind < argc)
        return cli_usage_error(ctx, argv[optind], _("watchers takes no arguments"));
    struct store *st = NULL;
    int rc = cli_store(ctx, 1, 1, &st);
    if (rc)
        return rc;
    struct lease *l = NULL;
    size_t n = 0;
    struct akw_err err = {0};
    if (st && store_leases_list(st, &l, &n, &err) != AKW_OK) {
        store_close(st);
        return cli_fail_err(&err);
    }
    if (n == 0 && !json)
        printf("%s\n", _("No watcher holds a source."));
    else if (json)
        print_json(l, n, akw_now());
    else
        print_table(l, n, akw_now());
    store_leases_free(l, n);
    store_close(st);
    return 0;
}

const struct cli_command cli_cmd_watchers = {
    "watchers",
    watchers_main,
    N_("list which watcher runs which GitHub source on this store (team mode)"),
    N_("watchers [--format table|json]"),
    N_("Several `akwatch watch` may share one store (a PostgreSQL database, or one file):\n"
       "each GitHub source (repos, events, search) is leased by one of them at a time, the\n"
       "lease renewed while it runs and given back when it stops. A watcher killed without\n"
       "stopping keeps its leases until they expire after [team] lease_seconds (default\n"
       "120), then another takes the source over from the stored cursor. This lists each\n"
       "lease: the source, the watcher (host:pid), since when, until when (expired ones\n"
       "marked) and that watcher's token budget at its last renewal.\n"),
};
