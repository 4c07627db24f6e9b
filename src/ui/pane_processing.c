/* pane_processing — triage one leak: 1 deleted manually, 2 disabled manually, 3 add to
 * whitelist; then an optional note, Enter, and `y` to confirm. The decision goes to
 * store_handle_seen() (audit-logged), refused when another analyst changed the leak since
 * this pane first read it (the message says who and when); then the configured [actions]
 * hook starts in the background (hook.c) and this pane shows its seconds and outcome
 * (the latest hook of the leak, also when opened again). Does not draw the list or reload
 * it (the loop does).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/textview.h"
#include "ui/ui_priv.h"

struct processing {
    struct leak leak;
    int loaded;
    enum triage_action choice; /* 0: none yet */
    char *note;
    struct textview tv;
    /* the leak as the analyst first saw it here: a decision on it is refused once someone
     * else changed it (reloads on their change show the new state, keep this) */
    struct leak_seen seen;
    int have_seen;
};

/* clang-format off */
static const struct {
    enum triage_action action;
    const char *key, *label, *explain;
} choices[] = {
    {TRIAGE_DELETED,     "1", N_("Deleted manually"),
     N_("the file or commit holding the secret was removed")},
    {TRIAGE_DISABLED,    "2", N_("Disabled manually"),
     N_("the key was disabled or rotated in the console")},
    {TRIAGE_WHITELISTED, "3", N_("Add to whitelist"),
     N_("a known test key: this AK ID will not alert again")},
};
/* clang-format on */

static const char *
choice_label(enum triage_action a)
{
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
        if (choices[i].action == a)
            return _(choices[i].label);
    return "";
}

static void
build(struct processing *pr, struct app *a)
{
    struct textview *tv = &pr->tv;
    const struct leak *l = &pr->leak;
    textview_clear(tv);
    textview_add(tv, COL_TITLE, 0, _("Process leak #%lld"), (long long)l->id);
    textview_field(tv, _("AccessKey ID"), l->ak_id ? l->ak_id : l->secret_masked);
    textview_field(tv, _("Kind"), kind_label(l->kind));
    char where[1024];
    snprintf(where, sizeof where, "%s%s%s", l->repo ? l->repo : "", l->repo ? ":" : "",
             l->path ? l->path : "");
    textview_field(tv, _("Where"), where);
    textview_field(tv, _("Status"), draw_status_label(l->status, l->handled_as));
    textview_add(tv, COL_NORMAL, 0, "%s", "");
    textview_add(tv, COL_TITLE, 0, "%s", _("How was it handled?"));
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
        int on = pr->choice == choices[i].action;
        textview_add(tv, on ? COL_OK : COL_NORMAL, 2, "%s [%s] %s - %s", on ? ">" : " ",
                     choices[i].key, _(choices[i].label), _(choices[i].explain));
        const char *hook = hook_command(a->cfg, choices[i].action);
        if (hook)
            textview_add(tv, COL_DIM, 8, _("hook: %s"), hook);
    }
    textview_add(tv, COL_NORMAL, 0, "%s", "");
    textview_field(tv, _("Note"), pr->note);
    const struct hook_job *j = hook_latest(a, l->id);
    if (j) {
        char text[400];
        hook_describe(j, 1, text, sizeof text);
        enum ui_color c = j->state == HOOK_DONE                                ? COL_OK
                          : j->state <= HOOK_QUITTING                          ? COL_NORMAL
                                                                               : COL_ERROR;
        textview_add(tv, COL_NORMAL, 0, "%s", "");
        textview_add(tv, c, 0, "%s %s", _("Hook:"), text);
    }
}

static unsigned
processing_open(struct pane *p, struct app *a)
{
    struct processing *pr = p->priv;
    struct akw_err err;
    akw_err_clear(&err);
    int64_t id = pr->leak.id;
    leak_done(&pr->leak);
    memset(&pr->leak, 0, sizeof pr->leak);
    pr->leak.id = id;
    pr->loaded = store_leak_get(a->st, id, &pr->leak, &err) == AKW_OK;
    if (!pr->loaded)
        app_message(a, 1, "%s", err.msg);
    if (pr->loaded && !pr->have_seen) {
        pr->seen = (struct leak_seen){pr->leak.status, pr->leak.handled_as};
        pr->have_seen = 1;
    }
    build(pr, a);
    return STALE_DRAW;
}

