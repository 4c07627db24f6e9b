/* scan_github — `akwatch scan --github [--once]` and the loop `watch` shares: starts the
 * scan scheduler, prints each new finding as it is recorded, keeps a one-line progress
 * display on a terminal (nothing when stderr is not a tty or with --quiet), and stops
 * cleanly within a second on SIGINT/SIGTERM. The scanning itself lives in src/scan/.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/github_cli.h"
#include "notify/notify.h"
#include "scan/sched.h"

static struct sched *volatile running; /* for the signal handler only */
static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
    got_signal = sig;
    if (running)
        sched_cancel(running); /* async-signal-safe: a flag and a write(2) */
}

static void
signals(int install)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = install ? on_signal : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int
cli_argv_has(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], flag) == 0)
            return 1;
    return 0;
}

static void
progress_line(const struct sched_status *s, int show)
{
    if (!show)
        return;
    char what[96] = "";
    if (s->state == SCHED_RATE_LIMITED && s->limited_until) {
        struct tm tm;
        char hm[16];
        time_t t = s->limited_until;
        localtime_r(&t, &tm);
        strftime(hm, sizeof hm, "%H:%M:%S", &tm);
        snprintf(what, sizeof what, _("rate-limited until %s"), hm);
    } else if (s->state == SCHED_WAITING && s->next_poll) {
        struct tm tm;
        char hm[16];
        time_t t = s->next_poll;
        localtime_r(&t, &tm);
        strftime(hm, sizeof hm, "%H:%M:%S", &tm);
        snprintf(what, sizeof what, _("idle, next poll %s"), hm);
    } else {
        snprintf(what, sizeof what, "%s%s%s", sched_state_name(s->state),
                 s->source[0] ? " " : "", s->source);
    }
    char line[200];
    snprintf(line, sizeof line,
             _("%s · %ld events · %ld commits · %ld files · %ld findings (%ld new) · %ld requests"),
             what, s->events, s->commits, s->files, s->findings, s->new_leaks, s->requests);
    fputs("\r\033[K", stderr);
    cli_fit(stderr, line, 79, 0); /* by display width: a byte cut could split a character */
    fflush(stderr);
}

/* The display width of the widest finding tag, so the text after it lines up in any
 * language ("NEW OWNED" is 9 bytes and 9 columns; "新增 本方" 13 bytes and 9 columns). */
static int
tag_width(void)
{
    static int w;
    if (!w) {
        const char *const tags[] = {_("NEW OWNED"), _("NEW"), _("AGAIN")};
        for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
            if (cli_width(tags[i]) > w)
                w = cli_width(tags[i]);
    }
    return w;
}

/* The error lines already printed, so the error that ends the run (the last one a source
 * reported) is not printed a second time. */
struct shown {
    char (*v)[sizeof ((struct sched_event *)0)->text];
    size_t n;
};

static int
shown_has(const struct shown *sh, const char *msg)
{
    for (size_t i = 0; i < sh->n; i++) {
        /* "SOURCE: MSG" (maybe cut at the event's size) or MSG itself */
        const char *t = sh->v[i], *colon = strstr(t, ": ");
        if (strcmp(t, msg) == 0 || (colon && strncmp(colon + 2, msg, strlen(colon + 2)) == 0))
            return 1;
    }
    return 0;
}

static void
print_event(const struct sched_event *ev, int quiet, int tty, struct shown *sh)
{
    const char *tag = NULL;
    switch (ev->kind) {
    case SCHED_EV_FINDING:
        tag = ev->new_leak ? (ev->owned ? _("NEW OWNED") : _("NEW")) : _("AGAIN");
        if (tty)
            fputs("\r\033[K", stderr);
        cli_pad(stdout, tag, tag_width());
        printf(" %s\n", ev->text);
        fflush(stdout);
        break;
    case SCHED_EV_GAP:
    case SCHED_EV_STORE:
    case SCHED_EV_ERROR:
        if (!quiet) {
            if (tty)
                fputs("\r\033[K", stderr);
            fprintf(stderr, "akwatch: %s\n", ev->text);
            if (ev->kind == SCHED_EV_ERROR && sh->n < 256) {
                sh->v = xrealloc(sh->v, (sh->n + 1) * sizeof *sh->v);
                memcpy(sh->v[sh->n++], ev->text, sizeof ev->text);
            }
        }
        break;
    default:
        break;
    }
}

