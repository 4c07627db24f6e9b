/* copy — store_copy(): every row of one store into another, of either backend (moving a
 * SQLite file into a PostgreSQL server, or back). Rows are matched on their natural keys
 * (a leak's fingerprint, a location's place, a call's event key...), never on ids, so a
 * second run adds nothing; references between tables are mapped to the target's ids. The
 * whole copy is one transaction of the target, checked before it commits. It does not
 * change the source, and never merges two decisions: a leak the target already holds
 * keeps the target's. */
#include "config.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows read from the source per query: the PostgreSQL driver fetches a result whole. */
#define COPY_PAGE 2000

/* A map from the source's ids to the target's, appended in increasing source id order
 * (tables are read by id), looked up by binary search. */
struct id_map {
    int64_t (*pair)[2];
    size_t n, cap;
};

static void
id_map_add(struct id_map *m, int64_t from, int64_t to)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->pair = xrealloc(m->pair, m->cap * sizeof *m->pair);
    }
    m->pair[m->n][0] = from;
    m->pair[m->n++][1] = to;
}

/* The target's id of source id `from`, or 0 when it was not copied. */
static int64_t
id_map_get(const struct id_map *m, int64_t from)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->pair[mid][0] == from)
            return m->pair[mid][1];
        if (m->pair[mid][0] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The first 32 characters of each fingerprint (128 bits of a SHA-256 in hex), to compare
 * the two stores' sets at the end without trusting either server's collation. */
struct fp_set {
    char (*fp)[32];
    size_t n, cap;
};

static void
fp_set_add(struct fp_set *f, const char *fp)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 1024;
        f->fp = xrealloc(f->fp, f->cap * sizeof *f->fp);
    }
    memset(f->fp[f->n], 0, sizeof f->fp[0]);
    if (fp)
        memcpy(f->fp[f->n], fp, strnlen(fp, sizeof f->fp[0]));
    f->n++;
}

