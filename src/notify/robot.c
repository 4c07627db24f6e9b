/* robot — what chat robots expect beyond the message body: the signatures of robots with a
 * signing secret, DingTalk ("加签": timestamp and sign in the URL's query) and Feishu / Lark
 * (timestamp and sign in the JSON body), and how each says it refused a message. Pure
 * functions over their inputs (the caller passes the time); sends nothing.
 */
#include "config.h"
#include "notify/notify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* Base64 of HMAC-SHA256(key, data). Caller frees. */
static char *
hmac_b64(const char *key, size_t key_len, const char *data, size_t len)
{
    unsigned char md[32];
    unsigned int md_len = 0;
    char *out = xmalloc(4 * ((sizeof md + 2) / 3) + 1);

    if (!HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)data, len, md, &md_len))
        abort(); /* only on allocation failure inside libcrypto, as xmalloc */
    EVP_EncodeBlock((unsigned char *)out, md, (int)md_len);
    OPENSSL_cleanse(md, sizeof md);
    return out;
}

char *
robot_dingtalk_url(const char *url, const char *secret, long long now_ms)
{
    /* sign = urlencode(base64(HMAC-SHA256(key = secret, timestamp "\n" secret))) */
    char *to_sign = xasprintf("%lld\n%s", now_ms, secret);
    char *sign = hmac_b64(secret, strlen(secret), to_sign, strlen(to_sign));
    struct buf b;

    buf_init(&b);
    buf_printf(&b, "%s%ctimestamp=%lld&sign=", url, strchr(url, '?') ? '&' : '?', now_ms);
    for (const char *p = sign; *p; p++) {
        if (*p == '+' || *p == '/' || *p == '=')
            buf_printf(&b, "%%%02X", (unsigned char)*p);
        else
            buf_putc(&b, *p);
    }
    secret_free(to_sign);
    free(sign);
    return buf_steal(&b);
}

char *
robot_feishu_sign(const char *secret, long long now_s)
{
    /* sign = base64(HMAC-SHA256(key = timestamp "\n" secret, empty message)) */
    char *key = xasprintf("%lld\n%s", now_s, secret);
    char *sign = hmac_b64(key, strlen(key), "", 0);

    secret_free(key);
    return sign;
}

const char *
robot_refusal_key(enum webhook_format f)
{
    static const char *const keys[] = {
        [WEBHOOK_DINGTALK] = "errcode", /* {"errcode": 310000, "errmsg": "..."} */
        [WEBHOOK_WECOM] = "errcode",
        [WEBHOOK_FEISHU] = "code", /* {"code": 19021, "msg": "sign match fail ..."} */
    };
    return (unsigned)f < sizeof keys / sizeof keys[0] ? keys[f] : NULL;
}
