/* alibaba — check an Alibaba Cloud AccessKey pair with one read-only ECS DescribeRegions
 * call, signed per the RPC signature method (HMAC-SHA1); only the ID and the signature
 * leave the machine. Classifies the answer by the provider's error Code.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/rand.h>

#include "github/provider_http.h"
#include "verify/sign.h"
#include "verify/verify_int.h"

// clang-format off
/* Error codes from Alibaba Cloud's API error center. A Forbidden answer means the pair
 * authenticated but lacks the permission: the key works. */
static const struct verify_code codes[] = {
    {"InvalidAccessKeyId.NotFound", VERIFY_INVALID},
    {"InvalidAccessKeyId.Inactive", VERIFY_INVALID}, /* disabled in the console */
    {"InvalidAccessKeyId",          VERIFY_INVALID},
    {"SignatureDoesNotMatch",       VERIFY_INVALID}, /* right ID, wrong secret */
    {"InvalidTimeStamp.Expired",    VERIFY_UNKNOWN}, /* our clock is off: says nothing */
    {"Forbidden.RAM",               VERIFY_LIVE},
    {"Forbidden",                   VERIFY_LIVE},
    {"NoPermission",                VERIFY_LIVE},
};
// clang-format on

static void
nonce_hex(char out[33])
{
    unsigned char r[16];

    if (RAND_bytes(r, sizeof r) != 1)
        abort(); /* no randomness: nothing sane left to do */
    hex_encode(r, sizeof r, out);
}

static char *
signed_url(const char *endpoint, const char *ak_id, const char *secret)
{
    char ts[32], nonce[33], *query, *sig, *url;
    struct buf b;

    akw_time_iso(akw_now(), ts);
    nonce_hex(nonce);
    struct sign_param p[] = {
        {"Action", "DescribeRegions"},   {"Format", "JSON"},
        {"Version", "2014-05-26"},       {"AccessKeyId", ak_id},
        {"SignatureMethod", "HMAC-SHA1"}, {"SignatureVersion", "1.0"},
        {"SignatureNonce", nonce},       {"Timestamp", ts},
    };
    size_t n = sizeof p / sizeof p[0];

    query = sign_alibaba_canonical_query(p, n);
    sig = sign_alibaba("GET", p, n, secret);
    url = verify_url_join(endpoint, "/?");
    buf_init(&b);
    buf_printf(&b, "%s%s&Signature=", url, query);
    sign_percent_encode(&b, sig);
    free(url);
    free(query);
    free(sig);
    return buf_steal(&b);
}

/* "21 regions: cn-qingdao cn-beijing …" into identity. */
static void
regions_identity(json_object *root, char *out, size_t size)
{
    json_object *regions = NULL, *list = NULL;
    size_t n, used;

    if (!json_object_object_get_ex(root, "Regions", &regions) ||
        !json_object_object_get_ex(regions, "Region", &list) ||
        !json_object_is_type(list, json_type_array)) {
        snprintf(out, size, "%s", "DescribeRegions OK");
        return;
    }
    n = json_object_array_length(list);
    used = (size_t)snprintf(out, size, "%zu regions:", n);
    for (size_t i = 0; i < n && used + 1 < size; i++) {
        json_object *id = NULL;
        if (json_object_object_get_ex(json_object_array_get_idx(list, i), "RegionId", &id))
            used += (size_t)snprintf(out + used, size - used, " %s", json_object_get_string(id));
    }
}

static void
classify(const struct provider_http_resp *r, struct verify_outcome *out)
{
    json_object *root = json_tokener_parse(r->body.data ? r->body.data : "");
    const char *code = verify_json_str(root, "Code"), *msg = verify_json_str(root, "Message");

    if (r->status == 200 && root && !code) {
        verify_outcome_set(out, VERIFY_LIVE, "%s", "");
        regions_identity(root, out->identity, sizeof out->identity);
    } else {
        verify_outcome_from_code(out, codes, sizeof codes / sizeof codes[0], code, msg,
                                 r->status, "DescribeRegions");
    }
    if (root)
        json_object_put(root);
}

void
verify_alibaba_check(const struct verify_config *c, const char *ak_id, const char *secret,
                     struct verify_outcome *out)
{
    char *url = signed_url(c->alibaba_endpoint, ak_id, secret);
    static const char *const hdrs[] = {"Accept: application/json", NULL};
    struct provider_http_req req = {.method = "GET", .url = url, .headers = hdrs,
                                    .timeout_s = c->timeout_s};

    verify_send(&req, classify, out);
    free(url);
}
