/* testdump — two env-gated seams for tests and benchmarks. AKWATCH_TEST_DUMP=path: after
 * each key (and when idle) the UI rewrites path with a small model dump (pane stack, view,
 * selection, search, row count, keys handled, idle). AKWATCH_TUI_TIMING=path: appends
 * "what ms=N" lines (first screen, each key) and the peak RSS at exit.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui_priv.h"

static const char *dump_path;
static FILE *timing;
static struct timespec mark;

void
testdump_init(void)
{
    const char *p = getenv("AKWATCH_TEST_DUMP");
    dump_path = p && *p ? p : NULL;
    const char *t = getenv("AKWATCH_TUI_TIMING");
    if (t && *t && !timing)
        timing = fopen(t, "a");
}

void
testdump_write(struct app *a, int idle)
{
    if (!dump_path)
        return;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", dump_path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    struct pane *top = app_top(a);
    fprintf(f, "pane=%s\nstack=", top ? top->ops->name : "");
    for (int i = 0; i < a->depth; i++)
        fprintf(f, "%s%s", i ? "," : "", a->stack[i]->ops->name);
    fprintf(f, "\nkeys=%lu\nmessage=%s\nlines=%d\ncols=%d\nscan=%d\n", a->keys, a->message, LINES,
            COLS, (int)a->scan_status.state);
    fprintf(f, "recheck=%lld\n", a->vjob ? (long long)a->vjob_leak : 0LL);
    fprintf(f, "hooks_running=%d\nquit_pending=%d\n", hook_running(a), a->quit_pending);
    for (int i = 0; i < a->depth; i++)
        if (a->stack[i]->ops->dump)
            a->stack[i]->ops->dump(a->stack[i], f);
    fprintf(f, "state=%s\n", idle < 0 ? "exited" : idle ? "idle" : "busy");
    fclose(f);
    rename(tmp, dump_path);
}

void
timing_mark(void)
{
    clock_gettime(CLOCK_MONOTONIC, &mark);
}

void
timing_log(const char *what)
{
    if (!timing)
        return;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double ms = (double)(t.tv_sec - mark.tv_sec) * 1e3 + (double)(t.tv_nsec - mark.tv_nsec) / 1e6;
    fprintf(timing, "%s ms=%.3f\n", what, ms);
    fflush(timing);
}

void
timing_done(void)
{
    if (!timing)
        return;
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            fprintf(timing, "peak_rss_kb=%ld\n", strtol(line + 6, NULL, 10));
    if (f)
        fclose(f);
    fclose(timing);
    timing = NULL;
}
