/* scan_out — the four output formats of scan results. json is one json-c object per line;
 * SARIF 2.1.0 is one document with every rule in tool.driver.rules and, per result, a
 * partialFingerprints entry and the confidence as its rank; tsv has a header line. Secrets
 * appear masked only.
 */
#include "config.h"
#include "cli/scan_out.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli_int.h"

const char *const scan_format_names[] = {"text", "json", "sarif", "tsv", NULL};

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

struct scan_out {
    enum scan_format fmt;
    FILE *f;
    const struct detect_ruleset *rs;
    json_object *results; /* SARIF */
};

static const char *
hit_date(const struct scan_hit *h)
{
    return h->committed_at ? cli_time(h->committed_at) : NULL;
}

static void
write_json(struct scan_out *o, const struct scan_hit *h, int owned)
{
    const struct finding *f = h->f;
    json_object *j = json_object_new_object();
    json_object_object_add(j, "rule", json_str_new(f->rule->id));
    json_object_object_add(j, "kind", json_str_new(f->rule->kind));
    json_object_object_add(j, "description", json_str_new(f->rule->description));
    json_object_object_add(j, "severity", json_str_new(severity_name(f->severity)));
    json_object_object_add(j, "confidence", json_str_new(confidence_name(f->confidence)));
    json_object_object_add(j, "path", json_str_new(h->path));
    json_object_object_add(j, "line", json_object_new_int64((int64_t)f->line));
    json_object_object_add(j, "column", json_object_new_int64((int64_t)f->column));
    json_object_object_add(j, "ak_id", json_str_new(f->ak_id));
    json_object_object_add(j, "secret_masked", json_str_new(f->secret_masked));
    json_object_object_add(j, "fingerprint", json_str_new(f->fingerprint));
    json_object_object_add(j, "platform", json_str_new(h->platform));
    json_object_object_add(j, "repo", json_str_new(h->root));
    json_object_object_add(j, "repo_path", json_str_new(h->relpath));
    json_object_object_add(j, "commit", json_str_new(h->commit));
    json_object_object_add(j, "url", NULL);
    json_object_object_add(j, "author", json_str_new(h->author));
    json_object_object_add(j, "date", json_str_new(hit_date(h)));
    json_object_object_add(j, "owned", json_object_new_boolean(owned));
    json_object_object_add(j, "snippet", json_str_new(f->line_masked));
    fprintf(o->f, "%s\n", json_object_to_json_string_ext(j, JSON_FLAGS));
    json_object_put(j);
}

static void
write_text(struct scan_out *o, const struct scan_hit *h, int owned)
{
    const struct finding *f = h->f;
    fprintf(o->f, "%s:%zu:%zu: %s %s %s", cli_safe(h->path), f->line, f->column,
            severity_name(f->severity), f->rule->id, f->secret_masked);
    if (f->ak_id)
        fprintf(o->f, " ak_id=%s", cli_safe(f->ak_id));
    if (confidence_name(f->confidence))
        fprintf(o->f, " confidence=%s", confidence_name(f->confidence));
    if (owned)
        fprintf(o->f, " %s", _("(owned)"));
    if (h->commit)
        fprintf(o->f, " commit=%.12s author=\"%s\" date=%s", h->commit, cli_safe(h->author),
                hit_date(h) ? hit_date(h) : "");
    fputc('\n', o->f);
}

static void
write_tsv_header(FILE *f)
{
    static const char *const cols[] = {"path", "line", "column", "rule", "kind", "severity",
                                       "ak_id", "secret_masked", "fingerprint", "owned",
                                       "repo", "commit", "author", "date", "confidence", NULL};
    for (size_t i = 0; cols[i]; i++)
        cli_tsv_field(f, cols[i], cols[i + 1] == NULL);
}

static void
write_tsv(struct scan_out *o, const struct scan_hit *h, int owned)
{
    const struct finding *f = h->f;
    char line[32], col[32];
    snprintf(line, sizeof line, "%zu", f->line);
    snprintf(col, sizeof col, "%zu", f->column);
    const char *fields[] = {h->path,         line,           col,
                            f->rule->id,     f->rule->kind,  severity_name(f->severity),
                            f->ak_id,        f->secret_masked, f->fingerprint,
                            owned ? "1" : "0", h->root,       h->commit,
                            h->author,       hit_date(h),    confidence_name(f->confidence)};
    size_t n = sizeof fields / sizeof fields[0];
    for (size_t i = 0; i < n; i++)
        cli_tsv_field(o->f, fields[i], i + 1 == n);
}

