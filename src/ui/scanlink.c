/* scanlink — the background GitHub scan seen by the UI: starts src/scan's scheduler thread
 * (its own store connection, HTTP client and rules), turns its queued events and status
 * into struct ui_scan_status, and restarts it for "rescan now". No curses here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "notify/notify.h"
#include "scan/sched.h"
#include "ui/ui_priv.h"

struct scanlink {
    struct ui_scan seam;
    struct sched_opts o;
    struct sched *s;
};

static const enum ui_scan_state state_map[] = {
    [SCHED_WAITING] = UI_SCAN_IDLE,    [SCHED_RUNNING] = UI_SCAN_RUNNING,
    [SCHED_RATE_LIMITED] = UI_SCAN_RATE_LIMITED, [SCHED_OFFLINE] = UI_SCAN_OFFLINE,
    [SCHED_ERROR] = UI_SCAN_ERROR,     [SCHED_STOPPED] = UI_SCAN_STOPPED,
};

static void
take_event(const struct sched_event *ev, struct ui_scan_status *st)
{
    switch (ev->kind) {
    case SCHED_EV_FINDING:
        st->new_findings++;
        if (ev->new_leak)
            snprintf(st->event, sizeof st->event, _("New leak: %s"), ev->text);
        break;
    case SCHED_EV_GAP:
        snprintf(st->event, sizeof st->event, _("Events feed gap: %s"), ev->text);
        break;
    case SCHED_EV_ERROR:
        snprintf(st->event, sizeof st->event, _("Scan error: %s"), ev->text);
        break;
    case SCHED_EV_STORE:
        snprintf(st->event, sizeof st->event, _("Scan: %s"), ev->text);
        break;
    default: break;
    }
}

static void
link_drain(void *ctx, struct ui_scan_status *st)
{
    struct scanlink *l = ctx;
    struct sched_event evs[64];
    size_t n;
    while ((n = sched_drain(l->s, evs, 64)) > 0)
        for (size_t i = 0; i < n; i++)
            take_event(&evs[i], st);
    struct sched_status ss;
    sched_status(l->s, &ss);
    st->state = state_map[ss.state];
    st->until = ss.state == SCHED_WAITING ? ss.next_poll : ss.limited_until;
    snprintf(st->source, sizeof st->source, "%s", ss.source);
    snprintf(st->text, sizeof st->text, "%s", ss.last_error);
    st->bells += notify_bell_take();
}

static void
link_describe(void *ctx, struct buf *out)
{
    struct scanlink *l = ctx;
    if (!l->s) {
        buf_puts(out, _("The scan is not running."));
        return;
    }
    struct sched_status ss;
    sched_status(l->s, &ss);
    buf_printf(out, _("State:     %s %s\n"), sched_state_name(ss.state), ss.source);
    buf_printf(out, _("Found:     %ld findings (%ld new leaks)\n"), ss.findings, ss.new_leaks);
    buf_printf(out, _("Scanned:   %ld files, %ld commits, %ld events\n"), ss.files, ss.commits,
               ss.events);
    buf_printf(out, _("Requests:  %ld (events feed gaps: %ld)\n"), ss.requests, ss.gaps);
    long files = ss.skipped - ss.skipped_commits;
    if (files > 0)
        buf_printf(out, ngettext("Skipped:   %ld file could not be fetched\n",
                                 "Skipped:   %ld files could not be fetched\n", files),
                   files);
    if (ss.skipped_commits > 0)
        buf_printf(out, ngettext("Skipped:   %ld commit could not be fetched\n",
                                 "Skipped:   %ld commits could not be fetched\n",
                                 ss.skipped_commits),
                   ss.skipped_commits);
    for (size_t i = 0; i < ss.n_tokens; i++) {
        const struct sched_budget *b = &ss.budgets[i];
        char reset[32];
        draw_time(b->core_reset, 0, reset);
        if (b->dropped)
            buf_printf(out, _("Token %zu:   dropped (401 Bad credentials)\n"), i + 1);
        else if (b->core_limit == 0)
            buf_printf(out, _("Token %zu:   budget not known yet\n"), i + 1);
        else
            buf_printf(out, _("Token %zu:   core %ld/%ld (resets %s), code search %ld/%ld\n"),
                       i + 1, b->core_remaining, b->core_limit, reset, b->search_remaining,
                       b->search_limit);
    }
    if (ss.last_error[0])
        buf_printf(out, _("Last error: %s\n"), ss.last_error);
}

static int
link_start(struct scanlink *l, struct akw_err *err)
{
    if (sched_new(&l->o, &l->s, err) != AKW_OK)
        return -1;
    if (sched_start(l->s, err) != AKW_OK) {
        sched_free(l->s);
        l->s = NULL;
        return -1;
    }
    l->seam.wake_fd = sched_fd(l->s);
    return 0;
}

static void link_reconfigure(void *ctx, void (*apply)(void *), void *arg);

static void
nothing(void *arg)
{
    (void)arg;
}

/* Stop and start again: every source runs at once (cursors and ETags persist in the
 * store, so nothing is fetched twice). */
static void
link_rescan(void *ctx)
{
    link_reconfigure(ctx, nothing, NULL);
}

/* Stop, let the caller change the config, start again with it. */
static void
link_reconfigure(void *ctx, void (*apply)(void *), void *arg)
{
    struct scanlink *l = ctx;
    if (l->s) {
        sched_stop(l->s);
        sched_free(l->s);
        l->s = NULL;
    }
    l->seam.wake_fd = -1;
    apply(arg);
    struct akw_err err;
    akw_err_clear(&err);
    link_start(l, &err);
}

struct ui_scan *
scanlink_start(const struct ui_opts *o, struct akw_err *err)
{
    struct scanlink *l = xcalloc(1, sizeof *l);
    l->o.db_path = o->db_path;
    l->o.rules_dir = o->rules_dir;
    l->o.cfg = o->cfg;
    l->o.http_timeout_s = o->http_timeout_s;
    l->seam.wake_fd = -1;
    l->seam.drain = link_drain;
    l->seam.rescan = link_rescan;
    l->seam.describe = link_describe;
    l->seam.reconfigure = link_reconfigure;
    l->seam.ctx = l;
    if (!o->cfg || link_start(l, err) != 0) {
        free(l);
        return NULL;
    }
    return &l->seam;
}

void
scanlink_stop(struct ui_scan *seam)
{
    if (!seam)
        return;
    struct scanlink *l = seam->ctx;
    if (l->s) {
        sched_stop(l->s);
        sched_free(l->s);
    }
    free(l);
}
