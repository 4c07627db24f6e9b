/* page — count, page and walk the filtered, sorted list of leaks, fast on a million rows:
 *  - status-only lists: counts come from leak_counts (trigger-kept, by status and
 *    confidence); a page is an id query (index-only without a confidence filter) that starts
 *    from the nearest known row (an anchor left by an earlier page, or the end of the
 *    list), so scrolling costs the page, not the offset;
 *  - searches (AK ID prefix: a range on leaks_ak; text: a scan of the narrow leaks_text
 *    index; verification state: ranges on leaks_verified): the matching ids are collected
 *    once, sorted, and cached until the data change.
 * Rows are read by id afterwards. filter.c builds the SQL pieces. */
#include "config.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the cache of the last list -------------------------------------- */

void
store_list_cache_reset(struct store *st)
{
    free(st->list.key);
    free(st->list.ids);
    memset(&st->list, 0, sizeof st->list);
}

/* Is the cache about q and still true? If not, empty it and label it for q. */
static enum akw_status
cache_check(struct store *st, const struct list_query *q, int *valid, struct akw_err *err)
{
    int64_t dv[2];
    if (drv_data_version(st->db, dv) != 0)
        return store_sqlerr(st, err, "reading the data version");
    *valid = st->list.key && strcmp(st->list.key, q->key) == 0 &&
             st->list.data_version[0] == dv[0] && st->list.data_version[1] == dv[1];
    if (!*valid) {
        store_list_cache_reset(st);
        st->list.key = xstrdup(q->key);
        st->list.data_version[0] = dv[0];
        st->list.data_version[1] = dv[1];
    }
    return AKW_OK;
}

/* A read transaction, so the count, the ids and the rows of one call agree. */
static int
read_begin(struct store *st)
{
    if (drv_in_tx(st->db))
        return 0;
    return drv_exec(st->db, st->db->dialect->begin_read) == 0;
}

static void
read_end(struct store *st, int began)
{
    if (began)
        drv_exec(st->db, "COMMIT");
}

/* ---- searches: collect every matching id once ------------------------ */

static enum akw_status
search_ids(struct store *st, const struct list_query *q, struct akw_err *err)
{
    int valid = 0;
    enum akw_status s = cache_check(st, q, &valid, err);
    if (s != AKW_OK || (valid && st->list.ids))
        return s;
    struct buf sql;
    buf_init(&sql);
    buf_printf(&sql, "SELECT l.id FROM %s%s%s", q->from, q->where.data, store_query_order(q, 0));
    struct drv_stmt *stmt = store_stmt_dyn(st, sql.data, err);
    buf_done(&sql);
    if (!stmt)
        return AKW_ERR_DB;
    store_query_bind(stmt, q);
    size_t cap = 64, n = 0;
    int64_t *ids = xmalloc(cap * sizeof *ids);
    int rc;
    while ((rc = drv_step(stmt)) == DRV_ROW) {
        if (n == cap)
            ids = xrealloc(ids, (cap *= 2) * sizeof *ids);
        ids[n++] = drv_col_int64(stmt, 0);
    }
    drv_reset(stmt);
    if (rc != DRV_DONE) {
        free(ids);
        store_list_cache_reset(st);
        return store_sqlerr(st, err, "searching leaks");
    }
    st->list.ids = ids;
    st->list.n_ids = n;
    return AKW_OK;
}

/* ---- status-only lists ------------------------------------------------ */

/* sep "col IN (0, 2)" for the bits lo..hi of mask; nothing for mask 0. */
static void
where_bits(struct buf *b, const char **sep, const char *col, int mask, int lo, int hi)
{
    if (!mask)
        return;
    buf_printf(b, "%s%s IN (", *sep, col);
    const char *comma = "";
    for (int v = lo; v <= hi; v++)
        if (mask & (1 << v)) {
            buf_printf(b, "%s%d", comma, v);
            comma = ", ";
        }
    buf_putc(b, ')');
    *sep = " AND ";
}

/* Leaks of the statuses of mask and the confidences of conf (0 = every one), from
 * leak_counts. */
