/* export — the driver: picks the path, refuses to overwrite without force, opens the sink
 * for the format under a temporary name, streams every sheet from the store through the
 * column tables, reports progress, and renames the result into place. Never prints. */
#include "config.h"
#include "export/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export_int.h"

enum { PROGRESS_EVERY = 4096, MAX_COLS = 32, ALERT_PAGE = 2000 };

struct job {
    struct store *st;
    const struct export_opts *o;
    struct sink *sink;
    struct summary *sum;
    struct leak_filter filter;
    char *filter_text; /* "unhandled,handled"; NULL when every leak is exported */
    char *conf_text;   /* "medium,high"; NULL when every confidence is exported */
    long done, total, locations, calls, alerts;
    long counted_locations; /* the leaks' own location counts (for an unwritten Locations) */
    enum akw_status rc;
    struct akw_err *err;
    struct buf fix[MAX_COLS]; /* repaired text of the current row's cells */
    struct buf tmp;
    const char *prov_rule; /* the last rule looked up (leaks come in runs of one rule) */
    const struct provider_info *prov;
};

static const char *const format_names[] = {"xlsx", "csv", "json"};

const char *
export_format_name(enum export_format f)
{
    return (unsigned)f < 3 ? format_names[f] : NULL;
}

int
export_format_parse(const char *s, enum export_format *out)
{
    for (int i = 0; s && i < 3; i++) {
        if (strcmp(s, format_names[i]) == 0) {
            *out = (enum export_format)i;
            return 0;
        }
    }
    return -1;
}

char *
export_default_path(enum export_format f, time_t now)
{
    struct tm tm;
    char date[16] = "";
    if (localtime_r(&now, &tm))
        strftime(date, sizeof date, "%Y%m%d", &tm);
    if (f == EXPORT_CSV)
        return xasprintf("akwatch-report-%s", date);
    return xasprintf("akwatch-report-%s.%s", date, export_format_name(f));
}

static int
tick(struct job *j)
{
    j->done++;
    if (!j->o->progress || j->done % PROGRESS_EVERY)
        return 0;
    if (j->o->progress(j->done, j->total, j->o->progress_user)) {
        j->rc = akw_err_set(j->err, AKW_ERR_CANCEL, _("export cancelled"));
        return 1;
    }
    return 0;
}

/* Is sheet id one the caller asked for? (Sheets not asked for are still read when the
 * Summary counts them, but nothing of them reaches the sink.) */
static int
wanted(const struct job *j, enum export_sheet_id id)
{
    return !j->o->sheets || (j->o->sheets >> id & 1u);
}

static enum akw_status
sheet_begin(struct job *j, enum export_sheet_id id)
{
    return wanted(j, id) ? j->sink->ops->sheet_begin(j->sink, &export_sheets[id], j->err)
                         : AKW_OK;
}

static enum akw_status
sheet_end(struct job *j, enum export_sheet_id id)
{
    return wanted(j, id) ? j->sink->ops->sheet_end(j->sink, j->err) : AKW_OK;
}

/* Write one row of sheet sh; returns non-zero to stop (j->rc says why). */
static int
put_row(struct job *j, const struct export_sheet *sh, const struct export_row *r)
{
    if (!wanted(j, sh->id))
        return 0;
    struct cell cells[MAX_COLS];
    const char *raw = r->leak && r->leak->secret && *r->leak->secret ? r->leak->secret : NULL;
    export_sheet_cells(sh, r, cells);
    for (size_t i = 0; i < sh->n_cols; i++) {
        if (!cells[i].s)
            continue;
        /* The raw secret (kept only on opt-in) is never a column, but a snippet or a note
         * could still quote it: mask it wherever it appears. */
        if (raw && strstr(cells[i].s, raw)) {
            text_replace(cells[i].s, raw, r->leak->secret_masked, &j->fix[i]);
            cells[i].s = j->fix[i].data;
        }
        if (!text_is_clean(cells[i].s)) { /* snippets come from arbitrary files */
            buf_reset(&j->tmp);
            buf_puts(&j->tmp, cells[i].s);
            cells[i].s = text_clean(j->tmp.data, &j->fix[i]);
        }
    }
    j->rc = j->sink->ops->row(j->sink, cells, j->err);
    return j->rc != AKW_OK;
}

