/* ui_priv — what the files of src/ui share: the app (store, pane stack, header state), the
 * pane interface, key contexts, stale flags, drawing helpers. Never included outside
 * src/ui. Everything here is UI-thread only.
 */
#ifndef AKW_UI_PRIV_H
#define AKW_UI_PRIV_H

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <curses.h>

#include "config/conf.h"
#include "detect/detect.h"
#include "store/store.h"
#include "ui/actions.h"
#include "ui/ui.h"

/* ---- keys -------------------------------------------------------------- */
/* A key is a character (its wide value) or a curses function key offset by UI_KEY_FN. */
#define UI_KEY_FN 0x200000
#define K_FN(k) (UI_KEY_FN + (k))
#define K_CTRL(c) ((c) & 0x1f)
#define K_ESC 27

enum key_context {
    KC_GENERIC = 0, /* every pane, looked up after the pane's own context */
    KC_LIST,
    KC_DETAILS,
    KC_PROCESSING,
    KC_WHITELIST,
    KC_MENU,
    KC_HELP,
    KC_DIALOG,
    KC_SETTINGS,
    KC__COUNT,
};

struct binding {
    enum key_context ctx;
    int key;
    enum action action;
};

struct app;
/* The binding of key in the bindings in force (a's; the defaults when a is NULL or has
 * none): the pane's context first, then KC_GENERIC (unless the pane is modal or the key is
 * bound to `none` in the pane's context). ACT_NONE when unbound. */
enum action keys_lookup(const struct app *a, enum key_context ctx, int modal, int key);
/* "j", "Down", "PgDn", "Enter", "Tab", "Esc", "F2", "^L"; out holds >= 16 bytes. */
const char *keys_name(int key, char out[16]);
/* The bindings in force and their count (for the help screen); ACT_NONE entries are
 * keys the user unbound. */
const struct binding *keys_table(const struct app *a, size_t *n);
const char *keys_context_title(enum key_context ctx);
/* The status line's key hints of a context ("Enter:open  p:process  ..."), with the keys
 * in force, translated, into out (n bytes). */
void keys_hint(const struct app *a, enum key_context ctx, int modal, char *out, size_t n);
/* "generic", "list", ... (the [keys] bind words). */
const char *keys_context_name(enum key_context ctx);
/* The default table with cfg's [keys] bind lines applied in order, into *out (caller
 * frees; also on errors, then without the bad lines). Each bad line is reported through cb
 * as "FILE:LINE: [keys] bind: unknown action 'x'"; returns how many were bad. */
int keys_build(const struct config *cfg, struct binding **out, size_t *n, keys_error_fn cb,
               void *user);

/* ---- stale flags (what an action made stale; the loop redraws/reloads) -- */
enum {
    STALE_DRAW = 1 << 0,   /* redraw (cheap, always done after a key) */
    STALE_RELOAD = 1 << 1, /* the store changed: every pane re-queries */
    STALE_HEADER = 1 << 2, /* re-read the header counts */
    STALE_SCREEN = 1 << 3, /* full repaint (resize, ^L) */
    STALE_QUIT = 1 << 4,
};

/* ---- panes -------------------------------------------------------------- */
/* Rows and scrolling of a pane: n rows, the first shown, the selected one. */
struct scroll {
    long n, top, sel;
    int height;     /* rows shown at the last draw */
    int no_cursor;  /* text panes: moving scrolls, nothing is selected */
};

struct app;
struct pane;

