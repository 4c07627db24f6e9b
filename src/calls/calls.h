/* calls — import cloud audit trails and web access logs, and keep the suspicious calls: calls
 * made with a leaked AccessKey ID at or after the leak was first seen.
 *
 *   reader.c     plain or gzip files as a stream of chunks (zlib), errors named by file
 *   trail.c      ActionTrail / CloudTrail JSON: one event per line (also Log Service exports
 *                with the event nested in an "event" field), or a {"Records":[...]} or [...]
 *                document streamed element by element (memory bounded by one event)
 *   accesslog.c  combined / common log format lines; AK IDs in query strings
 *   import.c     one file in one transaction: match events to leaked keys, store calls and
 *                access-log requests, count malformed lines, re-import adds nothing
 *
 * Formats are recognised by content, not by name: '{"Records"' or '[' starts a trail
 * document, '{' a JSON-lines trail, anything else is an access log.
 * Threads: a struct calls_import belongs to the thread owning the store passed to it.
 */
#ifndef AKW_CALLS_H
#define AKW_CALLS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/util.h"

struct calls_import;

/* Called for each malformed line or event: file as given, its line number (1-based) and a
 * short reason ("truncated JSON", "missing eventTime"). Never fatal. */
typedef void (*calls_warn_fn)(void *user, const char *file, long line, const char *why);

/* What one file held. */
struct calls_file_result {
    const char *format;    /* "actiontrail", "cloudtrail", "trail" (both), "access_log" */
    long events;           /* events or log lines read (well-formed) */
    long malformed;        /* malformed lines or events, each reported through warn */
    long with_leaked_key;  /* events made with a leaked AK ID at or after its first_seen */
    long calls_new;        /* of those, stored now (the rest were already imported) */
    long requests_new;     /* access-log requests stored for the access-log search */
    int64_t *new_call_ids; /* ids of the calls stored now (for notify_calls_found) */
    size_t n_new_call_ids;
};
void calls_file_result_done(struct calls_file_result *r);

/* Load the leaked AK IDs from the store (once per import run; leaks recorded later are not
 * seen by this importer). warn may be NULL. Caller calls_import_free()s. */
enum akw_status calls_import_new(struct store *st, calls_warn_fn warn, void *user,
                                 struct calls_import **out, struct akw_err *err);
void calls_import_free(struct calls_import *im);

/* Import one file (plain or gzip) in one transaction. On AKW_ERR_IO (unreadable, corrupt or
 * truncated gzip) or AKW_ERR_DB nothing from the file is kept and err names the file.
 * Malformed lines are skipped, counted and reported, never fatal. Call
 * calls_file_result_done(res) in every case. */
enum akw_status calls_import_file(struct calls_import *im, const char *path,
                                  struct calls_file_result *res, struct akw_err *err);

/* Mask the values of secret-looking query parameters (Signature, X-Amz-Signature,
 * SecurityToken, *secret*, *password*, *token*) of a URL or path. Caller frees. */
char *calls_mask_query(const char *url);

#endif