static enum akw_status
counts_sum(struct store *st, int mask, int conf, long *out, struct akw_err *err)
{
    struct buf sql;
    const char *sep = " WHERE ";
    buf_init(&sql);
    buf_puts(&sql, "SELECT coalesce(sum(n), 0) FROM leak_counts");
    where_bits(&sql, &sep, "status", mask, 0, 2);
    where_bits(&sql, &sep, "confidence", conf, CONFIDENCE_LOW, CONFIDENCE_HIGH);
    struct drv_stmt *s = store_stmt_dyn(st, sql.data, err);
    buf_done(&sql);
    if (!s)
        return AKW_ERR_DB;
    int rc = drv_step(s);
    *out = rc == DRV_ROW ? (long)drv_col_int64(s, 0) : 0;
    drv_reset(s);
    return rc == DRV_ROW ? AKW_OK : store_sqlerr(st, err, "counting leaks");
}

static enum akw_status
status_count(struct store *st, const struct list_query *q, long *out, struct akw_err *err)
{
    return counts_sum(st, q->mask, q->conf_mask, out, err);
}

/* A confidence filter that hides no leak of its statuses (leak_counts says so) is dropped,
 * so the list keeps its index-only plans: until some finding is graded below the
 * threshold, the default lists cost what they did without one. Returns f or tmp. */
static const struct leak_filter *
confidence_effective(struct store *st, const struct leak_filter *f, struct leak_filter *tmp)
{
    if (!f || !f->confidence_mask)
        return f;
    struct list_query q;
    store_query_init(&q, f, st->db->dialect);
    int mask = q.mask, conf = q.conf_mask;
    store_query_done(&q);
    long hidden = 0;
    int others = ~conf & store_confidence_at_least(CONFIDENCE_LOW);
    if (!conf || counts_sum(st, mask, others, &hidden, NULL) != AKW_OK || hidden != 0)
        return f;
    *tmp = *f;
    tmp->confidence_mask = 0;
    return tmp;
}

/* Where an id query starts: from the top (anchor NULL, ascending 0), at an anchor going
 * down the list, at an anchor going up (ascending 1), or from the end (anchor NULL,
 * ascending 1). The anchor row itself counts. skip = rows passed over before the page. */
struct plan {
    const struct store_anchor *anchor;
    int ascending;
    long skip, take;
};

static struct plan
plan_page(const struct store *st, int cache_valid, long total, long offset, long limit)
{
    long end = offset + limit < total ? offset + limit : total;
    struct plan best = {NULL, 0, offset, end - offset};
    struct plan from_end = {NULL, 1, total - end, end - offset};
    if (from_end.skip < best.skip)
        best = from_end;
    for (size_t i = 0; cache_valid && i < st->list.n_anchors; i++) {
        const struct store_anchor *a = &st->list.anchors[i];
        if (a->offset <= offset && offset - a->offset < best.skip)
            best = (struct plan){a, 0, offset - a->offset, end - offset};
        else if (a->offset >= end - 1 && a->offset - (end - 1) < best.skip)
            best = (struct plan){a, 1, a->offset - (end - 1), end - offset};
    }
    return best;
}

static void
remember(struct store *st, long offset, int64_t id, int64_t first_seen, int severity)
{
    struct store_list_cache *c = &st->list;
    for (size_t i = 0; i < c->n_anchors; i++)
        if (c->anchors[i].offset == offset)
            return;
    c->anchors[c->next_anchor] = (struct store_anchor){offset, id, first_seen, severity};
    c->next_anchor = (c->next_anchor + 1) % STORE_ANCHORS;
    if (c->n_anchors < STORE_ANCHORS)
        c->n_anchors++;
}

