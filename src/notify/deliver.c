/* deliver — send one alert through every configured channel (webhook, command, bell), each
 * with retry and exponential backoff, and record the outcome on the alert row's fields. It
 * does not decide whether to send: notify.c does.
 */
#include "config.h"
#include "notify/notify_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_uint bell_rings;

void
notify_bell_ring(void)
{
    atomic_fetch_add(&bell_rings, 1u);
}

unsigned
notify_bell_take(void)
{
    return atomic_exchange(&bell_rings, 0u);
}

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static enum akw_status
try_webhook(struct notify *n, const struct notify_msg *m, struct akw_err *err)
{
    time_t now = akw_now();
    char *body = payload_webhook(m, n->format, n->secret, now);
    /* DingTalk signs the URL; the signed URL is as secret as the hook itself */
    char *url = n->secret && n->format == WEBHOOK_DINGTALK
                    ? robot_dingtalk_url(n->webhook, n->secret, (long long)now * 1000)
                    : NULL;
    long status;
    enum akw_status s = webhook_post(url ? url : n->webhook, body, robot_refusal_key(n->format),
                                     n->timeout_s, &status, err);
    free(body);
    secret_free(url);
    if (s == AKW_OK)
        return s;
    akw_err_prefix(err, "webhook");
    /* 4xx other than 408/429 will not get better by retrying. */
    return status >= 400 && status < 500 && status != 408 && status != 429 ? AKW_ERR_USAGE : s;
}

static enum akw_status
try_command(struct notify *n, const struct notify_msg *m, struct akw_err *err)
{
    char *json = payload_json(m);
    char **env = payload_env(m);
    enum akw_status s = command_run(n->command, env, json, strlen(json), n->timeout_s, err);
    payload_env_free(env);
    free(json);
    return s;
}

typedef enum akw_status (*channel_fn)(struct notify *, const struct notify_msg *,
                                      struct akw_err *);

static int
with_retry(struct notify *n, const struct notify_msg *m, channel_fn fn, int *attempts,
           struct akw_err *err)
{
    long delay = n->backoff_ms;
    for (int i = 1;; i++) {
        (*attempts)++;
        enum akw_status s = fn(n, m, err);
        if (s == AKW_OK)
            return 1;
        if (s == AKW_ERR_USAGE || i >= n->max_attempts)
            return 0;
        sleep_ms(delay);
        delay *= 2;
    }
}

void
deliver(struct notify *n, const struct notify_msg *m, struct alert *a)
{
    struct buf used, errors;
    buf_init(&used);
    buf_init(&errors);
    a->attempts = 0;
    int failed = 0;
    struct {
        const char *name;
        int on;
        channel_fn fn;
    } channels[] = {
        {"webhook", n->webhook != NULL, try_webhook},
        {"command", n->command != NULL, try_command},
    };
    for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++) {
        if (!channels[i].on)
            continue;
        struct akw_err err = {0};
        if (with_retry(n, m, channels[i].fn, &a->attempts, &err)) {
            buf_printf(&used, "%s%s", used.len ? "," : "", channels[i].name);
        } else {
            failed = 1;
            buf_printf(&errors, "%s%s", errors.len ? "; " : "", err.msg);
        }
    }
    if (n->bell) {
        notify_bell_ring();
        buf_printf(&used, "%sbell", used.len ? "," : "");
    }
    free(a->channel);
    free(a->last_error);
    a->channel = used.len ? buf_steal(&used) : NULL;
    a->last_error = errors.len ? buf_steal(&errors) : NULL;
    a->state = failed ? ALERT_FAILED : ALERT_SENT;
    a->sent_at = failed && !a->channel ? 0 : akw_now();
    buf_done(&used);
    buf_done(&errors);
}
