/* table — text output laid out by display width, so CJK text (translations, paths) and
 * wide characters line up: width of a UTF-8 string, padding, cutting, aligned tables,
 * TSV escaping and times. No knowledge of leaks.
 */
#include "config.h"
#include "cli/cli_int.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Width of the next character at s (n bytes available); *len gets its byte length. */
static int
char_width(const char *s, size_t n, size_t *len)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t k = mbrtowc(&wc, s, n, &st);
    if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
        *len = 1;
        return 1;
    }
    *len = k;
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

int
cli_width(const char *s)
{
    int w = 0;
    size_t n = s ? strlen(s) : 0, len;
    for (size_t i = 0; i < n; i += len)
        w += char_width(s + i, n - i, &len);
    return w;
}

void
cli_pad(FILE *f, const char *s, int width)
{
    fputs(s ? s : "", f);
    for (int w = cli_width(s); w < width; w++)
        fputc(' ', f);
}

void
cli_fit(FILE *f, const char *s, int width, int pad)
{
    if (!s)
        s = "";
    if (cli_width(s) <= width) {
        if (pad)
            cli_pad(f, s, width);
        else
            fputs(s, f);
        return;
    }
    size_t n = strlen(s), len;
    int w = 0;
    for (size_t i = 0; i < n; i += len) {
        int cw = char_width(s + i, n - i, &len);
        if (w + cw > width - 1)
            break;
        fwrite(s + i, 1, len, f);
        w += cw;
    }
    fputs("…", f);
    for (w++; pad && w < width; w++)
        fputc(' ', f);
}

const char *
cli_safe(const char *s)
{
    static struct buf ring[8];
    static unsigned next;
    struct buf *b = &ring[next++ % 8];
    buf_reset(b);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        buf_putc(b, (*p < 0x20 || *p == 0x7f) ? '?' : (char)*p);
    if (!b->data)
        buf_puts(b, "");
    return b->data;
}

const char *
cli_severity(enum severity s)
{
    /* the same words as severity_name(), marked here for translation */
    static const char *const names[] = {"", N_("low"), N_("medium"), N_("high"), N_("critical")};
    return (unsigned)s <= SEVERITY_CRITICAL ? _(names[s]) : "";
}

const char *
cli_confidence(enum confidence c)
{
    /* the same words as confidence_name(), marked here for translation */
    static const char *const names[] = {"", NC_("confidence", "low"), NC_("confidence", "medium"),
                                        NC_("confidence", "high")};
    return (unsigned)c <= CONFIDENCE_HIGH && c ? P_(names[c]) : "";
}

const char *
cli_handled_as(enum handled_as h)
{
    static const char *const names[] = {"", N_("deleted"), N_("disabled")};
    return (unsigned)h <= HANDLED_DISABLED ? (*names[h] ? _(names[h]) : "") : "";
}

struct cli_table {
    size_t n_cols, n_rows, cap;
    char **cells;
};

struct cli_table *
cli_table_new(size_t n_cols)
{
    struct cli_table *t = xcalloc(1, sizeof *t);
    t->n_cols = n_cols;
    return t;
}

void
cli_table_add(struct cli_table *t, const char *const *cells)
{
    if (t->n_rows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->cells = xrealloc(t->cells, t->cap * t->n_cols * sizeof *t->cells);
    }
    for (size_t c = 0; c < t->n_cols; c++)
        t->cells[t->n_rows * t->n_cols + c] = xstrdup(cli_safe(cells[c]));
    t->n_rows++;
}

void
cli_table_print(struct cli_table *t, FILE *f)
{
    int *width = xcalloc(t->n_cols, sizeof *width);
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_cols; c++) {
            int w = cli_width(t->cells[r * t->n_cols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *cell = t->cells[r * t->n_cols + c];
            if (c + 1 == t->n_cols)
                fputs(cell, f);
            else {
                cli_pad(f, cell, width[c]);
                fputs("  ", f);
            }
        }
        fputc('\n', f);
    }
    free(width);
}

void
cli_table_free(struct cli_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}

void
cli_tsv_field(FILE *f, const char *s, int last)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        default:
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\x%02x", (unsigned char)*p);
            else
                fputc(*p, f);
        }
    }
    fputc(last ? '\n' : '\t', f);
}
