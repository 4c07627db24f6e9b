/* accesslog — one line of an Apache/nginx access log in the combined (or common) log format:
 * client, time, request, status, user agent; and an AccessKey ID carried in the query string
 * (OSS/RPC signed URLs, AWS presigned URLs). It does not read files or decide suspicion.
 */
#include "config.h"
#include "calls/calls_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

// clang-format off
/* Query parameters that carry an AccessKey ID: Alibaba Cloud RPC and OSS signed URLs, AWS
 * query auth (V2) and presigned SigV4 URLs (the credential scope follows the ID after '/'). */
static const char *const ak_params[] = {
    "AccessKeyId", "OSSAccessKeyId", "AWSAccessKeyId", "X-Amz-Credential",
};
static const char *const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
// clang-format on

/* The next space-delimited token; NULL when the line ends first. */
static char *
token(char **p)
{
    while (**p == ' ')
        (*p)++;
    if (!**p)
        return NULL;
    char *t = *p;
    while (**p && **p != ' ')
        (*p)++;
    if (**p)
        *(*p)++ = '\0';
    return t;
}

/* A field in open/close delimiters ("..." with backslash escapes, or [...]); NULL if absent. */
static char *
delimited(char **p, char open, char close)
{
    while (**p == ' ')
        (*p)++;
    if (**p != open)
        return NULL;
    char *start = ++(*p), *q = start;
    while (**p && **p != close) {
        if (**p == '\\' && (*p)[1] && open == '"') {
            (*p)++; /* \" and \\ : keep the escaped character */
        }
        *q++ = *(*p)++;
    }
    if (**p != close)
        return NULL;
    (*p)++;
    *q = '\0';
    return start;
}

/* "10/Oct/2000:13:55:36 -0700" -> UTC; 0 or -1. */
static int
parse_clf_time(const char *s, time_t *out)
{
    int d, y, H, M, S, zh, zm;
    char mon[4], sign;
    if (sscanf(s, "%2d/%3s/%4d:%2d:%2d:%2d %c%2d%2d", &d, mon, &y, &H, &M, &S, &sign, &zh, &zm)
        != 9 || (sign != '+' && sign != '-'))
        return -1;
    int m = -1;
    for (int i = 0; i < 12; i++)
        if (strcasecmp(mon, months[i]) == 0)
            m = i;
    if (m < 0 || d < 1 || d > 31 || H > 23 || M > 59 || S > 60)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m, .tm_mday = d, .tm_hour = H, .tm_min = M,
                    .tm_sec = S};
    long off = (zh * 3600L + zm * 60L) * (sign == '-' ? -1 : 1);
    *out = timegm(&tm) - off;
    return 0;
}

static int
hexval(char c)
{
    return isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10);
}

/* Percent-decode s[0..n) into out (room for n + 1); plus_space for query parts. */
static size_t
url_decode(const char *s, size_t n, char *out, int plus_space)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1])
            && isxdigit((unsigned char)s[i + 2])) {
            out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[o++] = plus_space && s[i] == '+' ? ' ' : s[i];
        }
    }
    out[o] = '\0';
    return o;
}

/* The AccessKey ID in query q (n bytes), decoded into out; 0 when none. */
static size_t
query_ak(const char *q, size_t n, char *out)
{
    const char *end = q + n;
    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *stop = amp ? amp : end, *eq = memchr(q, '=', (size_t)(stop - q));
        if (eq) {
            char name[32];
            size_t nl = url_decode(q, (size_t)(eq - q) < 31 ? (size_t)(eq - q) : 0, name, 1);
            for (size_t i = 0; nl && i < sizeof ak_params / sizeof ak_params[0]; i++)
                if (strcasecmp(name, ak_params[i]) == 0) {
                    size_t vl = url_decode(eq + 1, (size_t)(stop - eq - 1), out, 1);
                    char *slash = memchr(out, '/', vl);
                    if (slash)
                        *slash = '\0', vl = (size_t)(slash - out);
                    if (vl)
                        return vl;
                }
        }
        q = stop + 1;
    }
    return 0;
}