/* ---- SARIF ---------------------------------------------------------------------------- */

static const char *
sarif_level(enum severity s)
{
    return s >= SEVERITY_HIGH ? "error" : s == SEVERITY_MEDIUM ? "warning" : "note";
}

/* SARIF's result.rank (0-100, higher first): how sure the finding is. */
static double
sarif_rank(enum confidence c)
{
    return c == CONFIDENCE_HIGH ? 90.0 : c == CONFIDENCE_MEDIUM ? 60.0 : c ? 30.0 : -1.0;
}

/* GitHub code scanning ranks by this 0-10 score. */
static const char *
sarif_score(enum severity s)
{
    static const char *const scores[] = {"0.0", "3.0", "5.5", "8.0", "9.5"};
    return (unsigned)s <= SEVERITY_CRITICAL ? scores[s] : "5.5";
}

/* A relative or absolute path as a URI reference: percent-encode what is not unreserved
 * or '/'. */
static char *
path_uri(const char *path)
{
    struct buf b;
    buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
            || strchr("-._~/", *p))
            buf_putc(&b, (char)*p);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    if (!b.data)
        buf_puts(&b, "");
    return buf_steal(&b);
}

static int
rule_index(const struct detect_ruleset *rs, const char *id)
{
    size_t n = detect_rules_count(rs);
    for (size_t i = 0; i < n; i++)
        if (strcmp(detect_rule_info(rs, i)->id, id) == 0)
            return (int)i;
    return -1;
}

static void
add_sarif_result(struct scan_out *o, const struct scan_hit *h, int owned)
{
    const struct finding *f = h->f;
    json_object *r = json_object_new_object();
    json_object_object_add(r, "ruleId", json_str_new(f->rule->id));
    int idx = rule_index(o->rs, f->rule->id);
    if (idx >= 0)
        json_object_object_add(r, "ruleIndex", json_object_new_int(idx));
    json_object_object_add(r, "level", json_str_new(sarif_level(f->severity)));
    if (f->confidence)
        json_object_object_add(r, "rank", json_object_new_double(sarif_rank(f->confidence)));
    json_object *msg = json_object_new_object();
    char *text = xasprintf("%s: %s", f->rule->description, f->secret_masked);
    json_object_object_add(msg, "text", json_str_new(text));
    free(text);
    json_object_object_add(r, "message", msg);

    json_object *region = json_object_new_object();
    json_object_object_add(region, "startLine", json_object_new_int64((int64_t)f->line));
    json_object_object_add(region, "startColumn", json_object_new_int64((int64_t)f->column));
    json_object *snippet = json_object_new_object();
    json_object_object_add(snippet, "text", json_str_new(f->line_masked));
    json_object_object_add(region, "snippet", snippet);
    json_object *art = json_object_new_object();
    char *uri = path_uri(h->path);
    json_object_object_add(art, "uri", json_str_new(uri));
    free(uri);
    json_object *phys = json_object_new_object();
    json_object_object_add(phys, "artifactLocation", art);
    json_object_object_add(phys, "region", region);
    json_object *loc = json_object_new_object();
    json_object_object_add(loc, "physicalLocation", phys);
    json_object *locs = json_object_new_array();
    json_object_array_add(locs, loc);
    json_object_object_add(r, "locations", locs);

    json_object *fps = json_object_new_object();
    json_object_object_add(fps, "akwatchFingerprint/v1", json_str_new(f->fingerprint));
    json_object_object_add(r, "partialFingerprints", fps);
    json_object *props = json_object_new_object();
    json_object_object_add(props, "severity", json_str_new(severity_name(f->severity)));
    json_object_object_add(props, "confidence", json_str_new(confidence_name(f->confidence)));
    json_object_object_add(props, "kind", json_str_new(f->rule->kind));
    json_object_object_add(props, "secretMasked", json_str_new(f->secret_masked));
    if (f->ak_id)
        json_object_object_add(props, "akId", json_str_new(f->ak_id));
    json_object_object_add(props, "owned", json_object_new_boolean(owned));
    if (h->commit) {
        json_object_object_add(props, "commit", json_str_new(h->commit));
        json_object_object_add(props, "author", json_str_new(h->author));
        json_object_object_add(props, "date", json_str_new(hit_date(h)));
    }
    json_object_object_add(r, "properties", props);
    json_object_array_add(o->results, r);
}

