/* sink_json — the json format: one document, streamed (constant memory), one row object
 * per line so it also greps well:
 *   {"report":"akwatch","version":1,"generated_at":"...Z","status_filter":null,
 *    "sheets":{
 *   "leaks":[
 *   {"id":1,"severity":"high",...},
 *   ...],
 *   "summary":[...]}}
 * Keys are the column keys; times ISO 8601 UTC or null; empty text is null. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export_int.h"

struct json_sink {
    struct sink base;
    FILE *f;
    const struct export_sheet *sh;
    int n_sheets;
    long rows;
    struct buf line;
};

static enum akw_status
json_sheet_begin(struct sink *k, const struct export_sheet *sh, struct akw_err *err)
{
    struct json_sink *s = (struct json_sink *)k;
    (void)err;
    buf_reset(&s->line);
    buf_puts(&s->line, s->n_sheets++ ? ",\n" : "\n");
    json_quote(&s->line, sh->key);
    buf_puts(&s->line, ":[");
    fwrite(s->line.data, 1, s->line.len, s->f);
    s->sh = sh;
    s->rows = 0;
    return AKW_OK;
}

static enum akw_status
json_row(struct sink *k, const struct cell *cells, struct akw_err *err)
{
    struct json_sink *s = (struct json_sink *)k;
    char tbuf[32];
    (void)err;
    buf_reset(&s->line);
    buf_puts(&s->line, s->rows++ ? ",\n{" : "\n{");
    for (size_t i = 0; i < s->sh->n_cols; i++) {
        const struct cell *c = &cells[i];
        if (i)
            buf_putc(&s->line, ',');
        json_quote(&s->line, s->sh->cols[i].key);
        buf_putc(&s->line, ':');
        switch (c->type) {
        case CELL_INT:
            buf_printf(&s->line, "%lld", c->n);
            break;
        case CELL_BOOL:
            buf_puts(&s->line, c->n ? "true" : "false");
            break;
        case CELL_TIME:
            if (c->t) {
                akw_time_iso(c->t, tbuf);
                json_quote(&s->line, tbuf);
            } else {
                buf_puts(&s->line, "null");
            }
            break;
        default:
            if (c->s && *c->s)
                json_quote(&s->line, c->s);
            else
                buf_puts(&s->line, "null");
        }
    }
    buf_putc(&s->line, '}');
    fwrite(s->line.data, 1, s->line.len, s->f);
    return AKW_OK;
}

static enum akw_status
json_sheet_end(struct sink *k, struct akw_err *err)
{
    struct json_sink *s = (struct json_sink *)k;
    (void)err;
    fputs("]", s->f);
    return AKW_OK;
}

static enum akw_status
json_finish(struct sink *k, struct akw_err *err)
{
    struct json_sink *s = (struct json_sink *)k;
    fputs("}}\n", s->f);
    int bad = ferror(s->f);
    bad |= fclose(s->f) != 0;
    s->f = NULL;
    if (bad)
        return akw_err_set(err, AKW_ERR_IO, _("write error: %s"), strerror(errno));
    return AKW_OK;
}

static void
json_free(struct sink *k)
{
    struct json_sink *s = (struct json_sink *)k;
    if (s->f)
        fclose(s->f);
    buf_done(&s->line);
    free(s);
}

static const struct sink_ops json_ops = {
    json_sheet_begin, json_row, json_sheet_end, json_finish, json_free, json_free,
};

enum akw_status
sink_json_new(FILE *f, time_t generated, const char *status_filter, struct sink **out,
              struct akw_err *err)
{
    struct json_sink *s = xcalloc(1, sizeof *s);
    char tbuf[32];
    (void)err;
    s->base.ops = &json_ops;
    s->f = f;
    buf_init(&s->line);
    akw_time_iso(generated, tbuf);
    buf_puts(&s->line, "{\"report\":\"akwatch\",\"version\":1,\"generated_at\":");
    json_quote(&s->line, tbuf);
    buf_puts(&s->line, ",\"status_filter\":");
    if (status_filter)
        json_quote(&s->line, status_filter);
    else
        buf_puts(&s->line, "null");
    buf_puts(&s->line, ",\"sheets\":{");
    fwrite(s->line.data, 1, s->line.len, f);
    *out = &s->base;
    return AKW_OK;
}
