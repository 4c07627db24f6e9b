/* conf — load the INI configuration with inih over the defaults, driven by the key table
 * in keys.c, then apply the environment overrides (GITHUB_TOKEN, AKWATCH_API_URL).
 * Every error becomes "file:line: [section] key: message"; nothing is half-applied.
 */
#include "config.h"
#include "config/conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config/keys.h"

/* Static so that config_init allocates nothing and may be called on a filled struct
 * without leaking; config_done frees api_url only when it differs from this. */
static char default_api_url[] = "https://api.github.com";

struct conf_error {
    int line;
    char *msg;
};

struct parse {
    const char *path;
    struct config *cfg;
    FILE *f;
    char *line;
    size_t line_cap;
    int lineno;
    int open_errno;
    int *first_line;          /* per table entry: line it was first given on, 0 = not yet */
    struct conf_error *errs;
    size_t n_errs;
};

void
config_init(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->api_url = default_api_url;
    cfg->poll_interval = 60;
    cfg->give_up_after = 3;
    cfg->lease_seconds = 120;
    cfg->bell = 1;
    cfg->max_file_size = 10LL << 20;
    cfg->recheck_after = 86400;
    cfg->verify_rate = 2;
    cfg->hook_timeout = 30;
    cfg->min_confidence = CONFIDENCE_MEDIUM;
}

enum confidence
config_alert_confidence(const struct config *cfg)
{
    return cfg->notify_min_confidence ? cfg->notify_min_confidence : cfg->min_confidence;
}

static void
str_set(char **field, const char *value)
{
    if (*field != default_api_url)
        free(*field);
    *field = value ? xstrdup(value) : NULL;
}

static void
strlist_free(struct strlist *l, int secret)
{
    for (size_t i = 0; i < l->n; i++)
        if (secret)
            secret_free(l->v[i]);
        else
            free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void
strlist_insert(struct strlist *l, size_t at, const char *s)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    memmove(l->v + at + 1, l->v + at, (l->n - at) * sizeof *l->v);
    l->v[at] = xstrdup(s);
    l->n++;
}

static void
lines_free(struct conf_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l->line);
    memset(l, 0, sizeof *l);
}

static void
lines_add(struct conf_lines *l, const char *s, int line)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->line = xrealloc(l->line, (l->n + 1) * sizeof *l->line);
    l->v[l->n] = xstrdup(s);
    l->line[l->n++] = line;
}

void
config_done(struct config *cfg)
{
    for (size_t i = 0; i < conf_keys_n; i++) {
        void *field = (char *)cfg + conf_keys[i].offset;
        if (conf_keys[i].type == CONF_LINES)
            lines_free(field);
        else if (conf_keys[i].type == CONF_LIST || conf_keys[i].type == CONF_WORDS)
            strlist_free(field, conf_keys[i].secret);
        else if (conf_keys[i].type == CONF_STR)
            str_set(field, NULL);
    }
    free(cfg->path);
    config_init(cfg);
}