static int
fp_cmp(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

/* How one table is copied. cols: the columns after id, with a type letter each in types
 * (i integer, t text, L a leak id, C a call id: both mapped to the target's ids). match:
 * the WHERE clause that finds a source row in the target, over the row's values as
 * ?1..?N (N = the columns) and :before (the target's highest id when the copy started:
 * rows this copy added never match, so two equal audit rows are copied as two). has_id:
 * 0 for a table keyed by its columns only. extra: more columns the match reads (a
 * leak's decision, to tell when the target's differs). */
struct copy_spec {
    const char *name, *cols, *types, *match, *extra;
    int has_id;
    int map; /* 1 leaks, 2 calls: remember this table's ids (others refer to them) */
};

/* clang-format off */
/* the columns of a leak's decision in LEAK_COLS (0-based): status, handled_as, note */
#define LEAK_COLS                                                                           \
    "fingerprint, rule, kind, description, ak_id, secret_masked, secret, severity, owned, " \
    "status, handled_as, note, verified, verified_at, verified_identity, verify_error, "     \
    "first_seen, last_seen, handled_at, first_repo, first_path, confidence"
enum { LEAK_STATUS_COL = 9, LEAK_HANDLED_AS_COL = 10, LEAK_NOTE_COL = 11 };

/* In this order: a table comes after the tables it refers to. */
static const struct copy_spec specs[STORE_COPY_TABLES] = {
    {"leaks", LEAK_COLS, "tttttttiiiittittiiitti", "fingerprint = ?1",
     ", status, handled_as, note", 1, 1},
    {"locations",
     "leak_id, platform, repo, path, line, col, commit_sha, url, author, committed_at, "
     "found_at, snippet", "Ltttiitttiit",
     "leak_id = ?1 AND platform = ?2 AND repo = ?3 AND path = ?4 AND line = ?5"
     " AND commit_sha = ?7", "", 1, 0},
    {"whitelist", "ak_id, fingerprint, reason, who, added_at", "tttti",
     "ak_id = ?1 OR fingerprint = ?2", "", 1, 0},
    {"calls",
     "ak_id, leak_id, at, source_ip, action, url, user_agent, source_file, source_line, kind, "
     "event_key", "tLitttttitt",
     "event_key = ?11 OR (?11 IS NULL AND event_key IS NULL AND kind = ?10 AND at = ?3"
     " AND coalesce(source_file, '') = coalesce(?8, '')"
     " AND coalesce(source_line, 0) = coalesce(?9, 0) AND id <= :before)", "", 1, 2},
    {"alerts",
     "leak_id, call_id, type, created_at, state, sent_at, suppressed_reason, channel, "
     "attempts, last_error", "LCtitittit",
     "coalesce(leak_id, 0) = coalesce(?1, 0) AND coalesce(call_id, 0) = coalesce(?2, 0)"
     " AND type = ?3 AND created_at = ?4"
     " AND coalesce(suppressed_reason, '') = coalesce(?7, '') AND id <= :before", "", 1, 0},
    {"actions", "leak_id, ak_id, who, what, note, at, old_status, new_status", "Lttttiii",
     "coalesce(leak_id, 0) = coalesce(?1, 0) AND coalesce(ak_id, '') = coalesce(?2, '')"
     " AND who = ?3 AND what = ?4 AND coalesce(note, '') = coalesce(?5, '') AND at = ?6"
     " AND coalesce(old_status, -1) = coalesce(?7, -1)"
     " AND coalesce(new_status, -1) = coalesce(?8, -1) AND id <= :before", "", 1, 0},
    {"scan_state", "source, key, value, updated_at", "ttti", "source = ?1 AND key = ?2", "",
     0, 0},
    {"access_requests",
     "at, source_ip, method, path, base, status, user_agent, source_file, source_line, "
     "event_key", "ittttittii", "event_key = ?10", "", 1, 0},
};
/* clang-format on */

/* One copy: both stores, the id maps, the source's fingerprints; and one table's run. */
struct copy_run {
    struct store *from, *to;
    struct store_copy_report *rep;
    struct id_map maps[3]; /* [1] leaks, [2] calls */
    struct fp_set fps;
    const struct copy_spec *spec;
    struct store_copy_table *t;
    int n_cols, keep_ids;
    int64_t before;
    struct drv_stmt *read, *match, *insert;
};

static int
n_cols_of(const struct copy_spec *sp)
{
    int n = 1;
    for (const char *p = sp->cols; *p; p++)
        n += *p == ',';
    return n;
}

static enum akw_status
prepare_run(struct copy_run *r, struct akw_err *err)
{
    const struct copy_spec *sp = r->spec;
    struct buf q;
    buf_init(&q);
    if (sp->has_id)
        buf_printf(&q, "SELECT id, %s FROM %s WHERE id > ?1 ORDER BY id LIMIT %d", sp->cols,
                   sp->name, COPY_PAGE);
    else
        buf_printf(&q, "SELECT 0, %s FROM %s", sp->cols, sp->name);
    int rc = drv_prepare(r->from->db, q.data, 1, &r->read);
    buf_reset(&q);
    if (rc != 0) {
        buf_done(&q);
        return store_sqlerr(r->from, err, "reading for the copy");
    }
    buf_printf(&q, "SELECT %s%s FROM %s WHERE %s", sp->has_id ? "id" : "0", sp->extra,
               sp->name, sp->match);
    rc = drv_prepare(r->to->db, q.data, 1, &r->match);
    buf_reset(&q);
    if (rc == 0) {
        buf_printf(&q, "INSERT INTO %s(%s%s) VALUES(", sp->name, r->keep_ids ? "id, " : "",
                   sp->cols);
        if (r->keep_ids)
            buf_printf(&q, "?%d, ", r->n_cols + 1);
        for (int i = 1; i <= r->n_cols; i++)
            buf_printf(&q, "?%d%s", i, i < r->n_cols ? ", " : ")");
        if (sp->has_id)
            buf_puts(&q, " RETURNING id");
        rc = drv_prepare(r->to->db, q.data, 1, &r->insert);
    }
    buf_done(&q);
    if (rc != 0)
        return store_sqlerr(r->to, err, "preparing the copy");
    return AKW_OK;
}

/* Bind column c (0-based) of the source row to parameter c + 1 of s, mapping references. */
static enum akw_status
bind_col(struct copy_run *r, struct drv_stmt *s, int c, struct akw_err *err)
{
    char type = r->spec->types[c];
    if (drv_col_null(r->read, c + 1)) {
        drv_bind_null(s, c + 1);
        return AKW_OK;
    }
    if (type == 't') {
        drv_bind_text(s, c + 1, drv_col_text(r->read, c + 1));
        return AKW_OK;
    }
    int64_t v = drv_col_int64(r->read, c + 1);
    if (type == 'L' || type == 'C') {
        int64_t to = id_map_get(&r->maps[type == 'L' ? 1 : 2], v);
        if (!to)
            return akw_err_set(err, AKW_ERR_DB,
                               _("%s: %s row %lld names %s %lld, which is not in the store"),
                               r->from->path, r->spec->name,
                               (long long)drv_col_int64(r->read, 0),
                               type == 'L' ? "leak" : "call", (long long)v);
        v = to;
    }
    drv_bind_int64(s, c + 1, v);
    return AKW_OK;
}

static enum akw_status
bind_row(struct copy_run *r, struct drv_stmt *s, struct akw_err *err)
{
    drv_reset(s);
    drv_clear(s);
    for (int c = 0; c < r->n_cols; c++) {
        enum akw_status st = bind_col(r, s, c, err);
        if (st != AKW_OK)
            return st;
    }
    store_bind_named_int(s, ":before", r->before);
    return AKW_OK;
}

/* The matched leak (r->match on its row): does the target's decision differ? */
static int
decision_differs(struct copy_run *r)
{
    const char *a = drv_col_text(r->read, LEAK_NOTE_COL + 1);
    const char *b = drv_col_text(r->match, 3);
    return drv_col_int64(r->match, 1) != drv_col_int64(r->read, LEAK_STATUS_COL + 1) ||
           drv_col_int64(r->match, 2) != drv_col_int64(r->read, LEAK_HANDLED_AS_COL + 1) ||
           strcmp(a ? a : "", b ? b : "") != 0;
}

/* Copy the source row under r->read: find it in the target, else insert it. */
static enum akw_status
copy_row(struct copy_run *r, struct akw_err *err)
{
    enum akw_status st = bind_row(r, r->match, err);
    if (st != AKW_OK)
        return st;
    int64_t from_id = drv_col_int64(r->read, 0), to_id = 0;
    int rc = drv_step(r->match);
    if (rc == DRV_ROW) {
        to_id = drv_col_int64(r->match, 0);
        r->t->present++;
        if (r->spec->map == 1 && decision_differs(r))
            r->rep->other_decision++;
    }
    drv_reset(r->match);
    if (rc == DRV_ERROR)
        return store_sqlerr(r->to, err, "matching a row");
    if (rc == DRV_DONE) {
        if ((st = bind_row(r, r->insert, err)) != AKW_OK)
            return st;
        if (r->keep_ids)
            drv_bind_int64(r->insert, r->n_cols + 1, from_id);
        rc = drv_step(r->insert);
        if (rc == DRV_ROW)
            to_id = drv_col_int64(r->insert, 0);
        drv_reset(r->insert);
        if (rc == DRV_ERROR)
            return store_sqlerr(r->to, err, "copying a row");
        r->t->copied++;
    }
    if (r->spec->map)
        id_map_add(&r->maps[r->spec->map], from_id, to_id);
    if (r->spec->map == 1)
        fp_set_add(&r->fps, drv_col_text(r->read, 1));
    return AKW_OK;
}

static enum akw_status
query_int(struct store *st, const char *fmt, const char *table, int64_t *out,
          struct akw_err *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, fmt, table);
    if (store_query_int64(st->db, sql, out) != 0)
        return store_sqlerr(st, err, "counting rows");
    return AKW_OK;
}

