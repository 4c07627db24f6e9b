/* payload — an alert as a human line, generic JSON, a Slack or DingTalk webhook body, and
 * environment variables for the command hook. Reads only masked fields: the raw secret
 * (leak->secret) is never touched here, so no channel can carry it.
 */
#include "config.h"
#include "notify/notify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static const char *
nz(const char *s)
{
    return s ? s : "";
}

static void
put_where(struct buf *b, const struct location *loc)
{
    if (!loc)
        return;
    buf_printf(b, " in %s%s%s", nz(loc->repo), loc->repo && *loc->repo ? ":" : "", nz(loc->path));
    if (loc->line > 0)
        buf_printf(b, ":%ld", loc->line);
    if (loc->url && *loc->url)
        buf_printf(b, " %s", loc->url);
}

char *
payload_text(const struct notify_msg *m)
{
    struct buf b;
    buf_init(&b);
    char when[32];
    const struct leak *l = m->leak;
    if (m->test) {
        buf_printf(&b, _("akwatch: test alert; real alerts name the leak, e.g. %s (%s)"),
                   nz(l->ak_id), nz(l->secret_masked));
        return buf_steal(&b);
    }
    switch (m->type) {
    case ALERT_TYPE_LEAK:
        buf_printf(&b, m->reopened ? _("akwatch: leak seen again after it was handled: %s %s")
                                   : _("akwatch: new leak: %s %s"),
                   nz(l->kind), l->ak_id ? l->ak_id : nz(l->secret_masked));
        if (l->ak_id && l->secret_masked)
            buf_printf(&b, " (%s)", l->secret_masked);
        buf_printf(&b, _(", severity %s%s"), nz(severity_name(l->severity)),
                   l->owned ? _(", yours") : "");
        put_where(&b, m->loc);
        break;
    case ALERT_TYPE_CALL:
        akw_time_iso(m->call->at, when);
        buf_printf(&b,
                   ngettext("akwatch: %ld suspicious call with leaked key %s",
                            "akwatch: %ld suspicious calls with leaked key %s", m->n_calls),
                   m->n_calls, nz(m->call->ak_id));
        buf_printf(&b, _(": %s from %s at %s"), nz(m->call->action), nz(m->call->source_ip),
                   when);
        if (m->call->user_agent)
            buf_printf(&b, " (%s)", m->call->user_agent);
        buf_printf(&b, " [%s:%ld]", nz(m->call->source_file), m->call->source_line);
        break;
    case ALERT_TYPE_DIGEST:
        buf_printf(&b,
                   _("akwatch digest: %zu alerts suppressed outside the notification window "
                     "(%ld leaks, %ld suspicious calls)"),
                   m->n_items, m->n_leak_items, m->n_call_items);
        for (size_t i = 0; i < m->n_items && i < 20; i++) {
            const struct digest_item *it = &m->items[i];
            akw_time_iso(it->created_at, when);
            buf_printf(&b, "\n- %s %s %s %s %s", when, alert_type_name(it->type),
                       nz(it->ak_id), nz(it->secret_masked), nz(it->where));
        }
        if (m->n_items > 20)
            buf_printf(&b, _("\n... and %zu more"), m->n_items - 20);
        break;
    }
    return buf_steal(&b);
}

static void
add_str(json_object *o, const char *k, const char *v)
{
    json_object_object_add(o, k, json_str_new(v));
}

static void
add_time(json_object *o, const char *k, time_t t)
{
    char s[32];
    akw_time_iso(t, s);
    add_str(o, k, t ? s : NULL);
}

static json_object *
leak_json(const struct notify_msg *m)
{
    const struct leak *l = m->leak;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(m->leak_id));
    add_str(o, "rule", l->rule);
    add_str(o, "kind", l->kind);
    add_str(o, "ak_id", l->ak_id);
    add_str(o, "secret_masked", l->secret_masked);
    add_str(o, "severity", severity_name(l->severity));
    add_str(o, "confidence", confidence_name(l->confidence));
    json_object_object_add(o, "owned", json_object_new_boolean(l->owned));
    add_str(o, "verified", l->verified);
    add_time(o, "first_seen", l->first_seen);
    return o;
}

static json_object *
location_json(const struct location *loc)
{
    json_object *o = json_object_new_object();
    add_str(o, "platform", loc->platform);
    add_str(o, "repo", loc->repo);
    add_str(o, "path", loc->path);
    json_object_object_add(o, "line", json_object_new_int64(loc->line));
    add_str(o, "commit", loc->commit);
    add_str(o, "url", loc->url);
    add_str(o, "author", loc->author);
    add_str(o, "snippet", loc->snippet); /* masked by detect */
    return o;
}

static json_object *
call_json(const struct call *c)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(c->id));
    add_str(o, "ak_id", c->ak_id);
    add_time(o, "at", c->at);
    add_str(o, "source_ip", c->source_ip);
    add_str(o, "action", c->action);
    add_str(o, "url", c->url);
    add_str(o, "user_agent", c->user_agent);
    add_str(o, "kind", c->kind);
    add_str(o, "source_file", c->source_file);
    json_object_object_add(o, "source_line", json_object_new_int64(c->source_line));
    return o;
}

