/* keys — the table of every configuration key and the validators of its values. Adding a
 * key is one row here plus its field in struct config. Parsing lives in conf.c.
 */
#include "config.h"
#include "config/keys.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/conf.h"
#include "util/tz.h"

#define F(field) offsetof(struct config, field)

// clang-format off
const struct conf_key conf_keys[] = {
    {"github",  "api_url",             CONF_STR,     F(api_url),             config_check_url, 0},
    {"github",  "token",               CONF_LIST,    F(tokens),              NULL, 1},
    {"github",  "query",               CONF_LIST,    F(queries),             NULL, 0},
    {"github",  "org",                 CONF_WORDS,   F(orgs),                NULL, 0},
    {"github",  "user",                CONF_WORDS,   F(users),               NULL, 0},
    {"github",  "events",              CONF_BOOL,    F(events),              NULL, 0},
    {"github",  "keep_unowned",        CONF_BOOL,    F(keep_unowned),        NULL, 0},
    {"github",  "poll_interval",       CONF_INT,     F(poll_interval),       NULL, 0},
    {"github",  "give_up_after",       CONF_INT,     F(give_up_after),       NULL, 0},
    {"assets",  "access_key_id",       CONF_WORDS,   F(access_key_ids),      NULL, 0},
    {"assets",  "domain",              CONF_WORDS,   F(domains),             NULL, 0},
    {"assets",  "endpoint",            CONF_WORDS,   F(endpoints),           NULL, 0},
    {"assets",  "host",                CONF_WORDS,   F(hosts),               NULL, 0},
    {"notify",  "window",              CONF_STR,     F(window),              conf_check_window, 0},
    {"notify",  "days",                CONF_STR,     F(days),                conf_check_days, 0},
    {"notify",  "tz",                  CONF_STR,     F(tz),                  conf_check_tz, 0},
    {"notify",  "webhook",             CONF_STR,     F(webhook),             config_check_url, 1},
    {"notify",  "webhook_format",      CONF_STR,     F(webhook_format),      conf_check_webhook_format, 0},
    {"notify",  "webhook_secret",      CONF_STR,     F(webhook_secret),      NULL, 1},
    {"notify",  "command",             CONF_STR,     F(command),             NULL, 0},
    {"notify",  "bell",                CONF_BOOL,    F(bell),                NULL, 0},
    {"notify",  "digest",              CONF_BOOL,    F(digest),              NULL, 0},
    {"notify",  "owned_bypass_window", CONF_BOOL,    F(owned_bypass_window), NULL, 0},
    {"scan",    "max_file_size",       CONF_SIZE,    F(max_file_size),       NULL, 0},
    {"scan",    "skip",                CONF_WORDS,   F(skip),                NULL, 0},
    {"scan",    "store_secrets",       CONF_BOOL,    F(store_secrets),       NULL, 0},
    {"scan",    "min_confidence",      CONF_CONFIDENCE, F(min_confidence),   NULL, 0},
    {"notify",  "min_confidence",      CONF_CONFIDENCE, F(notify_min_confidence), NULL, 0},
    {"actions", "on_deleted",          CONF_STR,     F(on_deleted),          NULL, 0},
    {"actions", "on_disabled",         CONF_STR,     F(on_disabled),         NULL, 0},
    {"actions", "on_whitelisted",      CONF_STR,     F(on_whitelisted),      NULL, 0},
    {"actions", "hook_timeout",        CONF_SECONDS, F(hook_timeout),        NULL, 0},
    {"verify",  "enabled",             CONF_BOOL,    F(verify_enabled),      NULL, 0},
    {"verify",  "alibaba_endpoint",    CONF_STR,     F(alibaba_endpoint),    config_check_url, 0},
    {"verify",  "aws_sts_endpoint",    CONF_STR,     F(aws_sts_endpoint),    config_check_url, 0},
    {"verify",  "github_api",          CONF_STR,     F(github_api),          config_check_url, 0},
    {"verify",  "tencent_sts_endpoint", CONF_STR,    F(tencent_sts_endpoint), config_check_url, 0},
    {"verify",  "recheck_after",       CONF_SECONDS, F(recheck_after),       NULL, 0},
    {"verify",  "alert_only_live",     CONF_BOOL,    F(alert_only_live),     NULL, 0},
    {"verify",  "rate",                CONF_INT,     F(verify_rate),         NULL, 0},
    {"store",   "url",                 CONF_STR,     F(store_url),           NULL, 1},
    {"team",    "lease_seconds",       CONF_INT,     F(lease_seconds),       NULL, 0},
    {"keys",    "bind",                CONF_LINES,   F(binds),               conf_check_bind, 0},
};
// clang-format on
const size_t conf_keys_n = sizeof conf_keys / sizeof conf_keys[0];

