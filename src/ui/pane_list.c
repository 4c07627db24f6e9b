/* pane_list — the leak list: Unhandled / Handled / All views, sort by time or severity,
 * search by AK ID prefix or repo/path text, the leaks at or above the confidence threshold
 * (c shows the rest too). Holds only the visible rows: each draw fetches
 * the window [top, top+height) with store_leak_page(), so 1M rows cost what 20 do.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/ui_priv.h"

enum list_view { VIEW_UNHANDLED = 0, VIEW_HANDLED, VIEW_ALL, VIEW__COUNT };

static const char *const view_names[VIEW__COUNT] = {"unhandled", "handled", "all"};
static const int view_masks[VIEW__COUNT] = {
    [VIEW_UNHANDLED] = 1 << LEAK_STATUS_UNHANDLED,
    [VIEW_HANDLED] = (1 << LEAK_STATUS_HANDLED) | (1 << LEAK_STATUS_WHITELISTED),
    [VIEW_ALL] = 0,
};

/* The verification filter `v` cycles through: mask bits, dump name, label (translated). */
enum verify_filter { VF_ALL = 0, VF_LIVE, VF_INVALID, VF_UNKNOWN, VF_NONE, VF__COUNT };
static const struct {
    int mask;
    const char *name;
    const char *label;
} verify_filters[VF__COUNT] = {
    [VF_ALL] = {0, "all", N_("all")},
    [VF_LIVE] = {LEAK_VERIFIED_LIVE, "live", N_("live")},
    [VF_INVALID] = {LEAK_VERIFIED_INVALID, "invalid", N_("invalid")},
    [VF_UNKNOWN] = {LEAK_VERIFIED_UNKNOWN, "unknown", N_("unknown")},
    [VF_NONE] = {LEAK_VERIFIED_NONE, "unchecked", N_("unchecked")},
};

/* The verification column: full word when it fits, else a short form; "—" never checked. */
static const struct {
    const char *state, *word, *brief;
} verify_marks[] = {
    {"live", N_("live"), N_("LIVE")},
    {"invalid", N_("invalid"), N_("dead")},
    {"unknown", N_("unknown"), "?"},
};

static const char *
verify_mark(const char *state, int width)
{
    for (size_t i = 0; state && i < sizeof verify_marks / sizeof verify_marks[0]; i++)
        if (strcmp(verify_marks[i].state, state) == 0)
            return width >= 8 ? _(verify_marks[i].word) : _(verify_marks[i].brief);
    return "—";
}

struct list {
    enum list_view view;
    enum verify_filter vfilter;
    enum leak_sort sort;
    char *search;      /* NULL: no search */
    int search_by_ak;  /* the search matched AK ID prefixes (else repo/path text) */
    struct leak *rows; /* the window [rows_at, rows_at + n_rows) */
    size_t n_rows, cap;
    long rows_at;
    int rows_valid;
    long tab_n[VIEW__COUNT]; /* leaks of each view the threshold lets through */
    long hidden;             /* leaks of this view below the threshold (status-only views) */
    int all_conf;            /* the app's all_confidence at the last open (for the dump) */
};

struct cols {
    int sev, conf, ak, kind, path, first, status, ver;
};

/* The confidence column needs room: on terminals narrower than this it is left out (the
 * details pane always shows it, and rows below the threshold are dimmed). */
#define CONF_COLS_MIN 130

static void
cols_for(int width, struct cols *c)
{
    c->sev = 4;
    c->conf = width >= CONF_COLS_MIN ? 4 : 0;
    c->ak = width >= 90 ? 26 : 24;
    c->kind = 9;
    c->first = 10;
    c->status = 11;
    c->ver = width >= 120 ? 8 : 4;
    int gaps = c->conf ? 7 : 6;
    c->path = width - (c->sev + c->conf + c->ak + c->kind + c->first + c->status + c->ver + gaps);
    if (c->path < 8) {
        c->ak -= 8 - c->path > 6 ? 6 : 8 - c->path;
        c->path =
            width - (c->sev + c->conf + c->ak + c->kind + c->first + c->status + c->ver + gaps);
    }
}

static int
conf_mask(const struct app *a)
{
    return a->all_confidence ? 0 : store_confidence_at_least(app_min_confidence(a));
}