static void
add_error(struct parse *ps, int line, const struct conf_key *k, const char *section,
          const char *key, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
add_error(struct parse *ps, int line, const struct conf_key *k, const char *section,
          const char *key, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    struct conf_error *e;
    ps->errs = xrealloc(ps->errs, (ps->n_errs + 1) * sizeof *ps->errs);
    e = &ps->errs[ps->n_errs++];
    e->line = line;
    if (section)
        e->msg = xasprintf("%s:%d: [%s] %s: %s", ps->path, line, k ? k->section : section,
                           k ? k->key : key, what);
    else
        e->msg = xasprintf("%s:%d: %s", ps->path, line, what);
}

/* One value of key k (already known to be non-empty); returns an untranslated message or
 * NULL after storing it. */
static const char *
apply_value(struct parse *ps, const struct conf_key *k, const char *value)
{
    void *field = (char *)ps->cfg + k->offset;
    long long size;
    long secs;
    switch (k->type) {
    case CONF_BOOL:
        return config_parse_bool(value, field) == 0 ? NULL : N_("expected on or off");
    case CONF_SIZE:
        if (config_parse_size(value, &size) != 0)
            return N_("expected a size like 512K, 10M or 1G");
        *(long long *)field = size;
        return NULL;
    case CONF_INT:
        if (conf_parse_seconds(value, &secs) != 0 || secs > 1000000 || strspn(value, "0123456789")
                                                                           != strlen(value))
            return N_("expected a positive whole number");
        *(int *)field = (int)secs;
        return NULL;
    case CONF_SECONDS:
        if (conf_parse_seconds(value, &secs) != 0)
            return N_("expected a duration like 90, 30m, 12h or 7d");
        *(long *)field = secs;
        return NULL;
    case CONF_CONFIDENCE:
        return confidence_parse(value, field) == 0 ? NULL : N_("expected low, medium or high");
    case CONF_STR:
        if (k->check && k->check(value))
            return k->check(value);
        str_set(field, value);
        return NULL;
    case CONF_LIST:
        if (k->check && k->check(value))
            return k->check(value);
        strlist_insert(field, ((struct strlist *)field)->n, value);
        return NULL;
    case CONF_LINES:
        if (k->check && k->check(value))
            return k->check(value);
        lines_add(field, value, ps->lineno);
        return NULL;
    case CONF_WORDS: {
        char *copy = xstrdup(value), *save = NULL;
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
            strlist_insert(field, ((struct strlist *)field)->n, w);
        free(copy);
        return NULL;
    }
    }
    return NULL;
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
    struct parse *ps = user;
    int section_known;
    const struct conf_key *k = conf_key_find(section, name, &section_known);
    if (!k) {
        add_error(ps, ps->lineno, NULL, section, name, "%s",
                  section_known ? _("unknown key") : _("unknown section"));
        return 1;
    }
    size_t idx = (size_t)(k - conf_keys);
    int scalar = k->type != CONF_LIST && k->type != CONF_WORDS && k->type != CONF_LINES;
    if (scalar && ps->first_line[idx]) {
        add_error(ps, ps->lineno, k, section, name, _("given twice (first on line %d)"),
                  ps->first_line[idx]);
        return 1;
    }
    if (!ps->first_line[idx])
        ps->first_line[idx] = ps->lineno;
    if (*value == '\0') {
        add_error(ps, ps->lineno, k, section, name, "%s", _("empty value"));
        return 1;
    }
    const char *why = apply_value(ps, k, value);
    if (why) {
        if (k->secret)
            add_error(ps, ps->lineno, k, section, name, "%s", _(why));
        else
            add_error(ps, ps->lineno, k, section, name, "%s (%s)", _(why), value);
    }
    return 1;
}

/* inih's reader: counts lines so the handler knows where it is, and refuses lines longer
 * than inih's buffer instead of letting it split them into two bogus lines. */
static char *
read_line(char *str, int num, void *stream)
{
    struct parse *ps = stream;
    ssize_t n = getline(&ps->line, &ps->line_cap, ps->f);
    if (n < 0)
        return NULL;
    ps->lineno++;
    if (n >= num) {
        add_error(ps, ps->lineno, NULL, NULL, NULL, _("line longer than %d bytes"), num - 2);
        snprintf(str, (size_t)num, "\n");
        return str;
    }
    memcpy(str, ps->line, (size_t)n + 1);
    return str;
}

static int
cmp_errors(const void *a, const void *b)
{
    const struct conf_error *x = a, *y = b;
    return x->line != y->line ? (x->line < y->line ? -1 : 1) : 0;
}

/* Parse path into cfg (defaults first); collects every error in ps. */
static enum akw_status
parse_file(struct parse *ps, const char *path, struct config *cfg, struct akw_err *err)
{
    memset(ps, 0, sizeof *ps);
    ps->path = path;
    ps->cfg = cfg;
    ps->f = fopen(path, "r");
    if (!ps->f) {
        ps->open_errno = errno;
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(ps->open_errno));
    }
    ps->first_line = xcalloc(conf_keys_n, sizeof *ps->first_line);
    int first_bad = ini_parse_stream(read_line, ps, on_key, ps);
    if (first_bad > 0) {
        /* inih only reports the first line it could not parse at all */
        int known = 0;
        for (size_t i = 0; i < ps->n_errs; i++)
            known |= ps->errs[i].line == first_bad;
        if (!known)
            add_error(ps, first_bad, NULL, NULL, NULL, "%s",
                      _("syntax error (expected [section] or key = value)"));
    }
    if (ferror(ps->f))
        add_error(ps, ps->lineno, NULL, NULL, NULL, "%s", _("read error"));
    fclose(ps->f);
    free(ps->line);
    free(ps->first_line);
    /* qsort is not stable, but errors of one line keep their order by construction:
     * at most the inih syntax error and our own can share a line, and we skip that. */
    if (ps->n_errs > 1)
        qsort(ps->errs, ps->n_errs, sizeof *ps->errs, cmp_errors);
    return AKW_OK;
}

