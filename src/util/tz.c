/* tz — read TZif files (RFC 8536) and POSIX TZ rules to turn UTC into wall-clock time.
 * Chosen over setenv("TZ")+localtime_r because TZ is process-global: the scan thread and the
 * UI thread may both check the window, and a forked helper per check would cost a process.
 * Leap-second ("right/") zones are read but their corrections are ignored.
 */
#include "config.h"
#include "util/tz.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct tz_rule_date {
    char kind;     /* 'J' (1..365, no Feb 29), 'D' (0..365), 'M' (month.week.day) */
    int a, b, c;   /* J/D: a = day; M: a = month, b = week 1..5, c = weekday 0..6 */
    long secs;     /* local time of day of the change */
};

/* A POSIX TZ rule: std offset [dst [offset] [,start,end]]. */
struct tz_rule {
    long std_off, dst_off; /* seconds east of UTC */
    int has_dst;
    struct tz_rule_date start, end;
};

struct tz_type {
    long utoff;
    int isdst;
};

struct tz {
    long n_trans;
    int64_t *trans;       /* transition instants, ascending */
    unsigned char *idx;   /* type index after each transition */
    int n_types;
    struct tz_type *types;
    int has_rule;
    struct tz_rule rule;  /* for instants after the last transition */
};

long
tz_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's days_from_civil. */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
tz_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* ---- POSIX TZ rule strings ------------------------------------------- */

static const char *
parse_name(const char *p)
{
    if (*p == '<') {
        const char *q = strchr(p, '>');
        return q && q - p >= 4 ? q + 1 : NULL;
    }
    const char *q = p;
    while (isalpha((unsigned char)*q))
        q++;
    return q - p >= 3 ? q : NULL;
}

/* [+-]hh[:mm[:ss]] -> seconds; returns the end or NULL. */
static const char *
parse_hms(const char *p, long *out, int max_h)
{
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*p))
        return NULL;
    long v[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)*p))
            return NULL;
        v[i] = strtol(p, (char **)&p, 10);
        if (*p != ':')
            break;
        p++;
    }
    if (v[0] > max_h || v[1] > 59 || v[2] > 59)
        return NULL;
    *out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
    return p;
}

static const char *
parse_date(const char *p, struct tz_rule_date *d)
{
    char *e;
    if (*p == 'M') {
        d->kind = 'M';
        d->a = (int)strtol(p + 1, &e, 10);
        if (*e != '.')
            return NULL;
        d->b = (int)strtol(e + 1, &e, 10);
        if (*e != '.')
            return NULL;
        d->c = (int)strtol(e + 1, &e, 10);
        if (d->a < 1 || d->a > 12 || d->b < 1 || d->b > 5 || d->c < 0 || d->c > 6)
            return NULL;
    } else {
        d->kind = *p == 'J' ? 'J' : 'D';
        if (*p == 'J')
            p++;
        if (!isdigit((unsigned char)*p))
            return NULL;
        d->a = (int)strtol(p, &e, 10);
        if (d->a > 365 || (d->kind == 'J' && d->a < 1))
            return NULL;
    }
    p = e;
    d->secs = 7200;
    if (*p == '/')
        p = parse_hms(p + 1, &d->secs, 167);
    return p;
}

static int
rule_parse(const char *s, struct tz_rule *r)
{
    memset(r, 0, sizeof *r);
    long off;
    const char *p = parse_name(s);
    if (!p || !(p = parse_hms(p, &off, 24)))
        return -1;
    r->std_off = -off;
    if (!*p)
        return 0;
    if (!(p = parse_name(p)))
        return -1;
    r->has_dst = 1;
    r->dst_off = r->std_off + 3600;
    if (*p && *p != ',') {
        if (!(p = parse_hms(p, &off, 24)))
            return -1;
        r->dst_off = -off;
    }
    if (!*p) /* no dates given: the US rules, as glibc assumes */
        p = ",M3.2.0,M11.1.0";
    if (*p != ',' || !(p = parse_date(p + 1, &r->start)) || *p != ',')
        return -1;
    if (!(p = parse_date(p + 1, &r->end)) || *p)
        return -1;
    return 0;
}

