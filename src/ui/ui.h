/* ui — the ncurses terminal UI over the store: list, details, processing, whitelist, help
 * and menu panes, driven from the keyboard. The only layer that includes <curses.h>.
 *
 *   app.c        the loop: poll() stdin + signal pipe + the scan wake fd, dispatch, redraw
 *   term.c       terminal setup/teardown, signals (endwin on every exit path), colours
 *   keys.c       default bindings {context, key, action}, [keys] bind over them, lookup,
 *                the status line's key hints, key names
 *   actions.c    the action table (from actions.def), generic actions (move, page, quit)
 *   draw.c       display-width text output (wcwidth; CJK), control characters replaced
 *   header.c     header (counts, platform, last detection, scan state) and status line
 *   pane_*.c     one file per pane; help.c, menu.c, dialog.c are panes too
 *   hook.c       [actions] command hooks run after a triage decision
 *   testdump.c   AKWATCH_TEST_DUMP model dump and AKWATCH_TUI_TIMING timing log
 *
 * Threads: everything here runs on the UI thread. The scan thread talks to the UI only
 * through struct ui_scan (a wake fd plus callbacks that take their own lock).
 */
#ifndef AKW_UI_H
#define AKW_UI_H

#include <time.h>

struct config;

/* What the header shows of the background scan. */
enum ui_scan_state {
    UI_SCAN_OFF = 0,      /* no scan configured, or --no-scan */
    UI_SCAN_IDLE,         /* waiting for the next poll */
    UI_SCAN_RUNNING,
    UI_SCAN_RATE_LIMITED, /* until `until` */
    UI_SCAN_OFFLINE,
    UI_SCAN_ERROR,        /* text says why */
    UI_SCAN_STOPPED,
};

struct ui_scan_status {
    enum ui_scan_state state;
    time_t until;       /* RATE_LIMITED: when the budget resets; IDLE: next poll (0 = ?) */
    char source[16];    /* RUNNING: "search" | "events" | "repos" */
    char text[300];     /* ERROR: why */
    char event[300];    /* the latest notable event for the status line ("" = none) */
    long new_findings;  /* findings stored since the last drain */
    unsigned bells;     /* terminal bells the notifier asked for since the last drain */
};

/* The seam to a background scan. The UI polls wake_fd (readable = events are queued) and
 * calls drain, which empties wake_fd and the queue into *st (new_findings, bells, event are
 * reset by the UI before each call). rescan may be NULL (menu entry disabled) and may
 * change wake_fd. Every callback runs on the UI thread. scanlink.c adapts src/scan's
 * scheduler to it; tests or other front ends may pass their own. */
struct buf;
struct ui_scan {
    int wake_fd;
    void (*drain)(void *ctx, struct ui_scan_status *st);
    void (*rescan)(void *ctx);
    /* Append a few lines for the menu's "Scan status" box (state, counters, the API
     * budget of each token); may be NULL. */
    void (*describe)(void *ctx, struct buf *out);
    /* Stop the scan, call apply(arg) (which changes the config the scan was started with),
     * and start it again with the change; may be NULL (then the caller applies directly). */
    void (*reconfigure)(void *ctx, void (*apply)(void *arg), void *arg);
    void *ctx;
};

struct ui_opts {
    const char *db_path;      /* the store to open (required) */
    const struct config *cfg; /* borrowed; [actions] hooks, [notify], [github]; may be NULL */
    const char *rules_dir;    /* rules for the background scan */
    int start_scan;           /* run the GitHub scan thread when cfg has sources */
    long http_timeout_s;      /* scan tuning (0 = default) */
    struct ui_scan *scan;     /* borrowed; an external scan instead of start_scan; may be NULL */
    int all_confidence;       /* list the leaks below [scan] min_confidence too (`c` toggles) */
};

/* Check cfg's [keys] bind lines (context, key and action names): each bad one is reported
 * through cb (may be NULL) as "FILE:LINE: [keys] bind: unknown action 'x'". Returns how
 * many were bad. ui_run checks the same and refuses to start (exit 2). */
typedef void (*keys_error_fn)(const char *msg, void *user);
int ui_keys_check(const struct config *cfg, keys_error_fn cb, void *user);

/* Run the TUI until the user quits or a signal (INT, TERM, HUP) arrives. Restores the
 * terminal on every path. Returns the exit code: 0 after a quit, 128 + the signal number
 * after a signal, 2 when the store cannot be opened or stdin/stdout is not a terminal
 * (message on stderr), or when a [keys] binding is bad (file:line on stderr).
 * Call from the main thread. */
int ui_run(const struct ui_opts *opts);

#endif
