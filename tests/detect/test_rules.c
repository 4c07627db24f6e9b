/* test_rules — loading rule files: the format (verbatim regexes, comments, repeatable keys,
 * path gates, pairing, [provider] sections, keep_hex, the metadata-only load) and every
 * kind of error naming file:line: key. Rule files are written to a temporary folder; the
 * shipped rules are tested in test_detect.c and test_providers.c. */
#include "config.h"
#include "detect/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static char dir[64];

static void
put(const char *name, const char *text)
{
    char *p = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    free(p);
}

static void
clear(void)
{
    static const char *const names[] = {"a.conf", "b.conf", "notes.txt", ".hidden.conf"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *p = xasprintf("%s/%s", dir, names[i]);
        unlink(p);
        free(p);
    }
}

#define GOOD "[rule]\nid = r1\nkind = api_token\nkeywords = tok_\nregex = (?<secret>tok_[a-z0-9]{12})\n"
#define PROV "[provider]\nid = p\nname = P\n"

struct bad {
    const char *name, *text, *want; /* want: expected message after "<dir>/a.conf:" */
};

// clang-format off
static const struct bad bads[] = {
    {"bad regex", "[rule]\nid = x\nkind = api_token\nkeywords = k\nregex = (?<secret>(unclosed\n",
     "5: regex: bad regex at offset"},
    {"no secret group", "[rule]\nid = x\nkind = api_token\nkeywords = k\nregex = k[0-9]+\n",
     "5: regex: no named group (?<secret>...)"},
    {"unknown key", "[rule]\nid = x\ncolour = red\n", "3: colour: unknown key"},
    {"unknown kind", "[rule]\nid = x\nkind = cloud\n", "3: kind: unknown kind 'cloud'"},
    {"bad severity", "[rule]\nid = x\nseverity = urgent\n", "3: severity: unknown severity 'urgent'"},
    {"bad entropy", "[rule]\nid = x\nentropy = lots\n", "3: entropy: 'lots' is not a number"},
    {"bad pair_lines", "[rule]\nid = x\npair_lines = -3\n", "3: pair_lines: '-3' is not a number"},
    {"bad bool", "[rule]\nid = x\npair_required = maybe\n", "3: pair_required: 'maybe' is not yes or no"},
    {"missing regex", "# c\n\n[rule]\nid = x\nkind = api_token\nkeywords = k\n", "3: regex: missing"},
    {"missing keywords", "[rule]\nid = x\nkind = api_token\nregex = (?<secret>k)\n", "1: keywords: missing"},
    {"key outside section", "id = x\n", "1: id: key outside a [rule] or [provider] section"},
    {"unknown section", "[rules]\n", "1: [rules]: unknown section"},
    {"no equals", "[rule]\nid x\n", "2: id x: expected key = value"},
    {"empty value", "[rule]\nid =\n", "2: id: empty value"},
    {"duplicate key", "[rule]\nid = x\nid = y\n", "3: id: given twice"},
    {"duplicate id", GOOD GOOD, "6: id: 'r1' is already used"},
    {"pair_with unknown", GOOD "pair_with = nope\n", "6: pair_with: no other rule has id 'nope'"},
    {"bad allow regex", GOOD "allow = [\n", "6: allow: bad regex"},
    {"bad path regex", GOOD "path = (\n", "6: path: bad regex"},
    {"bad keep_hex", GOOD "keep_hex = sometimes\n", "6: keep_hex: 'sometimes' is not yes or no"},
    {"bad evidence", GOOD "evidence = perhaps\n", "6: evidence: 'perhaps' is not yes or no"},
    {"bad unquote", GOOD "unquote = base64\n", "6: unquote: unknown format 'base64'"},
    {"unquote twice", GOOD "unquote = url\nunquote = yaml\n", "7: unquote: given twice in one rule"},
    {"deny_key without (?<key>)", GOOD "deny_key = ^next\n",
     "6: deny_key: the rule's regex has no named group (?<key>...) to test"},
    {"bad deny_key regex", GOOD "deny_key = (\n", "6: deny_key: bad regex"},
    {"bad allow_before regex", GOOD "allow_before = [\n", "6: allow_before: bad regex"},
    {"provider: unknown key", PROV "colour = red\n", "4: colour: unknown key"},
    {"provider: no name", "[provider]\nid = p\n" GOOD, "1: name: missing in this [provider]"},
    {"provider: no id", "\n[provider]\nname = P\n", "2: id: missing in this [provider]"},
    {"provider: bad id", "[provider]\nid = Acme Cloud\n", "2: id: 'Acme Cloud' is not an id"},
    {"provider: http console", PROV "console = http://acme.example/keys\n",
     "4: console: 'http://acme.example/keys' is not an https:// URL"},
    {"provider: name twice", PROV "name = Q\n", "4: name: given twice in one [provider]"},
    {"provider: empty recommend", PROV "recommend =\n", "4: recommend: empty value"},
    {"provider: nine steps", PROV "recommend = 1\nrecommend = 2\nrecommend = 3\nrecommend = 4\n"
     "recommend = 5\nrecommend = 6\nrecommend = 7\nrecommend = 8\nrecommend = 9\n",
     "12: recommend: more than 8 recommend lines"},
    {"provider: id used twice", PROV PROV, "4: id: 'p' is already used by another provider"},
    {"rule names no provider", PROV GOOD "provider = nope\n",
     "9: provider: no [provider] section has id 'nope'"},
};
// clang-format on

