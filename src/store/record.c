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

/* What recording one finding learnt, for the steps after it. */
struct rec {
    const struct leak *in;
    const struct location *loc;
    time_t first_seen, last_seen, found_at;
    int found;     /* the fingerprint was known */
    int inserted;  /* this finding made it a leak */
    int wl;        /* whitelisted (read only for a new leak) */
    int status;    /* the leak's status */
    time_t handled_at;
};

/* The finding's parameters of the record statements (numbered as sql.c says): the leak's
 * ?1-?15 with status as ?10 and, with loc (r's place or NULL), its place's ?17-?27 (?16,
 * the leak's id, is the caller's). */
static void
bind_finding(struct drv_stmt *s, const struct rec *r, int status, const struct location *loc)
{
    const struct leak *in = r->in;
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
    drv_bind_int64(s, 11, (int64_t)r->first_seen);
    drv_bind_int64(s, 12, (int64_t)r->last_seen);
    store_bind_text(s, 13, loc ? loc->repo : NULL);
    store_bind_text(s, 14, loc ? loc->path : NULL);
    drv_bind_int64(s, 15, confidence_of(in));
    if (!loc)
        return;
    store_bind_text_e(s, 17, loc->platform);
    store_bind_text_e(s, 18, loc->repo);
    store_bind_text_e(s, 19, loc->path);
    drv_bind_int64(s, 20, loc->line);
    drv_bind_int64(s, 21, loc->column);
    store_bind_text_e(s, 22, loc->commit);
    store_bind_text(s, 23, loc->url);
    store_bind_text(s, 24, loc->author);
    if (loc->committed_at)
        drv_bind_int64(s, 25, (int64_t)loc->committed_at);
    drv_bind_int64(s, 26, (int64_t)r->found_at);
    store_bind_text(s, 27, loc->snippet);
}


static enum akw_status
is_whitelisted(struct store *st, const char *fingerprint, const char *ak_id, int *out,
               struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_WHITELISTED, err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, fingerprint);
    store_bind_text(s, 5, ak_id);
    if (drv_step(s) != DRV_ROW)
        return store_sqlerr(st, err, "reading the whitelist");
    *out = drv_col_int(s, 0) != 0;
    drv_reset(s);
    return AKW_OK;
}

/* Insert the leak if its fingerprint is new; sets r->inserted and res->leak_id. */
static enum akw_status
insert_leak(struct store *st, struct rec *r, struct store_record_result *res,
            struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_LEAK_INSERT, err);
    if (!s)
        return AKW_ERR_DB;
    bind_finding(s, r, r->status, r->loc);
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "recording a leak");
    r->inserted = rc == DRV_ROW; /* RETURNING gives a row only for an insert */
    if (r->inserted) {
        res->leak_id = drv_col_int64(s, 0);
        res->confidence = (enum confidence)confidence_of(r->in);
    }
    drv_reset(s);
    return AKW_OK;
}

/* The confidence of a known leak before this finding raises it; r->found = 0 when the
 * fingerprint is new (nothing read). */
static enum akw_status
confidence_before(struct store *st, struct rec *r, struct store_record_result *res,
                  struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_LEAK_CONFIDENCE, err);
    if (!s)
        return AKW_ERR_DB;
    store_bind_text(s, 1, r->in->fingerprint);
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "reading a leak's confidence");
    r->found = rc == DRV_ROW;
    if (r->found)
        res->confidence_before = (enum confidence)drv_col_int(s, 0);
    drv_reset(s);
    return AKW_OK;
}

/* Known fingerprint: bump last_seen (and keep the strongest severity, ownership and
 * confidence); read back its id, status, handling time and confidence. r->found = 0 when
 * the fingerprint is new. */
static enum akw_status
touch_leak(struct store *st, struct rec *r, struct store_record_result *res,
           struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_LEAK_TOUCH, err);
    if (!s)
        return AKW_ERR_DB;
    bind_finding(s, r, 0, NULL);
    int rc = drv_step(s);
    if (rc == DRV_ERROR)
        return store_sqlerr(st, err, "updating a leak");
    r->found = rc == DRV_ROW;
    if (!r->found) {
        drv_reset(s);
        return AKW_OK;
    }
    res->leak_id = drv_col_int64(s, 0);
    r->status = drv_col_int(s, 1);
    r->handled_at = (time_t)drv_col_int64(s, 2);
    res->confidence = (enum confidence)drv_col_int(s, 4);
    while (drv_step(s) == DRV_ROW)
        ;
    drv_reset(s);
    return AKW_OK;
}

