/* unquote — a password as its format writes it, turned into the password itself: the
 * percent-encoding of a URL's userinfo, the escapes of a quoted string (redis.conf, shell,
 * .env, YAML, Java properties, program code), SQL Server's {braced} values. A rule names its
 * format with `unquote = NAME`; the byte before the value (its opening quote, if any) says
 * which of the format's forms it is. Decoding never lengthens the text, so it is done in
 * place. It knows nothing of rules or matching; match.c calls it. */
#include "config.h"
#include "detect/detect_int.h"

#include <string.h>

static const struct {
    const char *name;
    enum unquote_fmt fmt;
} formats[] = {
    {"url", UNQUOTE_URL},
    {"jdbc", UNQUOTE_JDBC},
    {"redis", UNQUOTE_REDIS},
    {"shell", UNQUOTE_SHELL},
    {"dotenv", UNQUOTE_DOTENV},
    {"yaml", UNQUOTE_YAML},
    {"properties", UNQUOTE_PROPERTIES},
    {"code", UNQUOTE_CODE},
};
#define NFORMATS (sizeof formats / sizeof *formats)

int
unquote_parse(const char *name, enum unquote_fmt *out)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (strcmp(formats[i].name, name) == 0) {
            *out = formats[i].fmt;
            return 0;
        }
    return -1;
}

static int
hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Value of the n hex digits at s, or -1 (a digit missing, or the value 0: no NUL bytes). */
static long
hexrun(const char *s, size_t avail, size_t n)
{
    if (avail < n)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        int h = hexval(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v ? v : -1;
}

/* The one-letter escapes of C-like strings (\n, \t...); 0 for a letter that is none. */
static char
letter_escape(char c, const char *set)
{
    static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
    const char *p = c ? strchr(from, c) : NULL;
    if (!p || !strchr(set, c))
        return 0;
    return to[p - from];
}

/* Write the code point cp (below 0x10000) as UTF-8 at o; returns bytes written. */
static size_t
put_utf8(char *o, long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    o[0] = (char)(0xE0 | cp >> 12);
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* %HH → the byte; a '%' not followed by two hex digits (or %00) stays as written. */
static size_t
percent(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        long v = s[i] == '%' ? hexrun(s + i + 1, n - i - 1, 2) : -1;
        if (v > 0) {
            s[o++] = (char)v;
            i += 2;
        } else {
            s[o++] = s[i];
        }
    }
    return o;
}

/* Backslash escapes. letters: the one-letter escapes understood (\n...); hex: \xHH;
 * uni: \uXXXX; lit: the characters a backslash makes literal ("" = any). A backslash
 * before anything else stays, with the character after it. */
static size_t
backslash(char *s, size_t n, const char *letters, int hex, int uni, const char *lit)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 == n) {
            s[o++] = s[i];
            continue;
        }
        char c = s[i + 1], e = letter_escape(c, letters);
        long v;
        if (e) {
            s[o++] = e;
            i++;
        } else if (hex && c == 'x' && (v = hexrun(s + i + 2, n - i - 2, 2)) > 0) {
            s[o++] = (char)v;
            i += 3;
        } else if (uni && c == 'u' && (v = hexrun(s + i + 2, n - i - 2, 4)) > 0) {
            o += put_utf8(s + o, v);
            i += 5;
        } else if (!*lit || strchr(lit, c)) {
            s[o++] = c;
            i++;
        } else {
            s[o++] = s[i];
        }
    }
    return o;
}

/* A doubled q ('' in YAML, }} in SQL Server) → one. */
static size_t
undouble(char *s, size_t n, char q)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        s[o++] = s[i];
        if (s[i] == q && i + 1 < n && s[i + 1] == q)
            i++;
    }
    return o;
}

size_t
unquote(enum unquote_fmt fmt, char open, char *s, size_t n)
{
    switch (fmt) {
    case UNQUOTE_NONE:
        break;
    case UNQUOTE_URL:
        n = percent(s, n);
        break;
    case UNQUOTE_JDBC: /* SQL Server: {value} with }} for }; the others percent-decode */
        n = open == '{' ? undouble(s, n, '}') : percent(s, n);
        break;
    case UNQUOTE_REDIS: /* sdssplitargs: "..." C escapes and \xHH; '...' only \' */
        if (open == '"')
            n = backslash(s, n, "abnrt", 1, 0, "");
        else if (open == '\'')
            n = backslash(s, n, "", 0, 0, "'");
        break;
    case UNQUOTE_SHELL: /* "..." keeps \ except before $ ` " \; '...' none; a word: all */
        if (open == '"')
            n = backslash(s, n, "", 0, 0, "$`\"\\");
        else if (open != '\'')
            n = backslash(s, n, "", 0, 0, "");
        break;
    case UNQUOTE_DOTENV: /* python-dotenv: "..." C escapes; '...' \\ and \' */
        if (open == '"')
            n = backslash(s, n, "abfnrtv", 0, 0, "\\'\"");
        else if (open == '\'')
            n = backslash(s, n, "", 0, 0, "\\'");
        break;
    case UNQUOTE_YAML: /* "..." escapes (\xHH, \uXXXX); '...' '' for '; plain: literal */
        if (open == '"')
            n = backslash(s, n, "abfnrtv", 1, 1, "\\\"/ ");
        else if (open == '\'')
            n = undouble(s, n, '\'');
        break;
    case UNQUOTE_PROPERTIES: /* java.util.Properties: \t \n \r \f, \uXXXX, \c → c */
        n = backslash(s, n, "fnrt", 0, 1, "");
        break;
    case UNQUOTE_CODE: /* Python/PHP/Java literals: "..." C escapes; '...' \\ and \' */
        if (open == '"')
            n = backslash(s, n, "abfnrtv", 1, 0, "\\'\"$");
        else if (open == '\'')
            n = backslash(s, n, "", 0, 0, "\\'");
        break;
    }
    s[n] = '\0';
    return n;
}