static void
filter_of(const struct list *l, const struct app *a, struct leak_filter *f)
{
    memset(f, 0, sizeof *f);
    f->status_mask = view_masks[l->view] | verify_filters[l->vfilter].mask;
    f->confidence_mask = conf_mask(a);
    f->sort = l->sort;
    if (l->search) {
        if (l->search_by_ak)
            f->ak_prefix = l->search;
        else
            f->text = l->search;
    }
}

static void
rows_clear(struct list *l)
{
    for (size_t i = 0; i < l->n_rows; i++)
        leak_done(&l->rows[i]);
    l->n_rows = 0;
    l->rows_valid = 0;
}

/* The tab counts and what the threshold hides from this view. Counts of status-only lists
 * come from the store's kept counts; a search's hidden leaks are not counted (that would
 * run the search twice). */
static void
count_tabs(struct list *l, struct app *a)
{
    for (int v = 0; v < VIEW__COUNT; v++) {
        struct leak_filter f = {.status_mask = view_masks[v], .confidence_mask = conf_mask(a)};
        if (store_leak_count(a->st, &f, &l->tab_n[v], NULL) != AKW_OK)
            l->tab_n[v] = 0;
    }
    l->hidden = 0;
    if (a->all_confidence || l->search || l->vfilter != VF_ALL)
        return;
    int below = ~store_confidence_at_least(app_min_confidence(a))
                & store_confidence_at_least(CONFIDENCE_LOW);
    struct leak_filter f = {.status_mask = view_masks[l->view], .confidence_mask = below};
    if (below && store_leak_count(a->st, &f, &l->hidden, NULL) != AKW_OK)
        l->hidden = 0;
}

static unsigned
list_open(struct pane *p, struct app *a)
{
    struct list *l = p->priv;
    struct leak_filter f;
    struct akw_err err;
    akw_err_clear(&err);
    count_tabs(l, a);
    l->all_conf = a->all_confidence;
    filter_of(l, a, &f);
    rows_clear(l);
    long n = 0;
    if (store_leak_count(a->st, &f, &n, &err) != AKW_OK)
        app_message(a, 1, "%s", err.msg);
    p->sc.n = n;
    if (p->sc.sel >= n)
        p->sc.sel = n > 0 ? n - 1 : 0;
    return STALE_DRAW;
}

/* Make the window hold rows [top, top+h). */
static void
rows_fetch(struct pane *p, struct app *a, long top, int h)
{
    struct list *l = p->priv;
    if (l->rows_valid && l->rows_at == top && (long)l->n_rows >= h)
        return;
    if (l->rows_valid && l->rows_at == top && top + (long)l->n_rows >= p->sc.n)
        return;
    rows_clear(l);
    if ((size_t)h > l->cap) {
        l->cap = (size_t)h;
        l->rows = xrealloc(l->rows, l->cap * sizeof *l->rows);
    }
    struct leak_filter f;
    struct akw_err err;
    akw_err_clear(&err);
    filter_of(l, a, &f);
    memset(l->rows, 0, (size_t)h * sizeof *l->rows);
    if (store_leak_page(a->st, &f, top, h, l->rows, &l->n_rows, &err) != AKW_OK) {
        app_message(a, 1, "%s", err.msg);
        l->n_rows = 0;
    }
    l->rows_at = top;
    l->rows_valid = 1;
}

static const struct leak *
row_at(struct list *l, long i)
{
    if (!l->rows_valid || i < l->rows_at || i >= l->rows_at + (long)l->n_rows)
        return NULL;
    return &l->rows[i - l->rows_at];
}

