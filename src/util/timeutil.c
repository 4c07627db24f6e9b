/* timeutil — ISO 8601 in UTC, and the clock seam tests use to set "now". */
#include "config.h"
#include "util/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

time_t
akw_now(void)
{
    const char *fake = getenv("AKWATCH_NOW");
    time_t t;
    if (fake && *fake && akw_time_parse(fake, &t) == 0)
        return t;
    return time(NULL);
}

void
akw_time_iso(time_t t, char out[32])
{
    struct tm tm;
    if (t == 0 || !gmtime_r(&t, &tm)) {
        out[0] = '\0';
        return;
    }
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
akw_time_parse(const char *s, time_t *out)
{
    if (!s || !*s)
        return -1;
    const char *p = s;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '\0' && p - s < 15) { /* epoch seconds */
        *out = (time_t)strtoll(s, NULL, 10);
        return 0;
    }
    struct tm tm = {0};
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3)
        return -1;
    p = s + n;
    if (*p == 'T' || *p == ' ') {
        int m = 0;
        if (sscanf(p + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &m) != 3)
            return -1;
        p += 1 + m;
        if (*p == '.')
            for (p++; isdigit((unsigned char)*p); p++)
                ;
    }
    long offset = 0;
    if (*p == '+' || *p == '-') {
        int hh = 0, mm = 0;
        if (sscanf(p + 1, "%2d:%2d", &hh, &mm) < 1)
            return -1;
        offset = (hh * 3600L + mm * 60L) * (*p == '-' ? -1 : 1);
    } else if (*p && *p != 'Z') {
        return -1;
    }
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23
        || tm.tm_min > 59 || tm.tm_sec > 60)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = timegm(&tm) - offset;
    return 0;
}
