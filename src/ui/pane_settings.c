/* pane_settings — the notification settings pane (menu): edits the [notify] window, days and
 * time zone in input fields, validates them with the config loader's and the notifier's
 * parsers, and saves them with notify_config_save_window(), which rewrites only those lines
 * of the config file. Errors stay on the pane; nothing is written then. The other [notify]
 * keys are shown read-only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "notify/notify.h"
#include "ui/ui_priv.h"

enum field { F_WINDOW = 0, F_DAYS, F_TZ, F__COUNT };

static const struct {
    const char *label, *prompt, *empty;
} fields[F__COUNT] = {
    [F_WINDOW] = {N_("Window"), N_("Window (HH:MM-HH:MM, empty = always): "), N_("always")},
    [F_DAYS] = {N_("Days"), N_("Days (mon-fri, sat,sun; empty = every day): "), N_("every day")},
    [F_TZ] = {N_("Time zone"), N_("Time zone (Asia/Shanghai, CST-8; empty = local): "),
              N_("local")},
};

struct settings {
    char *value[F__COUNT]; /* what the fields hold (NULL = empty) */
    char *path;            /* the config file saved to */
    char error[512];       /* shown under the fields; "" = none */
    int dirty;             /* edited since the last save */
};

static void
set_value(struct settings *s, enum field f, const char *v)
{
    free(s->value[f]);
    s->value[f] = v && *v ? xstrdup(v) : NULL;
}

/* Check the fields as loading the config would; fills s->error. 0 when valid. */
static int
validate(struct settings *s)
{
    s->error[0] = '\0';
    int from, to;
    if (s->value[F_WINDOW] && config_parse_window(s->value[F_WINDOW], &from, &to) != 0) {
        snprintf(s->error, sizeof s->error, _("window \"%s\": expected a time window HH:MM-HH:MM"),
                 s->value[F_WINDOW]);
        return -1;
    }
    struct notify_window w;
    struct akw_err err;
    akw_err_clear(&err);
    memset(&w, 0, sizeof w);
    enum akw_status rc = notify_window_parse(s->value[F_WINDOW], s->value[F_DAYS],
                                             s->value[F_TZ], &w, &err);
    notify_window_done(&w);
    if (rc != AKW_OK) {
        snprintf(s->error, sizeof s->error, "%s", err.msg);
        return -1;
    }
    return 0;
}

static unsigned
settings_open(struct pane *p, struct app *a)
{
    (void)a;
    p->sc.n = F__COUNT;
    return STALE_DRAW;
}

static void
settings_draw(struct pane *p, struct app *a, int y, int h)
{
    struct settings *s = p->priv;
    const struct config *c = a->cfg;
    for (int i = 0; i < h; i++)
        draw_fill(y + i, 0, COLS, draw_attr(COL_NORMAL));
    p->sc.height = F__COUNT;
    draw_text(y, 0, _("Notification settings"), COLS, draw_attr(COL_TITLE) | A_BOLD, 0);
    for (int f = 0; f < F__COUNT; f++) {
        char line[512];
        snprintf(line, sizeof line, "  %-10s %s", _(fields[f].label),
                 s->value[f] ? s->value[f] : _(fields[f].empty));
        attr_t at = f == p->sc.sel ? A_REVERSE : draw_attr(COL_NORMAL);
        draw_text(y + 2 + f, 0, line, COLS, at, DRAW_PAD | DRAW_ELLIPSIS);
    }
    int row = y + 3 + F__COUNT;
    if (s->error[0])
        draw_text(row, 2, s->error, COLS - 2, draw_attr(COL_ERROR) | A_BOLD, DRAW_ELLIPSIS);
    else if (s->dirty)
        draw_text(row, 2, _("Not saved yet: press s to save."), COLS - 2, draw_attr(COL_DIM), 0);
    row += 2;
    char other[1024];
    snprintf(other, sizeof other, _("Webhook: %s   Command: %s   Bell: %s   Digest: %s"),
             c && c->webhook ? _("configured") : _("none"),
             c && c->command ? _("configured") : _("none"), c && c->bell ? _("on") : _("off"),
             c && c->digest ? _("on") : _("off"));
    draw_text(row++, 2, other, COLS - 2, draw_attr(COL_DIM), DRAW_ELLIPSIS);
    char file[1200];
    snprintf(file, sizeof file, _("Config file: %s"), s->path);
    draw_text(row++, 2, file, COLS - 2, draw_attr(COL_DIM), DRAW_TAIL);
    draw_text(row + 1, 2, _("Enter edits the field, s saves (only these lines change), q closes."),
              COLS - 2, draw_attr(COL_DIM), DRAW_ELLIPSIS);
}