/* The provider of l's rule. The cache keeps the ruleset's own copy of the id, which lives
 * as long as the export; the leak's is freed after the callback. */
static const struct provider_info *
provider_of(struct job *j, const struct leak *l)
{
    if (!j->o->rules || !l->rule)
        return NULL;
    if (!j->prov_rule || strcmp(j->prov_rule, l->rule) != 0) {
        const struct rule_info *ri = detect_rule_find(j->o->rules, l->rule);
        j->prov_rule = ri ? ri->id : NULL;
        j->prov = ri ? ri->prov : NULL;
    }
    return j->prov;
}

static int
leak_cb(const struct leak *l, void *user)
{
    struct job *j = user;
    summary_add_leak(j->sum, l);
    j->counted_locations += l->n_locations;
    return put_row(j, &export_sheets[SHEET_LEAKS],
                   &(struct export_row){.leak = l, .prov = provider_of(j, l)}) ||
           tick(j);
}

static int
location_cb(const struct leak *l, void *user)
{
    struct job *j = user;
    struct location *locs = NULL;
    size_t n = 0;
    j->rc = store_locations_get(j->st, l->id, &locs, &n, j->err);
    int stop = j->rc != AKW_OK;
    for (size_t i = 0; i < n && !stop; i++) {
        stop = put_row(j, &export_sheets[SHEET_LOCATIONS],
                       &(struct export_row){.leak = l, .loc = &locs[i]});
        j->locations++;
    }
    store_locations_free(locs, n);
    return stop || tick(j); /* progress counts leaks, as the estimate does */
}

/* A sheet fed from the leak list: begin, foreach, end. */
static enum akw_status
leak_sheet(struct job *j, enum export_sheet_id id, int (*cb)(const struct leak *, void *))
{
    enum akw_status rc = sheet_begin(j, id);
    if (rc != AKW_OK)
        return rc;
    j->rc = AKW_OK;
    rc = store_leak_foreach(j->st, &j->filter, cb, j, j->err);
    if (rc == AKW_OK)
        rc = j->rc;
    return rc != AKW_OK ? rc : sheet_end(j, id);
}

static int
call_cb(const struct call *c, void *user)
{
    struct job *j = user;
    j->calls++;
    return put_row(j, &export_sheets[SHEET_CALLS], &(struct export_row){.call = c});
}

static enum akw_status
calls_sheet(struct job *j)
{
    struct call_filter f = {0};
    enum akw_status rc = sheet_begin(j, SHEET_CALLS);
    if (rc != AKW_OK)
        return rc;
    j->rc = AKW_OK;
    rc = store_calls_foreach(j->st, &f, call_cb, j, j->err);
    if (rc == AKW_OK)
        rc = j->rc;
    return rc != AKW_OK ? rc : sheet_end(j, SHEET_CALLS);
}

/* Alerts come in pages (after_id) so memory stays flat however many were raised. */
static enum akw_status
alerts_sheet(struct job *j)
{
    struct alert_filter f = {.oldest_first = 1, .limit = ALERT_PAGE};
    enum akw_status rc = sheet_begin(j, SHEET_ALERTS);
    for (size_t n = ALERT_PAGE; rc == AKW_OK && n == ALERT_PAGE;) {
        struct alert *a = NULL;
        n = 0;
        rc = store_alert_list(j->st, &f, &a, &n, j->err);
        for (size_t i = 0; i < n && rc == AKW_OK; i++) {
            if (put_row(j, &export_sheets[SHEET_ALERTS], &(struct export_row){.alert = &a[i]}))
                rc = j->rc;
            f.after_id = a[i].id;
            j->alerts++;
        }
        store_alerts_free(a, n);
    }
    return rc != AKW_OK ? rc : sheet_end(j, SHEET_ALERTS);
}

