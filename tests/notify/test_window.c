/* test_window — the notification window and the tz reader: inside/outside, edges, overnight,
 * midnight crossing, days of week, DST changes (America/New_York, Europe/Berlin), bad input. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "notify/notify.h"
#include "util/tz.h"
#include "tap.h"

static time_t
at(const char *iso)
{
    time_t t = 0;
    if (akw_time_parse(iso, &t) != 0) {
        printf("# bad time in test table: %s\n", iso);
        exit(2);
    }
    return t;
}

// clang-format off
static const struct {
    const char *window, *days, *tz, *now;
    int inside;
    const char *why;
} cases[] = {
    /* plain day window, UTC */
    {"08:00-20:00", NULL, "UTC", "2026-03-02T08:00:00Z", 1, "start edge is inside"},
    {"08:00-20:00", NULL, "UTC", "2026-03-02T07:59:59Z", 0, "a second before start"},
    {"08:00-20:00", NULL, "UTC", "2026-03-02T19:59:59Z", 1, "a second before end"},
    {"08:00-20:00", NULL, "UTC", "2026-03-02T20:00:00Z", 0, "end edge is outside"},
    {NULL, NULL, "UTC", "2026-03-02T03:00:00Z", 1, "no window: always"},
    {"", "", "", "2026-03-02T03:00:00Z", 1, "empty values: always"},
    /* overnight */
    {"22:00-06:00", NULL, "UTC", "2026-03-02T22:00:00Z", 1, "overnight start"},
    {"22:00-06:00", NULL, "UTC", "2026-03-02T23:59:59Z", 1, "overnight before midnight"},
    {"22:00-06:00", NULL, "UTC", "2026-03-03T00:00:00Z", 1, "overnight at midnight"},
    {"22:00-06:00", NULL, "UTC", "2026-03-03T05:59:59Z", 1, "overnight before end"},
    {"22:00-06:00", NULL, "UTC", "2026-03-03T06:00:00Z", 0, "overnight end edge"},
    {"22:00-06:00", NULL, "UTC", "2026-03-03T21:59:59Z", 0, "overnight gap"},
    {"22:00-06:00", NULL, "UTC", "2026-03-03T12:00:00Z", 0, "overnight noon"},
    {"20:00-24:00", NULL, "UTC", "2026-03-03T23:59:00Z", 1, "24:00 end: last minute"},
    {"20:00-24:00", NULL, "UTC", "2026-03-04T00:00:00Z", 0, "24:00 end: midnight outside"},
    {"00:00-00:00", NULL, "UTC", "2026-03-04T13:00:00Z", 1, "start == end: full day"},
    /* days of week (2026-03-02 is a Monday) */
    {"08:00-20:00", "mon-fri", "UTC", "2026-03-06T10:00:00Z", 1, "friday in mon-fri"},
    {"08:00-20:00", "mon-fri", "UTC", "2026-03-07T10:00:00Z", 0, "saturday not in mon-fri"},
    {"08:00-20:00", "sat,sun", "UTC", "2026-03-08T10:00:00Z", 1, "sunday in sat,sun"},
    {"08:00-20:00", "sat,sun", "UTC", "2026-03-09T10:00:00Z", 0, "monday not in sat,sun"},
    {NULL, "Saturday", "UTC", "2026-03-07T00:00:00Z", 1, "full day name, midnight start"},
    {NULL, "sat", "UTC", "2026-03-06T23:59:59Z", 0, "friday last second"},
    {NULL, "sat", "UTC", "2026-03-08T00:00:00Z", 0, "sunday first second"},
    {NULL, "fri-mon", "UTC", "2026-03-08T12:00:00Z", 1, "wrapping range fri-mon has sunday"},
    {NULL, "fri-mon", "UTC", "2026-03-04T12:00:00Z", 0, "wrapping range fri-mon lacks wed"},
    {"08:00-20:00", "mon,wed-fri", "UTC", "2026-03-03T12:00:00Z", 0, "tuesday not in list"},
    {"08:00-20:00", "mon,wed-fri", "UTC", "2026-03-04T12:00:00Z", 1, "wednesday in list"},
    /* overnight + days: the window belongs to the day it opens */
    {"22:00-06:00", "mon-fri", "UTC", "2026-03-07T03:00:00Z", 1, "sat 03:00 is friday's night"},
    {"22:00-06:00", "mon-fri", "UTC", "2026-03-07T23:00:00Z", 0, "sat 23:00 is saturday's"},
    {"22:00-06:00", "mon-fri", "UTC", "2026-03-02T03:00:00Z", 0, "mon 03:00 is sunday's night"},
    {"22:00-06:00", "mon-fri", "UTC", "2026-03-02T22:30:00Z", 1, "mon 22:30"},
    /* time zones */
    {"08:00-20:00", NULL, "Asia/Shanghai", "2026-03-02T00:00:00Z", 1, "shanghai 08:00"},
    {"08:00-20:00", NULL, "Asia/Shanghai", "2026-03-01T23:59:59Z", 0, "shanghai 07:59:59"},
    {"08:00-20:00", "mon-fri", "Asia/Shanghai", "2026-03-06T23:00:00Z", 0,
     "utc friday is saturday in shanghai"},
    {"08:00-20:00", NULL, "CST-8", "2026-03-02T00:00:00Z", 1, "POSIX zone CST-8"},
    /* America/New_York spring forward: 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z) */
    {"08:00-20:00", NULL, "America/New_York", "2026-03-07T12:30:00Z", 0, "NY sat 07:30 EST"},
    {"08:00-20:00", NULL, "America/New_York", "2026-03-08T12:30:00Z", 1, "NY sun 08:30 EDT"},
    {"08:00-20:00", NULL, "America/New_York", "2026-03-08T23:59:00Z", 1, "NY 19:59 EDT"},
    {"08:00-20:00", NULL, "America/New_York", "2026-03-09T00:00:00Z", 0, "NY 20:00 EDT"},
    {"02:00-03:00", NULL, "America/New_York", "2026-03-08T06:59:59Z", 0, "skipped hour: 01:59"},
    {"02:00-03:00", NULL, "America/New_York", "2026-03-08T07:00:00Z", 0, "skipped hour: 03:00"},
    {"02:00-03:00", NULL, "America/New_York", "2026-03-09T06:30:00Z", 1, "next day 02:30 EDT exists"},
    {"22:00-06:00", NULL, "America/New_York", "2026-03-08T09:59:00Z", 1, "overnight 05:59 EDT"},
    {"22:00-06:00", NULL, "America/New_York", "2026-03-08T10:00:00Z", 0, "overnight 06:00 EDT"},
    /* America/New_York fall back: 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z) */
    {"01:00-02:00", NULL, "America/New_York", "2026-11-01T04:59:59Z", 0, "00:59:59 EDT"},
    {"01:00-02:00", NULL, "America/New_York", "2026-11-01T05:30:00Z", 1, "first 01:30 (EDT)"},
    {"01:00-02:00", NULL, "America/New_York", "2026-11-01T06:30:00Z", 1, "second 01:30 (EST)"},
    {"01:00-02:00", NULL, "America/New_York", "2026-11-01T07:00:00Z", 0, "02:00 EST"},
    {"08:00-20:00", NULL, "America/New_York", "2026-11-01T12:30:00Z", 0, "07:30 EST after"},
    {"08:00-20:00", NULL, "America/New_York", "2026-10-31T12:30:00Z", 1, "08:30 EDT before"},
    {"08:00-20:00", NULL, "EST5EDT,M3.2.0,M11.1.0", "2026-03-08T12:30:00Z", 1,
     "POSIX US rule, after spring forward"},
    {"08:00-20:00", NULL, "EST5EDT,M3.2.0,M11.1.0", "2026-03-07T12:30:00Z", 0,
     "POSIX US rule, before spring forward"},
    {"08:00-20:00", NULL, "America/New_York", "2041-07-01T12:30:00Z", 1,
     "beyond the transition table: the footer rule (08:30 EDT)"},
    /* Europe/Berlin: 2026-03-29 01:00Z CET -> CEST; 2026-10-25 01:00Z CEST -> CET */
    {"08:00-20:00", NULL, "Europe/Berlin", "2026-03-28T06:30:00Z", 0, "berlin 07:30 CET"},
    {"08:00-20:00", NULL, "Europe/Berlin", "2026-03-29T06:30:00Z", 1, "berlin 08:30 CEST"},
    {"08:00-20:00", NULL, "Europe/Berlin", "2026-03-28T18:30:00Z", 1, "berlin 19:30 CET"},
    {"08:00-20:00", NULL, "Europe/Berlin", "2026-03-29T18:30:00Z", 0, "berlin 20:30 CEST"},
    {"08:00-20:00", NULL, "Europe/Berlin", "2026-10-24T18:30:00Z", 0, "berlin 20:30 CEST (oct)"},
    {"08:00-20:00", NULL, "Europe/Berlin", "2026-10-25T18:30:00Z", 1, "berlin 19:30 CET (oct)"},
    {"23:00-01:00", "sat", "Europe/Berlin", "2026-03-28T23:30:00Z", 1,
     "sat night window past midnight on the spring-forward night (sun 00:30 CET)"},
};