/* Run plan p; fills ids[0..take) in list order and the sort keys of the first and last. */
static enum akw_status
run_plan(struct store *st, const struct list_query *q, const struct plan *p, int64_t *ids,
         size_t *n, struct store_anchor ends[2], struct akw_err *err)
{
    const char *cols = q->by_severity ? "(l.severity, l.first_seen, l.id)" : "(l.first_seen, l.id)";
    struct buf sql;
    buf_init(&sql);
    buf_printf(&sql, "SELECT l.id, l.first_seen, l.severity FROM %s%s", q->from, q->where.data);
    if (p->anchor)
        buf_printf(&sql, "%s%s %s (%s:k1, :k2)", *q->where.data ? " AND " : " WHERE ", cols,
                   p->ascending ? ">=" : "<=", q->by_severity ? ":k0, " : "");
    buf_printf(&sql, "%s LIMIT :take OFFSET :skip", store_query_order(q, p->ascending));
    struct drv_stmt *stmt = store_stmt_dyn(st, sql.data, err);
    buf_done(&sql);
    if (!stmt)
        return AKW_ERR_DB;
    store_query_bind(stmt, q);
    if (p->anchor) {
        store_bind_named_int(stmt, ":k0", p->anchor->severity);
        store_bind_named_int(stmt, ":k1", p->anchor->first_seen);
        store_bind_named_int(stmt, ":k2", p->anchor->id);
    }
    store_bind_named_int(stmt, ":take", p->take);
    store_bind_named_int(stmt, ":skip", p->skip);
    size_t take = (size_t)p->take;
    int rc;
    *n = 0;
    while ((rc = drv_step(stmt)) == DRV_ROW && *n < take) {
        size_t at = p->ascending ? take - 1 - *n : *n;
        ids[at] = drv_col_int64(stmt, 0);
        for (int e = 0; e < 2; e++)
            if (at == (e ? take - 1 : 0)) {
                ends[e].id = ids[at];
                ends[e].first_seen = drv_col_int64(stmt, 1);
                ends[e].severity = drv_col_int(stmt, 2);
            }
        (*n)++;
    }
    drv_reset(stmt);
    if (rc != DRV_ROW && rc != DRV_DONE)
        return store_sqlerr(st, err, "listing leaks");
    return AKW_OK;
}

static enum akw_status
status_ids(struct store *st, const struct list_query *q, long offset, long limit, int64_t *ids,
           size_t *n, struct akw_err *err)
{
    long total = 0;
    int valid = 0;
    enum akw_status s = status_count(st, q, &total, err);
    if (s == AKW_OK)
        s = cache_check(st, q, &valid, err);
    if (s != AKW_OK || offset >= total)
        return s;
    struct plan p = plan_page(st, valid, total, offset, limit);
    struct store_anchor ends[2];
    s = run_plan(st, q, &p, ids, n, ends, err);
    if (s == AKW_OK && *n != (size_t)p.take) {
        /* leak_counts disagrees with the rows (cannot happen while the triggers are in
         * place): answer from the top, which needs no count, and remember nothing */
        store_list_cache_reset(st);
        struct plan top = {NULL, 0, offset, limit};
        return run_plan(st, q, &top, ids, n, ends, err);
    }
    if (s == AKW_OK) {
        remember(st, offset, ends[0].id, ends[0].first_seen, ends[0].severity);
        remember(st, offset + p.take - 1, ends[1].id, ends[1].first_seen, ends[1].severity);
    }
    return s;
}

/* ---- public ----------------------------------------------------------- */

enum akw_status
store_leak_count(struct store *st, const struct leak_filter *f, long *out, struct akw_err *err)
{
    *out = 0;
    int began = read_begin(st);
    struct leak_filter tmp;
    f = confidence_effective(st, f, &tmp);
    struct list_query q;
    store_query_init(&q, f, st->db->dialect);
    enum akw_status s;
    if (q.search) {
        s = search_ids(st, &q, err);
        if (s == AKW_OK)
            *out = (long)st->list.n_ids;
    } else {
        s = status_count(st, &q, out, err);
    }
    read_end(st, began);
    store_query_done(&q);
    return s;
}

/* Rows are read READ_CHUNK ids to a statement (a server store pays a round trip per
 * statement: a page of 50 read one id at a time cost 50); unused places bind id 0, which no
 * leak has. READ_CHUNK is the number of placeholders in read_rows_sql. */
#define READ_CHUNK 32

