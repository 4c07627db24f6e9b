/* hide_password — keep a password given in a postgresql:// URL on the command line out of
 * `ps`: each argument that holds one is copied for akwatch to use, and the password in the
 * original (what /proc/PID/cmdline and ps show) is overwritten with '*'. Messages never
 * name it either (store URLs are shown without it); PGPASSFILE (~/.pgpass), PGPASSWORD or
 * AKWATCH_DB keep it off the command line from the start.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

/* Overwrite the password spans of the URL at p (up to the argument's end); returns how
 * many bytes were hidden. */
static size_t
hide_in_url(char *p)
{
    size_t hidden = 0;
    char *rest = strstr(p, "://") + 3;
    char *at = strchr(rest, '@'), *slash = strchr(rest, '/'), *q = strchr(rest, '?');
    if (at && (!slash || at < slash) && (!q || at < q)) {
        char *colon = memchr(rest, ':', (size_t)(at - rest));
        for (char *c = colon ? colon + 1 : at; c < at; c++, hidden++)
            *c = '*';
    }
    for (char *k = q; k && *k; k = strchr(k + 1, '&')) {
        if (strncmp(k + 1, "password=", 9) != 0)
            continue;
        for (char *c = k + 10; *c && *c != '&'; c++, hidden++)
            *c = '*';
    }
    return hidden;
}

void
cli_hide_passwords(int argc, char **argv)
{
    static const char *const schemes[] = {"postgresql://", "postgres://"};
    for (int i = 1; i < argc; i++) {
        for (size_t k = 0; k < sizeof schemes / sizeof schemes[0]; k++) {
            char *url = strstr(argv[i], schemes[k]);
            if (!url)
                continue;
            char *copy = xstrdup(argv[i]); /* lives as long as the process: argv's */
            if (hide_in_url(url))
                argv[i] = copy;
            else
                free(copy);
            break;
        }
    }
}
