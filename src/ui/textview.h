/* textview — wrapped, scrollable text lines for the details, processing and help panes.
 * Private to src/ui; UI thread only. The view owns its line strings.
 */
#ifndef AKW_UI_TEXTVIEW_H
#define AKW_UI_TEXTVIEW_H

#include "ui/ui_priv.h"

struct textview_line {
    char *text;
    enum ui_color color;
    int indent;
};

struct textview {
    struct textview_line *v;
    size_t n, cap;
};

void textview_clear(struct textview *t);
void textview_done(struct textview *t);
/* Add one logical line (wrapped at draw time); the text is copied. */
void textview_add(struct textview *t, enum ui_color c, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "Label          value" with the label padded to 15 display columns. */
void textview_field(struct textview *t, const char *label, const char *value);
/* Screen rows the text takes at width. */
long textview_rows(const struct textview *t, int width);
/* Draw rows [top, top+h) at (y, x). */
void textview_draw(const struct textview *t, long top, int y, int h, int x, int width);

/* A full-width text pane: rows [y, y+h) from sc->top (clamped), sc->n and height set for
 * the generic scrolling actions. */
void textview_pane_draw(const struct textview *t, struct scroll *sc, int y, int h);

#endif
