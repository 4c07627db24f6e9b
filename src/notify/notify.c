/* notify — which findings and calls raise an alert, and whether it is sent now (inside the
 * window, or an owned leak allowed to bypass it) or recorded as suppressed with the reason,
 * never to be sent later; in digest mode, one summary when the window next opens.
 */
#include "config.h"
#include "notify/notify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Delivery outcomes are written this many at a time, or at least this often. */
enum { OUTCOME_BATCH = 256 };
#define OUTCOME_FLUSH_S 1.0

static int
present(const char *s)
{
    return s && *s;
}

enum akw_status
notify_new(const struct config *cfg, struct notify **out, struct akw_err *err)
{
    *out = NULL;
    struct notify *n = xcalloc(1, sizeof *n);
    n->max_attempts = 3;
    n->backoff_ms = 500;
    n->timeout_s = 15;
    enum akw_status s = notify_window_parse(cfg->window, cfg->days, cfg->tz, &n->win, err);
    if (s != AKW_OK) {
        akw_err_prefix(err, "[notify]");
        notify_free(n);
        return s;
    }
    if (present(cfg->webhook_format) &&
        config_parse_webhook_format(cfg->webhook_format, &n->format) != 0) {
        notify_free(n);
        return akw_err_set(err, AKW_ERR_PARSE,
                           _("[notify] webhook_format \"%s\": expected generic, slack, "
                             "dingtalk, wecom or feishu"),
                           cfg->webhook_format);
    }
    if (present(cfg->webhook_secret) && n->format != WEBHOOK_DINGTALK &&
        n->format != WEBHOOK_FEISHU) {
        notify_free(n);
        return akw_err_set(err, AKW_ERR_PARSE,
                           _("[notify] webhook_secret: only DingTalk and Feishu robots sign "
                             "(webhook_format = dingtalk or feishu)"));
    }
    if (present(cfg->webhook) && webhook_url_allowed(cfg->webhook, err) != 0) {
        akw_err_prefix(err, "[notify]");
        notify_free(n);
        return AKW_ERR_USAGE;
    }
    n->webhook = present(cfg->webhook) ? xstrdup(cfg->webhook) : NULL;
    n->command = present(cfg->command) ? xstrdup(cfg->command) : NULL;
    n->secret = present(cfg->webhook_secret) ? xstrdup(cfg->webhook_secret) : NULL;
    n->bell = cfg->bell;
    n->digest = cfg->digest;
    n->owned_bypass = cfg->owned_bypass_window;
    n->alert_only_live = cfg->alert_only_live;
    n->min_conf = config_alert_confidence(cfg);
    snprintf(n->channels, sizeof n->channels, "%s%s%s%s%s%s",
             n->webhook ? "webhook(" : "",
             n->webhook ? config_webhook_format_name(n->format) : "",
             n->webhook ? (n->secret ? ",signed)" : ")") : "", n->command ? (n->webhook ? ",command" : "command") : "",
             n->bell && (n->webhook || n->command) ? "," : "", n->bell ? "bell" : "");
    *out = n;
    return AKW_OK;
}

void
notify_free(struct notify *n)
{
    if (!n)
        return;
    notify_window_done(&n->win);
    free(n->webhook);
    free(n->command);
    secret_free(n->secret);
    free(n);
}

const char *
notify_channels(const struct notify *n)
{
    return n->channels;
}

/* What the window says at one instant; worked out once per batch (the window's next opening
 * is not free, and a first scan may raise thousands of alerts). */
struct gate {
    int open;
    char outside[256]; /* the reason when closed */
};

static void
gate_at(struct notify *n, time_t now, struct gate *g)
{
    g->open = notify_window_contains(&n->win, now);
    g->outside[0] = '\0';
    if (g->open)
        return;
    char w[96], next[32];
    notify_window_describe(&n->win, w, sizeof w);
    akw_time_iso(notify_window_next_open(&n->win, now), next);
    snprintf(g->outside, sizeof g->outside, REASON_OUTSIDE " (%s); %s %s", w,
             n->digest ? "in the digest sent when it opens at" : "not sent later; opens at",
             next);
}

