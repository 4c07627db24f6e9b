/* util — small helpers every layer uses: errors, allocation, byte buffers, time,
 * files created private (0600), and i18n macros. No I/O beyond what fs_* names.
 *
 *   err.c      struct akw_err: a status plus one message, set by library code, shown by cli/ui
 *   xalloc.c   allocation that aborts on out-of-memory (the only sane answer for a CLI/TUI)
 *   buf.c      growable byte buffer; buf_wipe() zeroes before freeing (for secrets)
 *   timeutil.c ISO 8601 UTC format/parse and the clock seam (AKWATCH_NOW for tests)
 *   fs.c       open/create files 0600, atomic write (temp + rename), read whole file
 *   i18n.c     messages with a context (C_, NC_, P_)
 *   utf8.c     UTF-8 decoding and repair (U+FFFD), JSON string writing for every JSON output
 */
#ifndef AKW_UTIL_H
#define AKW_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---- i18n ------------------------------------------------------------ */
#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)
/* A message with a context (gettext's msgctxt), for one English text used in two senses
 * that another language words differently ("Locations": a sheet of places, or a column
 * counting them): C_("context", "text") translates at run time; NC_("context", "text")
 * marks one in a static table, and whoever shows it translates it with P_(). P_() also
 * takes plain N_() strings. xgettext keywords: C_:1c,2 NC_:1c,2 (po/Makevars). */
#define AKW_CTX_SEP "\004"
#define C_(ctx, s) akw_pgettext(ctx AKW_CTX_SEP s)
#define NC_(ctx, s) (ctx AKW_CTX_SEP s)
#define P_(s) akw_pgettext(s)
/* The translation of "context\004text" (or of a plain msgid); untranslated: the text after
 * the context. Returns gettext's static storage or a pointer into s. */
const char *akw_pgettext(const char *ctx_msgid);

/* ---- errors ---------------------------------------------------------- */
enum akw_status {
    AKW_OK = 0,
    AKW_ERR_IO,       /* file or socket I/O failed */
    AKW_ERR_PARSE,    /* bad input: rule file, config, JSON, log line */
    AKW_ERR_DB,       /* SQLite failure, corrupt or locked store */
    AKW_ERR_USAGE,    /* caller passed something invalid */
    AKW_ERR_NOTFOUND, /* the thing asked for does not exist */
    AKW_ERR_NET,      /* network or HTTP failure */
    AKW_ERR_AUTH,     /* credentials rejected (HTTP 401) */
    AKW_ERR_CANCEL,   /* stopped on request */
    AKW_ERR_STALE,    /* refused: someone else changed it since it was read */
};

/* A status with a human message. Library code fills it (may be NULL: then only
 * the status is returned); only main/cli/ui print it. */
struct akw_err {
    enum akw_status code;
    char msg[512];
};

/* Set err (if non-NULL) from a printf format; returns code so callers can
 * `return akw_err_set(err, AKW_ERR_IO, "...")`. */
