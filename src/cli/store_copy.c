/* store_copy — `akwatch store copy FROM TO`: move a store between a SQLite file and a
 * PostgreSQL server (or between two of either) with store_copy(), and print what it did
 * table by table and what it checked. The `store` command's verbs are dispatched here
 * (roles: store_roles.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_int.h"

static void
print_report(const struct store *from, const struct store *to,
             const struct store_copy_report *rep)
{
    printf(_("Copied %s (%s) into %s (%s):\n"), cli_safe(store_name(from)), store_backend(from),
           cli_safe(store_name(to)), store_backend(to));
    struct cli_table *t = cli_table_new(5);
    const char *head[] = {_("TABLE"), _("IN FROM"), _("COPIED"), _("ALREADY IN TO"),
                          _("NOW IN TO")};
    cli_table_add(t, head);
    for (size_t i = 0; i < STORE_COPY_TABLES; i++) {
        const struct store_copy_table *x = &rep->tables[i];
        char n[4][24];
        snprintf(n[0], sizeof n[0], "%ld", x->from);
        snprintf(n[1], sizeof n[1], "%ld", x->copied);
        snprintf(n[2], sizeof n[2], "%ld", x->present);
        snprintf(n[3], sizeof n[3], "%ld", x->to_after);
        const char *row[] = {x->name, n[0], n[1], n[2], n[3]};
        cli_table_add(t, row);
    }
    cli_table_print(t, stdout);
    cli_table_free(t);
    printf(_("Checked: all %ld fingerprints of FROM are in TO, and every table's count adds "
             "up.\n"),
           rep->fingerprints);
    if (rep->tables[0].copied && rep->tables[0].kept_ids)
        printf("%s\n", _("The leaks kept their ids."));
    else if (rep->tables[0].copied)
        printf("%s\n", _("TO held leaks already: the leaks copied got new ids."));
    if (rep->other_decision)
        printf(_("%ld leaks were in TO already with another decision: TO's decision was "
                 "kept.\n"),
               rep->other_decision);
}

/* A store file that did not exist before the copy failed: take it away again. */
static void
remove_created(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char *p = xasprintf("%s%s", path, suffix[i]);
        unlink(p);
        free(p);
    }
}

static int
store_copy_main(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc - optind != 3)
        return cli_usage_error(ctx, "store copy", _("expected FROM and TO (a file or a URL)"));
    const char *from_loc = argv[optind + 1], *to_loc = argv[optind + 2];
    struct stat sb;
    int to_is_new = !store_location_is_url(to_loc) && stat(to_loc, &sb) != 0 && errno == ENOENT;
    struct store *from = NULL, *to = NULL;
    struct akw_err err = {0};
    if (store_open(from_loc, STORE_OPEN_READONLY, &from, &err) != AKW_OK)
        return cli_fail_err(&err);
    if (store_open(to_loc, 0, &to, &err) != AKW_OK) {
        store_close(from);
        if (to_is_new)
            remove_created(to_loc);
        return cli_fail_err(&err);
    }
    struct store_copy_report rep;
    enum akw_status s = store_copy(from, to, &rep, &err);
    int rc = CLI_OK;
    if (s != AKW_OK)
        rc = cli_fail_err(&err);
    else if (!ctx->quiet)
        print_report(from, to, &rep);
    store_close(from);
    store_close(to);
    if (rc != CLI_OK && to_is_new)
        remove_created(to_loc);
    return rc;
}

static int
store_main(struct cli_ctx *ctx, int argc, char **argv)
{
    static const char *const verbs[] = {"copy", "roles", NULL};
    // clang-format off
    static const struct option opts[] = {
        {"prefix", required_argument, NULL, 'p'},
        {"apply", no_argument, NULL, 'a'},
        {0, 0, 0, 0},
    };
    // clang-format on
    const char *prefix = NULL;
    int rc = 0, c, verb, apply = 0;
    while ((c = cli_getopt(ctx, argc, argv, "", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'p')
            prefix = optarg;
        else if (c == 'a')
            apply = 1;
    }
    if (optind >= argc)
        return cli_usage_error(ctx, "store", _("expected copy or roles"));
    if (cli_choice(ctx, "store", argv[optind], verbs, &verb))
        return CLI_ERROR;
    if (verb == 1)
        return cli_store_roles(ctx, argc, prefix, apply);
    if (prefix || apply)
        return cli_usage_error(ctx, "store copy", _("--prefix and --apply are for store roles"));
    return store_copy_main(ctx, argc, argv);
}

const struct cli_command cli_cmd_store = {
    "store",
    store_main,
    N_("copy a store between SQLite and PostgreSQL; least-privilege roles"),
    N_("store copy FROM TO | store roles [--apply] [--prefix P]"),
    N_("  copy FROM TO     copy every leak, location, decision, audit row, whitelist entry,\n"
       "                   alert, call, access-log request, verification outcome and scan\n"
       "                   state of store FROM into store TO (each a file or a postgresql://\n"
       "                   URL; TO is created when missing). Rows are matched on what they\n"
       "                   are (a leak on its fingerprint), not on ids: a second copy adds\n"
       "                   nothing, and a leak TO holds already keeps TO's decision. One\n"
       "                   transaction: TO changes only when the counts and fingerprints\n"
       "                   check out. FROM is only read.\n"
       "  roles            print the SQL that creates three NOLOGIN group roles on the --db\n"
       "                   PostgreSQL store and grants each only what it needs:\n"
       "                   P_watcher (record findings and scan state, no triage),\n"
       "                   P_analyst (triage, whitelist, export), P_viewer (read and\n"
       "                   export). Then GRANT akwatch_analyst TO alice; and so on.\n"
       "  --apply          run it (as the store's owner) instead of printing it\n"
       "  --prefix P       name the roles P_watcher, ... (default akwatch)\n"),
};
