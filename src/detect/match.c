/* match — one scan of a buffer: keyword hits from the prefilter become per-rule windows
 * (the hit's line, cut to a bounded reach), each rule's PCRE2-JIT regex runs only inside
 * its windows, and candidates that pass entropy and allow gates are collected for emit.c.
 * It does not decide overlaps, pairs or output; emit.c does. */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Backtracking budget per match attempt: a hostile line must cost bounded time. */
#define MATCH_LIMIT 200000

struct detector *
detector_new(const struct detect_ruleset *rs)
{
    struct detector *d = xcalloc(1, sizeof *d);
    d->rs = rs;
    d->md = pcre2_match_data_create(rs->max_groups ? rs->max_groups : 1, NULL);
    d->mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(d->mc, MATCH_LIMIT);
    pcre2_set_depth_limit(d->mc, MATCH_LIMIT);
    d->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (d->js)
        pcre2_jit_stack_assign(d->mc, NULL, d->js);
    d->win = xcalloc(rs->n ? rs->n : 1, sizeof *d->win);
    d->active = xcalloc(rs->n ? rs->n : 1, 1);
    return d;
}

static void
raws_clear(struct detector *d)
{
    for (size_t i = 0; i < d->nraw; i++) {
        secret_free(d->raw[i].secret);
        secret_free(d->raw[i].written);
        free(d->raw[i].id);
    }
    d->nraw = 0;
}

void
detector_free(struct detector *d)
{
    if (!d)
        return;
    raws_clear(d);
    free(d->raw);
    for (size_t i = 0; i < d->rs->n; i++)
        free(d->win[i].v);
    free(d->win);
    free(d->active);
    pcre2_match_data_free(d->md);
    pcre2_match_context_free(d->mc);
    pcre2_jit_stack_free(d->js);
    free(d);
}

/* Which rules may run on this path: `path` gates and `allow_path` exclusions. */
static void
gate_rules(struct detector *d, const char *path)
{
    for (size_t i = 0; i < d->rs->n; i++) {
        const struct rule *r = &d->rs->rules[i];
        size_t plen = path ? strlen(path) : 0;
        int on = 1;
        if (r->path)
            on = path && pcre2_match(r->path, (PCRE2_SPTR)path, plen, 0, 0, d->md, NULL) >= 0;
        if (on && path && allow_list_match(&r->allow_path, path, plen, d->md))
            on = 0;
        d->active[i] = (unsigned char)on;
        d->win[i].n = 0;
    }
}

/* Keep [ls, le) on the line holding pos. Hits arrive in increasing order, so each byte is
 * searched for newlines a bounded number of times over the whole scan. */
static void
locate_line(struct detector *d, size_t pos)
{
    if (d->line_valid && pos >= d->ls && pos <= d->le)
        return;
    size_t lo = d->line_valid && pos > d->le ? d->le + 1 : 0;
    const char *nl = pos > lo ? memrchr(d->data + lo, '\n', pos - lo) : NULL;
    d->ls = nl ? (size_t)(nl - d->data) + 1 : lo;
    nl = memchr(d->data + pos, '\n', d->len - pos);
    d->le = nl ? (size_t)(nl - d->data) : d->len;
    d->line_valid = 1;
}

/* End of the window of a rule that looks `lines` lines past the hit's line. */
static size_t
extend_lines(const struct detector *d, size_t hit, int lines)
{
    size_t cap = d->len - hit > DETECT_REACH_LINES ? hit + DETECT_REACH_LINES : d->len;
    size_t e = d->le < cap ? d->le : cap;
    for (int k = 0; k < lines && e < cap; k++) {
        const char *nl = memchr(d->data + e + 1, '\n', cap - (e + 1));
        e = nl ? (size_t)(nl - d->data) : cap;
    }
    return e;
}

static void
on_hit(size_t hit, size_t r, void *user)
{
    struct detector *d = user;
    if (!d->active[r])
        return;
    const struct rule *rule = &d->rs->rules[r];
    locate_line(d, hit);
    size_t ws = hit - d->ls > DETECT_REACH ? hit - DETECT_REACH : d->ls;
    size_t we = d->le - hit > DETECT_REACH ? hit + DETECT_REACH : d->le;
    if (rule->lines > 0)
        we = extend_lines(d, hit, rule->lines);
    struct wvec *w = &d->win[r];
    if (w->n && ws <= w->v[w->n - 1].e) {
        struct window *last = &w->v[w->n - 1];
        if (ws < last->s)
            last->s = ws;
        if (we > last->e)
            last->e = we;
        return;
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->v = xrealloc(w->v, w->cap * sizeof *w->v);
    }
    w->v[w->n++] = (struct window){ws, we};
}

/* Copy the secret, dropping whitespace and literal "\n" escapes for PEM-like bodies. */
static char *
secret_copy(const struct rule *r, const char *s, size_t len)
{
    char *out = xmalloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (r->strip_space && isspace((unsigned char)s[i]))
            continue;
        if (r->strip_space && s[i] == '\\' && i + 1 < len && (s[i + 1] == 'n' || s[i + 1] == 'r')) {
            i++;
            continue;
        }
        out[n++] = s[i];
    }
    out[n] = '\0';
    return out;
}

