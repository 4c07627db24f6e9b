/* Unit tests for util/utf8: decoding, repair to U+FFFD and JSON string writing, the one path
 * every JSON output (list, show, scan, export, webhooks) takes for outside text. */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "tap.h"
#include "util/util.h"

#define FFFD "\xEF\xBF\xBD"

static void
test_decode(void)
{
    static const struct {
        const char *in;
        size_t len;
        uint32_t cp;
    } cases[] = {
        {"", 0, 0},
        {"a", 1, 'a'},
        {"\xC3\xA9", 2, 0xE9},
        {"\xE4\xB8\xAD", 3, 0x4E2D},
        {"\xF0\x9F\x98\x80", 4, 0x1F600},
        {"\x80", 0, 0},             /* stray continuation */
        {"\xC0\xAF", 0, 0},         /* overlong '/' */
        {"\xED\xA0\x80", 0, 0},     /* surrogate */
        {"\xF4\x90\x80\x80", 0, 0}, /* above U+10FFFF */
        {"\xE4\xB8", 0, 0},         /* cut short by the NUL */
        {"\xFF", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 0;
        size_t n = utf8_decode(cases[i].in, &cp);
        is_int(n, cases[i].len, "decode %zu: length", i);
        if (n)
            is_int(cp, cases[i].cp, "decode %zu: code point", i);
    }
}

static void
test_repair(void)
{
    static const struct {
        const char *in;
        int valid;
        const char *want;
    } cases[] = {
        {"", 1, ""},
        {"中文 ok", 1, "中文 ok"},
        {"a\xFF" "b", 0, "a" FFFD "b"},
        {"\xE4\xB8", 0, FFFD FFFD},
        {"\xC0\xAF", 0, FFFD FFFD},
        {"x\x01y", 1, "x\x01y"}, /* controls are valid UTF-8: escaping is the writer's job */
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        is_int(utf8_valid(cases[i].in), cases[i].valid, "valid %zu", i);
        is_str(utf8_repair(cases[i].in, &b), cases[i].want, "repair %zu", i);
    }
    is_str(utf8_repair(NULL, &b), "", "repair: NULL gives \"\"");
    buf_done(&b);
}

static void
test_quote(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", "\"\""},
        {"q\"b\\", "\"q\\\"b\\\\\""},
        {"a\nb\tc\r", "\"a\\nb\\tc\\r\""},
        {"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
        {"阿里云", "\"阿里云\""},
        {"p\xFF\xFEq", "\"p" FFFD FFFD "q\""},
        {"\x1b[31m\xC3", "\"\\u001b[31m" FFFD "\""},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        json_quote(&b, cases[i].in);
        is_str(b.data, cases[i].want, "json_quote %zu", i);
    }
    buf_done(&b);
}

static void
test_json_c(void)
{
    ok(json_str_new(NULL) == NULL, "json_str_new: NULL gives json null");
    json_object *j = json_str_new("a\xFF\x01");
    is_str(json_object_get_string(j), "a" FFFD "\x01", "json_str_new repairs the bytes");
    is_str(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN), "\"a" FFFD "\\u0001\"",
           "json-c then escapes the control character");
    json_object_put(j);
}

int
main(void)
{
    test_decode();
    test_repair();
    test_quote();
    test_json_c();
    return done_testing();
}
