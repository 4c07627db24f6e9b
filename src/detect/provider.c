/* provider — the [provider] sections of the rule files: who issued a credential (name),
 * where it is revoked (console link) and what to do (recommendation steps), read beside the
 * rules that name it; and the lookups from a rule id to its provider. It parses one key at
 * a time for rules.c; it does not read files or resolve rules itself. */
#include "config.h"
#include "detect/detect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
set_once(char **field, const char *val, char *msg, size_t msglen)
{
    if (*field) {
        snprintf(msg, msglen, "%s", _("given twice in one [provider]"));
        return msg;
    }
    *field = xstrdup(val);
    return NULL;
}

/* An id is what rules write after provider =, and the prefix verify picks a provider by:
 * lower-case letters, digits and '-'. */
static int
valid_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

const char *
provider_key(struct provider *pv, const char *key, const char *val, char *msg, size_t msglen)
{
    if (strcmp(key, "id") == 0) {
        if (!valid_id(val)) {
            snprintf(msg, msglen, _("'%s' is not an id (lower-case letters, digits, '-')"), val);
            return msg;
        }
        return set_once(&pv->id, val, msg, msglen);
    }
    if (strcmp(key, "name") == 0)
        return set_once(&pv->name, val, msg, msglen);
    if (strcmp(key, "console") == 0) {
        if (strncmp(val, "https://", 8) != 0 || !val[8] || strpbrk(val, " \t")) {
            snprintf(msg, msglen, _("'%s' is not an https:// URL"), val);
            return msg;
        }
        return set_once(&pv->console, val, msg, msglen);
    }
    if (strcmp(key, "recommend") == 0) {
        if (pv->nsteps == PROVIDER_MAX_STEPS) {
            snprintf(msg, msglen, _("more than %d recommend lines"), PROVIDER_MAX_STEPS);
            return msg;
        }
        pv->steps = xrealloc(pv->steps, (pv->nsteps + 2) * sizeof *pv->steps);
        pv->steps[pv->nsteps++] = xstrdup(val);
        pv->steps[pv->nsteps] = NULL;
        return NULL;
    }
    snprintf(msg, msglen, "%s", _("unknown key"));
    return msg;
}

const char *
provider_missing(const struct provider *pv)
{
    return !pv->id ? "id" : !pv->name ? "name" : NULL;
}

void
provider_finish(struct provider *pv)
{
    if (!pv->steps)
        pv->steps = xcalloc(1, sizeof *pv->steps);
    pv->info.id = pv->id;
    pv->info.name = pv->name;
    pv->info.console = pv->console ? pv->console : "";
    pv->info.steps = (const char *const *)pv->steps;
    pv->info.nsteps = pv->nsteps;
    pv->info.file = pv->file;
}

void
provider_done(struct provider *pv)
{
    free(pv->id), free(pv->name), free(pv->console), free(pv->file);
    for (size_t i = 0; i < pv->nsteps; i++)
        free(pv->steps[i]);
    free(pv->steps);
}

long
provider_index(const struct detect_ruleset *rs, const char *id)
{
    for (size_t i = 0; id && i < rs->nprov; i++)
        if (rs->prov[i].id && strcmp(rs->prov[i].id, id) == 0)
            return (long)i;
    return -1;
}

size_t
detect_providers_count(const struct detect_ruleset *rs)
{
    return rs ? rs->nprov : 0;
}

const struct provider_info *
detect_provider_info(const struct detect_ruleset *rs, size_t i)
{
    return rs && i < rs->nprov ? &rs->prov[i].info : NULL;
}

const struct rule_info *
detect_rule_find(const struct detect_ruleset *rs, const char *id)
{
    for (size_t i = 0; rs && id && i < rs->n; i++)
        if (strcmp(rs->rules[i].id, id) == 0)
            return &rs->rules[i].info;
    return NULL;
}

const struct provider_info *
detect_rule_provider(const struct detect_ruleset *rs, const char *rule_id)
{
    const struct rule_info *r = detect_rule_find(rs, rule_id);
    return r ? r->prov : NULL;
}