static unsigned
edit_done(struct app *a, struct pane *p, const char *text)
{
    (void)a;
    struct settings *s = p->priv;
    set_value(s, (enum field)p->sc.sel, text);
    s->dirty = 1;
    validate(s);
    return STALE_DRAW;
}

static unsigned
save(struct pane *p, struct app *a)
{
    struct settings *s = p->priv;
    if (validate(s) != 0) {
        app_message(a, 1, "%s", _("Not saved: fix the error first."));
        return STALE_DRAW;
    }
    struct akw_err err;
    akw_err_clear(&err);
    if (notify_config_save_window(s->path, s->value[F_WINDOW], s->value[F_DAYS], s->value[F_TZ],
                                  &err) != AKW_OK) {
        snprintf(s->error, sizeof s->error, "%s", err.msg);
        app_message(a, 1, "%s", _("Not saved."));
        return STALE_DRAW;
    }
    s->dirty = 0;
    if (app_set_notify_window(a, s->value[F_WINDOW], s->value[F_DAYS], s->value[F_TZ]))
        app_message(a, 0, _("Saved to %s; the scan uses it now."), s->path);
    else
        app_message(a, 0, _("Saved to %s."), s->path);
    return STALE_DRAW;
}

static enum action
settings_handle(struct pane *p, struct app *a, enum action act, unsigned *stale)
{
    struct settings *s = p->priv;
    switch (act) {
    case ACT_EDIT: {
        enum field f = (enum field)p->sc.sel;
        *stale |= dialog_input(a, p, _(fields[f].prompt), s->value[f], edit_done);
        return ACT_NONE;
    }
    case ACT_SAVE: *stale |= save(p, a); return ACT_NONE;
    default: return act;
    }
}

static void
settings_dump(struct pane *p, FILE *f)
{
    struct settings *s = p->priv;
    fprintf(f, "settings_field=%ld\nsettings_window=%s\nsettings_days=%s\nsettings_tz=%s\n"
               "settings_error=%s\nsettings_dirty=%d\n",
            p->sc.sel, s->value[F_WINDOW] ? s->value[F_WINDOW] : "",
            s->value[F_DAYS] ? s->value[F_DAYS] : "", s->value[F_TZ] ? s->value[F_TZ] : "",
            s->error, s->dirty);
}

static void
settings_done(struct pane *p)
{
    struct settings *s = p->priv;
    for (int f = 0; f < F__COUNT; f++)
        free(s->value[f]);
    free(s->path);
    free(s);
}

static const struct pane_ops settings_ops = {
    .name = "settings",
    .ctx = KC_SETTINGS,
    .open = settings_open,
    .draw = settings_draw,
    .handle = settings_handle,
    .dump = settings_dump,
    .done = settings_done,
};

struct pane *
pane_settings_new(const struct config *c)
{
    struct settings *s = xcalloc(1, sizeof *s);
    if (c) {
        set_value(s, F_WINDOW, c->window);
        set_value(s, F_DAYS, c->days);
        set_value(s, F_TZ, c->tz);
    }
    s->path = c && c->path ? xstrdup(c->path) : akw_default_config_path();
    return pane_new(&settings_ops, s);
}
