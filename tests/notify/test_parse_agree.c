/* test_parse_agree — `config check` / config_load and the notify window read [notify] window,
 * days and tz with one grammar: every input of one table is accepted (or refused) alike by
 * config_check(), config_load(), notify_window_parse(), and a config written by
 * notify_config_save_window() (`akwatch notify window`) loads again. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/conf.h"
#include "notify/notify.h"
#include "tap.h"

enum which { WINDOW, DAYS, TZ };
static const char *const key_names[] = {"window", "days", "tz"};

// clang-format off
static const struct {
    enum which key;
    const char *value;
    int accept;
} cases[] = {
    {WINDOW, "08:00-20:00", 1}, {WINDOW, "22:00-06:00", 1}, {WINDOW, "00:00-24:00", 1},
    {WINDOW, "08:00-08:00", 1}, /* equal ends: a full day from 08:00 */
    {WINDOW, "24:00-08:00", 0}, {WINDOW, "25:00-08:00", 0}, {WINDOW, "08:60-09:00", 0},
    {WINDOW, "8-20", 0}, {WINDOW, "08:00-20:00 junk", 0}, {WINDOW, "08:00_20:00", 0},
    {WINDOW, "08:00-20:0", 0},
    {DAYS, "mon-fri", 1}, {DAYS, "sat,sun", 1}, {DAYS, "mon,wed-fri", 1},
    {DAYS, "monday", 1}, {DAYS, "Monday-Friday", 1}, {DAYS, "fri-mon", 1},
    {DAYS, "mon, wed", 1}, {DAYS, "SAT,SUN", 1},
    {DAYS, "mon-funday", 0}, {DAYS, "mo", 0}, {DAYS, "mon-", 0}, {DAYS, ",", 0},
    {DAYS, "mon;tue", 0}, {DAYS, "mon-tue-wed", 0}, {DAYS, "1-5", 0},
    {TZ, "UTC", 1}, {TZ, "Asia/Shanghai", 1}, {TZ, "America/New_York", 1},
    {TZ, "CST-8", 1}, {TZ, "EST5EDT,M3.2.0,M11.1.0", 1}, {TZ, "<+0330>-3:30", 1},
    {TZ, "Asia/Nowhere", 0}, {TZ, "../../etc/passwd", 0}, {TZ, "not a zone", 0},
    {TZ, "CST", 0}, {TZ, "Asia", 0},
};
// clang-format on

static int count_errors_cb_n;

static void
count_errors(const char *msg, void *user)
{
    (void)user;
    printf("# config check: %s\n", msg);
    count_errors_cb_n++;
}

static void
write_conf(const char *path, enum which k, const char *v)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        printf("Bail out! cannot write %s\n", path);
        exit(1);
    }
    fprintf(f, "[notify]\n%s = %s\n", key_names[k], v);
    fclose(f);
}

int
main(void)
{
    char dir[] = "/tmp/akw-agree.XXXXXX";
    if (!mkdtemp(dir)) {
        printf("Bail out! mkdtemp\n");
        return 1;
    }
    char path[96], saved[96];
    snprintf(path, sizeof path, "%s/config", dir);
    snprintf(saved, sizeof saved, "%s/saved", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum which k = cases[i].key;
        const char *v = cases[i].value, *name = key_names[k];
        int want = cases[i].accept;
        struct akw_err err = {0};

        write_conf(path, k, v);
        count_errors_cb_n = 0;
        enum akw_status s = config_check(path, count_errors, NULL, &err);
        ok((s == AKW_OK) == want, "config check %s %s \"%s\"", want ? "accepts" : "refuses",
           name, v);

        struct config c;
        config_init(&c);
        s = config_load(path, 1, &c, &err);
        ok((s == AKW_OK) == want, "config load %s %s \"%s\"", want ? "accepts" : "refuses",
           name, v);
        config_done(&c);

        struct notify_window w;
        s = notify_window_parse(k == WINDOW ? v : NULL, k == DAYS ? v : NULL,
                                k == TZ ? v : "UTC", &w, &err);
        notify_window_done(&w);
        ok((s == AKW_OK) == want, "notify window %s %s \"%s\"", want ? "accepts" : "refuses",
           name, v);

        /* `akwatch notify window` validates and writes; what it writes must load. */
        unlink(saved);
        s = notify_config_save_window(saved, k == WINDOW ? v : NULL, k == DAYS ? v : NULL,
                                      k == TZ ? v : NULL, &err);
        int loads = 0;
        if (s == AKW_OK) {
            config_init(&c);
            loads = config_load(saved, 1, &c, &err) == AKW_OK;
            config_done(&c);
        }
        ok(loads == want, "notify window save %s %s \"%s\"%s",
           want ? "writes a loadable" : "refuses", name, v, want ? "" : " (nothing written)");
    }
    unlink(path);
    unlink(saved);
    rmdir(dir);
    return done_testing();
}
