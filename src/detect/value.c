/* value — what a candidate value looks like, read from the value alone: the evidence a
 * generic rule (evidence = yes) needs before a value assigned to a password/secret/token
 * key is taken for a credential, and the shape confidence.c grades. It knows no rule and
 * no file name. */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* Prefixes of password-hash and hash-scheme forms: a stored hash, not the password. */
// clang-format off
static const char *const hash_prefixes[] = {
    "$1$", "$2a$", "$2b$", "$2x$", "$2y$", "$5$", "$6$", "$7$", "$y$", "$argon2", "$pbkdf2",
    "$scrypt$", "$sha1$", "$md5", "pbkdf2_sha", "pbkdf2:", "scrypt:", "bcrypt$", "sha1$",
    "md5$", "sha256$", "argon2$",
};
/* Parts that make a value a reference or a template in some common syntax. */
static const char *const reference_parts[] = {
    "lookup(", "query(", "::", "[[", "]]", "{.", "@@", "...", "ref(", "<%", "%{",
};
/* ... and prefixes that do (Terraform, CloudFormation, JSON Schema). */
static const char *const reference_prefixes[] = {
    "var.", "local.", "data.", "module.", "$ref", "!ref", "!sub", "!getatt",
};
// clang-format on

/* Letters of leetspeak inside a word (P@ssw0rd, C1sco): read as the letters they stand for. */
static char
unleet(const char *s, size_t n, size_t i)
{
    static const char from[] = "@$0135", to[] = "asoies";
    const char *p = strchr(from, s[i]);
    if (!p || s[i] == '\0' || i == 0 || i + 1 >= n || !isalpha((unsigned char)s[i - 1]) ||
        !isalpha((unsigned char)s[i + 1]))
        return s[i];
    return to[p - from];
}

/* Whether letters w[0..n) can be read as a word of a human language: a vowel (a e i o u y)
 * and at most three consonants in a row, four when one is an h (strength, Lighthouse).
 * A random key's runs of letters seldom are (the gjbw of bWuoagjbwPB5...): 5+ letters of
 * one key are not evidence that a person chose it. Returns 1 or 0. */
static int
pronounceable(const char *w, size_t n)
{
    size_t vowels = 0, run = 0;
    int h = 0;
    for (size_t i = 0; i < n; i++) {
        if (strchr("aeiouy", tolower((unsigned char)w[i]))) {
            vowels++, run = 0, h = 0;
            continue;
        }
        run++;
        h |= tolower((unsigned char)w[i]) == 'h';
        if (run > 4 || (run == 4 && !h))
            return 0;
    }
    return vowels > 0;
}

/* Split into word-like tokens (a capital then lower-case letters, a run of lower-case, a
 * run of capitals): how many letter tokens and letters, the letters in words of 5+ read
 * through leetspeak when leet is set that can be read as words (long_words: pronounceable),
 * and the digits. */
struct wordstat {
    size_t tokens, letters, long_words, digits;
};

static void
words(const char *src, size_t n, int leet, struct wordstat *w)
{
    memset(w, 0, sizeof *w);
    char s[256];
    if (n > sizeof s)
        n = sizeof s;
    for (size_t i = 0; i < n; i++)
        s[i] = leet ? unleet(src, n, i) : src[i];
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c)) {
            w->digits++, i++;
            continue;
        }
        if (!isalpha(c)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && isupper((unsigned char)s[j]))
            j++;
        size_t ups = j - i, k = j;
        while (k < n && islower((unsigned char)s[k]))
            k++;
        size_t lows = k - j;
        /* "HTTPServer" is HTTP and Server; "Server" one word; "HTTP" one acronym */
        size_t word = lows ? lows + (ups > 0) : ups;
        if (lows && ups >= 2)
            w->tokens++;
        w->tokens++;
        w->letters += k - i;
        if (lows && word >= 5 && pronounceable(s + k - word, word))
            w->long_words += word;
        i = k;
    }
}

/* CamelCase / snake_case / dotted / path / ARN shaped: words (3.5 letters long on average)
 * and separators, with at most four digits (V1, S3, EC2, X509; more than two only where
 * they do not all end it: Summer2024 is a password); a random key's case changes every two
 * letters or so. strict: two words or more, no digit and 4.5 letters a word, what may be
 * said of any rule's match. */
static int
identifier_shaped(const char *s, size_t n, int strict)
{
    while (n > 1 && s[n - 1] == '=') /* access_token= */
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && !strchr("._-/:[]~@", c))
            return 0;
    }
    struct wordstat w;
    words(s, n, 0, &w);
    if (!w.tokens)
        return 0;
    if (strict)
        return w.tokens >= 2 && w.letters >= 8 && w.digits == 0 && w.letters * 2 >= w.tokens * 9;
    size_t tail = 0; /* digits at the end: SuperSecret2024 is a password, V1Secret a name */
    while (tail < n && isdigit((unsigned char)s[n - 1 - tail]))
        tail++;
    if (w.digits > 2 && tail == w.digits)
        return 0;
    return w.digits <= 4 && w.letters * 2 >= w.tokens * 7;
}

