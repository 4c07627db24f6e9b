/* owned — does a finding name something the user declared theirs in [assets]? Plain
 * string matching on name boundaries; no DNS, no I/O.
 */
#include "config.h"
#include "scan/local.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int
name_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Is name in text on boundaries? A '.' may precede (subdomain) but a following ".x"
 * would make it a longer name. */
static int
contains_name(const char *text, const char *name)
{
    size_t n = strlen(name);
    if (!text || n == 0)
        return 0;
    for (const char *p = text; (p = strcasestr(p, name)) != NULL; p++) {
        int left_ok = p == text || !name_char(p[-1]);
        char r = p[n];
        int right_ok = !name_char(r) && !(r == '.' && name_char(p[n + 1]));
        if (left_ok && right_ok)
            return 1;
    }
    return 0;
}

int
scan_owned(const struct scan_assets *a, const char *ak_id, const char *line, const char *secret)
{
    if (!a)
        return 0;
    for (size_t i = 0; ak_id && i < a->n_ak_ids; i++)
        if (a->ak_ids[i] && strcmp(a->ak_ids[i], ak_id) == 0)
            return 1;
    for (size_t i = 0; i < a->n_names; i++)
        if (contains_name(line, a->names[i]) || contains_name(secret, a->names[i]))
            return 1;
    return 0;
}