static enum akw_status
whitelist_sheet(struct job *j, long *count)
{
    struct whitelist_entry *e = NULL;
    size_t n = 0;
    enum akw_status rc = store_whitelist_list(j->st, &e, &n, j->err);
    if (rc == AKW_OK)
        rc = sheet_begin(j, SHEET_WHITELIST);
    for (size_t i = 0; i < n && rc == AKW_OK; i++)
        if (put_row(j, &export_sheets[SHEET_WHITELIST], &(struct export_row){.wl = &e[i]}))
            rc = j->rc;
    if (rc == AKW_OK)
        rc = sheet_end(j, SHEET_WHITELIST);
    store_whitelist_free(e, n);
    *count = (long)n;
    return rc;
}

static enum akw_status
audit_sheet(struct job *j, long *count)
{
    struct audit_entry *e = NULL;
    size_t n = 0;
    enum akw_status rc = store_audit_list(j->st, 0, &e, &n, j->err);
    if (rc == AKW_OK)
        rc = sheet_begin(j, SHEET_AUDIT);
    for (size_t i = 0; i < n && rc == AKW_OK; i++)
        if (put_row(j, &export_sheets[SHEET_AUDIT], &(struct export_row){.audit = &e[i]}))
            rc = j->rc;
    if (rc == AKW_OK)
        rc = sheet_end(j, SHEET_AUDIT);
    store_audit_free(e, n);
    *count = (long)n;
    return rc;
}

static enum akw_status
summary_sheet(struct job *j, time_t now)
{
    size_t n;
    const struct summary_row *rows = summary_rows(j->sum, now, j->filter_text, j->conf_text, &n);
    enum akw_status rc = sheet_begin(j, SHEET_SUMMARY);
    for (size_t i = 0; i < n && rc == AKW_OK; i++)
        if (put_row(j, &export_sheets[SHEET_SUMMARY], &(struct export_row){.sum = &rows[i]}))
            rc = j->rc;
    return rc != AKW_OK ? rc : sheet_end(j, SHEET_SUMMARY);
}

/* Every sheet asked for, Summary last: it counts what the others wrote. A sheet not asked
 * for is still read when the Summary is written (its rows only counted), except Locations,
 * whose count the leaks carry. */
static enum akw_status
write_sheets(struct job *j, time_t now)
{
    long n_leaks = 0, n_wl = 0, n_audit = 0;
    int summary = wanted(j, SHEET_SUMMARY);
    int leaks = summary || wanted(j, SHEET_LEAKS), locations = wanted(j, SHEET_LOCATIONS);
    enum akw_status rc = store_leak_count(j->st, &j->filter, &n_leaks, j->err);
    j->total = (leaks + locations) * n_leaks;
    if (rc == AKW_OK && leaks)
        rc = leak_sheet(j, SHEET_LEAKS, leak_cb);
    if (rc == AKW_OK && locations)
        rc = leak_sheet(j, SHEET_LOCATIONS, location_cb);
    else
        j->locations = j->counted_locations;
    if (rc == AKW_OK && (summary || wanted(j, SHEET_CALLS)))
        rc = calls_sheet(j);
    if (rc == AKW_OK && (summary || wanted(j, SHEET_ALERTS)))
        rc = alerts_sheet(j);
    if (rc == AKW_OK && (summary || wanted(j, SHEET_WHITELIST)))
        rc = whitelist_sheet(j, &n_wl);
    if (rc == AKW_OK && (summary || wanted(j, SHEET_AUDIT)))
        rc = audit_sheet(j, &n_audit);
    if (rc == AKW_OK && summary) {
        struct summary_totals t = {j->locations, j->calls, j->alerts, n_wl, n_audit};
        summary_set_totals(j->sum, &t);
        rc = summary_sheet(j, now);
    }
    if (rc == AKW_OK && j->o->progress)
        j->o->progress(j->done, j->total, j->o->progress_user);
    return rc;
}

