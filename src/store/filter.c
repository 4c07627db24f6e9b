/* filter — turn a leak_filter into SQL pieces: the WHERE text (status, confidence,
 * verification state, AK ID prefix as a NOCASE range, text as escaped LIKE over the AK ID
 * and every location's repo, path and URL), the index that drives a search, the ORDER BY,
 * and the named parameters. Runs no query; page.c does. */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define ALL_STATUSES                                                                         \
    ((1 << LEAK_STATUS_UNHANDLED) | (1 << LEAK_STATUS_HANDLED) | (1 << LEAK_STATUS_WHITELISTED))
#define ALL_CONFIDENCES                                                                      \
    ((1 << CONFIDENCE_LOW) | (1 << CONFIDENCE_MEDIUM) | (1 << CONFIDENCE_HIGH))

int
store_confidence_at_least(enum confidence min)
{
    int m = 0;
    for (int c = CONFIDENCE_LOW; c <= CONFIDENCE_HIGH; c++)
        if (c >= (int)min)
            m |= 1 << c;
    return m;
}

static const char *
nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* Lowercase prefix and the smallest NOCASE string above every string it starts. NOCASE
 * folds A-Z to a-z, so a bound byte that lands on A-Z must skip to '['. NULL hi = none. */
static void
ak_range(const char *prefix, char **lo, char **hi)
{
    size_t n = strlen(prefix);
    *lo = xstrdup(prefix);
    for (size_t i = 0; i < n; i++)
        if ((*lo)[i] >= 'A' && (*lo)[i] <= 'Z')
            (*lo)[i] = (char)((*lo)[i] - 'A' + 'a');
    *hi = xstrdup(*lo);
    unsigned char *h = (unsigned char *)*hi;
    while (n > 0 && h[n - 1] == 0xff)
        h[--n] = '\0';
    if (n == 0) {
        free(*hi);
        *hi = NULL;
        return;
    }
    h[n - 1]++;
    if (h[n - 1] >= 'A' && h[n - 1] <= 'Z')
        h[n - 1] = '[';
}

static char *
like_pattern(const char *text)
{
    struct buf b;
    buf_init(&b);
    buf_putc(&b, '%');
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '%');
    return buf_steal(&b);
}

/* A mask of two statuses is written with a unary + so the planner walks the ordered
 * all-status index (status is covered there) instead of sorting two index ranges. */
static void
where_status(struct list_query *q, const char **sep)
{
    if (!q->mask)
        return;
    int bits[3], n = 0;
    for (int s = 0; s < 3; s++)
        if (q->mask & (1 << s))
            bits[n++] = s;
    if (n == 1)
        buf_printf(&q->where, "%sl.status = %d", *sep, bits[0]);
    else
        buf_printf(&q->where, "%s+l.status IN (%d, %d)", *sep, bits[0], bits[1]);
    *sep = " AND ";
}

/* The confidence levels of the mask; an ungraded leak (NULL) counts as high. */
static void
where_confidence(struct list_query *q, const char **sep)
{
    if (!q->conf_mask)
        return;
    buf_printf(&q->where, "%scoalesce(l.confidence, 3) IN (", *sep);
    const char *comma = "";
    for (int c = CONFIDENCE_LOW; c <= CONFIDENCE_HIGH; c++)
        if (q->conf_mask & (1 << c)) {
            buf_printf(&q->where, "%s%d", comma, c);
            comma = ", ";
        }
    buf_putc(&q->where, ')');
    *sep = " AND ";
}

/* The LEAK_VERIFIED_* bits (verify layer) as one condition (constants only). */
static void
where_verified(struct list_query *q, int bits, const char **sep)
{
    static const struct {
        int bit;
        const char *cond;
    } conds[] = {
        {LEAK_VERIFIED_LIVE, "l.verified = 'live'"},
        {LEAK_VERIFIED_INVALID, "l.verified = 'invalid'"},
        {LEAK_VERIFIED_UNKNOWN, "l.verified = 'unknown'"},
        {LEAK_VERIFIED_NONE, "l.verified IS NULL"},
    };
    const char *or = "";
    buf_printf(&q->where, "%s(", *sep);
    for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
        if (bits & conds[i].bit) {
            buf_printf(&q->where, "%s%s", or, conds[i].cond);
            or = " OR ";
        }
    }
    buf_putc(&q->where, ')');
    *sep = " AND ";
}

