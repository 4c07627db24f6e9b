/* command — run the alert command hook with posix_spawn, never through a shell: the command
 * line is split here, the alert goes in AKWATCH_* variables and as JSON on stdin (an unlinked
 * temp file, so a command that ignores stdin can neither block us nor raise SIGPIPE).
 */
#include "config.h"
#include "notify/notify_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Split on blanks with '...' and "..." quoting (backslash escapes inside "..."). Returns a
 * NULL-terminated argv (caller frees each and the array), or NULL for an unclosed quote. */
static char **
split_argv(const char *s)
{
    char **argv = xcalloc(1, sizeof *argv);
    size_t n = 0;
    struct buf word;
    buf_init(&word);
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        buf_reset(&word);
        buf_putc(&word, '\0'); /* an empty "" word is still a word */
        word.len = 0;
        while (*s && *s != ' ' && *s != '\t') {
            char q = *s;
            if (q == '\'' || q == '"') {
                for (s++; *s && *s != q; s++) {
                    if (q == '"' && *s == '\\' && s[1])
                        s++;
                    buf_putc(&word, *s);
                }
                if (*s != q) {
                    buf_done(&word);
                    for (size_t i = 0; i < n; i++)
                        free(argv[i]);
                    free(argv);
                    return NULL;
                }
                s++;
            } else {
                buf_putc(&word, *s++);
            }
        }
        argv = xrealloc(argv, (n + 2) * sizeof *argv);
        argv[n++] = buf_steal(&word);
        argv[n] = NULL;
    }
    buf_done(&word);
    return argv;
}

static void
free_argv(char **argv)
{
    for (char **p = argv; p && *p; p++)
        free(*p);
    free(argv);
}

/* The current environment minus the GitHub token and stale AKWATCH_ alert variables, plus
 * extra. The strings are borrowed; free only the array. */
static char **
child_env(char *const *extra)
{
    size_t n = 0, m = 0;
    for (char **e = environ; e && *e; e++)
        n++;
    for (char *const *e = extra; e && *e; e++)
        n++;
    char **env = xcalloc(n + 1, sizeof *env);
    for (char **e = environ; e && *e; e++)
        if (strncmp(*e, "GITHUB_TOKEN=", 13) != 0 && strncmp(*e, "AKWATCH_", 8) != 0)
            env[m++] = *e;
    for (char *const *e = extra; e && *e; e++)
        env[m++] = *e;
    env[m] = NULL;
    return env;
}

static int
tmp_fd(void)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/akwatch-alert.XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    free(path);
    return fd;
}

static int
write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static long
elapsed_us(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000000L + (t.tv_nsec - t0->tv_nsec) / 1000;
}

/* Wait for pid up to timeout_s; kill it after that. Returns the wait status or -1. Polls
 * from every 0.1 ms up to every 10 ms: a hook that exits at once (most do) costs
 * about its own run time, not a fixed 10 ms tick (a first scan may run thousands). */
static int
wait_bounded(pid_t pid, long timeout_s, int *timed_out)
{
    *timed_out = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long tick_us = 100;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return -1;
        if (elapsed_us(&t0) >= timeout_s * 1000000L) {
            *timed_out = 1;
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return status;
        }
        struct timespec tick = {0, tick_us * 1000};
        nanosleep(&tick, NULL);
        tick_us = tick_us < 10000 ? tick_us * 2 : 10000;
    }
}

static void
first_line(int fd, char *out, size_t n)
{
    out[0] = '\0';
    if (lseek(fd, 0, SEEK_SET) != 0)
        return;
    ssize_t r = read(fd, out, n - 1);
    out[r > 0 ? r : 0] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
}

enum akw_status
command_run(const char *cmdline, char *const *env, const char *input, size_t len,
            long timeout_s, struct akw_err *err)
{
    char **argv = split_argv(cmdline);
    if (!argv || !argv[0]) {
        free_argv(argv);
        return akw_err_set(err, AKW_ERR_USAGE, _("command: cannot split \"%s\" into words"),
                           cmdline);
    }
    int in = tmp_fd(), errfd = tmp_fd(), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    enum akw_status s = AKW_OK;
    if (in < 0 || errfd < 0 || null < 0 || write_all(in, input, len) != 0
        || lseek(in, 0, SEEK_SET) != 0) {
        s = akw_err_set(err, AKW_ERR_IO, _("command: temporary file: %s"), strerror(errno));
        goto out;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in, 0);
    posix_spawn_file_actions_adddup2(&fa, null, 1);
    posix_spawn_file_actions_adddup2(&fa, errfd, 2);
    char **cenv = child_env(env);
    pid_t pid;
    int rc = strchr(argv[0], '/') ? posix_spawn(&pid, argv[0], &fa, NULL, argv, cenv)
                                  : posix_spawnp(&pid, argv[0], &fa, NULL, argv, cenv);
    posix_spawn_file_actions_destroy(&fa);
    free(cenv);
    if (rc != 0) {
        s = akw_err_set(err, AKW_ERR_IO, _("command %s: %s"), argv[0], strerror(rc));
        goto out;
    }
    int timed_out, status = wait_bounded(pid, timeout_s, &timed_out);
    char msg[200];
    first_line(errfd, msg, sizeof msg);
    if (timed_out)
        s = akw_err_set(err, AKW_ERR_IO, _("command %s: killed after %ld s"), argv[0], timeout_s);
    else if (status == -1 || !WIFEXITED(status))
        s = akw_err_set(err, AKW_ERR_IO, _("command %s: killed by a signal"), argv[0]);
    else if (WEXITSTATUS(status) == 127 && !*msg)
        s = akw_err_set(err, AKW_ERR_IO, _("command %s: not found"), argv[0]);
    else if (WEXITSTATUS(status) != 0)
        s = akw_err_set(err, AKW_ERR_IO, _("command %s: exit status %d%s%s"), argv[0],
                        WEXITSTATUS(status), *msg ? ": " : "", msg);
out:
    if (in >= 0)
        close(in);
    if (errfd >= 0)
        close(errfd);
    if (null >= 0)
        close(null);
    free_argv(argv);
    return s;
}
