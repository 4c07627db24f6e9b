/* term — terminal setup and teardown: curses modes, colours, and signal handling so the
 * terminal is restored on every exit path (quit, error, Ctrl-C, SIGTERM, a crash).
 * Does not draw (draw.c) or read keys (app.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui/ui_priv.h"

int ui_has_colors;

static volatile sig_atomic_t term_active;
static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t winch_pending;
static int sig_pipe[2] = {-1, -1};
static SCREEN *screen;

static void
on_quit_signal(int sig)
{
    int saved = errno;
    quit_signal = sig;
    if (sig_pipe[1] >= 0) {
        ssize_t r = write(sig_pipe[1], "q", 1);
        (void)r;
    }
    errno = saved;
}

/* Our own SIGWINCH handler (not curses'): a resize during a key's handling would set curses'
 * flag while nothing polls, and the UI would sleep in poll() with a stale size. The byte on
 * the signal pipe wakes poll() whenever it comes. */
static void
on_winch(int sig)
{
    int saved = errno;
    (void)sig;
    winch_pending = 1;
    if (sig_pipe[1] >= 0) {
        ssize_t r = write(sig_pipe[1], "w", 1);
        (void)r;
    }
    errno = saved;
}

/* A crash: give the terminal back before dying (htop's CRT_handleSIGSEGV, tig's
 * die_callback). endwin() is not async-signal-safe, but the process is lost anyway and a
 * raw-mode terminal is worse than the small risk. */
static void
on_fatal_signal(int sig)
{
    if (term_active) {
        term_active = 0;
        endwin();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
at_exit(void)
{
    term_stop();
}

static void
colors_start(void)
{
    static const short pairs[COL__COUNT][2] = {
        [COL_HEADER] = {COLOR_WHITE, COLOR_BLUE}, [COL_CRITICAL] = {COLOR_RED, -1},
        [COL_HIGH] = {COLOR_YELLOW, -1},          [COL_MEDIUM] = {COLOR_CYAN, -1},
        [COL_LOW] = {-1, -1},                     [COL_OK] = {COLOR_GREEN, -1},
        [COL_ERROR] = {COLOR_RED, -1},            [COL_TITLE] = {-1, -1},
        [COL_DIM] = {COLOR_BLUE, -1},
    };
    ui_has_colors = has_colors() && getenv("NO_COLOR") == NULL;
    if (!ui_has_colors)
        return;
    start_color();
    int def = use_default_colors() == OK;
    for (int i = 1; i < COL__COUNT; i++) {
        short fg = pairs[i][0], bg = pairs[i][1];
        if (!def) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        init_pair((short)i, fg, bg);
    }
}

static void
signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_quit_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    sa.sa_handler = on_fatal_signal;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

int
term_start(struct app *a, int *sig_fd)
{
    (void)a;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "%s\n", _("akwatch: the TUI needs a terminal (stdin and stdout)"));
        return -1;
    }
    if (pipe(sig_pipe) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK);
    }
    screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        fprintf(stderr, "%s\n", _("akwatch: cannot initialise the terminal (is TERM set?)"));
        return -1;
    }
    term_active = 1;
    atexit(at_exit);
    signals_install();
    set_escdelay(25);
    cbreak(); /* Ctrl-C still raises SIGINT, which quits cleanly */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    colors_start();
    *sig_fd = sig_pipe[0];
    return 0;
}

void
term_stop(void)
{
    if (!term_active)
        return;
    term_active = 0;
    endwin();
    if (screen) {
        delscreen(screen);
        screen = NULL;
    }
    for (int i = 0; i < 2; i++)
        if (sig_pipe[i] >= 0) {
            close(sig_pipe[i]);
            sig_pipe[i] = -1;
        }
}

int
term_signalled(void)
{
    return quit_signal;
}

int
term_take_resize(void)
{
    char buf[64];
    while (sig_pipe[0] >= 0 && read(sig_pipe[0], buf, sizeof buf) > 0)
        ;
    if (!winch_pending)
        return 0;
    winch_pending = 0;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    return 1;
}
