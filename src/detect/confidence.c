/* confidence — how sure the engine is that a finding is a live credential, from the
 * evidence it has:
 *   high    a provider's own format (an ID or token shape, alone or paired), a database or
 *           server password of a credential's strength, a private key with a whole body;
 *   medium  a plausible generic secret (a random-looking value assigned to a
 *           password/secret/token key), a database or server password that is weak or
 *           stands in a test/example/documentation context, a private key body of no
 *           structure this knows;
 *   low     a generic value that barely clears the gates (short, low entropy, made of
 *           words or keyboard runs: Summer2024!, abcd1234), a generic value in a
 *           test/example/documentation context, a database or server password that is a
 *           bare word, a PEM block whose DER key is cut short (an abridged documentation
 *           key).
 * The context is the path's folders and file name (test, spec, fixtures, example, sample,
 * doc...; .md, .rst, .html) and the line (example, e.g., sample, dummy, a doctest):
 * it lowers confidence, it never drops a finding. It reads the candidate and its rule and
 * does not drop candidates (match.c's gates do). */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* Folders (or the start of a file name) that hold tests, examples or documentation. */
// clang-format off
static const char *const context_dirs[] = {
    "test", "tests", "testing", "testdata", "test_data", "spec", "specs", "fixture",
    "fixtures", "mock", "mocks", "example", "examples", "sample", "samples", "demo", "demos",
    "doc", "docs", "documentation", "man", "tutorial", "tutorials", "unittest", "unit",
};
/* Words of a file name (at its start or after . _ -: test_auth.py, key_test.go, not
 * latest.conf) and extensions of the same. */
static const char *const context_names[] = {
    "test", "example", "mock", "fake", "fixture", "swagger", "openapi",
};
static const char *const context_exts[] = {".md", ".rst", ".html", ".htm", ".adoc"};
/* Words on the line that say the value is an illustration. */
static const char *const context_words[] = {"example", "e.g.", "sample", "dummy", "for instance"};
// clang-format on

static int
segment_is(const char *s, size_t n)
{
    for (size_t i = 0; i < COUNT(context_dirs); i++)
        if (strlen(context_dirs[i]) == n && strncasecmp(s, context_dirs[i], n) == 0)
            return 1;
    return 0;
}

static int
path_context(const char *path)
{
    if (!path)
        return 0;
    const char *seg = path;
    for (const char *p = path;; p++) {
        if (*p == '/' || *p == '\0') {
            if (*p && segment_is(seg, (size_t)(p - seg)))
                return 1;
            if (!*p)
                break;
            seg = p + 1;
        }
    }
    size_t n = strlen(seg);
    for (size_t i = 0; i < COUNT(context_names); i++) {
        size_t m = strlen(context_names[i]);
        for (size_t k = 0; k + m <= n; k++)
            if ((k == 0 || strchr("._-", seg[k - 1])) &&
                strncasecmp(seg + k, context_names[i], m) == 0)
                return 1;
    }
    for (size_t i = 0; i < COUNT(context_exts); i++) {
        size_t m = strlen(context_exts[i]);
        if (n > m && strcasecmp(seg + n - m, context_exts[i]) == 0)
            return 1;
    }
    return 0;
}

static int
line_context(const struct detector *d, const struct raw *x)
{
    size_t s = x->line_start, e = x->e;
    while (e < d->len && d->data[e] != '\n' && e - x->line_start < 2048)
        e++;
    size_t k = s;
    while (k < e && (d->data[k] == ' ' || d->data[k] == '\t'))
        k++;
    if (e - k >= 4 && (memcmp(d->data + k, ">>> ", 4) == 0 || memcmp(d->data + k, "... ", 4) == 0))
        return 1; /* a doctest */
    char line[2049];
    size_t n = e - s < sizeof line - 1 ? e - s : sizeof line - 1;
    memcpy(line, d->data + s, n);
    line[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (line[i] == '\0')
            line[i] = ' ';
    for (size_t i = 0; i < COUNT(context_words); i++)
        if (strcasestr(line, context_words[i]))
            return 1;
    return 0;
}

/* A word, once punctuation is set aside ("vagrant", "Lighthouse", "(this", "this.value"):
 * no digit, and lower case after its first letter (or all capitals). */
static int
bare_word(const char *s, size_t n)
{
    size_t letters = 0, upper_after = 0, lower = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c))
            return 0;
        if (isalpha(c)) {
            upper_after += letters > 0 && isupper(c);
            lower += islower(c) != 0;
            letters++;
        }
    }
    return letters * 2 >= n && (upper_after == 0 || lower == 0);
}

enum confidence
detect_confidence(const struct detector *d, const struct raw *x, const struct rule *r)
{
    const struct rule *own = &d->rs->rules[x->rule]; /* r is the ID rule of a pair */
    const char *v = x->secret;
    size_t n = strlen(v);
    if (strcmp(own->kind, "private_key") == 0) {
        /* cut short inside a PEM block: an abridged key of a document; a bare key value
         * (a provider's config key) is graded by its rule's shape alone */
        int whole = keybody_complete(v, n);
        return whole > 0 ? CONFIDENCE_HIGH
               : whole < 0 && own->strip_space ? CONFIDENCE_LOW
                                               : CONFIDENCE_MEDIUM;
    }
    if (r != own && strcmp(r->kind, "generic_secret") != 0)
        return CONFIDENCE_HIGH; /* an ID paired with its secret */
    int ctx = path_context(d->path) || line_context(d, x);
    if (strcmp(own->kind, "generic_secret") == 0) {
        if (ctx || n < 12 || value_weak(v, n) || detect_entropy(v, n) < 3.5)
            return CONFIDENCE_LOW;
        return CONFIDENCE_MEDIUM;
    }
    if (strcmp(own->kind, "database") == 0 || strcmp(own->kind, "server_password") == 0) {
        if (bare_word(v, n))
            return CONFIDENCE_LOW;
        if (ctx || value_weak(v, n))
            return CONFIDENCE_MEDIUM;
        return CONFIDENCE_HIGH;
    }
    return CONFIDENCE_HIGH; /* a provider's own key or token format */
}
