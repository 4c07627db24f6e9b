/* skip — does a [scan] skip fragment name this path? Component-boundary suffix matching
 * with shell wildcards; no I/O.
 */
#include "config.h"
#include "scan/local.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Does pattern (length n, no trailing '/') match the whole of s? */
static int
match_whole(const char *pattern, size_t n, const char *s)
{
    char pat[1024];
    if (n >= sizeof pat)
        return 0;
    memcpy(pat, pattern, n);
    pat[n] = '\0';
    if (strpbrk(pat, "*?["))
        return fnmatch(pat, s, FNM_PATHNAME | FNM_PERIOD) == 0;
    return strcmp(pat, s) == 0;
}

static int
match_one(const char *item, const char *relpath, int is_dir)
{
    size_t n = strlen(item);
    int dir_only = n > 0 && item[n - 1] == '/';
    if (dir_only) {
        if (!is_dir)
            return 0;
        n--;
    }
    int anchored = item[0] == '/';
    if (anchored) {
        item++;
        n--;
    }
    if (n == 0)
        return 0;
    if (match_whole(item, n, relpath))
        return 1;
    if (anchored)
        return 0;
    /* every suffix that starts after a '/' */
    for (const char *p = strchr(relpath, '/'); p; p = strchr(p + 1, '/'))
        if (match_whole(item, n, p + 1))
            return 1;
    return 0;
}

int
scan_skip_match(const char *const *skip, size_t n, const char *relpath, int is_dir)
{
    for (size_t i = 0; i < n; i++)
        if (skip[i] && match_one(skip[i], relpath, is_dir))
            return 1;
    return 0;
}

int
scan_skip_match_file(const char *const *skip, size_t n, const char *relpath)
{
    if (n == 0)
        return 0;
    char *dir = xstrdup(relpath);
    int hit = 0;
    /* every folder on the way, as the walker would have met it, then the file */
    for (char *p = strchr(dir, '/'); p && !hit; p = strchr(p + 1, '/')) {
        *p = '\0';
        hit = scan_skip_match(skip, n, dir, 1);
        *p = '/';
    }
    free(dir);
    return hit || scan_skip_match(skip, n, relpath, 0);
}