static void
list_draw_row(struct pane *p, struct app *a, long i, int y, int selected)
{
    struct list *l = p->priv;
    const struct leak *lk = row_at(l, i);
    struct cols c;
    cols_for(COLS, &c);
    if (!lk) {
        draw_fill(y, 0, COLS, selected ? A_REVERSE : draw_attr(COL_NORMAL));
        return;
    }
    /* a leak below the threshold (shown with c) is dimmed */
    int doubtful = lk->confidence < app_min_confidence(a);
    attr_t base = selected ? A_REVERSE : draw_attr(doubtful ? COL_DIM : COL_NORMAL);
    draw_fill(y, 0, COLS, base);
    char path[1024], first[32];
    snprintf(path, sizeof path, "%s%s%s", lk->repo ? lk->repo : "", lk->repo ? ":" : "",
             lk->path ? lk->path : "");
    draw_time(lk->first_seen, 1, first);
    int x = 0;
    attr_t sev = selected ? base : draw_attr(draw_severity_color(lk->severity));
    x += draw_text(y, x, draw_severity_label(lk->severity), c.sev, sev, DRAW_PAD) + 1;
    if (c.conf)
        x += draw_text(y, x, draw_confidence_label(lk->confidence), c.conf, base, DRAW_PAD) + 1;
    x += draw_text(y, x, lk->ak_id ? lk->ak_id : lk->secret_masked, c.ak, base,
                   DRAW_PAD | DRAW_ELLIPSIS) + 1;
    x += draw_text(y, x, kind_label(lk->kind), c.kind, base, DRAW_PAD | DRAW_ELLIPSIS) + 1;
    x += draw_text(y, x, path, c.path, base, DRAW_PAD | DRAW_TAIL) + 1;
    x += draw_text(y, x, first, c.first, base, DRAW_PAD) + 1;
    attr_t ver = selected || !lk->verified ? base
                 : strcmp(lk->verified, "live") == 0 ? draw_attr(COL_CRITICAL) | A_BOLD
                                                     : draw_attr(COL_DIM);
    x += draw_text(y, x, verify_mark(lk->verified, c.ver), c.ver, ver, DRAW_PAD) + 1;
    attr_t st = selected ? base
                : lk->status == LEAK_STATUS_UNHANDLED ? draw_attr(COL_ERROR)
                                                      : draw_attr(COL_OK);
    draw_text(y, x, draw_status_label(lk->status, lk->handled_as), c.status, st, DRAW_PAD);
}

/* The threshold's name as the tab line says it ("medium"), marked for translation. */
static const char *
confidence_label(enum confidence c)
{
    static const char *const names[] = {"", NC_("confidence", "low"), NC_("confidence", "medium"),
                                        NC_("confidence", "high")};
    return (unsigned)c <= CONFIDENCE_HIGH ? names[c] : "";
}

static void
draw_tabs(struct pane *p, struct app *a, int y)
{
    struct list *l = p->priv;
    const long *counts = l->tab_n;
    /* TRANSLATORS: the view tabs */
    const char *labels[VIEW__COUNT] = {_("Unhandled"), _("Handled"), _("All")};
    int x = 0;
    draw_fill(y, 0, COLS, draw_attr(COL_NORMAL));
    for (int v = 0; v < VIEW__COUNT; v++) {
        char tab[64];
        snprintf(tab, sizeof tab, " %s (%ld) ", labels[v], counts[v]);
        attr_t at = v == (int)l->view ? (draw_attr(COL_HEADER) | A_BOLD) : draw_attr(COL_NORMAL);
        x += draw_text(y, x, tab, COLS - x, at, 0) + 1;
    }
    char info[300];
    int n = snprintf(info, sizeof info, "%s %s", _("sort:"),
                     l->sort == LEAK_SORT_TIME ? _("time") : _("severity"));
    if (l->vfilter != VF_ALL)
        n += snprintf(info + n, sizeof info - (size_t)n, "  %s %s", _("verified:"),
                      _(verify_filters[l->vfilter].label));
    if (a->all_confidence)
        n += snprintf(info + n, sizeof info - (size_t)n, "  %s", _("confidence: all"));
    else if (l->hidden)
        /* TRANSLATORS: leaks left out by the confidence threshold; c shows them */
        n += snprintf(info + n, sizeof info - (size_t)n, _("  +%ld below %s (c)"), l->hidden,
                      P_(confidence_label(app_min_confidence(a))));
    if (l->search)
        snprintf(info + n, sizeof info - (size_t)n, "  /%s (%ld)", l->search, p->sc.n);
    int w = draw_width(info);
    if (x + 1 + w <= COLS)
        draw_text(y, COLS - w, info, w, draw_attr(COL_DIM), 0);
    else if (x + 4 < COLS)
        draw_text(y, x + 1, info, COLS - x - 1, draw_attr(COL_DIM), DRAW_TAIL);
}

