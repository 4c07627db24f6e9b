/* text — the byte-level rules of the export formats: UTF-8 repair (snippets come from
 * arbitrary files), display width for column sizing, csv quoting, json escaping.
 * Knows nothing of sheets or the store. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "export/export_int.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid; *cp gets the code point. */
static size_t
utf8_seq(const unsigned char *p, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return p[0] ? 1 : 0;
    }
    size_t n;
    uint32_t c, min;
    if ((p[0] & 0xE0) == 0xC0) {
        n = 2, c = p[0] & 0x1F, min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        n = 3, c = p[0] & 0x0F, min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        n = 4, c = p[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* C0 controls other than TAB, LF, CR cannot be stored in xlsx (XML 1.0) at all. */
static int
is_bad_control(uint32_t cp)
{
    return cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
}

int
text_is_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    while (*p) {
        if (*p >= 0x20 && *p < 0x80) { /* printable ASCII: the common case, kept cheap */
            p++;
            continue;
        }
        size_t n = utf8_seq(p, &cp);
        if (n == 0 || is_bad_control(cp))
            return 0;
        p += n;
    }
    return 1;
}

const char *
text_clean(const char *s, struct buf *b)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    buf_reset(b);
    while (*p) {
        size_t n = utf8_seq(p, &cp);
        if (n == 0 || is_bad_control(cp)) {
            buf_puts(b, "\xEF\xBF\xBD");
            p++;
        } else {
            buf_append(b, p, n);
            p += n;
        }
    }
    return b->data ? b->data : "";
}

/* East Asian Wide/Fullwidth blocks (Unicode 15, coarse but covers CJK, Hangul, kana). */
static int
is_wide(uint32_t c)
{
    static const uint32_t ranges[][2] = {
        {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
        {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
        {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (c >= ranges[i][0] && c <= ranges[i][1])
            return 1;
    return 0;
}

size_t
text_display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    uint32_t cp;
    while (*p) {
        if (*p < 0x80) {
            w++, p++;
            continue;
        }
        size_t n = utf8_seq(p, &cp);
        if (n == 0) {
            n = 1, cp = '?';
        }
        w += is_wide(cp) ? 2 : 1;
        p += n;
    }
    return w;
}

size_t
text_utf8_prefix(const char *s, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    size_t chars = 0;
    while (*p && chars < max_chars) {
        size_t n = utf8_seq(p, &cp);
        p += n ? n : 1;
        chars++;
    }
    return (size_t)(p - (const unsigned char *)s);
}

void
text_csv_field(struct buf *b, const char *s, int guard)
{
    if (!s)
        return;
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_putc(b, '"');
    /* A spreadsheet would evaluate =cmd|... typed into a repo path or a note: a leading
     * apostrophe makes it text (OWASP "CSV injection"). */
    if (guard && s[0] && strchr("=+-@\t\r", s[0]))
        buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote)
        buf_putc(b, '"');
}

void
text_json_string(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20) {
                char u[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
                buf_puts(b, u);
            } else {
                buf_putc(b, (char)*p);
            }
        }
    }
    buf_putc(b, '"');
}

void
text_replace(const char *s, const char *needle, const char *with, struct buf *b)
{
    size_t n = strlen(needle);
    buf_reset(b);
    for (const char *p; n && (p = strstr(s, needle)); s = p + n) {
        buf_append(b, s, (size_t)(p - s));
        buf_puts(b, with ? with : "");
    }
    buf_puts(b, s);
}
