/* page — count, page and walk the filtered, sorted list of leaks. A page first finds the ids
 * of its rows with an index-only query, then reads those few rows, so its cost follows the
 * page size and the offset, not the size of the rows. Filters never use SQL from callers. */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define ALL_STATUSES ((1 << LEAK_STATUS_UNHANDLED) | (1 << LEAK_STATUS_HANDLED) | \
                      (1 << LEAK_STATUS_WHITELISTED))

/* The parameters a filter binds (named, so a shape binds only what it uses). */
struct filter_args {
    char *ak_lo, *ak_hi; /* AK ID range, NOCASE: [lo, hi) */
    char *like;          /* %text% with LIKE wildcards escaped */
};

static const char *
nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* Lowercase prefix and the smallest NOCASE string above every string it starts. NOCASE
 * folds A-Z to a-z, so a bound byte that lands on A-Z must skip to '['. NULL hi = none. */
static void
ak_range(const char *prefix, char **lo, char **hi)
{
    size_t n = strlen(prefix);
    *lo = xstrdup(prefix);
    for (size_t i = 0; i < n; i++)
        if ((*lo)[i] >= 'A' && (*lo)[i] <= 'Z')
            (*lo)[i] = (char)((*lo)[i] - 'A' + 'a');
    *hi = xstrdup(*lo);
    unsigned char *h = (unsigned char *)*hi;
    while (n > 0 && h[n - 1] == 0xff)
        h[--n] = '\0';
    if (n == 0) {
        free(*hi);
        *hi = NULL;
        return;
    }
    h[n - 1]++;
    if (h[n - 1] >= 'A' && h[n - 1] <= 'Z')
        h[n - 1] = '[';
}

static char *
like_pattern(const char *text)
{
    struct buf b;
    buf_init(&b);
    buf_putc(&b, '%');
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '%');
    return buf_steal(&b);
}

/* The LEAK_VERIFIED_* bits as one condition (constants only: nothing to bind). */
static void
verified_where(int mask, struct buf *sql, const char *sep)
{
    static const struct {
        int bit;
        const char *cond;
    } conds[] = {
        {LEAK_VERIFIED_LIVE, "l.verified = 'live'"},
        {LEAK_VERIFIED_INVALID, "l.verified = 'invalid'"},
        {LEAK_VERIFIED_UNKNOWN, "l.verified = 'unknown'"},
        {LEAK_VERIFIED_NONE, "l.verified IS NULL"},
    };
    const char *or = "";

    buf_printf(sql, "%s(", sep);
    for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
        if (mask & conds[i].bit) {
            buf_printf(sql, "%s%s", or, conds[i].cond);
            or = " OR ";
        }
    }
    buf_putc(sql, ')');
}

/* Append " WHERE ..." for f to sql and fill args. A mask of two statuses is written with a
 * unary + so the planner walks the ordered all-status index (status is covered there)
 * instead of sorting two index ranges. */
static void
filter_where(const struct leak_filter *f, struct buf *sql, struct filter_args *args)
{
    memset(args, 0, sizeof *args);
    const char *sep = " WHERE ";
    int mask = f ? f->status_mask & ALL_STATUSES : 0;
    if (mask && mask != ALL_STATUSES) {
        int bits[3], n = 0;
        for (int s = 0; s < 3; s++)
            if (mask & (1 << s))
                bits[n++] = s;
        if (n == 1)
            buf_printf(sql, "%sl.status = %d", sep, bits[0]);
        else
            buf_printf(sql, "%s+l.status IN (%d, %d)", sep, bits[0], bits[1]);
        sep = " AND ";
    }
    if (f && (f->status_mask & LEAK_VERIFIED_ANY)) {
        verified_where(f->status_mask, sql, sep);
        sep = " AND ";
    }
    if (f && nonempty(f->ak_prefix)) {
        ak_range(f->ak_prefix, &args->ak_lo, &args->ak_hi);
        buf_printf(sql, "%sl.ak_id COLLATE NOCASE >= :lo", sep);
        if (args->ak_hi)
            buf_puts(sql, " AND l.ak_id COLLATE NOCASE < :hi");
        sep = " AND ";
    }
    if (f && nonempty(f->text)) {
        args->like = like_pattern(f->text);
        buf_printf(sql,
                   "%s(l.ak_id LIKE :like ESCAPE '\\' OR l.first_repo LIKE :like ESCAPE '\\'"
                   " OR l.first_path LIKE :like ESCAPE '\\')",
                   sep);
    }
}

static void
filter_order(const struct leak_filter *f, struct buf *sql)
{
    if (f && f->sort == LEAK_SORT_SEVERITY)
        buf_puts(sql, " ORDER BY l.severity DESC, l.first_seen DESC, l.id DESC");
    else
        buf_puts(sql, " ORDER BY l.first_seen DESC, l.id DESC");
}

static void
bind_named(sqlite3_stmt *s, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i > 0)
        store_bind_text(s, i, v);
}

