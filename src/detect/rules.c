/* rules — load data/rules/NAME.conf into a compiled ruleset: a tiny INI line parser (so a
 * regex is taken verbatim, no escaping, no inline comments), validation with
 * "file:line: key: message" errors, PCRE2 compile + JIT, pairing and providers resolved by
 * id. It does not scan anything (match.c does) nor know a provider's keys (provider.c). */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a rule file is being parsed into, plus where things were said (for errors). */
struct parse {
    const char *file;
    struct detect_ruleset *rs;
    struct rule *cur;     /* the [rule] being read, or NULL */
    struct provider *curp; /* the [provider] being read, or NULL */
    size_t cur_line;      /* line of the current section header */
    size_t pcap;          /* capacity of rs->prov */
    int meta;             /* detect_rules_load_meta: compile no regex */
    size_t *pair_line;    /* per rule: line of its pair_with key (for errors) */
    size_t *rule_line;    /* per rule: line of its [rule] header */
    size_t cap;
    struct akw_err *err;
};

static const char *const kinds[] = {
    "cloud_accesskey", "api_token", "private_key", "database", "server_password",
    "generic_secret",
};

static enum akw_status fail(struct parse *p, size_t line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum akw_status
fail(struct parse *p, size_t line, const char *key, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return akw_err_set(p->err, AKW_ERR_PARSE, "%s:%zu: %s: %s", p->file, line, key, msg);
}

/* Compile one regex; on failure fills err with PCRE2's message and offset. */
static pcre2_code *
compile(const char *pattern, uint32_t flags, char *emsg, size_t emsg_len)
{
    int ec;
    PCRE2_SIZE eoff;
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   flags | PCRE2_MULTILINE, &ec, &eoff, cc);
    pcre2_compile_context_free(cc);
    if (!re) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(ec, buf, sizeof buf);
        snprintf(emsg, emsg_len, _("bad regex at offset %zu: %s"), (size_t)eoff, (char *)buf);
    }
    return re;
}

/* JIT-compile re; 0 when done. AKWATCH_NO_JIT=1 keeps the interpreter, for valgrind (it
 * cannot see into JIT code and reports its reads as uninitialised) — a test seam only. */
static int
jit_compile(pcre2_code *re)
{
    const char *no = getenv("AKWATCH_NO_JIT");
    if (no && *no && strcmp(no, "0") != 0)
        return -1;
    return pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
}

static enum akw_status
add_regex(struct parse *p, size_t line, const char *key, const char *val, struct regex_list *l)
{
    char emsg[320];
    pcre2_code *re = compile(val, PCRE2_CASELESS, emsg, sizeof emsg);
    if (!re)
        return fail(p, line, key, "%s", emsg);
    jit_compile(re);
    l->re = xrealloc(l->re, (l->n + 1) * sizeof *l->re);
    l->re[l->n++] = re;
    return AKW_OK;
}

static int
parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

static int
parse_int(const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi)
        return -1;
    *out = (int)n;
    return 0;
}

/* Split a space-separated list into owned strings appended to *v. */
static void
split_words(const char *val, int lower, char ***v, size_t *n)
{
    const char *s = val;
    while (*s) {
        while (*s && isspace((unsigned char)*s))
            s++;
        const char *e = s;
        while (*e && !isspace((unsigned char)*e))
            e++;
        if (e > s) {
            char *w = xstrndup(s, (size_t)(e - s));
            for (char *c = w; lower && *c; c++)
                *c = (char)tolower((unsigned char)*c);
            *v = xrealloc(*v, (*n + 1) * sizeof **v);
            (*v)[(*n)++] = w;
        }
        s = e;
    }
}

static enum akw_status
set_string(struct parse *p, size_t line, const char *key, char **field, const char *val)
{
    if (*field)
        return fail(p, line, key, _("given twice in one rule"));
    *field = xstrdup(val);
    return AKW_OK;
}

