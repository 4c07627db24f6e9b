/* reader — a log file as a stream of chunks through zlib's gzread, which reads gzip and plain
 * files alike. Corrupt and truncated gzip are errors (the importer then keeps nothing).
 */
#include "config.h"
#include "calls/calls_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#define CHUNK (256 * 1024)

enum akw_status
calls_reader_open(struct calls_reader *r, const char *path, struct akw_err *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path,
                           errno ? strerror(errno) : _("cannot open"));
    gzbuffer(gz, CHUNK);
    r->gz = gz;
    r->cap = CHUNK;
    r->chunk = xmalloc(r->cap);
    return AKW_OK;
}

enum akw_status
calls_reader_next(struct calls_reader *r, const char **p, size_t *n, struct akw_err *err)
{
    *p = r->chunk;
    *n = 0;
    int got = gzread((gzFile)r->gz, r->chunk, (unsigned)r->cap), code = Z_OK;
    const char *msg = gzerror((gzFile)r->gz, &code);
    /* A truncated gzip ends like a short file; only gzerror tells (Z_BUF_ERROR). */
    if (got < 0 || (got == 0 && code == Z_BUF_ERROR)) {
        if (code == Z_ERRNO)
            return akw_err_set(err, AKW_ERR_IO, "%s: %s", r->path, strerror(errno));
        size_t pl = strlen(r->path); /* zlib prefixes its message with the path */
        if (strncmp(msg, r->path, pl) == 0 && strncmp(msg + pl, ": ", 2) == 0)
            msg += pl + 2;
        return akw_err_set(err, AKW_ERR_IO, _("%s: gzip: %s"), r->path, msg);
    }
    *n = (size_t)got;
    return AKW_OK;
}

void
calls_reader_close(struct calls_reader *r)
{
    if (r->gz)
        gzclose((gzFile)r->gz);
    free(r->chunk);
    memset(r, 0, sizeof *r);
}
