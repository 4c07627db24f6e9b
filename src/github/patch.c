/* patch — reads GitHub's unified-diff "patch" field and keeps only the added lines, each at
 * its line number in the new file (other lines left empty), so detection reports the right
 * line and never sees context or removed lines. Does not apply patches. */
#include "config.h"
#include "github/github.h"

#include <stdlib.h>
#include <string.h>

/* "@@ -a,b +c,d @@" → c (the new file's first line of the hunk), or -1. */
static long
hunk_start(const char *line)
{
    const char *plus = strstr(line, " +");
    if (strncmp(line, "@@", 2) != 0 || !plus)
        return -1;
    return strtol(plus + 2, NULL, 10);
}

long
gh_patch_added(const char *patch, struct buf *out, long max_lines)
{
    long cur = 0, written = 0, added = 0; /* cur: new-file number of the next line */
    const char *p = patch;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (*p == '@') {
            long s = hunk_start(p);
            if (s > max_lines)
                break; /* hunks come in order: nothing later is kept (and no overflow) */
            if (s >= 0)
                cur = s > 0 ? s : 1;
        } else if (cur > 0 && *p == '+') {
            if (cur > max_lines)
                break;
            for (; written < cur - 1; written++)
                buf_putc(out, '\n');
            buf_append(out, p + 1, len - 1);
            buf_putc(out, '\n');
            written = cur;
            cur++;
            added++;
        } else if (cur > 0 && (*p == ' ' || len == 0)) {
            cur++;
        }
        /* '-' lines and "\ No newline at end of file" do not move the new file. */
        p = nl ? nl + 1 : NULL;
    }
    return added;
}
