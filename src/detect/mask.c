/* mask — what may be shown of a secret (a short prefix and suffix, never more than a third)
 * and its fingerprint (SHA-256 through libcrypto EVP). No knowledge of lines or rules. */
#include "config.h"
#include "detect/detect_int.h"

#include <string.h>

#include <openssl/evp.h>

void
detect_mask(const char *secret, char *out)
{
    size_t n = strlen(secret);
    /* A third at most; the prefix (which often names the provider, "LTAI5t") gets most
     * of it, the suffix enough to tell two keys apart. */
    size_t budget = n / 3;
    size_t suffix = budget / 4 < 4 ? budget / 4 : 4;
    size_t prefix = budget - suffix < 6 ? budget - suffix : 6;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)secret[i];
        int shown = i < prefix || i >= n - suffix;
        out[i] = shown && c > 0x20 && c < 0x7f ? (char)c : '*';
    }
    out[n] = '\0';
}

char *
detect_mask_compact(const char *secret)
{
    size_t n = strlen(secret);
    char *m = xmalloc(n + 1);

    detect_mask(secret, m);
    if (n <= DETECT_MASK_MAX)
        return m;
    char *out = xasprintf("%.6s****************%s (%zu chars)", m, m + n - 4, n);
    free(m);
    return out;
}

void
detect_fingerprint(const char *rule_id, const char *secret, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, rule_id, strlen(rule_id) + 1); /* with its NUL */
    EVP_DigestUpdate(ctx, secret, strlen(secret));
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    hex_encode(md, mdlen, out);
}
