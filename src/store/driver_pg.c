/* driver_pg — the driver over libpq for a PostgreSQL store (team mode): connecting from a
 * postgresql:// URL (TLS verify-full unless the URL says otherwise; the password never in a
 * message), statements, and errors in the driver's terms. The only file of the program
 * that includes <libpq-fe.h>. Knows no table; the schema is migrate.c's.
 *
 * The store's SQL is written with SQLite's placeholders (?N, ?, :name); prepare rewrites
 * them to $1.. in order of first use, so a statement may bind numbers it does not use.
 * Parameters go as text; each one's type is taken from its first binding (integer or
 * text; NULL leaves it to the server), and a kept statement is prepared on the server at
 * its first step. A statement's rows are fetched whole by that step. */
#include "config.h"
#include "store/driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* Type OIDs of the built-in types we bind (pg_type.h is a server header). */
#define OID_INT8 20
#define OID_TEXT 25

struct pg_db {
    struct drv base;
    PGconn *c;
    char *err;            /* the last error, one line */
    enum drv_fault fault; /* and its kind */
    int64_t changes;      /* rows changed by the last finished statement */
    int64_t writes;       /* rows changed by this connection so far */
    unsigned long n_prepared;
    int lost;             /* the last error was a lost connection (until reconnected) */
    char *url;            /* to connect again (holds the password: never shown) */
    int readonly;
};

struct pg_param {
    int orig; /* the number the SQL gave it (named ones count from PG_NAMED) */
    char *name;
};

struct pg_stmt {
    struct drv_stmt base;
    char *sql; /* with $k placeholders */
    int n;     /* distinct parameters */
    struct pg_param *params;
    char **vals;
    unsigned *types;
    int keep;
    char name[32]; /* server-side name once prepared, "" before */
    PGresult *res;
    int row, nrows, done;
};

#define PG_NAMED 100000

#define PG_FOLD_COUNTS                                                                     \
    "WITH gone AS (DELETE FROM leak_count_log RETURNING status, owned, confidence, n)"     \
    " INSERT INTO leak_count_log SELECT status, owned, confidence, sum(n) FROM gone"       \
    " GROUP BY status, owned, confidence;"                                                 \
    "WITH gone AS (DELETE FROM row_count_log RETURNING name, n)"                           \
    " INSERT INTO row_count_log SELECT name, sum(n) FROM gone GROUP BY name"

#define PG(d) ((struct pg_db *)(d))
#define PS(s) ((struct pg_stmt *)(s))

/* clang-format off */
static const struct drv_dialect pg_dialect = {
    .name = "postgresql",
    .begin_write = "BEGIN",
    .begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ",
    /* fold the count logs (migrate_pg.c) back to a row per counter: each DELETE takes
     * only rows committed before it, so writers going on meanwhile lose nothing. On close,
     * and after commits that recorded enough (store_counts_fold): the log is summed by
     * every count, and a watcher that runs for days must not make it millions of rows */
    .on_close = PG_FOLD_COUNTS,
    .fold_counts = PG_FOLD_COUNTS,
    .cache_fmt = NULL,
    .index_hints = 0,
    .nocase_pre = "lower(",
    .nocase_post = ") COLLATE \"C\"",
    .like = "ILIKE",
    .objects_sql = "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
    .has_meta_sql = "SELECT count(*) FROM pg_catalog.pg_tables"
                    " WHERE schemaname = current_schema() AND tablename = 'meta'",
    .app_id_sql = "SELECT coalesce((SELECT CAST(value AS BIGINT) FROM meta"
                  " WHERE key = 'application_id'), 0)",
    .app_id_needs_meta = 1,
    .app_id_set = "INSERT INTO meta(key, value) VALUES('application_id', '1097553697')"
                  " ON CONFLICT(key) DO NOTHING",
    /* two processes creating one store at once: the second waits, then sees the tables */
    .migrate_lock = "SELECT pg_advisory_xact_lock(1097553697)",
    .foreign = N_("not an akwatch store (a database that holds another program's tables)"),
    .identity_sql = "SELECT current_database() || ' ' || current_setting('port') || ' '"
                    " || pg_postmaster_start_time()",
    /* an identity column's sequence does not see ids given explicitly */
    .id_resync = "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
                 " (SELECT coalesce(max(id), 0) + 1 FROM %s), false)",
    .row_lock = " FOR UPDATE",
    .role_sql = "SELECT current_user, pg_get_userbyid(datdba),"
                " (SELECT string_agg(r.rolname, ',' ORDER BY r.rolname) FROM pg_roles r"
                "  WHERE NOT r.rolcanlogin AND r.rolname ~ '_(watcher|analyst|viewer)$'"
                "  AND pg_has_role(current_user, r.oid, 'MEMBER'))"
                " FROM pg_database WHERE datname = current_database()",
    /* a watcher may not write a leak's decision; the server reopens it for the watcher
     * (migrate_pg.c step 4) */
    .leak_reopen = "CALL akw_reopen(?1, ?2)",
    .writes_in_with = 1,
};
/* clang-format on */

