/* dialog — the overlays: confirm ("...? y/n"), one-line text input (search, note) and the
 * message box ("Done" with the saved path). They sit on top of an owner pane and call back
 * into it; they never touch the store themselves.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/textview.h"
#include "ui/ui_priv.h"

enum dialog_kind { DIALOG_CONFIRM, DIALOG_INPUT, DIALOG_MESSAGE };

#define INPUT_MAX 200

struct dialog {
    enum dialog_kind kind;
    struct pane *owner;
    dialog_yes_fn yes;
    dialog_text_fn done;
    char *title;
    struct textview body;
    wchar_t input[INPUT_MAX + 1];
    size_t len;
};

static void
dialog_free(struct pane *p)
{
    struct dialog *d = p->priv;
    textview_done(&d->body);
    free(d->title);
    free(d);
}

static void
draw_boxed(struct dialog *d, const char *footer)
{
    int w = COLS - 4 > 64 ? 64 : COLS - 4;
    if (w < 20)
        w = COLS;
    long rows = textview_rows(&d->body, w - 4);
    int h = (int)rows + 4;
    if (h > LINES - 2)
        h = LINES - 2;
    int y = (LINES - h) / 2, x = (COLS - w) / 2;
    draw_box(y, x, h, w, d->title);
    textview_draw(&d->body, 0, y + 1, h - 4, x + 2, w - 4);
    draw_text(y + h - 2, x + 2, footer, w - 4, draw_attr(COL_DIM), 0);
}

static void
input_text(const struct dialog *d, char *out, size_t n)
{
    mbstate_t mb;
    memset(&mb, 0, sizeof mb);
    size_t used = 0;
    for (size_t i = 0; i < d->len && used + MB_CUR_MAX < n; i++) {
        size_t r = wcrtomb(out + used, d->input[i], &mb);
        if (r != (size_t)-1)
            used += r;
    }
    out[used] = '\0';
}

static void
dialog_draw(struct pane *p, struct app *a, int y, int h)
{
    (void)a;
    (void)y;
    (void)h;
    struct dialog *d = p->priv;
    if (d->kind == DIALOG_CONFIRM) {
        draw_boxed(d, _("y: yes    n / Esc: no"));
    } else if (d->kind == DIALOG_MESSAGE) {
        draw_boxed(d, _("Press any key"));
    } else {
        char text[INPUT_MAX * 4 + 1];
        input_text(d, text, sizeof text);
        int row = LINES - 2;
        draw_fill(row, 0, COLS, A_REVERSE);
        int x = draw_text(row, 0, d->title, COLS / 2, A_REVERSE | A_BOLD, 0);
        int room = COLS - x - 1, tw = draw_width(text);
        x += draw_text(row, x, text, room, A_REVERSE, tw > room ? DRAW_TAIL : 0);
        if (x < COLS)
            draw_text(row, x, "_", 1, A_REVERSE | A_BLINK, 0);
    }
}

static unsigned
close_and_call_yes(struct app *a, struct pane *p)
{
    struct dialog *d = p->priv;
    dialog_yes_fn yes = d->yes;
    struct pane *owner = d->owner;
    unsigned stale = app_pop(a);
    return stale | (yes ? yes(a, owner) : 0);
}

static enum action
confirm_handle(struct pane *p, struct app *a, enum action act, unsigned *stale)
{
    if (act == ACT_YES)
        *stale |= close_and_call_yes(a, p);
    else if (act == ACT_NO)
        *stale |= app_pop(a);
    return ACT_NONE;
}

static int
input_key(struct pane *p, struct app *a, int key, unsigned *stale)
{
    struct dialog *d = p->priv;
    if (key == '\r' || key == '\n' || key == K_FN(KEY_ENTER)) {
        char text[INPUT_MAX * 4 + 1];
        input_text(d, text, sizeof text);
        dialog_text_fn done = d->done;
        struct pane *owner = d->owner;
        *stale |= app_pop(a);
        *stale |= done(a, owner, text);
    } else if (key == K_ESC) {
        *stale |= app_pop(a);
    } else if (key == K_FN(KEY_BACKSPACE) || key == 127 || key == K_CTRL('h')) {
        if (d->len > 0)
            d->len--;
    } else if (key == K_CTRL('u')) {
        d->len = 0;
    } else if (key >= ' ' && key < UI_KEY_FN && d->len < INPUT_MAX && wcwidth((wchar_t)key) > 0) {
        d->input[d->len++] = (wchar_t)key;
    }
    return 1;
}

static int
message_key(struct pane *p, struct app *a, int key, unsigned *stale)
{
    (void)p;
    (void)key;
    *stale |= app_pop(a);
    return 1;
}

static void
dialog_dump(struct pane *p, FILE *f)
{
    struct dialog *d = p->priv;
    char text[INPUT_MAX * 4 + 1];
    input_text(d, text, sizeof text);
    fprintf(f, "dialog=%s\ndialog_title=%s\ninput=%s\n",
            d->kind == DIALOG_CONFIRM ? "confirm" : d->kind == DIALOG_INPUT ? "input" : "message",
            d->title ? d->title : "", text);
}

static const struct pane_ops confirm_ops = {
    .name = "confirm", .ctx = KC_DIALOG, .overlay = 1, .modal = 1,
    .draw = dialog_draw, .handle = confirm_handle, .dump = dialog_dump, .done = dialog_free,
};
static const struct pane_ops input_ops = {
    .name = "input", .ctx = KC_DIALOG, .overlay = 1, .modal = 1,
    .draw = dialog_draw, .input = input_key, .dump = dialog_dump, .done = dialog_free,
};
static const struct pane_ops message_ops = {
    .name = "message", .ctx = KC_DIALOG, .overlay = 1, .modal = 1,
    .draw = dialog_draw, .input = message_key, .dump = dialog_dump, .done = dialog_free,
};

static struct dialog *
dialog_new(enum dialog_kind kind, struct pane *owner, const char *title)
{
    struct dialog *d = xcalloc(1, sizeof *d);
    d->kind = kind;
    d->owner = owner;
    d->title = xstrdup(title ? title : "");
    return d;
}

unsigned
dialog_confirm(struct app *a, struct pane *owner, const char *question, dialog_yes_fn yes)
{
    struct dialog *d = dialog_new(DIALOG_CONFIRM, owner, _("Confirm"));
    textview_add(&d->body, COL_NORMAL, 0, "%s", question);
    d->yes = yes;
    return app_push(a, pane_new(&confirm_ops, d));
}

unsigned
dialog_input(struct app *a, struct pane *owner, const char *prompt, const char *initial,
             dialog_text_fn done)
{
    struct dialog *d = dialog_new(DIALOG_INPUT, owner, prompt);
    d->done = done;
    if (initial) {
        mbstate_t mb;
        memset(&mb, 0, sizeof mb);
        const char *s = initial;
        size_t n = strlen(s);
        while (n > 0 && d->len < INPUT_MAX) {
            size_t r = mbrtowc(&d->input[d->len], s, n, &mb);
            if (r == 0 || r == (size_t)-1 || r == (size_t)-2)
                break;
            d->len++;
            s += r;
            n -= r;
        }
    }
    return app_push(a, pane_new(&input_ops, d));
}

unsigned
dialog_message(struct app *a, const char *title, const char *text)
{
    struct dialog *d = dialog_new(DIALOG_MESSAGE, NULL, title);
    const char *s = text;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        textview_add(&d->body, COL_NORMAL, 0, "%.*s", (int)len, s);
        s = nl ? nl + 1 : NULL;
    }
    return app_push(a, pane_new(&message_ops, d));
}
