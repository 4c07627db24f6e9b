/* prefilter — the one pass over every byte: an Aho-Corasick automaton over the rules'
 * keywords, flattened into a full DFA table (case folded into the table) so the inner loop
 * is one load per byte. It only reports keyword hits; match.c decides what they mean. */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A state number with this bit set has at least one keyword ending in it. */
#define PF_OUT 0x80000000u
#define PF_MASK 0x7fffffffu

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
        if (pf->out_kw[t] >= 0 || pf->out_link[t] >= 0)
            pf->delta[i] = t | PF_OUT;
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

void
prefilter_scan(const struct prefilter *pf, const char *data, size_t len, prefilter_hit_fn hit,
               void *user)
{
    const uint32_t *delta = pf->delta;
    const unsigned char *p = (const unsigned char *)data;
    uint32_t s = 0;
    for (size_t i = 0; i < len; i++) {
        s = delta[(size_t)(s & PF_MASK) * 256 + p[i]];
        if (s & PF_OUT)
            report(pf, s & PF_MASK, i, hit, user);
    }
}