static const struct {
    const char *window, *days, *tz;
} bad[] = {
    {"25:00-06:00", NULL, NULL}, {"8:00-20:00", NULL, NULL}, {"08:00", NULL, NULL},
    {"08:00-20:00x", NULL, NULL}, {"08:60-20:00", NULL, NULL}, {"24:30-01:00", NULL, NULL},
    {NULL, "funday", NULL}, {NULL, "mon-", NULL}, {NULL, "mon;tue", NULL},
    {NULL, NULL, "Nowhere/City"}, {NULL, NULL, "../../etc/passwd"}, {NULL, NULL, "EST5EDT,M13.1.0,M11.1.0"},
};
// clang-format on

static void
test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct notify_window w;
        struct akw_err err = {0};
        enum akw_status rc =
            notify_window_parse(cases[i].window, cases[i].days, cases[i].tz, &w, &err);
        if (rc != AKW_OK) {
            ok(0, "%s: parse failed: %s", cases[i].why, err.msg);
        } else {
            is_int(notify_window_contains(&w, at(cases[i].now)), cases[i].inside, "%s (%s %s %s)",
                   cases[i].why, cases[i].window ? cases[i].window : "-",
                   cases[i].days ? cases[i].days : "-", cases[i].now);
        }
        notify_window_done(&w);
    }
}

