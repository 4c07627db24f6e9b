/* config — the INI configuration (parsed with inih): load, validate every key against one
 * table, report errors as "file:line: [section] key: message". Does not apply settings;
 * callers read the plain struct.
 */
#ifndef AKW_CONF_H
#define AKW_CONF_H

#include <stddef.h>

#include "util/util.h"

/* A list is the same key repeated, one item per line (or space-separated where noted). */
struct strlist {
    char **v;
    size_t n;
};

/* Items of a repeatable key that keep the line each came from (for errors found later). */
struct conf_lines {
    char **v;
    int *line;
    size_t n;
};

struct config {
    char *path; /* file it was read from, NULL when none existed */

    /* [github] */
    char *api_url;          /* default https://api.github.com */
    struct strlist tokens;  /* token = ... (several = a pool); GITHUB_TOKEN is added first */
    struct strlist queries; /* query = ... extra code-search queries */
    struct strlist orgs, users;
    int events;             /* events = on|off (default off) */
    int keep_unowned;       /* keep_unowned = on|off (default off) */
    int poll_interval;      /* seconds; minimum honoured over X-Poll-Interval (default 60) */
    int give_up_after;      /* runs in a row a file may fail to be fetched before it is
                               skipped for good (default 3; at least 1) */

    /* [assets] */
    struct strlist access_key_ids, domains, endpoints, hosts;

    /* [notify] */
    char *window;          /* "HH:MM-HH:MM" or NULL = always */
    char *days;            /* "mon-fri", "sat,sun" or NULL = every day */
    char *tz;              /* e.g. "Asia/Shanghai", NULL = local */
    char *webhook, *webhook_format, *command;
    char *webhook_secret;  /* DingTalk / Feishu robot signing secret, or NULL */
    int bell;              /* on|off (default on) */
    int digest;            /* on|off */
    int owned_bypass_window;
    enum confidence notify_min_confidence; /* leaks below it raise no alert; 0 = the [scan]
                                              min_confidence (config_alert_confidence) */

    /* [scan] */
    long long max_file_size; /* bytes; "10M", "512K" accepted; default 10 MiB */
    struct strlist skip;     /* path fragments, space-separated or repeated */
    int store_secrets;       /* store_secrets = on|off (default off): keep raw secrets */
    enum confidence min_confidence; /* findings below it are recorded but not reported:
                                       not printed by scan nor counted in its exit status,
                                       not in the default lists, TUI or export (default
                                       medium; --all shows them) */

    /* [actions] per-action command hooks, run with AKWATCH_AK_ID etc. in the environment */
    char *on_deleted, *on_disabled, *on_whitelisted;
    long hook_timeout; /* seconds a hook may run before its process group is killed (30) */

    /* [verify] */
    int verify_enabled;
    char *alibaba_endpoint, *aws_sts_endpoint, *github_api, *tencent_sts_endpoint;
    long recheck_after; /* seconds */
    int alert_only_live;
    int verify_rate;    /* rate = N: at most N requests per second to each provider (default 2) */

    /* [store] */
    char *store_url;    /* url = a store path or postgresql:// URL; NULL = the default path */

    /* [keys] bind = CONTEXT KEY ACTION (tig's bind): three words, checked here; the names
     * are checked by the UI (ui_keys_check), which owns the contexts, keys and actions */
    struct conf_lines binds;

    /* [team] */
    int lease_seconds;  /* a watcher's lease of a source lasts this long unless renewed
                           (default 120): a killed watcher's sources are taken over then */
};

/* The confidence a leak needs to alert: [notify] min_confidence, else [scan]'s. */
enum confidence config_alert_confidence(const struct config *cfg);

/* Fill cfg with defaults (no file). */
void config_init(struct config *cfg);
/* Load path over the defaults. must_exist = 0: a missing file is not an error (defaults).
 * On error returns AKW_ERR_PARSE/IO, err says "file:line: [section] key: message", and cfg
 * holds only defaults. Caller config_done()s cfg in every case. */
enum akw_status config_load(const char *path, int must_exist, struct config *cfg,
                            struct akw_err *err);
void config_done(struct config *cfg);

/* Validate path exactly as config_load() does, but report every error (not only the
 * first) through cb, one "file:line: [section] key: message" string per call, in file
 * order. Environment overrides are checked too (culprit named by variable). Returns AKW_OK
 * when nothing was wrong, AKW_ERR_PARSE when cb was called, AKW_ERR_IO (err filled) when
 * the file cannot be read. Any thread; cb runs on the caller's thread. */
typedef void (*config_error_cb)(const char *msg, void *user);
enum akw_status config_check(const char *path, config_error_cb cb, void *user,
                             struct akw_err *err);

/* The URL rule every URL key follows: http(s)://HOST[...], plain http only to a loopback
 * host (127.0.0.0/8, ::1, localhost). Returns NULL when fine, else an untranslated
 * message (static). For --api-url and the like. */
const char *config_check_url(const char *s);

/* Parse "HH:MM-HH:MM" (the window may wrap past midnight; 24:00 only as an end; equal ends
 * are a full day; blanks around it are ignored); minutes since 00:00 into *from / *to.
 * Returns 0 or -1. The one parser of [notify] window: `config check` and notify/ both use
 * it. */
int config_parse_window(const char *s, int *from, int *to);

/* Parse [notify] days: day names ("mon" or "monday", any case) or ranges ("mon-fri",
 * "fri-mon" wraps), separated by commas or blanks. *mask gets bit d for weekday d
 * (0 = Sunday). Returns 0, or -1 for an unknown name or nothing at all. The one parser of
 * [notify] days: `config check` and notify/ both use it. ([notify] tz: util/tz.h tz_load.) */
int config_parse_days(const char *s, unsigned *mask);

/* [notify] webhook_format: the body (and signature) the receiving chat robot expects. */
enum webhook_format {
    WEBHOOK_GENERIC = 0, /* akwatch's JSON */
    WEBHOOK_SLACK,       /* {"text": ...} */
    WEBHOOK_DINGTALK,    /* DingTalk custom robot text; signed with webhook_secret */
    WEBHOOK_WECOM,       /* WeCom (企业微信) group robot text */
    WEBHOOK_FEISHU,      /* Feishu / Lark custom bot text; signed with webhook_secret */
};
/* Parse a webhook_format value: generic (or json), slack, dingtalk, wecom, feishu (or lark),
 * any case. Returns 0, or -1. The one parser: `config check` and notify/ both use it. */
int config_parse_webhook_format(const char *s, enum webhook_format *out);
/* The canonical name of f ("generic", "slack", ...). */
const char *config_webhook_format_name(enum webhook_format f);

/* Parse "on/off/yes/no/true/false/1/0"; returns 0 or -1. */
int config_parse_bool(const char *s, int *out);
/* Parse a size with optional K/M/G suffix; returns 0 or -1. */
int config_parse_size(const char *s, long long *out);

#endif