static void
draw_titles(int y)
{
    struct cols c;
    cols_for(COLS, &c);
    attr_t at = draw_attr(COL_TITLE) | A_UNDERLINE;
    int x = 0;
    draw_fill(y, 0, COLS, at);
    /* TRANSLATORS: column titles; widths 4, 24, 9, flexible, 10, 4 (8 when wide), 11 */
    x += draw_text(y, x, _("SEV"), c.sev, at, DRAW_PAD) + 1;
    if (c.conf)
        /* TRANSLATORS: the confidence column title (4 columns, on terminals of 130 or more) */
        x += draw_text(y, x, _("Conf"), c.conf, at, DRAW_PAD) + 1;
    x += draw_text(y, x, _("AK ID / secret"), c.ak, at, DRAW_PAD) + 1;
    x += draw_text(y, x, _("Kind"), c.kind, at, DRAW_PAD) + 1;
    x += draw_text(y, x, _("Repo:path"), c.path, at, DRAW_PAD) + 1;
    x += draw_text(y, x, _("First seen"), c.first, at, DRAW_PAD) + 1;
    /* TRANSLATORS: the verification column title (4 columns; 8 on wide terminals) */
    x += draw_text(y, x, c.ver >= 8 ? _("Verified") : _("Ver"), c.ver, at, DRAW_PAD) + 1;
    draw_text(y, x, _("Status"), c.status, at, DRAW_PAD);
}

static void
list_draw(struct pane *p, struct app *a, int y, int h)
{
    struct list *l = p->priv;
    if (h < 3)
        return;
    draw_tabs(p, a, y);
    draw_titles(y + 1);
    int rows = h - 2;
    /* settle top/sel for this height first, so the fetch matches what is drawn */
    p->sc.height = rows;
    if (p->sc.top > p->sc.sel)
        p->sc.top = p->sc.sel;
    if (p->sc.sel >= p->sc.top + rows)
        p->sc.top = p->sc.sel - rows + 1;
    if (p->sc.top > 0 && p->sc.top + rows > p->sc.n)
        p->sc.top = p->sc.n > rows ? p->sc.n - rows : 0;
    rows_fetch(p, a, p->sc.top, rows);
    if (p->sc.n == 0) {
        if (l->hidden) {
            char msg[200];
            snprintf(msg, sizeof msg,
                     _("No leak here at or above the confidence threshold; c shows the %ld "
                       "below it."),
                     l->hidden);
            draw_text(y + 3, 2, msg, COLS - 4, draw_attr(COL_DIM), 0);
            return;
        }
        const char *empty = l->vfilter != VF_ALL
                                ? _("No leak with this verification state (v cycles the filter).")
                            : l->search ? _("No leak matches the search (Esc clears it).")
                            : l->view == VIEW_UNHANDLED
                                ? _("No unhandled leaks. Tab shows the handled ones.")
                                : _("No leaks in this view.");
        draw_text(y + 3, 2, empty, COLS - 4, draw_attr(COL_DIM), 0);
        return;
    }
    pane_draw_rows(p, a, y + 2, rows);
}

int64_t
pane_list_selected(struct pane *p)
{
    const struct leak *lk = row_at(p->priv, p->sc.sel);
    return lk ? lk->id : 0;
}

static unsigned
search_done(struct app *a, struct pane *p, const char *text)
{
    struct list *l = p->priv;
    free(l->search);
    l->search = NULL;
    p->sc.sel = p->sc.top = 0;
    if (text && *text) {
        l->search = xstrdup(text);
        l->search_by_ak = 1;
        list_open(p, a);
        if (p->sc.n == 0) { /* not an AK ID prefix: try repo/path text */
            l->search_by_ak = 0;
            list_open(p, a);
        }
        app_message(a, p->sc.n == 0, ngettext("%ld match for \"%s\"", "%ld matches for \"%s\"",
                                              (unsigned long)p->sc.n),
                    p->sc.n, text);
        return STALE_DRAW;
    }
    return list_open(p, a);
}

static unsigned
open_selected(struct pane *p, struct app *a, struct pane *(*make)(int64_t))
{
    int64_t id = pane_list_selected(p);
    if (id == 0) {
        app_message(a, 1, "%s", _("No leak selected."));
        return STALE_DRAW;
    }
    return app_push(a, make(id));
}

