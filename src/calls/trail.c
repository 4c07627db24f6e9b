/* trail — Alibaba Cloud ActionTrail and AWS CloudTrail events (json-c): the fields a
 * suspicious call keeps, and a streaming splitter for {"Records":[...]} documents so a large
 * file never sits in memory whole. It does not decide what is suspicious.
 */
#include "config.h"
#include "calls/calls_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

struct trail_parser {
    json_tokener *tok;
    json_object *obj;   /* the last parsed event; ev strings point into it */
    json_object *inner; /* an event nested as a JSON string (SLS exports), or NULL */
    char action[256];
};

struct trail_parser *
trail_parser_new(void)
{
    struct trail_parser *tp = xcalloc(1, sizeof *tp);
    tp->tok = json_tokener_new_ex(64);
    return tp;
}

void
trail_parser_free(struct trail_parser *tp)
{
    if (!tp)
        return;
    json_object_put(tp->obj);
    json_object_put(tp->inner);
    json_tokener_free(tp->tok);
    free(tp);
}

/* A string member (first of the names that exists), or NULL. */
static const char *
str_of(json_object *o, const char *a, const char *b)
{
    json_object *v;
    if ((json_object_object_get_ex(o, a, &v) || (b && json_object_object_get_ex(o, b, &v)))
        && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int
trail_parse(struct trail_parser *tp, const char *s, size_t n, struct calls_event *ev,
            const char **why)
{
    memset(ev, 0, sizeof *ev);
    json_object_put(tp->obj);
    json_object_put(tp->inner);
    tp->inner = NULL;
    json_tokener_reset(tp->tok);
    tp->obj = json_tokener_parse_ex(tp->tok, s, (int)n);
    enum json_tokener_error e = json_tokener_get_error(tp->tok);
    if (!tp->obj || e != json_tokener_success) {
        json_object_put(tp->obj);
        tp->obj = NULL;
        *why = e == json_tokener_continue ? N_("truncated JSON") : N_("invalid JSON");
        return -1;
    }
    size_t end = json_tokener_get_parse_end(tp->tok);
    while (end < n && strchr(" \t\r\n", s[end]))
        end++;
    if (end < n) {
        *why = N_("trailing data after the JSON event");
        return -1;
    }
    json_object *o = tp->obj, *nested;
    if (!json_object_is_type(o, json_type_object)) {
        *why = N_("event is not a JSON object");
        return -1;
    }
    /* ActionTrail delivered to Log Service (SLS) and exported: {"__topic__": ...,
     * "event": "{...the event as a JSON string...}"} or with "event" as an object. */
    if (!json_object_object_get_ex(o, "eventTime", NULL)
        && json_object_object_get_ex(o, "event", &nested)) {
        if (json_object_is_type(nested, json_type_string))
            nested = tp->inner = json_tokener_parse(json_object_get_string(nested));
        if (!nested || !json_object_is_type(nested, json_type_object)) {
            *why = N_("invalid JSON in the event field");
            return -1;
        }
        o = nested;
    }
    const char *when = str_of(o, "eventTime", NULL);
    const char *name = str_of(o, "eventName", NULL);
    if (!when) {
        *why = N_("missing eventTime");
        return -1;
    }
    if (akw_time_parse(when, &ev->at) != 0) {
        *why = N_("bad eventTime");
        return -1;
    }
    if (!name) {
        *why = N_("missing eventName");
        return -1;
    }
    const char *source = str_of(o, "eventSource", NULL);
    int aws = (source && ends_with(source, ".amazonaws.com"))
              || json_object_object_get_ex(o, "awsRegion", NULL)
              || json_object_object_get_ex(o, "sourceIPAddress", NULL);
    ev->kind = aws ? "cloudtrail" : "actiontrail";
    json_object *uid;
    if (json_object_object_get_ex(o, "userIdentity", &uid)
        && json_object_is_type(uid, json_type_object))
        ev->ak_id = str_of(uid, "accessKeyId", "AccessKeyId");
    if (ev->ak_id && !*ev->ak_id)
        ev->ak_id = NULL;
    ev->source_ip = str_of(o, "sourceIPAddress", "sourceIpAddress");
    ev->user_agent = str_of(o, "userAgent", NULL);
    ev->event_id = str_of(o, "eventID", "eventId");
    if (aws) {
        /* "sts.amazonaws.com" + "GetCallerIdentity" -> "sts:GetCallerIdentity" (IAM style) */
        size_t svc = source ? strcspn(source, ".") : 0;
        snprintf(tp->action, sizeof tp->action, "%.*s%s%s", (int)svc, source ? source : "",
                 svc ? ":" : "", name);
    } else {
        const char *svc = str_of(o, "serviceName", NULL);
        if (!svc)
            svc = source;
        snprintf(tp->action, sizeof tp->action, "%s%s%s", svc ? svc : "", svc ? ":" : "", name);
    }
    ev->action = tp->action;
    return 0;
}

/* ---- the {"Records":[...]} splitter ----------------------------------- */

#define ELEM_MAX (8u << 20)

enum sp_state { SP_PRE, SP_ARRAY, SP_ELEM, SP_BIG, SP_SKIP, SP_POST };

struct records_splitter {
    records_elem_fn elem;
    records_bad_fn bad;
    void *user;
    enum sp_state state;
    int depth, in_str, esc;
    long line, elem_line;
    struct buf buf;
};

struct records_splitter *
records_splitter_new(records_elem_fn elem, records_bad_fn bad, void *user)
{
    struct records_splitter *sp = xcalloc(1, sizeof *sp);
    sp->elem = elem;
    sp->bad = bad;
    sp->user = user;
    sp->line = 1;
    buf_init(&sp->buf);
    return sp;
}

void
records_splitter_free(struct records_splitter *sp)
{
    if (!sp)
        return;
    buf_done(&sp->buf);
    free(sp);
}

/* Track strings and nesting; returns 1 when the element (or skipped value) just closed. */
static int
track(struct records_splitter *sp, char c)
{
    if (sp->in_str) {
        if (sp->esc)
            sp->esc = 0;
        else if (c == '\\')
            sp->esc = 1;
        else if (c == '"')
            sp->in_str = 0;
        return 0;
    }
    if (c == '"')
        sp->in_str = 1;
    else if (c == '{' || c == '[')
        sp->depth++;
    else if (c == '}' || c == ']')
        return --sp->depth == 0;
    return 0;
}

/* Bytes that matter inside an element: string and nesting syntax, and newlines (counted). */
static const unsigned char special[256] = {
    ['"'] = 1, ['\\'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['\n'] = 1,
};

void
records_splitter_feed(struct records_splitter *sp, const char *p, size_t n)
{
    size_t start = 0; /* where the current element's bytes in p begin */
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        switch (sp->state) {
        case SP_PRE: /* up to the first '[' outside strings: the Records array */
            if (sp->in_str)
                track(sp, c);
            else if (c == '"')
                sp->in_str = 1;
            else if (c == '[')
                sp->state = SP_ARRAY;
            break;
        case SP_ARRAY:
            if (c == '{') {
                sp->state = SP_ELEM;
                sp->depth = 1;
                sp->in_str = sp->esc = 0;
                sp->elem_line = sp->line;
                buf_reset(&sp->buf);
                start = i;
            } else if (c == ']') {
                sp->state = SP_POST;
            } else if (!strchr(" \t\r\n,", c)) {
                sp->bad(sp->user, sp->line, N_("unexpected character in the Records array"));
                sp->state = SP_SKIP; /* skip this value, to the next ',' or ']' */
                sp->depth = 0;
                sp->in_str = sp->esc = 0;
                track(sp, c);
            }
            break;
        case SP_ELEM:
            /* Most bytes of an event are plain text: skip them without the state machine. */
            while (i + 1 < n && !special[(unsigned char)c])
                c = p[++i];
            if (track(sp, c)) {
                buf_append(&sp->buf, p + start, i + 1 - start);
                sp->elem(sp->user, sp->buf.data, sp->buf.len, sp->elem_line);
                buf_reset(&sp->buf);
                sp->state = SP_ARRAY;
            } else if (sp->buf.len + (i - start) > ELEM_MAX) {
                sp->bad(sp->user, sp->elem_line, N_("event larger than 8 MiB"));
                buf_reset(&sp->buf);
                sp->state = SP_BIG;
            }
            break;
        case SP_BIG: /* drop the rest of an oversized element */
            if (track(sp, c))
                sp->state = SP_ARRAY;
            break;
        case SP_SKIP:
            if (sp->depth == 0 && !sp->in_str && (c == ',' || c == ']'))
                sp->state = c == ']' ? SP_POST : SP_ARRAY;
            else
                track(sp, c);
            break;
        case SP_POST:
            break;
        }
        if (c == '\n')
            sp->line++;
    }
    if (sp->state == SP_ELEM)
        buf_append(&sp->buf, p + start, n - start);
}

void
records_splitter_finish(struct records_splitter *sp)
{
    if (sp->state == SP_ELEM || sp->state == SP_BIG)
        sp->bad(sp->user, sp->elem_line ? sp->elem_line : sp->line,
                N_("truncated JSON (the file ends inside an event)"));
    else if (sp->state == SP_ARRAY || sp->state == SP_PRE || sp->state == SP_SKIP)
        sp->bad(sp->user, sp->line, N_("truncated JSON (the Records array is not closed)"));
    buf_reset(&sp->buf);
    sp->state = SP_POST;
}
