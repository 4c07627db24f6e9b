/* emit — turn the candidates of one scan into findings: order them, let the more specific
 * rule win where two overlap, pair AccessKey IDs with their secrets within N lines, number
 * lines, mask secrets and lines, and call the caller's callback in order of position.
 * It runs no regex over the buffer; match.c does. */
#include "config.h"
#include "detect/detect_int.h"

#include <stdlib.h>
#include <string.h>

#define LINE_SHOWN 300  /* bytes of line_masked */
#define LINE_BEFORE 100 /* of which at most this many before the secret on long lines */
#define PAIR_REACH 64   /* candidates looked at on each side of an ID for its secret */

/* By offset, then by rule (a rule's index is its load order). */
static int
raw_cmp(const void *a, const void *b)
{
    const struct raw *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* A specific rule beats the generic one; then the more severe; then the first loaded. */
static int
beats(const struct detect_ruleset *rs, const struct raw *a, const struct raw *b)
{
    const struct rule *ra = &rs->rules[a->rule], *rb = &rs->rules[b->rule];
    int ga = strcmp(ra->kind, "generic_secret") == 0, gb = strcmp(rb->kind, "generic_secret") == 0;
    if (ga != gb)
        return gb;
    if (ra->info.severity != rb->info.severity)
        return ra->info.severity > rb->info.severity;
    return ra->order <= rb->order;
}

static void
drop_overlaps(struct detector *d)
{
    for (size_t i = 0; i < d->nraw; i++) {
        struct raw *a = &d->raw[i];
        for (size_t j = i + 1; j < d->nraw && d->raw[j].s < a->e && !a->dropped; j++) {
            struct raw *b = &d->raw[j];
            if (b->dropped)
                continue;
            if (beats(d->rs, a, b))
                b->dropped = 1;
            else
                a->dropped = 1;
        }
    }
}

/* Line numbers in one forward pass (raws are sorted by offset). */
static void
number_lines(struct detector *d)
{
    size_t pos = 0, line = 1, ls = 0;
    for (size_t i = 0; i < d->nraw; i++) {
        struct raw *x = &d->raw[i];
        while (pos < x->s) {
            const char *nl = memchr(d->data + pos, '\n', x->s - pos);
            if (!nl) {
                pos = x->s;
                break;
            }
            line++;
            pos = (size_t)(nl - d->data) + 1;
            ls = pos;
        }
        x->line = line;
        x->line_start = ls;
        x->col = x->s - ls + 1;
    }
}

static int
pairs_with(const struct rule *a, size_t rule_b)
{
    for (size_t k = 0; k < a->npair; k++)
        if (a->pair_idx[k] == rule_b)
            return 1;
    return 0;
}

static size_t
dist(size_t a, size_t b)
{
    return a > b ? a - b : b - a;
}

/* Each ID takes the nearest free secret of a rule it pairs with, within pair_lines. */
static void
pair_up(struct detector *d)
{
    for (size_t i = 0; i < d->nraw; i++) {
        struct raw *a = &d->raw[i];
        const struct rule *ra = &d->rs->rules[a->rule];
        if (a->dropped || !ra->npair || a->partner >= 0)
            continue;
        long best = -1;
        /* Look at most PAIR_REACH candidates each way: on a minified line thousands share
         * one line number, and a real pair sits next to each other. */
        size_t n = (size_t)ra->info.pair_lines, lo = i;
        while (lo > 0 && i - lo < PAIR_REACH && d->raw[lo - 1].line + n >= a->line)
            lo--;
        for (size_t j = lo; j < d->nraw && j <= i + PAIR_REACH && d->raw[j].line <= a->line + n; j++) {
            struct raw *b = &d->raw[j];
            if (j == i || b->dropped || b->partner >= 0 || !pairs_with(ra, b->rule) ||
                d->rs->rules[b->rule].npair ||
                dist(a->line, b->line) > (size_t)ra->info.pair_lines)
                continue;
            if (best < 0 || dist(a->line, b->line) < dist(a->line, d->raw[best].line) ||
                (dist(a->line, b->line) == dist(a->line, d->raw[best].line) &&
                 dist(a->s, b->s) < dist(a->s, d->raw[best].s)))
                best = (long)j;
        }
        if (best >= 0) {
            a->partner = best;
            d->raw[best].partner = (long)i;
        }
    }
}

/* The shown part of the secret's line, every candidate secret on it masked, made safe. */
static char *
masked_line(const struct detector *d, const struct raw *x)
{
    size_t start = x->s - x->line_start > LINE_BEFORE ? x->s - LINE_BEFORE : x->line_start;
    size_t max = d->len - start < LINE_SHOWN ? d->len - start : LINE_SHOWN;
    const char *nl = memchr(d->data + start, '\n', max);
    size_t end = nl ? (size_t)(nl - d->data) : start + max;
    if (end > start && d->data[end - 1] == '\r' && nl)
        end--;
    size_t n = end - start;
    char *out = xmalloc(n + 1); /* not xstrndup: the line may hold NUL bytes */
    memcpy(out, d->data + start, n);
    /* Candidates are sorted by offset and none is longer than max_span: only those from
     * start - max_span on can reach into [start, end). */
    size_t lo = 0, hi = d->nraw, from = start > d->max_span ? start - d->max_span : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->raw[mid].s < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < d->nraw && d->raw[i].s < end; i++) {
        const struct raw *y = &d->raw[i];
        if (y->dropped || y->e <= start || y->s >= end ||
            (d->rs->rules[y->rule].pair_required))
            continue;
        size_t slen = y->e - y->s;
        char *span = xmalloc(slen + 1);
        memcpy(span, d->data + y->s, slen);
        span[slen] = '\0';
        for (size_t k = 0; k < slen; k++)
            if (span[k] == '\0')
                span[k] = '?'; /* keep strlen == slen for detect_mask */
        char *m = xmalloc(slen + 1);
        detect_mask(span, m);
        for (size_t k = 0; k < slen; k++)
            if (y->s + k >= start && y->s + k < end)
                out[y->s + k - start] = m[k];
        secret_free(span);
        free(m);
    }
    text_sanitize(out, n);
    out[n] = '\0';
    return out;
}