char *
payload_json(const struct notify_msg *m)
{
    json_object *o = json_object_new_object();
    add_str(o, "source", "akwatch");
    add_str(o, "type", m->test ? "test" : alert_type_name(m->type));
    json_object_object_add(o, "alert_id", json_object_new_int64(m->alert_id));
    add_time(o, "created_at", m->created_at);
    char *text = payload_text(m);
    add_str(o, "text", text);
    free(text);
    if (m->leak)
        json_object_object_add(o, "leak", leak_json(m));
    if (m->type == ALERT_TYPE_LEAK) {
        json_object_object_add(o, "reopened", json_object_new_boolean(m->reopened));
        if (m->loc)
            json_object_object_add(o, "location", location_json(m->loc));
    }
    if (m->type == ALERT_TYPE_CALL) {
        json_object_object_add(o, "call", call_json(m->call));
        json_object_object_add(o, "calls", json_object_new_int64(m->n_calls));
    }
    if (m->type == ALERT_TYPE_DIGEST) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < m->n_items && i < 100; i++) {
            const struct digest_item *it = &m->items[i];
            json_object *e = json_object_new_object();
            json_object_object_add(e, "alert_id", json_object_new_int64(it->alert_id));
            add_str(e, "type", alert_type_name(it->type));
            add_time(e, "created_at", it->created_at);
            add_str(e, "ak_id", it->ak_id);
            add_str(e, "secret_masked", it->secret_masked);
            add_str(e, "rule", it->rule);
            add_str(e, "where", it->where);
            json_object_array_add(arr, e);
        }
        json_object_object_add(o, "count", json_object_new_int64((int64_t)m->n_items));
        json_object_object_add(o, "items", arr);
    }
    char *s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN
                                                            | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return s;
}

/* {"<type_key>": "text", "<wrap>": {"<text_key>": text}}: the robots' text messages. */
static void
text_message(json_object *o, const char *type_key, const char *wrap, const char *text_key,
             const char *text)
{
    json_object *t = json_object_new_object();
    json_object_object_add(t, text_key, json_str_new(text));
    json_object_object_add(o, type_key, json_str_new("text"));
    json_object_object_add(o, wrap, t);
}

char *
payload_webhook(const struct notify_msg *m, enum webhook_format f, const char *secret,
                time_t now)
{
    if (f == WEBHOOK_GENERIC)
        return payload_json(m);
    char *text = payload_text(m);
    json_object *o = json_object_new_object();
    if (f == WEBHOOK_SLACK) {
        json_object_object_add(o, "text", json_str_new(text));
    } else if (f == WEBHOOK_FEISHU) { /* Feishu / Lark custom bot */
        if (secret && *secret) {
            char ts[32];
            snprintf(ts, sizeof ts, "%lld", (long long)now);
            char *sign = robot_feishu_sign(secret, (long long)now);
            json_object_object_add(o, "timestamp", json_str_new(ts));
            json_object_object_add(o, "sign", json_str_new(sign));
            free(sign);
        }
        text_message(o, "msg_type", "content", "text", text);
    } else { /* DingTalk custom robot and WeCom group robot: the same text message */
        text_message(o, "msgtype", "text", "content", text);
    }
    char *s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN
                                                            | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    free(text);
    return s;
}

static void
env_add(char ***env, size_t *n, const char *k, const char *v)
{
    if (!v)
        return;
    *env = xrealloc(*env, (*n + 2) * sizeof **env);
    (*env)[(*n)++] = xasprintf("AKWATCH_%s=%s", k, v);
    (*env)[*n] = NULL;
}

char **
payload_env(const struct notify_msg *m)
{
    char **env = xcalloc(1, sizeof *env), num[32], when[32];
    size_t n = 0;
    snprintf(num, sizeof num, "%lld", (long long)m->alert_id);
    env_add(&env, &n, "ALERT_ID", num);
    env_add(&env, &n, "ALERT_TYPE", m->test ? "test" : alert_type_name(m->type));
    char *text = payload_text(m);
    env_add(&env, &n, "TEXT", text);
    free(text);
    if (m->leak) {
        const struct leak *l = m->leak;
        snprintf(num, sizeof num, "%lld", (long long)m->leak_id);
        env_add(&env, &n, "LEAK_ID", num);
        env_add(&env, &n, "RULE", l->rule);
        env_add(&env, &n, "KIND", l->kind);
        env_add(&env, &n, "SEVERITY", severity_name(l->severity));
        env_add(&env, &n, "CONFIDENCE", confidence_name(l->confidence));
        env_add(&env, &n, "AK_ID", l->ak_id);
        env_add(&env, &n, "SECRET_MASKED", l->secret_masked);
        env_add(&env, &n, "OWNED", l->owned ? "1" : "0");
        akw_time_iso(l->first_seen, when);
        env_add(&env, &n, "FIRST_SEEN", when);
    }
    if (m->loc) {
        env_add(&env, &n, "REPO", m->loc->repo);
        env_add(&env, &n, "PATH", m->loc->path);
        snprintf(num, sizeof num, "%ld", m->loc->line);
        env_add(&env, &n, "LINE", num);
        env_add(&env, &n, "URL", m->loc->url);
    }
    if (m->type == ALERT_TYPE_CALL) {
        snprintf(num, sizeof num, "%lld", (long long)m->call->id);
        env_add(&env, &n, "CALL_ID", num);
        akw_time_iso(m->call->at, when);
        env_add(&env, &n, "CALL_TIME", when);
        env_add(&env, &n, "SOURCE_IP", m->call->source_ip);
        env_add(&env, &n, "ACTION", m->call->action);
        env_add(&env, &n, "USER_AGENT", m->call->user_agent);
        snprintf(num, sizeof num, "%ld", m->n_calls);
        env_add(&env, &n, "CALLS", num);
    }
    if (m->type == ALERT_TYPE_DIGEST) {
        snprintf(num, sizeof num, "%zu", m->n_items);
        env_add(&env, &n, "DIGEST_COUNT", num);
    }
    return env;
}

void
payload_env_free(char **env)
{
    for (char **p = env; p && *p; p++)
        free(*p);
    free(env);
}
