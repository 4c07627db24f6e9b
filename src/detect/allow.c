/* allow — the shared allow list every rule applies to a candidate secret: placeholders,
 * documentation example keys, variable references and templating, hashes and UUIDs, and
 * identifier-shaped values (CamelCase/snake_case words, dotted names: value.c).
 * Per-rule allow regexes live in the rule files; this file holds what is true for all. */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A secret containing one of these (any case) is a placeholder or a reference. */
// clang-format off
static const char *const placeholder_parts[] = {
    "example", "xxxx", "****", "....", "<", ">", "dummy", "placeholder", "your_", "your-",
    "yourkey", "yoursecret", "yourpass", "changeme", "change_me", "change-me", "redacted",
    "replace_me", "replaceme", "password", "passwd", "12345678", "abcdefgh", "fake_", "sample",
    "1111", "0000",
    /* references and templating */
    "${", "$(", "{{", "}}", "%(", "#{", "<%", "@{", "getenv", "environ", "process.env",
    "env(", "env[", "env.", "secrets.", "vault:", "!vault", "{0}", "{}",
};
/* A secret equal to one of these (any case, trailing digits ignored) is a stop word. */
static const char *const stop_words[] = {
    "test", "testing", "tests", "secret", "token", "key", "pass", "pwd", "null", "none", "nil",
    "undefined", "true", "false", "empty", "default", "string", "value", "foo", "bar",
    "foobar", "admin", "root", "user", "username", "changeit", "qwerty", "abc", "demo",
    "guest", "mypass", "mypassword", "mysecret", "vagrant",
};
/* Documentation keys published by the providers themselves. */
static const char *const example_keys[] = {
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    /* RFC 6749 (OAuth 2.0) example tokens */
    "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA",
};
// clang-format on

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int
is_stop_word(const char *s, size_t len)
{
    while (len > 0 && isdigit((unsigned char)s[len - 1]))
        len--;
    for (size_t i = 0; i < COUNT(stop_words); i++)
        if (strlen(stop_words[i]) == len && strncasecmp(s, stop_words[i], len) == 0)
            return 1;
    return len == 0; /* digits only after a stop word, or nothing */
}

/* $VAR, $Var_1, %VAR%, :symbol-free references that a shell or a build tool expands. */
static int
is_variable(const char *s, size_t len)
{
    if (len >= 2 && s[0] == '$' && (isalpha((unsigned char)s[1]) || s[1] == '_'))
        return 1;
    if (len >= 3 && s[0] == '%' && s[len - 1] == '%')
        return 1;
    /* a call: getPassword(), config("db.pass"), ENC(...) stays a rule-level decision */
    if (len >= 3 && s[len - 1] == ')' && memchr(s, '(', len) && isalpha((unsigned char)s[0]))
        return 1;
    return 0;
}

/* A printf verb (%s, %d, %v) the program fills in: not followed by a letter or digit, so a
 * password holding "%d7" (redis.conf, a decoded %25 in a URL) is not taken for one. */
static int
has_format_verb(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '%' && s[i + 1] && strchr("sdv", s[i + 1]) &&
            (i + 2 == len || !isalnum((unsigned char)s[i + 2])))
            return 1;
    return 0;
}

static int
is_hex_run(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* MD5/SHA-1/SHA-2 digests and UUIDs look random but are not credentials. */
static int
is_hash_or_uuid(const char *s, size_t len)
{
    static const size_t digest_len[] = {32, 40, 56, 64, 96, 128};
    for (size_t i = 0; i < COUNT(digest_len); i++)
        if (len == digest_len[i] && is_hex_run(s, len))
            return 1;
    if (len == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-')
        return is_hex_run(s, 8) && is_hex_run(s + 9, 4) && is_hex_run(s + 14, 4) &&
               is_hex_run(s + 19, 4) && is_hex_run(s + 24, 12);
    return 0;
}

/* Nearly one repeated character ("aaaaaaaa", "LTAI0000000000000000") is filler. */
static int
is_filler(const char *s, size_t len)
{
    if (len < 6)
        return 0;
    size_t count[256] = {0}, top = 0;
    for (size_t i = 0; i < len; i++)
        if (++count[(unsigned char)s[i]] > top)
            top = count[(unsigned char)s[i]];
    return top * 2 > len;
}

int
allow_shared(const char *secret, size_t len, int keep_hex)
{
    for (size_t i = 0; i < COUNT(example_keys); i++)
        if (strlen(example_keys[i]) == len && memcmp(secret, example_keys[i], len) == 0)
            return 1;
    /* Long secrets (key bodies) hit short parts like "0000" by chance; skip them there. */
    if (len <= 128) {
        char low[129];
        for (size_t i = 0; i < len; i++)
            low[i] = (char)tolower((unsigned char)secret[i]);
        for (size_t i = 0; i < COUNT(placeholder_parts); i++)
            if (memmem(low, len, placeholder_parts[i], strlen(placeholder_parts[i])))
                return 1;
    }
    return is_stop_word(secret, len) || is_variable(secret, len) || has_format_verb(secret, len) ||
           value_identifier(secret, len) || (!keep_hex && is_hash_or_uuid(secret, len)) ||
           is_filler(secret, len);
}

int
allow_list_match(const struct regex_list *l, const char *s, size_t len, pcre2_match_data *md)
{
    for (size_t i = 0; i < l->n; i++)
        if (pcre2_match(l->re[i], (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0)
            return 1;
    return 0;
}
