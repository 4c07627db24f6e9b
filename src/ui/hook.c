/* hook — the [actions] command hooks (on_deleted, on_disabled, on_whitelisted), run in the
 * background after a triage decision: /bin/sh -c in a process group of its own, with
 * AKWATCH_AK_ID, AKWATCH_LEAK_ID and AKWATCH_ACTION in its environment (never the secret),
 * stdin from /dev/null, stdout and stderr on a non-blocking pipe the UI loop polls with the
 * keyboard. At [actions] hook_timeout (30 s) the whole group is killed. When a hook ends,
 * its outcome (exit status and first output line, or the kill) is written to the leak's
 * audit log (store_audit_note) and shown on the status line; the processing pane shows the
 * latest job of its leak. Does not decide anything (pane_processing.c does).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/conf.h"
#include "ui/ui_priv.h"

#define HOOK_DEFAULT_TIMEOUT_S 30
#define HOOK_REAP_MS 20 /* recheck this soon once the output closed or the group was killed */

const char *
hook_command(const struct config *cfg, enum triage_action action)
{
    if (!cfg)
        return NULL;
    const char *cmd = action == TRIAGE_DELETED       ? cfg->on_deleted
                      : action == TRIAGE_DISABLED    ? cfg->on_disabled
                      : action == TRIAGE_WHITELISTED ? cfg->on_whitelisted
                                                     : NULL;
    return cmd && *cmd ? cmd : NULL;
}

long
hook_timeout_s(const struct config *cfg)
{
    return cfg && cfg->hook_timeout > 0 ? cfg->hook_timeout : HOOK_DEFAULT_TIMEOUT_S;
}

static long
now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* In the child: never returns. */
static void
child(const char *cmd, int out_fd, enum triage_action action, int64_t leak_id,
      const char *ak_id)
{
    char id[32];
    setpgid(0, 0); /* a group of its own: the timeout kills what it started too */
    snprintf(id, sizeof id, "%lld", (long long)leak_id);
    setenv("AKWATCH_AK_ID", ak_id ? ak_id : "", 1);
    setenv("AKWATCH_LEAK_ID", id, 1);
    setenv("AKWATCH_ACTION", triage_action_name(action), 1);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGWINCH, SIG_DFL);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
}

/* A free slot: an unused one, else the oldest finished job. NULL when all run. */
static struct hook_job *
free_slot(struct app *a)
{
    struct hook_job *old = NULL;
    for (int i = 0; i < UI_MAX_HOOKS; i++) {
        struct hook_job *j = &a->hooks[i];
        if (!j->used)
            return j;
        if (j->state != HOOK_RUNNING && (!old || j->seq < old->seq))
            old = j;
    }
    if (old)
        free(old->ak_id);
    return old;
}

static void
record(struct app *a, struct hook_job *j);