/* Keep the first line of a libpq message (they end with a newline, some have DETAIL). */
static void
set_err(struct pg_db *d, enum drv_fault f, const char *msg)
{
    free(d->err);
    d->err = xstrdup(msg && *msg ? msg : "unknown error");
    char *nl = strchr(d->err, '\n');
    if (nl)
        *nl = '\0';
    d->fault = f;
    if (f == DRV_FAULT_CONN)
        d->lost = 1;
}

/* SQLSTATE classes and codes the store words differently. */
static enum drv_fault
fault_of_state(const char *state)
{
    static const struct {
        const char *code; /* a prefix */
        enum drv_fault f;
    } map[] = {
        {"08", DRV_FAULT_CONN},     {"57P", DRV_FAULT_CONN},    {"40", DRV_FAULT_BUSY},
        {"55P03", DRV_FAULT_BUSY},  {"25006", DRV_FAULT_READONLY}, {"42501", DRV_FAULT_DENIED},
        {"53100", DRV_FAULT_FULL},  {"XX001", DRV_FAULT_CORRUPT}, {"3D000", DRV_FAULT_CANTOPEN},
    };
    for (size_t i = 0; state && i < sizeof map / sizeof map[0]; i++)
        if (strncmp(state, map[i].code, strlen(map[i].code)) == 0)
            return map[i].f;
    return DRV_FAULT_OTHER;
}

/* Does p, where a statement names the object it writes, name on (followed by a space, "("
 * or the end)? */
static int
names(const char *p, const char *on)
{
    size_t n = strlen(on);
    return strncmp(p, on, n) == 0 && (!p[n] || strchr(" (", p[n]));
}

/* What the first place a WITH writes on ("INSERT INTO on", "UPDATE on", "DELETE FROM on")
 * needs, in *priv (unchanged when it writes on nowhere). */
static void
first_write(const char *sql, const char *on, const char **priv)
{
    static const struct {
        const char *phrase, *priv;
    } writes[] = {{"INSERT INTO ", "insert"}, {"UPDATE ", "update"}, {"DELETE FROM ", "delete"}};
    const char *first = NULL;
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        size_t n = strlen(writes[i].phrase);
        for (const char *p = strstr(sql, writes[i].phrase); p; p = strstr(p + 1, writes[i].phrase))
            if (names(p + n, on)) {
                if (!first || p < first) {
                    first = p;
                    *priv = writes[i].priv;
                }
                break;
            }
    }
}

/* What a statement needs of the object a denial names: the statement's first word, a
 * row lock, or (for another object than the one it writes) reading it. A WITH that
 * writes (a finding recorded in one statement) needs what its first write of the object
 * needs: the server checks its parts in the order they are written. */
