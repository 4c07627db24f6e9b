/* record — store one finding: a new fingerprint becomes a leak (whitelisted at once when
 * its AK ID or fingerprint is), a known one gains a location and a later last_seen, and a
 * handled leak seen again in a new place is reopened as a regression. Reads nothing else. */
#include "config.h"
#include "store/store_int.h"

#include <string.h>

static const char *
nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* A finding nobody graded counts as high (everything alerted before grading existed). */
static int
confidence_of(const struct leak *in)
{
    return in->confidence >= CONFIDENCE_LOW && in->confidence <= CONFIDENCE_HIGH
               ? (int)in->confidence
               : CONFIDENCE_HIGH;
}

static enum akw_status
is_whitelisted(struct store *st, const char *fingerprint, const char *ak_id, int *out,
               struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_WHITELISTED, err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, fingerprint);
    store_bind_text(s, 2, ak_id);
    if (drv_step(s) != DRV_ROW)
        return store_sqlerr(st, err, "reading the whitelist");
    *out = drv_col_int(s, 0) != 0;
    drv_reset(s);
    return AKW_OK;
}

/* Insert the leak if its fingerprint is new; sets *inserted and res->leak_id. */
static enum akw_status
insert_leak(struct store *st, const struct leak *in, const struct location *loc, int status,
            time_t first_seen, time_t last_seen, int *inserted, struct store_record_result *res,
            struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_LEAK_INSERT, err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, in->fingerprint);
    store_bind_text_e(s, 2, in->rule);
    store_bind_text_e(s, 3, in->kind);
    store_bind_text(s, 4, in->description);
    store_bind_text(s, 5, nonempty(in->ak_id));
    store_bind_text(s, 6, in->secret_masked);
    store_bind_text(s, 7, in->secret);
    drv_bind_int64(s, 8, (int)in->severity);
    drv_bind_int64(s, 9, in->owned ? 1 : 0);
    drv_bind_int64(s, 10, status);
    drv_bind_int64(s, 11, (int64_t)first_seen);
    drv_bind_int64(s, 12, (int64_t)last_seen);
    store_bind_text(s, 13, loc ? loc->repo : NULL);
    store_bind_text(s, 14, loc ? loc->path : NULL);
    drv_bind_int64(s, 15, confidence_of(in));
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "recording a leak");
    *inserted = rc == DRV_ROW; /* RETURNING gives a row only for an insert */
    if (*inserted) {
        res->leak_id = drv_col_int64(s, 0);
        res->confidence = (enum confidence)confidence_of(in);
    }
    drv_reset(s);
    return AKW_OK;
}

/* The confidence of a known leak before this finding raises it; *found = 0 when the
 * fingerprint is new (nothing read). */
static enum akw_status
confidence_before(struct store *st, const struct leak *in, int *found,
                  struct store_record_result *res, struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_LEAK_CONFIDENCE, err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, in->fingerprint);
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "reading a leak's confidence");
    *found = rc == DRV_ROW;
    if (*found)
        res->confidence_before = (enum confidence)drv_col_int(s, 0);
    drv_reset(s);
    return AKW_OK;
}

/* Known fingerprint: bump last_seen (and keep the strongest severity, ownership and
 * confidence); read back its id, status, handling time and confidence. *found = 0 when
 * the fingerprint is new. */
static enum akw_status
touch_leak(struct store *st, const struct leak *in, time_t last_seen, int *found, int *status,
           time_t *handled_at, struct store_record_result *res, struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_LEAK_TOUCH, err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, in->fingerprint);
    drv_bind_int64(s, 2, (int64_t)last_seen);
    drv_bind_int64(s, 3, (int)in->severity);
    drv_bind_int64(s, 4, in->owned ? 1 : 0);
    store_bind_text(s, 5, nonempty(in->ak_id));
    store_bind_text(s, 6, in->secret);
    drv_bind_int64(s, 7, confidence_of(in));
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "updating a leak");
    *found = rc == DRV_ROW;
    if (!*found) {
        drv_reset(s);
        return AKW_OK;
    }
    res->leak_id = drv_col_int64(s, 0);
    *status = drv_col_int(s, 1);
    *handled_at = (time_t)drv_col_int64(s, 2);
    res->confidence = (enum confidence)drv_col_int(s, 4);
    while (drv_step(s) == DRV_ROW)
        ;
    drv_reset(s);
    return AKW_OK;
}

static enum akw_status
insert_location(struct store *st, int64_t leak_id, const struct location *loc, time_t found_at,
                 int *inserted, struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_LOCATION_INSERT, err);
    if (!s)
        return AKW_ERR_DB;
    drv_bind_int64(s, 1, leak_id);
    store_bind_text_e(s, 2, loc->platform);
    store_bind_text_e(s, 3, loc->repo);
    store_bind_text_e(s, 4, loc->path);
    drv_bind_int64(s, 5, loc->line);
    drv_bind_int64(s, 6, loc->column);
    store_bind_text_e(s, 7, loc->commit);
    store_bind_text(s, 8, loc->url);
    store_bind_text(s, 9, loc->author);
    if (loc->committed_at)
        drv_bind_int64(s, 10, (int64_t)loc->committed_at);
    drv_bind_int64(s, 11, (int64_t)found_at);
    store_bind_text(s, 12, loc->snippet);
    if (drv_step(s) != DRV_DONE)
        return store_sqlerr(st, err, "recording a location");
    *inserted = drv_changes(st->db) == 1;
    drv_reset(s);
    return AKW_OK;
}

