/* draw — text output by display width (wcwidth: CJK takes two columns), with every control
 * or escape character and invalid UTF-8 byte replaced by '?', so text from scanned files
 * never reaches the terminal raw. Also colours, labels and boxes. No pane logic.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "scan/recommend.h"
#include "ui/ui_priv.h"

/* Characters that are not shown as themselves: C0/C1 controls, DEL, and the bidi
 * overrides that can make a line read differently from what it is ("trojan source"). */
static int
is_unsafe(wchar_t wc)
{
    return wc < 0x20 || (wc >= 0x7f && wc < 0xa0) || (wc >= 0x202a && wc <= 0x202e) ||
           (wc >= 0x2066 && wc <= 0x2069) || wc == 0x200e || wc == 0x200f ||
           wc == 0x061c;
}

/* Decode the next character of s (at most n bytes), sanitised; sets *len to the bytes
 * used and returns its width (0 at the end). */
static int
next_char(const char *s, size_t n, wchar_t *wc, size_t *len)
{
    mbstate_t mb;
    memset(&mb, 0, sizeof mb);
    size_t r = mbrtowc(wc, s, n, &mb);
    if (r == 0 || r == (size_t)-2) {
        *len = r == 0 ? 1 : n;
        *wc = L'?';
        return 1;
    }
    if (r == (size_t)-1) {
        *len = 1;
        *wc = L'?';
        return 1;
    }
    *len = r;
    int w = wcwidth(*wc);
    if (is_unsafe(*wc) || w <= 0) {
        *wc = L'?';
        w = 1;
    }
    return w;
}

int
draw_width(const char *s)
{
    int w = 0;
    size_t n = s ? strlen(s) : 0;
    while (n > 0) {
        wchar_t wc;
        size_t len;
        w += next_char(s, n, &wc, &len);
        s += len;
        n -= len;
    }
    return w;
}

size_t
draw_fit(const char *s, int width)
{
    size_t n = s ? strlen(s) : 0, used = 0;
    int w = 0;
    while (used < n) {
        wchar_t wc;
        size_t len;
        int cw = next_char(s + used, n - used, &wc, &len);
        if (w + cw > width)
            break;
        w += cw;
        used += len;
    }
    return used;
}

/* Put [s, s+n) sanitised at the cursor, at most width columns; returns columns used. */
static int
put_span(const char *s, size_t n, int width)
{
    wchar_t buf[256];
    int w = 0, k = 0;
    while (n > 0) {
        wchar_t wc;
        size_t len;
        int cw = next_char(s, n, &wc, &len);
        if (w + cw > width)
            break;
        buf[k++] = wc;
        w += cw;
        s += len;
        n -= len;
        if (k == (int)(sizeof buf / sizeof buf[0])) {
            addnwstr(buf, k);
            k = 0;
        }
    }
    if (k > 0)
        addnwstr(buf, k);
    return w;
}

int
draw_text(int y, int x, const char *s, int width, attr_t attr, int flags)
{
    if (width <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + width > COLS)
        width = COLS - x;
    if (!s)
        s = "";
    attr_t old;
    short pair;
    attr_get(&old, &pair, NULL);
    attrset(attr);
    move(y, x);
    int total = draw_width(s), used;
    size_t n = strlen(s);
    if (total <= width) {
        used = put_span(s, n, width);
    } else if (flags & DRAW_TAIL) {
        /* keep the end: skip characters until the rest fits after the ellipsis */
        size_t skip = 0;
        int rest = total;
        while (skip < n && rest > width - 1) {
            wchar_t wc;
            size_t len;
            rest -= next_char(s + skip, n - skip, &wc, &len);
            skip += len;
        }
        used = put_span("\xe2\x80\xa6", 3, width);
        used += put_span(s + skip, n - skip, width - used);
    } else if (flags & DRAW_ELLIPSIS) {
        used = put_span(s, draw_fit(s, width - 1), width - 1);
        used += put_span("\xe2\x80\xa6", 3, 1);
    } else {
        used = put_span(s, n, width);
    }
    if (flags & DRAW_PAD)
        for (int i = used; i < width; i++)
            addch(' ');
    attr_set(old, pair, NULL);
    return (flags & DRAW_PAD) ? width : used;
}

