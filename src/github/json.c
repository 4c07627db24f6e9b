/* json — json-c helpers shared by the endpoint files: parse a response body with a clear
 * error for truncated or malformed JSON, and lenient typed getters. */
#include "config.h"
#include "github/ghjson.h"

#include <stdlib.h>
#include <string.h>

enum akw_status
ghj_parse(const struct gh_response *r, json_type want, const char *what, json_object **out,
          struct akw_err *err)
{
    json_tokener *tok = json_tokener_new();
    json_object *j = NULL;
    if (r->body.len)
        j = json_tokener_parse_ex(tok, r->body.data, (int)r->body.len);
    enum json_tokener_error je = json_tokener_get_error(tok);
    json_tokener_free(tok);
    if (!j || je != json_tokener_success) {
        json_object_put(j);
        return akw_err_set(err, AKW_ERR_PARSE,
                           _("%s: the response is not complete JSON (%s, %zu bytes)"), what,
                           je == json_tokener_continue ? _("truncated") : _("malformed"),
                           r->body.len);
    }
    if (!json_object_is_type(j, want)) {
        json_object_put(j);
        return akw_err_set(err, AKW_ERR_PARSE, _("%s: unexpected JSON (want %s)"), what,
                           json_type_to_name(want));
    }
    *out = j;
    return AKW_OK;
}

json_object *
ghj_get(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

json_object *
ghj_path(json_object *o, const char *a, const char *b)
{
    return ghj_get(ghj_get(o, a), b);
}

const char *
ghj_str(json_object *o, const char *key)
{
    json_object *v = ghj_get(o, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

char *
ghj_dup(json_object *o, const char *key)
{
    return xstrdup(ghj_str(o, key));
}

long
ghj_long(json_object *o, const char *key, long def)
{
    json_object *v = ghj_get(o, key);
    if (!v || json_object_is_type(v, json_type_null))
        return def;
    return (long)json_object_get_int64(v);
}

int
ghj_bool(json_object *o, const char *key)
{
    json_object *v = ghj_get(o, key);
    return v && json_object_get_boolean(v);
}
