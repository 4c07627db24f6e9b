/* keys — private to config/: the one table of every known [section] key, its type, where
 * it lands in struct config and how its value is checked. conf.c parses with it and
 * `config check` validates with it, so the two can never disagree.
 */
#ifndef AKW_CONFIG_KEYS_H
#define AKW_CONFIG_KEYS_H

#include <stddef.h>

enum conf_type {
    CONF_STR,     /* char *: one value; given twice is an error */
    CONF_LIST,    /* struct strlist: each repetition adds one item */
    CONF_WORDS,   /* struct strlist: each repetition adds its space-separated words */
    CONF_BOOL,    /* int: on/off */
    CONF_SIZE,    /* long long: bytes, K/M/G suffix */
    CONF_INT,     /* int: positive count */
    CONF_SECONDS, /* long: seconds, s/m/h/d suffix */
    CONF_CONFIDENCE, /* enum confidence: low, medium or high */
    CONF_LINES,   /* struct conf_lines: each repetition adds one item with its line */
};

struct conf_key {
    const char *section, *key;
    enum conf_type type;
    size_t offset; /* into struct config */
    /* Extra check of one value (for STR/LIST/WORDS items): NULL when fine, else an
     * untranslated message. NULL check = any non-empty value. */
    const char *(*check)(const char *value);
    int secret; /* never echo the value in a message */
};

extern const struct conf_key conf_keys[];
extern const size_t conf_keys_n;

/* The entry for [section] key, or NULL; *section_known tells whether any key of that
 * section exists (for "unknown section" vs "unknown key"). */
const struct conf_key *conf_key_find(const char *section, const char *key, int *section_known);

/* Validators shared with conf.c (each returns NULL or an untranslated message). */
const char *conf_check_window(const char *v);
const char *conf_check_days(const char *v);
const char *conf_check_tz(const char *v);
const char *conf_check_webhook_format(const char *v);
int conf_parse_seconds(const char *s, long *out);
const char *conf_check_bind(const char *v);

#endif
