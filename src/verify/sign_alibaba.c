/* sign_alibaba — Alibaba Cloud's RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion
 * 1.0): canonicalized query string, StringToSign and Signature. Does not build URLs or send
 * anything; the verifier (alibaba.c) does.
 */
#include "config.h"
#include "verify/sign.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static int
param_cmp(const void *a, const void *b)
{
    const struct sign_param *x = a, *y = b;

    return strcmp(x->key, y->key);
}

char *
sign_alibaba_canonical_query(const struct sign_param *params, size_t n)
{
    struct sign_param *sorted = xcalloc(n ? n : 1, sizeof *sorted);
    struct buf b;

    if (n)
        memcpy(sorted, params, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, param_cmp);
    buf_init(&b);
    buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, '&');
        sign_percent_encode(&b, sorted[i].key);
        buf_putc(&b, '=');
        sign_percent_encode(&b, sorted[i].value ? sorted[i].value : "");
    }
    free(sorted);
    return buf_steal(&b);
}

char *
sign_alibaba_string_to_sign(const char *method, const struct sign_param *params, size_t n)
{
    char *canonical = sign_alibaba_canonical_query(params, n);
    struct buf b;

    buf_init(&b);
    buf_puts(&b, method);
    buf_puts(&b, "&");
    sign_percent_encode(&b, "/");
    buf_puts(&b, "&");
    sign_percent_encode(&b, canonical);
    free(canonical);
    return buf_steal(&b);
}

char *
sign_alibaba(const char *method, const struct sign_param *params, size_t n, const char *secret)
{
    char *sts = sign_alibaba_string_to_sign(method, params, n);
    unsigned char mac[20];
    struct buf key;
    char *sig;

    /* The HMAC key is the secret with "&" appended; that copy is a secret too. */
    buf_init(&key);
    buf_puts(&key, secret);
    buf_putc(&key, '&');
    sign_hmac_sha1(key.data, key.len, sts, strlen(sts), mac);
    buf_wipe(&key);
    free(sts);
    sig = sign_base64(mac, sizeof mac);
    OPENSSL_cleanse(mac, sizeof mac);
    return sig;
}
