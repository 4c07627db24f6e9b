/* menu — the F2 / `m` overlay: export report, notification settings, rescan now,
 * whitelist, help, quit; an entry that cannot run is shown disabled with the reason. Also
 * the `e` export action (src/export's xlsx report, then the "Done" box).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "export/export.h"
#include "ui/ui_priv.h"

struct menu_item {
    const char *label;
    /* NULL when enabled, else why not (untranslated msgid) */
    const char *(*disabled)(const struct app *a);
    unsigned (*run)(struct app *a);
};

/* The path being exported to, kept while the "replace it?" question is open (UI thread). */
static char *export_path;

/* Esc typed since the last look? (The export runs on the UI thread: other keys typed
 * meanwhile are dropped, not replayed into the panes afterwards.) */
static int
esc_pressed(void)
{
    wint_t wc;
    int r, esc = 0;
    while ((r = get_wch(&wc)) != ERR)
        esc |= r == OK && wc == K_ESC;
    return esc;
}

static int
export_progress(long done, long total, void *user)
{
    struct app *a = user;
    if (esc_pressed())
        return 1;
    if (total > 0) {
        app_message(a, 0, _("Exporting the report... %ld%% (Esc cancels)"),
                    done >= total ? 100 : done * 100 / total);
        app_refresh(a);
    }
    return 0;
}

static unsigned export_replace(struct app *a, struct pane *owner);

static unsigned
export_to(struct app *a, int force)
{
    struct export_opts o = {.format = EXPORT_XLSX, .path = export_path, .force = force,
                            .now = akw_now(), .progress = export_progress, .progress_user = a,
                            .rules = a->rules,
                            /* the report holds what the list shows */
                            .confidence_mask = a->all_confidence
                                                   ? 0
                                                   : store_confidence_at_least(
                                                         app_min_confidence(a))};
    struct akw_err err;
    akw_err_clear(&err);
    char *saved = NULL;
    app_message(a, 0, "%s", _("Exporting the report..."));
    app_refresh(a);
    enum akw_status s = export_run(a->st, &o, &saved, &err);
    a->message[0] = '\0';
    if (s == AKW_ERR_USAGE && !force) {
        char q[600];
        snprintf(q, sizeof q, _("%s exists. Replace it?"), export_path);
        return dialog_confirm(a, app_top(a), q, export_replace);
    }
    free(export_path);
    export_path = NULL;
    if (s == AKW_ERR_CANCEL) {
        app_message(a, 0, "%s", _("Export cancelled; nothing was written."));
        return STALE_DRAW;
    }
    if (s != AKW_OK) {
        app_message(a, 1, _("Export failed: %s"), err.msg);
        return STALE_DRAW;
    }
    char text[600];
    snprintf(text, sizeof text, _("Report saved to %s"), saved);
    free(saved);
    /* TRANSLATORS: title of the box shown when the report is written */
    return dialog_message(a, _("Done"), text);
}

static unsigned
export_replace(struct app *a, struct pane *owner)
{
    (void)owner;
    return export_to(a, 1);
}

static unsigned
export_path_done(struct app *a, struct pane *owner, const char *text)
{
    (void)owner;
    free(export_path);
    export_path = xstrdup(text && *text ? text : NULL);
    return export_to(a, 0);
}

/* `e` and the menu entry: ask where (the default name in the current folder), then write
 * the xlsx report with src/export and show the "Done" box with the saved path. */
unsigned
actions_export(struct app *a)
{
    char *def = export_default_path(EXPORT_XLSX, akw_now());
    unsigned stale = dialog_input(a, app_top(a), _("Save the report (xlsx) to: "), def,
                                  export_path_done);
    free(def);
    return stale;
}

static const char *
rescan_disabled(const struct app *a)
{
    if (!a->scan || a->scan->wake_fd < 0 || !a->scan->rescan)
        return N_("no background scan (configure [github] sources, run without --no-scan)");
    return NULL;
}

static unsigned
run_rescan(struct app *a)
{
    a->scan->rescan(a->scan->ctx);
    app_message(a, 0, "%s", _("Rescan requested."));
    return STALE_DRAW | STALE_HEADER;
}

