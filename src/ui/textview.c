/* textview — a list of text lines (with a colour role and an indent) wrapped to the screen
 * width at draw time, for the details, processing and help panes. Scrolls by screen rows.
 * Does not know what the lines mean.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui/textview.h"

void
textview_clear(struct textview *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    t->n = 0;
}

void
textview_done(struct textview *t)
{
    textview_clear(t);
    free(t->v);
    t->v = NULL;
    t->cap = 0;
}

void
textview_add(struct textview *t, enum ui_color c, int indent, const char *fmt, ...)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = xmalloc(len > 0 ? (size_t)len + 1 : 1);
    vsnprintf(text, len > 0 ? (size_t)len + 1 : 1, fmt, ap2);
    va_end(ap2);
    t->v[t->n].text = text;
    t->v[t->n].color = c;
    t->v[t->n].indent = indent;
    t->n++;
}

void
textview_field(struct textview *t, const char *label, const char *value)
{
    /* labels are padded by display width so translated (CJK) labels line up */
    char pad[64];
    int w = draw_width(label), n = w < 15 ? 15 - w : 1;
    memset(pad, ' ', (size_t)n);
    pad[n] = '\0';
    textview_add(t, COL_NORMAL, 2, "%s%s%s", label, pad, value && *value ? value : "-");
}

/* Byte length of each screen row of s at width (at least one character per row). */
static size_t
row_len(const char *s, int width)
{
    size_t n = draw_fit(s, width);
    if (n == 0 && *s) {
        size_t k = 1;
        while (s[k] && ((unsigned char)s[k] & 0xc0) == 0x80)
            k++;
        return k;
    }
    return n;
}

long
textview_rows(const struct textview *t, int width)
{
    long rows = 0;
    for (size_t i = 0; i < t->n; i++) {
        const char *s = t->v[i].text;
        int w = width - t->v[i].indent;
        if (w < 4)
            w = 4;
        long r = 0;
        do {
            s += row_len(s, w);
            r++;
        } while (*s);
        rows += r;
    }
    return rows;
}

void
textview_draw(const struct textview *t, long top, int y, int h, int x, int width)
{
    long row = 0;
    for (size_t i = 0; i < t->n && row < top + h; i++) {
        const char *s = t->v[i].text;
        int ind = t->v[i].indent, w = width - ind;
        if (w < 4)
            w = 4;
        do {
            size_t len = row_len(s, w);
            if (row >= top) {
                char *part = xstrndup(s, len);
                draw_text(y + (int)(row - top), x + ind, part, w, draw_attr(t->v[i].color), 0);
                free(part);
            }
            s += len;
            row++;
        } while (*s && row < top + h);
    }
}
