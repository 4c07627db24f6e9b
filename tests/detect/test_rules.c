/* test_rules — loading rule files: the format (verbatim regexes, comments, repeatable keys,
 * path gates, pairing) and every kind of error naming file:line: key. Rule files are
 * written to a temporary folder; the shipped rules are tested in test_detect.c. */
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
    {"key outside section", "id = x\n", "1: id: key outside a [rule] section"},
    {"unknown section", "[rules]\n", "1: [rules]: unknown section"},
    {"no equals", "[rule]\nid x\n", "2: id x: expected key = value"},
    {"empty value", "[rule]\nid =\n", "2: id: empty value"},
    {"duplicate key", "[rule]\nid = x\nid = y\n", "3: id: given twice"},
    {"duplicate id", GOOD GOOD, "6: id: 'r1' is already used"},
    {"pair_with unknown", GOOD "pair_with = nope\n", "6: pair_with: no other rule has id 'nope'"},
    {"bad allow regex", GOOD "allow = [\n", "6: allow: bad regex"},
    {"bad path regex", GOOD "path = (\n", "6: path: bad regex"},
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

int
main(void)
{
    snprintf(dir, sizeof dir, "/tmp/akw-rules.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_format();
    test_errors();
    clear();
    rmdir(dir);
    return done_testing();
}
