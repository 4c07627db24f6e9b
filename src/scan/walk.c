/* walk — the recursive file walker: sorted order, symlinks followed with each folder
 * visited once (dev/inode set), skips counted by reason, files read in full into one
 * reused buffer. Knows nothing of rules or findings.
 */
#include "config.h"
#include "scan/local.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// clang-format off
static const char *const skip_names[SCAN_SKIP_N] = {
    [SCAN_SKIP_GIT]        = N_(".git folder"),
    [SCAN_SKIP_CONFIG]     = N_("skip rule"),
    [SCAN_SKIP_TOO_BIG]    = N_("too big"),
    [SCAN_SKIP_BINARY]     = N_("binary"),
    [SCAN_SKIP_SPECIAL]    = N_("not a regular file"),
    [SCAN_SKIP_LOOP]       = N_("already walked (symlink)"),
    [SCAN_SKIP_UNREADABLE] = N_("unreadable"),
};
// clang-format on

const char *
scan_skip_name(enum scan_skip r)
{
    return (unsigned)r < SCAN_SKIP_N ? skip_names[r] : "";
}

/* Folders already walked, by (dev, inode): open addressing, grows at half full. */
struct dirset {
    struct {
        dev_t dev;
        ino_t ino;
        int used;
    } *slots;
    size_t cap, n;
};

static size_t
dirset_hash(dev_t dev, ino_t ino, size_t cap)
{
    uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)ino;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return (size_t)(h ^ (h >> 32)) & (cap - 1);
}

/* Returns 1 if (dev, ino) was added, 0 if it was already there. */
static int
dirset_add(struct dirset *s, dev_t dev, ino_t ino)
{
    if (2 * (s->n + 1) > s->cap) {
        struct dirset bigger = {NULL, s->cap ? 2 * s->cap : 64, 0};
        bigger.slots = xcalloc(bigger.cap, sizeof *bigger.slots);
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i].used)
                dirset_add(&bigger, s->slots[i].dev, s->slots[i].ino);
        free(s->slots);
        *s = bigger;
    }
    size_t i = dirset_hash(dev, ino, s->cap);
    while (s->slots[i].used) {
        if (s->slots[i].dev == dev && s->slots[i].ino == ino)
            return 0;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i].dev = dev;
    s->slots[i].ino = ino;
    s->slots[i].used = 1;
    s->n++;
    return 1;
}

struct walk {
    const struct scan_opts *o;
    scan_file_cb cb;
    void *user;
    struct scan_stats *st;
    struct dirset seen;
    struct buf data; /* file contents, reused */
    const char *root;
    int stop;
};

static void
skipped(struct walk *w, enum scan_skip why)
{
    w->st->skipped[why]++;
}

static int
progress(struct walk *w, const char *path)
{
    if (w->o->on_progress && w->o->on_progress(w->st, path, w->o->user))
        w->stop = 1;
    return w->stop;
}

/* Read path (stat'ed as regular, size st_size) in full into w->data. O_NONBLOCK guards
 * against the file having been swapped for a FIFO since the stat. Returns 0, -1 on error,
 * 1 when it grew past the limit while we read. */
static int
read_file(struct walk *w, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return -1;
    }
    buf_reset(&w->data);
    long long limit = w->o->max_file_size;
    for (;;) {
        buf_reserve(&w->data, 65536);
        ssize_t n = read(fd, w->data.data + w->data.len, w->data.cap - w->data.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        w->data.len += (size_t)n;
        if (limit > 0 && (long long)w->data.len > limit) {
            close(fd);
            return 1;
        }
    }
    w->data.data[w->data.len] = '\0';
    close(fd);
    return 0;
}

static void
scan_regular(struct walk *w, const char *path, const char *relpath, const struct stat *sb)
{
    if (w->o->max_file_size > 0 && sb->st_size > w->o->max_file_size) {
        skipped(w, SCAN_SKIP_TOO_BIG);
        return;
    }
    int rc = read_file(w, path);
    if (rc != 0) {
        skipped(w, rc > 0 ? SCAN_SKIP_TOO_BIG : SCAN_SKIP_UNREADABLE);
        return;
    }
    if (detect_is_binary(w->data.data, w->data.len)) {
        skipped(w, SCAN_SKIP_BINARY);
        return;
    }
    w->st->files++;
    w->st->bytes += (long long)w->data.len;
    struct scan_file f = {path, w->root, relpath, w->data.data, w->data.len};
    if (w->cb(&f, w->user))
        w->stop = 1;
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names of an open folder (so results do not depend on readdir order). */
static char **
read_names(DIR *dir, size_t *n_out)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(de->d_name);
    }
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    *n_out = n;
    return names;
}

