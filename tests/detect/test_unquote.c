/* test_unquote — each format of `unquote =` decodes what it defines and leaves the rest as
 * written (a '%' without two hex digits, %00, an unknown escape), and a decoded password's
 * fingerprint is the one of the value as written (so a leak recorded before decoding keeps
 * its identity), while the finding's secret is the password itself. */
#include "config.h"
#include "detect/detect_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

struct ucase {
    const char *fmt;
    char open;
    const char *in, *want;
};

// clang-format off
static const struct ucase ucases[] = {
    {"url", 0, "Rd%237x%25Q", "Rd#7x%Q"},
    {"url", 0, "a%40b%3a%2F", "a@b:/"},
    {"url", 0, "50%off%zz%4", "50%off%zz%4"},
    {"url", 0, "nul%00x", "nul%00x"},
    {"jdbc", '{', "a;b}}c", "a;b}c"},
    {"jdbc", '=', "a%26b", "a&b"},
    {"redis", '"', "a\\\"b\\\\c\\x41\\n\\q", "a\"b\\cA\nq"},
    {"redis", '\'', "a\\'b\\\\c", "a'b\\\\c"},
    {"redis", ' ', "a\\'b%23", "a\\'b%23"},
    {"shell", '"', "a\\\"b\\$c\\d", "a\"b$c\\d"},
    {"shell", '\'', "a\\b", "a\\b"},
    {"shell", ' ', "a\\&b\\ c", "a&b c"},
    {"dotenv", '"', "a\\\"b\\nc\\d", "a\"b\nc\\d"},
    {"dotenv", '\'', "a\\'b\\\\c\\n", "a'b\\c\\n"},
    {"dotenv", '=', "a\\b#c", "a\\b#c"},
    {"yaml", '"', "a\\\"b\\x41\\u00e9\\\\", "a\"bA\xc3\xa9\\"},
    {"yaml", '\'', "it''s", "it's"},
    {"yaml", ' ', "it''s\\n", "it''s\\n"},
    {"properties", '=', "a\\:b\\=c\\u0041\\td", "a:b=cA\td"},
    {"code", '"', "a\\\"b\\\\c\\x41", "a\"b\\cA"},
    {"code", '\'', "a\\'b\\n", "a'b\\n"},
};
// clang-format on
#define NUCASES (sizeof ucases / sizeof *ucases)

static void
test_formats(void)
{
    for (size_t i = 0; i < NUCASES; i++) {
        enum unquote_fmt f;
        if (!ok(unquote_parse(ucases[i].fmt, &f) == 0, "format %s is known", ucases[i].fmt))
            continue;
        char *s = xstrdup(ucases[i].in);
        size_t n = unquote(f, ucases[i].open, s, strlen(s));
        ok(n == strlen(ucases[i].want) && strcmp(s, ucases[i].want) == 0, "%s (%c): %s",
           ucases[i].fmt, ucases[i].open ? ucases[i].open : '-', ucases[i].in);
        free(s);
    }
    enum unquote_fmt f;
    ok(unquote_parse("base64", &f) == -1, "an unknown format is refused");
}

struct got {
    int n;
    char secret[128], fp[65];
};

static int
collect(const struct finding *f, void *user)
{
    struct got *g = user;
    if (g->n++ == 0) {
        snprintf(g->secret, sizeof g->secret, "%s", f->secret);
        snprintf(g->fp, sizeof g->fp, "%s", f->fingerprint);
    }
    return 0;
}

static void
test_fingerprint(struct detector *d)
{
    static const struct {
        const char *rule, *path, *text, *secret, *written;
    } fcases[] = {
        {"database-url", "app.py", "u = 'redis://:Rd%237x%25Qk@cache.internal:6379'\n", "Rd#7x%Qk",
         "Rd%237x%25Qk"},
        {"redis-requirepass", "redis.conf", "requirepass \"Rq7\\\"xZ2pL9\"\n", "Rq7\"xZ2pL9",
         "Rq7\\\"xZ2pL9"},
        {"redis-requirepass", "redis.conf", "requirepass Rq7xZ2pL9\n", "Rq7xZ2pL9", "Rq7xZ2pL9"},
    };
    for (size_t i = 0; i < sizeof fcases / sizeof *fcases; i++) {
        struct got g = {0};
        detector_scan(d, fcases[i].path, fcases[i].text, strlen(fcases[i].text), collect, &g);
        char want[65], decoded[65];
        detect_fingerprint(fcases[i].rule, fcases[i].written, want);
        detect_fingerprint(fcases[i].rule, fcases[i].secret, decoded);
        ok(g.n == 1 && strcmp(g.secret, fcases[i].secret) == 0, "%s: the secret is the password %s",
           fcases[i].rule, fcases[i].secret);
        ok(strcmp(g.fp, want) == 0, "%s: fingerprint of %s as written", fcases[i].rule,
           fcases[i].written);
        if (strcmp(fcases[i].secret, fcases[i].written) != 0)
            ok(strcmp(g.fp, decoded) != 0, "%s: not of the decoded form", fcases[i].rule);
    }
}

int
main(void)
{
    test_formats();
    const char *src = getenv("AKW_SRCDIR");
    src = src && *src ? src : AKW_SRCDIR;
    char *dir = xasprintf("%s/data/rules", src);
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};
    if (ok(detect_rules_load(dir, &rs, &err) == AKW_OK, "load %s", dir)) {
        struct detector *d = detector_new(rs);
        test_fingerprint(d);
        detector_free(d);
        detect_rules_free(rs);
    } else {
        printf("#   %s\n", err.msg);
    }
    free(dir);
    return done_testing();
}
