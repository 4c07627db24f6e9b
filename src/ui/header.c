/* header — the top line (AccessKey leaks, suspicious-call alerts, platform, last detection,
 * scan state) and the bottom status line (message or key hints). Reads only the counts
 * cached in struct app; header_reload() refreshes them from the store.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui/ui_priv.h"

unsigned
header_reload(struct app *a)
{
    struct akw_err err;
    akw_err_clear(&err);
    if (store_stats_get(a->st, &a->stats, &err) != AKW_OK)
        app_message(a, 1, "%s", err.msg);
    return STALE_DRAW;
}

static void
scan_text(const struct ui_scan_status *s, char *out, size_t n)
{
    char hhmm[32];
    struct tm tm;
    switch (s->state) {
    case UI_SCAN_OFF: snprintf(out, n, "%s", _("off")); break;
    case UI_SCAN_IDLE:
        if (s->until && localtime_r(&s->until, &tm)) {
            strftime(hhmm, sizeof hhmm, "%H:%M:%S", &tm);
            snprintf(out, n, _("idle, next poll %s"), hhmm);
        } else {
            snprintf(out, n, "%s", _("idle"));
        }
        break;
    case UI_SCAN_RUNNING:
        if (s->source[0])
            snprintf(out, n, _("running (%s)"), s->source);
        else
            snprintf(out, n, "%s", _("running"));
        break;
    case UI_SCAN_STOPPED: snprintf(out, n, "%s", _("stopped")); break;
    case UI_SCAN_OFFLINE: snprintf(out, n, "%s", _("offline")); break;
    case UI_SCAN_RATE_LIMITED: {
        if (s->until && localtime_r(&s->until, &tm))
            strftime(hhmm, sizeof hhmm, "%H:%M", &tm);
        else
            strcpy(hhmm, "?");
        snprintf(out, n, _("rate-limited until %s"), hhmm);
        break;
    }
    case UI_SCAN_ERROR: snprintf(out, n, _("error: %s"), s->text); break;
    }
}

void
header_draw(struct app *a)
{
    char last[32], scan[200], line[512];
    draw_time(a->stats.last_detection, 0, last);
    scan_text(&a->scan_status, scan, sizeof scan);
    /* TRANSLATORS: the header line; the short form is used below 100 columns */
    snprintf(line, sizeof line,
             _(" akwatch | AK leaks: %ld | Call alerts: %ld | Platform: GitHub | Last: %s | "
               "Scan: %s"),
             a->stats.leaks, a->stats.call_alerts, last, scan);
    if (draw_width(line) > COLS)
        snprintf(line, sizeof line, _(" AK leaks %ld | Call alerts %ld | GitHub | Last %s | Scan %s"),
                 a->stats.leaks, a->stats.call_alerts, last, scan);
    draw_text(0, 0, line, COLS, draw_attr(COL_HEADER), DRAW_PAD | DRAW_ELLIPSIS);
}

void
status_draw(struct app *a, const char *hint)
{
    int y = LINES - 1;
    if (y < 1)
        return;
    char checking[96];
    if (!a->message[0] && a->vjob) { /* a re-check outlives the message a key cleared */
        snprintf(checking, sizeof checking, _("Leak %lld: checking…"), (long long)a->vjob_leak);
        draw_text(y, 0, checking, COLS, draw_attr(COL_OK), DRAW_PAD | DRAW_ELLIPSIS);
    } else if (a->message[0]) {
        draw_text(y, 0, a->message, COLS, draw_attr(a->message_error ? COL_ERROR : COL_OK),
                  DRAW_PAD | DRAW_ELLIPSIS);
    } else {
        draw_text(y, 0, hint, COLS, draw_attr(COL_DIM), DRAW_PAD | DRAW_ELLIPSIS);
    }
}
