/* calls_int — private to src/calls/: the chunk reader, the parsed event, and the trail and
 * access-log parsers that import.c drives. Nothing outside src/calls/ includes this file.
 */
#ifndef AKW_CALLS_INT_H
#define AKW_CALLS_INT_H

#include <stddef.h>
#include <time.h>

#include "calls/calls.h"
#include "util/util.h"

/* ---- reader.c: a file (plain or gzip) as chunks ---- */
struct calls_reader {
    void *gz; /* gzFile */
    char *chunk;
    size_t cap;
    const char *path;
};
enum akw_status calls_reader_open(struct calls_reader *r, const char *path, struct akw_err *err);
/* The next chunk: *n bytes at *p, valid until the next call; *n == 0 at the end. Errors
 * (AKW_ERR_IO) name the file: read error, corrupt or truncated gzip. */
enum akw_status calls_reader_next(struct calls_reader *r, const char **p, size_t *n,
                                  struct akw_err *err);
void calls_reader_close(struct calls_reader *r);

/* One parsed event. Strings are borrowed from the parser and valid until its next parse. */
struct calls_event {
    const char *kind; /* "actiontrail" | "cloudtrail" | "access_log" */
    time_t at;
    const char *ak_id;      /* NULL when the event names no AccessKey */
    const char *source_ip, *action, *url, *user_agent;
    const char *event_id;   /* trail eventID; NULL for access logs */
    const char *method, *path; /* access logs: path decoded, without the query */
    int status;
};

/* ---- trail.c ---- */
struct trail_parser;
struct trail_parser *trail_parser_new(void);
void trail_parser_free(struct trail_parser *tp);
/* Parse one event object (s, n bytes). 0 = ok; -1 = malformed, *why says why (static). */
int trail_parse(struct trail_parser *tp, const char *s, size_t n, struct calls_event *ev,
                const char **why);

/* Splits a {"Records":[...]} (or bare [...]) document into its elements, fed chunk by
 * chunk. Memory is bounded by the largest element (elements over 8 MiB are malformed). */
struct records_splitter;
typedef void (*records_elem_fn)(void *user, const char *s, size_t n, long line);
typedef void (*records_bad_fn)(void *user, long line, const char *why);
struct records_splitter *records_splitter_new(records_elem_fn elem, records_bad_fn bad,
                                              void *user);
void records_splitter_feed(struct records_splitter *sp, const char *p, size_t n);
/* End of input: reports truncation (an open element or array) through bad. */
void records_splitter_finish(struct records_splitter *sp);
void records_splitter_free(struct records_splitter *sp);

/* ---- accesslog.c ---- */
/* Parse one combined (or common) log format line in place (line is modified; n bytes, no
 * newline). 0 = ok; -1 = malformed with *why. ev strings point into line or scratch. */
int accesslog_parse(char *line, size_t n, struct buf *scratch, struct calls_event *ev,
                    const char **why);

#endif
