/* test_export — the sheet tables and export_run() on a real store in a temp folder: table
 * sanity, getters on a known leak, the three formats' files (mode, content), refusing to
 * overwrite, --force, progress, cancel (nothing left behind), default names. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"
#include "export/export_int.h"
#include "tap.h"

static char dir[256];

static void
test_tables(void)
{
    for (int i = 0; i < SHEET_COUNT; i++) {
        const struct export_sheet *sh = &export_sheets[i];
        ok(sh->id == (enum export_sheet_id)i, "sheet %s at its id", sh->key);
        ok(export_sheet_keys[i] && strcmp(export_sheet_keys[i], sh->key) == 0,
           "sheet %s: the public key list (--sheets) names it at its id", sh->key);
        int good = sh->n_cols > 0 && sh->n_cols <= 32;
        for (size_t c = 0; c < sh->n_cols; c++) {
            good &= sh->cols[c].header && *sh->cols[c].header && sh->cols[c].get != NULL;
            good &= sh->cols[c].width >= 6 && sh->cols[c].key && *sh->cols[c].key;
            for (size_t d = 0; d < c; d++)
                good &= strcmp(sh->cols[c].key, sh->cols[d].key) != 0;
        }
        ok(good, "sheet %s: headers, keys unique, widths, getters", sh->key);
    }
    ok(export_sheet_keys[SHEET_COUNT] == NULL, "the public key list ends after the last sheet");
}

static const struct cell *
find(const struct export_sheet *sh, struct cell *cells, const char *key)
{
    for (size_t i = 0; i < sh->n_cols; i++)
        if (strcmp(sh->cols[i].key, key) == 0)
            return &cells[i];
    return NULL;
}

static void
test_getters(void)
{
    struct leak l = {.id = 7, .severity = SEVERITY_HIGH, .status = LEAK_STATUS_HANDLED,
                     .handled_as = HANDLED_DISABLED, .ak_id = (char *)"LTAI5tX",
                     .secret_masked = (char *)"LTAI****", .secret = (char *)"RAW",
                     .owned = 5, .first_seen = 1000, .n_locations = 2};
    const struct export_sheet *sh = &export_sheets[SHEET_LEAKS];
    struct cell cells[32];
    export_sheet_cells(sh, &(struct export_row){.leak = &l}, cells);
    is_int(find(sh, cells, "id")->n, 7, "leaks id");
    is_str(find(sh, cells, "severity")->s, "high", "leaks severity name");
    is_int(find(sh, cells, "severity")->type, CELL_SEVERITY, "severity cell is coloured");
    is_str(find(sh, cells, "status")->s, "handled", "leaks status");
    is_str(find(sh, cells, "handled_as")->s, "disabled", "leaks handled_as");
    is_int(find(sh, cells, "owned")->n, 1, "owned is 0/1");
    is_int(find(sh, cells, "first_seen")->t, 1000, "first_seen time");
    is_int(find(sh, cells, "last_seen")->t, 0, "last_seen 0 = empty");
    ok(find(sh, cells, "note")->s == NULL, "NULL note is an empty cell");
    int raw = 0;
    for (size_t i = 0; i < sh->n_cols; i++)
        raw |= cells[i].s && strstr(cells[i].s, "RAW");
    ok(!raw, "no column shows the raw secret");
    l.handled_as = HANDLED_NONE;
    export_sheet_cells(sh, &(struct export_row){.leak = &l}, cells);
    ok(find(sh, cells, "handled_as")->s == NULL, "handled_as none is empty, not \"\"");

    struct audit_entry a = {.id = 1, .leak_id = 0, .what = (char *)"whitelist-add"};
    sh = &export_sheets[SHEET_AUDIT];
    export_sheet_cells(sh, &(struct export_row){.audit = &a}, cells);
    ok(find(sh, cells, "leak_id")->type == CELL_TEXT && !find(sh, cells, "leak_id")->s,
       "audit leak_id 0 is an empty cell");
}

static struct store *
make_store(void)
{
    char *db = xasprintf("%s/s.db", dir);
    struct store *st = NULL;
    struct akw_err e = {0};
    ok(store_open(db, 0, &st, &e) == AKW_OK, "store opened: %s", e.msg);
    free(db);
    for (int i = 0; i < 3; i++) {
        struct leak l = {0};
        char fp[65];
        memset(fp, 'a' + i, 64);
        fp[64] = 0;
        memcpy(l.fingerprint, fp, 65);
        l.rule = l.kind = (char *)"alibaba-accesskey";
        l.ak_id = (char *)(i == 0 ? "LTAI5tAAA" : i == 1 ? "LTAI5tBBB" : "LTAI5tCCC");
        l.secret_masked = (char *)"LTAI****";
        l.secret = (char *)"RAWSECRETNEVEREXPORTED";
        l.severity = SEVERITY_CRITICAL;
        l.first_seen = 1767225600 + i;
        struct location loc = {.platform = (char *)"github", .repo = (char *)"acme/x",
                               .path = (char *)"a,b.properties", .line = 1 + i,
                               .url = (char *)"https://github.com/acme/x/blob/main/a",
                               .found_at = 1767225600 + i, .snippet = (char *)"k=LTAI****"};
        if (i == 1) /* a snippet quoting the raw secret: the export must mask it anyway */
            loc.snippet = (char *)"copy: RAWSECRETNEVEREXPORTED;";
        struct store_record_result r;
        if (store_record(st, &l, &loc, &r, &e) != AKW_OK)
            ok(0, "record: %s", e.msg);
    }
    return st;
}

