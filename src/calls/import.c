/* import — one log file into the store in one transaction: recognise the format, parse each
 * event, keep calls made with a leaked AK ID at or after its first_seen, keep access-log
 * requests for the access-log search, report malformed lines. Memory stays bounded: the file
 * is streamed chunk by chunk and only the leaked-key table is held.
 */
#include "config.h"
#include "calls/calls_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#define LINE_MAX_BYTES (1u << 20)

struct key_slot {
    char *ak_id; /* NULL = empty slot */
    int64_t leak_id;
    time_t first_seen;
};

struct calls_import {
    struct store *st;
    calls_warn_fn warn;
    void *user;
    struct key_slot *keys; /* open addressing, power-of-two size */
    size_t nkeys_cap;
    struct trail_parser *tp;
    EVP_MD_CTX *md;
    struct buf scratch, line;
    /* per file */
    const char *path;
    struct calls_file_result *res;
    unsigned char identity[32];
    int seen_aws, seen_ali;
    enum akw_status status; /* a store error stops the file */
    struct akw_err *err;
    size_t ids_cap;
};

static uint64_t
fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static struct key_slot *
key_find(struct calls_import *im, const char *ak_id)
{
    if (!im->nkeys_cap)
        return NULL;
    size_t mask = im->nkeys_cap - 1;
    for (size_t i = fnv1a(ak_id) & mask;; i = (i + 1) & mask) {
        if (!im->keys[i].ak_id || strcmp(im->keys[i].ak_id, ak_id) == 0)
            return &im->keys[i];
    }
}

enum akw_status
calls_import_new(struct store *st, calls_warn_fn warn, void *user, struct calls_import **out,
                 struct akw_err *err)
{
    struct leaked_key *k;
    size_t n;
    enum akw_status s = store_leaked_keys(st, &k, &n, err);
    if (s != AKW_OK)
        return s;
    struct calls_import *im = xcalloc(1, sizeof *im);
    im->st = st;
    im->warn = warn;
    im->user = user;
    im->nkeys_cap = 16;
    while (im->nkeys_cap < 2 * n)
        im->nkeys_cap *= 2;
    im->keys = xcalloc(im->nkeys_cap, sizeof *im->keys);
    for (size_t i = 0; i < n; i++) {
        /* Several leaks may name one AK ID (ID alone, ID with secret): the earliest counts. */
        struct key_slot *slot = key_find(im, k[i].ak_id);
        if (!slot->ak_id) {
            slot->ak_id = xstrdup(k[i].ak_id);
            slot->leak_id = k[i].leak_id;
            slot->first_seen = k[i].first_seen;
        } else if (k[i].first_seen < slot->first_seen) {
            slot->leak_id = k[i].leak_id;
            slot->first_seen = k[i].first_seen;
        }
    }
    store_leaked_keys_free(k, n);
    im->tp = trail_parser_new();
    im->md = EVP_MD_CTX_new();
    buf_init(&im->scratch);
    buf_init(&im->line);
    *out = im;
    return AKW_OK;
}

void
calls_import_free(struct calls_import *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < im->nkeys_cap; i++)
        free(im->keys[i].ak_id);
    free(im->keys);
    trail_parser_free(im->tp);
    EVP_MD_CTX_free(im->md);
    buf_done(&im->scratch);
    buf_done(&im->line);
    free(im);
}

void
calls_file_result_done(struct calls_file_result *r)
{
    free(r->new_call_ids);
    memset(r, 0, sizeof *r);
}

static void
malformed(struct calls_import *im, long line, const char *why)
{
    im->res->malformed++;
    if (im->warn)
        im->warn(im->user, im->path, line, _(why));
}

/* SHA-256 of (file identity, line number, content): the same line of the same log gives the
 * same key whatever the file is called or whether it is gzipped. */
static void
line_hash(struct calls_import *im, long line, const char *s, size_t n, unsigned char out[32])
{
    unsigned char ln[8];
    for (int i = 0; i < 8; i++)
        ln[i] = (unsigned char)((uint64_t)line >> (56 - 8 * i));
    unsigned int len = 32;
    EVP_DigestInit_ex(im->md, EVP_sha256(), NULL);
    EVP_DigestUpdate(im->md, im->identity, sizeof im->identity);
    EVP_DigestUpdate(im->md, ln, sizeof ln);
    EVP_DigestUpdate(im->md, s, n);
    EVP_DigestFinal_ex(im->md, out, &len);
}