static const char *
status_disabled(const struct app *a)
{
    if (!a->scan || !a->scan->describe)
        return N_("no background scan (configure [github] sources, run without --no-scan)");
    return NULL;
}

static unsigned
run_scan_status(struct app *a)
{
    struct buf b;
    buf_init(&b);
    a->scan->describe(a->scan->ctx, &b);
    unsigned stale = dialog_message(a, _("Scan status"), b.data ? b.data : "");
    buf_done(&b);
    return stale;
}

static unsigned
run_notify_settings(struct app *a)
{
    return app_push(a, pane_settings_new(a->cfg));
}

static unsigned
run_whitelist(struct app *a)
{
    return app_push(a, pane_whitelist_new());
}

static unsigned
run_help(struct app *a)
{
    return app_push(a, pane_help_new());
}

static unsigned
run_quit(struct app *a)
{
    return actions_request_quit(a);
}

/* clang-format off */
static const struct menu_item items[] = {
    {N_("Export report (xlsx)"),  NULL,            actions_export},
    {N_("Notification settings"), NULL,            run_notify_settings},
    {N_("Rescan now"),            rescan_disabled, run_rescan},
    {N_("Scan status"),           status_disabled, run_scan_status},
    {N_("Whitelist"),             NULL,            run_whitelist},
    {N_("Help"),                  NULL,            run_help},
    {N_("Quit"),                  NULL,            run_quit},
};
/* clang-format on */
#define N_ITEMS ((long)(sizeof items / sizeof items[0]))

static unsigned
menu_open(struct pane *p, struct app *a)
{
    (void)a;
    p->sc.n = N_ITEMS;
    return STALE_DRAW;
}

static void
menu_draw(struct pane *p, struct app *a, int y, int h)
{
    (void)y;
    (void)h;
    int w = COLS > 60 ? 56 : COLS;
    int bh = (int)N_ITEMS + 4;
    int by = (LINES - bh) / 2 > 1 ? (LINES - bh) / 2 : 1, bx = (COLS - w) / 2;
    draw_box(by, bx, bh, w, _("Menu"));
    p->sc.height = (int)N_ITEMS;
    for (long i = 0; i < N_ITEMS; i++) {
        const char *why = items[i].disabled ? items[i].disabled(a) : NULL;
        attr_t at = i == p->sc.sel ? A_REVERSE : why ? draw_attr(COL_DIM) : A_NORMAL;
        char label[256];
        snprintf(label, sizeof label, " %ld  %s%s", i + 1, _(items[i].label),
                 why ? _(" (unavailable)") : "");
        draw_text(by + 1 + (int)i, bx + 2, label, w - 4, at, DRAW_PAD | DRAW_ELLIPSIS);
    }
    const char *why = items[p->sc.sel].disabled ? items[p->sc.sel].disabled(a) : NULL;
    if (why)
        draw_text(by + bh - 2, bx + 2, _(why), w - 4, draw_attr(COL_DIM), DRAW_ELLIPSIS);
}

static enum action
menu_handle(struct pane *p, struct app *a, enum action act, unsigned *stale)
{
    if (act != ACT_ENTER)
        return act;
    const struct menu_item *it = &items[p->sc.sel];
    const char *why = it->disabled ? it->disabled(a) : NULL;
    if (why) {
        app_message(a, 1, _("%s is unavailable: %s."), _(it->label), _(why));
        return ACT_NONE;
    }
    *stale |= app_pop(a); /* the menu closes before the entry runs */
    *stale |= it->run(a);
    return ACT_NONE;
}

static void
menu_dump(struct pane *p, FILE *f)
{
    fprintf(f, "menu_sel=%ld\nmenu_item=%s\n", p->sc.sel, items[p->sc.sel].label);
}

static const struct pane_ops menu_ops = {
    .name = "menu",
    .ctx = KC_MENU,
    .overlay = 1,
    .open = menu_open,
    .draw = menu_draw,
    .handle = menu_handle,
    .dump = menu_dump,
};

struct pane *
pane_menu_new(void)
{
    return pane_new(&menu_ops, NULL);
}