static void
filter_bind(sqlite3_stmt *s, const struct filter_args *args)
{
    bind_named(s, ":lo", args->ak_lo);
    bind_named(s, ":hi", args->ak_hi);
    bind_named(s, ":like", args->like);
}

static void
filter_args_done(struct filter_args *args)
{
    free(args->ak_lo);
    free(args->ak_hi);
    free(args->like);
}

enum akw_status
store_leak_count(struct store *st, const struct leak_filter *f, long *out, struct akw_err *err)
{
    *out = 0;
    struct buf sql;
    struct filter_args args;
    buf_init(&sql);
    buf_puts(&sql, "SELECT count(*) FROM leaks l");
    filter_where(f, &sql, &args);
    enum akw_status status = AKW_OK;
    sqlite3_stmt *s = store_stmt_dyn(st, sql.data, err);
    if (!s) {
        status = AKW_ERR_DB;
    } else {
        filter_bind(s, &args);
        if (sqlite3_step(s) == SQLITE_ROW)
            *out = (long)sqlite3_column_int64(s, 0);
        else
            status = store_sqlerr(st, err, "counting leaks");
        sqlite3_reset(s);
    }
    filter_args_done(&args);
    buf_done(&sql);
    return status;
}

/* The ids of rows [offset, offset+limit) of the list, in order. */
static enum akw_status
page_ids(struct store *st, const struct leak_filter *f, long offset, long limit, int64_t *ids,
         size_t *n, struct akw_err *err)
{
    struct buf sql;
    struct filter_args args;
    buf_init(&sql);
    buf_puts(&sql, "SELECT l.id FROM leaks l");
    filter_where(f, &sql, &args);
    filter_order(f, &sql);
    buf_puts(&sql, " LIMIT :limit OFFSET :offset");
    enum akw_status status = AKW_OK;
    sqlite3_stmt *s = store_stmt_dyn(st, sql.data, err);
    if (!s) {
        status = AKW_ERR_DB;
    } else {
        filter_bind(s, &args);
        sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), limit);
        sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":offset"), offset);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < (size_t)limit)
            ids[(*n)++] = sqlite3_column_int64(s, 0);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            status = store_sqlerr(st, err, "listing leaks");
        sqlite3_reset(s);
    }
    filter_args_done(&args);
    buf_done(&sql);
    return status;
}

enum akw_status
store_leak_page(struct store *st, const struct leak_filter *f, long offset, long limit,
                struct leak *out, size_t *n_out, struct akw_err *err)
{
    *n_out = 0;
    if (offset < 0 || limit < 0)
        return akw_err_set(err, AKW_ERR_USAGE, "store_leak_page: negative offset or limit");
    if (limit == 0)
        return AKW_OK;
    int64_t *ids = xmalloc((size_t)limit * sizeof *ids);
    size_t n = 0;
    enum akw_status status = page_ids(st, f, offset, limit, ids, &n, err);
    sqlite3_stmt *s = NULL;
    if (status == AKW_OK && n > 0) {
        s = store_stmt_dyn(st, "SELECT " STORE_LEAK_COLUMNS_NOSECRET
                               " FROM leaks l WHERE l.id = ?1", err);
        if (!s)
            status = AKW_ERR_DB;
    }
    for (size_t i = 0; status == AKW_OK && i < n; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, ids[i]);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            store_leak_read(s, &out[(*n_out)++]);
        else if (rc != SQLITE_DONE) /* DONE: deleted meanwhile; cannot happen, leaks stay */
            status = store_sqlerr(st, err, "reading leaks");
    }
    if (s)
        sqlite3_reset(s);
    free(ids);
    if (status != AKW_OK) {
        for (size_t i = 0; i < *n_out; i++)
            leak_done(&out[i]);
        *n_out = 0;
    }
    return status;
}

enum akw_status
store_leak_foreach(struct store *st, const struct leak_filter *f,
                   int (*cb)(const struct leak *l, void *user), void *user, struct akw_err *err)
{
    struct buf sql;
    struct filter_args args;
    buf_init(&sql);
    buf_puts(&sql, "SELECT " STORE_LEAK_COLUMNS " FROM leaks l");
    filter_where(f, &sql, &args);
    filter_order(f, &sql);
    /* its own statement: the callback may call the store, which reuses cached ones */
    sqlite3_stmt *s = NULL;
    enum akw_status status = AKW_OK;
    if (sqlite3_prepare_v2(st->db, sql.data, -1, &s, NULL) != SQLITE_OK) {
        status = store_sqlerr(st, err, "listing leaks");
    } else {
        filter_bind(s, &args);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            struct leak l;
            store_leak_read(s, &l);
            int stop = cb(&l, user);
            leak_done(&l);
            if (stop)
                break;
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            status = store_sqlerr(st, err, "listing leaks");
    }
    sqlite3_finalize(s);
    filter_args_done(&args);
    buf_done(&sql);
    return status;
}

void
store_anchors_reset(struct store *st)
{
    free(st->anchors.key);
    memset(&st->anchors, 0, sizeof st->anchors);
}
