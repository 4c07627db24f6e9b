/* help — the `?` pane: every binding in force (the defaults with the user's [keys] bind
 * lines applied), grouped by context, with the help text of its action from the action
 * list and the context's [keys] name. Generated, so it cannot drift from the bindings.
 * Scrolls; q closes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/textview.h"
#include "ui/ui_priv.h"

static void
add_context(struct textview *tv, const struct app *a, enum key_context ctx)
{
    size_t n;
    const struct binding *b = keys_table(a, &n);
    int seen[ACT__COUNT] = {0}, any = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i].ctx != ctx || seen[b[i].action] || b[i].action == ACT_NONE)
            continue;
        seen[b[i].action] = 1;
        char keys[96] = "", name[16];
        for (size_t j = i; j < n; j++)
            if (b[j].ctx == ctx && b[j].action == b[i].action) {
                const char *k = keys_name(b[j].key, name);
                if (strlen(keys) + strlen(k) + 3 < sizeof keys)
                    snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s",
                             keys[0] ? ", " : "", k);
            }
        if (!any++)
            textview_add(tv, COL_TITLE, 0, "%s (%s)", keys_context_title(ctx),
                         keys_context_name(ctx));
        int pad = 22 - draw_width(keys);
        textview_add(tv, COL_NORMAL, 2, "%s%*s%s [%s]", keys, pad > 1 ? pad : 1, "",
                     _(action_help(b[i].action)), action_name(b[i].action));
    }
    if (any)
        textview_add(tv, COL_NORMAL, 0, "%s", "");
}

static unsigned
help_open(struct pane *p, struct app *a)
{
    struct textview *tv = p->priv;
    textview_clear(tv);
    textview_add(tv, COL_TITLE, 0, "%s", _("akwatch keys (q closes this help)"));
    /* TRANSLATORS: keep "[keys]", "bind" and the example as they are (config syntax) */
    textview_add(tv, COL_DIM, 0, "%s",
                 _("Rebind in the config file: [keys] bind = CONTEXT KEY ACTION, like "
                   "bind = list x process (names in parentheses and brackets)"));
    textview_add(tv, COL_NORMAL, 0, "%s", "");
    static const enum key_context order[] = {KC_LIST,      KC_DETAILS, KC_PROCESSING,
                                             KC_WHITELIST, KC_MENU,    KC_SETTINGS, KC_DIALOG,
                                             KC_GENERIC};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        add_context(tv, a, order[i]);
    return STALE_DRAW;
}

static void
help_draw(struct pane *p, struct app *a, int y, int h)
{
    (void)a;
    struct textview *tv = p->priv;
    textview_pane_draw(tv, &p->sc, y, h);
}

static void
help_done(struct pane *p)
{
    textview_done(p->priv);
    free(p->priv);
}

static const struct pane_ops help_ops = {
    .name = "help",
    .ctx = KC_HELP,
    .open = help_open,
    .draw = help_draw,
    .done = help_done,
};

struct pane *
pane_help_new(void)
{
    struct pane *p = pane_new(&help_ops, xcalloc(1, sizeof(struct textview)));
    p->sc.no_cursor = 1;
    return p;
}
