/* Unit tests for util: time parse/format, buffers, masks of private files. */
#include "config.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util/util.h"

static void
test_time(void)
{
    static const struct {
        const char *in;
        long long want; /* -1 = parse error */
    } cases[] = {
        {"2026-11-25T14:35:00Z", 1795617300},
        {"2026-11-25T22:35:00+08:00", 1795617300},
        {"2026-11-25T14:35:00.123Z", 1795617300},
        {"1795617300", 1795617300},
        {"2026-13-01T00:00:00Z", -1},
        {"yesterday", -1},
        {"", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        time_t t = 0;
        int rc = akw_time_parse(cases[i].in, &t);
        if (cases[i].want < 0)
            ok(rc != 0, "time parse rejects '%s'", cases[i].in);
        else
            is_int(rc == 0 ? (long long)t : -2, cases[i].want, "time parse '%s'", cases[i].in);
    }
    char iso[32];
    akw_time_iso(1795617300, iso);
    is_str(iso, "2026-11-25T14:35:00Z", "time format is ISO 8601 UTC");
    setenv("AKWATCH_NOW", "2030-01-01T00:00:00Z", 1);
    is_int(akw_now(), 1893456000, "AKWATCH_NOW sets the clock");
    unsetenv("AKWATCH_NOW");
}

static void
test_buf(void)
{
    struct buf b;
    buf_init(&b);
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%d,", i % 10);
    is_int(b.len, 2000, "buf grows across many appends");
    ok(b.data[b.len] == '\0', "buf stays NUL-terminated");
    char *s = buf_steal(&b);
    ok(b.data == NULL && b.len == 0, "buf_steal empties the buffer");
    free(s);
}

static void
test_private_files(void)
{
    char dir[] = "/tmp/akw-util-XXXXXX";
    ok(mkdtemp(dir) != NULL, "temp dir");
    mode_t old = umask(0);
    char *p = xasprintf("%s/a/b/file", dir);
    ok(fs_mkdir_parents(p) == 0, "mkdir parents");
    int fd = fs_create_private(p, 1);
    ok(fd >= 0, "create private file");
    struct stat st;
    fstat(fd, &st);
    is_int(st.st_mode & 0777, 0600, "private file is 0600 even with umask 0");
    close(fd);
    ok(fs_create_private(p, 1) < 0, "exclusive create refuses an existing file");
    char *tmp = NULL;
    fd = fs_open_tmp_beside(p, &tmp);
    ok(fd >= 0 && write(fd, "x", 1) == 1, "temp file beside");
    struct akw_err err = {0};
    ok(fs_commit_tmp(fd, tmp, p, 0, &err) == AKW_ERR_IO, "no overwrite without force");
    ok(access(tmp, F_OK) != 0, "temp file removed after refusal");
    free(tmp);
    umask(old);
    free(p);
    char *cmd = xasprintf("rm -rf %s", dir);
    ok(system(cmd) == 0, "cleanup");
    free(cmd);
}

int
main(void)
{
    test_time();
    test_buf();
    test_private_files();
    return done_testing();
}
