/* fakeprov.h — start and stop tests/fakeprov/fakeprov.py from a C test: one fake provider
 * per call, on a free 127.0.0.1 port, logging every request to a file in a temp folder.
 * Test-only; static functions so each test program gets its own copy.
 */
#ifndef AKW_TEST_FAKEPROV_H
#define AKW_TEST_FAKEPROV_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"

struct fakeprov {
    pid_t pid;
    int port;
    char url[64];  /* http://127.0.0.1:PORT */
    char log[512]; /* request log, one JSON object per line */
};

/* keys: NULL-terminated "--key" values. dir: an existing temp folder. cert/key: serve
 * https with them (NULL: plain http). Returns 0 or -1. */
static int
fakeprov_start_tls(struct fakeprov *f, const char *provider, const char *const *keys,
                   const char *dir, const char *cert, const char *key)
{
    char port_file[512], *argv[64];
    int argc = 0;

    memset(f, 0, sizeof *f);
    snprintf(f->log, sizeof f->log, "%s/%s.log", dir, provider);
    snprintf(port_file, sizeof port_file, "%s/%s.port", dir, provider);
    unlink(port_file);
    argv[argc++] = (char *)"/usr/bin/python3";
    argv[argc++] = (char *)AKW_SRCDIR "/tests/fakeprov/fakeprov.py";
    argv[argc++] = (char *)"--provider";
    argv[argc++] = (char *)provider;
    argv[argc++] = (char *)"--log";
    argv[argc++] = f->log;
    argv[argc++] = (char *)"--port-file";
    argv[argc++] = port_file;
    if (cert && key) {
        argv[argc++] = (char *)"--tls";
        argv[argc++] = (char *)cert;
        argv[argc++] = (char *)key;
    }
    for (const char *const *k = keys; k && *k && argc < 60; k++) {
        argv[argc++] = (char *)"--key";
        argv[argc++] = (char *)*k;
    }
    argv[argc] = NULL;
    if ((f->pid = fork()) == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    /* Wait for the port file (a hang guard, not a speed assumption: 30 s). */
    for (int i = 0; i < 3000; i++) {
        FILE *fp = fopen(port_file, "r");
        if (fp) {
            int ok = fscanf(fp, "%d", &f->port) == 1;
            fclose(fp);
            if (ok) {
                snprintf(f->url, sizeof f->url, "%s://127.0.0.1:%d", cert ? "https" : "http",
                         f->port);
                return 0;
            }
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

static int
fakeprov_start(struct fakeprov *f, const char *provider, const char *const *keys,
               const char *dir)
{
    return fakeprov_start_tls(f, provider, keys, dir, NULL, NULL);
}

static void
fakeprov_stop(struct fakeprov *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
        f->pid = 0;
    }
}

/* The whole request log (caller frees), "" when none yet. */
static char *
fakeprov_log(const struct fakeprov *f)
{
    char *data = NULL;
    size_t len;

    if (fs_read_all(f->log, &data, &len, NULL) != AKW_OK)
        return xstrdup("");
    return data;
}

#endif
