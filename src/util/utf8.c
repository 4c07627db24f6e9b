/* utf8 — well-formed UTF-8 for output that must be valid: decoding one sequence, repairing a
 * string (each ill-formed byte becomes U+FFFD) and writing JSON strings. Scanned files and
 * repositories hold any bytes; every JSON writer goes through json_quote() or json_str_new().
 * No display width here (that is the terminal's business: cli/table.c, ui/draw.c). */
#include "config.h"
#include "util/util.h"

#include <string.h>

#include <json-c/json.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

size_t
utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
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
    /* stops at the NUL too: a NUL is never a continuation byte */
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

size_t
utf8_put_repaired(struct buf *b, const char *s)
{
    uint32_t cp;
    size_t n = utf8_decode(s, &cp);
    if (n == 0) {
        buf_puts(b, REPLACEMENT);
        return 1;
    }
    buf_append(b, s, n);
    return n;
}

int
utf8_valid(const char *s)
{
    uint32_t cp;
    for (const char *p = s; *p;) {
        if ((unsigned char)*p < 0x80) { /* ASCII: the common case, kept cheap */
            p++;
            continue;
        }
        size_t n = utf8_decode(p, &cp);
        if (n == 0)
            return 0;
        p += n;
    }
    return 1;
}

const char *
utf8_repair(const char *s, struct buf *b)
{
    buf_reset(b);
    buf_puts(b, ""); /* data is never NULL below */
    for (const char *p = s ? s : ""; *p;)
        p += utf8_put_repaired(b, p);
    return b->data;
}

void
json_quote(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    for (const char *p = s ? s : ""; *p;) {
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '"': buf_puts(b, "\\\""); p++; continue;
        case '\\': buf_puts(b, "\\\\"); p++; continue;
        case '\n': buf_puts(b, "\\n"); p++; continue;
        case '\r': buf_puts(b, "\\r"); p++; continue;
        case '\t': buf_puts(b, "\\t"); p++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) { /* DEL is legal JSON, but no terminal should get it raw */
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            buf_puts(b, u);
            p++;
            continue;
        }
        p += utf8_put_repaired(b, p);
    }
    buf_putc(b, '"');
}

struct json_object *
json_str_new(const char *s)
{
    if (!s)
        return NULL;
    if (utf8_valid(s))
        return json_object_new_string(s);
    struct buf b;
    buf_init(&b);
    json_object *j = json_object_new_string(utf8_repair(s, &b));
    buf_done(&b);
    return j;
}