static void
test_bad(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct notify_window w;
        struct akw_err err = {0};
        enum akw_status rc = notify_window_parse(bad[i].window, bad[i].days, bad[i].tz, &w, &err);
        const char *what = bad[i].window ? bad[i].window : bad[i].days ? bad[i].days : bad[i].tz;
        ok(rc == AKW_ERR_PARSE && strstr(err.msg, what) != NULL, "rejects \"%s\": %s", what,
           err.msg);
        notify_window_done(&w);
    }
}

static void
test_wall(void)
{
    struct tz *z;
    struct tz_wall wl;
    ok(tz_load("America/New_York", &z, NULL) == AKW_OK, "load America/New_York");
    tz_wall(z, at("2026-03-08T06:59:59Z"), &wl);
    ok(wl.hour == 1 && wl.min == 59 && wl.sec == 59 && !wl.isdst && wl.utoff == -18000,
       "NY just before spring forward is 01:59:59 EST");
    tz_wall(z, at("2026-03-08T07:00:00Z"), &wl);
    ok(wl.hour == 3 && wl.min == 0 && wl.isdst && wl.utoff == -14400 && wl.wday == 0,
       "NY at spring forward is 03:00 EDT on a Sunday");
    tz_wall(z, at("2041-01-15T12:00:00Z"), &wl);
    ok(wl.hour == 7 && !wl.isdst && wl.year == 2041 && wl.mon == 1 && wl.mday == 15,
       "NY in 2041 winter via the footer rule");
    tz_free(z);
    ok(tz_load("Australia/Sydney", &z, NULL) == AKW_OK, "load Australia/Sydney");
    tz_wall(z, at("2041-01-15T00:00:00Z"), &wl);
    ok(wl.hour == 11 && wl.isdst, "southern hemisphere summer via the footer rule (AEDT)");
    tz_wall(z, at("2041-07-15T00:00:00Z"), &wl);
    ok(wl.hour == 10 && !wl.isdst, "southern hemisphere winter (AEST)");
    tz_free(z);
    ok(tz_load("<+0330>-3:30", &z, NULL) == AKW_OK, "POSIX zone with <> name and minutes");
    tz_wall(z, at("2026-01-01T00:00:00Z"), &wl);
    ok(wl.hour == 3 && wl.min == 30, "offset +03:30");
    tz_free(z);
    setenv("TZ", "Asia/Tokyo", 1);
    ok(tz_load(NULL, &z, NULL) == AKW_OK, "local zone from $TZ");
    tz_wall(z, at("2026-01-01T00:00:00Z"), &wl);
    is_int(wl.hour, 9, "local zone follows TZ=Asia/Tokyo");
    tz_free(z);
    setenv("TZ", "UTC", 1);
    long d = tz_days_from_civil(2000, 2, 29);
    int y, m, dd;
    tz_civil_from_days(d, &y, &m, &dd);
    ok(y == 2000 && m == 2 && dd == 29, "civil date round trip on a leap day");
}

