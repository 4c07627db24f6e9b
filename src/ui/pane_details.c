/* pane_details — one leak: every field, all locations (repo, path:line, commit, URL,
 * author, date, the matching line with the secret masked), suspicious calls, the triage
 * history and the Related recommendation for its kind. Read-only; `p` opens processing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scan/recommend.h"
#include "ui/textview.h"
#include "ui/ui_priv.h"

struct details {
    int64_t leak_id;
    char *ak_id;
    enum leak_status status;
    struct textview tv;
};

/* "medium", translated; NULL for none. */
static const char *
confidence_text(enum confidence c)
{
    static const char *const names[] = {"", NC_("confidence", "low"), NC_("confidence", "medium"),
                                        NC_("confidence", "high")};
    return (unsigned)c <= CONFIDENCE_HIGH && c ? P_(names[c]) : NULL;
}

static void
add_fields(struct textview *tv, const struct leak *l, const struct provider_info *pv)
{
    char first[32], last[32], buf[256];
    draw_time(l->first_seen, 0, first);
    draw_time(l->last_seen, 0, last);
    textview_add(tv, COL_TITLE, 0, _("Leak #%lld  %s  %s"), (long long)l->id,
                 draw_severity_label(l->severity), draw_status_label(l->status, l->handled_as));
    textview_field(tv, _("AccessKey ID"), l->ak_id);
    textview_field(tv, _("Secret"), l->secret_masked);
    snprintf(buf, sizeof buf, "%s (%s)", kind_label(l->kind), l->kind ? l->kind : "");
    textview_field(tv, _("Kind"), buf);
    textview_field(tv, _("Rule"), l->rule);
    textview_field(tv, _("Description"), l->description && *l->description ? _(l->description) : NULL);
    if (pv) {
        textview_field(tv, _("Provider"), _(pv->name));
        textview_field(tv, _("Console"), *pv->console ? pv->console : NULL);
    }
    textview_field(tv, _("Severity"), _(severity_name(l->severity)));
    textview_field(tv, _("Confidence"), confidence_text(l->confidence));
    textview_field(tv, _("Owned"), l->owned ? _("yes (names one of your [assets])") : _("no"));
    char verified[600] = "";
    if (l->verified) {
        char at[32];
        draw_time(l->verified_at, 0, at);
        snprintf(verified, sizeof verified, "%s (%s)%s%s", _(l->verified), at,
                 l->verified_identity || l->verify_error ? "  " : "",
                 l->verified_identity ? l->verified_identity : l->verify_error ? l->verify_error : "");
    }
    textview_field(tv, _("Verified"), l->verified ? verified : _("not checked"));
    textview_field(tv, _("Status"), draw_status_label(l->status, l->handled_as));
    textview_field(tv, _("Note"), l->note);
    textview_field(tv, _("First seen"), first);
    textview_field(tv, _("Last seen"), last);
    textview_field(tv, _("Fingerprint"), l->fingerprint);
}

static void
add_locations(struct textview *tv, struct app *a, int64_t id)
{
    struct location *locs = NULL;
    size_t n = 0;
    struct akw_err err;
    akw_err_clear(&err);
    if (store_locations_get(a->st, id, &locs, &n, &err) != AKW_OK) {
        textview_add(tv, COL_ERROR, 2, "%s", err.msg);
        return;
    }
    textview_add(tv, COL_TITLE, 0, _("Locations (%zu)"), n);
    for (size_t i = 0; i < n; i++) {
        const struct location *l = &locs[i];
        char when[32], found[32];
        draw_time(l->committed_at, 0, when);
        draw_time(l->found_at, 0, found);
        textview_add(tv, COL_NORMAL, 2, "%zu. [%s] %s%s%s:%ld", i + 1,
                     l->platform ? l->platform : "?", l->repo ? l->repo : "",
                     l->repo ? "  " : "", l->path ? l->path : "", l->line);
        if (l->commit || l->author)
            textview_add(tv, COL_NORMAL, 5, _("commit %.12s  by %s  at %s"),
                         l->commit ? l->commit : "-", l->author ? l->author : "-", when);
        if (l->url)
            textview_add(tv, COL_DIM, 5, "%s", l->url);
        textview_add(tv, COL_NORMAL, 5, _("found %s"), found);
        if (l->snippet)
            textview_add(tv, COL_HIGH, 5, "> %s", l->snippet);
    }
    store_locations_free(locs, n);
}