/* One key of a [rule]. Table over if-chain would need a union of handlers; the keys are
 * few and their checks differ, so each gets its branch. */
static enum akw_status
rule_key(struct parse *p, size_t line, const char *key, const char *val)
{
    struct rule *r = p->cur;
    char emsg[320];
    int iv;

    if (strcmp(key, "id") == 0)
        return set_string(p, line, key, &r->id, val);
    if (strcmp(key, "description") == 0)
        return set_string(p, line, key, &r->description, val);
    if (strcmp(key, "provider") == 0) {
        r->provider_line = line;
        return set_string(p, line, key, &r->provider, val);
    }
    if (strcmp(key, "kind") == 0) {
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
            if (strcmp(val, kinds[i]) == 0)
                return set_string(p, line, key, &r->kind, val);
        return fail(p, line, key, _("unknown kind '%s' (cloud_accesskey, api_token, "
                    "private_key, database, server_password, generic_secret)"), val);
    }
    if (strcmp(key, "severity") == 0 || strcmp(key, "pair_severity") == 0) {
        enum severity s;
        if (severity_parse(val, &s) != 0)
            return fail(p, line, key, _("unknown severity '%s' (low, medium, high, critical)"), val);
        *(key[0] == 's' ? &r->info.severity : &r->pair_severity) = s;
        return AKW_OK;
    }
    if (strcmp(key, "regex") == 0) {
        if (r->has_regex)
            return fail(p, line, key, _("given twice in one rule"));
        r->has_regex = 1;
        if (p->meta)
            return AKW_OK;
        r->re = compile(val, 0, emsg, sizeof emsg);
        if (!r->re)
            return fail(p, line, key, "%s", emsg);
        int n = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "secret");
        if (n <= 0)
            return fail(p, line, key, _("no named group (?<secret>...)"));
        r->secret_group = (uint32_t)n;
        n = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "id");
        r->id_group = n > 0 ? (uint32_t)n : 0;
        n = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "key");
        r->key_group = n > 0 ? (uint32_t)n : 0;
        r->jit = jit_compile(r->re) == 0;
        uint32_t groups = 0;
        pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &groups);
        if (groups + 1 > p->rs->max_groups)
            p->rs->max_groups = groups + 1;
        return AKW_OK;
    }
    if (strcmp(key, "keywords") == 0) {
        split_words(val, 1, &r->keywords, &r->nkeywords);
        return AKW_OK;
    }
    if (strcmp(key, "entropy") == 0) {
        char *end;
        double e = strtod(val, &end);
        if (end == val || *end || e < 0 || e > 8)
            return fail(p, line, key, _("'%s' is not a number of bits from 0 to 8"), val);
        r->entropy = e;
        return AKW_OK;
    }
    if (strcmp(key, "deny_key") == 0 && !r->deny_key_line)
        r->deny_key_line = line;
    if (p->meta && (strcmp(key, "allow") == 0 || strcmp(key, "allow_path") == 0 ||
                    strcmp(key, "path") == 0 || strcmp(key, "deny_key") == 0 ||
                    strcmp(key, "allow_before") == 0))
        return AKW_OK;
    if (strcmp(key, "deny_key") == 0)
        return add_regex(p, line, key, val, &r->deny_key);
    if (strcmp(key, "allow_before") == 0)
        return add_regex(p, line, key, val, &r->allow_before);
    if (strcmp(key, "allow") == 0)
        return add_regex(p, line, key, val, &r->allow);
    if (strcmp(key, "allow_path") == 0)
        return add_regex(p, line, key, val, &r->allow_path);
    if (strcmp(key, "path") == 0) {
        if (r->path)
            return fail(p, line, key, _("given twice in one rule"));
        r->path = compile(val, 0, emsg, sizeof emsg);
        return r->path ? AKW_OK : fail(p, line, key, "%s", emsg);
    }
    if (strcmp(key, "pair_with") == 0) {
        split_words(val, 0, &r->pair_names, &r->npair);
        free(r->pair_with_text);
        r->pair_with_text = xstrdup(val);
        p->pair_line[p->rs->n - 1] = line;
        return AKW_OK;
    }
    if (strcmp(key, "pair_lines") == 0) {
        if (parse_int(val, 0, 1000, &iv) != 0)
            return fail(p, line, key, _("'%s' is not a number of lines from 0 to 1000"), val);
        r->info.pair_lines = iv;
        return AKW_OK;
    }
    if (strcmp(key, "pair_required") == 0 || strcmp(key, "strip_space") == 0 ||
        strcmp(key, "keep_hex") == 0 || strcmp(key, "evidence") == 0) {
        if (parse_bool(val, &iv) != 0)
            return fail(p, line, key, _("'%s' is not yes or no"), val);
        *(key[0] == 'p'   ? &r->pair_required
          : key[0] == 's' ? &r->strip_space
          : key[0] == 'e' ? &r->evidence
                          : &r->keep_hex) = iv;
        return AKW_OK;
    }
    if (strcmp(key, "unquote") == 0) {
        if (r->unquote != UNQUOTE_NONE)
            return fail(p, line, key, _("given twice in one rule"));
        if (unquote_parse(val, &r->unquote) != 0)
            return fail(p, line, key, _("unknown format '%s' (url, jdbc, redis, shell, dotenv, "
                        "yaml, properties, code)"), val);
        return AKW_OK;
    }
    if (strcmp(key, "lines") == 0) {
        if (parse_int(val, 0, 1000, &iv) != 0)
            return fail(p, line, key, _("'%s' is not a number of lines from 0 to 1000"), val);
        r->lines = iv;
        return AKW_OK;
    }
    return fail(p, line, key, _("unknown key"));
}

