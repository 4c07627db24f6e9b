/* text — byte-level text helpers: is a buffer binary, and make a scanned line safe to show
 * on a terminal (no ESC, no C1 controls, no broken UTF-8). No rules, no regexes here. */
#include "config.h"
#include "detect/detect_int.h"

int
detect_is_binary(const char *data, size_t len)
{
    if (!data || len == 0)
        return 0;
    size_t n = len < 8192 ? len : 8192, odd = 0;
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == 0)
            return 1;
        /* Tab, LF, VT, FF, CR, ESC and backspace occur in text files; other C0 bytes and
         * DEL are what executables and images are full of. */
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' &&
             c != 0x1b && c != '\b') || c == 0x7f)
            odd++;
    }
    return odd * 10 > n; /* more than 10% */
}

/* Length of a valid UTF-8 sequence at p (max n bytes) that is not a C1 control, else 0. */
static size_t
utf8_ok(const unsigned char *p, size_t n)
{
    size_t need;
    uint32_t cp;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        need = 2, cp = p[0] & 0x1f;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        need = 3, cp = p[0] & 0x0f;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        need = 4, cp = p[0] & 0x07;
    else
        return 0;
    if (need > n)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[need] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
        (cp >= 0x80 && cp <= 0x9f))
        return 0;
    return need;
}

void
text_sanitize(char *s, size_t len)
{
    unsigned char *p = (unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (p[i] == '\t') {
            p[i++] = ' ';
        } else if (p[i] < 0x20 || p[i] == 0x7f) {
            p[i++] = '?';
        } else if (p[i] < 0x80) {
            i++;
        } else {
            size_t n = utf8_ok(p + i, len - i);
            if (n)
                i += n;
            else
                p[i++] = '?';
        }
    }
}
