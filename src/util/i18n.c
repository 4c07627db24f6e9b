/* i18n — gettext's pgettext for the C_/NC_/P_ macros of util.h: a context and its text
 * travel as one "context\004text" string (as in a .mo file). Sets no locale; main does. */
#include "config.h"
#include "util/util.h"

#include <string.h>

const char *
akw_pgettext(const char *ctx_msgid)
{
    const char *sep = strchr(ctx_msgid, '\004');
#ifdef ENABLE_NLS
    const char *t = gettext(ctx_msgid);
    if (t != ctx_msgid) /* gettext hands the argument back when there is no translation */
        return t;
#endif
    return sep ? sep + 1 : ctx_msgid;
}
