/* app — the UI loop: poll() the keyboard, the signal pipe, the scan wake fd, (a server
 * store) the store's change notifications and the output of running [actions] hooks (with
 * a timer for their seconds and timeouts); turn keys
 * into actions (pane first, then generic); apply what became stale (reload, header,
 * repaint) and redraw. Owns the pane stack and the store connection of the UI thread.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui_priv.h"

struct pane *
pane_new(const struct pane_ops *ops, void *priv)
{
    struct pane *p = xcalloc(1, sizeof *p);
    p->ops = ops;
    p->priv = priv;
    return p;
}

struct pane *
app_top(const struct app *a)
{
    return a->depth > 0 ? a->stack[a->depth - 1] : NULL;
}

unsigned
app_push(struct app *a, struct pane *p)
{
    if (a->depth == UI_MAX_PANES) {
        if (p->ops->done)
            p->ops->done(p);
        free(p);
        return STALE_DRAW;
    }
    a->stack[a->depth++] = p;
    return (p->ops->open ? p->ops->open(p, a) : 0) | STALE_DRAW;
}

unsigned
app_pop(struct app *a)
{
    if (a->depth == 0)
        return 0;
    struct pane *p = a->stack[--a->depth];
    if (p->ops->done)
        p->ops->done(p);
    free(p);
    return STALE_DRAW;
}

void
app_message(struct app *a, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_error = error;
    a->message_user = 1;
    a->message_hook = 0;
}

void
pane_draw_rows(struct pane *p, struct app *a, int y, int h)
{
    struct scroll *sc = &p->sc;
    sc->height = h;
    if (sc->sel >= sc->n)
        sc->sel = sc->n > 0 ? sc->n - 1 : 0;
    if (sc->top > sc->sel && !sc->no_cursor)
        sc->top = sc->sel;
    if (sc->sel >= sc->top + h && !sc->no_cursor)
        sc->top = sc->sel - h + 1;
    for (int r = 0; r < h; r++) {
        long i = sc->top + r;
        if (i < sc->n)
            p->ops->draw_row(p, a, i, y + r, !sc->no_cursor && i == sc->sel);
        else
            draw_fill(y + r, 0, COLS, draw_attr(COL_NORMAL));
    }
}

static void
draw_pane(struct pane *p, struct app *a, int y, int h)
{
    if (p->ops->draw)
        p->ops->draw(p, a, y, h);
    else
        pane_draw_rows(p, a, y, h);
}

static void
app_draw(struct app *a)
{
    if (a->depth == 0)
        return;
    erase();
    header_draw(a);
    int base = a->depth - 1;
    while (base > 0 && a->stack[base]->ops->overlay)
        base--;
    int body = LINES - 2;
    for (int i = base; i < a->depth; i++)
        draw_pane(a->stack[i], a, 1, body > 0 ? body : 0);
    struct pane *top = app_top(a);
    char hint[256] = "";
    if (top)
        keys_hint(a, top->ops->ctx, top->ops->modal, hint, sizeof hint);
    status_draw(a, hint);
    wnoutrefresh(stdscr);
    doupdate();
}

void
app_refresh(struct app *a)
{
    app_draw(a);
}

static unsigned
dispatch(struct app *a, int key)
{
    unsigned stale = STALE_DRAW;
    struct pane *p = app_top(a);
    if (!p)
        return STALE_QUIT;
    if (key == K_FN(KEY_RESIZE))
        return STALE_SCREEN | STALE_DRAW;
    if (p->ops->input && p->ops->input(p, a, key, &stale))
        return stale;
    enum action act = keys_lookup(a, p->ops->ctx, p->ops->modal, key);
    if (act == ACT_NONE) {
        char name[16];
        app_message(a, 1, _("%s: no action here (? lists the keys)"), keys_name(key, name));
        return stale;
    }
    if (p->ops->handle)
        act = p->ops->handle(p, a, act, &stale);
    if (act != ACT_NONE && !p->ops->modal)
        stale |= actions_generic(a, p, act);
    return stale;
}

static void
apply_stale(struct app *a, unsigned stale)
{
    if (stale & STALE_QUIT)
        a->quit = 1;
    if (stale & STALE_RELOAD)
        for (int i = 0; i < a->depth; i++)
            if (a->stack[i]->ops->open)
                stale |= a->stack[i]->ops->open(a->stack[i], a);
    if (stale & (STALE_HEADER | STALE_RELOAD))
        header_reload(a);
    if (stale & STALE_SCREEN)
        clearok(curscr, TRUE);
}

/* The scan thread queued events: drain them, reload what changed, ring the bell. */
static unsigned
scan_wake(struct app *a)
{
    struct ui_scan_status *st = &a->scan_status;
    st->new_findings = 0;
    st->bells = 0;
    st->event[0] = '\0';
    a->scan->drain(a->scan->ctx, st);
    /* A background event never hides the answer to the user's last key (until the next). */
    if (st->event[0] && !(a->message[0] && a->message_user)) {
        app_message(a, 0, "%s", st->event);
        a->message_user = 0;
    }
    if (st->bells > 0)
        beep();
    return STALE_DRAW | STALE_HEADER | (st->new_findings > 0 ? STALE_RELOAD : 0);
}