static void
test_errors(void)
{
    for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
        clear();
        put("a.conf", bads[i].text);
        struct detect_ruleset *rs = (struct detect_ruleset *)&bads; /* must stay untouched */
        struct akw_err err = {0};
        enum akw_status st = detect_rules_load(dir, &rs, &err);
        char *want = xasprintf("%s/a.conf:%s", dir, bads[i].want);
        ok(st == AKW_ERR_PARSE, "%s: parse error", bads[i].name);
        if (!ok(strncmp(err.msg, want, strlen(want)) == 0, "%s: message names file:line: key",
                bads[i].name))
            printf("#   got:  %s\n#   want: %s...\n", err.msg, want);
        ok(rs == (struct detect_ruleset *)&bads, "%s: *out untouched", bads[i].name);
        free(want);
    }

    clear();
    put("a.conf", GOOD);
    put("b.conf", GOOD);
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};
    detect_rules_load(dir, &rs, &err);
    char *want = xasprintf("%s/b.conf:1: id: 'r1' is already used", dir);
    ok(strncmp(err.msg, want, strlen(want)) == 0, "duplicate id across files names the second file");
    free(want);

    clear();
    put("notes.txt", GOOD);
    enum akw_status st = detect_rules_load(dir, &rs, &err);
    ok(st == AKW_ERR_PARSE && strstr(err.msg, "no rules"), "folder without *.conf: error");
    st = detect_rules_load("/nonexistent/akwatch-rules", &rs, &err);
    ok(st == AKW_ERR_IO && strstr(err.msg, "/nonexistent/akwatch-rules"), "missing folder: IO error naming it");
}

static int
count_cb(const struct finding *f, void *user)
{
    (void)f;
    ++*(int *)user;
    return 0;
}

static int
count(struct detector *d, const char *path, const char *text)
{
    int n = 0;
    detector_scan(d, path, text, strlen(text), count_cb, &n);
    return n;
}

static void
test_format(void)
{
    clear();
    put("a.conf", "# comment\n; another\n\n[rule]\n  id = tok\nkind = api_token\n"
                  "description = A token; with = signs and ; inside\n"
                  "keywords = TOK_ other\n"
                  "regex = (?<![a-z0-9_])(?<secret>tok_[a-z0-9]{12}) ; not a comment\n"
                  "allow = ^tok_0\nallow = ^tok_1\n"
                  "allow_path = (^|/)vendor/\n");
    put("b.conf", "[rule]\nid = envonly\nkind = database\nkeywords = pw\npath = \\.env$\n"
                  "regex = pw=(?<secret>\\S+)\nseverity = low\n");
    put(".hidden.conf", "garbage\n");
    put("notes.txt", "garbage\n");
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};
    if (!ok(detect_rules_load(dir, &rs, &err) == AKW_OK, "load a valid folder")) {
        printf("#   %s\n", err.msg);
        return;
    }
    is_int(detect_rules_count(rs), 2, "two rules, from a.conf then b.conf; dot files and .txt ignored");
    is_str(detect_rule_info(rs, 0)->id, "tok", "keys are trimmed");
    is_str(detect_rule_info(rs, 0)->description, "A token; with = signs and ; inside",
           "value kept verbatim after the first '='");
    is_int(detect_rule_info(rs, 1)->severity, SEVERITY_LOW, "severity read");
    is_int(detect_rule_info(rs, 0)->severity, SEVERITY_MEDIUM, "severity defaults to medium");
    ok(detect_rule_info(rs, 0)->pair_with == NULL, "no pair_with: NULL");

    struct detector *d = detector_new(rs);
    is_int(count(d, "x.c", "tok_a1b2c3d4e5f6 ; not a comment"), 1, "regex taken verbatim (with ' ; ')");
    is_int(count(d, "x.c", "TOK_A1B2C3D4E5F6 ; not a comment"), 0, "regex case-sensitive unless (?i)");
    is_int(count(d, "x.c", "tok_0b2c3d4e5f6g ; not a comment"), 0, "first allow regex");
    is_int(count(d, "x.c", "tok_1b2c3d4e5f6g ; not a comment"), 0, "repeated allow regex");
    is_int(count(d, "vendor/x.c", "tok_a1b2c3d4e5f6 ; not a comment"), 0, "allow_path");
    is_int(count(d, "prod.env", "pw=Zx8vK2mQ"), 1, "path gate: matching path");
    is_int(count(d, "prod.txt", "pw=Zx8vK2mQ"), 0, "path gate: other path");
    detector_free(d);
    detect_rules_free(rs);
}

