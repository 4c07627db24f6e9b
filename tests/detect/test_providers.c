/* test_providers — every shipped rule on its own table of cases (cases_FAMILY.c): a
 * real-shaped positive is exactly one finding of that rule with that secret (and ID), a
 * hard negative is no finding of it (nor of another provider's rule); and every rule of
 * data/rules has at least one of each (a negative counts only when one of the rule's
 * keywords is in it and the rule runs on its path: is_hard), every rule naming a provider finds it
 * declared with a name and a console, every provider is named by a rule, the detection document
 * (doc/detection.md) names every provider and every rule id, and README names every provider. */
#include "config.h"
#include "detect/detect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases.h"
#include "tap.h"

#define MAXF 8

struct got {
    char rule[64], secret[4096], ak[256], kind[32];
};

struct result {
    struct got g[MAXF];
    int n;
};

static int
collect(const struct finding *f, void *user)
{
    struct result *r = user;
    if (r->n < MAXF) {
        struct got *g = &r->g[r->n];
        snprintf(g->rule, sizeof g->rule, "%s", f->rule->id);
        snprintf(g->secret, sizeof g->secret, "%s", f->secret);
        snprintf(g->ak, sizeof g->ak, "%s", f->ak_id ? f->ak_id : "");
        snprintf(g->kind, sizeof g->kind, "%s", f->rule->kind);
    }
    r->n++;
    return 0;
}

static const struct {
    const char *name;
    const struct rule_case *cases;
} families[] = {
    {"core", cases_core},
    {"ai", cases_ai},
    {"cloud-intl", cases_cloud_intl},
    {"cloud-cn", cases_cloud_cn},
    {"vcs", cases_vcs},
    {"payment", cases_payment},
    {"messaging", cases_messaging},
    {"webhooks", cases_webhooks},
    {"saas", cases_saas},
    {"apps", cases_apps},
    {"passwords", cases_passwords},
};
#define NFAM (sizeof families / sizeof *families)

static void
show_got(const struct result *r)
{
    for (int k = 0; k < r->n && k < MAXF; k++)
        printf("#   found %s '%s' (ak_id '%s')\n", r->g[k].rule, r->g[k].secret, r->g[k].ak);
}

static void
run_positive(const struct rule_case *c, const struct result *r)
{
    if (!ok(r->n == 1 && strcmp(r->g[0].rule, c->rule) == 0 &&
                strcmp(r->g[0].secret, c->secret) == 0 &&
                (!c->ak_id || strcmp(r->g[0].ak, c->ak_id) == 0),
            "%s: positive in %s", c->rule, c->path)) {
        printf("#   want %s '%s' (ak_id '%s'), %d findings\n", c->rule, c->secret,
               c->ak_id ? c->ak_id : "-", r->n);
        show_got(r);
    }
}

static void
run_negative(const struct rule_case *c, const struct result *r)
{
    int bad = 0;
    for (int k = 0; k < r->n && k < MAXF; k++)
        bad |= strcmp(r->g[k].rule, c->rule) == 0 || strcmp(r->g[k].kind, "generic_secret") != 0;
    if (!ok(!bad, "%s: hard negative in %s", c->rule, c->path))
        show_got(r);
}

static void
test_cases(struct detector *d)
{
    for (size_t f = 0; f < NFAM; f++)
        for (const struct rule_case *c = families[f].cases; c->rule; c++) {
            struct result r;
            memset(&r, 0, sizeof r);
            detector_scan(d, c->path, c->text, strlen(c->text), collect, &r);
            if (c->secret)
                run_positive(c, &r);
            else
                run_negative(c, &r);
        }
}

/* Whether a negative case is a near miss the rule really looks at: the rule runs on the
 * case's path (its `path` gate, when it has one, matches) and one of its keywords is in the
 * text, so the rule's regex and gates are what keep it quiet. A negative that no keyword of
 * the rule reaches proves nothing about the rule. Returns 1 or 0. */
static int
is_hard(const struct rule *r, const struct rule_case *c)
{
    if (r->path) {
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->path, NULL);
        int on = pcre2_match(r->path, (PCRE2_SPTR)c->path, strlen(c->path), 0, 0, md, NULL) >= 0;
        pcre2_match_data_free(md);
        if (!on)
            return 0;
    }
    size_t tl = strlen(c->text);
    for (size_t k = 0; k < r->nkeywords; k++) {
        size_t kl = strlen(r->keywords[k]);
        for (size_t i = 0; kl && i + kl <= tl; i++)
            if (strncasecmp(c->text + i, r->keywords[k], kl) == 0)
                return 1;
    }
    return 0;
}

/* The rule of each case exists, and each rule has a positive and a hard negative: a
 * negative counts only when it is a near miss the rule looks at (is_hard). */
