/* leak_json — a leak with its locations as json-c objects, exactly the fields of DESIGN's
 * `list --format json` contract (plus description, note and column); times ISO 8601 UTC.
 */
#include "config.h"
#include "cli/cli_int.h"

#include <json-c/json.h>

static json_object *
jtime(time_t t)
{
    return t ? json_str_new(cli_time(t)) : NULL;
}

static json_object *
location_json(const struct location *loc)
{
    json_object *j = json_object_new_object();
    json_object_object_add(j, "platform", json_str_new(loc->platform));
    json_object_object_add(j, "repo", json_str_new(loc->repo));
    json_object_object_add(j, "path", json_str_new(loc->path));
    json_object_object_add(j, "line", json_object_new_int64(loc->line));
    json_object_object_add(j, "column", json_object_new_int64(loc->column));
    json_object_object_add(j, "commit", json_str_new(loc->commit));
    json_object_object_add(j, "url", json_str_new(loc->url));
    json_object_object_add(j, "author", json_str_new(loc->author));
    json_object_object_add(j, "committed_at", jtime(loc->committed_at));
    json_object_object_add(j, "found_at", jtime(loc->found_at));
    json_object_object_add(j, "snippet", json_str_new(loc->snippet));
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
    json_object_object_add(j, "fingerprint", json_str_new(l->fingerprint));
    json_object_object_add(j, "rule", json_str_new(l->rule));
    json_object_object_add(j, "kind", json_str_new(l->kind));
    json_object_object_add(j, "description", json_str_new(l->description));
    json_object_object_add(j, "ak_id", json_str_new(l->ak_id));
    json_object_object_add(j, "secret_masked", json_str_new(l->secret_masked));
    json_object_object_add(j, "severity", json_str_new(severity_name(l->severity)));
    json_object_object_add(j, "confidence", json_str_new(confidence_name(l->confidence)));
    json_object_object_add(j, "status", json_str_new(leak_status_name(l->status)));
    json_object_object_add(j, "handled_as", handled && *handled ? json_str_new(handled) : NULL);
    json_object_object_add(j, "note", json_str_new(l->note));
    json_object_object_add(j, "owned", json_object_new_boolean(l->owned));
    json_object_object_add(j, "verified", json_str_new(l->verified));
    json_object_object_add(j, "verified_at", jtime(l->verified_at));
    const char *verification = l->verified_identity ? l->verified_identity : l->verify_error;
    json_object_object_add(j, "verification", json_str_new(verification));
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
