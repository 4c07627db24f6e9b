/* summary — the Summary sheet: counts of the exported leaks by status, kind, severity,
 * confidence and owned, the scan period (earliest first_seen .. latest last_seen), sheet totals and the
 * generation time. Fed one leak at a time while the Leaks sheet streams; no store access. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "export/export_int.h"

struct kind_count {
    char *kind;
    long long n;
};

struct summary {
    long long leaks, by_status[3], by_severity[SEVERITY_CRITICAL + 1], owned;
    long long by_confidence[CONFIDENCE_HIGH + 1];
    struct kind_count *kinds;
    size_t n_kinds, cap_kinds;
    time_t first, last;
    struct summary_totals totals;
    struct summary_row *rows;
};

struct summary *
summary_new(void)
{
    return xcalloc(1, sizeof(struct summary));
}

void
summary_free(struct summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_kinds; i++)
        free(s->kinds[i].kind);
    free(s->kinds);
    free(s->rows);
    free(s);
}

static void
count_kind(struct summary *s, const char *kind)
{
    if (!kind)
        kind = "";
    for (size_t i = 0; i < s->n_kinds; i++) {
        if (strcmp(s->kinds[i].kind, kind) == 0) {
            s->kinds[i].n++;
            return;
        }
    }
    if (s->n_kinds == s->cap_kinds) {
        s->cap_kinds = s->cap_kinds ? 2 * s->cap_kinds : 16;
        s->kinds = xrealloc(s->kinds, s->cap_kinds * sizeof *s->kinds);
    }
    s->kinds[s->n_kinds++] = (struct kind_count){xstrdup(kind), 1};
}

void
summary_add_leak(struct summary *s, const struct leak *l)
{
    s->leaks++;
    if ((unsigned)l->status < 3)
        s->by_status[l->status]++;
    if (l->severity >= SEVERITY_LOW && l->severity <= SEVERITY_CRITICAL)
        s->by_severity[l->severity]++;
    if (l->confidence >= CONFIDENCE_LOW && l->confidence <= CONFIDENCE_HIGH)
        s->by_confidence[l->confidence]++;
    s->owned += l->owned != 0;
    count_kind(s, l->kind);
    if (l->first_seen && (!s->first || l->first_seen < s->first))
        s->first = l->first_seen;
    if (l->last_seen > s->last)
        s->last = l->last_seen;
}

void
summary_set_totals(struct summary *s, const struct summary_totals *t)
{
    s->totals = *t;
}

static int
kind_cmp(const void *a, const void *b)
{
    const struct kind_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->kind, y->kind);
}

static void
add(struct summary *s, size_t *n, const char *section, const char *item, enum cell_type it,
    long long count)
{
    s->rows[(*n)++] = (struct summary_row){.section = section, .item = item, .item_type = it,
                                           .value_type = CELL_INT, .count = count};
}

static void
add_time(struct summary *s, size_t *n, const char *section, const char *item, time_t t)
{
    s->rows[(*n)++] = (struct summary_row){.section = section, .item = item,
                                           .item_type = CELL_LABEL, .value_type = CELL_TIME,
                                           .t = t};
}

const struct summary_row *
summary_rows(struct summary *s, time_t generated, const char *filter, const char *conf_filter,
             size_t *n_out)
{
    qsort(s->kinds, s->n_kinds, sizeof *s->kinds, kind_cmp);
    free(s->rows);
    s->rows = xcalloc(40 + s->n_kinds, sizeof *s->rows);
    size_t n = 0;
    add(s, &n, N_("Total"), N_("leaks"), CELL_LABEL, s->leaks);
    add(s, &n, N_("Total"), N_("locations"), CELL_LABEL, s->totals.locations);
    add(s, &n, N_("Total"), N_("suspicious calls"), CELL_LABEL, s->totals.calls);
    add(s, &n, N_("Total"), N_("alerts"), CELL_LABEL, s->totals.alerts);
    add(s, &n, N_("Total"), N_("whitelist entries"), CELL_LABEL, s->totals.whitelist);
    add(s, &n, N_("Total"), N_("audit log entries"), CELL_LABEL, s->totals.audit);
    for (int st = LEAK_STATUS_UNHANDLED; st <= LEAK_STATUS_WHITELISTED; st++)
        add(s, &n, N_("Status"), leak_status_name(st), CELL_LABEL, s->by_status[st]);
    for (int sv = SEVERITY_CRITICAL; sv >= SEVERITY_LOW; sv--)
        add(s, &n, N_("Severity"), severity_name(sv), CELL_SEVERITY, s->by_severity[sv]);
    for (int c = CONFIDENCE_HIGH; c >= CONFIDENCE_LOW; c--)
        add(s, &n, N_("Confidence"), confidence_name(c), CELL_LABEL, s->by_confidence[c]);
    for (size_t i = 0; i < s->n_kinds; i++)
        add(s, &n, N_("Kind"), s->kinds[i].kind, CELL_TEXT, s->kinds[i].n);
    add(s, &n, N_("Owned"), N_("owned"), CELL_LABEL, s->owned);
    add(s, &n, N_("Owned"), N_("not owned"), CELL_LABEL, s->leaks - s->owned);
    add_time(s, &n, N_("Scan period (UTC)"), N_("from"), s->first);
    add_time(s, &n, N_("Scan period (UTC)"), N_("to"), s->last);
    add_time(s, &n, N_("Report"), N_("generated at (UTC)"), generated);
    /* a filtered report must say so, or its counts read as the whole store's */
    s->rows[n++] = (struct summary_row){.section = N_("Report"), .item = N_("leaks with status"),
                                        .item_type = CELL_LABEL,
                                        .value_type = filter ? CELL_TEXT : CELL_LABEL,
                                        .text = filter ? filter : N_("all")};
    s->rows[n++] = (struct summary_row){.section = N_("Report"),
                                        .item = N_("leaks with confidence"),
                                        .item_type = CELL_LABEL,
                                        .value_type = conf_filter ? CELL_TEXT : CELL_LABEL,
                                        .text = conf_filter ? conf_filter : N_("all")};
    *n_out = n;
    return s->rows;
}