/* y on the confirmation: decide (refused when someone else decided meanwhile), then start
 * the action's hook in the background. With a hook the pane stays open to show it run (q
 * goes back, the hook runs on); without one it closes. */
static unsigned
apply(struct app *a, struct pane *p)
{
    struct processing *pr = p->priv;
    struct akw_err err;
    akw_err_clear(&err);
    enum akw_status s =
        store_handle_seen(a->st, pr->leak.id, pr->choice, pr->note, a->who, &pr->seen, &err);
    if (s == AKW_ERR_STALE) { /* show what is there now; deciding again is on that */
        pr->have_seen = 0;
        processing_open(p, a);
    }
    if (s != AKW_OK) {
        app_message(a, 1, "%s", err.msg);
        return STALE_DRAW;
    }
    const char *what = pr->leak.ak_id ? pr->leak.ak_id : pr->leak.secret_masked;
    app_message(a, 0, _("%s: %s"), what, choice_label(pr->choice));
    if (!hook_command(a->cfg, pr->choice))
        return app_pop(a) | STALE_RELOAD | STALE_HEADER;
    pr->have_seen = 0; /* the next decision here is on the state just written */
    return hook_start(a, pr->choice, &pr->leak) | STALE_RELOAD | STALE_HEADER;
}

static unsigned
note_done(struct app *a, struct pane *p, const char *text)
{
    struct processing *pr = p->priv;
    free(pr->note);
    pr->note = text && *text ? xstrdup(text) : NULL;
    build(pr, a);
    char q[300];
    snprintf(q, sizeof q, _("Mark %s as \"%s\"?"),
             pr->leak.ak_id ? pr->leak.ak_id : pr->leak.secret_masked, choice_label(pr->choice));
    return dialog_confirm(a, p, q, apply);
}

static unsigned
choose(struct pane *p, struct app *a, enum triage_action action)
{
    struct processing *pr = p->priv;
    if (!pr->loaded)
        return STALE_DRAW;
    if (action)
        pr->choice = action;
    if (!pr->choice) {
        app_message(a, 1, "%s", _("Choose 1, 2 or 3 first."));
        return STALE_DRAW;
    }
    build(pr, a);
    return dialog_input(a, p, _("Note (optional), Enter: "), pr->note, note_done);
}

static enum action
processing_handle(struct pane *p, struct app *a, enum action act, unsigned *stale)
{
    static const enum triage_action by_action[ACT__COUNT] = {
        [ACT_CHOOSE_DELETED] = TRIAGE_DELETED,
        [ACT_CHOOSE_DISABLED] = TRIAGE_DISABLED,
        [ACT_CHOOSE_WHITELIST] = TRIAGE_WHITELISTED,
    };
    if (by_action[act] || act == ACT_NOTE_CONFIRM) {
        *stale |= choose(p, a, by_action[act]);
        return ACT_NONE;
    }
    return act;
}

static void
processing_draw(struct pane *p, struct app *a, int y, int h)
{
    struct processing *pr = p->priv;
    if (pr->loaded && hook_latest(a, pr->leak.id))
        build(pr, a); /* the hook's seconds and outcome */
    textview_pane_draw(&pr->tv, &p->sc, y, h);
}

static void
processing_dump(struct pane *p, FILE *f)
{
    struct processing *pr = p->priv;
    fprintf(f, "processing_id=%lld\nchoice=%s\nnote=%s\n", (long long)pr->leak.id,
            pr->choice ? triage_action_name(pr->choice) : "", pr->note ? pr->note : "");
}

static void
processing_done(struct pane *p)
{
    struct processing *pr = p->priv;
    leak_done(&pr->leak);
    textview_done(&pr->tv);
    free(pr->note);
    free(pr);
}

static const struct pane_ops processing_ops = {
    .name = "processing",
    .ctx = KC_PROCESSING,
    .open = processing_open,
    .draw = processing_draw,
    .handle = processing_handle,
    .dump = processing_dump,
    .done = processing_done,
};

struct pane *
pane_processing_new(int64_t leak_id)
{
    struct processing *pr = xcalloc(1, sizeof *pr);
    pr->leak.id = leak_id;
    struct pane *p = pane_new(&processing_ops, pr);
    p->sc.no_cursor = 1;
    return p;
}
