/* pane_whitelist — the whitelisted AccessKeys (and single findings whitelisted by
 * fingerprint); `c` then `y` cancels the selected entry, which returns its leaks to
 * Unhandled (audit-logged by the store). Does not add entries (processing does).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/ui_priv.h"

struct whitelist {
    struct whitelist_entry *e;
    size_t n;
};

static unsigned
whitelist_open(struct pane *p, struct app *a)
{
    struct whitelist *w = p->priv;
    struct akw_err err;
    akw_err_clear(&err);
    store_whitelist_free(w->e, w->n);
    w->e = NULL;
    w->n = 0;
    if (store_whitelist_list(a->st, &w->e, &w->n, &err) != AKW_OK)
        app_message(a, 1, "%s", err.msg);
    p->sc.n = (long)w->n;
    if (p->sc.sel >= p->sc.n)
        p->sc.sel = p->sc.n > 0 ? p->sc.n - 1 : 0;
    return STALE_DRAW;
}

static const char *
entry_key(const struct whitelist_entry *e)
{
    return e->ak_id ? e->ak_id : e->fingerprint;
}

static void
whitelist_draw_row(struct pane *p, struct app *a, long i, int y, int selected)
{
    (void)a;
    struct whitelist *w = p->priv;
    const struct whitelist_entry *e = &w->e[i];
    attr_t at = selected ? A_REVERSE : draw_attr(COL_NORMAL);
    char added[32], leaks[32];
    draw_time(e->added_at, 0, added);
    snprintf(leaks, sizeof leaks, "%ld", e->n_leaks);
    draw_fill(y, 0, COLS, at);
    int x = 0;
    x += draw_text(y, x, entry_key(e), 26, at, DRAW_PAD | DRAW_ELLIPSIS) + 1;
    x += draw_text(y, x, leaks, 5, at, DRAW_PAD) + 1;
    x += draw_text(y, x, added, 16, at, DRAW_PAD) + 1;
    x += draw_text(y, x, e->who, 10, at, DRAW_PAD | DRAW_ELLIPSIS) + 1;
    draw_text(y, x, e->reason, COLS - x, at, DRAW_PAD | DRAW_ELLIPSIS);
}

static void
whitelist_draw(struct pane *p, struct app *a, int y, int h)
{
    struct whitelist *w = p->priv;
    if (h < 3)
        return;
    char title[128];
    snprintf(title, sizeof title, _("Whitelist (%zu)"), w->n);
    draw_text(y, 0, title, COLS, draw_attr(COL_TITLE), DRAW_PAD);
    attr_t at = draw_attr(COL_TITLE) | A_UNDERLINE;
    draw_fill(y + 1, 0, COLS, at);
    /* TRANSLATORS: whitelist columns; widths 26, 5, 16, 10, rest */
    int x = 0;
    x += draw_text(y + 1, x, _("AK ID / fingerprint"), 26, at, DRAW_PAD) + 1;
    x += draw_text(y + 1, x, _("Leaks"), 5, at, DRAW_PAD) + 1;
    x += draw_text(y + 1, x, _("Added"), 16, at, DRAW_PAD) + 1;
    x += draw_text(y + 1, x, _("By"), 10, at, DRAW_PAD) + 1;
    draw_text(y + 1, x, _("Reason"), COLS - x, at, DRAW_PAD);
    if (w->n == 0) {
        draw_text(y + 3, 2, _("Nothing is whitelisted."), COLS - 4, draw_attr(COL_DIM), 0);
        return;
    }
    pane_draw_rows(p, a, y + 2, h - 2);
}

static unsigned
cancel_yes(struct app *a, struct pane *p)
{
    struct whitelist *w = p->priv;
    if (p->sc.sel >= (long)w->n)
        return STALE_DRAW;
    char *key = xstrdup(entry_key(&w->e[p->sc.sel]));
    struct akw_err err;
    akw_err_clear(&err);
    if (store_whitelist_remove(a->st, key, a->who, &err) != AKW_OK)
        app_message(a, 1, "%s", err.msg);
    else
        app_message(a, 0, _("Whitelist of %s cancelled: its leaks are Unhandled again."), key);
    free(key);
    return STALE_RELOAD | STALE_HEADER;
}

static enum action
whitelist_handle(struct pane *p, struct app *a, enum action act, unsigned *stale)
{
    struct whitelist *w = p->priv;
    if (act != ACT_CANCEL_WHITELIST)
        return act;
    if (w->n == 0) {
        app_message(a, 1, "%s", _("Nothing is whitelisted."));
        return ACT_NONE;
    }
    char q[300];
    snprintf(q, sizeof q, _("Cancel the whitelist of %s? Its leaks return to Unhandled."),
             entry_key(&w->e[p->sc.sel]));
    *stale |= dialog_confirm(a, p, q, cancel_yes);
    return ACT_NONE;
}

static void
whitelist_dump(struct pane *p, FILE *f)
{
    struct whitelist *w = p->priv;
    fprintf(f, "whitelist_rows=%zu\nwhitelist_sel=%ld\nwhitelist_selected=%s\n", w->n,
            p->sc.sel, w->n > 0 ? entry_key(&w->e[p->sc.sel]) : "");
}

static void
whitelist_done(struct pane *p)
{
    struct whitelist *w = p->priv;
    store_whitelist_free(w->e, w->n);
    free(w);
}

static const struct pane_ops whitelist_ops = {
    .name = "whitelist",
    .ctx = KC_WHITELIST,
    .open = whitelist_open,
    .draw = whitelist_draw,
    .draw_row = whitelist_draw_row,
    .handle = whitelist_handle,
    .dump = whitelist_dump,
    .done = whitelist_done,
};

struct pane *
pane_whitelist_new(void)
{
    return pane_new(&whitelist_ops, xcalloc(1, sizeof(struct whitelist)));
}
