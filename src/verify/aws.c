/* aws — check an AWS key pair with one STS GetCallerIdentity call (needs no permission),
 * signed with Signature Version 4; only the key ID and the signature leave the machine.
 * Reads the Arn/Account of the XML answer or the Code of an ErrorResponse.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "github/provider_http.h"
#include "verify/sign.h"
#include "verify/verify_int.h"

#define STS_BODY "Action=GetCallerIdentity&Version=2011-06-15"
#define STS_CTYPE "application/x-www-form-urlencoded; charset=utf-8"

// clang-format off
static const struct verify_code codes[] = {
    {"InvalidClientTokenId",  VERIFY_INVALID}, /* unknown or deleted key ID */
    {"SignatureDoesNotMatch", VERIFY_INVALID}, /* right ID, wrong secret */
    {"ExpiredToken",          VERIFY_INVALID},
    {"AccessDenied",          VERIFY_LIVE},    /* authenticated, then denied by a policy */
};
// clang-format on

/* Text of the first <tag>…</tag> in xml, into out ("" when absent). STS answers are flat
 * and entity-free in the fields read here, so no XML library is needed. */
static void
xml_text(const char *xml, const char *tag, char *out, size_t size)
{
    char open[64], close[64];
    const char *a, *b;

    out[0] = '\0';
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    if (!xml || !(a = strstr(xml, open)))
        return;
    a += strlen(open);
    if (!(b = strstr(a, close)))
        return;
    snprintf(out, size, "%.*s", (int)(b - a), a);
}

/* us-east-1 for the global endpoint (and loopback); REGION for sts.REGION.amazonaws.com. */
static void
region_of(const char *authority, char *out, size_t size)
{
    const char *p;

    snprintf(out, size, "us-east-1");
    if (strncmp(authority, "sts.", 4) != 0 || !(p = strstr(authority, ".amazonaws.com")))
        return;
    if (p > authority + 4)
        snprintf(out, size, "%.*s", (int)(p - authority - 4), authority + 4);
}

static void
classify(const struct provider_http_resp *r, struct verify_outcome *out)
{
    char arn[200], account[32], code[64], msg[160];

    xml_text(r->body.data, "Arn", arn, sizeof arn);
    xml_text(r->body.data, "Account", account, sizeof account);
    xml_text(r->body.data, "Code", code, sizeof code);
    xml_text(r->body.data, "Message", msg, sizeof msg);
    if (r->status == 200 && *arn) {
        verify_outcome_set(out, VERIFY_LIVE, "%s", "");
        snprintf(out->identity, sizeof out->identity, "%s (account %s)", arn, account);
        return;
    }
    if (!*code) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "HTTP %ld: %s", r->status,
                           "unexpected answer from the provider");
        return;
    }
    /* A clock more than 15 minutes off is also "SignatureDoesNotMatch", with this message:
     * it says nothing about the key. */
    if (strstr(msg, "Signature expired") || strstr(msg, "Signature not yet current")) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "%s (HTTP %ld): %s", code, r->status, msg);
        return;
    }
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (strcmp(code, codes[i].code) == 0) {
            verify_outcome_set(out, codes[i].state, "%s (HTTP %ld)", code, r->status);
            if (codes[i].state == VERIFY_LIVE)
                snprintf(out->identity, sizeof out->identity, "%s", msg);
            return;
        }
    }
    verify_outcome_set(out, VERIFY_UNKNOWN, "%s (HTTP %ld): %s", code, r->status, msg);
}

void
verify_aws_check(const struct verify_config *c, const char *ak_id, const char *secret,
                 struct verify_outcome *out)
{
    char *url = verify_url_join(c->aws_sts_endpoint, "/"), *host = verify_url_authority(url);
    char amz_date[20], region[48], *h_host, *h_date, *h_auth;
    time_t now = akw_now();
    struct tm tm;
    struct sigv4_result sig;

    if (!host) {
        verify_outcome_set(out, VERIFY_UNKNOWN, "%s", "aws_sts_endpoint is not a URL");
        free(url);
        return;
    }
    gmtime_r(&now, &tm);
    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    region_of(host, region, sizeof region);
    struct sign_param sh[] = {{"Content-Type", STS_CTYPE}, {"Host", host},
                              {"X-Amz-Date", amz_date}};
    struct sigv4_request sreq = {.method = "POST", .path = "/", .query = "", .headers = sh,
                                 .n_headers = 3, .payload = STS_BODY,
                                 .payload_len = strlen(STS_BODY), .amz_date = amz_date,
                                 .region = region, .service = "sts", .access_key_id = ak_id,
                                 .secret = secret};
    sign_sigv4(&sreq, &sig, NULL);
    /* Host is sent explicitly so the signed value and the header on the wire agree. */
    h_host = xasprintf("Host: %s", host);
    h_date = xasprintf("X-Amz-Date: %s", amz_date);
    h_auth = xasprintf("Authorization: %s", sig.authorization);
    const char *hdrs[] = {"Content-Type: " STS_CTYPE, h_host, h_date, h_auth,
                          "Accept: text/xml", NULL};
    struct provider_http_req req = {.method = "POST", .url = url, .headers = hdrs,
                                    .body = STS_BODY, .body_len = strlen(STS_BODY),
                                    .timeout_s = c->timeout_s};
    verify_send(&req, classify, out);
    sigv4_result_done(&sig);
    free(h_host);
    free(h_date);
    free(h_auth);
    free(host);
    free(url);
}
