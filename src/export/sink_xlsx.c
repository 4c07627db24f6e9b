/* sink_xlsx — the xlsx format through libxlsxwriter in constant-memory mode (each row goes
 * to a temporary file as soon as the next begins, so memory stays flat at a million rows).
 * Bold frozen header, autofilter, date-time cells (UTC), severity colours, hyperlinks,
 * headers and labels in the user's language, column widths fitted to what was written. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "export/export_int.h"

/* Excel allows 32767 characters per cell and 65530 hyperlinks per sheet, but libxlsxwriter
 * holds about 3 KB per hyperlink until the workbook is closed (65530 links = 200 MB), so
 * only the first XLSX_URLS_MAX URLs of a sheet are links; later ones are plain text. That
 * keeps peak memory under 64 MB at any store size. */
enum { XLSX_CELL_MAX = 32767, XLSX_URLS_MAX = 10000, XLSX_COLS_MAX = 32 };

/* Data rows per worksheet: Excel's maximum (1048576 rows, one is the header). */
uint32_t sink_xlsx_max_rows = LXW_ROW_MAX - 1;

struct xlsx_sink {
    struct sink base;
    lxw_workbook *wb;
    lxw_worksheet *ws[SHEET_COUNT];
    lxw_format *bold, *date, *sev[SEVERITY_CRITICAL + 1];
    const struct export_sheet *sh;
    lxw_worksheet *cur;
    lxw_row_t row;
    int part; /* continuation number of the current sheet (1 = the sheet itself) */
    long urls;
    size_t width[XLSX_COLS_MAX];  /* widest cell so far, header included */
    size_t header[XLSX_COLS_MAX]; /* the header's width: a column is never narrower */
};

/* Header fill and severity colours (critical red, high orange, medium yellow, low grey). */
static const struct {
    lxw_color_t bg, fg;
} sev_colors[SEVERITY_CRITICAL + 1] = {
    [SEVERITY_LOW] = {0xD9D9D9, LXW_COLOR_BLACK},
    [SEVERITY_MEDIUM] = {0xFFEB84, LXW_COLOR_BLACK},
    [SEVERITY_HIGH] = {0xF4A460, LXW_COLOR_BLACK},
    [SEVERITY_CRITICAL] = {0xE0301E, LXW_COLOR_WHITE},
};

static enum akw_status
lxw_fail(struct akw_err *err, const char *what, lxw_error e)
{
    return akw_err_set(err, AKW_ERR_IO, "xlsx: %s: %s", what, lxw_strerror(e));
}

static void
note_width(struct xlsx_sink *s, size_t col, size_t w)
{
    if (w > s->width[col])
        s->width[col] = w;
}

/* Widen col for text of n bytes. Display width never exceeds the byte count, so text no
 * longer than the current width, or a column already at its cap, costs no scan. */
static void
note_text_width(struct xlsx_sink *s, size_t col, const char *text, size_t n)
{
    if (n > s->width[col] && s->width[col] < (size_t)s->sh->cols[col].width)
        note_width(s, col, text_display_width(text));
}

/* Header row (bold, frozen) of the worksheet ws, which becomes the current one. */
static enum akw_status
start_worksheet(struct xlsx_sink *s, lxw_worksheet *ws, struct akw_err *err)
{
    const struct export_sheet *sh = s->sh;
    s->cur = ws;
    s->row = 0;
    s->urls = 0;
    for (size_t i = 0; i < sh->n_cols; i++) {
        const char *h = P_(sh->cols[i].header); /* some carry a context (NC_) */
        lxw_error e = worksheet_write_string(s->cur, 0, (lxw_col_t)i, h, s->bold);
        if (e)
            return lxw_fail(err, h, e);
        s->width[i] = s->header[i] = text_display_width(h) + 3; /* + autofilter button */
    }
    worksheet_freeze_panes(s->cur, 1, 0);
    return AKW_OK;
}

