/* store/verify — the verification outcome on a leak (verified, verified_at,
 * verified_identity, verify_error), the list of leaks due for a re-check, and an audit row
 * for every change of verified state. Owned by the verify layer; does not judge outcomes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

void
leak_verification_done(struct leak_verification *v)
{
    if (!v)
        return;
    free(v->state);
    free(v->identity);
    free(v->error);
    memset(v, 0, sizeof *v);
}

/* Also returns the leak's status and AK ID (for the audit row) when asked. */
static enum akw_status
verification_read(struct store *st, int64_t leak_id, struct leak_verification *out,
                  int *status, char **ak_id, struct akw_err *err)
{
    static const char sql[] = "SELECT verified, verified_at, verified_identity, verify_error,"
                              " status, ak_id FROM leaks WHERE id = ?";
    struct drv_stmt *s = store_stmt_dyn(st, sql, err);
    int rc;

    memset(out, 0, sizeof *out);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, leak_id);
    rc = drv_step(s);
    if (rc == DRV_ROW) {
        out->state = store_col_dup(s, 0);
        out->checked_at = (time_t)drv_col_int64(s, 1);
        out->identity = store_col_dup(s, 2);
        out->error = store_col_dup(s, 3);
        if (status)
            *status = drv_col_int(s, 4);
        if (ak_id)
            *ak_id = store_col_dup(s, 5);
    }
    drv_reset(s);
    if (rc == DRV_DONE)
        return akw_err_set(err, AKW_ERR_NOTFOUND, _("no leak with id %lld"), (long long)leak_id);
    if (rc != DRV_ROW)
        return store_sqlerr(st, err, "reading a verification");
    return AKW_OK;
}

enum akw_status
store_verify_get(struct store *st, int64_t leak_id, struct leak_verification *out,
                 struct akw_err *err)
{
    return verification_read(st, leak_id, out, NULL, NULL, err);
}

static enum akw_status
verification_write(struct store *st, int64_t leak_id, const char *state, time_t checked_at,
                   const char *identity, const char *error, struct akw_err *err)
{
    static const char sql[] = "UPDATE leaks SET verified = ?, verified_at = ?,"
                              " verified_identity = ?, verify_error = ? WHERE id = ?";
    struct drv_stmt *s = store_stmt_dyn(st, sql, err);

    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, state && *state ? state : NULL);
    drv_bind_int64(s, 2, (int64_t)checked_at);
    store_bind_text(s, 3, identity && *identity ? identity : NULL);
    store_bind_text(s, 4, error && *error ? error : NULL);
    drv_bind_int64(s, 5, leak_id);
    if (drv_step(s) != DRV_DONE) {
        drv_reset(s);
        return store_sqlerr(st, err, "storing a verification");
    }
    drv_reset(s);
    return AKW_OK;
}

enum akw_status
store_verify_set(struct store *st, int64_t leak_id, const char *state, time_t checked_at,
                 const char *identity, const char *error, const char *who, int *changed,
                 struct akw_err *err)
{
    struct leak_verification old;
    char *ak_id = NULL, *what = NULL;
    int status = 0, differs;
    enum akw_status s;

    if (changed)
        *changed = 0;
    if ((s = store_tx_start(st, err)) != AKW_OK)
        return s;
    s = verification_read(st, leak_id, &old, &status, &ak_id, err);
    differs = s == AKW_OK && strcmp(old.state ? old.state : "", state ? state : "") != 0;
    if (s == AKW_OK)
        s = verification_write(st, leak_id, state, checked_at, identity, error, err);
    if (s == AKW_OK && differs) {
        /* The history shows each change of verdict, with what the provider said. */
        what = xasprintf("verified-%s", state && *state ? state : "cleared");
        s = store_audit_add(st, leak_id, ak_id, who ? who : "akwatch", what,
                            identity && *identity ? identity : error, status, status, err);
    }
    s = store_tx_end(st, s, err);
    if (s == AKW_OK && changed)
        *changed = differs;
    if (s == AKW_OK)
        store_list_cache_reset(st);
    leak_verification_done(&old);
    free(ak_id);
    free(what);
    return s;
}

enum akw_status
store_verify_due(struct store *st, time_t before, int status_mask, int64_t **ids, size_t *n,
                 struct akw_err *err)
{
    static const char sql[] = "SELECT id, status FROM leaks"
                              " WHERE verified_at IS NULL OR verified_at <= ?"
                              " ORDER BY coalesce(verified_at, 0), id";
    struct drv_stmt *s = store_stmt_dyn(st, sql, err);
    size_t cap = 0;
    int rc;

    *ids = NULL;
    *n = 0;
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, (int64_t)before);
    while ((rc = drv_step(s)) == DRV_ROW) {
        int status = drv_col_int(s, 1);
        if (status_mask && !(status_mask & (1 << status)))
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = drv_col_int64(s, 0);
    }
    drv_reset(s);
    if (rc != DRV_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return store_sqlerr(st, err, "listing leaks due for verification");
    }
    return AKW_OK;
}