/* The target's ids continue after the ids the copy kept. */
static enum akw_status
resync_ids(struct store *to, const char *table, struct akw_err *err)
{
    const char *fmt = to->db->dialect->id_resync;
    if (!fmt)
        return AKW_OK;
    char *sql = xasprintf(fmt, table, table);
    int rc = drv_exec(to->db, sql);
    free(sql);
    return rc == 0 ? AKW_OK : store_sqlerr(to, err, "continuing the ids");
}

static enum akw_status
copy_pages(struct copy_run *r, struct akw_err *err)
{
    int64_t last = 0;
    for (;;) {
        drv_reset(r->read);
        drv_bind_int64(r->read, 1, last);
        long got = 0;
        int rc;
        while ((rc = drv_step(r->read)) == DRV_ROW) {
            enum akw_status st = copy_row(r, err);
            if (st != AKW_OK)
                return st;
            last = drv_col_int64(r->read, 0);
            r->t->from++;
            got++;
        }
        drv_reset(r->read);
        if (rc == DRV_ERROR)
            return store_sqlerr(r->from, err, "reading for the copy");
        if (!r->spec->has_id || got < COPY_PAGE)
            return AKW_OK;
    }
}

static enum akw_status
copy_table(struct copy_run *r, struct akw_err *err)
{
    const struct copy_spec *sp = r->spec;
    int64_t before_n = 0, after_n = 0;
    r->t->name = sp->name;
    r->n_cols = n_cols_of(sp);
    r->before = 0;
    if ((int)strlen(sp->types) != r->n_cols) /* a mistake in the table above */
        return akw_err_set(err, AKW_ERR_DB, "copy: %s: %d columns, %d types", sp->name,
                           r->n_cols, (int)strlen(sp->types));
    enum akw_status st = query_int(r->to, "SELECT count(*) FROM %s", sp->name, &before_n, err);
    if (st == AKW_OK && sp->has_id)
        st = query_int(r->to, "SELECT coalesce(max(id), 0) FROM %s", sp->name, &r->before, err);
    r->t->to_before = (long)before_n;
    /* a table the target holds nothing of keeps the source's ids (`show 42` stays 42) */
    r->keep_ids = r->t->kept_ids = sp->has_id && before_n == 0;
    if (st == AKW_OK)
        st = prepare_run(r, err);
    if (st == AKW_OK)
        st = copy_pages(r, err);
    if (st == AKW_OK && r->keep_ids && r->t->copied)
        st = resync_ids(r->to, sp->name, err);
    if (st == AKW_OK)
        st = query_int(r->to, "SELECT count(*) FROM %s", sp->name, &after_n, err);
    r->t->to_after = (long)after_n;
    if (st == AKW_OK && r->t->to_after != r->t->to_before + r->t->copied)
        st = akw_err_set(err, AKW_ERR_DB,
                         _("%s: %s: %ld rows before the copy and %ld copied, but %ld now "
                           "(another writer?)"),
                         r->to->path, sp->name, r->t->to_before, r->t->copied, r->t->to_after);
    drv_finalize(r->read);
    drv_finalize(r->match);
    drv_finalize(r->insert);
    r->read = r->match = r->insert = NULL;
    return st;
}