static void walk_entry(struct walk *w, const char *path, const char *relpath, int top);

static void
walk_dir(struct walk *w, const char *path, const char *relpath, const struct stat *sb)
{
    if (!dirset_add(&w->seen, sb->st_dev, sb->st_ino)) {
        skipped(w, SCAN_SKIP_LOOP);
        return;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        skipped(w, SCAN_SKIP_UNREADABLE);
        return;
    }
    size_t n;
    char **names = read_names(dir, &n);
    closedir(dir);
    size_t plen = strlen(path);
    const char *sep = plen && path[plen - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < n; i++) {
        if (!w->stop) {
            char *child = xasprintf("%s%s%s", path, sep, names[i]);
            char *childrel = *relpath ? xasprintf("%s/%s", relpath, names[i]) : xstrdup(names[i]);
            walk_entry(w, child, childrel, 0);
            free(child);
            free(childrel);
        }
        free(names[i]);
    }
    free(names);
}

static void
walk_entry(struct walk *w, const char *path, const char *relpath, int top)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        skipped(w, SCAN_SKIP_UNREADABLE); /* also broken symlinks */
        return;
    }
    int is_dir = S_ISDIR(sb.st_mode);
    if (!top) {
        const char *base = strrchr(relpath, '/');
        base = base ? base + 1 : relpath;
        if (is_dir && strcmp(base, ".git") == 0) {
            skipped(w, SCAN_SKIP_GIT);
            return;
        }
        if (scan_skip_match(w->o->skip, w->o->n_skip, relpath, is_dir)) {
            skipped(w, SCAN_SKIP_CONFIG);
            return;
        }
    }
    if (is_dir)
        walk_dir(w, path, relpath, &sb);
    else if (S_ISREG(sb.st_mode)) {
        scan_regular(w, path, relpath, &sb);
        if (!w->stop)
            progress(w, path);
    } else
        skipped(w, SCAN_SKIP_SPECIAL);
}

enum akw_status
scan_path_check(const char *arg, struct akw_err *err)
{
    struct stat sb;
    if (!arg || !*arg)
        return akw_err_set(err, AKW_ERR_IO, "%s", _("empty path"));
    if (stat(arg, &sb) != 0)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", arg, strerror(errno));
    if (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode))
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", arg, _("not a regular file or folder"));
    if (access(arg, S_ISDIR(sb.st_mode) ? R_OK | X_OK : R_OK) != 0)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", arg, strerror(errno));
    return AKW_OK;
}

/* The folder the argument names (a file argument: its folder), absolute; and relpath of
 * a file argument. Caller frees both. */
static enum akw_status
resolve_root(const char *arg, int is_dir, char **root, char **relpath, struct akw_err *err)
{
    char *copy = xstrdup(arg), *base = NULL;
    if (!is_dir) {
        char *slash = strrchr(copy, '/');
        base = xstrdup(slash ? slash + 1 : copy);
        if (slash == copy)
            copy[1] = '\0';
        else if (slash)
            *slash = '\0';
        else
            strcpy(copy, ".");
    }
    char *abs = realpath(copy, NULL);
    int e = errno;
    free(copy);
    if (!abs) {
        free(base);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", arg, strerror(e));
    }
    *root = abs;
    *relpath = base ? base : xstrdup("");
    return AKW_OK;
}

enum akw_status
scan_walk(const char *arg, const struct scan_opts *o, scan_file_cb cb, void *user,
          struct scan_stats *st, struct akw_err *err)
{
    enum akw_status rc = scan_path_check(arg, err);
    if (rc != AKW_OK)
        return rc;
    struct stat sb;
    if (stat(arg, &sb) != 0)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", arg, strerror(errno));
    struct walk w = {.o = o, .cb = cb, .user = user, .st = st};
    char *root = NULL, *relpath = NULL;
    rc = resolve_root(arg, S_ISDIR(sb.st_mode), &root, &relpath, err);
    if (rc != AKW_OK)
        return rc;
    w.root = root;
    buf_init(&w.data);
    walk_entry(&w, arg, relpath, 1);
    buf_wipe(&w.data);
    free(w.seen.slots);
    free(root);
    free(relpath);
    return w.stop ? AKW_ERR_CANCEL : AKW_OK;
}
