/* sign — request signatures for the providers' verification calls, on libcrypto: Alibaba
 * Cloud RPC signature (HMAC-SHA1, SignatureVersion 1.0), AWS Signature Version 4 and
 * Tencent Cloud TC3-HMAC-SHA256.
 * Pure functions over strings: no network, no clock, no randomness (callers pass the
 * timestamp and nonce), so the providers' published examples are exact test vectors.
 *
 *   sign.c          percent-encoding, SHA-256 hex, HMAC, base64, key wiping
 *   sign_alibaba.c  canonicalized query string, StringToSign, Signature
 *   sign_sigv4.c    canonical request, string to sign, signing key, Authorization header
 *   sign_tc3.c      the same for Tencent Cloud API 3.0 (POST, signing content-type and host)
 *
 * Private to src/verify/ (and its tests). Thread-safe: no shared state.
 */
#ifndef AKW_VERIFY_SIGN_H
#define AKW_VERIFY_SIGN_H

#include <stddef.h>

#include "util/util.h"

/* A name/value pair (query parameter or header). Borrowed strings. */
struct sign_param {
    const char *key, *value;
};

/* RFC 3986 percent-encoding as both providers use it: A-Z a-z 0-9 - _ . ~ stay, every
 * other byte becomes %XY (upper-case hex), so space is %20 and '*' is %2A. Appends to out. */
void sign_percent_encode(struct buf *out, const char *s);

/* Hex SHA-256 of data[0..len) into out (65 bytes). */
void sign_sha256_hex(const void *data, size_t len, char out[65]);

/* HMAC-SHA1 (20 bytes) and HMAC-SHA256 (32 bytes) of data with key, into out. */
void sign_hmac_sha1(const void *key, size_t key_len, const void *data, size_t len,
                    unsigned char out[20]);
void sign_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                      unsigned char out[32]);

/* Standard base64 (with padding) of data[0..len). Caller frees. */
char *sign_base64(const unsigned char *data, size_t len);

/* ---- Alibaba Cloud RPC, signature method HMAC-SHA1, version 1.0 ---------------------- */

/* The canonicalized query string: params sorted by name (byte order), each name and value
 * percent-encoded, joined as "k=v&k=v". Params must not include Signature. Caller frees. */
char *sign_alibaba_canonical_query(const struct sign_param *params, size_t n);

/* StringToSign = METHOD "&" "%2F" "&" percentEncode(canonicalized query). Caller frees. */
char *sign_alibaba_string_to_sign(const char *method, const struct sign_param *params, size_t n);

/* Signature = Base64(HMAC-SHA1(key = secret + "&", StringToSign)). The key copy is wiped
 * before return. Caller frees the result (28 characters for SHA-1). */
char *sign_alibaba(const char *method, const struct sign_param *params, size_t n,
                   const char *secret);

/* ---- AWS Signature Version 4 --------------------------------------------------------- */

struct sigv4_request {
    const char *method;       /* "GET", "POST" */
    const char *path;         /* canonical URI, already URI-encoded; "" or NULL means "/" */
    const char *query;        /* canonical query string (sorted, encoded); NULL means "" */
    const struct sign_param *headers; /* every header to sign; any case and order, values
                                         are trimmed and inner runs of spaces collapsed */
    size_t n_headers;
    const void *payload;      /* request body; NULL with payload_len 0 for none */
    size_t payload_len;
    const char *amz_date;     /* "YYYYMMDDTHHMMSSZ" (the X-Amz-Date header's value) */
    const char *region, *service;
    const char *access_key_id, *secret;
};

/* What signing produced. Heap strings owned by the struct; sigv4_result_done() frees. */
struct sigv4_result {
    char *canonical_request; /* as hashed (for tests and debugging; holds no secret) */
    char *string_to_sign;
    char *signed_headers;    /* "host;x-amz-date" */
    char signature[65];      /* lower-case hex */
    char *authorization;     /* the Authorization header value (no secret in it) */
};

/* Sign req. AKW_ERR_USAGE when a required field is missing or amz_date is malformed.
 * Derived keys (kDate..kSigning) and the "AWS4"+secret buffer are wiped before return. */
enum akw_status sign_sigv4(const struct sigv4_request *req, struct sigv4_result *out,
                           struct akw_err *err);
void sigv4_result_done(struct sigv4_result *r);

/* ---- Tencent Cloud API 3.0, TC3-HMAC-SHA256 --------------------------------------------- */

/* A POST to "/" with no query and a JSON body, the only shape the verifier sends. */
struct tc3_request {
    const char *host;         /* the Host header's value, e.g. "sts.tencentcloudapi.com" */
    const char *content_type; /* e.g. "application/json; charset=utf-8" */
    const void *payload;      /* request body */
    size_t payload_len;
    long long timestamp;      /* the X-TC-Timestamp header's value (Unix seconds) */
    const char *service;      /* "sts" */
    const char *secret_id, *secret_key;
};

/* What signing produced. Heap strings owned by the struct; tc3_result_done() frees. */
struct tc3_result {
    char *canonical_request; /* as hashed (holds no secret) */
    char *string_to_sign;
    char date[11];           /* "YYYY-MM-DD", UTC date of the timestamp */
    char signature[65];      /* lower-case hex */
    char *authorization;     /* the Authorization header value (no secret in it) */
};

/* Sign req. AKW_ERR_USAGE when a field is missing. The "TC3"+secret buffer and the derived
 * keys are wiped before return. */
enum akw_status sign_tc3(const struct tc3_request *req, struct tc3_result *out,
                         struct akw_err *err);
void tc3_result_done(struct tc3_result *r);

#endif