static void
summary(const struct sched_status *s, time_t started)
{
    long secs = (long)(time(NULL) - started);
    if (s->skipped > 0) { /* each file was named on its own line as it was skipped */
        fprintf(stderr,
                ngettext("github: %ld events, %ld commits, %ld files, %ld findings (%ld new "
                         "leaks), %ld gaps, %ld requests in %lds; %ld file could not be "
                         "fetched\n",
                         "github: %ld events, %ld commits, %ld files, %ld findings (%ld new "
                         "leaks), %ld gaps, %ld requests in %lds; %ld files could not be "
                         "fetched\n",
                         s->skipped),
                s->events, s->commits, s->files, s->findings, s->new_leaks, s->gaps,
                s->requests, secs, s->skipped);
        return;
    }
    fprintf(stderr,
            _("github: %ld events, %ld commits, %ld files, %ld findings (%ld new leaks), "
              "%ld gaps, %ld requests in %lds\n"),
            s->events, s->commits, s->files, s->findings, s->new_leaks, s->gaps, s->requests,
            secs);
}

static long
unhandled_count(struct cli_ctx *ctx)
{
    struct store *st = NULL;
    long n = 0;
    if (cli_store(ctx, 1, 1, &st) != 0 || !st)
        return 0;
    struct leak_filter f = {.status_mask = 1 << LEAK_STATUS_UNHANDLED};
    store_leak_count(st, &f, &n, NULL);
    store_close(st);
    return n;
}

int
cli_github_loop(struct cli_ctx *ctx, int once, int watch)
{
    const struct config *cfg;
    if (cli_config(ctx, &cfg) != 0)
        return CLI_ERROR;
    /* a store that cannot be opened (a server that cannot be reached, a foreign file) is
     * said once, before any scanning: one line, exit 2 */
    char *db = cli_db_path(ctx);
    if (store_location_is_url(db)) {
        struct store *probe = NULL;
        int prc = cli_store(ctx, 0, 0, &probe);
        store_close(probe);
        if (prc != 0) {
            free(db);
            return prc;
        }
    }
    char *rules = xasprintf("%s/rules", akw_data_dir());
    struct sched_opts o = {.db_path = db, .rules_dir = rules, .cfg = cfg, .once = once};
    const char *t = getenv("AKWATCH_HTTP_TIMEOUT"); /* seconds; tests shorten it */
    if (t && atol(t) > 0)
        o.http_timeout_s = atol(t);
    struct akw_err err = {0};
    struct sched *s = NULL;
    int rc = CLI_OK;
    if (sched_new(&o, &s, &err) != AKW_OK || sched_start(s, &err) != AKW_OK) {
        rc = cli_fail_err(&err);
        goto out;
    }
    int tty = isatty(2) && !ctx->quiet;
    time_t started = time(NULL);
    running = s;
    signals(1);
    struct sched_status status;
    struct shown shown = {0};
    for (int done = 0; !done;) {
        struct pollfd p = {.fd = sched_fd(s), .events = POLLIN};
        if (poll(&p, 1, 1000) < 0 && errno != EINTR)
            break;
        struct sched_event evs[64];
        size_t n;
        while ((n = sched_drain(s, evs, 64)) > 0)
            for (size_t i = 0; i < n; i++) {
                print_event(&evs[i], ctx->quiet, tty, &shown);
                done |= evs[i].kind == SCHED_EV_DONE;
            }
        sched_status(s, &status);
        progress_line(&status, tty);
        if (notify_bell_take() > 0 && isatty(2)) /* the bell channel, on a terminal */
            fputc('\a', stderr);
    }
    enum akw_status st = sched_join(s, &err);
    signals(0);
    running = NULL;
    sched_status(s, &status);
    if (tty)
        fputs("\r\033[K", stderr);
    if (!ctx->quiet)
        summary(&status, started);
    if (st != AKW_OK && st != AKW_ERR_CANCEL)
        rc = shown_has(&shown, err.msg) ? CLI_ERROR : cli_fail_err(&err);
    else if (!watch && unhandled_count(ctx) > 0)
        rc = CLI_FOUND;
    free(shown.v);
out:
    sched_free(s);
    free(db);
    free(rules);
    return rc;
}

int
cli_scan_github(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"github", no_argument, NULL, 'G'},
        {"once", no_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    int once = 0, code, c;
    while ((c = cli_getopt(ctx, argc, argv, "", opts, &code)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return code;
        if (c == 'o')
            once = 1;
    }
    if (optind < argc)
        return cli_usage_error(ctx, argv[optind], _("scan --github takes no PATH"));
    return cli_github_loop(ctx, once, 0);
}