enum akw_status akw_err_set(struct akw_err *err, enum akw_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefix an existing message: "prefix: old message". */
void akw_err_prefix(struct akw_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void akw_err_clear(struct akw_err *err);

/* ---- allocation (abort on OOM) ---------------------------------------- */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);           /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* caller frees */
/* Zero then free a NUL-terminated secret. */
void secret_free(char *s);

/* ---- byte buffer ------------------------------------------------------ */
/* Always NUL-terminated after any append; data may be NULL while len == 0. */
struct buf {
    char *data;
    size_t len, cap;
};
void buf_init(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);          /* len = 0, keeps memory */
void buf_done(struct buf *b);           /* free */
void buf_wipe(struct buf *b);           /* zero, then free (secrets) */
char *buf_steal(struct buf *b);         /* returns data (caller frees), leaves b empty */

/* ---- time ------------------------------------------------------------- */
/* The clock seam: AKWATCH_NOW (ISO 8601 or epoch seconds) overrides time(NULL) so
 * tests can set "now". Thread-safe (reads the environment only). */
time_t akw_now(void);
/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into out (>= 21 bytes). t == 0 gives "". */
void akw_time_iso(time_t t, char out[32]);
/* Parse ISO 8601 UTC ("...Z", "+hh:mm" offsets, optional fraction) or epoch digits.
 * Returns 0 on success. */
int akw_time_parse(const char *s, time_t *out);

/* ---- files ------------------------------------------------------------ */
/* Read a whole file (NUL-terminated; *len excludes the NUL). Caller frees *out. */
enum akw_status fs_read_all(const char *path, char **out, size_t *len, struct akw_err *err);
/* Create (or truncate) path with mode 0600 whatever the umask. Returns fd or -1 (errno). */
int fs_create_private(const char *path, int excl);
/* Create missing parent folders of path (mode 0700). Returns 0 or -1 (errno). */
int fs_mkdir_parents(const char *path);
/* Build "<dir>/.<base>.XXXXXX" temp name beside path, create it 0600; returns fd, fills
 * *tmp_out (caller frees). Rename with fs_commit_tmp(). */
int fs_open_tmp_beside(const char *path, char **tmp_out);
/* fsync fd, close it, rename tmp over path (or fail if !overwrite and path exists). */
enum akw_status fs_commit_tmp(int fd, const char *tmp, const char *path, int overwrite,
                              struct akw_err *err);

/* ---- shared vocabulary ---------------------------------------------- */
/* Severity of a finding; ordered so that a larger value is more urgent. */
enum severity {
    SEVERITY_LOW = 1,
    SEVERITY_MEDIUM = 2,
    SEVERITY_HIGH = 3,
    SEVERITY_CRITICAL = 4,
};
/* "low".."critical" (untranslated, for files and JSON); NULL for an invalid value. */
const char *severity_name(enum severity s);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int severity_parse(const char *name, enum severity *out);
/* How sure detection is that a finding is a live credential, not code that looks like one;
 * ordered so that a larger value is surer. Alerts and default lists show medium and up. */
enum confidence {
    CONFIDENCE_LOW = 1,
    CONFIDENCE_MEDIUM = 2,
    CONFIDENCE_HIGH = 3,
};
/* "low" | "medium" | "high" (untranslated); NULL for an invalid value. */
const char *confidence_name(enum confidence c);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int confidence_parse(const char *name, enum confidence *out);

/* ---- paths ----------------------------------------------------------- */
/* Folder holding rules/ and demo/: AKWATCH_DATADIR, else the source tree's data/ when the
 * running binary is the uninstalled one in the build tree, else PKGDATADIR.
 * Returns a pointer to static storage (set once; call from main before threads). */
const char *akw_data_dir(void);
/* Nonzero when the running binary is the uninstalled one in the build tree (its folder is
 * AKW_BUILDDIR and the source tree beside it has data/rules). Computed once. */
int akw_uninstalled(void);
/* Folder of the message catalogues (LANG/LC_MESSAGES/akwatch.mo): AKWATCH_LOCALEDIR, else
 * the build tree's locale/ (make copies po/LANG.gmo there) when running uninstalled, else
 * LOCALEDIR. Never NULL. */
const char *akw_locale_dir(void);
/* Default store and config paths per XDG (AKWATCH_DB / AKWATCH_CONFIG override).
 * Caller frees. */
char *akw_default_db_path(void);
char *akw_default_config_path(void);

/* ---- UTF-8 and JSON strings ---------------------------------------- */
/* Length (1..4) of the well-formed UTF-8 sequence at s and its code point in *cp; 0 for an
 * ill-formed byte (stray continuation, overlong, surrogate, > U+10FFFF, cut short) or the NUL. */
size_t utf8_decode(const char *s, uint32_t *cp);
/* Append the character at s (not at its NUL) to b, or U+FFFD when s starts with an
 * ill-formed byte; returns the bytes of s consumed (the sequence, or that one byte). */
size_t utf8_put_repaired(struct buf *b, const char *s);
/* 1 when s (NUL-terminated) is well-formed UTF-8. */
int utf8_valid(const char *s);
/* s with each ill-formed byte replaced by U+FFFD, into b (reset first). Returns b->data,
 * never NULL (NULL s gives ""). Valid only until b changes. */
const char *utf8_repair(const char *s, struct buf *b);
/* Append s as a JSON string literal, quotes included: valid UTF-8 always (ill-formed bytes
 * become U+FFFD), quote and backslash escaped, control characters (C0, DEL) as \n \t or
 * \u00XX. NULL is written as "". */
void json_quote(struct buf *b, const char *s);
/* A json-c string object of s repaired like utf8_repair() (json-c escapes C0 itself);
 * NULL for NULL s (json-c's null). Every json-c writer uses this, never
 * json_object_new_string() on outside text. Caller owns the object (json_object_put). */
struct json_object;
struct json_object *json_str_new(const char *s);

/* Hex of n bytes into out (2n+1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif
