/* detect — the detection engine: rules loaded from data/rules/NAME.conf, a one-pass keyword
 * prefilter, PCRE2-JIT regexes run only near candidates, entropy and placeholder gates,
 * ID+secret pairing, masking and fingerprints. Knows nothing of files on disk beyond the
 * rule folder, of the store, or of GitHub: callers hand it bytes and get findings back.
 *
 *   rules.c     load and validate rule files (errors name file:line:key)
 *   provider.c  the [provider] sections: name, console link, recommendation steps
 *   prefilter.c keyword automaton over the whole buffer (one pass, case-insensitive)
 *   match.c     run candidate rules around keyword hits (windows, PCRE2 JIT, gates)
 *   emit.c      overlaps, ID+secret pairing, line numbers, masked lines, callbacks
 *   entropy.c   Shannon entropy of a secret
 *   allow.c     placeholders, example keys, variable references, templating
 *   mask.c      masking of secrets and lines; fingerprints (SHA-256 via libcrypto)
 *   text.c      binary detection; making a scanned line safe for a terminal
 *   confidence.c how sure a finding is a live credential (high / medium / low)
 *   inline.c    allow comments on a finding's line (akwatch:allow and its cousins)
 *
 * Threads: a ruleset is read-only after detect_rules_load() and may be shared; each
 * thread scans with its own struct detector.
 */
#ifndef AKW_DETECT_H
#define AKW_DETECT_H

#include <stddef.h>

#include "util/util.h"

struct detect_ruleset;
struct detector;

/* A [provider] section: who issued a credential and where it is revoked. Strings are owned
 * by the ruleset and English (translate name and steps with _() at display time). */
struct provider_info {
    const char *id;             /* e.g. "alibaba"; rules name it with provider = id */
    const char *name;           /* e.g. "Alibaba Cloud" */
    const char *console;        /* https URL of the page where its keys are revoked, "" if none */
    const char *const *steps;   /* the recommendation, most urgent first; NULL-terminated
                                   (may be empty: steps[0] == NULL) */
    size_t nsteps;
    const char *file;           /* rule file it came from */
};

/* What `rules list` shows of a rule. Strings are owned by the ruleset. */
struct rule_info {
    const char *id;          /* e.g. "alibaba-accesskey-id" */
    const char *kind;        /* cloud_accesskey | api_token | private_key | database |
                                server_password | generic_secret */
    const char *description; /* one line, English (translated at display time) */
    const char *file;        /* rule file it came from */
    const char *provider;    /* e.g. "alibaba", "aws", "" when none */
    const struct provider_info *prov; /* its [provider] section, NULL when none */
    enum severity severity;
    const char *pair_with;   /* id of the rule this one pairs with, or NULL */
    int pair_lines;          /* window for pairing, in lines */
};

/* Load every *.conf in dir (sorted by name). On error returns AKW_ERR_PARSE/IO with
 * "file:line: key: message" in err and *out untouched. Caller frees with
 * detect_rules_free(). */
enum akw_status detect_rules_load(const char *dir, struct detect_ruleset **out,
                                  struct akw_err *err);
/* The same files and the same checks, except that no regex is compiled (nor checked):
 * for readers of rule and provider metadata (show, the TUI, the export), at a fraction of
 * the cost. A detector over such a ruleset finds nothing. Same errors and ownership. */
enum akw_status detect_rules_load_meta(const char *dir, struct detect_ruleset **out,
                                       struct akw_err *err);
void detect_rules_free(struct detect_ruleset *rs);
size_t detect_rules_count(const struct detect_ruleset *rs);
/* i < count; borrowed, valid until detect_rules_free(). */
const struct rule_info *detect_rule_info(const struct detect_ruleset *rs, size_t i);
/* The rule with this id, or NULL (also for a NULL rs or id). Borrowed, as above. */
const struct rule_info *detect_rule_find(const struct detect_ruleset *rs, const char *id);

/* Providers in load order; i < count; borrowed, valid until detect_rules_free(). */
size_t detect_providers_count(const struct detect_ruleset *rs);
const struct provider_info *detect_provider_info(const struct detect_ruleset *rs, size_t i);
/* The provider of the rule with id rule_id, or NULL (unknown rule, or a rule naming no
 * provider; also for a NULL rs or rule_id). Borrowed, as above. */
const struct provider_info *detect_rule_provider(const struct detect_ruleset *rs,
                                                 const char *rule_id);

/* One finding, passed to the callback. Every pointer is borrowed and valid only during
 * the callback: copy what you keep. */
struct finding {
    const struct rule_info *rule; /* the rule that reported it (for a pair: the ID rule,
                                     with severity raised to the pair's) */
    enum severity severity;
    enum confidence confidence; /* how sure it is a real credential (detect_confidence) */
    const char *secret;        /* raw secret (for an ID-only finding: the ID itself) */
    const char *secret_masked; /* e.g. "LTAI5t****************1a2B" (detect_mask_compact) */
    const char *ak_id;         /* AccessKey ID / key ID when the finding has one, else NULL */
    const char *fingerprint;   /* 64 hex chars: SHA-256 of rule id + NUL + secret */
    size_t line, column;       /* 1-based position of the secret (column in bytes) */
    const char *line_masked;   /* the line with every secret on it masked, control
                                  characters replaced, cut to 300 bytes */
    int allowed; /* its line (for a pair: either line) carries an allow comment within 4 KiB
                    of the secret: akwatch:allow, gitleaks:allow or trufflehog:ignore, any
                    case, any comment syntax. Reported anyway: local scans skip it, GitHub
                    sources do not (a marker in someone else's code proves nothing) */
};

/* Return 0 to go on, non-zero to stop the scan early. */
typedef int (*detect_cb)(const struct finding *f, void *user);

/* Per-thread scanner over a shared ruleset (borrowed; must outlive the detector). */
struct detector *detector_new(const struct detect_ruleset *rs);
void detector_free(struct detector *d);

/* Scan data[0..len) (any bytes; CRLF and lines of any length work). path is used for
 * path allowlists and file-name rules (".env"); may be NULL. Calls cb for each finding
 * in order of position. Returns AKW_OK, or AKW_ERR_CANCEL if cb asked to stop. */
enum akw_status detector_scan(struct detector *d, const char *path, const char *data,
                              size_t len, detect_cb cb, void *user);

/* Heuristic: NUL bytes or mostly non-text in the first 8 KiB. */
int detect_is_binary(const char *data, size_t len);

/* Mask a secret: keep a short prefix and suffix, '*' in between (never more than a third
 * of the secret shown). out must hold strlen(secret)+1 bytes. */
void detect_mask(const char *secret, char *out);

/* The form a finding's secret is stored and shown in (finding.secret_masked): detect_mask()'s
 * for a secret of up to DETECT_MASK_MAX characters; a longer one (a private key's body) keeps
 * only that mask's first 6 and last 4 characters around 16 '*' and says how long it was:
 * "MIIEvQ****************7Q== (1624 chars)". Caller frees. */
enum { DETECT_MASK_MAX = 64 };
char *detect_mask_compact(const char *secret);

/* fingerprint = hex SHA-256 of (rule_id, NUL, secret); out holds 65 bytes. */
void detect_fingerprint(const char *rule_id, const char *secret, char out[65]);

/* Shannon entropy in bits per character. */
double detect_entropy(const char *s, size_t len);

#endif
