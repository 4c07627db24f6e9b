/* detect_int — private to src/detect/: the compiled rule, the ruleset and the helpers the
 * files of this folder share. Nothing outside src/detect/ includes it.
 * A ruleset is immutable after detect_rules_load(); detectors only read it. */
#ifndef AKW_DETECT_INT_H
#define AKW_DETECT_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>

#include "detect/detect.h"

/* A keyword hit may be this far (bytes) from the start or end of the secret it announces;
 * windows on very long lines are cut to this reach around the hit. */
#define DETECT_REACH 1024
/* Multi-line rules (lines = N) look at most this many bytes past the keyword. */
#define DETECT_REACH_LINES 65536

/* A list of regexes compiled once (allow, allow_path). */
struct regex_list {
    pcre2_code **re;
    size_t n;
};

/* unquote.c — how a rule's format writes a password (unquote = NAME in a rule file). */
enum unquote_fmt {
    UNQUOTE_NONE, UNQUOTE_URL, UNQUOTE_JDBC, UNQUOTE_REDIS, UNQUOTE_SHELL, UNQUOTE_DOTENV,
    UNQUOTE_YAML, UNQUOTE_PROPERTIES, UNQUOTE_CODE,
};
/* The format named name (url, jdbc, redis, shell, dotenv, yaml, properties, code) into
 * *out; returns 0, or -1 for an unknown name. */
int unquote_parse(const char *name, enum unquote_fmt *out);
/* Decode the value s (n bytes, s[n] writable) in place as fmt writes it, open being the
 * byte before it in the file (its opening quote, '{', or anything else for a bare value);
 * NUL-terminates and returns the new length (never more than n). */
size_t unquote(enum unquote_fmt fmt, char open, char *s, size_t n);

struct rule {
    struct rule_info info; /* strings below are owned here; info points at them */
    size_t provider_line;  /* line of its provider key (for errors) */
    int keep_hex;          /* hex runs and UUIDs are this provider's keys, not digests */
    int has_regex;         /* a regex key was read (a meta-only load compiles none) */
    char *id, *kind, *description, *file, *provider, *pair_with_text;
    pcre2_code *re;
    int jit;                 /* pcre2_jit_compile succeeded */
    uint32_t secret_group;   /* capture number of (?<secret>) */
    uint32_t id_group;       /* capture number of (?<id>), 0 when absent */
    double entropy;          /* minimum Shannon entropy of the secret, 0 = none */
    struct regex_list allow; /* secret matches one of these: not a finding */
    struct regex_list allow_path;
    pcre2_code *path;        /* rule only runs on paths matching this, when set */
    char **keywords;         /* lower-cased */
    size_t nkeywords;
    char **pair_names;       /* ids named by pair_with, resolved to pair_idx */
    size_t npair;
    size_t *pair_idx;
    enum severity pair_severity;
    int pair_required;       /* alone, this rule reports nothing (e.g. an endpoint) */
    int lines;               /* window spans this many lines after the keyword's line */
    int strip_space;         /* drop whitespace and literal \n from the secret (PEM bodies) */
    int evidence;            /* the value must look like a credential (value.c) */
    enum unquote_fmt unquote; /* how the format writes the secret (decoded before gates) */
    uint32_t key_group;      /* capture number of (?<key>), 0 when absent */
    struct regex_list deny_key;     /* the (?<key>) text matches one: not a finding */
    struct regex_list allow_before; /* the line before the secret matches one: not one */
    size_t deny_key_line;    /* line of the first deny_key (for errors) */
    size_t order;            /* load order, for tie-breaks */
};

/* A [provider] section (provider.c). */
struct provider {
    struct provider_info info; /* points at the strings below */
    char *id, *name, *console, *file;
    char **steps; /* NULL-terminated */
    size_t nsteps;
    size_t line;  /* of its [provider] header */
};

/* At most this many recommend lines per provider (the advice is read, not skimmed). */
#define PROVIDER_MAX_STEPS 8

struct prefilter;

struct detect_ruleset {
    struct rule *rules;
    size_t n;
    struct provider *prov;
    size_t nprov;
    int meta;            /* loaded by detect_rules_load_meta: no regex compiled */
    struct prefilter *pf;
    uint32_t max_groups; /* match data size for detectors */
};

/* prefilter.c — Aho-Corasick over lower-cased keywords, one DFA table. */
struct prefilter *prefilter_new(void);
/* Add keyword (any case) for rule index r. */
void prefilter_add(struct prefilter *pf, const char *kw, size_t r);
void prefilter_build(struct prefilter *pf);
void prefilter_free(struct prefilter *pf);
/* Calls hit(start_offset_of_keyword, rule_index, user) for each (hit, rule) in order of
 * the keyword's end offset. */
typedef void (*prefilter_hit_fn)(size_t start, size_t rule, void *user);
void prefilter_scan(const struct prefilter *pf, const char *data, size_t len,
                    prefilter_hit_fn hit, void *user);

