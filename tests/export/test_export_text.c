/* test_export_text — the byte rules of the export formats: csv quoting and the formula
 * guard, json escaping, UTF-8 repair, display width and prefixes. Table-driven. */
#include "config.h"

#include <string.h>

#include "export/export_int.h"
#include "tap.h"

static void
test_csv(void)
{
    static const struct {
        const char *in;
        int guard;
        const char *want;
    } cases[] = {
        {"", 1, ""},
        {"plain", 1, "plain"},
        {"a,b", 1, "\"a,b\""},
        {"say \"hi\"", 1, "\"say \"\"hi\"\"\""},
        {"two\r\nlines", 1, "\"two\r\nlines\""},
        {"lf\nonly", 0, "\"lf\nonly\""},
        {"=HYPERLINK(\"x\")", 1, "\"'=HYPERLINK(\"\"x\"\")\""},
        {"=1+1", 1, "'=1+1"},
        {"+1", 1, "'+1"},
        {"-1", 1, "'-1"},
        {"@SUM(A1)", 1, "'@SUM(A1)"},
        {"\tx", 1, "'\tx"},
        {"=1+1", 0, "=1+1"},
        {"a=b", 1, "a=b"},
        {"密钥,泄露", 1, "\"密钥,泄露\""},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        text_csv_field(&b, cases[i].in, cases[i].guard);
        is_str(b.data ? b.data : "", cases[i].want, "csv field %zu", i);
    }
    buf_reset(&b);
    text_csv_field(&b, NULL, 1);
    is_int(b.len, 0, "csv: NULL is an empty field");
    buf_done(&b);
}

static void
test_json(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", "\"\""},
        {"abc", "\"abc\""},
        {"q\"b\\", "\"q\\\"b\\\\\""},
        {"a\nb\tc\r", "\"a\\nb\\tc\\r\""},
        {"\x01\x1f", "\"\\u0001\\u001f\""},
        {"阿里云", "\"阿里云\""},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        json_quote(&b, cases[i].in);
        is_str(b.data, cases[i].want, "json string %zu", i);
    }
    buf_done(&b);
}

static void
test_utf8(void)
{
    static const struct {
        const char *in;
        int valid;
        const char *repaired;
    } cases[] = {
        {"", 1, ""},
        {"ascii", 1, "ascii"},
        {"中文", 1, "中文"},
        {"bad\xff", 0, "bad\xEF\xBF\xBD"},
        {"\xC0\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD"},      /* overlong '/' */
        {"\xED\xA0\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* surrogate */
        {"cut\xE4\xB8", 0, "cut\xEF\xBF\xBD\xEF\xBF\xBD"}, /* truncated sequence */
        {"ctrl\x01\x1b[0m", 0, "ctrl\xEF\xBF\xBD\xEF\xBF\xBD[0m"},   /* C0 controls */
        {"tab\tlf\ncr\r", 1, "tab\tlf\ncr\r"},                    /* kept */
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        is_int(text_is_clean(cases[i].in), cases[i].valid, "clean %zu", i);
        is_str(text_clean(cases[i].in, &b), cases[i].repaired, "cleaned %zu", i);
        ok(text_is_clean(text_clean(cases[i].in, &b)), "cleaned %zu is clean", i);
    }
    buf_done(&b);
}

static void
test_width(void)
{
    is_int(text_display_width(""), 0, "width of empty");
    is_int(text_display_width("LTAI5t"), 6, "width of ascii");
    is_int(text_display_width("未处理"), 6, "CJK counts 2");
    is_int(text_display_width("泄露 AK"), 7, "mixed");
    is_int(text_display_width("é"), 1, "accented latin counts 1");
    is_int(text_utf8_prefix("abc", 2), 2, "prefix ascii");
    is_int(text_utf8_prefix("中文字", 2), 6, "prefix stops on a character boundary");
    is_int(text_utf8_prefix("ab", 10), 2, "prefix longer than the string");
}

static void
test_replace(void)
{
    static const struct {
        const char *in, *needle, *with, *want;
    } cases[] = {
        {"", "x", "y", ""},
        {"abc", "", "y", "abc"},
        {"key=SECRET;", "SECRET", "S****", "key=S****;"},
        {"SECRET SECRET", "SECRET", "*", "* *"},
        {"SECRETSECRET", "SECRET", NULL, ""},
        {"no match", "SECRET", "*", "no match"},
    };
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        text_replace(cases[i].in, cases[i].needle, cases[i].with, &b);
        is_str(b.data ? b.data : "", cases[i].want, "replace %zu", i);
    }
    buf_done(&b);
}

int
main(void)
{
    test_replace();
    test_csv();
    test_json();
    test_utf8();
    test_width();
    return done_testing();
}
