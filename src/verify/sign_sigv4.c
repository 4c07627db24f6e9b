/* sign_sigv4 — AWS Signature Version 4: canonical request, string to sign, signing key
 * (kDate → kRegion → kService → kSigning) and the Authorization header value. Does not
 * choose headers or send anything; the verifier (aws.c) does.
 */
#include "config.h"
#include "verify/sign.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

struct hdr {
    char *name;  /* lower-case */
    char *value; /* trimmed, inner whitespace runs collapsed to one space */
};

static int
hdr_cmp(const void *a, const void *b)
{
    const struct hdr *x = a, *y = b;

    return strcmp(x->name, y->name);
}

static char *
lower_dup(const char *s)
{
    char *d = xstrdup(s);

    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

static char *
trim_collapse(const char *s)
{
    struct buf b;
    int space = 0;

    buf_init(&b);
    buf_puts(&b, "");
    while (*s == ' ' || *s == '\t')
        s++;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = 1;
            continue;
        }
        if (space && b.len)
            buf_putc(&b, ' ');
        space = 0;
        buf_putc(&b, *s);
    }
    return buf_steal(&b);
}

/* Appends the canonical headers block and fills *signed_out ("a;b;c"). */
static void
canonical_headers(const struct sigv4_request *req, struct buf *cr, char **signed_out)
{
    struct hdr *h = xcalloc(req->n_headers ? req->n_headers : 1, sizeof *h);
    struct buf sh;

    for (size_t i = 0; i < req->n_headers; i++) {
        h[i].name = lower_dup(req->headers[i].key);
        h[i].value = trim_collapse(req->headers[i].value ? req->headers[i].value : "");
    }
    qsort(h, req->n_headers, sizeof *h, hdr_cmp);
    buf_init(&sh);
    buf_puts(&sh, "");
    for (size_t i = 0; i < req->n_headers; i++) {
        buf_printf(cr, "%s:%s\n", h[i].name, h[i].value);
        buf_printf(&sh, "%s%s", i ? ";" : "", h[i].name);
        free(h[i].name);
        free(h[i].value);
    }
    free(h);
    *signed_out = buf_steal(&sh);
}

static int
amz_date_ok(const char *d)
{
    if (!d || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
        return 0;
    for (int i = 0; i < 15; i++)
        if (i != 8 && !isdigit((unsigned char)d[i]))
            return 0;
    return 1;
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
static void
signing_key(const struct sigv4_request *req, unsigned char k[32])
{
    struct buf seed;
    char date[9];
    unsigned char t[32];

    memcpy(date, req->amz_date, 8);
    date[8] = '\0';
    buf_init(&seed);
    buf_puts(&seed, "AWS4");
    buf_puts(&seed, req->secret);
    sign_hmac_sha256(seed.data, seed.len, date, 8, k);
    buf_wipe(&seed);
    /* Separate output buffers: HMAC's key and output must not alias. */
    sign_hmac_sha256(k, 32, req->region, strlen(req->region), t);
    sign_hmac_sha256(t, 32, req->service, strlen(req->service), k);
    sign_hmac_sha256(k, 32, "aws4_request", 12, t);
    memcpy(k, t, 32);
    OPENSSL_cleanse(t, sizeof t);
}

enum akw_status
sign_sigv4(const struct sigv4_request *req, struct sigv4_result *out, struct akw_err *err)
{
    struct buf cr, sts;
    char payload_hash[65], cr_hash[65], scope[128];
    unsigned char k[32], mac[32];

    memset(out, 0, sizeof *out);
    if (!req->method || !req->region || !req->service || !req->access_key_id || !req->secret)
        return akw_err_set(err, AKW_ERR_USAGE, "sigv4: missing method/region/service/key");
    if (!amz_date_ok(req->amz_date))
        return akw_err_set(err, AKW_ERR_USAGE, "sigv4: amz_date must be YYYYMMDDTHHMMSSZ");

    sign_sha256_hex(req->payload ? req->payload : "", req->payload_len, payload_hash);
    buf_init(&cr);
    buf_printf(&cr, "%s\n%s\n%s\n", req->method, req->path && *req->path ? req->path : "/",
               req->query ? req->query : "");
    canonical_headers(req, &cr, &out->signed_headers);
    buf_printf(&cr, "\n%s\n%s", out->signed_headers, payload_hash);
    sign_sha256_hex(cr.data, cr.len, cr_hash);
    out->canonical_request = buf_steal(&cr);

    snprintf(scope, sizeof scope, "%.8s/%s/%s/aws4_request", req->amz_date, req->region,
             req->service);
    buf_init(&sts);
    buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s\n%s", req->amz_date, scope, cr_hash);
    out->string_to_sign = buf_steal(&sts);

    signing_key(req, k);
    sign_hmac_sha256(k, sizeof k, out->string_to_sign, strlen(out->string_to_sign), mac);
    OPENSSL_cleanse(k, sizeof k);
    hex_encode(mac, sizeof mac, out->signature);
    out->authorization = xasprintf("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, "
                                   "Signature=%s",
                                   req->access_key_id, scope, out->signed_headers,
                                   out->signature);
    return AKW_OK;
}

void
sigv4_result_done(struct sigv4_result *r)
{
    if (!r)
        return;
    free(r->canonical_request);
    free(r->string_to_sign);
    free(r->signed_headers);
    free(r->authorization);
    memset(r, 0, sizeof *r);
}
