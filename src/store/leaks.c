/* leaks — read one leak and its locations into the public structs. Listing many leaks is
 * page.c; recording them is record.c. */
#include "config.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
store_leak_read(struct drv_stmt *s, struct leak *out)
{
    memset(out, 0, sizeof *out);
    out->id = drv_col_int64(s, 0);
    const char *fp = drv_col_text(s, 1);
    if (fp)
        snprintf(out->fingerprint, sizeof out->fingerprint, "%s", fp);
    out->rule = store_col_dup(s, 2);
    out->kind = store_col_dup(s, 3);
    out->description = store_col_dup(s, 4);
    out->ak_id = store_col_dup(s, 5);
    out->secret_masked = store_col_dup(s, 6);
    out->secret = store_col_dup(s, 7);
    out->severity = (enum severity)drv_col_int(s, 8);
    out->owned = drv_col_int(s, 9);
    out->status = (enum leak_status)drv_col_int(s, 10);
    out->handled_as = (enum handled_as)drv_col_int(s, 11);
    out->note = store_col_dup(s, 12);
    out->verified = store_col_dup(s, 13);
    out->first_seen = (time_t)drv_col_int64(s, 14);
    out->last_seen = (time_t)drv_col_int64(s, 15);
    out->repo = store_col_dup(s, 16);
    out->path = store_col_dup(s, 17);
    out->n_locations = (long)drv_col_int64(s, 18);
    out->verified_at = (time_t)drv_col_int64(s, 19);
    out->verified_identity = store_col_dup(s, 20);
    out->verify_error = store_col_dup(s, 21);
    out->confidence = (enum confidence)drv_col_int(s, 22);
}

enum akw_status
store_leak_get(struct store *st, int64_t id, struct leak *out, struct akw_err *err)
{
    memset(out, 0, sizeof *out);
    struct drv_stmt *s = store_stmt(st, SQL_LEAK_GET, err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, id);
    int rc = drv_step(s);
    if (rc == DRV_ROW) {
        store_leak_read(s, out);
        drv_reset(s);
        return AKW_OK;
    }
    drv_reset(s);
    if (rc == DRV_DONE)
        return akw_err_set(err, AKW_ERR_NOTFOUND, _("no leak with id %lld"), (long long)id);
    return store_sqlerr(st, err, "reading a leak");
}

static void
location_row(struct drv_stmt *s, void *item)
{
    struct location *l = item;
    l->id = drv_col_int64(s, 0);
    l->leak_id = drv_col_int64(s, 1);
    l->platform = store_col_dup(s, 2);
    l->repo = store_col_dup(s, 3);
    l->path = store_col_dup(s, 4);
    l->line = (long)drv_col_int64(s, 5);
    l->column = (long)drv_col_int64(s, 6);
    l->commit = store_col_dup(s, 7);
    l->url = store_col_dup(s, 8);
    l->author = store_col_dup(s, 9);
    l->committed_at = (time_t)drv_col_int64(s, 10);
    l->found_at = (time_t)drv_col_int64(s, 11);
    l->snippet = store_col_dup(s, 12);
    /* '' is how "none" is kept in the unique key; callers see NULL as documented */
    if (l->repo && !*l->repo) {
        free(l->repo);
        l->repo = NULL;
    }
    if (l->commit && !*l->commit) {
        free(l->commit);
        l->commit = NULL;
    }
}

static void
location_item_done(void *item)
{
    location_done(item);
}

static const struct store_rows location_rows = {sizeof(struct location), location_row,
                                                location_item_done, "reading locations"};

enum akw_status
store_locations_get(struct store *st, int64_t leak_id, struct location **out, size_t *n,
                    struct akw_err *err)
{
    *out = NULL;
    *n = 0;
    struct drv_stmt *s = store_stmt(st, SQL_LOCATIONS_GET, err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, leak_id);
    void *v;
    enum akw_status status = store_rows_read(st, s, &location_rows, &v, n, err);
    *out = v;
    return status;
}

void
store_locations_free(struct location *locs, size_t n)
{
    store_rows_free(locs, n, &location_rows);
}