/* "unhandled,handled" for the json header; NULL when every status is exported. */
static char *
status_filter_text(int mask)
{
    if (mask == 0)
        return NULL;
    struct buf b;
    buf_init(&b);
    for (int s = LEAK_STATUS_UNHANDLED; s <= LEAK_STATUS_WHITELISTED; s++) {
        if (mask & (1 << s)) {
            if (b.len)
                buf_putc(&b, ',');
            buf_puts(&b, leak_status_name(s));
        }
    }
    return buf_steal(&b);
}

/* "medium,high" for a confidence mask that leaves a level out; NULL for every level. */
static char *
confidence_filter_text(int mask)
{
    int all = store_confidence_at_least(CONFIDENCE_LOW);
    if ((mask & all) == 0 || (mask & all) == all)
        return NULL;
    struct buf b;
    buf_init(&b);
    for (int c = CONFIDENCE_LOW; c <= CONFIDENCE_HIGH; c++) {
        if (mask & (1 << c)) {
            if (b.len)
                buf_putc(&b, ',');
            buf_puts(&b, confidence_name(c));
        }
    }
    return buf_steal(&b);
}

static enum akw_status
open_sink(struct job *j, const char *path, time_t now, int *fd, char **tmp)
{
    if (j->o->format == EXPORT_CSV)
        return sink_csv_new(path, &j->sink, j->err);
    *fd = fs_open_tmp_beside(path, tmp);
    if (*fd < 0)
        return akw_err_set(j->err, AKW_ERR_IO, "%s: %s", path, strerror(errno));
    if (j->o->format == EXPORT_XLSX)
        return sink_xlsx_new(*tmp, j->o->sheets, &j->sink, j->err);
    int fd2 = dup(*fd);
    FILE *f = fd2 >= 0 ? fdopen(fd2, "w") : NULL;
    if (!f) {
        if (fd2 >= 0)
            close(fd2);
        return akw_err_set(j->err, AKW_ERR_IO, "%s: %s", *tmp, strerror(errno));
    }
    return sink_json_new(f, now, j->filter_text, &j->sink, j->err);
}

static enum akw_status
run(struct job *j, const char *path, time_t now)
{
    int fd = -1;
    char *tmp = NULL;
    enum akw_status rc = open_sink(j, path, now, &fd, &tmp);
    if (rc == AKW_OK)
        rc = write_sheets(j, now);
    if (rc == AKW_OK)
        rc = j->sink->ops->finish(j->sink, j->err);
    if (rc == AKW_OK && fd >= 0) {
        rc = fs_commit_tmp(fd, tmp, path, j->o->force, j->err); /* closes fd, or unlinks */
        fd = -1;
    }
    if (j->sink) {
        if (rc == AKW_OK)
            j->sink->ops->free(j->sink);
        else
            j->sink->ops->abort(j->sink);
    }
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

enum akw_status
export_run(struct store *st, const struct export_opts *o, char **saved_path,
           struct akw_err *err)
{
    time_t now = o->now ? o->now : akw_now();
    char *path = o->path && *o->path ? xstrdup(o->path) : export_default_path(o->format, now);
    struct stat sb;
    if (!o->force && lstat(path, &sb) == 0) {
        enum akw_status rc = akw_err_set(err, AKW_ERR_USAGE,
                                         _("%s: file exists (use --force to overwrite)"), path);
        free(path);
        return rc;
    }
    struct job j = {.st = st, .o = o, .err = err, .sum = summary_new()};
    j.filter.status_mask = o->status_mask;
    j.filter_text = status_filter_text(o->status_mask);
    j.filter.confidence_mask = o->confidence_mask;
    j.conf_text = confidence_filter_text(o->confidence_mask);
    j.filter.sort = LEAK_SORT_TIME;
    for (int i = 0; i < MAX_COLS; i++)
        buf_init(&j.fix[i]);
    buf_init(&j.tmp);
    enum akw_status rc = run(&j, path, now);
    for (int i = 0; i < MAX_COLS; i++)
        buf_wipe(&j.fix[i]); /* may have held a raw secret */
    buf_wipe(&j.tmp);
    summary_free(j.sum);
    free(j.filter_text);
    free(j.conf_text);
    if (rc == AKW_OK && saved_path)
        *saved_path = path;
    else
        free(path);
    return rc;
}
