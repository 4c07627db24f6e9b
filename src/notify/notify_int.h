/* notify_int — private to src/notify/: the notifier struct, one message to deliver, and the
 * payload, command and delivery helpers. Nothing outside src/notify/ includes this file.
 */
#ifndef AKW_NOTIFY_INT_H
#define AKW_NOTIFY_INT_H

#include "notify/notify.h"

/* Suppression reasons are stored untranslated; the digest selects on this prefix. */
#define REASON_OUTSIDE "outside the notification window"

/* enum webhook_format and its one parser: config/conf.h */

struct notify {
    struct notify_window win;
    char *webhook;
    enum webhook_format format;
    char *secret; /* [notify] webhook_secret (DingTalk / Feishu signing), or NULL */
    char *command;
    int bell, digest, owned_bypass, alert_only_live;
    enum confidence min_conf; /* leaks below it raise only a suppressed alert */
    char channels[96];
    int max_attempts; /* per channel */
    long backoff_ms;  /* first retry delay; doubles */
    long timeout_s;   /* per webhook POST or command run */
};

/* One digest line: a suppressed alert, summarised. */
struct digest_item {
    int64_t alert_id;
    enum alert_type type;
    time_t created_at;
    char *ak_id, *secret_masked, *rule, *where; /* where: repo/path or ip + action */
};

/* What one delivery says. Everything is borrowed. */
struct notify_msg {
    enum alert_type type;
    int64_t alert_id;
    time_t created_at;
    int reopened;                /* leak: a handled leak seen again */
    int test;                    /* `akwatch notify test`: a made-up leak, type "test" */
    const struct leak *leak;     /* leak and call alerts; may be NULL */
    int64_t leak_id;
    const struct location *loc;  /* may be NULL */
    const struct call *call;     /* call alerts: the first new call of the key */
    long n_calls;                /* call alerts: new calls of this key */
    const struct digest_item *items; /* digest */
    size_t n_items;
    long n_leak_items, n_call_items;
};

/* payload.c — every string carries only masked secrets. Callers free the results. */
char *payload_text(const struct notify_msg *m);
char *payload_json(const struct notify_msg *m);
/* The body robot format f expects. Feishu with a secret: "timestamp" (now) and "sign" are
 * part of the body (DingTalk signs in the URL: robot_dingtalk_url). */
char *payload_webhook(const struct notify_msg *m, enum webhook_format f, const char *secret,
                      time_t now);
/* "KEY=value" strings for the command's environment; NULL-terminated; free with
 * payload_env_free(). */
char **payload_env(const struct notify_msg *m);
void payload_env_free(char **env);

/* command.c — run cmdline (split on blanks, '...' and "..." quoting, no shell) with the
 * current environment minus GITHUB_TOKEN plus env, input on stdin, stdout discarded; wait up
 * to timeout_s (then kill). AKW_OK on exit status 0; else err holds the status and the first
 * line the command wrote to stderr. */
enum akw_status command_run(const char *cmdline, char *const *env, const char *input,
                            size_t len, long timeout_s, struct akw_err *err);

/* webhook.c — URL policy (https, or http to loopback), redaction for messages, and the POST.
 * webhook_post returns AKW_OK on a 2xx answer, unless the body is JSON whose member
 * refusal_key (a robot's "errcode" or "code"; NULL: none) is non-zero; *status gets the
 * HTTP status (0 = none). */
int webhook_url_allowed(const char *url, struct akw_err *err);
void webhook_url_redact(const char *url, char *out, size_t n);
enum akw_status webhook_post(const char *url, const char *body, const char *refusal_key,
                             long timeout_s, long *status, struct akw_err *err);

/* robot.c — chat robot signatures (HMAC-SHA256, base64; callers free the results) and
 * refusals. DingTalk: url plus "timestamp=NOW_MS&sign=..." (URL-encoded) in its query.
 * Feishu / Lark: the "sign" value for timestamp now_s. robot_refusal_key: the JSON member
 * a robot answering HTTP 200 sets non-zero when it refused the message (NULL: none). */
char *robot_dingtalk_url(const char *url, const char *secret, long long now_ms);
char *robot_feishu_sign(const char *secret, long long now_s);
const char *robot_refusal_key(enum webhook_format f);

/* deliver.c — send m through every channel with retry and backoff; sets a->state (SENT or
 * FAILED), sent_at, channel, attempts and last_error. Rings the bell. */
void deliver(struct notify *n, const struct notify_msg *m, struct alert *a);
void notify_bell_ring(void);

#endif
