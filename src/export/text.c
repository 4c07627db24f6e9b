/* text — the byte-level rules of the export formats: UTF-8 repair (snippets come from
 * arbitrary files), display width for column sizing, csv quoting (json strings: util json_quote).
 * Knows nothing of sheets or the store. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "export/export_int.h"

/* The shared decoder, on unsigned bytes as the loops below walk them. */
static size_t
utf8_seq(const unsigned char *p, uint32_t *cp)
{
    return utf8_decode((const char *)p, cp);
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
    buf_reset(b);
    for (const char *p = s; *p;) {
        if (is_bad_control((unsigned char)*p)) { /* a control is one byte: replaced alone */
            buf_puts(b, "\xEF\xBF\xBD");
            p++;
        } else {
            p += utf8_put_repaired(b, p);
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