static void
denied_what(struct pg_db *d, const char *sql, const char *msg)
{
    static const struct {
        const char *word, *priv, *target; /* target: the written object follows it */
    } verbs[] = {
        {"INSERT", "insert", "INTO "}, {"UPDATE", "update", "UPDATE "},
        {"DELETE", "delete", "FROM "}, {"CALL", "execute", "CALL "},
        {"SELECT", "read", NULL},      {"WITH", "read", NULL},
    };
    d->base.denied_priv[0] = d->base.denied_on[0] = d->base.denied_col[0] = '\0';
    /* "permission denied for table leaks" (also sequence, view, procedure, schema) */
    const char *for_ = msg ? strstr(msg, " for ") : NULL, *name = for_ ? strrchr(msg, ' ') : NULL;
    if (!sql || !name || !name[1] || strlen(name + 1) >= sizeof d->base.denied_on)
        return;
    snprintf(d->base.denied_on, sizeof d->base.denied_on, "%s", name + 1);
    const char *on = d->base.denied_on, *priv = "use";
    while (*sql == ' ')
        sql++;
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        size_t n = strlen(verbs[i].word);
        if (strncmp(sql, verbs[i].word, n) != 0)
            continue;
        priv = verbs[i].priv;
        const char *t = verbs[i].target ? strstr(sql, verbs[i].target) : NULL;
        if (t && !names(t + strlen(verbs[i].target), on))
            priv = "read"; /* another object than the one written: it is read */
        if (!verbs[i].target && strstr(sql, " FOR UPDATE"))
            priv = "update";
        break;
    }
    if (strncmp(sql, "WITH", 4) == 0)
        first_write(sql, on, &priv);
    const char *set = strcmp(priv, "update") == 0 ? strstr(sql, " SET ") : NULL;
    if (set) { /* "UPDATE leaks SET status = ..." */
        set += 5;
        size_t n = strcspn(set, " =,");
        if (n < sizeof d->base.denied_col)
            snprintf(d->base.denied_col, sizeof d->base.denied_col, "%.*s", (int)n, set);
    }
    if (strstr(msg, " for sequence "))
        priv = "use"; /* an identity column's: inserting takes a number from it */
    snprintf(d->base.denied_priv, sizeof d->base.denied_priv, "%s", priv);
}

/* Record why res failed (or the connection, when res is NULL) running sql; returns -1. */
static int
res_err(struct pg_db *d, const PGresult *res, const char *sql)
{
    enum drv_fault f = DRV_FAULT_OTHER;
    const char *msg = NULL;
    if (res) {
        f = fault_of_state(PQresultErrorField(res, PG_DIAG_SQLSTATE));
        msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    }
    if (PQstatus(d->c) == CONNECTION_BAD)
        f = DRV_FAULT_CONN;
    set_err(d, f, msg ? msg : PQerrorMessage(d->c));
    if (f == DRV_FAULT_DENIED)
        denied_what(d, sql, msg);
    return -1;
}

static int
ok_status(const PGresult *res)
{
    ExecStatusType t = PQresultStatus(res);
    return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK || t == PGRES_EMPTY_QUERY;
}

/* ---- placeholders ---------------------------------------------------------------------- */

static int
param_slot(struct pg_stmt *st, int orig, const char *name, size_t name_len)
{
    for (int k = 0; k < st->n; k++)
        if (name ? st->params[k].name && strlen(st->params[k].name) == name_len &&
                       strncmp(st->params[k].name, name, name_len) == 0
                 : st->params[k].orig == orig)
            return k + 1;
    st->params = xrealloc(st->params, (size_t)(st->n + 1) * sizeof *st->params);
    st->params[st->n].orig = name ? PG_NAMED + st->n : orig;
    st->params[st->n].name = name ? xstrndup(name, name_len) : NULL;
    return ++st->n;
}

/* Rewrite ?N, ? and :name to $k outside quotes; fills st->params. */
static char *
rewrite(struct pg_stmt *st, const char *sql)
{
    struct buf b;
    buf_init(&b);
    int last = 0; /* a bare ? is one more than the largest number so far (SQLite's rule) */
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            const char *q = strchr(p + 1, *p);
            size_t len = q ? (size_t)(q - p + 1) : strlen(p);
            buf_append(&b, p, len);
            p += len;
        } else if (*p == '?') {
            int orig = ++last;
            p++;
            if (*p >= '0' && *p <= '9') {
                orig = (int)strtol(p, (char **)&p, 10);
                if (orig > last)
                    last = orig;
            }
            buf_printf(&b, "$%d", param_slot(st, orig, NULL, 0));
        } else if (*p == ':' && p[1] == ':') {
            buf_append(&b, p, 2);
            p += 2;
        } else if (*p == ':' && ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))) {
            const char *n = p;
            p++;
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '_')
                p++;
            buf_printf(&b, "$%d", param_slot(st, 0, n, (size_t)(p - n)));
        } else {
            buf_putc(&b, *p++);
        }
    }
    return buf_steal(&b);
}

/* ---- statements ------------------------------------------------------------------------ */

static int
pq_prepare(struct drv *db, const char *sql, int keep, struct drv_stmt **out)
{
    struct pg_stmt *st = xcalloc(1, sizeof *st);
    st->base.db = db;
    st->keep = keep;
    st->sql = rewrite(st, sql);
    st->vals = xcalloc((size_t)st->n + 1, sizeof *st->vals);
    st->types = xcalloc((size_t)st->n + 1, sizeof *st->types);
    *out = &st->base;
    return 0;
}

