/* cli_int — private to cli/: the subcommand descriptor, the run context the global options
 * fill, and the helpers every subcommand shares (errors, config, store, rules, option
 * parsing, output). Subcommands print; nothing below cli/ does.
 *
 *   cli_main.c      global options, the subcommand table, top-level help
 *   common.c        errors ("akwatch: culprit: message"), config/store/rules opening, who
 *   opts.c          getopt_long over a subcommand's options plus the global ones, --help
 *   table.c         text tables aligned by display width (wcwidth)
 *   leak_json.c     a leak and its locations as one json-c object (list, show --format json)
 *   scan.c scan_out.c   `scan` and its output formats (text, json, sarif, tsv)
 *   list.c show.c handle.c whitelist.c rules.c config_check.c baseline.c hook.c
 *                   one subcommand each
 *   store_copy.c    `store` and its copy verb
 *   store_roles.c   `store roles`: least-privilege group roles on a server's store
 *   hide_password.c a URL's password on the command line kept out of ps
 */
#ifndef AKW_CLI_INT_H
#define AKW_CLI_INT_H

#include <getopt.h>
#include <stdio.h>

#include "config/conf.h"
#include "detect/detect.h"
#include "store/store.h"
#include "util/util.h"

/* Exit codes (DESIGN): 0 fine / nothing unhandled, 1 unhandled findings, 2 error. */
enum { CLI_OK = 0, CLI_FOUND = 1, CLI_ERROR = 2 };

struct cli_ctx {
    const char *db_path;     /* --db, NULL = AKWATCH_DB or the XDG default */
    const char *config_path; /* --config, NULL = AKWATCH_CONFIG or the XDG default */
    const char *api_url;     /* --api-url, NULL = from config/env */
    int quiet;               /* --quiet: no summary or progress on stderr */
    const struct cli_command *cmd; /* the running subcommand */
    struct config cfg;
    int cfg_loaded;
};

struct cli_command {
    const char *name;
    int (*run)(struct cli_ctx *ctx, int argc, char **argv); /* argv[0] = name */
    const char *summary; /* N_(): one line for `akwatch --help` */
    const char *usage;   /* N_(): "scan [OPTIONS] PATH..." (after "akwatch ") */
    const char *help;    /* N_(): what it does and its options, for `akwatch CMD --help` */
};

/* Every subcommand, in the order `akwatch --help` lists them. Adding a command is one
 * line here plus its file (which defines `const struct cli_command cli_cmd_NAME`). */
#define CLI_COMMANDS(X)                                                                      \
    X(tui)                                                                                   \
    X(scan)                                                                                  \
    X(baseline)                                                                              \
    X(hook)                                                                                  \
    X(watch)                                                                                 \
    X(watchers)                                                                              \
    X(list)                                                                                  \
    X(show)                                                                                  \
    X(handle)                                                                                \
    X(whitelist)                                                                             \
    X(rules)                                                                                 \
    X(calls)                                                                                 \
    X(verify)                                                                                \
    X(notify)                                                                                \
    X(export)                                                                                \
    X(config)                                                                                \
    X(store)

#define CLI_DECLARE(n) extern const struct cli_command cli_cmd_##n;
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

/* ---- errors (stderr, one line) ------------------------------------------------------ */
/* Print "akwatch: MESSAGE" and return CLI_ERROR. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "akwatch: err->msg" and return CLI_ERROR. */
int cli_fail_err(const struct akw_err *err);

/* ---- options ----------------------------------------------------------------------- */
enum { CLI_OPT_END = -1, CLI_OPT_EXIT = -2 };
/* getopt_long over the subcommand's options plus the global ones (which may also come
 * after the subcommand) and --help. Returns the option's value for the caller to handle,
 * CLI_OPT_END when options are done (optind is the first operand), or CLI_OPT_EXIT with
 * *exit_code set (--help printed: 0; unknown option or missing argument reported: 2).
 * Call with optind = 0 before the first call for a fresh scan (cli_main does). */
int cli_getopt(struct cli_ctx *ctx, int argc, char **argv, const char *shortopts,
               const struct option *longopts, int *exit_code);
/* Print the help of a command (usage line + help text) to f. */
void cli_command_help(const struct cli_command *cmd, FILE *f);
/* Report a usage error about the running command: "akwatch: CULPRIT: MESSAGE (see ...)". */
int cli_usage_error(struct cli_ctx *ctx, const char *culprit, const char *msg);

/* ---- what commands open ------------------------------------------------------------ */
/* Load the configuration once (--config must exist, AKWATCH_CONFIG must exist, the XDG
 * default may be missing) and apply --api-url. Returns 0 or CLI_ERROR (reported). */
