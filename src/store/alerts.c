/* alerts — the alerts table: one row per alert with its delivery state, written by notify/
 * and read by the TUI and exports. It decides nothing about windows or channels.
 */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

// clang-format off
static const char *const type_names[] = {"leak", "call", "digest"};
static const char *const state_names[] = {"pending", "sent", "suppressed", "failed"};
// clang-format on

const char *
alert_type_name(enum alert_type t)
{
    return (unsigned)t < 3 ? type_names[t] : NULL;
}

const char *
alert_state_name(enum alert_state s)
{
    return (unsigned)s < 4 ? state_names[s] : NULL;
}

static int
name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return 0;
}

void
alert_done(struct alert *a)
{
    if (!a)
        return;
    free(a->suppressed_reason);
    free(a->channel);
    free(a->last_error);
    memset(a, 0, sizeof *a);
}

static void
bind_id(struct drv_stmt *s, int i, int64_t id)
{
    if (id > 0)
        drv_bind_int64(s, i, id);
    else
        drv_bind_null(s, i);
}

enum akw_status
store_alert_add(struct store *st, const struct alert *a, int64_t *id_out, struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(
        st,
        "INSERT INTO alerts(leak_id, call_id, type, created_at, state, sent_at,"
        " suppressed_reason, channel, attempts, last_error)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        err);
    if (!s)
        return AKW_ERR_DB;
    bind_id(s, 1, a->leak_id);
    bind_id(s, 2, a->call_id);
    drv_bind_text(s, 3, alert_type_name(a->type));
    drv_bind_int64(s, 4, a->created_at ? (int64_t)a->created_at : (int64_t)akw_now());
    drv_bind_text(s, 5, alert_state_name(a->state));
    if (a->sent_at)
        drv_bind_int64(s, 6, (int64_t)a->sent_at);
    store_bind_text(s, 7, a->suppressed_reason);
    store_bind_text(s, 8, a->channel);
    drv_bind_int64(s, 9, a->attempts);
    store_bind_text(s, 10, a->last_error);
    if (drv_step(s) != DRV_ROW)
        return store_sqlerr(st, err, "recording an alert");
    if (id_out)
        *id_out = drv_col_int64(s, 0);
    drv_reset(s);
    return AKW_OK;
}

enum akw_status
store_alert_update(struct store *st, const struct alert *a, struct akw_err *err)
{
    struct drv_stmt *s = store_stmt_dyn(
        st,
        "UPDATE alerts SET state = ?2, sent_at = ?3, suppressed_reason = ?4, channel = ?5,"
        " attempts = ?6, last_error = ?7 WHERE id = ?1",
        err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, a->id);
    drv_bind_text(s, 2, alert_state_name(a->state));
    if (a->sent_at)
        drv_bind_int64(s, 3, (int64_t)a->sent_at);
    store_bind_text(s, 4, a->suppressed_reason);
    store_bind_text(s, 5, a->channel);
    drv_bind_int64(s, 6, a->attempts);
    store_bind_text(s, 7, a->last_error);
    if (drv_step(s) != DRV_DONE)
        return store_sqlerr(st, err, "updating an alert");
    if (drv_changes(st->db) == 0)
        return akw_err_set(err, AKW_ERR_NOTFOUND, _("no alert with id %lld"), (long long)a->id);
    return AKW_OK;
}

static void
mask_sql(struct buf *q, const char *col, int mask, const char *const *names, int n)
{
    if (!mask)
        return;
    buf_printf(q, " AND %s IN (''", col);
    for (int i = 0; i < n; i++)
        if (mask & (1 << i))
            buf_printf(q, ", '%s'", names[i]);
    buf_puts(q, ")");
}

static void
alert_row(struct drv_stmt *s, void *item)
{
    struct alert *a = item;
    a->id = drv_col_int64(s, 0);
    a->leak_id = drv_col_int64(s, 1);
    a->call_id = drv_col_int64(s, 2);
    a->type = (enum alert_type)name_index(type_names, 3, drv_col_text(s, 3));
    a->created_at = (time_t)drv_col_int64(s, 4);
    a->state = (enum alert_state)name_index(state_names, 4,
                                            drv_col_text(s, 5));
    a->sent_at = (time_t)drv_col_int64(s, 6);
    a->suppressed_reason = store_col_dup(s, 7);
    a->channel = store_col_dup(s, 8);
    a->attempts = drv_col_int(s, 9);
    a->last_error = store_col_dup(s, 10);
}

static void
alert_item_done(void *item)
{
    alert_done(item);
}

static const struct store_rows alert_rows = {sizeof(struct alert), alert_row, alert_item_done,
                                             "listing alerts"};

enum akw_status
store_alert_list(struct store *st, const struct alert_filter *f, struct alert **out, size_t *n,
                 struct akw_err *err)
{
    *out = NULL;
    *n = 0;
    struct buf q;
    buf_init(&q);
    buf_puts(&q, "SELECT id, coalesce(leak_id, 0), coalesce(call_id, 0), type, created_at, state,"
                 " coalesce(sent_at, 0), suppressed_reason, channel, attempts, last_error"
                 " FROM alerts WHERE id > ?1");
    if (f->leak_id)
        buf_puts(&q, " AND leak_id = ?2");
    if (f->reason_prefix)
        buf_puts(&q, " AND substr(suppressed_reason, 1, length(?3)) = ?3");
    mask_sql(&q, "state", f->state_mask, state_names, 4);
    mask_sql(&q, "type", f->type_mask, type_names, 3);
    buf_printf(&q, " ORDER BY id %s", f->oldest_first ? "ASC" : "DESC");
    if (f->limit > 0)
        buf_printf(&q, " LIMIT %ld", f->limit);
    struct drv_stmt *s = store_stmt_dyn(st, q.data, err);
    buf_done(&q);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, f->after_id);
    if (f->leak_id)
        drv_bind_int64(s, 2, f->leak_id);
    if (f->reason_prefix)
        drv_bind_text(s, 3, f->reason_prefix);
    void *v;
    enum akw_status status = store_rows_read(st, s, &alert_rows, &v, n, err);
    *out = v;
    return status;
}

void
store_alerts_free(struct alert *a, size_t n)
{
    store_rows_free(a, n, &alert_rows);
}