void
draw_fill(int y, int x, int width, attr_t attr)
{
    draw_text(y, x, "", width, attr, DRAW_PAD);
}

attr_t
draw_attr(enum ui_color c)
{
    static const attr_t mono[COL__COUNT] = {
        [COL_NORMAL] = A_NORMAL, [COL_HEADER] = A_REVERSE, [COL_CRITICAL] = A_BOLD,
        [COL_HIGH] = A_BOLD,     [COL_MEDIUM] = A_NORMAL,  [COL_LOW] = A_NORMAL,
        [COL_OK] = A_NORMAL,     [COL_ERROR] = A_BOLD,     [COL_TITLE] = A_BOLD,
        [COL_DIM] = A_DIM,
    };
    static const attr_t extra[COL__COUNT] = {
        [COL_CRITICAL] = A_BOLD, [COL_TITLE] = A_BOLD, [COL_ERROR] = A_BOLD,
    };
    if (!ui_has_colors || c == COL_NORMAL)
        return mono[c];
    return COLOR_PAIR(c) | extra[c];
}

const char *
draw_severity_label(enum severity s)
{
    /* TRANSLATORS: severity column, at most 4 columns wide */
    static const char *const labels[] = {"?", N_("LOW"), N_("MED"), N_("HIGH"), N_("CRIT")};
    return (s >= SEVERITY_LOW && s <= SEVERITY_CRITICAL) ? _(labels[s]) : "?";
}

const char *
draw_confidence_label(enum confidence c)
{
    /* TRANSLATORS: confidence column, at most 4 columns wide */
    static const char *const labels[] = {"", NC_("confidence column", "low"),
                                         NC_("confidence column", "med"),
                                         NC_("confidence column", "high")};
    return (c >= CONFIDENCE_LOW && c <= CONFIDENCE_HIGH) ? P_(labels[c]) : "";
}

enum ui_color
draw_severity_color(enum severity s)
{
    static const enum ui_color cols[] = {COL_NORMAL, COL_LOW, COL_MEDIUM, COL_HIGH,
                                         COL_CRITICAL};
    return (s >= SEVERITY_LOW && s <= SEVERITY_CRITICAL) ? cols[s] : COL_NORMAL;
}

const char *
draw_status_label(enum leak_status st, enum handled_as h)
{
    /* TRANSLATORS: status column, at most 11 columns wide */
    if (st == LEAK_STATUS_WHITELISTED)
        return _("Whitelisted");
    if (st == LEAK_STATUS_HANDLED)
        return h == HANDLED_DISABLED ? _("Disabled") : _("Deleted");
    return _("Unhandled");
}

void
draw_time(time_t t, int date_only, char out[32])
{
    struct tm tm;
    if (t == 0 || !localtime_r(&t, &tm)) {
        strcpy(out, "-");
        return;
    }
    strftime(out, 32, date_only ? "%Y-%m-%d" : "%Y-%m-%d %H:%M", &tm);
}

void
draw_box(int y, int x, int h, int w, const char *title)
{
    attr_t a = draw_attr(COL_NORMAL);
    for (int r = 0; r < h; r++)
        draw_fill(y + r, x, w, a);
    attrset(a);
    mvhline(y, x + 1, ACS_HLINE, w - 2);
    mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
    mvvline(y + 1, x, ACS_VLINE, h - 2);
    mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
    mvaddch(y, x, ACS_ULCORNER);
    mvaddch(y, x + w - 1, ACS_URCORNER);
    mvaddch(y + h - 1, x, ACS_LLCORNER);
    mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
    if (title && *title) {
        draw_text(y, x + 2, " ", 1, a, 0);
        int tw = draw_text(y, x + 3, title, w - 6, draw_attr(COL_TITLE), DRAW_ELLIPSIS);
        draw_text(y, x + 3 + tw, " ", 1, a, 0);
    }
}

const char *
kind_label(const char *kind)
{
    return _(recommend_kind_label(kind));
}