/* Column widths and the autofilter, once the current worksheet's rows are all written. */
static enum akw_status
end_worksheet(struct xlsx_sink *s, struct akw_err *err)
{
    const struct export_sheet *sh = s->sh;
    for (size_t i = 0; i < sh->n_cols; i++) {
        size_t w = s->width[i] + 1, max = (size_t)sh->cols[i].width;
        if (w > max) /* long text is cut at the column's cap, but never the header */
            w = max > s->header[i] ? max : s->header[i];
        worksheet_set_column(s->cur, (lxw_col_t)i, (lxw_col_t)i, (double)w, NULL);
    }
    lxw_error e = worksheet_autofilter(s->cur, 0, 0, s->row, (lxw_col_t)(sh->n_cols - 1));
    return e ? lxw_fail(err, sh->key, e) : AKW_OK;
}

static char *sheet_name(const char *name);

/* A sheet longer than Excel's 1048576 rows goes on in "Locations (2)", "(3)"... added at
 * the end of the workbook (constant-memory mode cannot insert a sheet in the middle). */
static enum akw_status
continue_sheet(struct xlsx_sink *s, struct akw_err *err)
{
    enum akw_status rc = end_worksheet(s, err);
    if (rc != AKW_OK)
        return rc;
    char *base = sheet_name(_(s->sh->name));
    base[text_utf8_prefix(base, LXW_SHEETNAME_MAX - 5)] = '\0'; /* room for " (NN)" */
    char *name = xasprintf("%s (%d)", base, ++s->part);
    lxw_worksheet *ws = workbook_add_worksheet(s->wb, name);
    free(base);
    free(name);
    if (!ws)
        return akw_err_set(err, AKW_ERR_IO, "xlsx: %s (%d)", s->sh->key, s->part);
    return start_worksheet(s, ws, err);
}

static enum akw_status
xlsx_sheet_begin(struct sink *k, const struct export_sheet *sh, struct akw_err *err)
{
    struct xlsx_sink *s = (struct xlsx_sink *)k;
    if (sh->n_cols > XLSX_COLS_MAX)
        return akw_err_set(err, AKW_ERR_USAGE, "xlsx: too many columns");
    s->sh = sh;
    s->part = 1;
    return start_worksheet(s, s->ws[sh->id], err);
}

static lxw_error
write_text(struct xlsx_sink *s, lxw_col_t col, const char *text, lxw_format *fmt)
{
    size_t n = strlen(text);
    if (n > XLSX_CELL_MAX) { /* bytes >= characters: only then can the limit be hit */
        size_t cut = text_utf8_prefix(text, XLSX_CELL_MAX);
        if (cut < n) {
            char *t = xstrndup(text, cut);
            lxw_error e = worksheet_write_string(s->cur, s->row, col, t, fmt);
            free(t);
            note_width(s, col, XLSX_CELL_MAX);
            return e;
        }
    }
    note_text_width(s, col, text, n);
    return worksheet_write_string(s->cur, s->row, col, text, fmt);
}

static size_t
digits(long long n)
{
    size_t d = n < 0 ? 2 : 1;
    for (; n >= 10 || n <= -10; n /= 10)
        d++;
    return d;
}

static lxw_error
write_cell(struct xlsx_sink *s, lxw_col_t col, const struct cell *c)
{
    switch (c->type) {
    case CELL_INT:
        note_width(s, col, digits(c->n));
        return worksheet_write_number(s->cur, s->row, col, (double)c->n, NULL);
    case CELL_BOOL:
        note_width(s, col, 5);
        return worksheet_write_boolean(s->cur, s->row, col, c->n != 0, NULL);
    case CELL_TIME:
        if (!c->t)
            return LXW_NO_ERROR;
        note_width(s, col, 19);
        return worksheet_write_unixtime(s->cur, s->row, col, (int64_t)c->t, s->date);
    default:
        break;
    }
    if (!c->s || !*c->s)
        return LXW_NO_ERROR;
    if (c->type == CELL_LABEL)
        return write_text(s, col, _(c->s), NULL);
    if (c->type == CELL_SEVERITY) {
        enum severity sv;
        lxw_format *fmt = severity_parse(c->s, &sv) == 0 ? s->sev[sv] : NULL;
        return write_text(s, col, _(c->s), fmt);
    }
    if (c->type == CELL_URL && s->urls < XLSX_URLS_MAX) {
        /* Past Excel's limit (or for an over-long URL) the link stays as plain text. */
        if (worksheet_write_url(s->cur, s->row, col, c->s, NULL) == LXW_NO_ERROR) {
            s->urls++;
            note_text_width(s, col, c->s, strlen(c->s));
            return LXW_NO_ERROR;
        }
    }
    return write_text(s, col, c->s, NULL);
}

