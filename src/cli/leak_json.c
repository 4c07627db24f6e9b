/* leak_json — a leak with its locations as json-c objects, exactly the fields of DESIGN's
 * `list --format json` contract (plus description, note and column); times ISO 8601 UTC.
 */
#include "config.h"
#include "cli/cli_int.h"

#include <json-c/json.h>

static json_object *
jstr(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *
jtime(time_t t)
{
    return t ? json_object_new_string(cli_time(t)) : NULL;
}

static json_object *
location_json(const struct location *loc)
{
    json_object *j = json_object_new_object();
    json_object_object_add(j, "platform", jstr(loc->platform));
    json_object_object_add(j, "repo", jstr(loc->repo));
    json_object_object_add(j, "path", jstr(loc->path));
    json_object_object_add(j, "line", json_object_new_int64(loc->line));
    json_object_object_add(j, "column", json_object_new_int64(loc->column));
    json_object_object_add(j, "commit", jstr(loc->commit));
    json_object_object_add(j, "url", jstr(loc->url));
    json_object_object_add(j, "author", jstr(loc->author));
    json_object_object_add(j, "committed_at", jtime(loc->committed_at));
    json_object_object_add(j, "found_at", jtime(loc->found_at));
    json_object_object_add(j, "snippet", jstr(loc->snippet));
    return j;
}

json_object *
cli_leak_json(struct store *st, const struct leak *l, struct akw_err *err)
{
    struct location *locs = NULL;
    size_t n = 0;
    if (store_locations_get(st, l->id, &locs, &n, err) != AKW_OK)
        return NULL;
    json_object *j = json_object_new_object();
    const char *handled = handled_as_name(l->handled_as);
    json_object_object_add(j, "id", json_object_new_int64(l->id));
    json_object_object_add(j, "fingerprint", jstr(l->fingerprint));
    json_object_object_add(j, "rule", jstr(l->rule));
    json_object_object_add(j, "kind", jstr(l->kind));
    json_object_object_add(j, "description", jstr(l->description));
    json_object_object_add(j, "ak_id", jstr(l->ak_id));
    json_object_object_add(j, "secret_masked", jstr(l->secret_masked));
    json_object_object_add(j, "severity", jstr(severity_name(l->severity)));
    json_object_object_add(j, "status", jstr(leak_status_name(l->status)));
    json_object_object_add(j, "handled_as", handled && *handled ? jstr(handled) : NULL);
    json_object_object_add(j, "note", jstr(l->note));
    json_object_object_add(j, "owned", json_object_new_boolean(l->owned));
    json_object_object_add(j, "verified", jstr(l->verified));
    json_object_object_add(j, "verified_at", jtime(l->verified_at));
    json_object_object_add(j, "verification",
                           jstr(l->verified_identity ? l->verified_identity : l->verify_error));
    json_object_object_add(j, "first_seen", jtime(l->first_seen));
    json_object_object_add(j, "last_seen", jtime(l->last_seen));
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        json_object_array_add(arr, location_json(&locs[i]));
    json_object_object_add(j, "locations", arr);
    store_locations_free(locs, n);
    return j;
}

void
cli_json_line(FILE *f, json_object *j)
{
    fprintf(f, "%s\n",
            json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}
