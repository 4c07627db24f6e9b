/* fake — start and stop tests/fakegh/fakegh.py from a C test, and read its request log.
 * Test-only; a scenario is written to a temp folder, the port read back from a file. */
#ifndef AKW_TEST_FAKE_H
#define AKW_TEST_FAKE_H

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"

struct fake {
    pid_t pid;
    int port;
    char dir[64], scenario[128], log[128], url[64];
};

static void
fake_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static pid_t fake_pid_atexit;
static void
fake_atexit(void)
{
    if (fake_pid_atexit > 0) /* a test that returned early: never leave the server behind */
        kill(fake_pid_atexit, SIGTERM);
}

static int
fake_start(struct fake *f, const char *scenario_json)
{
    char portf[160];
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/akw-fake.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->scenario, sizeof f->scenario, "%s/scenario.json", f->dir);
    snprintf(f->log, sizeof f->log, "%s/requests.log", f->dir);
    snprintf(portf, sizeof portf, "%s/port", f->dir);
    fake_write(f->scenario, scenario_json);
    f->pid = fork();
    if (f->pid == 0) {
        int devnull = open("/dev/null", 1);
        dup2(devnull, 1);
        execl("/usr/bin/python3", "python3", AKW_SRCDIR "/tests/fakegh/fakegh.py", f->scenario,
              "--port-file", portf, "--log", f->log, (char *)NULL);
        _exit(127);
    }
    fake_pid_atexit = f->pid;
    atexit(fake_atexit);
    for (int i = 0; i < 300; i++) { /* up to 30 s: a guard against hangs only */
        FILE *pf = fopen(portf, "r");
        if (pf) {
            int ok = fscanf(pf, "%d", &f->port) == 1;
            fclose(pf);
            if (ok) {
                snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d", f->port);
                return 0;
            }
        }
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

static void
fake_stop(struct fake *f)
{
    char cmd[200];
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
        fake_pid_atexit = 0;
    }
    if (getenv("AKW_TEST_KEEP")) { /* debugging: leave the store and the log */
        printf("# kept %s\n", f->dir);
        return;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", f->dir);
}

/* The log as one string (caller frees); "" when empty. */
static char *
fake_log(struct fake *f)
{
    char *s = NULL;
    size_t n;
    if (fs_read_all(f->log, &s, &n, NULL) != AKW_OK)
        return xstrdup("");
    return s;
}

/* Lines of the log containing every one of the (up to 3) needles; NULL needles ignored. */
__attribute__((unused)) static int
fake_count(struct fake *f, const char *a, const char *b, const char *c)
{
    char *log = fake_log(f), *save = NULL;
    int n = 0;
    for (char *line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if ((!a || strstr(line, a)) && (!b || strstr(line, b)) && (!c || strstr(line, c)))
            n++;
    free(log);
    return n;
}

/* "ts" (or "end") of the k-th (0-based) line containing needle, or -1. */
__attribute__((unused)) static double
fake_time(struct fake *f, const char *needle, int k, const char *field)
{
    char *log = fake_log(f), *save = NULL;
    double t = -1;
    char key[32];
    snprintf(key, sizeof key, "\"%s\": ", field);
    for (char *line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!strstr(line, needle) || k-- > 0)
            continue;
        char *p = strstr(line, key);
        if (p)
            t = strtod(p + strlen(key), NULL);
        break;
    }
    free(log);
    return t;
}

#endif
