/* prefilter — the one pass over every byte: an Aho-Corasick automaton over the rules'
 * keywords, flattened into a full DFA table (case folded into the table) so the inner loop
 * is one load per byte. It only reports keyword hits; match.c decides what they mean. */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Table entries are the next state's row offset (state * 256), so the inner loop is one
 * add and one load per byte; this bit marks a state where at least one keyword ends. */
#define PF_OUT 0x80000000u
#define PF_MASK 0x7fffffffu
/* The buffer is cut into lanes scanned in lock-step: each lane is an independent chain of
 * dependent loads, so the CPU overlaps them (about 3x over one chain). */
#define PF_LANES 4
#define PF_LANE_BYTES (64 * 1024)

struct keyword {
    char *text;
    size_t len;
    size_t *rules;
    size_t nrules;
};

struct prefilter {
    struct keyword *kw;
    size_t nkw;
    uint32_t *delta;   /* nstates * 256; entries may carry PF_OUT */
    int32_t *out_kw;   /* keyword ending exactly at this state, or -1 */
    int32_t *out_link; /* next state along the failure chain with output, or -1 */
    uint32_t nstates;
    size_t maxlen; /* longest keyword */
};

/* A hit recorded by a lane: the byte where a keyword ended and the state (row offset). */
struct pf_hit {
    size_t end;
    uint32_t row;
};

struct pf_lane {
    const unsigned char *p; /* lane start, warm-up included */
    size_t n, from;         /* bytes to scan; hits count only at offsets >= from */
    size_t base;            /* offset of p in the buffer */
    uint32_t s;
    struct pf_hit *hits;
    size_t nhits, cap;
};

struct prefilter *
prefilter_new(void)
{
    return xcalloc(1, sizeof(struct prefilter));
}

