/* export_int — private to src/export/: the cell/column/sheet model every format shares,
 * the sink interface each format implements, and the text helpers. Not for other layers.
 */
#ifndef AKW_EXPORT_INT_H
#define AKW_EXPORT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "export/export.h"

/* What a cell holds. Formats render each type their own way:
 *   TEXT      free text                xlsx string    csv text (formula-guarded)  json string
 *   LABEL     a machine word           translated     as is                       string
 *   SEVERITY  "low".."critical"        translated, coloured  as is                string
 *   URL       a link                   hyperlink      text                        string
 *   INT       a count or id            number         digits                      number
 *   BOOL      yes/no                   TRUE/FALSE     true/false                  true/false
 *   TIME      UTC instant (0 = none)   date-time      ISO 8601 Z                  ISO string */
enum cell_type {
    CELL_TEXT = 0,
    CELL_LABEL,
    CELL_SEVERITY,
    CELL_URL,
    CELL_INT,
    CELL_BOOL,
    CELL_TIME,
};

/* One value. s is borrowed from the row (valid until the next row); s == NULL or
 * (TIME and t == 0) is an empty cell. */
struct cell {
    enum cell_type type;
    const char *s;
    long long n;
    time_t t;
};

/* A summary line: section ("Status"...), item (a label, a kind, ...), and a count or a time. */
struct summary_row {
    const char *section; /* N_() string, translated by xlsx */
    const char *item;
    enum cell_type item_type; /* LABEL, SEVERITY or TEXT */
    enum cell_type value_type; /* INT, TIME, or TEXT/LABEL (text) */
    long long count;
    time_t t;
    const char *text;
};

/* The current row: the getters of a sheet read the member their sheet is about. */
struct export_row {
    const struct leak *leak;          /* leaks; locations (the owning leak) */
    const struct provider_info *prov; /* leaks: the provider of the leak's rule, or NULL */
    const struct location *loc;       /* locations */
    const struct call *call;          /* suspicious calls */
    const struct alert *alert;        /* alerts */
    const struct whitelist_entry *wl; /* whitelist */
    const struct audit_entry *audit;  /* audit log */
    const struct summary_row *sum;    /* summary */
};

struct export_column {
    const char *header; /* N_() or NC_(): translated with P_() at run time (xlsx) */
    const char *key;    /* json key and csv header: stable, untranslated */
    int width;          /* widest the xlsx column may grow (characters) */
    enum cell_type type;
    void (*get)(const struct export_row *r, struct cell *c); /* fills c->s/n/t (may set type) */
};

enum export_sheet_id {
    SHEET_SUMMARY = 0,
    SHEET_LEAKS,
    SHEET_LOCATIONS,
    SHEET_CALLS,
    SHEET_ALERTS,
    SHEET_WHITELIST,
    SHEET_AUDIT,
    SHEET_COUNT
};

struct export_sheet {
    enum export_sheet_id id;
    const char *name; /* N_(): the xlsx tab name */
    const char *key;  /* "leaks": the csv file name and the json member */
    const struct export_column *cols;
    size_t n_cols;
};

/* The sheets in workbook order (Summary first). */
extern const struct export_sheet export_sheets[SHEET_COUNT];

/* Fill cells[0..sheet->n_cols) for row r. */
void export_sheet_cells(const struct export_sheet *sh, const struct export_row *r,
                        struct cell *cells);

/* ---- sinks: one per format ------------------------------------------------- */
/* The driver calls sheet_begin, row..., sheet_end once per sheet (not in workbook order:
 * Summary comes last because it counts what the other sheets wrote), then finish, which
 * closes every file (the driver then commits). abort() removes whatever was written and
 * frees the sink; free() frees a finished sink. */
struct sink;
struct sink_ops {
    enum akw_status (*sheet_begin)(struct sink *k, const struct export_sheet *sh,
                                   struct akw_err *err);
    enum akw_status (*row)(struct sink *k, const struct cell *cells, struct akw_err *err);
    enum akw_status (*sheet_end)(struct sink *k, struct akw_err *err);
    enum akw_status (*finish)(struct sink *k, struct akw_err *err);
    void (*abort)(struct sink *k);
    void (*free)(struct sink *k);
};
struct sink {
    const struct sink_ops *ops;
};

/* xlsx: writes the workbook at tmp_path (already created 0600); fd stays the caller's.
 * A sheet with more than sink_xlsx_max_rows rows continues in "Name (2)", ... at the end
 * of the workbook; tests lower the limit. */
extern uint32_t sink_xlsx_max_rows;
/* sheets: export_opts.sheets (0 = all): the workbook gets a tab for each sheet asked for. */
enum akw_status sink_xlsx_new(const char *tmp_path, unsigned sheets, struct sink **out,
                              struct akw_err *err);
/* json: writes to f (owned by the sink from now on, closed by finish/abort). */
enum akw_status sink_json_new(FILE *f, time_t generated, const char *status_filter,
                              struct sink **out, struct akw_err *err);
/* csv: a folder of files. If dir does not exist it is built in a temporary folder beside
 * and renamed at finish; if it exists (force), each file is replaced atomically. */
enum akw_status sink_csv_new(const char *dir, struct sink **out, struct akw_err *err);

/* ---- summary ------------------------------------------------------------------ */
struct summary;
struct summary *summary_new(void);
void summary_free(struct summary *s);
/* Count one exported leak. */
void summary_add_leak(struct summary *s, const struct leak *l);
struct summary_totals {
    long locations, calls, alerts, whitelist, audit;
};
void summary_set_totals(struct summary *s, const struct summary_totals *t);
/* The summary lines, in display order; valid until summary_free. filter, conf_filter: the
 * status and confidence filters of the export as text, or NULL (every leak). */
const struct summary_row *summary_rows(struct summary *s, time_t generated, const char *filter,
                                       const char *conf_filter, size_t *n);

/* ---- text ------------------------------------------------------------------- */
/* 1 if s is valid UTF-8 without control characters other than TAB, LF and CR. */
int text_is_clean(const char *s);
/* s with each invalid UTF-8 byte and each other control character replaced by U+FFFD,
 * in b (reset first); returns the cleaned text (borrowed from b). So every format
 * carries the same text, and xlsx (XML) can carry it at all. */
const char *text_clean(const char *s, struct buf *b);
/* s with every occurrence of needle replaced by with (NULL = ""), into b (reset first). */
void text_replace(const char *s, const char *needle, const char *with, struct buf *b);
/* Terminal/spreadsheet display width: East Asian wide characters count 2. Valid UTF-8. */
size_t text_display_width(const char *s);
/* Length in bytes of the longest prefix of s with at most max_chars characters. */
size_t text_utf8_prefix(const char *s, size_t max_chars);
/* Append s as one RFC 4180 field: quoted when it holds , " CR or LF (quotes doubled);
 * guard != 0 prefixes ' when s starts with = + - @ TAB or CR (spreadsheet formula
 * injection). */
void text_csv_field(struct buf *b, const char *s, int guard);

#endif