static int
read_key(int *key)
{
    wint_t wc;
    int r = get_wch(&wc);
    if (r == ERR)
        return 0;
    *key = r == KEY_CODE_YES ? K_FN((int)wc) : (int)wc;
    return 1;
}

static double
mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Another analyst or a watcher committed to the shared store: reload what is shown (list,
 * details, header), at most every LIVE_GAP_S so a busy watcher does not keep the UI
 * reloading; a change inside the gap is applied when it ends (*wait_ms). */
#define LIVE_GAP_S 0.5
static unsigned
live_changes(struct app *a, int fd, int *pending, double *last, int *wait_ms)
{
    *wait_ms = -1;
    if (fd < 0)
        return 0;
    struct akw_err err;
    akw_err_clear(&err);
    int c = store_changed(a->st, &err);
    if (c < 0 && !a->message[0] && !store_lost(a->st))
        app_message(a, 1, "%s", err.msg);
    *pending |= c > 0;
    if (!*pending)
        return 0;
    double now = mono_s(), left = *last + LIVE_GAP_S - now;
    if (left > 0) {
        *wait_ms = (int)(left * 1000) + 1;
        return 0;
    }
    *pending = 0;
    *last = now;
    return STALE_RELOAD | STALE_HEADER | STALE_DRAW;
}

/* The shared store's server went away (restarted, network down): say so on the status
 * line until it is back, try again with backoff (never blocking the keys for longer than
 * one connection attempt), then LISTEN again and reload what is shown. */
struct lost {
    int down;
    unsigned attempt, seed;
    double next; /* monotonic time of the next attempt */
};

static void
lost_say(struct app *a)
{
    app_message(a, 1, "%s", _("store connection lost — reconnecting…"));
    a->message_user = 0;
}

/* Notice the loss after a failed store call; returns non-zero when the store is lost. */
static int
lost_check(struct app *a, struct lost *l, int *live)
{
    if (l->down || !store_lost(a->st))
        return l->down;
    l->down = 1;
    l->attempt = 0;
    l->next = mono_s(); /* at once: a restart is often over by then */
    *live = -1;
    lost_say(a);
    return 1;
}

/* Try again when due; *wait_ms is shortened to the next attempt. */
static unsigned
lost_retry(struct app *a, struct lost *l, int *live, int *wait_ms)
{
    if (!l->down)
        return 0;
    double now = mono_s();
    if (now >= l->next) {
        struct akw_err err;
        akw_err_clear(&err);
        if (store_reconnect(a->st, &err) == AKW_OK) {
            struct akw_err lerr;
            akw_err_clear(&lerr);
            *live = store_listen(a->st, &lerr);
            l->down = 0;
            app_message(a, 0, "%s", _("store connection back"));
            a->message_user = 0;
            return STALE_RELOAD | STALE_HEADER | STALE_DRAW;
        }
        l->next = now + store_backoff(l->attempt++, 0, &l->seed);
        now = mono_s();
    }
    if (!a->message[0])
        lost_say(a);
    int ms = (int)((l->next - now) * 1000) + 1;
    if (*wait_ms < 0 || ms < *wait_ms)
        *wait_ms = ms;
    return STALE_DRAW;
}

