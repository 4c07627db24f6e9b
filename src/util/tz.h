/* tz — UTC -> wall clock in a named time zone, read straight from the TZif files of the tz
 * database (or a POSIX TZ rule string). It never calls setenv("TZ") or tzset(), so any thread
 * may convert in any zone at any time without races. Shared by notify/ (the window) and
 * config/ (checking [notify] tz), so both accept exactly the same zones.
 */
#ifndef AKW_UTIL_TZ_H
#define AKW_UTIL_TZ_H

#include <time.h>

#include "util/util.h"

struct tz;

/* Wall-clock time in a zone. */
struct tz_wall {
    int year, mon, mday;  /* mon 1..12 */
    int hour, min, sec;
    int wday;             /* 0 = Sunday */
    long utoff;           /* seconds east of UTC */
    int isdst;
};

/* Load a zone. name: an IANA name ("Asia/Shanghai", read from $TZDIR or
 * /usr/share/zoneinfo), a POSIX rule ("CST-8", "EST5EDT,M3.2.0,M11.1.0"), or NULL/"" for
 * the local zone ($TZ when set, else /etc/localtime, else UTC).
 * Errors: AKW_ERR_PARSE "unknown time zone NAME". Caller tz_free()s *out. */
enum akw_status tz_load(const char *name, struct tz **out, struct akw_err *err);
void tz_free(struct tz *z);

/* Convert t (UTC) to wall-clock time in z. Thread-safe (z is only read). */
void tz_wall(const struct tz *z, time_t t, struct tz_wall *out);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
long tz_days_from_civil(int y, int m, int d);
void tz_civil_from_days(long z, int *y, int *m, int *d);

#endif