/* Every fingerprint of the source is in the target (read back, not taken from the copy's
 * own bookkeeping). */
static enum akw_status
check_fingerprints(struct copy_run *r, struct akw_err *err)
{
    struct fp_set to = {0};
    struct drv_stmt *s = NULL;
    enum akw_status st = AKW_OK;
    if (drv_prepare(r->to->db, "SELECT id, fingerprint FROM leaks WHERE id > ?1 ORDER BY id"
                               " LIMIT 10000", 1, &s) != 0)
        return store_sqlerr(r->to, err, "checking the fingerprints");
    int64_t last = 0;
    int rc = DRV_ROW;
    for (size_t got = 1; got && rc != DRV_ERROR;) {
        drv_reset(s);
        drv_bind_int64(s, 1, last);
        for (got = 0; (rc = drv_step(s)) == DRV_ROW; got++) {
            last = drv_col_int64(s, 0);
            fp_set_add(&to, drv_col_text(s, 1));
        }
    }
    if (rc == DRV_ERROR)
        st = store_sqlerr(r->to, err, "checking the fingerprints");
    drv_finalize(s);
    qsort(r->fps.fp, r->fps.n, sizeof r->fps.fp[0], fp_cmp);
    qsort(to.fp, to.n, sizeof to.fp[0], fp_cmp);
    size_t j = 0;
    for (size_t i = 0; st == AKW_OK && i < r->fps.n; i++) {
        while (j < to.n && fp_cmp(to.fp[j], r->fps.fp[i]) < 0)
            j++;
        if (j == to.n || fp_cmp(to.fp[j], r->fps.fp[i]) != 0)
            r->rep->missing_fingerprints++;
    }
    r->rep->fingerprints = (long)r->fps.n;
    free(to.fp);
    if (st == AKW_OK && r->rep->missing_fingerprints)
        st = akw_err_set(err, AKW_ERR_DB,
                         _("%s: %ld of the %ld fingerprints of %s are missing after the copy"),
                         r->to->path, r->rep->missing_fingerprints, r->rep->fingerprints,
                         r->from->path);
    return st;
}

