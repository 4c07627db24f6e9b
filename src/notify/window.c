/* window — the notification window: "HH:MM-HH:MM" wall-clock hours (overnight ranges wrap
 * past midnight), optional days of week, a time zone. Pure: "now" is always passed in.
 * An overnight window belongs to the day it opens: 22:00-06:00 on fri covers Sat 03:00.
 */
#include "config.h"
#include "notify/notify.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/conf.h"
#include "util/tz.h"

static const char *const day_abbr[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

enum akw_status
notify_window_parse(const char *window, const char *days, const char *tz,
                    struct notify_window *out, struct akw_err *err)
{
    memset(out, 0, sizeof *out);
    out->start_min = out->end_min = -1;
    out->days = NOTIFY_DAYS_ALL;
    /* The same parsers as `config check` (config/ and util/tz.c): one grammar. */
    if (window && *window) {
        if (config_parse_window(window, &out->start_min, &out->end_min) != 0)
            return akw_err_set(err, AKW_ERR_PARSE,
                               _("window \"%s\": expected HH:MM-HH:MM, e.g. 08:00-20:00"),
                               window);
        out->start_min %= 1440;
        out->end_min %= 1440;
    }
    if (days && *days && config_parse_days(days, &out->days) != 0)
        return akw_err_set(err, AKW_ERR_PARSE,
                           _("days \"%s\": expected day names or ranges, e.g. mon-fri or sat,sun"),
                           days);
    if (tz_load(tz, &out->tz, err) != AKW_OK)
        return AKW_ERR_PARSE;
    out->tz_name = xstrdup(tz && *tz ? tz : NULL);
    return AKW_OK;
}

void
notify_window_done(struct notify_window *w)
{
    if (!w)
        return;
    tz_free(w->tz);
    free(w->tz_name);
    w->tz = NULL;
    w->tz_name = NULL;
}

int
notify_window_contains(const struct notify_window *w, time_t t)
{
    struct tz_wall wall;
    tz_wall(w->tz, t, &wall);
    int m = wall.hour * 60 + wall.min;
    int day = wall.wday; /* the day the window (containing t) opened */
    if (w->start_min < 0) {
        /* always, on the allowed days */
    } else if (w->start_min == w->end_min) {
        /* a full 24 hours from start_min */
        if (m < w->start_min)
            day = (day + 6) % 7;
    } else if (w->start_min < w->end_min) {
        if (m < w->start_min || m >= w->end_min)
            return 0;
    } else if (m < w->end_min) {
        day = (day + 6) % 7; /* after midnight: the window opened yesterday */
    } else if (m < w->start_min) {
        return 0;
    }
    return (w->days >> day) & 1u;
}

time_t
notify_window_next_open(const struct notify_window *w, time_t t)
{
    if (notify_window_contains(w, t))
        return t;
    /* Step minute by minute over eight days: simple, exact across DST changes, and cheap. */
    time_t m = t - (t % 60 + 60) % 60;
    for (int i = 1; i <= 8 * 1440 + 120; i++)
        if (notify_window_contains(w, m + 60 * (time_t)i))
            return m + 60 * (time_t)i;
    return 0;
}

void
notify_window_describe(const struct notify_window *w, char *out, size_t n)
{
    struct buf b;
    buf_init(&b);
    if (w->start_min < 0)
        buf_puts(&b, "always");
    else
        buf_printf(&b, "%02d:%02d-%02d:%02d", w->start_min / 60, w->start_min % 60,
                   w->end_min / 60, w->end_min % 60);
    if (w->days != NOTIFY_DAYS_ALL) {
        const char *sep = " ";
        for (int d = 1; d <= 7; d++) /* Monday first */
            if ((w->days >> (d % 7)) & 1u) {
                buf_printf(&b, "%s%s", sep, day_abbr[d % 7]);
                sep = ",";
            }
    }
    if (w->tz_name)
        buf_printf(&b, " %s", w->tz_name);
    snprintf(out, n, "%s", b.data ? b.data : "");
    buf_done(&b);
}