static void
drop_result(struct pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = st->done = 0;
}

static void
pq_clear(struct drv_stmt *s)
{
    struct pg_stmt *st = PS(s);
    for (int k = 0; k < st->n; k++) {
        free(st->vals[k]);
        st->vals[k] = NULL;
    }
}

static void
pq_finalize(struct drv_stmt *s)
{
    struct pg_stmt *st = PS(s);
    struct pg_db *d = PG(s->db);
    drop_result(st);
    if (st->name[0] && PQstatus(d->c) == CONNECTION_OK) {
        char *q = xasprintf("DEALLOCATE %s", st->name);
        PQclear(PQexec(d->c, q));
        free(q);
    }
    pq_clear(s);
    for (int k = 0; k < st->n; k++)
        free(st->params[k].name);
    free(st->params);
    free(st->vals);
    free(st->types);
    free(st->sql);
    free(st);
}

static void
pq_reset(struct drv_stmt *s)
{
    drop_result(PS(s));
}

static int
pq_param_index(struct drv_stmt *s, const char *name)
{
    struct pg_stmt *st = PS(s);
    for (int k = 0; k < st->n; k++)
        if (st->params[k].name && strcmp(st->params[k].name, name) == 0)
            return st->params[k].orig;
    return 0;
}

/* The $k slot (0-based) of parameter number i, or -1 when the SQL does not use it. */
static int
slot_of(struct pg_stmt *st, int i)
{
    for (int k = 0; k < st->n; k++)
        if (st->params[k].orig == i)
            return k;
    return -1;
}

static void
bind(struct drv_stmt *s, int i, char *v, unsigned type)
{
    struct pg_stmt *st = PS(s);
    int k = slot_of(st, i);
    if (k < 0) {
        free(v);
        return;
    }
    free(st->vals[k]);
    st->vals[k] = v;
    if (!st->types[k] && !st->name[0])
        st->types[k] = type;
}

static void
pq_bind_int64(struct drv_stmt *s, int i, int64_t v)
{
    bind(s, i, xasprintf("%lld", (long long)v), OID_INT8);
}

static void
pq_bind_text(struct drv_stmt *s, int i, const char *v)
{
    bind(s, i, v ? xstrdup(v) : NULL, v ? OID_TEXT : 0);
}

static void
pq_bind_null(struct drv_stmt *s, int i)
{
    bind(s, i, NULL, 0);
}

static PGresult *
run(struct pg_db *d, struct pg_stmt *st)
{
    const char *const *vals = (const char *const *)st->vals;
    if (!st->keep)
        return PQexecParams(d->c, st->sql, st->n, st->types, vals, NULL, NULL, 0);
    if (!st->name[0]) {
        char name[32];
        snprintf(name, sizeof name, "akw_%lu", ++d->n_prepared);
        PGresult *r = PQprepare(d->c, name, st->sql, st->n, st->types);
        if (!ok_status(r))
            return r;
        PQclear(r);
        memcpy(st->name, name, sizeof name);
    }
    return PQexecPrepared(d->c, st->name, st->n, vals, NULL, NULL, 0);
}

static int
pq_step(struct drv_stmt *s)
{
    struct pg_stmt *st = PS(s);
    struct pg_db *d = PG(s->db);
    if (!st->res && !st->done) {
        PGresult *r = run(d, st);
        if (!ok_status(r)) {
            res_err(d, r, st->sql);
            PQclear(r);
            return DRV_ERROR;
        }
        /* "INSERT 0 n", "UPDATE n", "DELETE n" (with or without RETURNING) */
        const char *cmd = PQcmdStatus(r), *n = PQcmdTuples(r);
        int wrote = strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
                    strncmp(cmd, "DELETE", 6) == 0;
        d->changes = wrote && n && *n ? strtoll(n, NULL, 10) : 0;
        d->writes += d->changes;
        st->res = r;
        st->nrows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        st->row = -1;
    }
    if (st->done)
        return DRV_DONE;
    if (++st->row < st->nrows)
        return DRV_ROW;
    st->done = 1;
    return DRV_DONE;
}

static int
pq_busy(struct drv_stmt *s)
{
    struct pg_stmt *st = PS(s);
    return st->res && !st->done;
}