static enum akw_status
xlsx_row(struct sink *k, const struct cell *cells, struct akw_err *err)
{
    struct xlsx_sink *s = (struct xlsx_sink *)k;
    if (s->row >= sink_xlsx_max_rows) {
        enum akw_status rc = continue_sheet(s, err);
        if (rc != AKW_OK)
            return rc;
    }
    s->row++;
    for (size_t i = 0; i < s->sh->n_cols; i++) {
        lxw_error e = write_cell(s, (lxw_col_t)i, &cells[i]);
        if (e)
            return lxw_fail(err, s->sh->key, e);
    }
    return AKW_OK;
}

static enum akw_status
xlsx_sheet_end(struct sink *k, struct akw_err *err)
{
    return end_worksheet((struct xlsx_sink *)k, err);
}

static enum akw_status
xlsx_finish(struct sink *k, struct akw_err *err)
{
    struct xlsx_sink *s = (struct xlsx_sink *)k;
    lxw_error e = workbook_close(s->wb);
    s->wb = NULL;
    return e ? lxw_fail(err, _("saving the workbook"), e) : AKW_OK;
}

static void
xlsx_free(struct sink *k)
{
    struct xlsx_sink *s = (struct xlsx_sink *)k;
    if (s->wb)
        lxw_workbook_free(s->wb); /* discards, writes nothing; the caller unlinks the file */
    free(s);
}

static const struct sink_ops xlsx_ops = {
    xlsx_sheet_begin, xlsx_row, xlsx_sheet_end, xlsx_finish, xlsx_free, xlsx_free,
};

/* A translated sheet name made valid for Excel: at most 31 characters, none of []:*?/\ . */
static char *
sheet_name(const char *name)
{
    char *n = xstrndup(name, text_utf8_prefix(name, LXW_SHEETNAME_MAX));
    for (char *p = n; *p; p++)
        if (strchr("[]:*?/\\", *p))
            *p = '_';
    return n;
}

static void
make_formats(struct xlsx_sink *s)
{
    s->bold = workbook_add_format(s->wb);
    format_set_bold(s->bold);
    format_set_bg_color(s->bold, 0xDDEBF7);
    format_set_bottom(s->bold, LXW_BORDER_THIN);
    s->date = workbook_add_format(s->wb);
    format_set_num_format(s->date, "yyyy-mm-dd hh:mm:ss");
    for (int sv = SEVERITY_LOW; sv <= SEVERITY_CRITICAL; sv++) {
        s->sev[sv] = workbook_add_format(s->wb);
        format_set_bg_color(s->sev[sv], sev_colors[sv].bg);
        format_set_font_color(s->sev[sv], sev_colors[sv].fg);
        if (sv == SEVERITY_CRITICAL)
            format_set_bold(s->sev[sv]);
    }
}

enum akw_status
sink_xlsx_new(const char *tmp_path, unsigned sheets, struct sink **out, struct akw_err *err)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    struct xlsx_sink *s = xcalloc(1, sizeof *s);
    s->base.ops = &xlsx_ops;
    s->wb = workbook_new_opt(tmp_path, &opt);
    if (!s->wb) {
        free(s);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", tmp_path, _("cannot create the workbook"));
    }
    make_formats(s);
    for (int i = 0; i < SHEET_COUNT; i++) {
        if (sheets && !(sheets >> i & 1u))
            continue;
        char *name = sheet_name(_(export_sheets[i].name));
        s->ws[i] = workbook_add_worksheet(s->wb, name);
        free(name);
        if (!s->ws[i]) /* two names equal after translation: fall back to the English one */
            s->ws[i] = workbook_add_worksheet(s->wb, export_sheets[i].name);
        if (!s->ws[i]) {
            xlsx_free(&s->base);
            return akw_err_set(err, AKW_ERR_IO, "xlsx: %s", export_sheets[i].name);
        }
    }
    *out = &s->base;
    return AKW_OK;
}
