/* roles — least privilege on a PostgreSQL store (`akwatch store roles`): the grants of the
 * three group roles as data (role, object, privileges, what they are for), the SQL script
 * that creates the roles and grants them, the session's roles as read at open, and the
 * one line a refused statement becomes ("role victor (akwatch_viewer) may not update
 * leaks: triage needs akwatch_analyst"). The schema is migrate_pg.c's. */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* The roles, by the suffix of their names (PREFIX_watcher ...). */
enum role { ROLE_WATCHER, ROLE_ANALYST, ROLE_VIEWER, ROLE__COUNT };

static const char *const role_suffix[ROLE__COUNT] = {"watcher", "analyst", "viewer"};

/* Every table and view: each role reads them all (a watcher's upserts read, the viewer's
 * exports read everything). */
static const char *const readable[] = {
    "meta",   "leaks",     "locations", "calls",  "access_requests", "alerts",     "whitelist",
    "actions", "scan_state", "leases",  "leak_count_log", "row_count_log", "leak_counts",
    "row_counts",
};

/* What each role may change beyond reading. kind is GRANT's object kind; privs is GRANT's
 * list (a column list limits the privilege before it); why says what needs it. */
/* clang-format off */
static const struct grant {
    enum role role;
    const char *kind, *object, *privs;
    const char *why; /* N_() */
} grants[] = {
    {ROLE_ANALYST, "TABLE", "leaks", "UPDATE (status, handled_as, note, handled_at, verified,"
                                     " verified_at, verified_identity, verify_error)",
     N_("triage")},
    {ROLE_ANALYST, "TABLE", "actions", "INSERT", N_("triage")},
    {ROLE_ANALYST, "TABLE", "whitelist", "INSERT, DELETE", N_("whitelisting")},
    {ROLE_ANALYST, "TABLE", "leak_count_log", "INSERT, DELETE", N_("triage")},
    {ROLE_ANALYST, "TABLE", "row_count_log", "INSERT, DELETE", N_("triage")},
    {ROLE_ANALYST, "SEQUENCE", "actions_id_seq", "USAGE", N_("triage")},
    {ROLE_ANALYST, "SEQUENCE", "whitelist_id_seq", "USAGE", N_("whitelisting")},
    {ROLE_WATCHER, "TABLE", "leaks", "INSERT, UPDATE (last_seen, severity, owned, ak_id, secret,"
                                     " confidence, verified, verified_at, verified_identity,"
                                     " verify_error)", N_("recording findings")},
    {ROLE_WATCHER, "TABLE", "locations", "INSERT", N_("recording findings")},
    {ROLE_WATCHER, "TABLE", "calls", "INSERT", N_("recording findings")},
    {ROLE_WATCHER, "TABLE", "access_requests", "INSERT", N_("recording findings")},
    {ROLE_WATCHER, "TABLE", "alerts", "INSERT, UPDATE", N_("sending alerts")},
    {ROLE_WATCHER, "TABLE", "scan_state", "INSERT, UPDATE", N_("keeping scan state")},
    {ROLE_WATCHER, "TABLE", "leases", "INSERT, UPDATE, DELETE", N_("leasing sources")},
    {ROLE_WATCHER, "TABLE", "actions", "INSERT", N_("recording findings")},
    {ROLE_WATCHER, "TABLE", "leak_count_log", "INSERT, DELETE", N_("recording findings")},
    {ROLE_WATCHER, "TABLE", "row_count_log", "INSERT, DELETE", N_("recording findings")},
    {ROLE_WATCHER, "SEQUENCE", "leaks_id_seq", "USAGE", N_("recording findings")},
    {ROLE_WATCHER, "SEQUENCE", "locations_id_seq", "USAGE", N_("recording findings")},
    {ROLE_WATCHER, "SEQUENCE", "calls_id_seq", "USAGE", N_("recording findings")},
    {ROLE_WATCHER, "SEQUENCE", "access_requests_id_seq", "USAGE", N_("recording findings")},
    {ROLE_WATCHER, "SEQUENCE", "alerts_id_seq", "USAGE", N_("sending alerts")},
    {ROLE_WATCHER, "SEQUENCE", "actions_id_seq", "USAGE", N_("recording findings")},
    /* a handled leak found in a new place is reopened by the server (migrate_pg.c) */
    {ROLE_WATCHER, "PROCEDURE", "akw_reopen(BIGINT, TEXT)", "EXECUTE", N_("recording findings")},
};
/* clang-format on */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