/* Why an alert created under g is not sent, or NULL when it is to be sent. */
static const char *
suppression(struct notify *n, const struct gate *g, int owned, const char *verified)
{
    if (n->alert_only_live && (!verified || strcmp(verified, "live") != 0))
        return "key not verified live (alert_only_live)";
    if (!n->webhook && !n->command && !n->bell)
        return "no notification channel configured";
    if (g->open || (owned && n->owned_bypass))
        return NULL;
    return g->outside;
}

/* The leak's confidence after the finding (a caller that grades nothing: high). */
static enum confidence
conf_after(const struct store_record_result *res)
{
    return res->confidence ? res->confidence : CONFIDENCE_HIGH;
}

/* Does the finding raise an alert? A new (or reopened) leak does; so does a known one
 * whose confidence this finding raised to the threshold: it was below it, and only
 * recorded, until now. */
static int
alerting(const struct notify *n, const struct store_record_result *res)
{
    if (!res || res->whitelisted)
        return 0;
    int raised = !res->new_leak && res->confidence_before && res->confidence_before < n->min_conf
                 && conf_after(res) >= n->min_conf;
    return res->new_leak || res->reopened || raised;
}

/* Why a leak's alert is not sent on account of its confidence (static), or NULL. */
static const char *
below_confidence(const struct notify *n, const struct store_record_result *res, char *buf,
                 size_t len)
{
    if (conf_after(res) >= n->min_conf)
        return NULL;
    snprintf(buf, len, "confidence %s, below min_confidence %s", confidence_name(conf_after(res)),
             confidence_name(n->min_conf));
    return buf;
}

/* The verdict the alert_only_live gate reads for one leak: the caller's, or when that is not
 * "live" the stored one (the scan thread may have stored it after the finding). *stored is
 * filled only then; leak_done() it in every case. */
static enum akw_status
verdict_of(struct notify *n, struct store *st, const struct notify_leak_item *it,
           struct leak *stored, const char **verified, struct akw_err *err)
{
    memset(stored, 0, sizeof *stored);
    *verified = it->leak->verified;
    if (!n->alert_only_live || (*verified && strcmp(*verified, "live") == 0))
        return AKW_OK;
    enum akw_status s = store_leak_get(st, it->res->leak_id, stored, err);
    *verified = stored->verified;
    return s;
}

/* Phase 1, in one transaction: one alert row per alerting item, suppressed (with the reason)
 * or pending. todo gets the indexes of the pending ones, in order. On error nothing is
 * written and every alert_id is 0. */
static enum akw_status
leak_alert_rows(struct notify *n, struct store *st, struct notify_leak_item *items,
                size_t count, time_t now, size_t *todo, size_t *n_todo, struct akw_err *err)
{
    *n_todo = 0;
    struct gate g;
    gate_at(n, now, &g);
    enum akw_status s = store_begin(st, err);
    for (size_t i = 0; i < count && s == AKW_OK; i++) {
        const struct store_record_result *res = items[i].res;
        if (!alerting(n, res))
            continue;
        struct leak stored;
        const char *verified;
        char why[96];
        s = verdict_of(n, st, &items[i], &stored, &verified, err);
        const char *r = below_confidence(n, res, why, sizeof why);
        if (!r && s == AKW_OK)
            r = suppression(n, &g, items[i].leak->owned, verified);
        struct alert a = {.leak_id = res->leak_id, .type = ALERT_TYPE_LEAK, .created_at = now,
                          .state = r ? ALERT_SUPPRESSED : ALERT_PENDING,
                          .suppressed_reason = (char *)r};
        if (s == AKW_OK) /* pending: if we die while sending, the row says so */
            s = store_alert_add(st, &a, &items[i].alert_id, err);
        leak_done(&stored);
        if (s == AKW_OK && !r)
            todo[(*n_todo)++] = i;
    }
    if (s == AKW_OK)
        s = store_commit(st, err);
    if (s != AKW_OK) {
        store_rollback(st);
        for (size_t i = 0; i < count; i++)
            items[i].alert_id = 0;
        *n_todo = 0;
    }
    return s;
}

/* Write the delivery outcomes a[0..n) in one transaction, then free their strings. */
static enum akw_status
write_outcomes(struct store *st, struct alert *a, size_t n, struct akw_err *err)
{
    enum akw_status s = n ? store_begin(st, err) : AKW_OK;
    for (size_t i = 0; i < n && s == AKW_OK; i++)
        s = store_alert_update(st, &a[i], err);
    if (n)
        s = s == AKW_OK ? store_commit(st, err) : (store_rollback(st), s);
    for (size_t i = 0; i < n; i++)
        alert_done(&a[i]);
    return s;
}