static json_object *
sarif_rules(const struct detect_ruleset *rs)
{
    json_object *rules = json_object_new_array();
    size_t n = rs ? detect_rules_count(rs) : 0;
    for (size_t i = 0; i < n; i++) {
        const struct rule_info *ri = detect_rule_info(rs, i);
        json_object *r = json_object_new_object();
        json_object_object_add(r, "id", json_str_new(ri->id));
        json_object_object_add(r, "name", json_str_new(ri->id));
        json_object *sd = json_object_new_object();
        json_object_object_add(sd, "text", json_str_new(ri->description));
        json_object_object_add(r, "shortDescription", sd);
        json_object *conf = json_object_new_object();
        json_object_object_add(conf, "level", json_str_new(sarif_level(ri->severity)));
        json_object_object_add(r, "defaultConfiguration", conf);
        json_object *props = json_object_new_object();
        json_object_object_add(props, "kind", json_str_new(ri->kind));
        json_object_object_add(props, "security-severity", json_str_new(sarif_score(ri->severity)));
        json_object *tags = json_object_new_array();
        json_object_array_add(tags, json_str_new("security"));
        json_object_array_add(tags, json_str_new("secret"));
        json_object_object_add(props, "tags", tags);
        json_object_object_add(r, "properties", props);
        json_object_array_add(rules, r);
    }
    return rules;
}

static void
write_sarif(struct scan_out *o)
{
    json_object *driver = json_object_new_object();
    json_object_object_add(driver, "name", json_str_new("akwatch"));
    json_object_object_add(driver, "version", json_str_new(VERSION));
    json_object_object_add(driver, "informationUri", json_str_new(PACKAGE_URL[0] ? PACKAGE_URL
                                                                          : "https://akwatch.invalid/"));
    json_object_object_add(driver, "rules", sarif_rules(o->rs));
    json_object *tool = json_object_new_object();
    json_object_object_add(tool, "driver", driver);
    json_object *run = json_object_new_object();
    json_object_object_add(run, "tool", tool);
    json_object_object_add(run, "results", o->results);
    o->results = NULL;
    json_object *runs = json_object_new_array();
    json_object_array_add(runs, run);
    json_object *doc = json_object_new_object();
    json_object_object_add(doc, "$schema", json_str_new(SARIF_SCHEMA));
    json_object_object_add(doc, "version", json_str_new("2.1.0"));
    json_object_object_add(doc, "runs", runs);
    fprintf(o->f, "%s\n",
            json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY
                                                    | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(doc);
}

struct scan_out *
scan_out_new(enum scan_format fmt, FILE *f, const struct detect_ruleset *rs)
{
    struct scan_out *o = xcalloc(1, sizeof *o);
    o->fmt = fmt;
    o->f = f;
    o->rs = rs;
    if (fmt == SCAN_FMT_SARIF)
        o->results = json_object_new_array();
    if (fmt == SCAN_FMT_TSV)
        write_tsv_header(f);
    return o;
}

void
scan_out_hit(struct scan_out *o, const struct scan_hit *h, int owned)
{
    // clang-format off
    switch (o->fmt) {
    case SCAN_FMT_TEXT:  write_text(o, h, owned); break;
    case SCAN_FMT_JSON:  write_json(o, h, owned); break;
    case SCAN_FMT_SARIF: add_sarif_result(o, h, owned); break;
    case SCAN_FMT_TSV:   write_tsv(o, h, owned); break;
    }
    // clang-format on
}

void
scan_out_end(struct scan_out *o)
{
    if (o->fmt == SCAN_FMT_SARIF)
        write_sarif(o);
    if (o->results)
        json_object_put(o->results);
    fflush(o->f);
    free(o);
}