static void
rule_new(struct parse *p, size_t line)
{
    struct detect_ruleset *rs = p->rs;
    if (rs->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        rs->rules = xrealloc(rs->rules, p->cap * sizeof *rs->rules);
        p->pair_line = xrealloc(p->pair_line, p->cap * sizeof *p->pair_line);
        p->rule_line = xrealloc(p->rule_line, p->cap * sizeof *p->rule_line);
    }
    struct rule *r = &rs->rules[rs->n];
    memset(r, 0, sizeof *r);
    r->info.severity = SEVERITY_MEDIUM;
    r->pair_severity = SEVERITY_CRITICAL;
    r->info.pair_lines = 5;
    r->order = rs->n;
    r->file = xstrdup(p->file);
    p->pair_line[rs->n] = 0;
    p->rule_line[rs->n] = line;
    rs->n++;
    p->cur = r;
    p->curp = NULL;
    p->cur_line = line;
}

static void
provider_new(struct parse *p, size_t line)
{
    struct detect_ruleset *rs = p->rs;
    if (rs->nprov == p->pcap) {
        p->pcap = p->pcap ? p->pcap * 2 : 32;
        rs->prov = xrealloc(rs->prov, p->pcap * sizeof *rs->prov);
    }
    struct provider *pv = &rs->prov[rs->nprov++];
    memset(pv, 0, sizeof *pv);
    pv->file = xstrdup(p->file);
    pv->line = line;
    p->curp = pv;
    p->cur = NULL;
    p->cur_line = line;
}

/* Check the provider just finished has an id no other provider has, and a name. */
static enum akw_status
provider_section_finish(struct parse *p)
{
    struct provider *pv = p->curp;
    const char *missing = provider_missing(pv);
    if (missing)
        return fail(p, p->cur_line, missing, _("missing in this [provider]"));
    for (size_t i = 0; i + 1 < p->rs->nprov; i++)
        if (strcmp(p->rs->prov[i].id, pv->id) == 0)
            return fail(p, p->cur_line, "id", _("'%s' is already used by another provider"),
                        pv->id);
    provider_finish(pv);
    p->curp = NULL;
    return AKW_OK;
}