static void
add_call_id(struct calls_import *im, int64_t id)
{
    struct calls_file_result *r = im->res;
    if (r->n_new_call_ids == im->ids_cap)
        r->new_call_ids = xrealloc(r->new_call_ids,
                                   (im->ids_cap = im->ids_cap ? im->ids_cap * 2 : 64)
                                       * sizeof *r->new_call_ids);
    r->new_call_ids[r->n_new_call_ids++] = id;
}

/* A well-formed event: store the access-log request, and the call when its key leaked. */
static void
event(struct calls_import *im, const struct calls_event *ev, long line, const char *s, size_t n)
{
    im->res->events++;
    if (ev->kind[0] == 'c')
        im->seen_aws = 1;
    else if (ev->kind[0] == 'a' && ev->kind[1] == 'c')
        im->seen_ali = 1;
    unsigned char h[32];
    int hashed = 0;
    if (ev->path) {
        line_hash(im, line, s, n, h);
        hashed = 1;
        uint64_t k64 = 0;
        for (int i = 0; i < 8; i++)
            k64 = (k64 << 8) | h[i];
        int64_t key = (int64_t)(k64 & (uint64_t)INT64_MAX);
        struct access_request r = {
            .at = ev->at, .source_ip = (char *)ev->source_ip, .method = (char *)ev->method,
            .path = (char *)ev->path, .status = ev->status, .user_agent = (char *)ev->user_agent,
            .source_file = (char *)im->path, .source_line = line,
        };
        int inserted = 0;
        im->status = store_access_add(im->st, &r, key, &inserted, im->err);
        im->res->requests_new += inserted;
        if (im->status != AKW_OK)
            return;
    }
    struct key_slot *k = ev->ak_id ? key_find(im, ev->ak_id) : NULL;
    if (!k || !k->ak_id || ev->at < k->first_seen)
        return;
    im->res->with_leaked_key++;
    char key_text[128];
    if (ev->event_id && *ev->event_id) {
        snprintf(key_text, sizeof key_text, "%s:%.100s", ev->kind, ev->event_id);
    } else {
        if (!hashed)
            line_hash(im, line, s, n, h);
        char hex[33];
        hex_encode(h, 16, hex);
        snprintf(key_text, sizeof key_text, "%s:%s", ev->kind, hex);
    }
    char *url = ev->url ? calls_mask_query(ev->url) : NULL;
    struct call c = {
        .leak_id = k->leak_id, .ak_id = (char *)ev->ak_id, .at = ev->at,
        .source_ip = (char *)ev->source_ip, .action = (char *)ev->action, .url = url,
        .user_agent = (char *)ev->user_agent, .source_file = (char *)im->path,
        .source_line = line, .kind = (char *)ev->kind, .event_key = key_text,
    };
    int64_t id = 0;
    im->status = store_call_add(im->st, &c, &id, im->err);
    free(url);
    if (id) {
        im->res->calls_new++;
        add_call_id(im, id);
    }
}

static void
trail_event(struct calls_import *im, const char *s, size_t n, long line)
{
    struct calls_event ev;
    const char *why;
    if (trail_parse(im->tp, s, n, &ev, &why) != 0)
        malformed(im, line, why);
    else
        event(im, &ev, line, s, n);
}

static void
records_elem(void *user, const char *s, size_t n, long line)
{
    struct calls_import *im = user;
    if (im->status == AKW_OK)
        trail_event(im, s, n, line);
}

static void
records_bad(void *user, long line, const char *why)
{
    malformed(user, line, why);
}

enum format { FMT_RECORDS, FMT_JSON_LINES, FMT_ACCESS_LOG };

/* Decide from the first bytes; identity = SHA-256 of the first line (at most 4 KiB). */
static enum format
sniff(struct calls_import *im, const char *p, size_t n)
{
    size_t first = 0;
    while (first < n && first < 4096 && p[first] != '\n')
        first++;
    unsigned int len = 32;
    EVP_Digest(p, first, im->identity, &len, EVP_sha256(), NULL);
    size_t i = 0;
    while (i < n && strchr(" \t\r\n", p[i]))
        i++;
    if (i < n && p[i] == '[')
        return FMT_RECORDS;
    if (i < n && p[i] == '{') {
        for (i++; i < n && strchr(" \t\r\n", p[i]); i++)
            ;
        return n - i >= 9 && memcmp(p + i, "\"Records\"", 9) == 0 ? FMT_RECORDS : FMT_JSON_LINES;
    }
    return FMT_ACCESS_LOG;
}

