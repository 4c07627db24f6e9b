/* ghjson — private json-c helpers for the endpoint files of src/github/ (not for other
 * layers). Getters return borrowed values or defaults; dup getters return malloc'd copies. */
#ifndef AKW_GHJSON_H
#define AKW_GHJSON_H

#include <json-c/json.h>

#include "github/github.h"

/* Parse resp body; AKW_ERR_PARSE naming what when not JSON of the wanted type. */
enum akw_status ghj_parse(const struct gh_response *r, json_type want, const char *what,
                          json_object **out, struct akw_err *err);
json_object *ghj_get(json_object *o, const char *key);   /* NULL when absent */
json_object *ghj_path(json_object *o, const char *a, const char *b); /* o.a.b */
const char *ghj_str(json_object *o, const char *key);    /* NULL unless a string */
char *ghj_dup(json_object *o, const char *key);          /* strdup of ghj_str or NULL */
long ghj_long(json_object *o, const char *key, long def);
int ghj_bool(json_object *o, const char *key);

#endif