struct pane_ops {
    const char *name;    /* "list", "details", ... (test dump, help) */
    enum key_context ctx;
    int overlay;         /* drawn over the pane below (dialogs, menu) */
    int modal;           /* generic bindings do not apply (dialogs) */
    /* Query the store (at push, and again on STALE_RELOAD); keep the scroll position.
     * Returns stale flags. */
    unsigned (*open)(struct pane *p, struct app *a);
    /* Draw the pane in rows [y, y+h). NULL: the generic row drawer calls draw_row. */
    void (*draw)(struct pane *p, struct app *a, int y, int h);
    void (*draw_row)(struct pane *p, struct app *a, long i, int y, int selected);
    /* Handle an action; return ACT_NONE when done, or an action for the generic handler
     * (the same one, or another: tig's `default: return request;`). */
    enum action (*handle)(struct pane *p, struct app *a, enum action act, unsigned *stale);
    /* Raw keys for text entry: return 1 when consumed. NULL: keys go through bindings. */
    int (*input)(struct pane *p, struct app *a, int key, unsigned *stale);
    void (*dump)(struct pane *p, FILE *f);
    void (*done)(struct pane *p);
};

struct pane {
    const struct pane_ops *ops;
    struct scroll sc;
    void *priv;
};

/* An [actions] hook run in the background (hook.c). */
enum hook_state {
    HOOK_RUNNING = 0,
    HOOK_KILLING,        /* past the timeout, its group was sent SIGKILL */
    HOOK_QUITTING,       /* killed by the second q (or a signal), not yet reaped */
    HOOK_DONE,           /* exit 0 */
    HOOK_FAILED,         /* exit code != 0 */
    HOOK_SIGNALLED,      /* died of a signal it was not sent by us */
    HOOK_TIMED_OUT,      /* killed at [actions] hook_timeout */
    HOOK_KILLED_AT_QUIT,
    HOOK_ERROR,          /* pipe/fork failed (first says why) */
};
struct hook_job {
    int used;
    unsigned long seq;   /* start order */
    pid_t pid;           /* also its process group; 0 once reaped */
    int fd;              /* its stdout+stderr, non-blocking; -1 once closed */
    int64_t leak_id;
    char *ak_id;         /* owned; may be NULL */
    enum triage_action action;
    enum hook_state state;
    int code;            /* exit code or signal number */
    long started_ms, ended_ms; /* CLOCK_MONOTONIC */
    char out[1024];      /* the first bytes of its output */
    size_t out_n;
    char first[240];     /* its first non-empty output line */
};
#define UI_MAX_HOOKS 16

#define UI_MAX_PANES 8

struct app {
    struct store *st;
    const struct config *cfg; /* &cfg_live when a config was given, else NULL */
    struct config cfg_live;   /* a shallow copy of the borrowed config: its strings stay the
                                 caller's, except the [notify] window/days/tz the settings
                                 pane set (cfg_own) */
    char *cfg_own[3];         /* those strings (window, days, tz), owned, freed at exit */
    struct ui_scan *scan;
    struct ui_scan_status scan_status;
    struct store_stats stats;
    struct pane *stack[UI_MAX_PANES];
    int depth;
    char message[256];
    int message_error;
    int message_user; /* the message answers the user (a key), not a background event */
    unsigned long message_hook; /* the message is the decision that started this hook job
                                   (seq): the hook's outcome may replace it */
    int quit;
    int colors;
    unsigned long keys; /* keys handled so far (test dump) */
    struct ui_scan *own_scan; /* started by ui_run (scanlink), stopped at exit */
    const char *who;    /* user name for the audit log */
    const char *db_path; /* the store's file (the re-check job opens its own connection) */
    struct verify_job *vjob; /* the running re-check (recheck.c), NULL when none */
    int64_t vjob_leak;
    int vjob_pipe[2];   /* its wake-up pipe; -1 until the first re-check */
    struct detect_ruleset *rules; /* metadata only (providers, consoles, advice); owned;
                                     NULL when the rule files could not be read */
    int all_confidence; /* the list shows leaks below the confidence threshold too */
    struct hook_job hooks[UI_MAX_HOOKS]; /* [actions] hooks running or ended (hook.c) */
    unsigned long hook_seq;
    int quit_pending;   /* q with hooks running: quit once they end; q again kills them */
    struct binding *bindings; /* the bindings in force (defaults + [keys]); owned */
    size_t n_bindings;
};

/* [scan] min_confidence, or medium without a config: what the list shows by default. */
enum confidence app_min_confidence(const struct app *a);