static void
one_line(struct calls_import *im, enum format fmt, char *s, size_t n, long line)
{
    size_t i = 0;
    while (i < n && strchr(" \t\r", s[i]))
        i++;
    if (i == n)
        return; /* blank lines are neither events nor errors */
    if (fmt == FMT_JSON_LINES) {
        trail_event(im, s, n, line);
        return;
    }
    struct calls_event ev;
    const char *why;
    /* accesslog_parse writes NULs into its copy; the raw bytes s are what is hashed */
    buf_reset(&im->line);
    buf_append(&im->line, s, n);
    if (accesslog_parse(im->line.data, n, &im->scratch, &ev, &why) != 0)
        malformed(im, line, why);
    else
        event(im, &ev, line, s, n);
}

/* Split chunks into lines, carrying a partial line over; lines over 1 MiB are malformed. */
struct splitter {
    struct buf carry;
    long line;
    int too_long;
};

static void
lines_feed(struct calls_import *im, enum format fmt, struct splitter *sp, const char *p,
           size_t n)
{
    while (n > 0 && im->status == AKW_OK) {
        const char *nl = memchr(p, '\n', n);
        size_t k = nl ? (size_t)(nl - p) : n;
        if (!sp->too_long) {
            if (sp->carry.len + k > LINE_MAX_BYTES) {
                sp->too_long = 1;
                buf_reset(&sp->carry);
            } else {
                buf_append(&sp->carry, p, k);
            }
        }
        if (!nl)
            return;
        sp->line++;
        if (sp->too_long)
            malformed(im, sp->line, N_("line longer than 1 MiB"));
        else
            one_line(im, fmt, sp->carry.data ? sp->carry.data : (char *)"", sp->carry.len,
                     sp->line);
        buf_reset(&sp->carry);
        sp->too_long = 0;
        p += k + 1;
        n -= k + 1;
    }
}

static enum akw_status
import_stream(struct calls_import *im, struct calls_reader *rd, struct akw_err *err)
{
    const char *p;
    size_t n;
    enum akw_status s = calls_reader_next(rd, &p, &n, err);
    if (s != AKW_OK || n == 0)
        return s;
    enum format fmt = sniff(im, p, n);
    struct splitter ls = {.line = 0};
    buf_init(&ls.carry);
    struct records_splitter *rs =
        fmt == FMT_RECORDS ? records_splitter_new(records_elem, records_bad, im) : NULL;
    while (s == AKW_OK && n > 0 && im->status == AKW_OK) {
        if (rs)
            records_splitter_feed(rs, p, n);
        else
            lines_feed(im, fmt, &ls, p, n);
        s = calls_reader_next(rd, &p, &n, err);
    }
    if (s == AKW_OK && im->status == AKW_OK) {
        if (rs)
            records_splitter_finish(rs);
        else if (ls.carry.len > 0 || ls.too_long) /* a last line without newline */
            lines_feed(im, fmt, &ls, "\n", 1);
    }
    records_splitter_free(rs);
    buf_done(&ls.carry);
    im->res->format = fmt == FMT_ACCESS_LOG          ? "access_log"
                      : im->seen_aws && im->seen_ali ? "trail"
                      : im->seen_aws                 ? "cloudtrail"
                                                     : "actiontrail";
    return s != AKW_OK ? s : im->status;
}

enum akw_status
calls_import_file(struct calls_import *im, const char *path, struct calls_file_result *res,
                  struct akw_err *err)
{
    memset(res, 0, sizeof *res);
    res->format = "";
    im->path = path;
    im->res = res;
    im->seen_aws = im->seen_ali = 0;
    im->status = AKW_OK;
    im->err = err;
    im->ids_cap = 0;
    struct calls_reader rd;
    enum akw_status s = calls_reader_open(&rd, path, err);
    if (s != AKW_OK)
        return s;
    if ((s = store_begin(im->st, err)) == AKW_OK) {
        s = import_stream(im, &rd, err);
        if (s == AKW_OK)
            s = store_commit(im->st, err);
        else
            store_rollback(im->st);
    }
    calls_reader_close(&rd);
    if (s != AKW_OK) { /* nothing of this file was kept */
        const char *format = res->format;
        calls_file_result_done(res);
        res->format = format;
    }
    return s;
}