static double
mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

enum akw_status
notify_leaks_found(struct notify *n, struct store *st, struct notify_leak_item *items,
                   size_t count, struct akw_err *err)
{
    for (size_t i = 0; i < count; i++)
        items[i].alert_id = 0;
    if (count == 0)
        return AKW_OK;
    time_t now = akw_now();
    size_t *todo = xcalloc(count, sizeof *todo), n_todo;
    enum akw_status s = leak_alert_rows(n, st, items, count, now, todo, &n_todo, err);
    /* Phase 2, outside any transaction: one message per leak; the outcomes are written a
     * batch at a time (a crash leaves the unwritten ones 'pending', as it would anyway). */
    struct alert *out = xcalloc(OUTCOME_BATCH, sizeof *out);
    size_t n_out = 0;
    double flushed = mono_s();
    for (size_t k = 0; k < n_todo && s == AKW_OK; k++) {
        const struct notify_leak_item *it = &items[todo[k]];
        const struct store_record_result *res = it->res;
        struct notify_msg m = {.type = ALERT_TYPE_LEAK, .leak = it->leak,
                               .leak_id = res->leak_id, .loc = it->loc,
                               .reopened = res->reopened && !res->new_leak,
                               .alert_id = it->alert_id, .created_at = now};
        out[n_out] = (struct alert){.id = it->alert_id, .type = ALERT_TYPE_LEAK};
        deliver(n, &m, &out[n_out++]);
        if (n_out == OUTCOME_BATCH || k + 1 == n_todo || mono_s() - flushed >= OUTCOME_FLUSH_S) {
            s = write_outcomes(st, out, n_out, err);
            n_out = 0;
            flushed = mono_s();
        }
    }
    free(out);
    free(todo);
    return s;
}

enum akw_status
notify_leak_found(struct notify *n, struct store *st, const struct leak *leak,
                  const struct location *loc, const struct store_record_result *res,
                  int64_t *alert_id, struct akw_err *err)
{
    struct notify_leak_item it = {.leak = leak, .loc = loc, .res = res};
    enum akw_status s = notify_leaks_found(n, st, &it, 1, err);
    if (alert_id)
        *alert_id = it.alert_id;
    return s;
}

/* Calls of one leaked key within one notify_calls_found() call. */
struct call_group {
    struct call first;
    struct leak leak;
    int64_t *alert_ids;
    size_t n;
};

/* The group of c's leak, made on first sight (taking ownership of c: *took = 1). NULL with
 * *skip for a whitelisted leak, NULL without it on a store error. */
static struct call_group *
group_for(struct call_group **groups, size_t *ng, struct store *st, struct call *c, int *took,
          int *skip, struct akw_err *err)
{
    for (size_t i = 0; i < *ng; i++)
        if ((*groups)[i].first.leak_id == c->leak_id)
            return &(*groups)[i];
    struct leak l;
    if (store_leak_get(st, c->leak_id, &l, err) != AKW_OK)
        return NULL;
    if (l.status == LEAK_STATUS_WHITELISTED) { /* a whitelisted key's calls do not alert */
        leak_done(&l);
        *skip = 1;
        return NULL;
    }
    *groups = xrealloc(*groups, (*ng + 1) * sizeof **groups);
    struct call_group *g = &(*groups)[(*ng)++];
    memset(g, 0, sizeof *g);
    g->leak = l;
    g->first = *c;
    *took = 1;
    return g;
}

static void
groups_free(struct call_group *groups, size_t ng)
{
    for (size_t i = 0; i < ng; i++) {
        call_done(&groups[i].first);
        leak_done(&groups[i].leak);
        free(groups[i].alert_ids);
    }
    free(groups);
}

