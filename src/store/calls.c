/* calls — suspicious calls made with leaked keys, the imported access-log requests kept for
 * the access-log search, and the list of leaked AK IDs that calls import matches against.
 * Parsing log files is calls/'s job; this file only stores and queries rows.
 */
#include "config.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALL_COLUMNS                                                                         \
    "id, coalesce(leak_id, 0), ak_id, at, source_ip, action, url, user_agent, source_file,"   \
    " coalesce(source_line, 0), kind, event_key"

void
call_done(struct call *c)
{
    if (!c)
        return;
    free(c->ak_id);
    free(c->source_ip);
    free(c->action);
    free(c->url);
    free(c->user_agent);
    free(c->source_file);
    free(c->kind);
    free(c->event_key);
    memset(c, 0, sizeof *c);
}

void
access_request_done(struct access_request *r)
{
    if (!r)
        return;
    free(r->source_ip);
    free(r->method);
    free(r->path);
    free(r->user_agent);
    free(r->source_file);
    memset(r, 0, sizeof *r);
}

static void
call_read(struct drv_stmt *s, struct call *c)
{
    c->id = drv_col_int64(s, 0);
    c->leak_id = drv_col_int64(s, 1);
    c->ak_id = store_col_dup(s, 2);
    c->at = (time_t)drv_col_int64(s, 3);
    c->source_ip = store_col_dup(s, 4);
    c->action = store_col_dup(s, 5);
    c->url = store_col_dup(s, 6);
    c->user_agent = store_col_dup(s, 7);
    c->source_file = store_col_dup(s, 8);
    c->source_line = (long)drv_col_int64(s, 9);
    c->kind = store_col_dup(s, 10);
    c->event_key = store_col_dup(s, 11);
}

enum akw_status
store_call_add(struct store *st, const struct call *c, int64_t *id_out, struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(
        st,
        "INSERT INTO calls(ak_id, leak_id, at, source_ip, action, url, user_agent, source_file,"
        " source_line, kind, event_key) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        " ON CONFLICT(event_key) DO NOTHING RETURNING id",
        err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, c->ak_id);
    if (c->leak_id > 0)
        drv_bind_int64(s, 2, c->leak_id);
    drv_bind_int64(s, 3, (int64_t)c->at);
    store_bind_text(s, 4, c->source_ip);
    store_bind_text(s, 5, c->action);
    store_bind_text(s, 6, c->url);
    store_bind_text(s, 7, c->user_agent);
    store_bind_text(s, 8, c->source_file);
    drv_bind_int64(s, 9, c->source_line);
    store_bind_text(s, 10, c->kind);
    store_bind_text(s, 11, c->event_key);
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "recording a suspicious call");
    if (id_out) /* RETURNING gives a row only for an insert */
        *id_out = rc == DRV_ROW ? drv_col_int64(s, 0) : 0;
    drv_reset(s);
    return AKW_OK;
}

enum akw_status
store_call_get(struct store *st, int64_t id, struct call *out, struct akw_err *err)
{
    memset(out, 0, sizeof *out);
    struct drv_stmt *s = store_stmt_dyn(st, "SELECT " CALL_COLUMNS " FROM calls WHERE id = ?1", err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, id);
    int rc = drv_step(s);
    if (rc == DRV_ROW) {
        call_read(s, out);
        drv_reset(s);
        return AKW_OK;
    }
    if (rc == DRV_DONE)
        return akw_err_set(err, AKW_ERR_NOTFOUND, _("no suspicious call with id %lld"),
                           (long long)id);
    return store_sqlerr(st, err, "reading a suspicious call");
}