static void
test_counts(const struct detect_ruleset *rs)
{
    size_t n = detect_rules_count(rs), unknown = 0;
    int *pos = calloc(n, sizeof *pos), *neg = calloc(n, sizeof *neg);
    for (size_t f = 0; f < NFAM; f++)
        for (const struct rule_case *c = families[f].cases; c->rule; c++) {
            size_t i = 0;
            while (i < n && strcmp(detect_rule_info(rs, i)->id, c->rule) != 0)
                i++;
            if (i == n) {
                printf("#   case for unknown rule %s\n", c->rule);
                unknown++;
                continue;
            }
            if (c->secret)
                pos[i]++;
            else if (is_hard(&rs->rules[i], c))
                neg[i]++;
            else
                printf("#   negative of %s in %s not counted as hard: no keyword of the rule "
                       "in it, or not its path\n",
                       c->rule, c->path);
        }
    is_int(unknown, 0, "every case names a shipped rule");
    size_t both = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rule_info *ri = detect_rule_info(rs, i);
        if (!ok(pos[i] > 0 && neg[i] > 0, "rule %s has a positive (%d) and a hard negative (%d)",
                ri->id, pos[i], neg[i]))
            continue;
        both++;
    }
    is_int(both, n, "all %zu shipped rules have both", n);
    free(pos);
    free(neg);
}

static void
test_provider_metadata(const struct detect_ruleset *rs)
{
    size_t n = detect_rules_count(rs), np = detect_providers_count(rs);
    for (size_t i = 0; i < n; i++) {
        const struct rule_info *ri = detect_rule_info(rs, i);
        if (!*ri->provider)
            continue;
        ok(ri->prov && strcmp(ri->prov->id, ri->provider) == 0 && *ri->prov->name &&
               strncmp(ri->prov->console, "https://", 8) == 0,
           "rule %s: provider %s declared, with a name and a console", ri->id, ri->provider);
    }
    for (size_t p = 0; p < np; p++) {
        const struct provider_info *pv = detect_provider_info(rs, p);
        int used = 0;
        for (size_t i = 0; i < n && !used; i++)
            used = detect_rule_info(rs, i)->prov == pv;
        ok(used, "provider %s is named by a rule", pv->id);
    }
}

/* doc/detection.md's providers table lists every provider by name and every rule by id. */
static void
test_documented(const struct detect_ruleset *rs, const char *src)
{
    char *path = xasprintf("%s/doc/detection.md", src);
    char *doc = NULL;
    size_t len = 0;
    struct akw_err err = {0};
    if (!ok(fs_read_all(path, &doc, &len, &err) == AKW_OK, "read %s", path)) {
        free(path);
        return;
    }
    size_t missing = 0;
    for (size_t p = 0; p < detect_providers_count(rs); p++) {
        const struct provider_info *pv = detect_provider_info(rs, p);
        char *cell = xasprintf("| %s |", pv->name);
        if (!strstr(doc, cell)) {
            printf("#   provider %s (%s) is not in the table\n", pv->id, pv->name);
            missing++;
        }
        free(cell);
    }
    for (size_t i = 0; i < detect_rules_count(rs); i++) {
        const struct rule_info *ri = detect_rule_info(rs, i);
        char *id = xasprintf("`%s`", ri->id);
        if (*ri->provider && !strstr(doc, id)) {
            printf("#   rule %s is not in the table\n", ri->id);
            missing++;
        }
        free(id);
    }
    is_int(missing, 0, "doc/detection.md names every provider and each of its rules");
    free(doc);
    free(path);
}

/* README's line of providers names each of them (a name may wrap across lines). */
static void
test_readme(const struct detect_ruleset *rs, const char *src)
{
    char *path = xasprintf("%s/README", src);
    char *doc = NULL;
    size_t len = 0, missing = 0;
    struct akw_err err = {0};
    if (!ok(fs_read_all(path, &doc, &len, &err) == AKW_OK, "read %s", path)) {
        free(path);
        return;
    }
    for (size_t i = 0; i < len; i++)
        if (doc[i] == '\n')
            doc[i] = ' ';
    for (size_t p = 0; p < detect_providers_count(rs); p++) {
        const struct provider_info *pv = detect_provider_info(rs, p);
        if (!strstr(doc, pv->name)) {
            printf("#   provider %s (%s) is not in README\n", pv->id, pv->name);
            missing++;
        }
    }
    is_int(missing, 0, "README names every provider");
    free(doc);
    free(path);
}

int
main(void)
{
    const char *src = getenv("AKW_SRCDIR");
    src = src && *src ? src : AKW_SRCDIR;
    char *dir = xasprintf("%s/data/rules", src);
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};
    if (!ok(detect_rules_load(dir, &rs, &err) == AKW_OK, "load %s", dir)) {
        printf("#   %s\n", err.msg);
        free(dir);
        return done_testing();
    }
    free(dir);
    struct detector *d = detector_new(rs);
    test_cases(d);
    test_counts(rs);
    test_provider_metadata(rs);
    test_documented(rs, src);
    test_readme(rs, src);
    detector_free(d);
    detect_rules_free(rs);
    return done_testing();
}