/* The key the value is assigned to ((?<key>) span ks..ke) names no secret, or the text
 * before the secret on its line (at most BEFORE_REACH bytes) says it is none. */
#define BEFORE_REACH 256
static int
context_denies(struct detector *d, const struct rule *r, size_t ss, size_t ks, size_t ke)
{
    if (r->deny_key.n && ks != PCRE2_UNSET && ke > ks &&
        allow_list_match(&r->deny_key, d->data + ks, ke - ks, d->md))
        return 1;
    if (!r->allow_before.n)
        return 0;
    size_t from = ss > BEFORE_REACH ? ss - BEFORE_REACH : 0;
    const char *nl = ss > from ? memrchr(d->data + from, '\n', ss - from) : NULL;
    if (nl)
        from = (size_t)(nl - d->data) + 1;
    return allow_list_match(&r->allow_before, d->data + from, ss - from, d->md);
}

/* ov is copied by the caller: the allow regexes below reuse the match data. */
static void
candidate(struct detector *d, size_t ri, const PCRE2_SIZE ov[6])
{
    const struct rule *r = &d->rs->rules[ri];
    size_t ss = ov[0], se = ov[1];
    if (ss == PCRE2_UNSET || se <= ss || memchr(d->data + ss, '\0', se - ss))
        return;
    char *secret = secret_copy(r, d->data + ss, se - ss), *written = NULL;
    size_t n = strlen(secret);
    if (r->unquote != UNQUOTE_NONE) {
        written = xstrdup(secret);
        n = unquote(r->unquote, ss > 0 ? d->data[ss - 1] : '\0', secret, n);
        if (strcmp(written, secret) == 0) {
            secret_free(written);
            written = NULL;
        }
    }
    if (n == 0 || detect_entropy(secret, n) < r->entropy || allow_shared(secret, n, r->keep_hex) ||
        allow_list_match(&r->allow, secret, n, d->md) ||
        (r->evidence && value_not_secret(secret, n)) ||
        (strcmp(r->kind, "private_key") == 0 && keybody_placeholder(secret, n)) ||
        context_denies(d, r, ss, ov[4], ov[5])) {
        secret_free(secret);
        secret_free(written);
        return;
    }
    if (d->nraw == d->capraw) {
        d->capraw = d->capraw ? d->capraw * 2 : 32;
        d->raw = xrealloc(d->raw, d->capraw * sizeof *d->raw);
    }
    struct raw *x = &d->raw[d->nraw++];
    memset(x, 0, sizeof *x);
    x->rule = ri;
    x->s = ss;
    x->e = se;
    x->secret = secret;
    x->written = written;
    x->partner = -1;
    if (ov[2] != PCRE2_UNSET && ov[3] > ov[2])
        x->id = xstrndup(d->data + ov[2], ov[3] - ov[2]);
}

static void
run_rule(struct detector *d, size_t ri)
{
    const struct rule *r = &d->rs->rules[ri];
    const struct wvec *w = &d->win[ri];
    for (size_t i = 0; i < w->n; i++) {
        size_t off = w->v[i].s, end = w->v[i].e;
        while (off < end) {
            int rc = r->jit ? pcre2_jit_match(r->re, (PCRE2_SPTR)d->data, end, off, 0, d->md, d->mc)
                            : pcre2_match(r->re, (PCRE2_SPTR)d->data, end, off, 0, d->md, d->mc);
            if (rc < 0)
                break; /* no match, or the match limit: move on to the next window */
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md);
            size_t mend = ov[1];
            PCRE2_SIZE spans[6] = {ov[2 * r->secret_group], ov[2 * r->secret_group + 1],
                                   PCRE2_UNSET, PCRE2_UNSET, PCRE2_UNSET, PCRE2_UNSET};
            if (r->id_group)
                spans[2] = ov[2 * r->id_group], spans[3] = ov[2 * r->id_group + 1];
            if (r->key_group)
                spans[4] = ov[2 * r->key_group], spans[5] = ov[2 * r->key_group + 1];
            candidate(d, ri, spans);
            off = mend > off ? mend : off + 1;
        }
    }
}

enum akw_status
detector_scan(struct detector *d, const char *path, const char *data, size_t len, detect_cb cb,
              void *user)
{
    raws_clear(d);
    if (!data || len == 0)
        return AKW_OK;
    d->path = path;
    d->data = data;
    d->len = len;
    d->line_valid = 0;
    gate_rules(d, path);
    prefilter_scan(d->rs->pf, data, len, on_hit, d);
    for (size_t i = 0; i < d->rs->n; i++)
        if (d->win[i].n)
            run_rule(d, i);
    enum akw_status st = d->nraw ? emit_findings(d, cb, user) : AKW_OK;
    raws_clear(d);
    return st;
}
