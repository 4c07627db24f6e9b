/* sign_tc3 — Tencent Cloud API 3.0 signature TC3-HMAC-SHA256: canonical request (always
 * signing content-type and host), string to sign, the derived key ("TC3"+secret → date →
 * service → "tc3_request") and the Authorization header value. Sends nothing; tencent.c does.
 */
#include "config.h"
#include "verify/sign.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

/* Canonical header values are lower-case (and trimmed: callers pass trimmed values). */
static char *
lower_dup(const char *s)
{
    char *d = xstrdup(s);

    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

enum akw_status
sign_tc3(const struct tc3_request *req, struct tc3_result *out, struct akw_err *err)
{
    char payload_hash[65], creq_hash[65];
    unsigned char k[32];
    struct tm tm;
    time_t ts = (time_t)req->timestamp;

    memset(out, 0, sizeof *out);
    if (!req->host || !req->content_type || !req->service || !req->secret_id || !req->secret_key ||
        req->timestamp < 0 || !gmtime_r(&ts, &tm))
        return akw_err_set(err, AKW_ERR_USAGE, "%s", "tc3: incomplete request");
    strftime(out->date, sizeof out->date, "%Y-%m-%d", &tm);
    sign_sha256_hex(req->payload ? req->payload : "", req->payload_len, payload_hash);
    char *ctype = lower_dup(req->content_type), *host = lower_dup(req->host);
    out->canonical_request = xasprintf("POST\n/\n\ncontent-type:%s\nhost:%s\n\n"
                                       "content-type;host\n%s",
                                       ctype, host, payload_hash);
    free(ctype);
    free(host);
    sign_sha256_hex(out->canonical_request, strlen(out->canonical_request), creq_hash);
    out->string_to_sign = xasprintf("TC3-HMAC-SHA256\n%lld\n%s/%s/tc3_request\n%s", req->timestamp,
                                    out->date, req->service, creq_hash);

    char *key = xasprintf("TC3%s", req->secret_key);
    sign_hmac_sha256(key, strlen(key), out->date, strlen(out->date), k);
    OPENSSL_cleanse(key, strlen(key));
    free(key);
    sign_hmac_sha256(k, sizeof k, req->service, strlen(req->service), k);
    sign_hmac_sha256(k, sizeof k, "tc3_request", strlen("tc3_request"), k);
    unsigned char sig[32];
    sign_hmac_sha256(k, sizeof k, out->string_to_sign, strlen(out->string_to_sign), sig);
    OPENSSL_cleanse(k, sizeof k);
    hex_encode(sig, sizeof sig, out->signature);
    out->authorization = xasprintf("TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, "
                                   "SignedHeaders=content-type;host, Signature=%s",
                                   req->secret_id, out->date, req->service, out->signature);
    return AKW_OK;
}

void
tc3_result_done(struct tc3_result *r)
{
    free(r->canonical_request);
    free(r->string_to_sign);
    free(r->authorization);
    memset(r, 0, sizeof *r);
}