static const char *
cell(struct drv_stmt *s, int i)
{
    struct pg_stmt *st = PS(s);
    if (!st->res || st->row < 0 || st->row >= st->nrows || i >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, i))
        return NULL;
    return PQgetvalue(st->res, st->row, i);
}

static int64_t
pq_col_int64(struct drv_stmt *s, int i)
{
    const char *v = cell(s, i);
    if (!v)
        return 0;
    if (v[0] == 't' && !v[1]) /* booleans (EXISTS, comparisons) read as 1 / 0 */
        return 1;
    return strtoll(v, NULL, 10);
}

static const char *
pq_col_text(struct drv_stmt *s, int i)
{
    return cell(s, i);
}

static int
pq_col_null(struct drv_stmt *s, int i)
{
    return cell(s, i) == NULL;
}

static int64_t
pq_changes(struct drv *db)
{
    return PG(db)->changes;
}

static int
pq_exec(struct drv *db, const char *sql)
{
    struct pg_db *d = PG(db);
    PGresult *r = PQexec(d->c, sql);
    int rc = ok_status(r) ? 0 : res_err(d, r, sql);
    PQclear(r);
    return rc;
}

static int
pq_in_tx(struct drv *db)
{
    PGTransactionStatusType t = PQtransactionStatus(PG(db)->c);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* The cluster's snapshot moves whenever a transaction that wrote commits (or starts
 * writing), by any connection; this connection's own count of changed rows covers its
 * writes inside an open transaction. */
static int
pq_data_version(struct drv *db, int64_t out[2])
{
    struct pg_db *d = PG(db);
    out[0] = out[1] = -1;
    PGresult *r = PQexec(d->c, "SELECT CAST(pg_current_snapshot() AS TEXT)");
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        res_err(d, r, NULL);
        PQclear(r);
        return -1;
    }
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = PQgetvalue(r, 0, 0); *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    PQclear(r);
    out[0] = (int64_t)(h >> 1);
    out[1] = d->writes;
    return 0;
}

/* LISTEN on the connection; libpq keeps what arrives meanwhile for PQnotifies. */
static int
pq_listen(struct drv *db, const char *channel)
{
    struct pg_db *d = PG(db);
    char *id = PQescapeIdentifier(d->c, channel, strlen(channel));
    char *sql = xasprintf("LISTEN %s", id ? id : "akwatch");
    PQfreemem(id);
    int rc = pq_exec(db, sql);
    free(sql);
    return rc == 0 ? PQsocket(d->c) : -1;
}

static int
pq_notified(struct drv *db)
{
    struct pg_db *d = PG(db);
    if (!PQconsumeInput(d->c) || PQstatus(d->c) == CONNECTION_BAD) {
        set_err(d, DRV_FAULT_CONN, PQerrorMessage(d->c));
        return -1;
    }
    int n = 0;
    for (PGnotify *nt; (nt = PQnotifies(d->c)) != NULL; n++)
        PQfreemem(nt);
    return n;
}

static enum drv_fault
pq_fault(struct drv *db)
{
    return PG(db)->fault ? PG(db)->fault : DRV_FAULT_OTHER;
}

static const char *
pq_errmsg(struct drv *db)
{
    return PG(db)->err ? PG(db)->err : "no error";
}

static void
pq_close(struct drv *db)
{
    struct pg_db *d = PG(db);
    PQfinish(d->c);
    free(d->err);
    if (d->url)
        memset(d->url, 0, strlen(d->url));
    free(d->url);
    free(d);
}

static int
pq_lost(struct drv *db)
{
    struct pg_db *d = PG(db);
    return d->lost || PQstatus(d->c) != CONNECTION_OK;
}

static PGconn *connect_url(const char *url, char **why);
static int setup_conn(struct pg_db *d);

static int
pq_reconnect(struct drv *db)
{
    struct pg_db *d = PG(db);
    char *why = NULL;
    PGconn *c = connect_url(d->url, &why);
    if (!c) {
        set_err(d, DRV_FAULT_CONN, why);
        free(why);
        return -1;
    }
    PQfinish(d->c);
    d->c = c;
    d->lost = 0;
    if (setup_conn(d) != 0) {
        d->lost = 1;
        return -1;
    }
    return 0;
}