/* A handled leak that shows up in a new place after its handling is a regression. "After"
 * is the store's own order, not the clock: this place is inserted in the transaction that
 * read the leak as handled, so it was recorded after the decision even within the same
 * second (a script that handles and rescans at once). Only a place whose own time says it
 * is older is history: a commit time strictly before the decision's second (an old commit
 * found late by a history scan). When a scan found the place (found_at) does not count:
 * the decision was taken without it. */
static enum akw_status
maybe_reopen(struct store *st, const struct leak *in, const struct location *loc,
             time_t handled_at, struct store_record_result *res, struct akw_err *err)
{
    if (loc->committed_at && loc->committed_at < handled_at)
        return AKW_OK;
    int wl = 0;
    enum akw_status s = is_whitelisted(st, in->fingerprint, nonempty(in->ak_id), &wl, err);
    if (s != AKW_OK || wl)
        return s;
    struct drv_stmt *q = store_stmt(st, SQL_LEAK_REOPEN, err);
    if (!q)
        return AKW_ERR_DB;
    drv_bind_int64(q, 1, res->leak_id);
    store_bind_text(q, 2, "regression");
    if (drv_step(q) != DRV_DONE)
        return store_sqlerr(st, err, "reopening a leak");
    drv_reset(q);
    res->reopened = 1;
    return store_audit_add(st, res->leak_id, nonempty(in->ak_id), "akwatch",
                           triage_action_name(TRIAGE_REOPENED), "regression",
                           LEAK_STATUS_HANDLED, LEAK_STATUS_UNHANDLED, err);
}

static enum akw_status
record_tx(struct store *st, const struct leak *in, const struct location *loc,
          struct store_record_result *res, struct akw_err *err)
{
    time_t now = akw_now();
    time_t found_at = loc && loc->found_at ? loc->found_at : now;
    time_t first_seen = in->first_seen ? in->first_seen : now;
    time_t last_seen = found_at > first_seen ? found_at : first_seen;
    const char *ak = nonempty(in->ak_id);
    int wl = 0, inserted = 0, found = 0, status = LEAK_STATUS_UNHANDLED;
    time_t handled_at = 0;

    /* The known leak first: an insert that meets its fingerprint would still use up an id
     * on a server (its sequence does not go back), and leak ids are what users type. A
     * second writer inserting the same new fingerprint at once makes the insert a no-op,
     * and the leak is then known. */
    enum akw_status s = confidence_before(st, in, &found, res, err);
    if (s == AKW_OK && found)
        s = touch_leak(st, in, last_seen, &found, &status, &handled_at, res, err);
    if (s == AKW_OK && !found)
        s = is_whitelisted(st, in->fingerprint, ak, &wl, err);
    if (s == AKW_OK && !found) {
        status = wl ? LEAK_STATUS_WHITELISTED : LEAK_STATUS_UNHANDLED;
        s = insert_leak(st, in, loc, status, first_seen, last_seen, &inserted, res, err);
    }
    if (s == AKW_OK && inserted && wl)
        s = store_audit_add(st, res->leak_id, ak, "akwatch",
                            triage_action_name(TRIAGE_WHITELISTED), "whitelist entry",
                            LEAK_STATUS_UNHANDLED, LEAK_STATUS_WHITELISTED, err);
    int raced = s == AKW_OK && !found && !inserted; /* another writer inserted it first */
    if (raced)
        s = confidence_before(st, in, &found, res, err);
    if (s == AKW_OK && raced && found)
        s = touch_leak(st, in, last_seen, &found, &status, &handled_at, res, err);
    if (s == AKW_OK && raced && !found)
        s = akw_err_set(err, AKW_ERR_DB, "%s: a leak vanished while it was recorded", st->path);
    if (s == AKW_OK && loc)
        s = insert_location(st, res->leak_id, loc, found_at, &res->new_location, err);
    if (s == AKW_OK && !inserted && res->new_location && status == LEAK_STATUS_HANDLED)
        s = maybe_reopen(st, in, loc, handled_at, res, err);
    res->new_leak = inserted;
    res->whitelisted = status == LEAK_STATUS_WHITELISTED;
    return s;
}

enum akw_status
store_record(struct store *st, const struct leak *in, const struct location *loc,
             struct store_record_result *res, struct akw_err *err)
{
    struct store_record_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if (!in || !in->fingerprint[0])
        return akw_err_set(err, AKW_ERR_USAGE, "%s: store_record: no fingerprint", st->path);
    enum akw_status s;
    /* cut by a lost connection outside a batch: the server rolled it back, so record it
     * again whole once connected (the fingerprint and place make it one leak, one place) */
    do {
        memset(res, 0, sizeof *res);
        s = store_tx_start(st, err);
        if (s == AKW_OK) {
            s = record_tx(st, in, loc, res, err);
            if (s == AKW_OK)
                st->unfolded++; /* before the commit, which may fold the counts */
            s = store_tx_end(st, s, err);
        }
    } while (s == AKW_ERR_DB && st->on_lost && !st->in_batch && store_lost(st));
    if (s != AKW_OK)
        memset(res, 0, sizeof *res);
    return s;
}