enum akw_status
store_calls_foreach(struct store *st, const struct call_filter *f,
                    int (*cb)(const struct call *c, void *user), void *user, struct akw_err *err)
{
    const struct drv_dialect *d = st->db->dialect;
    struct buf q;
    buf_init(&q);
    buf_puts(&q, "SELECT " CALL_COLUMNS " FROM calls WHERE 1 = 1");
    /* case-insensitive: the dialect's folded key against the value folded here */
    if (f && f->ak_id)
        buf_printf(&q, " AND %sak_id%s = ?1", d->nocase_pre, d->nocase_post);
    if (f && f->leak_id)
        buf_puts(&q, " AND leak_id = ?2");
    buf_puts(&q, " ORDER BY at, id");
    struct drv_stmt *s = store_stmt_dyn(st, q.data, err);
    buf_done(&q);
    if (!s)
        return AKW_ERR_DB;
    if (f && f->ak_id) {
        char *low = xstrdup(f->ak_id);
        for (char *p = low; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        drv_bind_text(s, 1, low);
        free(low);
    }
    if (f && f->leak_id)
        drv_bind_int64(s, 2, f->leak_id);
    int rc;
    while ((rc = drv_step(s)) == DRV_ROW) {
        struct call c;
        call_read(s, &c);
        int stop = cb(&c, user);
        call_done(&c);
        if (stop) {
            drv_reset(s);
            return AKW_OK;
        }
    }
    if (rc != DRV_DONE)
        return store_sqlerr(st, err, "listing suspicious calls");
    return AKW_OK;
}

static void
leaked_key_row(struct drv_stmt *s, void *item)
{
    struct leaked_key *k = item;
    k->leak_id = drv_col_int64(s, 0);
    k->ak_id = store_col_dup(s, 1);
    k->first_seen = (time_t)drv_col_int64(s, 2);
    k->status = (enum leak_status)drv_col_int(s, 3);
}

static void
leaked_key_done(void *item)
{
    free(((struct leaked_key *)item)->ak_id);
}

static const struct store_rows leaked_key_rows = {sizeof(struct leaked_key), leaked_key_row,
                                                  leaked_key_done, "listing leaked keys"};

enum akw_status
store_leaked_keys(struct store *st, struct leaked_key **out, size_t *n, struct akw_err *err)
{
    *out = NULL;
    *n = 0;
    struct drv_stmt *s = store_stmt_dyn(st,
                                     "SELECT id, ak_id, first_seen, status FROM leaks"
                                     " WHERE ak_id IS NOT NULL AND ak_id != '' ORDER BY id",
                                     err);
    if (!s)
        return AKW_ERR_DB;
    void *v;
    enum akw_status status = store_rows_read(st, s, &leaked_key_rows, &v, n, err);
    *out = v;
    return status;
}

void
store_leaked_keys_free(struct leaked_key *k, size_t n)
{
    store_rows_free(k, n, &leaked_key_rows);
}

/* The last path segment: the indexed column the access-log search narrows on. */
static const char *
base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

enum akw_status
store_access_add(struct store *st, const struct access_request *r, int64_t key, int *inserted,
                 struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(
        st,
        "INSERT INTO access_requests(at, source_ip, method, path, base, status, user_agent,"
        " source_file, source_line, event_key) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " ON CONFLICT(event_key) DO NOTHING",
        err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, (int64_t)r->at);
    store_bind_text(s, 2, r->source_ip);
    store_bind_text(s, 3, r->method);
    store_bind_text(s, 4, r->path ? r->path : "");
    drv_bind_text(s, 5, base_of(r->path ? r->path : ""));
    drv_bind_int64(s, 6, r->status);
    store_bind_text(s, 7, r->user_agent);
    store_bind_text(s, 8, r->source_file);
    drv_bind_int64(s, 9, r->source_line);
    drv_bind_int64(s, 10, key);
    if (drv_step(s) != DRV_DONE)
        return store_sqlerr(st, err, "recording an access-log request");
    if (inserted)
        *inserted = drv_changes(st->db) > 0;
    return AKW_OK;
}

/* "./a/b", "/a/b", "ROOT/a/b" (local scans) -> "a/b"; NULL when nothing is left. */
static char *
norm_path(const char *path, const char *root)
{
    size_t rl = root ? strlen(root) : 0;
    if (rl && strncmp(path, root, rl) == 0 && path[rl] == '/')
        path += rl;
    while (*path == '/' || (path[0] == '.' && path[1] == '/'))
        path += *path == '/' ? 1 : 2;
    return *path && *base_of(path) ? xstrdup(path) : NULL;
}

static enum akw_status
access_query(struct store *st, char **paths, size_t n,
             int (*cb)(const struct access_request *r, void *user), void *user,
             struct akw_err *err)
{
    if (n == 0)
        return AKW_OK;
    struct buf q;
    buf_init(&q);
    buf_puts(&q, "SELECT id, at, source_ip, method, path, status, user_agent, source_file,"
                 " source_line FROM access_requests WHERE ");
    /* The request's path is the file's path ("/conf/a.yml" for conf/a.yml), ends with it
     * (a site serving the repository under a prefix: "/backup/conf/a.yml"), or is its end
     * (a site whose web root is a folder of the repository or of the machine: "/.env" for
     * public/.env or /srv/site/.env); always whole path components. */
    /* Written with positive substr starts only: the dialects read negative ones apart. */
    for (size_t i = 0; i < n; i++) {
        size_t b = 2 * i + 1, p = 2 * i + 2;
        buf_printf(&q,
                   "%s(base = ?%zu AND (path = '/' || ?%zu"
                   " OR (length(path) > length(?%zu)"
                   "  AND substr(path, length(path) - length(?%zu)) = '/' || ?%zu)"
                   " OR (length(path) <= length(?%zu) + 1"
                   "  AND substr('/' || ?%zu, length(?%zu) + 2 - length(path)) = path)))",
                   i ? " OR " : "", b, p, p, p, p, p, p, p);
    }
    buf_puts(&q, " ORDER BY at, id");
    struct drv_stmt *s = store_stmt_dyn(st, q.data, err);
    buf_done(&q);
    if (!s)
        return AKW_ERR_DB;
    for (size_t i = 0; i < n; i++) {
        drv_bind_text(s, (int)(2 * i + 1), base_of(paths[i]));
        drv_bind_text(s, (int)(2 * i + 2), paths[i]);
    }
    int rc;
    while ((rc = drv_step(s)) == DRV_ROW) {
        struct access_request r = {
            .id = drv_col_int64(s, 0),
            .at = (time_t)drv_col_int64(s, 1),
            .source_ip = store_col_dup(s, 2),
            .method = store_col_dup(s, 3),
            .path = store_col_dup(s, 4),
            .status = drv_col_int(s, 5),
            .user_agent = store_col_dup(s, 6),
            .source_file = store_col_dup(s, 7),
            .source_line = (long)drv_col_int64(s, 8),
        };
        int stop = cb(&r, user);
        access_request_done(&r);
        if (stop) {
            drv_reset(s);
            return AKW_OK;
        }
    }
    if (rc != DRV_DONE)
        return store_sqlerr(st, err, "searching the access logs");
    return AKW_OK;
}

enum akw_status
store_access_for_path(struct store *st, const char *path,
                      int (*cb)(const struct access_request *r, void *user), void *user,
                      struct akw_err *err)
{
    char *p = path ? norm_path(path, NULL) : NULL;
    enum akw_status s = access_query(st, &p, p ? 1 : 0, cb, user, err);
    free(p);
    return s;
}

/* At most this many distinct paths of one leak are searched (SQLite's parameter limit). */
#define ACCESS_MAX_PATHS 200

enum akw_status
store_access_for_leak(struct store *st, int64_t leak_id,
                      int (*cb)(const struct access_request *r, void *user), void *user,
                      struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(
        st, "SELECT DISTINCT path, repo, platform FROM locations WHERE leak_id = ?1", err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, leak_id);
    char *paths[ACCESS_MAX_PATHS];
    size_t n = 0;
    int rc;
    while (n < ACCESS_MAX_PATHS && (rc = drv_step(s)) == DRV_ROW) {
        const char *platform = drv_col_text(s, 2);
        const char *root = platform && strcmp(platform, "github") != 0
                               ? drv_col_text(s, 1)
                               : NULL;
        char *p = norm_path(drv_col_text(s, 0), root);
        int dup = 0;
        for (size_t i = 0; p && i < n; i++)
            dup |= strcmp(paths[i], p) == 0;
        if (p && !dup)
            paths[n++] = p;
        else
            free(p);
    }
    drv_reset(s);
    enum akw_status status = access_query(st, paths, n, cb, user, err);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    return status;
}