/* provider.c — a [provider] section being read, and the ruleset's providers. */
/* One key of the provider; returns NULL, or an untranslated message on error (given twice,
 * unknown key, bad value...) written into msg. */
const char *provider_key(struct provider *pv, const char *key, const char *val, char *msg,
                         size_t msglen);
/* Missing key of a finished section ("id", "name"), or NULL when complete. */
const char *provider_missing(const struct provider *pv);
/* Fill info pointers once the section is complete. */
void provider_finish(struct provider *pv);
void provider_done(struct provider *pv);
/* Index of the provider with id, or -1. */
long provider_index(const struct detect_ruleset *rs, const char *id);

/* allow.c — the shared allow list: placeholders, example keys, variable references,
 * templating, hashes and UUIDs (unless keep_hex: the rule's provider issues keys of that
 * form). Returns 1 when secret is not a real secret. */
int allow_shared(const char *secret, size_t len, int keep_hex);
/* 1 when any regex of list matches s; md is scratch match data. */
int allow_list_match(const struct regex_list *l, const char *s, size_t len,
                     pcre2_match_data *md);

/* A candidate secret that passed its rule's gates (match.c), before overlaps, pairing and
 * emission are decided (emit.c). Offsets index the scanned buffer. */
struct raw {
    size_t rule;
    size_t s, e;       /* secret span */
    char *secret;      /* owned, NUL-terminated (whitespace dropped for strip_space rules;
                          decoded for unquote rules) */
    char *written;     /* owned: an unquote rule's secret as written, when it differs (the
                          fingerprint's input, so it stays what it was); else NULL */
    char *id;          /* owned (?<id>) text, or NULL */
    size_t line, col;  /* 1-based, filled by emit.c */
    size_t line_start; /* offset of the secret's line */
    int dropped;       /* lost to an overlapping, more specific candidate */
    long partner;      /* index of the raw it pairs with, or -1 */
};

struct window {
    size_t s, e;
};

struct wvec {
    struct window *v;
    size_t n, cap;
};

struct detector {
    const struct detect_ruleset *rs;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
    struct wvec *win;        /* per rule, for the current scan */
    unsigned char *active;   /* per rule: path gates passed for the current scan */
    struct raw *raw;
    size_t nraw, capraw;
    size_t max_span;         /* longest candidate secret of the current scan (emit.c) */
    const char *path; /* current scan's path, or NULL */
    const char *data; /* current scan */
    size_t len;
    size_t ls, le;    /* the line of the last keyword hit: [ls, le), le at '\n' or len */
    int line_valid;
};

/* emit.c — order candidates, drop overlaps, pair IDs with secrets, number lines, mask,
 * call cb. Returns AKW_ERR_CANCEL when cb asked to stop. */
enum akw_status emit_findings(struct detector *d, detect_cb cb, void *user);

/* confidence.c — how sure the engine is that candidate x, reported under rule r (the ID
 * rule for a pair), is a live credential. */
enum confidence detect_confidence(const struct detector *d, const struct raw *x,
                                  const struct rule *r);

/* value.c — for rules with evidence = yes: 1 when the value of a password/secret/token
 * assignment is no credential (natural language, a label, a template or reference, a hash
 * form, an identifier, JSON state in base64, a publishable key, a date or a version). */
int value_not_secret(const char *s, size_t n);
/* 1 when 40% or more of the value's letters and digits are in words of 5+ letters (read
 * through leetspeak), or it holds a keyboard run or a common word (Summer2024!, C1sco123,
 * abcd1234): a human-chosen value, weak evidence for confidence.c. */
int value_weak(const char *s, size_t n);
/* 1 when the value is only words without a digit (CamelCase, snake_case, dotted:
 * STS.AssumeRoleWithWebIdentity), which no issued key is: the shared allow list's test. */
int value_identifier(const char *s, size_t n);

/* keybody.c — a private key's body (whitespace dropped). keybody_placeholder: 1 when it is
 * an obvious placeholder (EXAMPLE..., REDACTED, a run of one character); keybody_complete:
 * 1 when it is a whole key structure (DER SEQUENCE of the body's length, an OpenSSH key
 * whose strings end in the body, a PGP secret-key packet that fits, encrypted legacy PEM),
 * -1 when a DER, OpenSSH or PGP key is cut short (its lengths say more than the body holds:
 * an abridged documentation key), 0 when it is neither. */
int keybody_placeholder(const char *s, size_t n);
int keybody_complete(const char *s, size_t n);

/* inline.c — 1 when the line of the span [s, e) of data (its line starting at line_start)
 * carries an allow marker (akwatch:allow, gitleaks:allow, trufflehog:ignore; any case)
 * within a few KiB of the span. */
int detect_line_allows(const char *data, size_t len, size_t line_start, size_t s, size_t e);

/* text.c — make a line safe for a terminal: control bytes and invalid UTF-8 become '?'. */
void text_sanitize(char *s, size_t len);

#endif