unsigned
hook_start(struct app *a, enum triage_action action, const struct leak *l)
{
    const char *cmd = hook_command(a->cfg, action);
    if (!cmd)
        return 0;
    struct hook_job *j = free_slot(a);
    if (!j) {
        app_message(a, 1, _("%d hooks are running already: on_%s was not run"), UI_MAX_HOOKS,
                    triage_action_name(action));
        return STALE_DRAW;
    }
    memset(j, 0, sizeof *j);
    j->used = 1;
    j->seq = ++a->hook_seq;
    j->leak_id = l->id;
    j->ak_id = l->ak_id ? xstrdup(l->ak_id) : NULL;
    j->action = action;
    j->fd = -1;
    j->started_ms = now_ms();
    j->state = HOOK_RUNNING;
    int fds[2];
    if (pipe(fds) != 0) {
        j->state = HOOK_ERROR;
        snprintf(j->first, sizeof j->first, "pipe: %s", strerror(errno));
        record(a, j);
        return STALE_DRAW;
    }
    /* close-on-exec: another hook started later must not hold this pipe open */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    pid_t pid = fork();
    if (pid < 0) {
        j->state = HOOK_ERROR;
        snprintf(j->first, sizeof j->first, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        record(a, j);
        return STALE_DRAW;
    }
    if (pid == 0)
        child(cmd, fds[1], action, l->id, l->ak_id);
    setpgid(pid, pid); /* both sides: whichever runs first, the group exists before a kill */
    close(fds[1]);
    j->pid = pid;
    j->fd = fds[0];
    a->message_hook = j->seq; /* the decision's message: the outcome replaces it */
    return STALE_DRAW;
}

/* Read what the hook wrote so far; keep the first bytes, drop the rest (so it never blocks
 * on a full pipe). Closes the fd at EOF. */
static void
drain(struct hook_job *j)
{
    while (j->fd >= 0) {
        char buf[1024];
        ssize_t got = read(j->fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (got <= 0) {
            close(j->fd);
            j->fd = -1;
            return;
        }
        size_t room = sizeof j->out - 1 - j->out_n;
        size_t take = (size_t)got < room ? (size_t)got : room;
        memcpy(j->out + j->out_n, buf, take);
        j->out_n += take;
        j->out[j->out_n] = '\0';
    }
}

/* The first non-empty output line, without its end. */
static void
first_line(struct hook_job *j)
{
    const char *p = j->out;
    p += strspn(p, "\r\n");
    size_t n = strcspn(p, "\r\n");
    if (n >= sizeof j->first)
        n = sizeof j->first - 1;
    memcpy(j->first, p, n);
    j->first[n] = '\0';
}

static void
finish(struct hook_job *j, int status)
{
    drain(j);
    if (j->fd >= 0) { /* a grandchild outside the group still holds it: stop listening */
        close(j->fd);
        j->fd = -1;
    }
    j->pid = 0;
    j->ended_ms = now_ms();
    first_line(j);
    if (j->state == HOOK_KILLING)
        j->state = HOOK_TIMED_OUT;
    else if (j->state == HOOK_QUITTING)
        j->state = HOOK_KILLED_AT_QUIT;
    else if (WIFEXITED(status))
        j->state = WEXITSTATUS(status) == 0 ? HOOK_DONE : HOOK_FAILED;
    else
        j->state = HOOK_SIGNALLED;
    j->code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

long
hook_elapsed_s(const struct hook_job *j)
{
    long end = j->state == HOOK_RUNNING || j->state == HOOK_KILLING || j->state == HOOK_QUITTING
                   ? now_ms()
                   : j->ended_ms;
    return (end - j->started_ms) / 1000;
}

/* One format, literal both ways (for -Wformat): the audit log's words, or the screen's. */
#define DESCRIBE(fmt, ...)                                                                 \
    (translated ? snprintf(out, n, _(fmt), __VA_ARGS__) : snprintf(out, n, fmt, __VA_ARGS__))

void
hook_describe(const struct hook_job *j, int translated, char *out, size_t n)
{
    const char *act = triage_action_name(j->action);
    long secs = hook_elapsed_s(j);
    int used = 0;
    switch (j->state) {
    case HOOK_RUNNING:
    case HOOK_KILLING:
    case HOOK_QUITTING: DESCRIBE(N_("running on_%s… %ld s"), act, secs); return;
    case HOOK_DONE: used = DESCRIBE(N_("on_%s done (exit %d)"), act, j->code); break;
    case HOOK_FAILED: used = DESCRIBE(N_("on_%s failed (exit %d)"), act, j->code); break;
    case HOOK_SIGNALLED: used = DESCRIBE(N_("on_%s killed by signal %d"), act, j->code); break;
    case HOOK_TIMED_OUT: used = DESCRIBE(N_("on_%s killed after %ld s"), act, secs); break;
    case HOOK_KILLED_AT_QUIT:
        used = DESCRIBE(N_("on_%s killed at quit after %ld s"), act, secs);
        break;
    case HOOK_ERROR: used = DESCRIBE(N_("on_%s did not start"), act); break;
    }
    if (j->first[0] && used > 0 && (size_t)used < n)
        snprintf(out + used, n - (size_t)used, ": %s", j->first);
}
#undef DESCRIBE

/* Write the outcome to the leak's audit log; say it on the status line unless it would
 * hide the answer to a later key of the user's. */
static void
record(struct app *a, struct hook_job *j)
{
    char what[32], note[400], shown[400];
    snprintf(what, sizeof what, "hook-%s", triage_action_name(j->action));
    hook_describe(j, 0, note, sizeof note);
    hook_describe(j, 1, shown, sizeof shown);
    struct akw_err err;
    akw_err_clear(&err);
    int bad = store_audit_note(a->st, j->leak_id, what, note, a->who, &err) != AKW_OK;
    int failed = j->state != HOOK_DONE;
    if (!(a->message[0] && a->message_user) || a->message_hook == j->seq) {
        if (bad)
            app_message(a, 1, _("%s: %s (not recorded: %s)"), j->ak_id ? j->ak_id : "", shown,
                        err.msg);
        else
            app_message(a, failed, "%s: %s", j->ak_id ? j->ak_id : "", shown);
        a->message_user = 0;
    }
    if (failed)
        beep();
}

static int
running(const struct hook_job *j)
{
    return j->used && j->pid > 0;
}

int
hook_running(const struct app *a)
{
    int n = 0;
    for (int i = 0; i < UI_MAX_HOOKS; i++)
        n += running(&a->hooks[i]);
    return n;
}

int
hook_pollfds(const struct app *a, struct pollfd *fds, int max)
{
    int n = 0;
    for (int i = 0; i < UI_MAX_HOOKS && n < max; i++)
        if (running(&a->hooks[i]) && a->hooks[i].fd >= 0)
            fds[n++] = (struct pollfd){.fd = a->hooks[i].fd, .events = POLLIN};
    return n;
}

int
hook_wait_ms(const struct app *a)
{
    long wait = -1, now = now_ms(), limit = hook_timeout_s(a->cfg) * 1000;
    for (int i = 0; i < UI_MAX_HOOKS; i++) {
        const struct hook_job *j = &a->hooks[i];
        if (!running(j))
            continue;
        long age = now - j->started_ms;
        long w = 1000 - age % 1000; /* the next whole second of "running… N s" */
        if (j->state == HOOK_RUNNING && limit - age < w)
            w = limit - age;
        if (j->fd < 0 || j->state != HOOK_RUNNING)
            w = HOOK_REAP_MS;
        if (w < 1)
            w = 1;
        if (wait < 0 || w < wait)
            wait = w;
    }
    return (int)wait;
}

unsigned
hook_service(struct app *a)
{
    unsigned stale = 0;
    long now = now_ms(), limit = hook_timeout_s(a->cfg) * 1000;
    for (int i = 0; i < UI_MAX_HOOKS; i++) {
        struct hook_job *j = &a->hooks[i];
        if (!running(j))
            continue;
        stale |= STALE_DRAW; /* its seconds move on */
        drain(j);
        if (j->state == HOOK_RUNNING && now - j->started_ms >= limit) {
            kill(-j->pid, SIGKILL);
            j->state = HOOK_KILLING;
        }
        int status;
        pid_t r = waitpid(j->pid, &status, WNOHANG);
        if (r == j->pid || (r < 0 && errno == ECHILD)) {
            if (r < 0)
                status = 0;
            finish(j, status);
            record(a, j);
        }
    }
    return stale;
}

void
hook_kill_all(struct app *a)
{
    for (int i = 0; i < UI_MAX_HOOKS; i++) {
        struct hook_job *j = &a->hooks[i];
        if (!running(j))
            continue;
        kill(-j->pid, SIGKILL);
        if (j->state == HOOK_RUNNING)
            j->state = HOOK_QUITTING;
        int status = 0;
        while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
            ;
        finish(j, status);
        record(a, j);
    }
}

const struct hook_job *
hook_latest(const struct app *a, int64_t leak_id)
{
    const struct hook_job *best = NULL;
    for (int i = 0; i < UI_MAX_HOOKS; i++) {
        const struct hook_job *j = &a->hooks[i];
        if (j->used && j->leak_id == leak_id && (!best || j->seq > best->seq))
            best = j;
    }
    return best;
}

void
hook_free_all(struct app *a)
{
    for (int i = 0; i < UI_MAX_HOOKS; i++)
        free(a->hooks[i].ak_id);
}