static void
add_history(struct textview *tv, struct app *a, int64_t id)
{
    struct audit_entry *e = NULL;
    size_t n = 0;
    if (store_audit_list(a->st, id, &e, &n, NULL) != AKW_OK || n == 0)
        return;
    textview_add(tv, COL_TITLE, 0, "%s", _("History"));
    for (size_t i = 0; i < n; i++) {
        char at[32];
        draw_time(e[i].at, 0, at);
        textview_add(tv, COL_NORMAL, 2, "%s  %-10s %-12s %s", at, e[i].who ? e[i].who : "",
                     e[i].what ? e[i].what : "", e[i].note ? e[i].note : "");
    }
    store_audit_free(e, n);
}

/* At most this many calls or requests are listed; the rest are counted. */
#define DETAILS_MAX_ROWS 50

struct rows_ctx {
    struct textview *tv;
    long n;
};

static int
add_call(const struct call *c, void *user)
{
    struct rows_ctx *rc = user;
    if (rc->n++ >= DETAILS_MAX_ROWS)
        return 0;
    char at[32];
    draw_time(c->at, 0, at);
    textview_add(rc->tv, COL_HIGH, 2, "%s  %s  %s  %s", at, c->source_ip ? c->source_ip : "-",
                 c->action ? c->action : c->url ? c->url : "-", c->user_agent ? c->user_agent : "");
    return 0;
}

static int
add_request(const struct access_request *r, void *user)
{
    struct rows_ctx *rc = user;
    if (rc->n++ >= DETAILS_MAX_ROWS)
        return 0;
    char at[32];
    draw_time(r->at, 0, at);
    textview_add(rc->tv, COL_HIGH, 2, "%s  %s  %s %s  %d  %s", at,
                 r->source_ip ? r->source_ip : "-", r->method ? r->method : "",
                 r->path ? r->path : "", r->status, r->user_agent ? r->user_agent : "");
    return 0;
}

static void
add_more(struct rows_ctx *rc, const char *none)
{
    if (rc->n == 0)
        textview_add(rc->tv, COL_DIM, 2, "%s", none);
    else if (rc->n > DETAILS_MAX_ROWS)
        textview_add(rc->tv, COL_DIM, 2, _("... and %ld more"), rc->n - DETAILS_MAX_ROWS);
}

/* Suspicious calls made with the key and requests for the leaked file's path: what the
 * recommendation asks the user to review. */
static void
add_calls(struct textview *tv, struct app *a, const struct leak *l)
{
    struct rows_ctx rc = {tv, 0};
    struct call_filter f = {.leak_id = l->id};
    textview_add(tv, COL_TITLE, 0, "%s", _("Suspicious calls"));
    if (store_calls_foreach(a->st, &f, add_call, &rc, NULL) != AKW_OK)
        rc.n = 0;
    add_more(&rc, _("none recorded (import ActionTrail / CloudTrail logs with "
                    "`akwatch calls import FILE`)"));
    rc.n = 0;
    textview_add(tv, COL_TITLE, 0, "%s", _("Access-log requests for the leaked file"));
    if (store_access_for_leak(a->st, l->id, add_request, &rc, NULL) != AKW_OK)
        rc.n = 0;
    add_more(&rc, _("none recorded (import web access logs with `akwatch calls import FILE`)"));
}

/* Each alert raised for the leak (and its calls) with its delivery state: sent at, suppressed
 * and why, failed and the last error, or pending. */
