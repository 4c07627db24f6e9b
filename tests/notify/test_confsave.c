/* test_confsave — notify_config_save_window() rewrites only the [notify] window, days and tz
 * lines of a real file in a temp folder, keeping comments, order and other keys. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notify/notify.h"
#include "tap.h"

static char dir[64];

static void
put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static char *
get(const char *path)
{
    char *s = NULL;
    size_t n;
    if (fs_read_all(path, &s, &n, NULL) != AKW_OK)
        return xstrdup("(missing)");
    return s;
}

// clang-format off
static const struct {
    const char *before, *window, *days, *tz, *after, *why;
} cases[] = {
    {"; my config\n[github]\norg = acme\n\n[notify]\n"
     "window = 08:00-20:00          ; office hours\nwebhook = https://h.example/x\n\n[scan]\nskip = vendor/\n",
     "22:00-06:00", NULL, NULL,
     "; my config\n[github]\norg = acme\n\n[notify]\n"
     "window = 22:00-06:00          ; office hours\nwebhook = https://h.example/x\n\n[scan]\nskip = vendor/\n",
     "value replaced, inline comment kept at its column, other lines untouched"},
    {"[notify]\n# who gets paged\ncommand = /bin/page\n\n[scan]\nskip = x\n",
     "08:00-20:00", "mon-fri", "Asia/Shanghai",
     "[notify]\n# who gets paged\ncommand = /bin/page\nwindow = 08:00-20:00\ndays = mon-fri\n"
     "tz = Asia/Shanghai\n\n[scan]\nskip = x\n",
     "missing keys added at the end of [notify], before the blank line"},
    {"[github]\norg = acme\n", "09:00-17:00", NULL, NULL,
     "[github]\norg = acme\n\n[notify]\nwindow = 09:00-17:00\n",
     "no [notify] section: appended"},
    {"[github]\norg = acme", "09:00-17:00", NULL, NULL,
     "[github]\norg = acme\n\n[notify]\nwindow = 09:00-17:00\n",
     "no trailing newline, no section"},
    {"[notify]\nwindow = 08:00-20:00 ; note\ndays = mon-fri\ntz = UTC\nbell = on", NULL, "sat,sun", "",
     "[notify]\n; note\ndays = sat,sun\nbell = on",
     "NULL and empty remove keys; the inline note survives as a comment"},
    {"[notify]\nbell = off", "10:00-11:00", NULL, NULL,
     "[notify]\nbell = off\nwindow = 10:00-11:00\n",
     "insert after a last line without newline"},
    {"[Notify]\n  Window: 01:00-02:00\nwindow = 03:00-04:00\n; window = 05:00-06:00\n", "07:00-08:00",
     NULL, NULL,
     "[Notify]\n  Window: 07:00-08:00\n; window = 05:00-06:00\n",
     "case-insensitive names, ':' separator and indentation kept, repeats dropped, comments kept"},
    {"", "08:00-20:00", NULL, NULL, "[notify]\nwindow = 08:00-20:00\n", "empty file"},
};
// clang-format on

int
main(void)
{
    strcpy(dir, "/tmp/akw-confsave.XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    char *path = xasprintf("%s/config", dir);
    struct akw_err err = {0};

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        put(path, cases[i].before);
        enum akw_status s =
            notify_config_save_window(path, cases[i].window, cases[i].days, cases[i].tz, &err);
        ok(s == AKW_OK, "save ok: %s %s", cases[i].why, s ? err.msg : "");
        char *got = get(path);
        is_str(got, cases[i].after, "%s", cases[i].why);
        free(got);
    }

    put(path, "[notify]\nwindow = 08:00-20:00\n");
    ok(notify_config_save_window(path, "8-20", NULL, NULL, &err) == AKW_ERR_PARSE
           && strstr(err.msg, "8-20"),
       "invalid window refused: %s", err.msg);
    ok(notify_config_save_window(path, NULL, NULL, "Mars/Base", &err) == AKW_ERR_PARSE,
       "invalid tz refused: %s", err.msg);
    char *got = get(path);
    is_str(got, "[notify]\nwindow = 08:00-20:00\n", "nothing written on error");
    free(got);

    char *fresh = xasprintf("%s/sub/dir/config", dir);
    ok(notify_config_save_window(fresh, "08:00-09:00", NULL, NULL, &err) == AKW_OK,
       "missing file and folders are created");
    struct stat sb;
    ok(stat(fresh, &sb) == 0 && (sb.st_mode & 0777) == 0600, "created 0600");
    got = get(fresh);
    is_str(got, "[notify]\nwindow = 08:00-09:00\n", "new file content");
    free(got);

    char *link = xasprintf("%s/link", dir);
    ok(symlink(path, link) == 0, "symlink made");
    ok(notify_config_save_window(link, "11:00-12:00", NULL, NULL, &err) == AKW_OK, "save via link");
    struct stat lb;
    ok(lstat(link, &lb) == 0 && S_ISLNK(lb.st_mode), "the symlink stays a symlink");
    got = get(path);
    is_str(got, "[notify]\nwindow = 11:00-12:00\n", "the target was rewritten");
    free(got);

    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    free(cmd);
    free(link);
    free(fresh);
    free(path);
    return done_testing();
}