int
store_roles_prefix_ok(const char *prefix)
{
    if (!prefix || !*prefix || strlen(prefix) > 40 || (*prefix >= '0' && *prefix <= '9'))
        return 0;
    for (const char *p = prefix; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

static char *
roles_sql(const char *prefix, const char *schema)
{
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "-- akwatch: least privilege on schema \"%s\" (run by its owner)\n"
                   "-- then make each person's login role a member of one of them:\n"
                   "--   GRANT %s_analyst TO alice;  GRANT %s_viewer TO victor;"
                   "  GRANT %s_watcher TO walt;\n"
                   "BEGIN;\n",
               schema, prefix, prefix, prefix);
    for (int r = 0; r < ROLE__COUNT; r++)
        buf_printf(&b, "DO $$ BEGIN CREATE ROLE %s_%s NOLOGIN; EXCEPTION WHEN duplicate_object"
                       " THEN NULL; END $$;\n",
                   prefix, role_suffix[r]);
    for (int r = 0; r < ROLE__COUNT; r++) {
        const char *n = role_suffix[r];
        /* what the role had before is taken away: the grants below are all it has */
        buf_printf(&b, "REVOKE ALL ON ALL TABLES IN SCHEMA \"%s\" FROM %s_%s;\n", schema,
                   prefix, n);
        buf_printf(&b, "REVOKE ALL ON ALL SEQUENCES IN SCHEMA \"%s\" FROM %s_%s;\n", schema,
                   prefix, n);
        buf_printf(&b, "REVOKE ALL ON ALL PROCEDURES IN SCHEMA \"%s\" FROM %s_%s;\n", schema,
                   prefix, n);
        buf_printf(&b, "GRANT USAGE ON SCHEMA \"%s\" TO %s_%s;\n", schema, prefix, n);
        buf_printf(&b, "GRANT SELECT ON TABLE ");
        for (size_t i = 0; i < N_OF(readable); i++)
            buf_printf(&b, "%s%s", i ? ", " : "", readable[i]);
        buf_printf(&b, " TO %s_%s;\n", prefix, n);
        for (size_t i = 0; i < N_OF(grants); i++)
            if ((int)grants[i].role == r)
                buf_printf(&b, "GRANT %s ON %s %s TO %s_%s;\n", grants[i].privs, grants[i].kind,
                           grants[i].object, prefix, n);
    }
    buf_printf(&b, "COMMIT;\n");
    return buf_steal(&b);
}

enum akw_status
store_roles_script(struct store *st, const char *prefix, char **out, struct akw_err *err)
{
    *out = NULL;
    if (!st->db->dialect->role_sql)
        return akw_err_set(err, AKW_ERR_USAGE,
                           _("%s: roles need a PostgreSQL store (this is a SQLite file)"),
                           st->path);
    if (!store_roles_prefix_ok(prefix))
        return akw_err_set(err, AKW_ERR_USAGE,
                           _("--prefix %s: lower-case letters, digits and _ (up to 40), not "
                             "starting with a digit"),
                           prefix ? prefix : "");
    struct drv_stmt *s = store_stmt_dyn(st, "SELECT current_schema()", err);
    if (!s)
        return AKW_ERR_DB;
    if (drv_step(s) != DRV_ROW || !drv_col_text(s, 0))
        return store_sqlerr(st, err, "reading the schema");
    const char *schema = drv_col_text(s, 0);
    if (strchr(schema, '"'))
        return akw_err_set(err, AKW_ERR_USAGE, _("%s: a schema name with a quote"), st->path);
    *out = roles_sql(prefix, schema);
    drv_reset(s);
    return AKW_OK;
}

enum akw_status
store_roles_apply(struct store *st, const char *script, struct akw_err *err)
{
    if (drv_exec(st->db, script) != 0) {
        enum akw_status s = akw_err_set(err, AKW_ERR_DB, _("%s: the roles were not made: %s"),
                                        st->path, drv_errmsg(st->db));
        if (drv_in_tx(st->db))
            drv_exec(st->db, "ROLLBACK");
        return s;
    }
    return AKW_OK;
}

/* The privilege word of GRANT for what the driver says a statement needed. */
static const char *
grant_word(const char *priv)
{
    static const char *const map[][2] = {
        {"read", "SELECT"}, {"insert", "INSERT"}, {"update", "UPDATE"},
        {"delete", "DELETE"}, {"execute", "EXECUTE"}, {"use", "USAGE"},
    };
    for (size_t i = 0; i < N_OF(map); i++)
        if (strcmp(priv, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* Is role (a suffix) among the session's groups ("akwatch_analyst,akwatch_viewer")? */
static int
member_of(const char *groups, const char *prefix, const char *suffix)
{
    char *want = xasprintf("%s_%s", prefix, suffix);
    size_t n = strlen(want);
    int yes = 0;
    for (const char *p = groups; p && *p && !yes;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        yes = len == n && strncmp(p, want, n) == 0;
        p = end ? end + 1 : p + len;
    }
    free(want);
    return yes;
}

/* The prefix of the first of the session's groups, or "akwatch". Caller frees. */
static char *
groups_prefix(const char *groups)
{
    if (groups && *groups) {
        const char *end = strchr(groups, ',');
        size_t len = end ? (size_t)(end - groups) : strlen(groups);
        const char *us = groups + len;
        while (us > groups && us[-1] != '_')
            us--;
        if (us > groups + 1)
            return xstrndup(groups, (size_t)(us - groups - 1));
    }
    return xstrdup("akwatch");
}

/* Does the privilege word in privs cover column col ("UPDATE (a, b)" names its columns;
 * a bare "UPDATE" covers all; col "" is any)? */
static int
covers(const char *privs, const char *word, const char *col)
{
    const char *w = strstr(privs, word);
    if (!w)
        return 0;
    w += strlen(word);
    if (strncmp(w, " (", 2) != 0 || !*col)
        return 1;
    const char *end = strchr(w, ')');
    size_t n = strlen(col);
    for (const char *c = w + 2; c && c < end; c = strchr(c, ',')) {
        while (*c == ',' || *c == ' ')
            c++;
        if (strncmp(c, col, n) == 0 && strchr(",)", c[n]))
            return 1;
    }
    return 0;
}

/* Which grant gives priv on object (column col) to a role the session is not in: the
 * first such row. */
static const struct grant *
needed_grant(const char *groups, const char *prefix, const char *priv, const char *object,
             const char *col)
{
    const char *word = grant_word(priv);
    if (!word)
        return NULL;
    for (size_t i = 0; i < N_OF(grants); i++) {
        const struct grant *g = &grants[i];
        size_t on = strlen(object);
        if (strncmp(g->object, object, on) != 0 || (g->object[on] && g->object[on] != '('))
            continue;
        if (covers(g->privs, word, col) && !member_of(groups, prefix, role_suffix[g->role]))
            return g;
    }
    return NULL;
}

void
store_roles_read(struct store *st)
{
    const char *sql = st->db->dialect->role_sql;
    if (!sql || st->role_known)
        return;
    st->role_known = 1;
    struct akw_err e;
    struct drv_stmt *s = store_stmt_dyn(st, sql, &e);
    if (s && drv_step(s) == DRV_ROW) {
        const char *me = drv_col_text(s, 0), *owner = drv_col_text(s, 1);
        const char *groups = drv_col_text(s, 2);
        free(st->login);
        st->login = me ? xstrdup(me) : NULL;
        if (me && owner && strcmp(me, owner) != 0)
            st->role = xstrdup(me);
        st->groups = xstrdup(groups ? groups : "");
    }
    if (s)
        drv_reset(s);
}

enum akw_status
store_denied_err(struct store *st, const char *what, struct akw_err *err)
{
    const struct drv *db = st->db;
    const char *groups = st->groups ? st->groups : "";
    char *prefix = groups_prefix(groups);
    const struct grant *g = needed_grant(groups, prefix, db->denied_priv, db->denied_on, db->denied_col);
    char *in = *groups ? xstrdup(groups) : xasprintf("%s", _("no akwatch role"));
    for (char *c = in; *c; c++)
        if (*c == ',')
            *c = ' ';
    const char *priv = db->denied_priv;
    const char *me = st->login ? st->login : "?";
    enum akw_status s;
    if (g)
        s = akw_err_set(err, AKW_ERR_DB,
                        _("permission denied: role %s (%s) may not %s %s: %s needs %s_%s"), me,
                        in, priv, db->denied_on, _(g->why), prefix, role_suffix[g->role]);
    else
        s = akw_err_set(err, AKW_ERR_DB, _("permission denied: role %s (%s) may not %s %s (%s)"), me,
                         in, priv, db->denied_on, what);
    free(in);
    free(prefix);
    return s;
}
