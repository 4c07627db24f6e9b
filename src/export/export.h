/* export — the report: the store's leaks, locations, suspicious calls, alerts, whitelist
 * and audit log written as one xlsx workbook (for people), a folder of csv files or one
 * json document (for scripts). Reads the store only; never prints.
 *
 *   export.c     export_run(): path choice, overwrite rules, temp + rename, progress
 *   sheets.c     the sheet tables: one {header, key, width, type, getter} table per sheet,
 *                shared by every format so xlsx, csv and json carry the same rows
 *   summary.c    counts by status, kind, severity and owned; scan period
 *   text.c       text cleaning (invalid UTF-8, controls), display width, csv quoting and
 *                the formula guard, json escaping
 *   sink_xlsx.c  libxlsxwriter, constant-memory mode (first 10000 URLs of a sheet are
 *                hyperlinks; a sheet past 1048575 rows goes on in "Name (2)")
 *   sink_csv.c sink_json.c
 *
 * Files: xlsx  one workbook, default ./akwatch-report-YYYYMMDD.xlsx
 *        csv   one folder, default ./akwatch-report-YYYYMMDD/, one RFC 4180 file per sheet
 *              (summary.csv, leaks.csv, ...); header row = column keys
 *        json  one document, default ./akwatch-report-YYYYMMDD.json:
 *              {"report":"akwatch","version":1,"generated_at":..,"sheets":{"leaks":[..],..}}
 * Every file is created 0600 (folders 0700) in a temporary name beside the target and
 * renamed into place when complete, so a failed or cancelled export leaves nothing behind.
 * Only the masked secret is ever written; a raw secret the store kept (opt-in) is masked
 * even where a snippet or note quotes it.
 *
 * Threads: export_run() may run on any thread that owns the struct store it is given
 * (the TUI runs it on its own thread with its own connection); progress is called on
 * that thread.
 */
#ifndef AKW_EXPORT_H
#define AKW_EXPORT_H

#include <time.h>

#include "detect/detect.h"
#include "store/store.h"
#include "util/util.h"

enum export_format {
    EXPORT_XLSX = 0,
    EXPORT_CSV = 1,
    EXPORT_JSON = 2,
};

/* "xlsx" | "csv" | "json"; parse returns 0 or -1. */
const char *export_format_name(enum export_format f);
int export_format_parse(const char *s, enum export_format *out);

/* Progress: done rows of total (an estimate made at the start; done may end below it).
 * Called every few thousand rows and once at the end. Return non-zero to cancel: the
 * export then stops, removes its temporary files and returns AKW_ERR_CANCEL. */
typedef int (*export_progress_fn)(long done, long total, void *user);

struct export_opts {
    enum export_format format;
    const char *path;    /* NULL or "" = export_default_path() in the current folder */
    int status_mask;     /* leaks (and their locations) to include: bits 1 << LEAK_STATUS_*;
                            0 = all. Other sheets are always complete. */
    int confidence_mask; /* and by confidence: bits 1 << CONFIDENCE_*; 0 = all. The default
                            report passes store_confidence_at_least([scan] min_confidence);
                            the Summary says which levels it holds */
    unsigned sheets;     /* sheets to write: bit 1u << i for export_sheet_keys[i]; 0 = all.
                            The Summary's counts cover every sheet even when they are not
                            written. */
    int force;           /* replace an existing file (csv: the sheet files in the folder) */
    time_t now;          /* "generated at" and the default name's date; 0 = akw_now() */
    export_progress_fn progress; /* may be NULL */
    void *progress_user;
    const struct detect_ruleset *rules; /* the Leaks sheet's provider and console of each
                                           leak's rule; NULL leaves those cells empty */
};

/* The sheets in report order, by key (the csv file name and the json member): "summary",
 * "leaks", "locations", "calls", "alerts", "whitelist", "audit"; NULL-terminated. */
extern const char *const export_sheet_keys[];

/* The default file (or, for csv, folder) name: "akwatch-report-YYYYMMDD.xlsx" with the
 * local date of now. Caller frees. */
char *export_default_path(enum export_format f, time_t now);

/* Write the report. On success *saved_path (if non-NULL) gets the path written (caller
 * frees). Errors: AKW_ERR_USAGE "PATH: file exists (use --force to overwrite)" (nothing
 * is touched), AKW_ERR_IO, AKW_ERR_DB, AKW_ERR_CANCEL; no partial file is ever left. */
enum akw_status export_run(struct store *st, const struct export_opts *o, char **saved_path,
                           struct akw_err *err);

#endif
