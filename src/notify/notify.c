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

// clang-format off
static const struct { const char *name; enum webhook_format f; } formats[] = {
    {"generic", WEBHOOK_GENERIC}, {"json", WEBHOOK_GENERIC},
    {"slack", WEBHOOK_SLACK}, {"dingtalk", WEBHOOK_DINGTALK},
};
// clang-format on

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
    if (present(cfg->webhook_format)) {
        size_t i = 0;
        while (i < sizeof formats / sizeof formats[0]
               && strcasecmp(formats[i].name, cfg->webhook_format) != 0)
            i++;
        if (i == sizeof formats / sizeof formats[0]) {
            notify_free(n);
            return akw_err_set(err, AKW_ERR_PARSE,
                               _("[notify] webhook_format \"%s\": expected generic, slack or "
                                 "dingtalk"),
                               cfg->webhook_format);
        }
        n->format = formats[i].f;
    }
    if (present(cfg->webhook) && webhook_url_allowed(cfg->webhook, err) != 0) {
        akw_err_prefix(err, "[notify]");
        notify_free(n);
        return AKW_ERR_USAGE;
    }
    n->webhook = present(cfg->webhook) ? xstrdup(cfg->webhook) : NULL;
    n->command = present(cfg->command) ? xstrdup(cfg->command) : NULL;
    n->bell = cfg->bell;
    n->digest = cfg->digest;
    n->owned_bypass = cfg->owned_bypass_window;
    n->alert_only_live = cfg->alert_only_live;
    snprintf(n->channels, sizeof n->channels, "%s%s%s%s%s%s",
             n->webhook ? "webhook(" : "",
             n->webhook ? formats[n->format == WEBHOOK_GENERIC ? 0 : n->format + 1].name : "",
             n->webhook ? ")" : "", n->command ? (n->webhook ? ",command" : "command") : "",
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
    free(n);
}

const char *
notify_channels(const struct notify *n)
{
    return n->channels;
}

/* Why an alert created now is not sent, or NULL when it is to be sent. out gets the text. */
static const char *
suppression(struct notify *n, int owned, const char *verified, time_t now, char *out,
            size_t len)
{
    if (n->alert_only_live && (!verified || strcmp(verified, "live") != 0)) {
        snprintf(out, len, "key not verified live (alert_only_live)");
        return out;
    }
    if (!n->webhook && !n->command && !n->bell) {
        snprintf(out, len, "no notification channel configured");
        return out;
    }
    if (notify_window_contains(&n->win, now) || (owned && n->owned_bypass))
        return NULL;
    char w[96], next[32];
    notify_window_describe(&n->win, w, sizeof w);
    akw_time_iso(notify_window_next_open(&n->win, now), next);
    snprintf(out, len, REASON_OUTSIDE " (%s); %s %s", w,
             n->digest ? "in the digest sent when it opens at" : "not sent later; opens at",
             next);
    return out;
}

/* Insert the alert, deliver it (or not), record the outcome. */
static enum akw_status
raise_alert(struct notify *n, struct store *st, struct notify_msg *m, int owned,
            const char *verified, int64_t *id_out, struct akw_err *err)
{
    time_t now = akw_now();
    char why[256];
    struct alert a = {.leak_id = m->leak_id, .call_id = m->call ? m->call->id : 0,
                      .type = m->type, .created_at = now};
    if (suppression(n, owned, verified, now, why, sizeof why)) {
        a.state = ALERT_SUPPRESSED;
        a.suppressed_reason = why;
        return store_alert_add(st, &a, id_out, err);
    }
    a.state = ALERT_PENDING; /* if we die while sending, the row says so */
    enum akw_status s = store_alert_add(st, &a, &a.id, err);
    if (s != AKW_OK)
        return s;
    m->alert_id = a.id;
    m->created_at = now;
    deliver(n, m, &a);
    s = store_alert_update(st, &a, err);
    if (id_out)
        *id_out = a.id;
    free(a.channel);
    free(a.last_error);
    return s;
}

enum akw_status
notify_leak_found(struct notify *n, struct store *st, const struct leak *leak,
                  const struct location *loc, const struct store_record_result *res,
                  int64_t *alert_id, struct akw_err *err)
{
    if (alert_id)
        *alert_id = 0;
    if (!res || !(res->new_leak || res->reopened) || res->whitelisted)
        return AKW_OK;
    struct notify_msg m = {.type = ALERT_TYPE_LEAK, .leak = leak, .leak_id = res->leak_id,
                           .loc = loc, .reopened = res->reopened && !res->new_leak};
    if (!n->alert_only_live || (leak->verified && strcmp(leak->verified, "live") == 0))
        return raise_alert(n, st, &m, leak->owned, leak->verified, alert_id, err);
    /* The verdict may have been stored after the finding (scan thread): read it back. */
    struct leak now = {0};
    enum akw_status s = store_leak_get(st, res->leak_id, &now, err);
    if (s == AKW_OK)
        s = raise_alert(n, st, &m, leak->owned, now.verified, alert_id, err);
    leak_done(&now);
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
        char why[256];
        const char *r = suppression(n, g->leak.owned, g->leak.verified, now, why, sizeof why);
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