static void
test_next_open_describe(void)
{
    struct notify_window w;
    char s[128];
    notify_window_parse("08:00-20:00", "mon-fri", "UTC", &w, NULL);
    is_int(notify_window_next_open(&w, at("2026-03-06T21:00:00Z")), at("2026-03-09T08:00:00Z"),
           "next open after friday evening is monday 08:00");
    is_int(notify_window_next_open(&w, at("2026-03-09T09:00:00Z")), at("2026-03-09T09:00:00Z"),
           "inside: next open is now");
    notify_window_done(&w);
    notify_window_parse("08:00-20:00", NULL, "America/New_York", &w, NULL);
    is_int(notify_window_next_open(&w, at("2026-03-08T06:00:00Z")), at("2026-03-08T12:00:00Z"),
           "next open on spring-forward day is 08:00 EDT");
    notify_window_done(&w);
    notify_window_parse("22:00-06:00", "mon-fri", "Asia/Shanghai", &w, NULL);
    notify_window_describe(&w, s, sizeof s);
    is_str(s, "22:00-06:00 mon,tue,wed,thu,fri Asia/Shanghai", "describe");
    notify_window_done(&w);
    notify_window_parse(NULL, NULL, NULL, &w, NULL);
    notify_window_describe(&w, s, sizeof s);
    is_str(s, "always", "describe with nothing configured");
    notify_window_done(&w);
}

/* Compare with glibc's localtime_r over 55 years in zones with odd rules (single-threaded test,
 * so setenv("TZ") is safe here). */
static void
test_against_libc(void)
{
    static const char *zones[] = {"America/New_York", "Europe/Berlin", "Australia/Sydney",
                                  "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago",
                                  "Pacific/Chatham", "Asia/Shanghai"};
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        struct tz *z;
        if (tz_load(zones[i], &z, NULL) != AKW_OK) {
            ok(0, "load %s", zones[i]);
            continue;
        }
        setenv("TZ", zones[i], 1);
        tzset();
        long mismatches = 0, n = 0;
        for (time_t t = at("1990-01-01T00:00:00Z"); t < at("2045-01-01T00:00:00Z");
             t += 37 * 3600 + 1234, n++) {
            struct tm tm;
            struct tz_wall wl;
            localtime_r(&t, &tm);
            tz_wall(z, t, &wl);
            if (tm.tm_hour != wl.hour || tm.tm_min != wl.min || tm.tm_wday != wl.wday
                || tm.tm_mday != wl.mday || tm.tm_gmtoff != wl.utoff)
                mismatches++;
        }
        is_int(mismatches, 0, "%s agrees with libc at %ld instants 1990-2045", zones[i], n);
        tz_free(z);
    }
    setenv("TZ", "UTC", 1);
    tzset();
}

int
main(void)
{
    setenv("TZDIR", "/usr/share/zoneinfo", 1);
    test_bad();
    test_cases();
    test_wall();
    test_next_open_describe();
    test_against_libc();
    return done_testing();
}
