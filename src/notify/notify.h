/* notify — alerts for new leaks and new suspicious calls, delivered (webhook, command, terminal
 * bell) only inside the configured notification window; outside it they are recorded as
 * suppressed and never sent later, except as one summary when digest mode is on.
 *
 *   window.c    the window: "HH:MM-HH:MM", days of week, time zone; pure functions of "now"
 *               (the text is parsed by config/ and util/tz.c, as `config check` does)
 *   confsave.c  rewrite the [notify] window/days/tz lines of the config, keeping the rest
 *   payload.c   private: the alert as generic JSON, Slack or DingTalk text, and env vars
 *   command.c   private: run the configured command (posix_spawn, no shell)
 *   webhook.c   private: URL policy and the POST (through github/provider_http)
 *   deliver.c   private: send one alert through every channel, with retry and backoff; bell
 *   notify.c    decide alert or not, window or suppressed; `notify test`
 *   digest.c    the digest: alerts suppressed outside the window, summarised when it opens
 *
 * Threads: a struct notify belongs to one thread (the one owning the struct store passed to
 * it). The window functions and notify_bell_take() may be called from any thread. Every
 * "now" comes from akw_now() (AKWATCH_NOW in tests).
 * Secrets: payloads carry only the masked secret (leak->secret_masked); the raw secret is
 * never read here.
 */
#ifndef AKW_NOTIFY_H
#define AKW_NOTIFY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config/conf.h"
#include "store/store.h"
#include "util/util.h"

/* ---- the window ------------------------------------------------------- */

#define NOTIFY_DAYS_ALL 0x7fu

struct tz;

/* A parsed window. start_min/end_min are minutes after local midnight; both -1 means "always"
 * (no window configured); start > end wraps past midnight; start == end is a full day.
 * days: bit d set = weekday d allowed (0 = Sunday). An overnight window belongs to the day it
 * opens. Owns tz and tz_name (notify_window_done frees). */
struct notify_window {
    int start_min, end_min;
    unsigned days;
    char *tz_name; /* NULL = the local zone */
    struct tz *tz;
};

/* Parse the three [notify] values (each may be NULL or "" = always / every day / local zone).
 * window "HH:MM-HH:MM" (24:00 allowed as an end); days "mon-fri", "sat,sun", "mon,wed-fri";
 * tz an IANA name such as "Asia/Shanghai" or a POSIX rule such as "CST-8".
 * Errors: AKW_ERR_PARSE with a one-line message naming the bad value. Call
 * notify_window_done() in every case. */
enum akw_status notify_window_parse(const char *window, const char *days, const char *tz,
                                    struct notify_window *out, struct akw_err *err);
void notify_window_done(struct notify_window *w);

/* 1 when instant t (UTC) falls inside the window, else 0. Any thread. */
int notify_window_contains(const struct notify_window *w, time_t t);

/* The first minute at or after t inside the window (t itself when inside); 0 when the window
 * never opens (cannot happen for a parsed window). */
time_t notify_window_next_open(const struct notify_window *w, time_t t);

/* "08:00-20:00 mon,tue,wed,thu,fri Asia/Shanghai", "always" ... (untranslated). */
void notify_window_describe(const struct notify_window *w, char *out, size_t n);

/* ---- the config file -------------------------------------------------- */

/* Rewrite the window, days and tz lines of the [notify] section of the config file at path,
 * keeping every other line, comment and inline comment as it was. A NULL or "" value removes
 * that key (always / every day / local zone). Missing keys are added at the end of [notify];
 * a missing section is appended; a missing file is created (0600). The values are validated
 * first (as notify_window_parse does); nothing is written on error. Written atomically. */
enum akw_status notify_config_save_window(const char *path, const char *window, const char *days,
                                          const char *tz, struct akw_err *err);

/* ---- alerts ------------------------------------------------------------ */

struct notify;

/* Build a notifier from the [notify] (and [verify] alert_only_live) config. The config is
 * copied; cfg may be freed afterwards. Errors: AKW_ERR_PARSE for a bad window, days, tz or
 * webhook_format, AKW_ERR_USAGE for a webhook URL that is neither https nor http on loopback. */
enum akw_status notify_new(const struct config *cfg, struct notify **out, struct akw_err *err);
void notify_free(struct notify *n);

