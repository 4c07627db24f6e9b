/* tencent — check a Tencent Cloud SecretId/SecretKey pair with one STS GetCallerIdentity
 * call (API 3.0, needs no permission), signed TC3-HMAC-SHA256; only the SecretId and the
 * signature leave the machine. Tencent answers HTTP 200 for errors too: the verdict comes
 * from Response.Error.Code, or Response.Arn when the key worked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "github/provider_http.h"
#include "verify/sign.h"
#include "verify/verify_int.h"

#define TC3_CTYPE "application/json; charset=utf-8"
#define TC3_BODY  "{}"

// clang-format off
/* Error codes of Tencent Cloud API 3.0 (common errors). An UnauthorizedOperation means the
 * pair authenticated and CAM then said no: the key works. */
static const struct verify_code codes[] = {
    {"AuthFailure.SecretIdNotFound",       VERIFY_INVALID}, /* unknown or deleted SecretId */
    {"AuthFailure.SignatureFailure",       VERIFY_INVALID}, /* right SecretId, wrong key */
    {"AuthFailure.InvalidSecretId",        VERIFY_INVALID}, /* not a SecretId at all */
    {"AuthFailure.SignatureExpire",        VERIFY_UNKNOWN}, /* our clock is off: says nothing */
    {"AuthFailure.UnauthorizedOperation",  VERIFY_LIVE},
    {"UnauthorizedOperation",              VERIFY_LIVE},
};
// clang-format on

static void
classify(const struct provider_http_resp *r, struct verify_outcome *out)
{
    json_object *root = json_tokener_parse(r->body.data ? r->body.data : "");
    json_object *resp = NULL, *error = NULL;

    if (root)
        json_object_object_get_ex(root, "Response", &resp);
    if (resp)
        json_object_object_get_ex(resp, "Error", &error);
    const char *code = verify_json_str(error, "Code"), *msg = verify_json_str(error, "Message");
    const char *arn = verify_json_str(resp, "Arn"), *account = verify_json_str(resp, "AccountId");

    if (r->status == 200 && !error && arn && *arn) {
        verify_outcome_set(out, VERIFY_LIVE, "%s", "");
        snprintf(out->identity, sizeof out->identity, "%.180s (account %.40s)", arn,
                 account ? account : "?");
    } else {
        verify_outcome_from_code(out, codes, sizeof codes / sizeof codes[0], code, msg, r->status,
                                 "GetCallerIdentity");
    }
    if (root)
        json_object_put(root);
}

void
verify_tencent_check(const struct verify_config *c, const char *secret_id, const char *secret_key,
                     struct verify_outcome *out)
{
    char *url = verify_url_join(c->tencent_sts_endpoint, "/"), *host = verify_url_authority(url);
    struct tc3_result sig;

    if (!host) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "%s", "tencent_sts_endpoint is not a URL");
        free(url);
        return;
    }
    long long now = (long long)akw_now();
    struct tc3_request sreq = {.host = host,
                               .content_type = TC3_CTYPE,
                               .payload = TC3_BODY,
                               .payload_len = strlen(TC3_BODY),
                               .timestamp = now,
                               .service = "sts",
                               .secret_id = secret_id,
                               .secret_key = secret_key};
    sign_tc3(&sreq, &sig, NULL);
    /* Host is sent explicitly so the signed value and the header on the wire agree. */
    char *h_host = xasprintf("Host: %s", host), *h_ts = xasprintf("X-TC-Timestamp: %lld", now);
    char *h_auth = xasprintf("Authorization: %s", sig.authorization);
    const char *hdrs[] = {"Content-Type: " TC3_CTYPE,
                          h_host,
                          h_auth,
                          h_ts,
                          "X-TC-Action: GetCallerIdentity",
                          "X-TC-Version: 2018-08-13",
                          "X-TC-Region: ap-guangzhou",
                          NULL};
    struct provider_http_req req = {.method = "POST",
                                    .url = url,
                                    .headers = hdrs,
                                    .body = TC3_BODY,
                                    .body_len = strlen(TC3_BODY),
                                    .timeout_s = c->timeout_s};
    verify_send(&req, classify, out);
    tc3_result_done(&sig);
    free(h_host);
    free(h_ts);
    free(h_auth);
    free(host);
    free(url);
}