static const char read_rows_sql[] =
    "SELECT " STORE_LEAK_COLUMNS_NOSECRET " FROM leaks l WHERE l.id IN ("
    "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
    "?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32)";

/* Read the leaks ids[0..n) into out[0..*n_out), in the order of ids. */
static enum akw_status
read_rows(struct store *st, const int64_t *ids, size_t n, struct leak *out, size_t *n_out,
          struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(st, read_rows_sql, err);
    if (!s)
        return AKW_ERR_DB;
    struct leak got[READ_CHUNK];
    for (size_t base = 0; base < n; base += READ_CHUNK) {
        size_t k = n - base < READ_CHUNK ? n - base : READ_CHUNK, n_got = 0;
        drv_reset(s);
        for (size_t i = 0; i < READ_CHUNK; i++)
            drv_bind_int64(s, (int)i + 1, i < k ? ids[base + i] : 0);
        int rc;
        while ((rc = drv_step(s)) == DRV_ROW && n_got < READ_CHUNK)
            store_leak_read(s, &got[n_got++]);
        if (rc != DRV_ROW && rc != DRV_DONE) {
            for (size_t j = 0; j < n_got; j++)
                leak_done(&got[j]);
            drv_reset(s);
            return store_sqlerr(st, err, "reading leaks");
        }
        /* in the page's order; an id with no row cannot happen (leaks are never deleted) */
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < n_got; j++)
                if (got[j].id == ids[base + i]) {
                    out[(*n_out)++] = got[j];
                    got[j].id = 0;
                    break;
                }
        for (size_t j = 0; j < n_got; j++)
            if (got[j].id)
                leak_done(&got[j]);
    }
    drv_reset(s);
    return AKW_OK;
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
    int began = read_begin(st);
    struct leak_filter tmp;
    f = confidence_effective(st, f, &tmp);
    struct list_query q;
    store_query_init(&q, f, st->db->dialect);
    int64_t *ids = xmalloc((size_t)limit * sizeof *ids);
    size_t n = 0;
    enum akw_status s;
    if (q.search) {
        s = search_ids(st, &q, err);
        for (long i = offset; s == AKW_OK && i < offset + limit && (size_t)i < st->list.n_ids;
             i++)
            ids[n++] = st->list.ids[i];
    } else {
        s = status_ids(st, &q, offset, limit, ids, &n, err);
        if (s != AKW_OK)
            store_list_cache_reset(st);
    }
    if (s == AKW_OK)
        s = read_rows(st, ids, n, out, n_out, err);
    read_end(st, began);
    free(ids);
    store_query_done(&q);
    if (s != AKW_OK) {
        for (size_t i = 0; i < *n_out; i++)
            leak_done(&out[i]);
        *n_out = 0;
    }
    return s;
}

enum akw_status
store_leak_foreach(struct store *st, const struct leak_filter *f,
                   int (*cb)(const struct leak *l, void *user), void *user, struct akw_err *err)
{
    struct leak_filter tmp;
    f = confidence_effective(st, f, &tmp);
    struct list_query q;
    store_query_init(&q, f, st->db->dialect);
    struct buf sql;
    buf_init(&sql);
    buf_printf(&sql, "SELECT " STORE_LEAK_COLUMNS " FROM %s%s%s", q.from, q.where.data,
               store_query_order(&q, 0));
    /* its own statement: the callback may call the store, which reuses cached ones */
    struct drv_stmt *s = NULL;
    enum akw_status status = AKW_OK;
    if (drv_prepare(st->db, sql.data, 0, &s) != 0) {
        status = store_sqlerr(st, err, "listing leaks");
    } else {
        store_query_bind(s, &q);
        int rc;
        while ((rc = drv_step(s)) == DRV_ROW) {
            struct leak l;
            store_leak_read(s, &l);
            int stop = cb(&l, user);
            leak_done(&l);
            if (stop)
                break;
        }
        if (rc != DRV_ROW && rc != DRV_DONE)
            status = store_sqlerr(st, err, "listing leaks");
    }
    drv_finalize(s);
    buf_done(&sql);
    store_query_done(&q);
    return status;
}