/* Check the rule just finished has what every rule needs. */
static enum akw_status
rule_finish(struct parse *p)
{
    struct rule *r = p->cur;
    if (!r)
        return AKW_OK;
    static const char *const need[] = {"id", "kind", "regex", "keywords"};
    const void *have[] = {r->id, r->kind, r->has_regex ? r : NULL, r->nkeywords ? r : NULL};
    for (size_t i = 0; i < 4; i++)
        if (!have[i])
            return fail(p, p->cur_line, need[i], _("missing in this [rule]"));
    for (size_t i = 0; i + 1 < p->rs->n; i++)
        if (strcmp(p->rs->rules[i].id, r->id) == 0)
            return fail(p, p->cur_line, "id", _("'%s' is already used by another rule"), r->id);
    if (r->deny_key_line && !p->meta && !r->key_group)
        return fail(p, r->deny_key_line, "deny_key",
                    _("the rule's regex has no named group (?<key>...) to test"));
    return AKW_OK;
}

static enum akw_status
section_finish(struct parse *p)
{
    return p->curp ? provider_section_finish(p) : rule_finish(p);
}

static char *
trim(char *s, char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    *end = '\0';
    return s;
}

static enum akw_status
parse_line(struct parse *p, size_t line, char *s, char *end)
{
    s = trim(s, end);
    if (!*s || *s == '#' || *s == ';')
        return AKW_OK;
    if (*s == '[') {
        enum akw_status st = section_finish(p);
        if (st != AKW_OK)
            return st;
        if (strcmp(s, "[rule]") == 0)
            rule_new(p, line);
        else if (strcmp(s, "[provider]") == 0)
            provider_new(p, line);
        else
            return fail(p, line, s, _("unknown section (only [rule] and [provider])"));
        return AKW_OK;
    }
    char *eq = strchr(s, '=');
    if (!eq)
        return fail(p, line, s, _("expected key = value"));
    char *key = trim(s, eq), *val = trim(eq + 1, eq + 1 + strlen(eq + 1));
    if (!p->cur && !p->curp)
        return fail(p, line, key, _("key outside a [rule] or [provider] section"));
    if (!*val)
        return fail(p, line, key, _("empty value"));
    if (p->curp) {
        char msg[320];
        const char *e = provider_key(p->curp, key, val, msg, sizeof msg);
        return e ? fail(p, line, key, "%s", e) : AKW_OK;
    }
    return rule_key(p, line, key, val);
}

static enum akw_status
parse_file(struct parse *p, const char *path)
{
    char *text;
    size_t len;
    enum akw_status st = fs_read_all(path, &text, &len, p->err);
    if (st != AKW_OK)
        return st;
    p->file = path;
    p->cur = NULL;
    p->curp = NULL;
    size_t line = 0;
    for (char *s = text; st == AKW_OK && s < text + len;) {
        char *nl = memchr(s, '\n', (size_t)(text + len - s));
        char *end = nl ? nl : text + len;
        st = parse_line(p, ++line, s, end);
        s = end + 1;
    }
    if (st == AKW_OK)
        st = section_finish(p);
    free(text);
    return st;
}

/* Resolve pair_with names to indices once every file is read. */
static enum akw_status
resolve_pairs(struct parse *p)
{
    struct detect_ruleset *rs = p->rs;
    for (size_t i = 0; i < rs->n; i++) {
        struct rule *r = &rs->rules[i];
        r->pair_idx = xcalloc(r->npair ? r->npair : 1, sizeof *r->pair_idx);
        for (size_t k = 0; k < r->npair; k++) {
            size_t j = 0;
            while (j < rs->n && strcmp(rs->rules[j].id, r->pair_names[k]) != 0)
                j++;
            if (j == rs->n || j == i) {
                p->file = r->file;
                return fail(p, p->pair_line[i], "pair_with", _("no other rule has id '%s'"),
                            r->pair_names[k]);
            }
            r->pair_idx[k] = j;
        }
        if (r->pair_required && !r->npair) {
            p->file = r->file;
            return fail(p, p->rule_line[i], "pair_required", _("needs pair_with"));
        }
        if (r->provider && provider_index(rs, r->provider) < 0) {
            p->file = r->file;
            return fail(p, r->provider_line, "provider", _("no [provider] section has id '%s'"),
                        r->provider);
        }
    }
    return AKW_OK;
}