/* Create one alert row per call (pending or suppressed) and group them by leak. */
static enum akw_status
calls_alert_rows(struct notify *n, struct store *st, const int64_t *ids, size_t count,
                 struct call_group **groups, size_t *ng, time_t now, struct akw_err *err)
{
    struct gate gate_now, *gate = &gate_now;
    gate_at(n, now, gate);
    enum akw_status s = AKW_OK;
    for (size_t i = 0; i < count && s == AKW_OK; i++) {
        struct call c;
        if ((s = store_call_get(st, ids[i], &c, err)) != AKW_OK)
            break;
        int took = 0, skip = 0;
        struct call_group *g =
            c.leak_id ? group_for(groups, ng, st, &c, &took, &skip, err) : NULL;
        int64_t leak_id = c.leak_id, call_id = c.id;
        if (!took)
            call_done(&c);
        if (!g) {
            if (!skip && leak_id)
                s = AKW_ERR_DB;
            continue;
        }
        const char *r = suppression(n, gate, g->leak.owned, g->leak.verified);
        struct alert a = {.leak_id = leak_id, .call_id = call_id, .type = ALERT_TYPE_CALL,
                          .created_at = now, .state = r ? ALERT_SUPPRESSED : ALERT_PENDING,
                          .suppressed_reason = (char *)r};
        int64_t aid = 0;
        s = store_alert_add(st, &a, &aid, err);
        if (!r) {
            g->alert_ids = xrealloc(g->alert_ids, (g->n + 1) * sizeof *g->alert_ids);
            g->alert_ids[g->n++] = aid;
        }
    }
    return s;
}

enum akw_status
notify_calls_found(struct notify *n, struct store *st, const int64_t *call_ids, size_t n_calls,
                   struct akw_err *err)
{
    if (n_calls == 0)
        return AKW_OK;
    time_t now = akw_now();
    struct call_group *groups = NULL;
    size_t ng = 0;
    enum akw_status s = store_begin(st, err);
    if (s == AKW_OK) {
        s = calls_alert_rows(n, st, call_ids, n_calls, &groups, &ng, now, err);
        if (s == AKW_OK)
            s = store_commit(st, err);
        else
            store_rollback(st);
    }
    /* One message per key, then every row of the group gets its outcome. */
    for (size_t i = 0; s == AKW_OK && i < ng; i++) {
        struct call_group *g = &groups[i];
        if (g->n == 0)
            continue;
        struct notify_msg m = {.type = ALERT_TYPE_CALL, .leak = &g->leak, .leak_id = g->leak.id,
                               .call = &g->first, .n_calls = (long)g->n,
                               .alert_id = g->alert_ids[0], .created_at = now};
        struct alert a = {.type = ALERT_TYPE_CALL};
        deliver(n, &m, &a);
        if ((s = store_begin(st, err)) != AKW_OK)
            break;
        for (size_t j = 0; j < g->n && s == AKW_OK; j++) {
            a.id = g->alert_ids[j];
            s = store_alert_update(st, &a, err);
        }
        s = s == AKW_OK ? store_commit(st, err) : (store_rollback(st), s);
        alert_done(&a);
    }
    groups_free(groups, ng);
    return s;
}

int
notify_is_open(const struct notify *n, time_t t, time_t *next_open)
{
    if (next_open)
        *next_open = notify_window_next_open(&n->win, t);
    return notify_window_contains(&n->win, t);
}

void
notify_describe_window(const struct notify *n, char *out, size_t len)
{
    notify_window_describe(&n->win, out, len);
}

int
notify_digest_on(const struct notify *n)
{
    return n->digest;
}

enum akw_status
notify_send_test(struct notify *n, struct akw_err *err)
{
    if (!n->webhook && !n->command && !n->bell)
        return akw_err_set(err, AKW_ERR_USAGE, _("no notification channel configured "
                                                 "([notify] webhook, command or bell)"));
    struct leak l = {.rule = (char *)"akwatch-test", .kind = (char *)"test",
                     .ak_id = (char *)"LTAI5tTEST000000000000", .secret_masked =
                     (char *)"TEST****************TEST", .severity = SEVERITY_LOW,
                     .first_seen = akw_now()};
    struct notify_msg m = {.type = ALERT_TYPE_LEAK, .leak = &l, .created_at = akw_now(),
                           .test = 1};
    struct alert a = {.type = ALERT_TYPE_LEAK};
    deliver(n, &m, &a);
    enum akw_status s = AKW_OK;
    if (a.state != ALERT_SENT)
        s = akw_err_set(err, AKW_ERR_NET, "%s", a.last_error ? a.last_error : "?");
    alert_done(&a);
    return s;
}