const struct conf_key *
conf_key_find(const char *section, const char *key, int *section_known)
{
    *section_known = 0;
    for (size_t i = 0; i < conf_keys_n; i++) {
        if (strcasecmp(conf_keys[i].section, section) != 0)
            continue;
        *section_known = 1;
        if (strcasecmp(conf_keys[i].key, key) == 0)
            return &conf_keys[i];
    }
    return NULL;
}

/* ---- value parsers ------------------------------------------------------------------- */

int
config_parse_bool(const char *s, int *out)
{
    static const struct {
        const char *word;
        int value;
    } words[] = {
        {"on", 1}, {"yes", 1}, {"true", 1}, {"1", 1}, {"off", 0}, {"no", 0}, {"false", 0}, {"0", 0},
    };
    for (size_t i = 0; s && i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i].word) == 0) {
            *out = words[i].value;
            return 0;
        }
    return -1;
}

/* Digits then an optional unit from units[] (case-insensitive); multiplies, checks range. */
struct unit {
    const char *suffix;
    long long factor;
};

static int
parse_scaled(const char *s, const struct unit *units, size_t n_units, long long *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno)
        return -1;
    while (*end == ' ')
        end++;
    long long factor = 1;
    if (*end) {
        size_t i;
        for (i = 0; i < n_units; i++)
            if (strcasecmp(end, units[i].suffix) == 0)
                break;
        if (i == n_units)
            return -1;
        factor = units[i].factor;
    }
    if (v > LLONG_MAX / factor)
        return -1;
    *out = v * factor;
    return 0;
}

