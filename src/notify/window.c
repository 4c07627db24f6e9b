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

#include "notify/tz.h"

// clang-format off
static const char *const day_names[7][2] = {
    {"sun", "sunday"}, {"mon", "monday"}, {"tue", "tuesday"}, {"wed", "wednesday"},
    {"thu", "thursday"}, {"fri", "friday"}, {"sat", "saturday"},
};
// clang-format on

static int
parse_hhmm(const char *s, const char **end, int *out)
{
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':'
        || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    *out = h * 60 + m;
    *end = s + 5;
    return 0;
}

static int
parse_day(const char *s, size_t n)
{
    for (int d = 0; d < 7; d++)
        for (int k = 0; k < 2; k++)
            if (strlen(day_names[d][k]) == n && strncasecmp(s, day_names[d][k], n) == 0)
                return d;
    return -1;
}

/* "mon-fri", "sat,sun", "mon,wed-fri", "fri-mon" (wraps) -> bit mask, or 0 on error. */
static unsigned
parse_days(const char *s)
{
    unsigned mask = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *a = p;
        while (isalpha((unsigned char)*p))
            p++;
        int from = parse_day(a, (size_t)(p - a)), to = from;
        if (*p == '-') {
            const char *b = ++p;
            while (isalpha((unsigned char)*p))
                p++;
            to = parse_day(b, (size_t)(p - b));
        }
        if (from < 0 || to < 0 || (*p && *p != ',' && *p != ' '))
            return 0;
        for (int d = from;; d = (d + 1) % 7) {
            mask |= 1u << d;
            if (d == to)
                break;
        }
    }
    return mask;
}

enum akw_status
notify_window_parse(const char *window, const char *days, const char *tz,
                    struct notify_window *out, struct akw_err *err)
{
    memset(out, 0, sizeof *out);
    out->start_min = out->end_min = -1;
    out->days = NOTIFY_DAYS_ALL;
    if (window && *window) {
        const char *p = window;
        while (*p == ' ')
            p++;
        if (parse_hhmm(p, &p, &out->start_min) != 0 || *p++ != '-'
            || parse_hhmm(p, &p, &out->end_min) != 0 || (*p && *p != ' '))
            return akw_err_set(err, AKW_ERR_PARSE,
                               _("window \"%s\": expected HH:MM-HH:MM, e.g. 08:00-20:00"),
                               window);
        out->start_min %= 1440;
        out->end_min %= 1440;
    }
    if (days && *days && !(out->days = parse_days(days)))
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
                buf_printf(&b, "%s%s", sep, day_names[d % 7][0]);
                sep = ",";
            }
    }
    if (w->tz_name)
        buf_printf(&b, " %s", w->tz_name);
    snprintf(out, n, "%s", b.data ? b.data : "");
    buf_done(&b);
}