static int
conf_filter(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

static void
finish_info(struct detect_ruleset *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        struct rule *r = &rs->rules[i];
        r->info.id = r->id;
        r->info.kind = r->kind;
        r->info.description = r->description ? r->description : "";
        r->info.file = r->file;
        r->info.provider = r->provider ? r->provider : "";
        long pv = provider_index(rs, r->provider);
        r->info.prov = pv >= 0 ? &rs->prov[pv].info : NULL;
        r->info.pair_with = r->pair_with_text;
        for (size_t k = 0; !rs->meta && k < r->nkeywords; k++)
            prefilter_add(rs->pf, r->keywords[k], i);
    }
    prefilter_build(rs->pf);
}

static enum akw_status
load(const char *dir, int meta, struct detect_ruleset **out, struct akw_err *err)
{
    struct dirent **names;
    int n = scandir(dir, &names, conf_filter, alphasort);
    if (n < 0)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", dir, strerror(errno));
    struct detect_ruleset *rs = xcalloc(1, sizeof *rs);
    rs->pf = prefilter_new();
    rs->meta = meta;
    struct parse p = {.rs = rs, .err = err, .meta = meta};
    enum akw_status st = AKW_OK;
    for (int i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, names[i]->d_name);
        if (st == AKW_OK)
            st = parse_file(&p, path);
        free(path);
        free(names[i]);
    }
    free(names);
    if (st == AKW_OK && rs->n == 0)
        st = akw_err_set(err, AKW_ERR_PARSE, _("%s: no rules (no .conf file with a [rule])"), dir);
    if (st == AKW_OK)
        st = resolve_pairs(&p);
    free(p.pair_line);
    free(p.rule_line);
    if (st != AKW_OK) {
        detect_rules_free(rs);
        return st;
    }
    finish_info(rs);
    *out = rs;
    return AKW_OK;
}

enum akw_status
detect_rules_load(const char *dir, struct detect_ruleset **out, struct akw_err *err)
{
    return load(dir, 0, out, err);
}

enum akw_status
detect_rules_load_meta(const char *dir, struct detect_ruleset **out, struct akw_err *err)
{
    return load(dir, 1, out, err);
}

static void
regex_list_free(struct regex_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        pcre2_code_free(l->re[i]);
    free(l->re);
}

void
detect_rules_free(struct detect_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++) {
        struct rule *r = &rs->rules[i];
        free(r->id), free(r->kind), free(r->description), free(r->file), free(r->provider);
        free(r->pair_with_text);
        pcre2_code_free(r->re);
        pcre2_code_free(r->path);
        regex_list_free(&r->allow);
        regex_list_free(&r->allow_path);
        regex_list_free(&r->deny_key);
        regex_list_free(&r->allow_before);
        for (size_t k = 0; k < r->nkeywords; k++)
            free(r->keywords[k]);
        free(r->keywords);
        for (size_t k = 0; k < r->npair; k++)
            free(r->pair_names[k]);
        free(r->pair_names);
        free(r->pair_idx);
    }
    free(rs->rules);
    for (size_t i = 0; i < rs->nprov; i++)
        provider_done(&rs->prov[i]);
    free(rs->prov);
    prefilter_free(rs->pf);
    free(rs);
}

size_t
detect_rules_count(const struct detect_ruleset *rs)
{
    return rs ? rs->n : 0;
}

const struct rule_info *
detect_rule_info(const struct detect_ruleset *rs, size_t i)
{
    return rs && i < rs->n ? &rs->rules[i].info : NULL;
}