static void
add_alerts(struct textview *tv, struct app *a, int64_t leak_id)
{
    struct alert_filter f = {.leak_id = leak_id, .limit = DETAILS_MAX_ROWS + 1};
    struct alert *v = NULL;
    size_t n = 0;
    textview_add(tv, COL_TITLE, 0, "%s", _("Alerts"));
    if (store_alert_list(a->st, &f, &v, &n, NULL) != AKW_OK)
        n = 0;
    for (size_t i = 0; i < n && i < DETAILS_MAX_ROWS; i++) {
        char made[32], sent[32];
        draw_time(v[i].created_at, 0, made);
        draw_time(v[i].sent_at, 0, sent);
        const char *type = v[i].type == ALERT_TYPE_CALL ? _("call") : v[i].type == ALERT_TYPE_DIGEST
                                                                          ? _("digest")
                                                                          : _("leak");
        switch (v[i].state) {
        case ALERT_SENT:
            textview_add(tv, COL_OK, 2, _("%s  %s alert: sent at %s (%s)"), made, type, sent,
                         v[i].channel ? v[i].channel : "-");
            break;
        case ALERT_SUPPRESSED:
            textview_add(tv, COL_DIM, 2, _("%s  %s alert: suppressed: %s"), made, type,
                         v[i].suppressed_reason ? v[i].suppressed_reason : "-");
            break;
        case ALERT_FAILED:
            textview_add(tv, COL_ERROR, 2, _("%s  %s alert: failed after %d attempts: %s"), made,
                         type, v[i].attempts, v[i].last_error ? v[i].last_error : "-");
            break;
        default:
            textview_add(tv, COL_NORMAL, 2, _("%s  %s alert: pending"), made, type);
            break;
        }
    }
    if (n == 0)
        textview_add(tv, COL_DIM, 2, "%s", _("none"));
    else if (n > DETAILS_MAX_ROWS)
        textview_add(tv, COL_DIM, 2, "%s", _("... and more"));
    store_alerts_free(v, n);
}

static void
add_advice(struct textview *tv, const struct leak *l, const struct detect_ruleset *rs)
{
    const char *steps[RECOMMEND_MAX];
    recommend_steps(rs, l->kind, l->rule, steps);
    textview_add(tv, COL_TITLE, 0, "%s", _("Related recommendation"));
    for (const char *const *r = steps; *r; r++)
        textview_add(tv, COL_NORMAL, 2, "- %s", _(*r));
}

static unsigned
details_open(struct pane *p, struct app *a)
{
    struct details *d = p->priv;
    struct leak l;
    struct akw_err err;
    akw_err_clear(&err);
    memset(&l, 0, sizeof l);
    textview_clear(&d->tv);
    if (store_leak_get(a->st, d->leak_id, &l, &err) != AKW_OK) {
        textview_add(&d->tv, COL_ERROR, 0, "%s", err.msg);
        return STALE_DRAW;
    }
    free(d->ak_id);
    d->ak_id = xstrdup(l.ak_id);
    d->status = l.status;
    add_fields(&d->tv, &l, detect_rule_provider(a->rules, l.rule));
    textview_add(&d->tv, COL_NORMAL, 0, "%s", "");
    add_locations(&d->tv, a, l.id);
    textview_add(&d->tv, COL_NORMAL, 0, "%s", "");
    add_calls(&d->tv, a, &l);
    textview_add(&d->tv, COL_NORMAL, 0, "%s", "");
    add_alerts(&d->tv, a, l.id);
    textview_add(&d->tv, COL_NORMAL, 0, "%s", "");
    add_advice(&d->tv, &l, a->rules);
    add_history(&d->tv, a, l.id);
    leak_done(&l);
    return STALE_DRAW;
}

static void
details_draw(struct pane *p, struct app *a, int y, int h)
{
    (void)a;
    struct details *d = p->priv;
    textview_pane_draw(&d->tv, &p->sc, y, h);
}

static enum action
details_handle(struct pane *p, struct app *a, enum action act, unsigned *stale)
{
    struct details *d = p->priv;
    if (act == ACT_PROCESS) {
        *stale |= app_push(a, pane_processing_new(d->leak_id));
        return ACT_NONE;
    }
    if (act == ACT_RECHECK) {
        *stale |= recheck_start(a, d->leak_id);
        return ACT_NONE;
    }
    return act;
}

static void
details_dump(struct pane *p, FILE *f)
{
    struct details *d = p->priv;
    fprintf(f, "details_id=%lld\ndetails_ak=%s\ndetails_status=%s\ndetails_top=%ld\n",
            (long long)d->leak_id, d->ak_id ? d->ak_id : "", leak_status_name(d->status),
            p->sc.top);
}

static void
details_done(struct pane *p)
{
    struct details *d = p->priv;
    textview_done(&d->tv);
    free(d->ak_id);
    free(d);
}

static const struct pane_ops details_ops = {
    .name = "details",
    .ctx = KC_DETAILS,
    .open = details_open,
    .draw = details_draw,
    .handle = details_handle,
    .dump = details_dump,
    .done = details_done,
};

struct pane *
pane_details_new(int64_t leak_id)
{
    struct details *d = xcalloc(1, sizeof *d);
    d->leak_id = leak_id;
    struct pane *p = pane_new(&details_ops, d);
    p->sc.no_cursor = 1;
    return p;
}