int
config_parse_size(const char *s, long long *out)
{
    static const struct unit units[] = {
        {"b", 1},           {"k", 1LL << 10},  {"kb", 1LL << 10}, {"kib", 1LL << 10},
        {"m", 1LL << 20},   {"mb", 1LL << 20}, {"mib", 1LL << 20}, {"g", 1LL << 30},
        {"gb", 1LL << 30},  {"gib", 1LL << 30},
    };
    long long v;
    if (parse_scaled(s, units, sizeof units / sizeof units[0], &v) != 0 || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int
conf_parse_seconds(const char *s, long *out)
{
    static const struct unit units[] = {{"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
    long long v;
    if (parse_scaled(s, units, sizeof units / sizeof units[0], &v) != 0 || v <= 0 || v > LONG_MAX)
        return -1;
    *out = (long)v;
    return 0;
}

/* ---- value checks -------------------------------------------------------------------- */

const char *
conf_check_bind(const char *v)
{
    int words = 0;
    for (const char *p = v; *p;) {
        p += strspn(p, " \t");
        if (!*p)
            break;
        words++;
        p += strcspn(p, " \t");
    }
    return words == 3 ? NULL : N_("expected CONTEXT KEY ACTION, like: bind = list x process");
}

static int
parse_hhmm(const char *s, int *minutes)
{
    if (!(isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == ':'
          && isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4])))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

int
config_parse_window(const char *s, int *from, int *to)
{
    int a, b;
    if (!s)
        return -1;
    s += strspn(s, " \t");
    size_t n = strlen(s);
    while (n > 11 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n != 11 || s[5] != '-' || parse_hhmm(s, &a) != 0 || parse_hhmm(s + 6, &b) != 0
        || a == 24 * 60)
        return -1;
    *from = a;
    *to = b;
    return 0;
}

const char *
conf_check_window(const char *v)
{
    int a, b;
    return config_parse_window(v, &a, &b) == 0 ? NULL
                                                : N_("expected a time window HH:MM-HH:MM");
}

// clang-format off
static const char *const day_names[7][2] = {
    {"sun", "sunday"}, {"mon", "monday"}, {"tue", "tuesday"}, {"wed", "wednesday"},
    {"thu", "thursday"}, {"fri", "friday"}, {"sat", "saturday"},
};
// clang-format on

static int
day_index(const char *s, size_t n)
{
    for (int d = 0; d < 7; d++)
        for (int k = 0; k < 2; k++)
            if (strlen(day_names[d][k]) == n && strncasecmp(s, day_names[d][k], n) == 0)
                return d;
    return -1;
}

int
config_parse_days(const char *s, unsigned *mask)
{
    unsigned m = 0;
    const char *p = s ? s : "";
    while (*p) {
        p += strspn(p, " \t,");
        if (!*p)
            break;
        const char *a = p;
        while (isalpha((unsigned char)*p))
            p++;
        int from = day_index(a, (size_t)(p - a)), to = from;
        if (*p == '-') {
            const char *b = ++p;
            while (isalpha((unsigned char)*p))
                p++;
            to = day_index(b, (size_t)(p - b));
        }
        if (from < 0 || to < 0 || (*p && !strchr(" \t,", *p)))
            return -1;
        for (int d = from;; d = (d + 1) % 7) { /* fri-mon wraps past sunday */
            m |= 1u << d;
            if (d == to)
                break;
        }
    }
    if (m == 0)
        return -1;
    *mask = m;
    return 0;
}

const char *
conf_check_days(const char *v)
{
    unsigned m;
    return config_parse_days(v, &m) == 0 ? NULL : N_("expected days like mon-fri or sat,sun");
}

const char *
conf_check_tz(const char *v)
{
    struct tz *z;
    if (tz_load(v, &z, NULL) != AKW_OK)
        return N_("unknown time zone (an IANA name like Asia/Shanghai, or a POSIX rule like "
                  "CST-8)");
    tz_free(z);
    return NULL;
}

// clang-format off
/* Names first, then aliases: the first entry of a format is its canonical name. */
static const struct {
    const char *name;
    enum webhook_format f;
} webhook_formats[] = {
    {"generic", WEBHOOK_GENERIC}, {"slack", WEBHOOK_SLACK}, {"dingtalk", WEBHOOK_DINGTALK},
    {"wecom", WEBHOOK_WECOM},     {"feishu", WEBHOOK_FEISHU}, {"json", WEBHOOK_GENERIC},
    {"lark", WEBHOOK_FEISHU},
};
// clang-format on

int
config_parse_webhook_format(const char *s, enum webhook_format *out)
{
    for (size_t i = 0; s && i < sizeof webhook_formats / sizeof webhook_formats[0]; i++) {
        if (strcasecmp(s, webhook_formats[i].name) == 0) {
            *out = webhook_formats[i].f;
            return 0;
        }
    }
    return -1;
}

const char *
config_webhook_format_name(enum webhook_format f)
{
    for (size_t i = 0; i < sizeof webhook_formats / sizeof webhook_formats[0]; i++)
        if (webhook_formats[i].f == f)
            return webhook_formats[i].name;
    return "generic";
}

const char *
conf_check_webhook_format(const char *v)
{
    enum webhook_format f;
    return config_parse_webhook_format(v, &f) == 0
               ? NULL
               : N_("expected generic, slack, dingtalk, wecom or feishu");
}

static int
is_loopback(const char *host, size_t n)
{
    static const char *const names[] = {"localhost", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (n == strlen(names[i]) && strncasecmp(host, names[i], n) == 0)
            return 1;
    return n > 4 && strncmp(host, "127.", 4) == 0 && strspn(host, "0123456789.") == n;
}

const char *
config_check_url(const char *s)
{
    size_t skip;
    int https;
    if (strncasecmp(s, "https://", 8) == 0)
        skip = 8, https = 1;
    else if (strncasecmp(s, "http://", 7) == 0)
        skip = 7, https = 0;
    else
        return N_("expected an http:// or https:// URL");
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return N_("URL contains spaces or control characters");
    const char *host = s + skip;
    if (strchr(host, '@'))
        host = strchr(host, '@') + 1; /* user:pass@ is allowed, but the host still counts */
    size_t n;
    if (host[0] == '[')
        n = strcspn(host, "]") + 1;
    else
        n = strcspn(host, ":/?#");
    if (n == 0 || (host[0] == '[' && host[n - 1] != ']'))
        return N_("URL has no host");
    if (!https && !is_loopback(host, n))
        return N_("plain http is only allowed to a loopback host; use https");
    return NULL;
}