/* Call after store_record() for every finding. Creates an alert when the leak is new (or
 * reopened as a regression, or raised by this finding to the alert confidence: [notify]
 * min_confidence, else [scan]'s), unhandled and not whitelisted. A leak below that
 * confidence gets its alert recorded suppressed ("confidence low, below min_confidence
 * medium"), never sent. Otherwise, inside the window (or for an
 * owned leak with owned_bypass_window) delivers it at once, with retry and backoff, recording
 * sent_at or failed; outside the window records it suppressed with the reason. Does nothing
 * for other results. loc may be NULL. *alert_id (may be NULL) gets the new alert's id or 0.
 * Returns an error only when the store fails; delivery failures are recorded on the alert.
 * Call it after the finding's transaction is committed, outside a store_begin() batch, so no
 * network wait holds the write lock. For many findings, notify_leaks_found() is faster. */
enum akw_status notify_leak_found(struct notify *n, struct store *st, const struct leak *leak,
                                  const struct location *loc,
                                  const struct store_record_result *res, int64_t *alert_id,
                                  struct akw_err *err);

/* One committed finding for notify_leaks_found(); leak, loc (may be NULL) and res are
 * borrowed. alert_id gets the new alert's id, or 0 when the finding raised none. */
struct notify_leak_item {
    const struct leak *leak;
    const struct location *loc;
    const struct store_record_result *res;
    int64_t alert_id;
};

/* notify_leak_found() for many findings at once, with the same rules per item, cheaper: every
 * alert row (suppressed, or 'pending' for those to deliver) is written in one transaction,
 * then each pending one is delivered (one message per leak) outside any transaction, and the
 * outcomes are written in batches (a crash while sending leaves 'pending' rows). Suppression
 * is decided for the whole batch at one "now". Returns an error only when the store fails
 * (on a failure writing the rows, nothing is written and nothing is sent). Call it outside a
 * store_begin() batch, after the findings are committed. */
enum akw_status notify_leaks_found(struct notify *n, struct store *st,
                                   struct notify_leak_item *items, size_t count,
                                   struct akw_err *err);

/* Call after calls import stored new suspicious calls (ids from store_call_add). Creates one
 * alert per call (none for a whitelisted leak's calls) and delivers one message per leaked
 * key summarising its new calls, inside the window; else records them suppressed. Call it
 * outside a store_begin() batch (it opens its own). */
enum akw_status notify_calls_found(struct notify *n, struct store *st, const int64_t *call_ids,
                                   size_t n_calls, struct akw_err *err);

/* Periodic work (call from the scan loop, e.g. once a minute, and before a one-shot scan
 * exits): in digest mode, when inside the window and alerts were suppressed since the last
 * digest, sends one summary (an alert of type digest). Cheap when there is nothing to do.
 * Call it outside a store_begin() batch (it claims the digest in its own transaction). */
enum akw_status notify_tick(struct notify *n, struct store *st, struct akw_err *err);

/* Send a test message (type "test", a made-up masked key) through every configured channel
 * now, whatever the window; nothing is stored. AKW_OK when every channel took it; else err
 * lists the failures. AKW_ERR_USAGE when no channel is configured. */
enum akw_status notify_send_test(struct notify *n, struct akw_err *err);

/* Where the window stands at t: inside (1/0) and the next opening (t when inside). */
int notify_is_open(const struct notify *n, time_t t, time_t *next_open);
/* The window as configured, e.g. "08:00-20:00 mon,tue,wed,thu,fri Asia/Shanghai". */
void notify_describe_window(const struct notify *n, char *out, size_t len);
/* digest = on? */
int notify_digest_on(const struct notify *n);

/* 1 when notify_tick() has periodic work (digest mode): loops should call it at least once a
 * minute; 0 otherwise (then calling it now and then is enough). n may be NULL (0). */
int notify_wants_tick(const struct notify *n);

/* Number of bell rings requested since the last call, then resets it. Any thread; the TUI
 * polls it and beeps, headless front ends may write BEL to a terminal. */
unsigned notify_bell_take(void);

/* Describe the configured channels ("webhook(slack),command,bell"; "" when none). */
const char *notify_channels(const struct notify *n);

#endif