/* The table, naming the index that drives the query where the dialect lets us. */
static const char *
from_index(const struct drv_dialect *d, const char *hinted)
{
    return d->index_hints ? hinted : "leaks l";
}

void
store_query_init(struct list_query *q, const struct leak_filter *f, const struct drv_dialect *d)
{
    static const struct leak_filter none = {0, NULL, NULL, LEAK_SORT_TIME, 0};
    if (!f)
        f = &none;
    memset(q, 0, sizeof *q);
    buf_init(&q->where);
    buf_puts(&q->where, "");
    q->mask = f->status_mask & ALL_STATUSES;
    if (q->mask == ALL_STATUSES)
        q->mask = 0;
    q->conf_mask = f->confidence_mask & ALL_CONFIDENCES;
    if (q->conf_mask == ALL_CONFIDENCES)
        q->conf_mask = 0;
    q->by_severity = f->sort == LEAK_SORT_SEVERITY;
    q->from = "leaks l";
    const char *sep = " WHERE ";
    where_status(q, &sep);
    where_confidence(q, &sep);
    /* every verification state set is no condition at all */
    int verified = f->status_mask & LEAK_VERIFIED_ANY;
    if (verified && verified != LEAK_VERIFIED_ANY) {
        where_verified(q, verified, &sep);
        q->from = from_index(d, "leaks l INDEXED BY leaks_verified");
    }
    if (nonempty(f->ak_prefix)) {
        ak_range(f->ak_prefix, &q->ak_lo, &q->ak_hi);
        buf_printf(&q->where, "%s%sl.ak_id%s >= :lo", sep, d->nocase_pre, d->nocase_post);
        if (q->ak_hi)
            buf_printf(&q->where, " AND %sl.ak_id%s < :hi", d->nocase_pre, d->nocase_post);
        sep = " AND ";
        q->from = from_index(d, "leaks l INDEXED BY leaks_ak");
    }
    if (nonempty(f->text)) {
        q->like = like_pattern(f->text);
        /* Any location of the leak, not only the first: the subquery is not correlated, so
         * SQLite runs it once into a set of leak ids (each leak once, however many of its
         * locations match) and probes that set for every leak the narrow index yields. */
        const char *like = d->like;
        buf_printf(&q->where,
                   "%s(l.ak_id %s :like ESCAPE '\\' OR l.id IN (SELECT o.leak_id FROM"
                   " locations o WHERE o.repo %s :like ESCAPE '\\'"
                   " OR o.path %s :like ESCAPE '\\' OR o.url %s :like ESCAPE '\\'))",
                   sep, like, like, like, like);
        /* checked states are rare (most leaks are never checked): that range is smaller */
        int few_verified = verified && !(verified & LEAK_VERIFIED_NONE);
        if (!q->ak_lo && !few_verified)
            q->from = from_index(d, "leaks l INDEXED BY leaks_text");
    }
    q->search = q->ak_lo || q->like || (verified && verified != LEAK_VERIFIED_ANY);
    q->key = xasprintf("%d\x1f%s\x1f%s\x1f%s\x1f%s", q->by_severity, q->where.data,
                       q->ak_lo ? q->ak_lo : "", q->ak_hi ? q->ak_hi : "",
                       q->like ? q->like : "");
}

void
store_query_done(struct list_query *q)
{
    buf_done(&q->where);
    free(q->ak_lo);
    free(q->ak_hi);
    free(q->like);
    free(q->key);
}

const char *
store_query_order(const struct list_query *q, int ascending)
{
    if (q->by_severity)
        return ascending ? " ORDER BY l.severity, l.first_seen, l.id"
                         : " ORDER BY l.severity DESC, l.first_seen DESC, l.id DESC";
    return ascending ? " ORDER BY l.first_seen, l.id" : " ORDER BY l.first_seen DESC, l.id DESC";
}

static void
bind_named_text(struct drv_stmt *s, const char *name, const char *v)
{
    int i = drv_param_index(s, name);
    if (i > 0)
        store_bind_text(s, i, v);
}

void
store_bind_named_int(struct drv_stmt *s, const char *name, int64_t v)
{
    int i = drv_param_index(s, name);
    if (i > 0)
        drv_bind_int64(s, i, v);
}

void
store_query_bind(struct drv_stmt *s, const struct list_query *q)
{
    bind_named_text(s, ":lo", q->ak_lo);
    bind_named_text(s, ":hi", q->ak_hi);
    bind_named_text(s, ":like", q->like);
}
