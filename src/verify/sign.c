/* sign — the primitives both signature methods share: RFC 3986 percent-encoding, SHA-256
 * hex, HMAC, base64. Thin wrappers over libcrypto; nothing here knows a provider.
 */
#include "config.h"
#include "verify/sign.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

void
sign_percent_encode(struct buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_putc(out, (char)c);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(out, esc, 3);
        }
    }
}

void
sign_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];

    SHA256(data, len, md);
    hex_encode(md, sizeof md, out);
}

static void
hmac(const EVP_MD *md, const void *key, size_t key_len, const void *data, size_t len,
     unsigned char *out)
{
    unsigned int out_len = 0;

    /* HMAC() only fails on allocation failure inside libcrypto; treat that like xmalloc. */
    if (!HMAC(md, key, (int)key_len, data, len, out, &out_len))
        abort();
}

void
sign_hmac_sha1(const void *key, size_t key_len, const void *data, size_t len,
               unsigned char out[20])
{
    hmac(EVP_sha1(), key, key_len, data, len, out);
}

void
sign_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                 unsigned char out[32])
{
    hmac(EVP_sha256(), key, key_len, data, len, out);
}

char *
sign_base64(const unsigned char *data, size_t len)
{
    char *out = xmalloc(4 * ((len + 2) / 3) + 1);

    EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    return out;
}