/* An allow marker on the line of x, or of the ID it pairs with (other; may be NULL). */
static int
allowed(const struct detector *d, const struct raw *x, const struct raw *other)
{
    return detect_line_allows(d->data, d->len, x->line_start, x->s, x->e) ||
           (other && detect_line_allows(d->data, d->len, other->line_start, other->s, other->e));
}

static int
call(struct detector *d, const struct raw *x, const struct raw *other, const struct rule *r,
     enum severity sev, const char *ak_id, detect_cb cb, void *user)
{
    char *masked = detect_mask_compact(x->secret), fp[65];
    /* as written: a decoded password keeps the fingerprint it had before decoding */
    detect_fingerprint(r->id, x->written ? x->written : x->secret, fp);
    char *line = masked_line(d, x);
    struct finding f = {
        .rule = &r->info,
        .severity = sev,
        .confidence = detect_confidence(d, x, r),
        .secret = x->secret,
        .secret_masked = masked,
        .ak_id = ak_id,
        .fingerprint = fp,
        .line = x->line,
        .column = x->col,
        .line_masked = line,
        .allowed = allowed(d, x, other),
    };
    int stop = cb(&f, user);
    free(masked);
    free(line);
    return stop;
}

enum akw_status
emit_findings(struct detector *d, detect_cb cb, void *user)
{
    qsort(d->raw, d->nraw, sizeof *d->raw, raw_cmp);
    d->max_span = 0;
    for (size_t i = 0; i < d->nraw; i++)
        if (d->raw[i].e - d->raw[i].s > d->max_span)
            d->max_span = d->raw[i].e - d->raw[i].s;
    drop_overlaps(d);
    number_lines(d);
    pair_up(d);
    for (size_t i = 0; i < d->nraw; i++) {
        const struct raw *x = &d->raw[i];
        const struct rule *r = &d->rs->rules[x->rule];
        if (x->dropped)
            continue;
        int stop;
        if (r->npair && x->partner >= 0) {
            continue; /* reported at its secret's position */
        } else if (x->partner >= 0) {
            const struct raw *a = &d->raw[x->partner];
            const struct rule *ra = &d->rs->rules[a->rule];
            stop = call(d, x, a, ra, ra->pair_severity, a->id ? a->id : a->secret, cb, user);
        } else if (r->pair_required) {
            continue;
        } else {
            const char *ak = x->id ? x->id : r->npair ? x->secret : NULL;
            stop = call(d, x, NULL, r, r->info.severity, ak, cb, user);
        }
        if (stop)
            return AKW_ERR_CANCEL;
    }
    return AKW_OK;
}