static void
free_errors(struct parse *ps)
{
    for (size_t i = 0; i < ps->n_errs; i++)
        free(ps->errs[i].msg);
    free(ps->errs);
}

/* GITHUB_TOKEN first in the pool; AKWATCH_API_URL over api_url. Returns a message naming
 * the variable when its value is bad, else NULL (caller frees). */
static char *
apply_env(struct config *cfg)
{
    const char *tok = getenv("GITHUB_TOKEN");
    if (tok && *tok) {
        size_t i;
        for (i = 0; i < cfg->tokens.n && strcmp(cfg->tokens.v[i], tok) != 0; i++)
            ;
        if (i == cfg->tokens.n)
            strlist_insert(&cfg->tokens, 0, tok);
    }
    const char *url = getenv("AKWATCH_API_URL");
    if (url && *url) {
        const char *why = config_check_url(url);
        if (why)
            return xasprintf("AKWATCH_API_URL: %s (%s)", _(why), url);
        str_set(&cfg->api_url, url);
    }
    return NULL;
}

enum akw_status
config_load(const char *path, int must_exist, struct config *cfg, struct akw_err *err)
{
    config_init(cfg);
    if (path) {
        struct parse ps;
        enum akw_status rc = parse_file(&ps, path, cfg, err);
        if (rc != AKW_OK && (must_exist || ps.open_errno != ENOENT))
            return rc;
        if (rc == AKW_OK && ps.n_errs) {
            akw_err_set(err, AKW_ERR_PARSE, "%s", ps.errs[0].msg);
            free_errors(&ps);
            config_done(cfg);
            return AKW_ERR_PARSE;
        }
        if (rc == AKW_OK) {
            free_errors(&ps);
            cfg->path = xstrdup(path);
        }
        akw_err_clear(err);
    }
    char *bad = apply_env(cfg);
    if (bad) {
        akw_err_set(err, AKW_ERR_PARSE, "%s", bad);
        free(bad);
        config_done(cfg);
        return AKW_ERR_PARSE;
    }
    return AKW_OK;
}

enum akw_status
config_check(const char *path, config_error_cb cb, void *user, struct akw_err *err)
{
    struct config cfg;
    struct parse ps;
    config_init(&cfg);
    enum akw_status rc = parse_file(&ps, path, &cfg, err);
    if (rc != AKW_OK) {
        config_done(&cfg);
        return rc;
    }
    for (size_t i = 0; i < ps.n_errs; i++)
        cb(ps.errs[i].msg, user);
    rc = ps.n_errs ? AKW_ERR_PARSE : AKW_OK;
    free_errors(&ps);
    char *bad = apply_env(&cfg);
    if (bad) {
        cb(bad, user);
        free(bad);
        rc = AKW_ERR_PARSE;
    }
    config_done(&cfg);
    return rc;
}