int cli_config(struct cli_ctx *ctx, const struct config **out);
/* The store path (--db, AKWATCH_DB, XDG). Caller frees. */
char *cli_db_path(struct cli_ctx *ctx);
/* Open the store. existing_only: when the file does not exist, do not create it; *out is
 * NULL and 0 is returned (readers treat that as empty). Returns 0 or CLI_ERROR. */
int cli_store(struct cli_ctx *ctx, int existing_only, int readonly, struct store **out);
/* Load the rules from the data folder. Returns 0 or CLI_ERROR. */
int cli_rules(struct detect_ruleset **out);
/* The same without compiling regexes: rule and provider metadata (names, consoles, advice)
 * for commands that show leaks. Returns 0 or CLI_ERROR (a broken rule file). */
int cli_rules_meta(struct detect_ruleset **out);
/* The user for the audit log: $USER, else the passwd name, else the uid. Static. */
const char *cli_who(void);
/* Parse a leak id ("12"); returns 0 or CLI_ERROR (reported with the command). */
int cli_parse_id(struct cli_ctx *ctx, const char *s, int64_t *out);
/* Index of name in names[] (NULL-terminated), or CLI_ERROR reported as a bad value of opt. */
int cli_choice(struct cli_ctx *ctx, const char *opt, const char *name, const char *const *names,
               int *out);

/* Before anything reads argv: the passwords of postgresql:// URLs in it are hidden from
 * ps; argv[i] then points to a copy that still holds them (hide_password.c). */
void cli_hide_passwords(int argc, char **argv);

/* `store roles` (store_roles.c): optind at the verb. Returns the exit code. */
int cli_store_roles(struct cli_ctx *ctx, int argc, const char *prefix, int apply);

/* ---- verification during a scan (verify.c) ----------------------------------------- */
struct verifier;
/* A verifier for [verify] enabled = on, else NULL (free with verifier_free()). */
struct verifier *cli_verifier_new(const struct config *cfg);
/* Verify one recorded leak with the secret in hand; returns the verdict ("live", "invalid",
 * "unknown"; static) or NULL when nothing was checked. A store error is reported as a warning
 * on stderr (the findings are already stored). */
const char *cli_verify_found(struct verifier *v, struct store *st, int64_t leak_id,
                             const char *secret);

/* ---- output helpers ---------------------------------------------------------------- */
/* Display width (columns) of a UTF-8 string; invalid bytes count 1. */
int cli_width(const char *s);
/* Print s padded with spaces to width columns (never cut). */
void cli_pad(FILE *f, const char *s, int width);
/* Print s cut to at most width columns (with "…" when cut), padded when pad. */
void cli_fit(FILE *f, const char *s, int width, int pad);

/* A text table: add rows of n cells, then print with columns aligned by display width.
 * Cells are copied. The last column is not padded. */
struct cli_table;
struct cli_table *cli_table_new(size_t n_cols);
void cli_table_add(struct cli_table *t, const char *const *cells);
void cli_table_print(struct cli_table *t, FILE *f);
void cli_table_free(struct cli_table *t);

/* A TSV field: tab, newline, CR and backslash escaped as \t \n \r \\; NULL = empty. */
void cli_tsv_field(FILE *f, const char *s, int last);

/* A leak and all its locations as the json object of DESIGN's list contract (id,
 * fingerprint, rule, kind, ak_id, secret_masked, severity, status, handled_as, owned,
 * verified, first_seen, last_seen, locations[...]). NULL on a store error (err filled).
 * Caller json_object_put()s. */
struct json_object;
struct json_object *cli_leak_json(struct store *st, const struct leak *l, struct akw_err *err);
/* Print a json object on one line (plain, no escaped slashes). */
void cli_json_line(FILE *f, struct json_object *j);

/* s with every control character (C0, DEL; tab included) shown as '?', so file names,
 * authors and notes from untrusted repositories cannot move the cursor or recolour the
 * terminal. Returns one of 8 rotating static buffers (valid until 8 more calls); NULL
 * gives "". Not thread-safe (CLI only). */
const char *cli_safe(const char *s);

/* The severity's name for people, translated ("critical" → "严重"). */
const char *cli_severity(enum severity s);

/* The confidence's name for people, translated ("medium" → "中"); "" for none. */
const char *cli_confidence(enum confidence c);
/* Parse a --min-confidence/--confidence value (low, medium, high) into *out (an enum
 * confidence); returns 0 or CLI_ERROR (reported as a bad value of opt). */
int cli_confidence_option(struct cli_ctx *ctx, const char *opt, const char *name, int *out);

/* "deleted" / "disabled" for people, translated; "" for none. */
const char *cli_handled_as(enum handled_as h);

/* ISO 8601 UTC of t into a static buffer; "" for 0. Not thread-safe (CLI only). */
const char *cli_time(time_t t);

#endif
