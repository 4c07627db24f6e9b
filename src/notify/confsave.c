/* confsave — save the notification window from the TUI settings pane: rewrite only the window,
 * days and tz lines of [notify], line by line, so the user's comments, order, blank lines and
 * every other key stay exactly as written. It does not parse or validate other keys.
 */
#include "config.h"
#include "notify/notify.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const keys[3] = {"window", "days", "tz"};

struct line {
    const char *s; /* into the file text; without the newline */
    size_t n;
};

static size_t
skip_ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* Section name of a "[name]" line (into *name, *len); 0 when the line is not a header. */
static int
section_of(const struct line *l, const char **name, size_t *len)
{
    size_t i = skip_ws(l->s, 0, l->n);
    if (i >= l->n || l->s[i] != '[')
        return 0;
    const char *close = memchr(l->s + i, ']', l->n - i);
    if (!close)
        return 0;
    *name = l->s + i + 1;
    *len = (size_t)(close - *name);
    return 1;
}

/* Which of keys[] the line assigns (0..2), or -1. *val gets the offset of the value. */
static int
key_of(const struct line *l, size_t *val)
{
    size_t i = skip_ws(l->s, 0, l->n), k = i;
    while (k < l->n && (isalnum((unsigned char)l->s[k]) || l->s[k] == '_'))
        k++;
    size_t e = skip_ws(l->s, k, l->n);
    if (k == i || e >= l->n || (l->s[e] != '=' && l->s[e] != ':'))
        return -1;
    for (int j = 0; j < 3; j++)
        if (strlen(keys[j]) == k - i && strncasecmp(l->s + i, keys[j], k - i) == 0) {
            *val = skip_ws(l->s, e + 1, l->n);
            return j;
        }
    return -1;
}

/* Offset of an inline comment (";" or "#" after whitespace) at or after from, or n. */
static size_t
comment_at(const struct line *l, size_t from)
{
    for (size_t i = from; i < l->n; i++)
        if ((l->s[i] == ';' || l->s[i] == '#') && i > 0 && (l->s[i - 1] == ' ' || l->s[i - 1] == '\t'))
            return i;
    return l->n;
}

static void
put_assignment(struct buf *out, const struct line *l, size_t val, const char *value)
{
    size_t c = comment_at(l, val);
    if (!value || !*value) {
        if (c < l->n) { /* keep the user's note as a comment of its own */
            buf_append(out, l->s + c, l->n - c);
            buf_putc(out, '\n');
        }
        return;
    }
    buf_append(out, l->s, val);
    buf_puts(out, value);
    if (c < l->n) {
        size_t col = val + strlen(value);
        for (size_t pad = col < c ? c - col : 1; pad > 0; pad--)
            buf_putc(out, ' ');
        buf_append(out, l->s + c, l->n - c);
    }
    buf_putc(out, '\n');
}

static void
rewrite(const char *text, size_t len, const char *const values[3], struct buf *out)
{
    size_t nlines = 0, cap = 64;
    struct line *lines = xmalloc(cap * sizeof *lines);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - text) - i : len - i;
        if (nlines == cap)
            lines = xrealloc(lines, (cap *= 2) * sizeof *lines);
        lines[nlines++] = (struct line){text + i, n};
        i += n + 1;
    }
    int in_notify = 0, seen_section = 0, done[3] = {0, 0, 0};
    size_t insert_after = 0; /* last non-blank line of [notify], + 1 */
    /* Pass 1: where does [notify] end? */
    for (size_t i = 0; i < nlines; i++) {
        const char *name;
        size_t nlen;
        if (section_of(&lines[i], &name, &nlen)) {
            in_notify = nlen == 6 && strncasecmp(name, "notify", 6) == 0;
            if (in_notify) { /* new keys go to the end of the last [notify] */
                seen_section = 1;
                insert_after = i + 1;
            }
        } else if (in_notify && skip_ws(lines[i].s, 0, lines[i].n) < lines[i].n) {
            insert_after = i + 1;
        }
    }
    in_notify = 0;
    for (size_t i = 0; i <= nlines; i++) {
        if (seen_section && i == insert_after)
            for (int j = 0; j < 3; j++)
                if (!done[j] && values[j] && *values[j]) {
                    if (out->len > 0 && out->data[out->len - 1] != '\n')
                        buf_putc(out, '\n');
                    buf_printf(out, "%s = %s\n", keys[j], values[j]);
                    done[j] = 1;
                }
        if (i == nlines)
            break;
        const char *name;
        size_t nlen, val;
        int k;
        if (section_of(&lines[i], &name, &nlen)) {
            in_notify = nlen == 6 && strncasecmp(name, "notify", 6) == 0;
        } else if (in_notify && (k = key_of(&lines[i], &val)) >= 0) {
            if (!done[k]) {
                put_assignment(out, &lines[i], val, values[k]);
                done[k] = 1;
            } else {
                put_assignment(out, &lines[i], val, NULL); /* a repeat: drop it */
            }
            continue;
        }
        buf_append(out, lines[i].s, lines[i].n);
        if (i + 1 < nlines || (len > 0 && text[len - 1] == '\n'))
            buf_putc(out, '\n');
    }
    if (!seen_section && ((values[0] && *values[0]) || (values[1] && *values[1])
                          || (values[2] && *values[2]))) {
        if (out->len > 0 && out->data[out->len - 1] != '\n')
            buf_putc(out, '\n');
        buf_puts(out, out->len > 0 ? "\n[notify]\n" : "[notify]\n");
        for (int j = 0; j < 3; j++)
            if (values[j] && *values[j])
                buf_printf(out, "%s = %s\n", keys[j], values[j]);
    }
    free(lines);
}

enum akw_status
notify_config_save_window(const char *path, const char *window, const char *days, const char *tz,
                          struct akw_err *err)
{
    struct notify_window w;
    enum akw_status s = notify_window_parse(window, days, tz, &w, err);
    notify_window_done(&w);
    if (s != AKW_OK)
        return s;
    const char *const values[3] = {window, days, tz};
    for (int j = 0; j < 3; j++)
        if (values[j] && strpbrk(values[j], "\n\r;#"))
            return akw_err_set(err, AKW_ERR_USAGE, _("%s: value must be a single plain line"),
                               keys[j]);
    /* Write through a symlink to its target, so a linked dotfile stays linked. */
    char real[PATH_MAX];
    const char *target = realpath(path, real) ? real : path;
    char *text = NULL;
    size_t len = 0;
    if (access(target, F_OK) == 0 && (s = fs_read_all(target, &text, &len, err)) != AKW_OK)
        return s;
    struct buf out;
    buf_init(&out);
    rewrite(text ? text : "", len, values, &out);
    free(text);
    char *tmp = NULL;
    if (fs_mkdir_parents(target) != 0) {
        buf_done(&out);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", target, strerror(errno));
    }
    int fd = fs_open_tmp_beside(target, &tmp);
    if (fd < 0) {
        buf_done(&out);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", target, strerror(errno));
    }
    size_t off = 0;
    while (off < out.len) {
        ssize_t w2 = write(fd, out.data + off, out.len - off);
        if (w2 < 0 && errno == EINTR)
            continue;
        if (w2 <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            free(tmp);
            buf_done(&out);
            return akw_err_set(err, AKW_ERR_IO, "%s: %s", target, strerror(e));
        }
        off += (size_t)w2;
    }
    buf_done(&out);
    s = fs_commit_tmp(fd, tmp, target, 1, err);
    free(tmp);
    return s;
}
