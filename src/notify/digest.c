/* digest — in digest mode, the alerts suppressed outside the window are summarised in one
 * message the first time akwatch runs inside the window again. The alerts themselves stay
 * suppressed; the digest is an alert of its own (type digest) with its delivery state.
 */
#include "config.h"
#include "notify/notify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Items described in detail (the count covers every alert). */
#define DIGEST_DETAIL 100

static const char *const cursor_source = "notify", *const cursor_key = "digest_after";

/* Claim the alerts suppressed since the last digest: in one transaction read the cursor,
 * list them, insert the digest alert and move the cursor, so two processes never send the
 * same summary. */
static enum akw_status
claim(struct store *st, struct alert **items, size_t *n, int64_t *digest_id, struct akw_err *err)
{
    *items = NULL;
    *n = 0;
    *digest_id = 0;
    enum akw_status s = store_begin(st, err);
    if (s != AKW_OK)
        return s;
    char *v = NULL;
    int64_t after = 0;
    s = store_state_get(st, cursor_source, cursor_key, &v, err);
    if (s == AKW_ERR_NOTFOUND) {
        akw_err_clear(err);
        s = AKW_OK;
    }
    if (v)
        after = strtoll(v, NULL, 10);
    free(v);
    struct alert_filter f = {.after_id = after, .state_mask = 1 << ALERT_SUPPRESSED,
                             .type_mask = (1 << ALERT_TYPE_LEAK) | (1 << ALERT_TYPE_CALL),
                             .reason_prefix = REASON_OUTSIDE, .oldest_first = 1};
    if (s == AKW_OK)
        s = store_alert_list(st, &f, items, n, err);
    if (s == AKW_OK && *n > 0) {
        struct alert d = {.type = ALERT_TYPE_DIGEST, .state = ALERT_PENDING};
        s = store_alert_add(st, &d, digest_id, err);
        char last[32];
        snprintf(last, sizeof last, "%lld", (long long)(*items)[*n - 1].id);
        if (s == AKW_OK)
            s = store_state_set(st, cursor_source, cursor_key, last, err);
    }
    if (s == AKW_OK)
        return store_commit(st, err);
    store_rollback(st);
    store_alerts_free(*items, *n);
    *items = NULL;
    *n = 0;
    return s;
}

static void
describe(struct store *st, const struct alert *a, struct digest_item *it)
{
    it->alert_id = a->id;
    it->type = a->type;
    it->created_at = a->created_at;
    struct leak l;
    if (a->leak_id && store_leak_get(st, a->leak_id, &l, NULL) == AKW_OK) {
        it->ak_id = xstrdup(l.ak_id);
        it->secret_masked = xstrdup(l.secret_masked);
        it->rule = xstrdup(l.rule);
        if (a->type == ALERT_TYPE_LEAK)
            it->where = xasprintf("%s%s%s", l.repo ? l.repo : "", l.repo ? ":" : "",
                                  l.path ? l.path : "");
        leak_done(&l);
    }
    struct call c;
    if (a->call_id && store_call_get(st, a->call_id, &c, NULL) == AKW_OK) {
        free(it->where);
        it->where = xasprintf("%s from %s", c.action ? c.action : "",
                              c.source_ip ? c.source_ip : "?");
        call_done(&c);
    }
}

int
notify_wants_tick(const struct notify *n)
{
    return n && n->digest && (n->webhook || n->command || n->bell);
}

enum akw_status
notify_tick(struct notify *n, struct store *st, struct akw_err *err)
{
    time_t now = akw_now();
    if (!n || !n->digest || !notify_window_contains(&n->win, now)
        || (!n->webhook && !n->command && !n->bell))
        return AKW_OK;
    struct alert *sup;
    size_t ns;
    int64_t digest_id;
    enum akw_status s = claim(st, &sup, &ns, &digest_id, err);
    if (s != AKW_OK || ns == 0)
        return s;
    size_t nd = ns < DIGEST_DETAIL ? ns : DIGEST_DETAIL;
    struct digest_item *items = xcalloc(nd, sizeof *items);
    struct notify_msg m = {.type = ALERT_TYPE_DIGEST, .alert_id = digest_id, .created_at = now,
                           .items = items, .n_items = ns};
    for (size_t i = 0; i < ns; i++) {
        if (sup[i].type == ALERT_TYPE_LEAK)
            m.n_leak_items++;
        else
            m.n_call_items++;
        if (i < nd)
            describe(st, &sup[i], &items[i]);
    }
    /* payload_text lists at most 20 and payload_json at most 100: both within nd. */
    struct alert a = {.id = digest_id, .type = ALERT_TYPE_DIGEST};
    deliver(n, &m, &a);
    s = store_alert_update(st, &a, err);
    alert_done(&a);
    for (size_t i = 0; i < nd; i++) {
        free(items[i].ak_id);
        free(items[i].secret_masked);
        free(items[i].rule);
        free(items[i].where);
    }
    free(items);
    store_alerts_free(sup, ns);
    return s;
}
