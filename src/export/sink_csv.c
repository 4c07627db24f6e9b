/* sink_csv — the csv format: a folder holding one RFC 4180 file per sheet (UTF-8, CRLF,
 * header row = the column keys). A new folder is built under a temporary name and renamed
 * into place at the end; in an existing folder (--force) each file is replaced atomically.
 * Text fields are guarded against formula injection (see text_csv_field). */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export_int.h"

struct pending {
    int fd;
    char *tmp, *final;
};

struct csv_sink {
    struct sink base;
    char *dir;     /* the target folder */
    char *workdir; /* where files are written: dir itself, or the temporary folder */
    int staged;    /* workdir is a temporary folder to rename to dir */
    FILE *f;
    const struct export_sheet *sh;
    struct pending files[SHEET_COUNT];
    size_t n_files;
    struct buf line;
};

static enum akw_status
csv_sheet_begin(struct sink *k, const struct export_sheet *sh, struct akw_err *err)
{
    struct csv_sink *s = (struct csv_sink *)k;
    struct pending *p = &s->files[s->n_files];
    p->final = xasprintf("%s/%s.csv", s->workdir, sh->key);
    p->fd = fs_open_tmp_beside(p->final, &p->tmp);
    if (p->fd < 0) {
        int e = errno;
        free(p->final);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", s->dir, strerror(e));
    }
    s->n_files++;
    int fd2 = dup(p->fd);
    s->f = fd2 >= 0 ? fdopen(fd2, "w") : NULL;
    if (!s->f) {
        if (fd2 >= 0)
            close(fd2);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", p->tmp, strerror(errno));
    }
    s->sh = sh;
    buf_reset(&s->line);
    for (size_t i = 0; i < sh->n_cols; i++) {
        if (i)
            buf_putc(&s->line, ',');
        text_csv_field(&s->line, sh->cols[i].key, 0);
    }
    buf_puts(&s->line, "\r\n");
    fwrite(s->line.data, 1, s->line.len, s->f);
    return AKW_OK;
}

static enum akw_status
csv_row(struct sink *k, const struct cell *cells, struct akw_err *err)
{
    struct csv_sink *s = (struct csv_sink *)k;
    char tbuf[32];
    (void)err;
    buf_reset(&s->line);
    for (size_t i = 0; i < s->sh->n_cols; i++) {
        const struct cell *c = &cells[i];
        if (i)
            buf_putc(&s->line, ',');
        switch (c->type) {
        case CELL_INT:
            buf_printf(&s->line, "%lld", c->n);
            break;
        case CELL_BOOL:
            buf_puts(&s->line, c->n ? "true" : "false");
            break;
        case CELL_TIME:
            akw_time_iso(c->t, tbuf);
            buf_puts(&s->line, tbuf);
            break;
        default:
            text_csv_field(&s->line, c->s, 1);
        }
    }
    buf_puts(&s->line, "\r\n");
    fwrite(s->line.data, 1, s->line.len, s->f);
    return AKW_OK;
}

static enum akw_status
csv_sheet_end(struct sink *k, struct akw_err *err)
{
    struct csv_sink *s = (struct csv_sink *)k;
    int bad = ferror(s->f);
    bad |= fclose(s->f) != 0;
    s->f = NULL;
    if (bad)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", s->files[s->n_files - 1].tmp,
                           strerror(errno));
    return AKW_OK;
}

static enum akw_status
csv_finish(struct sink *k, struct akw_err *err)
{
    struct csv_sink *s = (struct csv_sink *)k;
    for (size_t i = 0; i < s->n_files; i++) {
        struct pending *p = &s->files[i];
        enum akw_status rc = fs_commit_tmp(p->fd, p->tmp, p->final, 1, err);
        p->fd = -1;
        if (rc != AKW_OK)
            return rc;
    }
    if (s->staged) {
        /* rename() would replace an empty folder created meanwhile; fine, it held nothing */
        if (rename(s->workdir, s->dir) != 0)
            return akw_err_set(err, AKW_ERR_IO, "%s: %s", s->dir, strerror(errno));
        s->staged = 0;
    }
    return AKW_OK;
}

static void
csv_free(struct sink *k)
{
    struct csv_sink *s = (struct csv_sink *)k;
    for (size_t i = 0; i < s->n_files; i++) {
        free(s->files[i].tmp);
        free(s->files[i].final);
    }
    if (s->workdir != s->dir)
        free(s->workdir);
    free(s->dir);
    buf_done(&s->line);
    free(s);
}

static void
csv_abort(struct sink *k)
{
    struct csv_sink *s = (struct csv_sink *)k;
    if (s->f)
        fclose(s->f);
    for (size_t i = 0; i < s->n_files; i++) {
        struct pending *p = &s->files[i];
        if (p->fd >= 0) {
            close(p->fd);
            unlink(p->tmp);
        } else if (s->staged) {
            unlink(p->final); /* committed inside the temporary folder only */
        }
    }
    if (s->staged)
        rmdir(s->workdir);
    csv_free(k);
}

static const struct sink_ops csv_ops = {
    csv_sheet_begin, csv_row, csv_sheet_end, csv_finish, csv_abort, csv_free,
};

enum akw_status
sink_csv_new(const char *dir, struct sink **out, struct akw_err *err)
{
    struct csv_sink *s = xcalloc(1, sizeof *s);
    s->base.ops = &csv_ops;
    s->dir = xstrdup(dir);
    buf_init(&s->line);
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) {
            csv_free(&s->base);
            return akw_err_set(err, AKW_ERR_USAGE, _("%s: not a folder (csv writes a folder)"),
                               dir);
        }
        s->workdir = s->dir;
    } else {
        char *d = xstrdup(dir), *b = xstrdup(dir);
        s->workdir = xasprintf("%s/.%s.XXXXXX", dirname(d), basename(b));
        free(d);
        free(b);
        if (!mkdtemp(s->workdir)) {
            int e = errno;
            free(s->workdir);
            s->workdir = s->dir;
            csv_free(&s->base);
            return akw_err_set(err, AKW_ERR_IO, "%s: %s", dir, strerror(e));
        }
        s->staged = 1;
    }
    *out = &s->base;
    return AKW_OK;
}