int
accesslog_parse(char *line, size_t n, struct buf *scratch, struct calls_event *ev,
                const char **why)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = "access_log";
    line[n] = '\0';
    if (n && line[n - 1] == '\r')
        line[--n] = '\0';
    char *p = line, *host = token(&p);
    char *ident = token(&p), *user = token(&p);
    (void)ident;
    (void)user;
    char *when = delimited(&p, '[', ']');
    if (!host || !user || !when) {
        *why = N_("not in combined log format (client, ident, user, [time])");
        return -1;
    }
    if (parse_clf_time(when, &ev->at) != 0) {
        *why = N_("bad time");
        return -1;
    }
    char *req = delimited(&p, '"', '"');
    char *status = token(&p), *bytes = token(&p);
    if (!req || !status || !bytes) {
        *why = N_("not in combined log format (\"request\" status bytes)");
        return -1;
    }
    if (strcmp(status, "-") != 0) {
        char *e;
        long v = strtol(status, &e, 10);
        if (*e || v < 100 || v > 999) {
            *why = N_("bad status");
            return -1;
        }
        ev->status = (int)v;
    }
    char *referer = delimited(&p, '"', '"');
    (void)referer;
    ev->user_agent = delimited(&p, '"', '"');
    ev->source_ip = host;
    /* "GET /path?q HTTP/1.1": requests without a method and target are kept unparsed. */
    char *rp = req, *method = token(&rp), *target = token(&rp);
    if (!method || !target)
        return 0;
    if (strncasecmp(target, "http://", 7) == 0 || strncasecmp(target, "https://", 8) == 0) {
        char *slash = strchr(strstr(target, "//") + 2, '/');
        target = slash ? slash : (char *)"/";
    }
    if (target[0] != '/')
        return 0;
    size_t tl = strlen(target), pl = strcspn(target, "?#");
    buf_reset(scratch);
    buf_reserve(scratch, 3 * tl + strlen(method) + 8); /* no realloc below: pointers stay */
    char *path = scratch->data;
    size_t dl = url_decode(target, pl, path, 0);
    char *action = path + dl + 1;
    size_t ml = strlen(method);
    memcpy(action, method, ml);
    action[ml] = ' ';
    memcpy(action + ml + 1, path, dl + 1);
    char *ak = action + ml + 1 + dl + 1;
    ak[0] = '\0';
    if (target[pl] == '?' && query_ak(target + pl + 1, tl - pl - 1, ak))
        ev->ak_id = ak;
    scratch->len = (size_t)(ak - scratch->data) + strlen(ak) + 1;
    ev->method = method;
    ev->path = path;
    ev->action = action;
    ev->url = target;
    return 0;
}

char *
calls_mask_query(const char *url)
{
    static const char *const secret_params[] = {"signature", "x-amz-signature", "securitytoken",
                                                "x-amz-security-token", "secret", "password",
                                                "token", "passwd"};
    struct buf b;
    buf_init(&b);
    const char *q = strchr(url, '?');
    if (!q)
        return xstrdup(url);
    buf_append(&b, url, (size_t)(q - url) + 1);
    for (const char *p = q + 1; *p;) {
        size_t n = strcspn(p, "&#"), nl = strcspn(p, "=&#");
        int secret = 0;
        for (size_t i = 0; i < sizeof secret_params / sizeof secret_params[0] && nl < n; i++) {
            size_t sl = strlen(secret_params[i]);
            for (size_t j = 0; j + sl <= nl && !secret; j++)
                secret = strncasecmp(p + j, secret_params[i], sl) == 0;
        }
        buf_append(&b, p, secret ? nl + 1 : n);
        if (secret)
            buf_puts(&b, "****");
        p += n;
        if (*p == '#')
            break;
        if (*p)
            buf_putc(&b, *p++);
    }
    return buf_steal(&b);
}
