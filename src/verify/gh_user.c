/* gh_user — check a GitHub token with GET /user on the configured API root: 200 is live
 * (identity = the login), 401 invalid; throttling and anything else unknown. The token goes
 * only to that API, in the Authorization header, which is wiped after the request.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "github/provider_http.h"
#include "verify/verify_int.h"

static void
classify(const struct provider_http_resp *r, struct verify_outcome *out)
{
    json_object *root = json_tokener_parse(r->body.data ? r->body.data : "");
    json_object *v = NULL;

    if (r->status == 200 && root && json_object_object_get_ex(root, "login", &v)) {
        verify_outcome_set(out, VERIFY_LIVE, "%s", "");
        snprintf(out->identity, sizeof out->identity, "%s", json_object_get_string(v));
        if (json_object_object_get_ex(root, "type", &v))
            snprintf(out->identity + strlen(out->identity),
                     sizeof out->identity - strlen(out->identity), " (%s)",
                     json_object_get_string(v));
        /* Classic tokens list what they may do; fine-grained ones send no such header. */
        if (r->captured)
            snprintf(out->identity + strlen(out->identity),
                     sizeof out->identity - strlen(out->identity), ", scopes: %s",
                     *r->captured ? r->captured : "none");
    } else if (r->status == 401) {
        verify_outcome_set(out, VERIFY_INVALID, "HTTP 401 Bad credentials");
    } else {
        const char *msg = root && json_object_object_get_ex(root, "message", &v)
                              ? json_object_get_string(v)
                              : "unexpected answer from the provider";
        verify_outcome_set(out, VERIFY_UNKNOWN, "HTTP %ld: %.200s", r->status, msg);
    }
    if (root)
        json_object_put(root);
}

void
verify_github_check(const struct verify_config *c, const char *token,
                    struct verify_outcome *out)
{
    char *url = verify_url_join(c->github_api, "/user");
    struct buf auth;

    buf_init(&auth);
    buf_printf(&auth, "Authorization: Bearer %s", token);
    const char *hdrs[] = {auth.data, "Accept: application/vnd.github+json",
                          "X-GitHub-Api-Version: 2022-11-28", NULL};
    struct provider_http_req req = {.method = "GET", .url = url, .headers = hdrs,
                                    .timeout_s = c->timeout_s,
                                    .capture_header = "X-OAuth-Scopes"};
    verify_send(&req, classify, out);
    buf_wipe(&auth);
    free(url);
}
