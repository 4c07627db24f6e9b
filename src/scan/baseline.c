/* baseline — the ignore file of a scanned root (.akwatchignore): the fingerprints of the
 * findings a team judged not to be leaks, one per line, read into a sorted set; and the
 * writer `akwatch baseline` uses. A fingerprint is per secret (SHA-256 of rule and secret),
 * so a secret that is not listed is never hidden by the file. Reads and writes only the
 * files it is given; prints nothing.
 */
#include "config.h"
#include "scan/local.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct scan_baseline {
    char (*fp)[65]; /* sorted, lower-case hex */
    size_t n, cap;
};

static int
fp_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The entry of one line (its first word, lower-cased, into out), 0 for a blank or comment
 * line, -1 for a word that is not a fingerprint. */
static int
parse_line(char *line, char out[65], const char **word)
{
    char *p = line + strspn(line, " \t\r");
    *word = p;
    if (*p == '\0' || *p == '#')
        return 0;
    size_t n = strcspn(p, " \t\r");
    char *rest = p + n + strspn(p + n, " \t\r");
    p[n] = '\0';
    if (n != 64 || strspn(p, "0123456789abcdefABCDEF") != 64 || (*rest && *rest != '#'))
        return -1;
    for (size_t i = 0; i < 64; i++)
        out[i] = (char)tolower((unsigned char)p[i]);
    out[64] = '\0';
    return 1;
}

static void
add(struct scan_baseline *b, const char fp[65])
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->fp = xrealloc(b->fp, b->cap * sizeof *b->fp);
    }
    memcpy(b->fp[b->n++], fp, 65);
}

enum akw_status
scan_baseline_load(const char *path, struct scan_baseline **out, struct akw_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return AKW_OK;
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(errno));
    }
    struct scan_baseline *b = xcalloc(1, sizeof *b);
    char *line = NULL;
    size_t cap = 0;
    long no = 0;
    enum akw_status rc = AKW_OK;
    while (getline(&line, &cap, f) > 0) {
        no++;
        line[strcspn(line, "\n")] = '\0';
        char fp[65];
        const char *word;
        int r = parse_line(line, fp, &word);
        if (r < 0) {
            rc = akw_err_set(err, AKW_ERR_PARSE,
                             _("%s:%ld: not a fingerprint (64 hex digits, then an optional "
                               "# comment): '%.80s'"),
                             path, no, word);
            break;
        }
        if (r > 0)
            add(b, fp);
    }
    if (rc == AKW_OK && ferror(f))
        rc = akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(errno));
    free(line);
    fclose(f);
    if (rc != AKW_OK) {
        scan_baseline_free(b);
        return rc;
    }
    qsort(b->fp, b->n, sizeof *b->fp, fp_cmp);
    *out = b;
    return AKW_OK;
}

int
scan_baseline_has(const struct scan_baseline *b, const char *fingerprint)
{
    return b && b->n && bsearch(fingerprint, b->fp, b->n, sizeof *b->fp, fp_cmp) != NULL;
}

size_t
scan_baseline_count(const struct scan_baseline *b)
{
    return b ? b->n : 0;
}

void
scan_baseline_free(struct scan_baseline *b)
{
    if (!b)
        return;
    free(b->fp);
    free(b);
}

char *
scan_baseline_root_of(const char *arg)
{
    char *abs = realpath(arg, NULL);
    if (!abs)
        return NULL;
    struct stat sb;
    if (stat(abs, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        char *slash = strrchr(abs, '/');
        if (slash)
            slash[slash == abs ? 1 : 0] = '\0';
    }
    char *top = scan_work_tree_of(abs);
    if (top) {
        free(abs);
        return top;
    }
    return abs;
}

/* ---- the baselines of several roots ------------------------------------------------ */

void
scan_baselines_done(struct scan_baselines *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].root);
        scan_baseline_free(c->v[i].b);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}

enum akw_status
scan_baselines_get(struct scan_baselines *c, const char *root,
                   const struct scan_baseline **out, struct akw_err *err)
{
    *out = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].root, root) == 0) {
            *out = c->v[i].b;
            return AKW_OK;
        }
    char *path = xasprintf("%s/%s", strcmp(root, "/") == 0 ? "" : root, SCAN_BASELINE_FILE);
    struct scan_baseline *b = NULL;
    enum akw_status rc = scan_baseline_load(path, &b, err);
    free(path);
    if (rc != AKW_OK)
        return rc;
    c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
    c->v[c->n].root = xstrdup(root);
    c->v[c->n++].b = b;
    *out = b;
    return AKW_OK;
}

/* ---- writing ------------------------------------------------------------------------- */

/* A file name may hold a newline: in a comment every control character becomes '?', so an
 * entry stays one line. */
static void
put_comment(struct buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        buf_putc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
}

static int
entry_cmp(const void *a, const void *b)
{
    const struct scan_baseline_entry *x = a, *y = b;
    int c = strcmp(x->fingerprint, y->fingerprint);
    if (c == 0) /* qsort is not stable: the same file whatever order the scan found them */
        c = strcmp(x->where ? x->where : "", y->where ? y->where : "");
    return c ? c : strcmp(x->rule ? x->rule : "", y->rule ? y->rule : "");
}

enum akw_status
scan_baseline_write(const char *path, struct scan_baseline_entry *e, size_t n,
                    const char *header, size_t *written, struct akw_err *err)
{
    size_t lines = 0;
    *written = 0;
    qsort(e, n, sizeof *e, entry_cmp);
    struct buf b;
    buf_init(&b);
    buf_puts(&b, header);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(e[i].fingerprint, e[i - 1].fingerprint) == 0)
            continue; /* one line per secret, named by its first place in sort order */
        buf_printf(&b, "%s  # ", e[i].fingerprint);
        lines++;
        put_comment(&b, e[i].rule);
        buf_putc(&b, ' ');
        put_comment(&b, e[i].where);
        buf_putc(&b, '\n');
    }
    char *tmp = NULL;
    int fd = fs_open_tmp_beside(path, &tmp);
    if (fd < 0) {
        buf_done(&b);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(errno));
    }
    size_t off = 0;
    while (off < b.len) {
        ssize_t w = write(fd, b.data + off, b.len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e2 = errno;
            close(fd);
            unlink(tmp);
            free(tmp);
            buf_done(&b);
            return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(e2 ? e2 : EIO));
        }
        off += (size_t)w;
    }
    buf_done(&b);
    enum akw_status rc = fs_commit_tmp(fd, tmp, path, 1, err);
    free(tmp);
    if (rc == AKW_OK)
        *written = lines;
    return rc;
}
