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

/* Byte length of the next screen row of s at width: break after the last space that
 * fits (words stay whole), else where the width ends (URLs, hashes); at least one
 * character per row. */
static size_t
row_len(const char *s, int width)
{
    size_t n = draw_fit(s, width);
    if (s[n] == '\0')
        return n;
    if (n == 0) {
        size_t k = 1;
        while (s[k] && ((unsigned char)s[k] & 0xc0) == 0x80)
            k++;
        return k;
    }
    for (size_t k = n; k > n / 3; k--)
        if (s[k - 1] == ' ')
            return k;
    return n;
}

/* Continuation rows of "- item" and "> line" hang under the text, not the mark. */
static int
hang(const char *s)
{
    return (s[0] == '-' || s[0] == '>') && s[1] == ' ' ? 2 : 0;
}

/* Rows of one line at width; when draw, row k goes to screen row ybase + k if it lies in
 * [ymin, ymax). */
static long
line_rows(const struct textview_line *ln, int width, int draw, long ybase, int ymin, int ymax,
          int x)
{
    const char *s = ln->text;
    long row = 0;
    int ind = ln->indent;
    do {
        int w = width - ind < 4 ? 4 : width - ind;
        size_t len = row_len(s, w);
        long y = ybase + row;
        if (draw && y >= ymin && y < ymax) {
            char *part = xstrndup(s, len);
            draw_text((int)y, x + ind, part, w, draw_attr(ln->color), 0);
            free(part);
        }
        s += len;
        row++;
        ind = ln->indent + hang(ln->text);
    } while (*s);
    return row;
}

long
textview_rows(const struct textview *t, int width)
{
    long rows = 0;
    for (size_t i = 0; i < t->n; i++)
        rows += line_rows(&t->v[i], width, 0, 0, 0, 0, 0);
    return rows;
}

void
textview_draw(const struct textview *t, long top, int y, int h, int x, int width)
{
    long row = 0; /* first row of line i, counted from the top of the text */
    for (size_t i = 0; i < t->n && row < top + h; i++)
        row += line_rows(&t->v[i], width, 1, y + row - top, y, y + h, x);
}

void
textview_pane_draw(const struct textview *t, struct scroll *sc, int y, int h)
{
    sc->height = h;
    sc->n = textview_rows(t, COLS - 1);
    long max = sc->n > h ? sc->n - h : 0;
    if (sc->top > max)
        sc->top = max;
    textview_draw(t, sc->top, y, h, 1, COLS - 1);
}