/* Push a pane and open it (the pane is owned by the app from now on); pop closes the top
 * one. Both return stale flags. */
unsigned app_push(struct app *a, struct pane *p);
unsigned app_pop(struct app *a);
struct pane *app_top(const struct app *a);
/* Status-line message until the next key; a background scan event does not replace it. */
void app_message(struct app *a, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Use a new [notify] window, days and tz (NULL = none) from now on: in the app's config and,
 * through a restart, in the running background scan. Returns 1 when a running scan took
 * it, 0 when there is none. */
int app_set_notify_window(struct app *a, const char *window, const char *days, const char *tz);
/* Draw and flush now (before a slow step such as a command hook). */
void app_refresh(struct app *a);
/* The generic handler: moves, close/quit, help, menu, export, reload. */
unsigned actions_generic(struct app *a, struct pane *p, enum action act);
unsigned actions_quit(struct app *a);
/* Quit, after a confirmation when a scan is running. */
unsigned actions_request_quit(struct app *a);
unsigned actions_export(struct app *a);

struct pane *pane_new(const struct pane_ops *ops, void *priv);
/* The generic row drawer: keeps the cursor visible, calls draw_row for rows [y, y+h). */
void pane_draw_rows(struct pane *p, struct app *a, int y, int h);

/* ---- the panes ---------------------------------------------------------- */
struct pane *pane_list_new(void);
/* Leak id of the list's selected row, 0 when none. */
int64_t pane_list_selected(struct pane *p);
struct pane *pane_details_new(int64_t leak_id);
struct pane *pane_processing_new(int64_t leak_id);
struct pane *pane_whitelist_new(void);
struct pane *pane_help_new(void);
struct pane *pane_menu_new(void);
/* The notification settings of c (may be NULL): edit and save the [notify] window. */
struct pane *pane_settings_new(const struct config *c);

/* Dialogs: overlays on top of an owner pane. Callbacks get the owner (which stays below
 * the dialog while it is open) and return stale flags. */
typedef unsigned (*dialog_yes_fn)(struct app *a, struct pane *owner);
typedef unsigned (*dialog_text_fn)(struct app *a, struct pane *owner, const char *text);
/* "question (y/n)": y runs yes, n/Esc/q only closes. */
unsigned dialog_confirm(struct app *a, struct pane *owner, const char *question,
                        dialog_yes_fn yes);
/* A one-line text prompt at the bottom; Enter runs done with the UTF-8 text, Esc cancels. */
unsigned dialog_input(struct app *a, struct pane *owner, const char *prompt,
                      const char *initial, dialog_text_fn done);
/* A box with a title and text (may have several lines); any key closes it. */
unsigned dialog_message(struct app *a, const char *title, const char *text);

/* ---- header, status line ------------------------------------------------ */
void header_draw(struct app *a);
void status_draw(struct app *a, const char *hint);
unsigned header_reload(struct app *a);

/* ---- drawing ------------------------------------------------------------- */
enum {
    DRAW_PAD = 1 << 0,  /* fill the rest of the width with spaces */
    DRAW_TAIL = 1 << 1, /* too long: keep the end, "…" first (paths) */
    DRAW_ELLIPSIS = 1 << 2, /* too long: cut the end with "…" */
};
enum ui_color {
    COL_NORMAL = 0,
    COL_HEADER,
    COL_CRITICAL,
    COL_HIGH,
    COL_MEDIUM,
    COL_LOW,
    COL_OK,
    COL_ERROR,
    COL_TITLE,
    COL_DIM,
    COL__COUNT,
};
/* Text from the store (scanned files!) is sanitised here: control and escape characters
 * and invalid UTF-8 become '?', so nothing raw reaches the terminal. Returns the columns
 * used (at most width). */
int draw_text(int y, int x, const char *s, int width, attr_t attr, int flags);
/* Display width of s after sanitising. */
int draw_width(const char *s);
/* Byte length of the longest prefix of s that fits in width columns. */
size_t draw_fit(const char *s, int width);
void draw_fill(int y, int x, int width, attr_t attr);
/* Attribute for a colour role (A_BOLD/A_REVERSE fallbacks without colours). */
attr_t draw_attr(enum ui_color c);
const char *draw_severity_label(enum severity s);
/* "high", "med", "low" (translated, at most 4 columns); "" for none. */
const char *draw_confidence_label(enum confidence c);
enum ui_color draw_severity_color(enum severity s);
/* "Unhandled", "Deleted", "Disabled", "Whitelisted" (translated). */
const char *draw_status_label(enum leak_status st, enum handled_as h);
/* Local time "YYYY-MM-DD HH:MM" (date_only: "YYYY-MM-DD"); "-" for 0. */
void draw_time(time_t t, int date_only, char out[32]);
/* Draw a framed box (overlays); returns the inner origin and size. */
void draw_box(int y, int x, int h, int w, const char *title);

/* ---- terminal ---------------------------------------------------------- */
int term_start(struct app *a, int *sig_fd);
void term_stop(void);
int term_signalled(void); /* the quit signal (INT/TERM/HUP) that arrived, or 0 */
/* Empty the signal pipe; after a SIGWINCH, resize curses to the terminal and return 1. */
int term_take_resize(void);
extern int ui_has_colors;  /* set by term_start() */

/* Translated short label of a finding kind ("AccessKey", "Database"; scan/recommend). */
const char *kind_label(const char *kind);

/* ---- command hooks ([actions] on_deleted/on_disabled/on_whitelisted; hook.c) ---- */
const char *hook_command(const struct config *cfg, enum triage_action action);
/* [actions] hook_timeout, or 30. */
long hook_timeout_s(const struct config *cfg);
/* Start the hook of action on leak l in the background (nothing when none is configured).
 * Returns stale flags. */
unsigned hook_start(struct app *a, enum triage_action action, const struct leak *l);
/* For the loop: how many hooks run, their output fds (at most max, returns how many), and
 * the poll timeout they need (-1: none runs). hook_service reads their output, kills the
 * ones past the timeout, reaps and records the ended ones; stale flags. */
int hook_running(const struct app *a);
int hook_pollfds(const struct app *a, struct pollfd *fds, int max);
int hook_wait_ms(const struct app *a);
unsigned hook_service(struct app *a);
/* Kill every running hook's group, wait for it, record "killed at quit" (quit, signal). */
void hook_kill_all(struct app *a);
void hook_free_all(struct app *a);
/* The latest job of a leak (running or ended), NULL when none. */
const struct hook_job *hook_latest(const struct app *a, int64_t leak_id);
/* "running on_deleted… 3 s", "on_deleted done (exit 0): first line", "on_deleted killed
 * after 30 s"; translated = 0 gives the audit log's (English) words. */
void hook_describe(const struct hook_job *j, int translated, char *out, size_t n);
long hook_elapsed_s(const struct hook_job *j);

/* ---- live re-check of one leak (recheck.c) ------------------------------------ */
struct verify_job;
/* Start a forced re-check of leak_id on a thread of its own ("checking…" in the status
 * line); the loop calls recheck_wake() when vjob_pipe[0] is readable. Stale flags. */
unsigned recheck_start(struct app *a, int64_t leak_id);
unsigned recheck_wake(struct app *a);
void recheck_stop(struct app *a);

/* ---- the background scan (scanlink.c) ---------------------------------------- */
/* Start the scheduler for o (NULL with err set when no source is configured or it cannot
 * start: AKW_ERR_USAGE means "nothing to scan"). Stop joins the thread. */
struct ui_scan *scanlink_start(const struct ui_opts *o, struct akw_err *err);
void scanlink_stop(struct ui_scan *seam);

/* ---- test dump and timing ------------------------------------------------ */
void testdump_init(void);
/* idle: 1 waiting for a key, 0 just handled one, -1 quitting */
void testdump_write(struct app *a, int idle);
void timing_mark(void);                  /* a key was read / the run started */
void timing_log(const char *what);       /* "what ms=N" since the mark */
void timing_done(void);                  /* peak RSS */

#endif