static enum akw_status
copy_all(struct copy_run *r, struct akw_err *err)
{
    enum akw_status st = AKW_OK;
    for (size_t i = 0; st == AKW_OK && i < STORE_COPY_TABLES; i++) {
        r->spec = &specs[i];
        r->t = &r->rep->tables[i];
        st = copy_table(r, err);
    }
    return st == AKW_OK ? check_fingerprints(r, err) : st;
}

enum akw_status
store_copy(struct store *from, struct store *to, struct store_copy_report *rep,
           struct akw_err *err)
{
    memset(rep, 0, sizeof *rep);
    if (store_same(from, to))
        return akw_err_set(err, AKW_ERR_USAGE, _("%s and %s are the same store"), from->path,
                           to->path);
    /* the source is read at one moment; the target changes all at once, or not at all */
    if (drv_exec(from->db, from->db->dialect->begin_read) != 0)
        return store_sqlerr(from, err, "reading for the copy");
    enum akw_status st = store_begin(to, err);
    struct copy_run r = {.from = from, .to = to, .rep = rep};
    if (st == AKW_OK)
        st = copy_all(&r, err);
    if (st == AKW_OK)
        st = store_commit(to, err);
    else
        store_rollback(to);
    drv_exec(from->db, "COMMIT");
    for (size_t i = 0; i < 3; i++)
        free(r.maps[i].pair);
    free(r.fps.fp);
    return st;
}

/* The database's identity text, resolved to a real path when it is a file's. Caller frees;
 * NULL when it cannot be read. */
static char *
identity(struct store *st)
{
    struct drv_stmt *s = NULL;
    char *id = NULL;
    if (drv_prepare(st->db, st->db->dialect->identity_sql, 0, &s) != 0)
        return NULL;
    if (drv_step(s) == DRV_ROW && drv_col_text(s, 0))
        id = xstrdup(drv_col_text(s, 0));
    drv_finalize(s);
    char *real = id && id[0] == '/' ? realpath(id, NULL) : NULL;
    if (real) {
        free(id);
        id = real;
    }
    return id;
}

int
store_same(struct store *a, struct store *b)
{
    if (strcmp(a->db->dialect->name, b->db->dialect->name) != 0)
        return 0;
    char *ia = identity(a), *ib = identity(b);
    /* a store whose identity cannot be read is taken for the same: refusing is safe */
    int same = !ia || !ib || strcmp(ia, ib) == 0;
    free(ia);
    free(ib);
    return same;
}

const char *
store_name(const struct store *st)
{
    return st->path;
}