static int
count_entries(const char *d)
{
    DIR *dp = opendir(d);
    int n = 0;
    struct dirent *de;
    while (dp && (de = readdir(dp)))
        n += de->d_name[0] != '.' || (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."));
    if (dp)
        closedir(dp);
    return n;
}

static int
mode_of(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (int)(sb.st_mode & 0777) : -1;
}

static int calls, cancel_at;
static long last_done, last_total;

static int
progress(long done, long total, void *user)
{
    (void)user;
    calls++;
    last_done = done, last_total = total;
    return cancel_at && calls >= cancel_at;
}

static void
test_run(struct store *st)
{
    struct akw_err e = {0};
    char *saved = NULL;
    char *x = xasprintf("%s/r.xlsx", dir), *j = xasprintf("%s/r.json", dir);
    char *c = xasprintf("%s/r-csv", dir);
    struct export_opts o = {.format = EXPORT_XLSX, .path = x, .now = 1767225600,
                            .progress = progress};
    int before = count_entries(dir);
    ok(export_run(st, &o, &saved, &e) == AKW_OK, "xlsx export: %s", e.msg);
    is_str(saved, x, "saved path returned");
    free(saved);
    is_int(mode_of(x), 0600, "xlsx mode 0600");
    ok(calls >= 1 && last_done == last_total && last_total == 6,
       "progress ends at total (2 passes x 3 leaks): %ld/%ld", last_done, last_total);
    is_int(count_entries(dir), before + 1, "only the report added, no temp left");

    struct stat s1, s2;
    stat(x, &s1);
    ok(export_run(st, &o, NULL, &e) == AKW_ERR_USAGE, "existing file refused without force");
    ok(strstr(e.msg, "--force") != NULL, "message names --force: %s", e.msg);
    stat(x, &s2);
    ok(s1.st_ino == s2.st_ino && s1.st_mtime == s2.st_mtime, "existing file untouched");
    o.force = 1;
    ok(export_run(st, &o, NULL, &e) == AKW_OK, "--force replaces");
    stat(x, &s2);
    ok(s1.st_ino != s2.st_ino, "replaced by rename (new inode)");

    o.format = EXPORT_JSON, o.path = j, o.force = 0;
    ok(export_run(st, &o, NULL, &e) == AKW_OK, "json export");
    char *text = NULL;
    fs_read_all(j, &text, NULL, &e);
    static const char head[] = "{\"report\":\"akwatch\",\"version\":1,\"generated_at\":"
                               "\"2026-01-01T00:00:00Z\"";
    ok(text && strncmp(text, head, sizeof head - 1) == 0, "json header");
    ok(text && strstr(text, "\"ak_id\":\"LTAI5tBBB\"") != NULL, "json has the rows");
    ok(text && !strstr(text, "RAWSECRET"), "json: no raw secret");
    ok(text && strstr(text, "\"copy: LTAI****;\""), "json: a quoted raw secret is masked");
    free(text);

    o.format = EXPORT_CSV, o.path = c;
    ok(export_run(st, &o, NULL, &e) == AKW_OK, "csv export: %s", e.msg);
    is_int(mode_of(c), 0700, "csv folder 0700");
    char *leaks = xasprintf("%s/leaks.csv", c);
    is_int(mode_of(leaks), 0600, "csv file 0600");
    fs_read_all(leaks, &text, NULL, &e);
    ok(text && strncmp(text, "id,severity,confidence,status,handled_as,ak_id,", 47) == 0,
       "csv header");
    ok(text && strstr(text, ",\"a,b.properties\",1,") != NULL, "csv quotes a comma field");
    ok(text && strstr(text, "\r\n") && !strstr(text, "RAWSECRET"), "csv CRLF, no raw secret");
    free(text);
    free(leaks);
    ok(export_run(st, &o, NULL, &e) == AKW_ERR_USAGE, "existing csv folder refused");
    o.force = 1;
    ok(export_run(st, &o, NULL, &e) == AKW_OK, "csv --force rewrites the files in place");
    is_int(count_entries(c), SHEET_COUNT, "csv folder holds one file per sheet, no temp left");

    free(x);
    free(j);
    free(c);
}

/* The sheet names of a workbook, "|"-joined, read by openpyxl (an independent reader).
 * Caller frees. */
static char *
sheet_names(const char *xlsx)
{
    char *out = xasprintf("%s.names", xlsx);
    char *cmd = xasprintf("/usr/bin/python3 -c 'import openpyxl, sys; "
                          "print(\"|\".join(openpyxl.load_workbook(sys.argv[1]).sheetnames))' "
                          "'%s' > '%s'", xlsx, out);
    char *text = NULL;
    struct akw_err e = {0};
    if (system(cmd) != 0 || fs_read_all(out, &text, NULL, &e) != AKW_OK)
        text = xstrdup("");
    free(cmd);
    free(out);
    return text;
}

/* A sheet longer than Excel allows goes on in a continuation sheet, not a failure. */
static void
test_split(struct store *st)
{
    struct akw_err e = {0};
    char *x = xasprintf("%s/split.xlsx", dir);
    struct export_opts o = {.format = EXPORT_XLSX, .path = x};
    sink_xlsx_max_rows = 2; /* the fixture has 3 leaks and 3 locations */
    ok(export_run(st, &o, NULL, &e) == AKW_OK, "xlsx with 2 rows per sheet: %s", e.msg);
    sink_xlsx_max_rows = 1048575;
    char *names = sheet_names(x);
    ok(strstr(names, "|Leaks (2)|") && strstr(names, "|Locations (2)|") &&
       !strstr(names, "Leaks (3)") && strncmp(names, "Summary|Leaks|Locations|", 24) == 0,
       "Leaks and Locations go on in 'Leaks (2)', 'Locations (2)': %s", names);
    free(names);
    free(x);
}

/* Enough leaks for progress to fire mid-export (every 4096 rows). */
static void
add_many(struct store *st, int n)
{
    struct akw_err e = {0};
    store_begin(st, &e);
    for (int i = 0; i < n; i++) {
        struct leak l = {.rule = (char *)"r", .kind = (char *)"k", .secret_masked = (char *)"m",
                         .severity = SEVERITY_LOW, .first_seen = 1767225600};
        snprintf(l.fingerprint, sizeof l.fingerprint, "%064d", i);
        struct location loc = {.platform = (char *)"local", .path = (char *)"p", .line = i + 1,
                               .found_at = 1767225600};
        struct store_record_result r;
        store_record(st, &l, &loc, &r, &e);
    }
    ok(store_commit(st, &e) == AKW_OK, "%d more leaks", n);
}

static void
test_cancel(struct store *st)
{
    for (int f = EXPORT_XLSX; f <= EXPORT_JSON; f++) {
        struct akw_err e = {0};
        char *sub = xasprintf("%s/cancel-%d", dir, f);
        mkdir(sub, 0700);
        char *p = xasprintf("%s/out", sub);
        struct export_opts o = {.format = (enum export_format)f, .path = p,
                                .progress = progress};
        calls = 0, cancel_at = 1;
        is_int(export_run(st, &o, NULL, &e), AKW_ERR_CANCEL, "%s: cancel from progress",
               export_format_name(o.format));
        is_int(count_entries(sub), 0, "%s: cancelled export leaves nothing (no temp either)",
               export_format_name(o.format));
        free(p);
        free(sub);
    }
    cancel_at = 0;
}
static void
test_names(void)
{
    char *p = export_default_path(EXPORT_XLSX, 1767225600 + 3600);
    is_str(p, "akwatch-report-20260101.xlsx", "default xlsx name carries the date");
    free(p);
    p = export_default_path(EXPORT_CSV, 1767225600);
    is_str(p, "akwatch-report-20260101", "default csv name is a folder");
    free(p);
    enum export_format f;
    ok(export_format_parse("json", &f) == 0 && f == EXPORT_JSON, "parse json");
    ok(export_format_parse("pdf", &f) == -1, "parse rejects pdf");
    is_str(export_format_name(EXPORT_CSV), "csv", "format name");
}

int
main(void)
{
    setenv("TZ", "UTC", 1);
    snprintf(dir, sizeof dir, "/tmp/akw-export-test.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_tables();
    test_getters();
    test_names();
    struct store *st = make_store();
    test_run(st);
    test_split(st);
    add_many(st, 5000);
    test_cancel(st);
    store_close(st);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        ok(0, "cleanup");
    free(cmd);
    return done_testing();
}
