/* fs — files that may hold findings are created 0600; writes that must not be seen
 * half-done go through a temporary file renamed into place. */
#include "config.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum akw_status
fs_read_all(const char *path, char **out, size_t *len, struct akw_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(errno));
    struct buf b;
    buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        buf_done(&b);
        return akw_err_set(err, AKW_ERR_IO, _("%s: read error"), path);
    }
    if (len)
        *len = b.len;
    *out = buf_steal(&b);
    return AKW_OK;
}

int
fs_create_private(const char *path, int excl)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (excl ? O_EXCL : O_TRUNC), 0600);
    if (fd >= 0)
        (void)fchmod(fd, 0600);
    return fd;
}

int
fs_mkdir_parents(const char *path)
{
    char *copy = xstrdup(path);
    int rc = 0;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
            rc = -1;
            *p = '/';
            break;
        }
        *p = '/';
    }
    free(copy);
    return rc;
}

int
fs_open_tmp_beside(const char *path, char **tmp_out)
{
    char *d = xstrdup(path), *b = xstrdup(path);
    char *tmpl = xasprintf("%s/.%s.XXXXXX", dirname(d), basename(b));
    free(d);
    free(b);
    int fd = mkostemp(tmpl, O_CLOEXEC);
    if (fd < 0) {
        free(tmpl);
        return -1;
    }
    (void)fchmod(fd, 0600);
    *tmp_out = tmpl;
    return fd;
}

enum akw_status
fs_commit_tmp(int fd, const char *tmp, const char *path, int overwrite, struct akw_err *err)
{
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(e));
    }
    if (!overwrite) {
        /* link() fails if path exists, so no window where an existing file is replaced */
        if (link(tmp, path) != 0) {
            int e = errno;
            unlink(tmp);
            if (e == EEXIST)
                return akw_err_set(err, AKW_ERR_IO, _("%s: file exists (use --force to overwrite)"),
                                   path);
            return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(e));
        }
        unlink(tmp);
        return AKW_OK;
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(e));
    }
    return AKW_OK;
}