static void
loop(struct app *a, int sig_fd)
{
    app_draw(a);
    timing_log("first_screen");
    struct akw_err lerr;
    akw_err_clear(&lerr);
    int live = store_listen(a->st, &lerr); /* -1: a file, nobody else tells */
    if (live < 0 && lerr.msg[0])
        app_message(a, 1, "%s", lerr.msg);
    int live_pending = 0, wait_ms = -1;
    double live_last = 0;
    struct lost lost = {.seed = (unsigned)getpid()};
    while (!a->quit && !term_signalled()) {
        testdump_write(a, 1);
        int wake = (a->scan && a->scan->wake_fd >= 0) ? a->scan->wake_fd : -1; /* rescan moves it */
        unsigned stale = live_changes(a, live, &live_pending, &live_last, &wait_ms);
        lost_check(a, &lost, &live);
        stale |= lost_retry(a, &lost, &live, &wait_ms);
        if (stale) {
            apply_stale(a, stale);
            app_draw(a);
            testdump_write(a, 1);
        }
        struct pollfd fds[5 + UI_MAX_HOOKS] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = sig_fd, .events = POLLIN},
            {.fd = wake, .events = POLLIN}, /* poll() skips a negative fd */
            {.fd = a->vjob_pipe[0], .events = POLLIN},
            {.fd = live, .events = POLLIN},
        };
        int nfds = 5 + hook_pollfds(a, fds + 5, UI_MAX_HOOKS);
        int hook_ms = hook_wait_ms(a), timeout = wait_ms;
        if (hook_ms >= 0 && (timeout < 0 || hook_ms < timeout))
            timeout = hook_ms;
        int r = poll(fds, (nfds_t)nfds, timeout);
        if (r < 0 && errno != EINTR)
            break;
        if (term_signalled())
            break;
        stale = 0;
        if (r > 0 && (fds[4].revents & (POLLIN | POLLHUP | POLLERR))) {
            stale |= live_changes(a, live, &live_pending, &live_last, &wait_ms);
            if (lost_check(a, &lost, &live))
                stale |= STALE_DRAW;
        }
        if (r > 0 && (fds[1].revents & POLLIN) && term_take_resize())
            stale |= STALE_SCREEN | STALE_DRAW;
        if (wake >= 0 && r > 0 && (fds[2].revents & POLLIN))
            stale |= scan_wake(a);
        if (r > 0 && (fds[3].revents & POLLIN))
            stale |= recheck_wake(a);
        if (hook_running(a)) {
            stale |= hook_service(a);
            if (a->quit_pending && !hook_running(a))
                stale |= actions_quit(a);
        }
        if (a->quit) {
            testdump_write(a, -1);
            break;
        }
        if (stale) {
            apply_stale(a, stale);
            app_draw(a);
        }
        if (r > 0 && (fds[0].revents & (POLLHUP | POLLERR)) && !(fds[0].revents & POLLIN))
            break; /* the terminal went away */
        int key;
        while (!a->quit && !term_signalled() && read_key(&key)) {
            timing_mark();
            a->keys += key != K_FN(KEY_RESIZE); /* tests count the keys they send */
            a->message[0] = '\0';
            apply_stale(a, dispatch(a, key));
            if (lost.down && !a->message[0]) /* a key clears the line; the loss stays */
                lost_say(a);
            if (a->quit) {
                testdump_write(a, -1);
                break;
            }
            app_draw(a);
            char what[40], name[16];
            snprintf(what, sizeof what, "key=%s", keys_name(key, name));
            timing_log(what);
            testdump_write(a, 0);
        }
    }
}

static const char *
user_name(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "akwatch";
}

struct window_change {
    struct app *a;
    const char *v[3]; /* window, days, tz */
};