/* Seconds since the epoch of local midnight (offset 0) starting the rule date in year y. */
static int64_t
rule_day(const struct tz_rule_date *d, int y)
{
    long days;
    if (d->kind == 'J') {
        days = tz_days_from_civil(y, 1, 1) + d->a - 1;
        if (is_leap(y) && d->a >= 60)
            days++;
    } else if (d->kind == 'D') {
        days = tz_days_from_civil(y, 1, 1) + d->a;
    } else {
        long first = tz_days_from_civil(y, d->a, 1);
        int wd_first = (int)(((first % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
        long day = first + (d->c - wd_first + 7) % 7 + 7L * (d->b - 1);
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        long last = first + mdays[d->a - 1] + (d->a == 2 && is_leap(y)) - 1;
        while (day > last)
            day -= 7;
        days = day;
    }
    return (int64_t)days * 86400;
}

static void
rule_type(const struct tz_rule *r, int64_t t, struct tz_type *out)
{
    out->utoff = r->std_off;
    out->isdst = 0;
    if (!r->has_dst)
        return;
    int y, m, d;
    tz_civil_from_days((long)((t + r->std_off) / 86400 - ((t + r->std_off) % 86400 < 0)), &y, &m,
                       &d);
    /* DST starts at local standard time and ends at local daylight time. */
    int64_t start = rule_day(&r->start, y) + r->start.secs - r->std_off;
    int64_t end = rule_day(&r->end, y) + r->end.secs - r->dst_off;
    int dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    if (dst) {
        out->utoff = r->dst_off;
        out->isdst = 1;
    }
}

/* ---- TZif files ------------------------------------------------------- */

static int64_t
be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    if (n == 4)
        return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

/* Parse a TZif image; 0 on success. */
static int
tzif_parse(const unsigned char *p, size_t len, struct tz *z)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return -1;
    int tsize = 4;
    const unsigned char *h = p;
    for (int pass = 0; pass < 2; pass++) {
        if ((size_t)(h - p) + 44 > len || memcmp(h, "TZif", 4) != 0)
            return -1;
        long isut = (long)be(h + 20, 4), isstd = (long)be(h + 24, 4), leap = (long)be(h + 28, 4);
        long timecnt = (long)be(h + 32, 4), typecnt = (long)be(h + 36, 4);
        long charcnt = (long)be(h + 40, 4);
        if (isut < 0 || isstd < 0 || leap < 0 || timecnt < 0 || typecnt < 1 || typecnt > 256
            || charcnt < 0)
            return -1;
        size_t body = (size_t)timecnt * (tsize + 1) + (size_t)typecnt * 6 + (size_t)charcnt
                      + (size_t)leap * (tsize + 4) + (size_t)isstd + (size_t)isut;
        const unsigned char *d = h + 44;
        if ((size_t)(d - p) + body > len)
            return -1;
        if (pass == 0 && h[4] >= '2') { /* skip the 32-bit block, use the 64-bit one */
            h = d + body;
            tsize = 8;
            continue;
        }
        z->n_trans = timecnt;
        z->trans = xcalloc((size_t)timecnt + 1, sizeof *z->trans);
        z->idx = xcalloc((size_t)timecnt + 1, 1);
        z->n_types = (int)typecnt;
        z->types = xcalloc((size_t)typecnt, sizeof *z->types);
        for (long i = 0; i < timecnt; i++)
            z->trans[i] = be(d + i * tsize, tsize);
        d += timecnt * tsize;
        for (long i = 0; i < timecnt; i++)
            if ((z->idx[i] = d[i]) >= typecnt)
                return -1;
        d += timecnt;
        for (long i = 0; i < typecnt; i++) {
            z->types[i].utoff = (long)be(d + i * 6, 4);
            z->types[i].isdst = d[i * 6 + 4];
        }
        d += body - (size_t)timecnt * (tsize + 1);
        if (tsize == 8 && (size_t)(d - p) < len && *d == '\n') { /* footer: POSIX rule */
            const unsigned char *nl = memchr(d + 1, '\n', len - (size_t)(d + 1 - p));
            if (nl && nl > d + 1) {
                char *s = xstrndup((const char *)d + 1, (size_t)(nl - d - 1));
                z->has_rule = rule_parse(s, &z->rule) == 0;
                free(s);
            }
        }
        return 0;
    }
    return -1;
}

static int
name_is_safe(const char *name)
{
    if (name[0] == '/' || strstr(name, ".."))
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return 0;
    return 1;
}

static int
load_file(const char *path, struct tz *z)
{
    char *data;
    size_t len;
    if (fs_read_all(path, &data, &len, NULL) != AKW_OK)
        return -1;
    int rc = tzif_parse((const unsigned char *)data, len, z);
    free(data);
    return rc;
}

static void
clear(struct tz *z)
{
    free(z->trans);
    free(z->idx);
    free(z->types);
    memset(z, 0, sizeof *z);
}

enum akw_status
tz_load(const char *name, struct tz **out, struct akw_err *err)
{
    struct tz *z = xcalloc(1, sizeof *z);
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    int ok = 0;
    if (!name || !*name) {
        free(z);
        const char *env = getenv("TZ");
        if (env && *env)
            return tz_load(env[0] == ':' ? env + 1 : env, out, NULL) == AKW_OK
                       ? AKW_OK
                       : tz_load("UTC0", out, err);
        z = xcalloc(1, sizeof *z);
        if (load_file("/etc/localtime", z) == 0) {
            *out = z;
            return AKW_OK;
        }
        tz_free(z);
        return tz_load("UTC0", out, err);
    } else if (name[0] == '/') {
        ok = load_file(name, z) == 0;
    } else {
        if (name_is_safe(name)) {
            char *path = xasprintf("%s/%s", dir, name);
            ok = load_file(path, z) == 0;
            free(path);
        }
        if (!ok) {
            clear(z);
            ok = rule_parse(name, &z->rule) == 0;
            z->has_rule = ok;
        }
    }
    if (!ok) {
        clear(z);
        free(z);
        return akw_err_set(err, AKW_ERR_PARSE, _("unknown time zone \"%s\""), name ? name : "");
    }
    *out = z;
    return AKW_OK;
}

void
tz_free(struct tz *z)
{
    if (!z)
        return;
    clear(z);
    free(z);
}

static void
zone_type(const struct tz *z, int64_t t, struct tz_type *out)
{
    if (z->n_trans == 0 || t < z->trans[0]) {
        if (z->n_trans == 0 && z->has_rule) {
            rule_type(&z->rule, t, out);
            return;
        }
        /* Before the first transition: the first standard-time type (RFC 8536 3.2). */
        *out = z->n_types ? z->types[0] : (struct tz_type){0, 0};
        for (int i = 0; i < z->n_types; i++)
            if (!z->types[i].isdst) {
                *out = z->types[i];
                break;
            }
        return;
    }
    if (t >= z->trans[z->n_trans - 1] && z->has_rule) {
        rule_type(&z->rule, t, out);
        return;
    }
    long lo = 0, hi = z->n_trans - 1; /* last transition <= t */
    while (lo < hi) {
        long mid = (lo + hi + 1) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    *out = z->types[z->idx[lo]];
}

void
tz_wall(const struct tz *z, time_t t, struct tz_wall *out)
{
    struct tz_type ty;
    zone_type(z, (int64_t)t, &ty);
    int64_t local = (int64_t)t + ty.utoff;
    long days = (long)(local / 86400), secs = (long)(local % 86400);
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    tz_civil_from_days(days, &out->year, &out->mon, &out->mday);
    out->hour = (int)(secs / 3600);
    out->min = (int)(secs / 60 % 60);
    out->sec = (int)(secs % 60);
    out->wday = (int)(((days % 7) + 11) % 7);
    out->utoff = ty.utoff;
    out->isdst = ty.isdst;
}
