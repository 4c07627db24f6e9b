/* err — the one place error messages are formatted. Library code records, never prints. */
#include "config.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

enum akw_status
akw_err_set(struct akw_err *err, enum akw_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void
akw_err_prefix(struct akw_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[256], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
}

void
akw_err_clear(struct akw_err *err)
{
    if (err) {
        err->code = AKW_OK;
        err->msg[0] = '\0';
    }
}