static enum action
list_handle(struct pane *p, struct app *a, enum action act, unsigned *stale)
{
    struct list *l = p->priv;
    switch (act) {
    case ACT_ENTER: *stale |= open_selected(p, a, pane_details_new); return ACT_NONE;
    case ACT_PROCESS: *stale |= open_selected(p, a, pane_processing_new); return ACT_NONE;
    case ACT_WHITELIST: *stale |= app_push(a, pane_whitelist_new()); return ACT_NONE;
    case ACT_SEARCH:
        *stale |= dialog_input(a, p, _("Search AK ID or repo/path: "), l->search, search_done);
        return ACT_NONE;
    case ACT_SEARCH_NEXT:
        if (!l->search) {
            app_message(a, 1, "%s", _("No search: press / first."));
        } else if (p->sc.n > 0) {
            p->sc.sel = p->sc.sel + 1 < p->sc.n ? p->sc.sel + 1 : 0;
            if (p->sc.sel == 0)
                app_message(a, 0, "%s", _("Search wrapped to the first match."));
        }
        return ACT_NONE;
    case ACT_SEARCH_CLEAR:
        if (!l->search)
            return ACT_CLOSE;
        *stale |= search_done(a, p, NULL);
        return ACT_NONE;
    case ACT_VIEW_NEXT:
        l->view = (l->view + 1) % VIEW__COUNT;
        p->sc.sel = p->sc.top = 0;
        *stale |= list_open(p, a);
        return ACT_NONE;
    case ACT_VERIFY_FILTER:
        l->vfilter = (l->vfilter + 1) % VF__COUNT;
        p->sc.sel = p->sc.top = 0;
        *stale |= list_open(p, a);
        app_message(a, 0, _("Verification filter: %s (%ld)"),
                    _(verify_filters[l->vfilter].label), p->sc.n);
        return ACT_NONE;
    case ACT_CONFIDENCE_ALL:
        a->all_confidence = !a->all_confidence;
        p->sc.sel = p->sc.top = 0;
        *stale |= list_open(p, a);
        if (a->all_confidence)
            app_message(a, 0, _("Showing every confidence (%ld)"), p->sc.n);
        else
            app_message(a, 0, _("Showing confidence %s and up (%ld)"),
                        P_(confidence_label(app_min_confidence(a))), p->sc.n);
        return ACT_NONE;
    case ACT_RECHECK: *stale |= recheck_start(a, pane_list_selected(p)); return ACT_NONE;
    case ACT_SORT:
        l->sort = l->sort == LEAK_SORT_TIME ? LEAK_SORT_SEVERITY : LEAK_SORT_TIME;
        p->sc.sel = p->sc.top = 0;
        *stale |= list_open(p, a);
        return ACT_NONE;
    default: return act;
    }
}

static void
list_dump(struct pane *p, FILE *f)
{
    struct list *l = p->priv;
    const struct leak *lk = row_at(l, p->sc.sel);
    fprintf(f, "view=%s\nsort=%s\nsearch=%s\nsearch_mode=%s\nrows=%ld\nsel_index=%ld\ntop=%ld\n",
            view_names[l->view], l->sort == LEAK_SORT_TIME ? "time" : "severity",
            l->search ? l->search : "", !l->search ? "" : l->search_by_ak ? "ak" : "text",
            p->sc.n, p->sc.sel, p->sc.top);
    fprintf(f, "selected=%lld\nselected_ak=%s\nselected_status=%s\n",
            lk ? (long long)lk->id : 0LL, lk && lk->ak_id ? lk->ak_id : "",
            lk ? leak_status_name(lk->status) : "");
    fprintf(f, "verify_filter=%s\nselected_verified=%s\n", verify_filters[l->vfilter].name,
            lk && lk->verified ? lk->verified : "");
    fprintf(f, "confidence_filter=%s\nhidden=%ld\nselected_confidence=%s\n",
            l->all_conf ? "all" : "threshold", l->hidden,
            lk && confidence_name(lk->confidence) ? confidence_name(lk->confidence) : "");
}

static void
list_done(struct pane *p)
{
    struct list *l = p->priv;
    rows_clear(l);
    free(l->rows);
    free(l->search);
    free(l);
}

static const struct pane_ops list_ops = {
    .name = "list",
    .ctx = KC_LIST,
    .open = list_open,
    .draw = list_draw,
    .draw_row = list_draw_row,
    .handle = list_handle,
    .dump = list_dump,
    .done = list_done,
};

struct pane *
pane_list_new(void)
{
    struct list *l = xcalloc(1, sizeof *l);
    l->view = VIEW_UNHANDLED;
    l->sort = LEAK_SORT_TIME;
    return pane_new(&list_ops, l);
}