/* clang-format off */
static const struct drv_ops pg_ops = {
    pq_prepare, pq_finalize, pq_reset, pq_clear, pq_param_index, pq_bind_int64, pq_bind_text,
    pq_bind_null, pq_step, pq_busy, pq_col_int64, pq_col_text, pq_col_null, pq_changes,
    pq_exec, pq_in_tx, pq_data_version, pq_listen, pq_notified, pq_fault, pq_errmsg, pq_close,
    pq_lost, pq_reconnect,
};
/* clang-format on */

/* ---- connecting ------------------------------------------------------------------------ */

int
drv_pg_url(const char *location)
{
    return location && (strncmp(location, "postgresql://", 13) == 0 ||
                        strncmp(location, "postgres://", 11) == 0);
}

char *
drv_pg_display(const char *url)
{
    /* scheme://user:password@host/db?password=...: keep all but the passwords */
    struct buf b;
    buf_init(&b);
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    buf_append(&b, url, (size_t)(p - url));
    const char *at = strchr(p, '@'), *slash = strchr(p, '/');
    if (at && (!slash || at < slash)) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        buf_append(&b, p, (size_t)((colon ? colon : at) - p));
        p = at;
    }
    const char *q = strchr(p, '?');
    buf_append(&b, p, q ? (size_t)(q - p) : strlen(p));
    for (char sep = '?'; q && *q;) {
        q++;
        const char *end = strchr(q, '&');
        size_t len = end ? (size_t)(end - q) : strlen(q);
        if (strncmp(q, "password=", 9) != 0) {
            buf_putc(&b, sep);
            buf_append(&b, q, len);
            sep = '&';
        }
        q += len;
    }
    return buf_steal(&b);
}

/* Does the URL choose its own sslmode (in its query or through PGSSLMODE)? */
static int
names_sslmode(const char *url)
{
    PQconninfoOption *opts = PQconninfoParse(url, NULL);
    int yes = 0;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "sslmode") == 0 && o->val && *o->val)
            yes = 1;
    PQconninfoFree(opts);
    const char *env = getenv("PGSSLMODE");
    return yes || (env && *env);
}

static void
no_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* A new connection to url (sslmode verify-full unless it names one), or NULL with *why
 * (caller frees): libpq's first line, which never quotes a password. */
static PGconn *
connect_url(const char *url, char **why)
{
    const char *keys[5] = {"dbname", "application_name", "connect_timeout", NULL, NULL};
    const char *vals[5] = {url, "akwatch", "10", NULL, NULL};
    if (!names_sslmode(url)) {
        keys[3] = "sslmode";
        vals[3] = "verify-full";
    }
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (c && PQstatus(c) == CONNECTION_OK) {
        PQsetNoticeProcessor(c, no_notices, NULL);
        return c;
    }
    *why = xstrdup(c ? PQerrorMessage(c) : "out of memory");
    char *nl = strchr(*why, '\n');
    if (nl)
        *nl = '\0';
    PQfinish(c);
    return NULL;
}

/* What every connection runs first: 0 or -1 (err). */
static int
setup_conn(struct pg_db *d)
{
    return pq_exec(&d->base, d->readonly ? "SET default_transaction_read_only = on" : "SELECT 1");
}

enum akw_status
drv_pg_open(const char *url, int readonly, struct drv **out, struct akw_err *err)
{
    *out = NULL;
    char *shown = drv_pg_display(url);
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (!opts) {
        /* libpq's message may quote the URL: say only what is wrong in our words */
        akw_err_set(err, AKW_ERR_USAGE, _("%s: not a valid PostgreSQL URL"), shown);
        PQfreemem(perr);
        free(shown);
        return AKW_ERR_USAGE;
    }
    PQconninfoFree(opts);
    char *msg = NULL;
    PGconn *c = connect_url(url, &msg);
    if (!c) {
        akw_err_set(err, AKW_ERR_DB, _("%s: cannot connect to the store: %s"), shown, msg);
        free(msg);
        free(shown);
        return AKW_ERR_DB;
    }
    struct pg_db *d = xcalloc(1, sizeof *d);
    d->base.ops = &pg_ops;
    d->base.dialect = &pg_dialect;
    d->c = c;
    d->url = xstrdup(url);
    d->readonly = readonly;
    if (setup_conn(d) != 0) {
        enum akw_status s = store_fault_err(shown, d->fault, d->err, "connecting", err);
        pq_close(&d->base);
        free(shown);
        return s;
    }
    free(shown);
    *out = &d->base;
    return AKW_OK;
}
