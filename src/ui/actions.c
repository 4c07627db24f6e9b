/* actions — the action table (names and help from the x-macro list in actions.h) and the
 * generic actions every pane shares: moving and paging, close/quit, help, menu, export,
 * reload, redraw. Each returns what became stale; the loop redraws.
 */
#include "config.h"

#include <string.h>

#include "ui/ui_priv.h"

#define UI_ACTION_NAME(id, name, help) name,
#define UI_ACTION_HELP(id, name, help) help,
static const char *const action_names[] = {UI_ACTIONS(UI_ACTION_NAME)};
static const char *const action_helps[] = {UI_ACTIONS(UI_ACTION_HELP)};

const char *
action_name(enum action a)
{
    return (a >= 0 && a < ACT__COUNT) ? action_names[a] : "?";
}

const char *
action_help(enum action a)
{
    return (a >= 0 && a < ACT__COUNT) ? action_helps[a] : "";
}

/* Move the cursor (or, in text panes, the first row shown) by delta, clamped. */
static unsigned
scroll_by(struct scroll *sc, long delta)
{
    long h = sc->height > 0 ? sc->height : 1;
    if (sc->no_cursor) {
        long max = sc->n > h ? sc->n - h : 0;
        sc->top += delta;
        sc->top = sc->top < 0 ? 0 : sc->top > max ? max : sc->top;
        return STALE_DRAW;
    }
    if (sc->n == 0)
        return STALE_DRAW;
    long old = sc->sel;
    sc->sel += delta;
    sc->sel = sc->sel < 0 ? 0 : sc->sel >= sc->n ? sc->n - 1 : sc->sel;
    /* paging keeps the cursor at the same place on the screen (less, tig) */
    if (delta >= h || delta <= -h) {
        sc->top += sc->sel - old;
        long max = sc->n > h ? sc->n - h : 0;
        sc->top = sc->top < 0 ? 0 : sc->top > max ? max : sc->top;
    }
    return STALE_DRAW;
}

/* With hooks running, the first quit waits for them (at most their timeout) and the
 * second kills them; either way their outcome is recorded. */
unsigned
actions_quit(struct app *a)
{
    int n = hook_running(a);
    if (n && !a->quit_pending) {
        a->quit_pending = 1;
        app_message(a, 0,
                    ngettext("%d hook is still running: quitting when it ends (at most %ld s); "
                             "q again kills it",
                             "%d hooks are still running: quitting when they end (at most %ld s); "
                             "q again kills them",
                             (unsigned long)n),
                    n, hook_timeout_s(a->cfg));
        return STALE_DRAW;
    }
    if (n)
        hook_kill_all(a);
    a->quit = 1;
    return STALE_QUIT;
}

static unsigned
confirm_quit(struct app *a, struct pane *owner)
{
    (void)owner;
    return actions_quit(a);
}

unsigned
actions_request_quit(struct app *a)
{
    if (a->scan_status.state == UI_SCAN_RUNNING && !a->quit_pending)
        return dialog_confirm(a, app_top(a), _("A scan is running. Quit?"), confirm_quit);
    return actions_quit(a);
}

static unsigned
act_close(struct app *a)
{
    return a->depth > 1 ? app_pop(a) : actions_request_quit(a);
}

/* Open a pane unless the top one is already of that kind (`?` in help, `m` in the menu). */
static unsigned
push_once(struct app *a, struct pane *(*make)(void), const char *name)
{
    if (strcmp(app_top(a)->ops->name, name) == 0)
        return STALE_DRAW;
    return app_push(a, make());
}

unsigned
actions_generic(struct app *a, struct pane *p, enum action act)
{
    struct scroll *sc = &p->sc;
    long page = sc->height > 1 ? sc->height : 1;
    switch (act) {
    case ACT_MOVE_DOWN: return scroll_by(sc, 1);
    case ACT_MOVE_UP: return scroll_by(sc, -1);
    case ACT_PAGE_DOWN: return scroll_by(sc, page);
    case ACT_PAGE_UP: return scroll_by(sc, -page);
    case ACT_TOP: sc->top = 0; sc->sel = 0; return STALE_DRAW;
    case ACT_BOTTOM:
        sc->sel = sc->n > 0 ? sc->n - 1 : 0;
        sc->top = sc->n > page ? sc->n - page : 0;
        return STALE_DRAW;
    case ACT_CLOSE: return act_close(a);
    case ACT_HELP: return push_once(a, pane_help_new, "help");
    case ACT_MENU: return push_once(a, pane_menu_new, "menu");
    case ACT_EXPORT: return actions_export(a);
    case ACT_RELOAD: return STALE_RELOAD | STALE_HEADER;
    case ACT_REDRAW: return STALE_SCREEN;
    default:
        app_message(a, 1, _("%s is not available here"), action_name(act));
        return STALE_DRAW;
    }
}
