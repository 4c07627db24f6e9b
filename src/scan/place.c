/* place — where a local or history finding is, whatever folder was named on the command
 * line: in a git work tree (nearest folder upward with a .git entry), that tree and the path
 * in it, like a GitHub location; outside one, no repository and the absolute path. So
 * `scan proj` and `scan proj/sub/file` give one location. Stats .git entries, reads nothing. */
#include "config.h"
#include "scan/local.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
scan_place_done(struct scan_place *p)
{
    free(p->dir);
    free(p->top);
    free(p->path);
    memset(p, 0, sizeof *p);
}

/* The nearest folder from dir upward (dir included) that holds a .git entry (a folder, or
 * the file of a linked work tree or submodule); NULL when none. dir is absolute. */
static char *
work_tree_top(const char *dir)
{
    char *d = xstrdup(dir);
    for (;;) {
        char *git = xasprintf("%s/.git", strcmp(d, "/") == 0 ? "" : d);
        struct stat sb;
        int found = lstat(git, &sb) == 0;
        free(git);
        if (found)
            return d;
        char *slash = strrchr(d, '/');
        if (!slash || strcmp(d, "/") == 0)
            break;
        slash[slash == d ? 1 : 0] = '\0';
    }
    free(d);
    return NULL;
}

char *
scan_work_tree_of(const char *dir)
{
    return work_tree_top(dir);
}

void
scan_place_of(struct scan_place *p, const char *root, const char *relpath, const char **repo,
              const char **path)
{
    /* root is already resolved (realpath); relpath holds no "." or ".." */
    const char *sep = *relpath && strcmp(root, "/") != 0 ? "/" : "";
    char *abs = xasprintf("%s%s%s", root, sep, relpath);
    char *slash = strrchr(abs, '/');
    char *dir = xstrndup(abs, slash == abs ? 1 : (size_t)(slash - abs));
    if (!p->dir || strcmp(p->dir, dir) != 0) { /* one lookup per folder, not per finding */
        free(p->dir);
        free(p->top);
        p->dir = dir;
        p->top = work_tree_top(dir);
    } else {
        free(dir);
    }
    free(p->path);
    if (p->top) {
        size_t n = strcmp(p->top, "/") == 0 ? 0 : strlen(p->top);
        p->path = xstrdup(abs + n + 1);
        free(abs);
    } else {
        p->path = abs;
    }
    *repo = p->top;
    *path = p->path;
}