static int
b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* base64 (either alphabet) that decodes to a JSON object which is not a JWT's header and
 * names no key material (pagination or request state), or to a sentence of text. */
static int
json_state(const char *s, size_t n)
{
    if (n < 16 || memchr(s, '.', n))
        return 0; /* a JWT has dots: header.payload.signature */
    unsigned char out[768];
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && o < sizeof out - 1; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0)
            break;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    out[o] = '\0';
    if (strncmp(s, "eyJ", 3) != 0) { /* printable text with spaces: a sentence */
        size_t sp = 0;
        for (size_t i = 0; i < o; i++) {
            if (out[i] < 0x20 || out[i] >= 0x7f)
                return 0;
            sp += out[i] == ' ';
        }
        return o >= 12 && sp >= 2;
    }
    static const char *const keyish[] = {"\"alg\"", "private_key", "secret", "password",
                                         "\"key\"", "credential"};
    for (size_t i = 0; i < COUNT(keyish); i++)
        if (strcasestr((const char *)out, keyish[i]))
            return 0;
    return o >= 2 && out[0] == '{' && out[1] == '"';
}

static int
hex_run(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return n > 0;
}

/* 2016-09-24T16:18:07Z, 2021-01-01, 1.2.3: a date or a version. */
static int
date_or_version(const char *s, size_t n)
{
    if (n >= 10 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
        isdigit((unsigned char)s[5]) && s[7] == '-')
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && s[i] != '.' && s[i] != '-' && s[i] != 'v')
            return 0;
    return 1;
}

int
value_not_secret(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) /* natural language, another script: a message */
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] >= 0x7f)
            return 1;
    if (n == 0 || s[n - 1] == ':' || s[n - 1] == '.') /* a label or a sentence */
        return 1;
    if ((s[0] == '{' && s[n - 1] == '}') || (s[0] == '[' && s[n - 1] == ']') ||
        (s[0] == '(' && s[n - 1] == ')'))
        return 1; /* a template, a list, an expression */
    if (n > 1 && strchr("&*!", s[0])) { /* YAML anchors, aliases and tags: &name, *name, !tag */
        size_t k = 1;
        while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-'))
            k++;
        if (k == n && isalpha((unsigned char)s[1]))
            return 1;
    }
    if (s[0] == '{' && n > 3) { /* {SSHA}..., {SHA256}..., {CRYPT}... */
        size_t k = 1;
        while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '-'))
            k++;
        if (k < n && s[k] == '}' && k > 2)
            return 1;
    }
    char low[256];
    size_t m = n < sizeof low - 1 ? n : sizeof low - 1;
    for (size_t i = 0; i < m; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    low[m] = '\0';
    const char *colon = strchr(low, ':'); /* user:$2y$... (an htpasswd line) */
    for (size_t i = 0; i < COUNT(hash_prefixes); i++)
        if (strncmp(low, hash_prefixes[i], strlen(hash_prefixes[i])) == 0 ||
            (colon && strncmp(colon + 1, hash_prefixes[i], strlen(hash_prefixes[i])) == 0))
            return 1;
    for (size_t i = 0; i < COUNT(reference_parts); i++)
        if (strstr(low, reference_parts[i]))
            return 1;
    for (size_t i = 0; i < COUNT(reference_prefixes); i++)
        if (strncmp(low, reference_prefixes[i], strlen(reference_prefixes[i])) == 0)
            return 1;
    if (strncmp(s, "U2FsdGVkX1", 10) == 0)
        return 1; /* base64 of "Salted__": OpenSSL ciphertext, not the key */
    if (strncmp(s, "pk.", 3) == 0 || strncmp(s, "pk_live_", 8) == 0 ||
        strncmp(s, "pk_test_", 8) == 0)
        return 1; /* a publishable key (Mapbox pk., Stripe pk_): public by design */
    if (n >= 10 && low[0] == '0' && low[1] == 'x' && hex_run(s + 2, n - 2))
        return 1; /* 0x-prefixed hex: a digest or a localized key sample */
    return identifier_shaped(s, n, 0) || json_state(s, n) || date_or_version(s, n);
}

int
value_identifier(const char *s, size_t n)
{
    return identifier_shaped(s, n, 1);
}

int
value_weak(const char *s, size_t n)
{
    static const char *const runs[] = {"123", "abc", "qwe", "asd", "xyz", "pass", "word",
                                       "secret", "test", "admin", "demo", "user", "pwd"};
    char low[256];
    size_t m = n < sizeof low - 1 ? n : sizeof low - 1;
    for (size_t i = 0; i < m; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    low[m] = '\0';
    for (size_t i = 0; i < COUNT(runs); i++)
        if (strstr(low, runs[i]))
            return 1;
    struct wordstat w;
    words(s, n, 1, &w);
    return w.letters + w.digits > 0 && w.long_words * 10 >= (w.letters + w.digits) * 4;
}