static void
apply_window(void *arg)
{
    struct window_change *c = arg;
    struct app *a = c->a;
    char **field[3] = {&a->cfg_live.window, &a->cfg_live.days, &a->cfg_live.tz};
    for (int i = 0; i < 3; i++) {
        char *old = a->cfg_own[i];
        a->cfg_own[i] = c->v[i] && *c->v[i] ? xstrdup(c->v[i]) : NULL;
        *field[i] = a->cfg_own[i];
        free(old); /* after: v[i] may be the old string itself */
    }
}

int
app_set_notify_window(struct app *a, const char *window, const char *days, const char *tz)
{
    if (!a->cfg)
        return 0;
    struct window_change c = {a, {window, days, tz}};
    if (a->scan && a->scan->reconfigure && a->scan->wake_fd >= 0) {
        a->scan->reconfigure(a->scan->ctx, apply_window, &c);
        return 1;
    }
    apply_window(&c);
    return 0;
}

enum confidence
app_min_confidence(const struct app *a)
{
    return a->cfg && a->cfg->min_confidence ? a->cfg->min_confidence : CONFIDENCE_MEDIUM;
}

static void
key_error(const char *msg, void *user)
{
    (void)user;
    fprintf(stderr, "akwatch: %s\n", msg);
}

int
ui_run(const struct ui_opts *opts)
{
    timing_mark();
    struct app a;
    memset(&a, 0, sizeof a);
    struct ui_opts o = *opts; /* the scan gets the app's copy of the config */
    if (opts->cfg) {
        a.cfg_live = *opts->cfg;
        a.cfg = o.cfg = &a.cfg_live;
    }
    a.scan = opts->scan;
    a.all_confidence = opts->all_confidence;
    a.who = user_name();
    a.db_path = opts->db_path;
    a.vjob_pipe[0] = a.vjob_pipe[1] = -1;
    if (keys_build(a.cfg, &a.bindings, &a.n_bindings, key_error, NULL) > 0) {
        free(a.bindings);
        return 2; /* nothing opened yet */
    }
    struct akw_err err;
    akw_err_clear(&err);
    if (store_open(opts->db_path, 0, &a.st, &err) != AKW_OK) {
        free(a.bindings);
        fprintf(stderr, "akwatch: %s\n", err.msg);
        return 2;
    }
    if (opts->rules_dir && detect_rules_load_meta(opts->rules_dir, &a.rules, &err) != AKW_OK) {
        a.rules = NULL; /* the details pane falls back to the advice of the kind */
        app_message(&a, 1, "%s", err.msg);
        akw_err_clear(&err);
    }
    if (!a.scan && opts->start_scan) {
        a.own_scan = a.scan = scanlink_start(&o, &err);
        if (!a.scan && err.code != AKW_ERR_USAGE && err.msg[0]) /* USAGE: nothing to scan */
            app_message(&a, 1, _("The background scan did not start: %s"), err.msg);
    }
    a.scan_status.state = (a.scan && a.scan->wake_fd >= 0) ? UI_SCAN_IDLE : UI_SCAN_OFF;
    int sig_fd;
    if (term_start(&a, &sig_fd) != 0) {
        free(a.bindings);
        scanlink_stop(a.own_scan);
        store_close(a.st);
        detect_rules_free(a.rules);
        return 2;
    }
    testdump_init();
    header_reload(&a);
    app_push(&a, pane_list_new());
    loop(&a, sig_fd);
    int sig = term_signalled();
    if (a.own_scan) { /* joining the thread may take a moment */
        app_message(&a, 0, "%s", _("Stopping the scan..."));
        app_refresh(&a);
    }
    hook_kill_all(&a); /* a signal: the hooks still running are killed and recorded */
    while (a.depth > 0)
        app_pop(&a);
    term_stop();
    recheck_stop(&a);
    scanlink_stop(a.own_scan);
    store_close(a.st);
    detect_rules_free(a.rules);
    for (int i = 0; i < 3; i++)
        free(a.cfg_own[i]);
    hook_free_all(&a);
    free(a.bindings);
    timing_done();
    return sig ? 128 + sig : 0;
}