/* [provider] sections: read beside the rules (any file), looked up from a rule id. */
static void
test_providers(void)
{
    clear();
    put("a.conf", "[provider]\nid = acme\nname = Acme Cloud\n"
                  "console = https://console.acme.example/keys#tokens\n"
                  "recommend = Revoke the key in the Acme console.\n"
                  "recommend = Check the Acme audit log.\n"
                  "\n[provider]\nid = bare\nname = Bare\n");
    put("b.conf", "[rule]\nid = acme-key\nkind = api_token\nprovider = acme\nkeywords = acme_\n"
                  "regex = (?<secret>acme_[a-f0-9]{32})\n"
                  "[rule]\nid = acme-hex\nkind = api_token\nprovider = bare\nkeywords = acmehex=\n"
                  "keep_hex = yes\nregex = acmehex=(?<secret>[a-f0-9]{32})\n"
                  "[rule]\nid = plain-hex\nkind = api_token\nkeywords = plainhex=\n"
                  "regex = plainhex=(?<secret>[a-f0-9]{32})\n");
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};
    if (!ok(detect_rules_load(dir, &rs, &err) == AKW_OK, "providers: load")) {
        printf("#   %s\n", err.msg);
        return;
    }
    is_int(detect_providers_count(rs), 2, "providers: two, in load order");
    const struct provider_info *pv = detect_provider_info(rs, 0);
    is_str(pv->id, "acme", "provider: id");
    is_str(pv->name, "Acme Cloud", "provider: name");
    is_str(pv->console, "https://console.acme.example/keys#tokens", "provider: console verbatim");
    is_int(pv->nsteps, 2, "provider: two recommend lines");
    is_str(pv->steps[0], "Revoke the key in the Acme console.", "provider: steps in order");
    ok(pv->steps[2] == NULL, "provider: steps NULL-terminated");
    ok(strstr(pv->file, "a.conf") != NULL, "provider: file");
    pv = detect_provider_info(rs, 1);
    ok(pv->steps[0] == NULL && pv->nsteps == 0 && strcmp(pv->console, "") == 0,
       "provider without console or steps: empty");
    ok(detect_provider_info(rs, 2) == NULL, "provider out of range: NULL");
    ok(detect_rule_provider(rs, "acme-key") == detect_provider_info(rs, 0),
       "rule -> provider declared in another file");
    ok(detect_rule_find(rs, "acme-key")->prov == detect_provider_info(rs, 0), "rule_info.prov");
    ok(detect_rule_provider(rs, "plain-hex") == NULL, "rule naming no provider: NULL");
    ok(detect_rule_provider(rs, "nope") == NULL && detect_rule_find(rs, "nope") == NULL,
       "unknown rule: NULL");
    ok(detect_rule_provider(NULL, "acme-key") == NULL && detect_rule_provider(rs, NULL) == NULL,
       "NULL ruleset or id: NULL");

    struct detector *d = detector_new(rs);
    is_int(count(d, "x", "acmehex=8f14e45fceea167a5a36dedd4bea2543\n"), 1,
           "keep_hex: a 32-hex key is kept");
    is_int(count(d, "x", "plainhex=8f14e45fceea167a5a36dedd4bea2543\n"), 0,
           "without keep_hex: taken for a digest");
    is_int(count(d, "x", "acmehex=00000000000000000000000000000000\n"), 0,
           "keep_hex: filler still dropped");
    detector_free(d);
    detect_rules_free(rs);

    /* the metadata-only load: same providers, no regex compiled (a bad one passes) */
    put("c.conf", "[rule]\nid = broken\nkind = api_token\nkeywords = k\nregex = (?<secret>(\n");
    rs = NULL;
    ok(detect_rules_load(dir, &rs, &err) == AKW_ERR_PARSE, "full load: bad regex is an error");
    if (!ok(detect_rules_load_meta(dir, &rs, &err) == AKW_OK, "meta load: regexes not compiled")) {
        printf("#   %s\n", err.msg);
        return;
    }
    is_int(detect_rules_count(rs), 4, "meta load: every rule");
    ok(detect_rule_provider(rs, "acme-key") == detect_provider_info(rs, 0), "meta load: providers");
    d = detector_new(rs);
    is_int(count(d, "x", "acme_8f14e45fceea167a5a36dedd4bea2543\n"), 0, "meta load: finds nothing");
    detector_free(d);
    detect_rules_free(rs);
    char *p = xasprintf("%s/c.conf", dir);
    unlink(p);
    free(p);
    put("c.conf", "[rule]\nid = r9\nkind = api_token\nkeywords = k\nregex = (?<secret>k)\n"
                  "provider = nobody\n");
    ok(detect_rules_load_meta(dir, &rs, &err) == AKW_ERR_PARSE && strstr(err.msg, "c.conf:6: provider:"),
       "meta load: an unknown provider is still an error");
    p = xasprintf("%s/c.conf", dir);
    unlink(p);
    free(p);
}

int
main(void)
{
    snprintf(dir, sizeof dir, "/tmp/akw-rules.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_format();
    test_errors();
    test_providers();
    clear();
    rmdir(dir);
    return done_testing();
}