static enum akw_status
insert_location(struct store *st, const struct rec *r, struct store_record_result *res,
                struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_LOCATION_INSERT, err);
    if (!s)
        return AKW_ERR_DB;
    bind_finding(s, r, 0, r->loc);
    drv_bind_int64(s, 16, res->leak_id);
    if (drv_step(s) != DRV_DONE)
        return store_sqlerr(st, err, "recording a location");
    res->new_location = drv_changes(st->db) == 1;
    drv_reset(s);
    return AKW_OK;
}

/* The whole finding in one statement (SQL_RECORD_ONE); *done = 0 when another writer
 * inserted the fingerprint meanwhile (nothing written: record it step by step). */
static enum akw_status
record_one(struct store *st, struct rec *r, struct store_record_result *res, int *done,
           struct akw_err *err)
{
    struct drv_stmt *s = store_stmt(st, SQL_RECORD_ONE, err);
    if (!s)
        return AKW_ERR_DB;
    bind_finding(s, r, LEAK_STATUS_UNHANDLED, r->loc);
    drv_bind_int64(s, 28, LEAK_STATUS_WHITELISTED);
    drv_bind_int64(s, 29, r->loc ? 1 : 0);
    if (drv_step(s) != DRV_ROW)
        return store_sqlerr(st, err, "recording a leak");
    *done = !drv_col_null(s, 2);
    r->found = !drv_col_null(s, 0);
    if (*done) {
        if (r->found)
            res->confidence_before = (enum confidence)drv_col_int(s, 0);
        r->inserted = !r->found;
        r->wl = r->inserted && drv_col_int(s, 1) != 0;
        res->leak_id = drv_col_int64(s, 2);
        r->status = drv_col_int(s, 3);
        r->handled_at = (time_t)drv_col_int64(s, 4);
        res->confidence = r->found ? (enum confidence)drv_col_int(s, 5)
                                   : (enum confidence)confidence_of(r->in);
        res->new_location = drv_col_int(s, 6) == 1;
    }
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

/* Step by step: read the known leak first (an insert that meets its fingerprint would
 * still use up an id on a server, whose sequence does not go back, and leak ids are what
 * users type), touch it or insert it, then the place. A second writer inserting the same
 * new fingerprint at once makes the insert a no-op, and the leak is then known. */
static enum akw_status
record_steps(struct store *st, struct rec *r, struct store_record_result *res,
             struct akw_err *err)
{
    enum akw_status s = confidence_before(st, r, res, err);
    if (s == AKW_OK && r->found)
        s = touch_leak(st, r, res, err);
    if (s == AKW_OK && !r->found)
        s = is_whitelisted(st, r->in->fingerprint, nonempty(r->in->ak_id), &r->wl, err);
    if (s == AKW_OK && !r->found) {
        r->status = r->wl ? LEAK_STATUS_WHITELISTED : LEAK_STATUS_UNHANDLED;
        s = insert_leak(st, r, res, err);
    }
    int raced = s == AKW_OK && !r->found && !r->inserted; /* another writer inserted it first */
    if (raced) {
        r->wl = 0;
        s = confidence_before(st, r, res, err);
    }
    if (s == AKW_OK && raced && r->found)
        s = touch_leak(st, r, res, err);
    if (s == AKW_OK && raced && !r->found)
        s = akw_err_set(err, AKW_ERR_DB, "%s: a leak vanished while it was recorded", st->path);
    if (s == AKW_OK && r->loc)
        s = insert_location(st, r, res, err);
    return s;
}

static enum akw_status
record_tx(struct store *st, const struct leak *in, const struct location *loc,
          struct store_record_result *res, struct akw_err *err)
{
    time_t now = akw_now();
    struct rec r = {.in = in, .loc = loc, .status = LEAK_STATUS_UNHANDLED};
    r.found_at = loc && loc->found_at ? loc->found_at : now;
    r.first_seen = in->first_seen ? in->first_seen : now;
    r.last_seen = r.found_at > r.first_seen ? r.found_at : r.first_seen;

    int done = 0;
    enum akw_status s = AKW_OK;
    if (st->db->dialect->writes_in_with)
        s = record_one(st, &r, res, &done, err);
    if (s == AKW_OK && !done)
        s = record_steps(st, &r, res, err);
    if (s == AKW_OK && r.inserted && r.wl)
        s = store_audit_add(st, res->leak_id, nonempty(in->ak_id), "akwatch",
                            triage_action_name(TRIAGE_WHITELISTED), "whitelist entry",
                            LEAK_STATUS_UNHANDLED, LEAK_STATUS_WHITELISTED, err);
    if (s == AKW_OK && !r.inserted && res->new_location && r.status == LEAK_STATUS_HANDLED)
        s = maybe_reopen(st, in, loc, r.handled_at, res, err);
    res->new_leak = r.inserted;
    res->whitelisted = r.status == LEAK_STATUS_WHITELISTED;
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
