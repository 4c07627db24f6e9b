/* store_roles — `akwatch store roles [--apply] [--prefix P]`: the least-privilege group
 * roles of a PostgreSQL store (the grants are store/roles.c's data): print the SQL, or run
 * it as the store's owner. A SQLite store has no roles: one line, exit 2, no file made.
 */
#include "config.h"

#include <stdlib.h>

#include "cli/cli_int.h"

int
cli_store_roles(struct cli_ctx *ctx, int argc, const char *prefix, int apply)
{
    if (argc - optind != 1)
        return cli_usage_error(ctx, "store roles", _("takes no argument (the store is --db)"));
    if (!prefix)
        prefix = "akwatch";
    if (!store_roles_prefix_ok(prefix))
        return cli_fail(_("--prefix %s: lower-case letters, digits and _ (up to 40), not "
                          "starting with a digit"),
                        prefix);
    char *loc = cli_db_path(ctx);
    int server = store_location_is_server(loc);
    free(loc);
    if (!server)
        return cli_fail("%s", _("store roles: roles need a PostgreSQL store (--db "
                                "postgresql://...); a SQLite file has none"));
    struct store *st = NULL;
    /* read-write: the schema is brought up to date first, as the grants name it */
    if (cli_store(ctx, 0, 0, &st))
        return CLI_ERROR;
    struct akw_err err = {0};
    char *sql = NULL;
    enum akw_status s = store_roles_script(st, prefix, &sql, &err);
    if (s == AKW_OK && apply)
        s = store_roles_apply(st, sql, &err);
    int rc = CLI_OK;
    if (s != AKW_OK)
        rc = cli_fail_err(&err);
    else if (!apply)
        fputs(sql, stdout);
    else if (!ctx->quiet)
        printf(_("Roles %s_watcher, %s_analyst and %s_viewer are made on %s; make each "
                 "login role a member of one: GRANT %s_analyst TO alice;\n"),
               prefix, prefix, prefix, cli_safe(store_name(st)), prefix);
    free(sql);
    store_close(st);
    return rc;
}
