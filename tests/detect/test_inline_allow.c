/* test_inline_allow — allow comments on the shipped rules: a finding whose line carries
 * akwatch:allow (or gitleaks:allow, trufflehog:ignore) in any comment syntax and any case is
 * flagged allowed; the marker of an AccessKey ID's line covers its pair; a marker on another
 * line, or far along a long line, covers nothing; every finding is still reported.
 * Every key below is made up for these tests. */
#include "config.h"
#include "detect/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define MAXF 8

struct result {
    int n, allowed[MAXF];
    char rule[MAXF][64];
};

static int
collect(const struct finding *f, void *user)
{
    struct result *r = user;
    if (r->n < MAXF) {
        r->allowed[r->n] = f->allowed;
        snprintf(r->rule[r->n], sizeof r->rule[0], "%s", f->rule->id);
    }
    r->n++;
    return 0;
}

static struct detect_ruleset *rs;
static struct detector *det;

static struct result
scan(const char *path, const char *text)
{
    struct result r;
    memset(&r, 0, sizeof r);
    detector_scan(det, path, text, strlen(text), collect, &r);
    return r;
}

#define PASS "db_password = \"Xk9#mQ2vLp7zR4tW\""
#define AWS_ID "AKIAQ3EGRIPJ4LZ5W6XA"
#define AWS_SECRET "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"

struct tcase {
    const char *name, *path, *text;
    int allowed; /* of the one finding expected */
};

// clang-format off
static const struct tcase cases[] = {
    {"no marker",             "app.conf", PASS "\n", 0},
    {"# akwatch:allow",       "app.conf", PASS "  # akwatch:allow\n", 1},
    {"// akwatch:allow",      "App.java", PASS "; // akwatch:allow\n", 1},
    {"/* akwatch:allow */",   "app.c",    PASS "; /* akwatch:allow */\n", 1},
    {"<!-- akwatch:allow -->", "pom.xml", PASS " <!-- akwatch:allow -->\n", 1},
    {"-- akwatch:allow (SQL)", "seed.sql", PASS " -- akwatch:allow\n", 1},
    {"; akwatch:allow (INI)", "app.ini",  PASS " ; akwatch:allow\n", 1},
    {"before the secret",     "app.conf", "# akwatch:allow\n" PASS "\n", 0},
    {"marker first on the line", "app.py", "x = 1 # akwatch:allow; " PASS "\n", 1},
    {"any case",              "app.conf", PASS " # AKWATCH:ALLOW\n", 1},
    {"gitleaks:allow",        "app.conf", PASS " # gitleaks:allow\n", 1},
    {"trufflehog:ignore",     "app.conf", PASS " # trufflehog:ignore\n", 1},
    {"contained in a longer word", "app.conf", PASS " # akwatch:allow-this\n", 1},
    {"akwatch:deny is not",   "app.conf", PASS " # akwatch:deny\n", 0},
    {"the next line's marker", "app.conf", PASS "\n# akwatch:allow\n", 0},
    {"CRLF line",             "app.conf", PASS " # akwatch:allow\r\nx = 1\r\n", 1},
};
// clang-format on

static void
test_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct result r = scan(cases[i].path, cases[i].text);
        ok(r.n == 1 && r.allowed[0] == cases[i].allowed, "%s: one finding, allowed=%d (%d, %d)",
           cases[i].name, cases[i].allowed, r.n, r.n ? r.allowed[0] : -1);
    }
}

static void
test_pair(void)
{
    struct result r = scan("creds", "aws_access_key_id = " AWS_ID "  # akwatch:allow\n"
                                    "aws_secret_access_key = " AWS_SECRET "\n");
    ok(r.n == 1 && r.allowed[0], "a marker on the ID's line covers the pair (%d)", r.n);
    r = scan("creds", "aws_access_key_id = " AWS_ID "\n"
                      "aws_secret_access_key = " AWS_SECRET " # akwatch:allow\n");
    ok(r.n == 1 && r.allowed[0], "so does one on the secret's line");
    r = scan("creds", "aws_access_key_id = " AWS_ID "\n"
                      "# akwatch:allow\n"
                      "aws_secret_access_key = " AWS_SECRET "\n");
    ok(r.n == 1 && !r.allowed[0], "a marker between them covers nothing");
}

/* Two secrets, one marker: only the marked line is allowed (a new secret is never hidden
 * by a marker meant for another). */
static void
test_two(void)
{
    struct result r = scan("app.conf", PASS " # akwatch:allow\n"
                                       "api_secret = \"Zq8#nR3wMp6yT5uVbN2c\"\n");
    ok(r.n == 2 && r.allowed[0] && !r.allowed[1], "only the marked line's finding is allowed");
}

static void
test_long_line(void)
{
    size_t pad = 5000;
    char *text = xmalloc(strlen(PASS) + pad + 64);
    char *p = text;
    p += sprintf(p, "%s;", PASS);
    memset(p, ' ', pad);
    p += pad;
    strcpy(p, "// akwatch:allow\n");
    struct result r = scan("app.js", text);
    ok(r.n == 1 && !r.allowed[0], "a marker 5000 bytes along a long line is out of reach");
    memmove(text + strlen(PASS) + 1 + 100, p, strlen(p) + 1);
    r = scan("app.js", text);
    ok(r.n == 1 && r.allowed[0], "one 100 bytes along it is in reach");
    free(text);
}

int
main(void)
{
    const char *src = getenv("AKW_SRCDIR");
    char *dir = xasprintf("%s/data/rules", src && *src ? src : AKW_SRCDIR);
    struct akw_err err = {0};
    if (!ok(detect_rules_load(dir, &rs, &err) == AKW_OK, "load %s (%s)", dir, err.msg)) {
        free(dir);
        return done_testing();
    }
    free(dir);
    det = detector_new(rs);
    test_table();
    test_pair();
    test_two();
    test_long_line();
    detector_free(det);
    detect_rules_free(rs);
    return done_testing();
}
