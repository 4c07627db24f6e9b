/* hook — the [actions] command hooks (on_deleted, on_disabled, on_whitelisted): run the
 * configured command with /bin/sh after a triage decision, with AKWATCH_AK_ID,
 * AKWATCH_LEAK_ID and AKWATCH_ACTION in its environment (never the secret), stdin from
 * /dev/null, output captured (first line kept), 30 s limit. Does not record anything.
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

#define HOOK_TIMEOUT_MS 30000

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

static void
child(const char *cmd, int out_fd, enum triage_action action, const struct leak *l)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)l->id);
    setenv("AKWATCH_AK_ID", l->ak_id ? l->ak_id : "", 1);
    setenv("AKWATCH_LEAK_ID", id, 1);
    setenv("AKWATCH_ACTION", triage_action_name(action), 1);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
}

static long
ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Read the child's output until EOF or the deadline; keep the first bytes. */
static int
collect(int fd, char *out, size_t n)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t used = 0;
    for (;;) {
        long left = HOOK_TIMEOUT_MS - ms_since(&t0);
        if (left <= 0)
            return -1;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        char buf[512];
        ssize_t got = read(fd, buf, sizeof buf);
        if (got <= 0)
            return 0;
        size_t take = (size_t)got < n - 1 - used ? (size_t)got : n - 1 - used;
        memcpy(out + used, buf, take);
        used += take;
        out[used] = '\0';
    }
}

void
hook_run(const struct config *cfg, enum triage_action action, const struct leak *l,
         struct hook_result *r)
{
    memset(r, 0, sizeof *r);
    const char *cmd = hook_command(cfg, action);
    if (!cmd)
        return;
    r->ran = 1;
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(r->text, sizeof r->text, "pipe: %s", strerror(errno));
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(r->text, sizeof r->text, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        child(cmd, fds[1], action, l);
    }
    close(fds[1]);
    char out[512] = "";
    int timed_out = collect(fds[0], out, sizeof out) < 0;
    close(fds[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    out[strcspn(out, "\r\n")] = '\0';
    if (timed_out)
        snprintf(r->text, sizeof r->text, _("killed after %d s"), HOOK_TIMEOUT_MS / 1000);
    else if (WIFEXITED(status))
        snprintf(r->text, sizeof r->text, _("exit %d%s%s"), WEXITSTATUS(status), out[0] ? ": " : "",
                 out);
    else
        snprintf(r->text, sizeof r->text, _("killed by signal %d"), WTERMSIG(status));
    r->ok = !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