void
prefilter_add(struct prefilter *pf, const char *text, size_t r)
{
    size_t i = 0;
    while (i < pf->nkw && strcasecmp(pf->kw[i].text, text) != 0)
        i++;
    if (i == pf->nkw) {
        pf->kw = xrealloc(pf->kw, (pf->nkw + 1) * sizeof *pf->kw);
        struct keyword *k = &pf->kw[pf->nkw++];
        k->text = xstrdup(text);
        for (char *c = k->text; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        k->len = strlen(text);
        if (k->len > pf->maxlen)
            pf->maxlen = k->len;
        k->rules = NULL;
        k->nrules = 0;
    }
    struct keyword *k = &pf->kw[i];
    for (size_t j = 0; j < k->nrules; j++)
        if (k->rules[j] == r)
            return;
    k->rules = xrealloc(k->rules, (k->nrules + 1) * sizeof *k->rules);
    k->rules[k->nrules++] = r;
}

static uint32_t
new_state(struct prefilter *pf, uint32_t *cap)
{
    if (pf->nstates == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        pf->delta = xrealloc(pf->delta, (size_t)*cap * 256 * sizeof *pf->delta);
        pf->out_kw = xrealloc(pf->out_kw, *cap * sizeof *pf->out_kw);
        pf->out_link = xrealloc(pf->out_link, *cap * sizeof *pf->out_link);
    }
    uint32_t s = pf->nstates++;
    memset(&pf->delta[(size_t)s * 256], 0xff, 256 * sizeof *pf->delta);
    pf->out_kw[s] = -1;
    pf->out_link[s] = -1;
    return s;
}

/* The trie: delta holds goto edges, UINT32_MAX for "none". */
static void
build_trie(struct prefilter *pf)
{
    uint32_t cap = 0;
    new_state(pf, &cap);
    for (size_t i = 0; i < pf->nkw; i++) {
        uint32_t s = 0;
        for (const unsigned char *c = (const unsigned char *)pf->kw[i].text; *c; c++) {
            uint32_t *t = &pf->delta[(size_t)s * 256 + *c];
            if (*t == UINT32_MAX) {
                uint32_t ns = new_state(pf, &cap); /* may move delta */
                pf->delta[(size_t)s * 256 + *c] = ns;
            }
            s = pf->delta[(size_t)s * 256 + *c];
        }
        pf->out_kw[s] = (int32_t)i;
    }
}

/* Breadth-first: failure links become full transitions, then fold case and mark the
 * states that carry output. */
static void
build_dfa(struct prefilter *pf)
{
    uint32_t *queue = xmalloc(pf->nstates * sizeof *queue), *fail = xcalloc(pf->nstates, sizeof *fail);
    size_t qh = 0, qt = 0;
    for (int c = 0; c < 256; c++) {
        uint32_t *t = &pf->delta[c];
        if (*t == UINT32_MAX)
            *t = 0;
        else
            fail[*t] = 0, queue[qt++] = *t;
    }
    while (qh < qt) {
        uint32_t s = queue[qh++];
        pf->out_link[s] = pf->out_kw[fail[s]] >= 0 ? (int32_t)fail[s] : pf->out_link[fail[s]];
        for (int c = 0; c < 256; c++) {
            uint32_t *t = &pf->delta[(size_t)s * 256 + c];
            uint32_t f = pf->delta[(size_t)fail[s] * 256 + c];
            if (*t == UINT32_MAX)
                *t = f;
            else
                fail[*t] = f, queue[qt++] = *t;
        }
    }
    for (uint32_t s = 0; s < pf->nstates; s++)
        for (int c = 'A'; c <= 'Z'; c++)
            pf->delta[(size_t)s * 256 + c] = pf->delta[(size_t)s * 256 + c + 32];
    for (size_t i = 0; i < (size_t)pf->nstates * 256; i++) {
        uint32_t t = pf->delta[i];
        pf->delta[i] = t * 256 | (pf->out_kw[t] >= 0 || pf->out_link[t] >= 0 ? PF_OUT : 0);
    }
    free(queue);
    free(fail);
}

void
prefilter_build(struct prefilter *pf)
{
    build_trie(pf);
    build_dfa(pf);
}

void
prefilter_free(struct prefilter *pf)
{
    if (!pf)
        return;
    for (size_t i = 0; i < pf->nkw; i++) {
        free(pf->kw[i].text);
        free(pf->kw[i].rules);
    }
    free(pf->kw);
    free(pf->delta);
    free(pf->out_kw);
    free(pf->out_link);
    free(pf);
}

static void
report(const struct prefilter *pf, uint32_t s, size_t end, prefilter_hit_fn hit, void *user)
{
    for (int32_t st = (int32_t)s; st >= 0; st = pf->out_link[st]) {
        int32_t k = pf->out_kw[st];
        if (k < 0)
            continue;
        const struct keyword *kw = &pf->kw[k];
        for (size_t j = 0; j < kw->nrules; j++)
            hit(end + 1 - kw->len, kw->rules[j], user);
    }
}

static void
lane_record(struct pf_lane *l, size_t i, uint32_t s)
{
    if (i < l->from)
        return; /* warm-up bytes: the previous lane reports this hit */
    if (l->nhits == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->hits = xrealloc(l->hits, l->cap * sizeof *l->hits);
    }
    l->hits[l->nhits++] = (struct pf_hit){l->base + i, (s & PF_MASK) / 256};
}

/* Step one lane over bytes [i, n). */
static void
lane_finish(const uint32_t *delta, struct pf_lane *l, size_t i)
{
    uint32_t s = l->s;
    for (; i < l->n; i++) {
        s = delta[(s & PF_MASK) + l->p[i]];
        if (s & PF_OUT)
            lane_record(l, i, s);
    }
    l->s = s;
}

/* One block of up to PF_LANES * PF_LANE_BYTES bytes at data + base: set the lanes up
 * (each starts maxlen - 1 bytes early so a keyword across a lane border is seen), run them
 * in lock-step, finish the longer ones. */
static void
scan_block(const struct prefilter *pf, const unsigned char *data, size_t base, size_t blen,
           struct pf_lane *lanes)
{
    size_t per = (blen + PF_LANES - 1) / PF_LANES, common = SIZE_MAX;
    for (int k = 0; k < PF_LANES; k++) {
        struct pf_lane *l = &lanes[k];
        size_t a = base + (size_t)k * per < base + blen ? base + (size_t)k * per : base + blen;
        size_t b = a + per < base + blen ? a + per : base + blen;
        size_t warm = a < pf->maxlen - 1 ? a : pf->maxlen - 1;
        l->base = a - warm;
        l->p = data + l->base;
        l->n = b - l->base;
        l->from = warm;
        l->s = 0;
        if (l->n < common)
            common = l->n;
    }
    const uint32_t *delta = pf->delta;
    struct pf_lane *l0 = &lanes[0], *l1 = &lanes[1], *l2 = &lanes[2], *l3 = &lanes[3];
    uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i < common; i++) {
        s0 = delta[(s0 & PF_MASK) + l0->p[i]];
        s1 = delta[(s1 & PF_MASK) + l1->p[i]];
        s2 = delta[(s2 & PF_MASK) + l2->p[i]];
        s3 = delta[(s3 & PF_MASK) + l3->p[i]];
        if ((s0 | s1 | s2 | s3) & PF_OUT) {
            if (s0 & PF_OUT)
                lane_record(l0, i, s0);
            if (s1 & PF_OUT)
                lane_record(l1, i, s1);
            if (s2 & PF_OUT)
                lane_record(l2, i, s2);
            if (s3 & PF_OUT)
                lane_record(l3, i, s3);
        }
    }
    l0->s = s0, l1->s = s1, l2->s = s2, l3->s = s3;
    for (int k = 0; k < PF_LANES; k++)
        lane_finish(delta, &lanes[k], common);
}

void
prefilter_scan(const struct prefilter *pf, const char *data, size_t len, prefilter_hit_fn hit,
               void *user)
{
    const unsigned char *p = (const unsigned char *)data;
    if (pf->maxlen == 0)
        return;
    if (len < 1024) { /* not worth the lanes */
        struct pf_lane one = {.p = p, .n = len};
        lane_finish(pf->delta, &one, 0);
        for (size_t h = 0; h < one.nhits; h++)
            report(pf, one.hits[h].row, one.hits[h].end, hit, user);
        free(one.hits);
        return;
    }
    struct pf_lane lanes[PF_LANES] = {{0}};
    for (size_t base = 0; base < len; base += (size_t)PF_LANES * PF_LANE_BYTES) {
        size_t blen = len - base < (size_t)PF_LANES * PF_LANE_BYTES ? len - base
                                                                    : (size_t)PF_LANES * PF_LANE_BYTES;
        scan_block(pf, p, base, blen, lanes);
        for (int k = 0; k < PF_LANES; k++) {
            for (size_t h = 0; h < lanes[k].nhits; h++)
                report(pf, lanes[k].hits[h].row, lanes[k].hits[h].end, hit, user);
            lanes[k].nhits = 0;
        }
    }
    for (int k = 0; k < PF_LANES; k++)
        free(lanes[k].hits);
}
