/* test_sign — the signature code against the providers' PUBLISHED examples, byte for byte.
 *
 * Sources of the vectors:
 *  [ALI1] Alibaba Cloud ECS API reference, "Request signature" (doc-detail/28139,
 *         https://www.alibabacloud.com/help/doc-detail/28139.htm): DescribeRegions with
 *         AccessKeyId testid, AccessKeySecret testsecret, Timestamp 2016-02-23T12:46:24Z,
 *         SignatureNonce 3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf → OLeaidS1JvxuMvnyHOwuJ+uX5qY=.
 *  [ALI2] The older Chinese edition of the same example (Aliyun developer community,
 *         "API 签名机制(示例)", https://developer.aliyun.com/ask/210168), which spells the
 *         parameter "TimeStamp" → CT9X0VtwR86fNWSnsc6v8YGOjuE=. A second, independent check
 *         that the parameter name takes part in sorting and signing.
 *  [AWS1] AWS General Reference, "Signature Version 4 signing process" worked example:
 *         IAM ListUsers GET, AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
 *         20150830T123600Z, us-east-1, iam → canonical request hash f536975d…1a59 and
 *         signature 5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7.
 *  [AWS2] aws-sig-v4-test-suite (published by AWS with the same docs), case "get-vanilla":
 *         get-vanilla.creq / .sts / .authz (string-to-sign hash bb579772…7e63, signature
 *         5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31).
 *  [TC1]  Tencent Cloud API 3.0, "Signature v3" (签名方法 v3) worked example: CVM
 *         DescribeInstances POST to cvm.tencentcloudapi.com, SecretId
 *         AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******, SecretKey Gu5t9xGARNpq86cd98joQYCN3*******
 *         (the documentation's masked values, used as they are), timestamp 1551113065 →
 *         payload hash 35e9c5b0…f064, canonical request hash 5ffe6a04…7031, signature
 *         2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "verify/sign.h"

#define AWS_KEY "AKIDEXAMPLE"
#define AWS_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
test_percent_encode(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"abcXYZ019-_.~", "abcXYZ019-_.~"},
        {"a b", "a%20b"},
        {"*", "%2A"},
        {"a+b/c=d&e", "a%2Bb%2Fc%3Dd%26e"},
        {"2016-02-23T12:46:24Z", "2016-02-23T12%3A46%3A24Z"},
        {"\xe4\xb8\xad", "%E4%B8%AD"}, /* UTF-8 bytes, upper-case hex */
        {"%", "%25"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct buf b;
        buf_init(&b);
        buf_puts(&b, "");
        sign_percent_encode(&b, cases[i].in);
        is_str(b.data, cases[i].want, "percent-encode case %zu", i);
        buf_done(&b);
    }
}

static void
test_primitives(void)
{
    char hex[65], *b64;

    sign_sha256_hex("", 0, hex);
    is_str(hex, EMPTY_SHA256, "sha256 of the empty string");
    b64 = sign_base64((const unsigned char *)"", 0);
    is_str(b64, "", "base64 of nothing");
    free(b64);
    b64 = sign_base64((const unsigned char *)"foob", 4);
    is_str(b64, "Zm9vYg==", "base64 pads (RFC 4648 test vector)");
    free(b64);
}

static void
test_alibaba(void)
{
    /* [ALI1], in the order the documentation's URL lists them (sorting is our job). */
    struct sign_param p[] = {
        {"Timestamp", "2016-02-23T12:46:24Z"},
        {"Format", "XML"},
        {"AccessKeyId", "testid"},
        {"Action", "DescribeRegions"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
        {"Version", "2014-05-26"},
        {"SignatureVersion", "1.0"},
    };
    size_t n = sizeof p / sizeof p[0];
    char *s;

    s = sign_alibaba_canonical_query(p, n);
    is_str(s,
           "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1"
           "&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
           "&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26",
           "alibaba: canonicalized query string sorted and encoded [ALI1]");
    free(s);
    s = sign_alibaba_string_to_sign("GET", p, n);
    is_str(s,
           "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
           "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-"
           "4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z"
           "%26Version%3D2014-05-26",
           "alibaba: StringToSign [ALI1]");
    free(s);
    s = sign_alibaba("GET", p, n, "testsecret");
    is_str(s, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", "alibaba: signature [ALI1]");
    free(s);

    p[0].key = "TimeStamp"; /* [ALI2] */
    s = sign_alibaba("GET", p, n, "testsecret");
    is_str(s, "CT9X0VtwR86fNWSnsc6v8YGOjuE=", "alibaba: signature, TimeStamp spelling [ALI2]");
    free(s);
    p[0].key = "Timestamp";

    s = sign_alibaba("GET", p, n, "testsecreT");
    ok(strcmp(s, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=") != 0,
       "alibaba: another secret, another signature");
    free(s);
    s = sign_alibaba("POST", p, n, "testsecret");
    ok(strcmp(s, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=") != 0, "alibaba: the method is signed");
    free(s);
    s = sign_alibaba_canonical_query(NULL, 0);
    is_str(s, "", "alibaba: no parameters, empty canonical query");
    free(s);
}

static void
test_sigv4_listusers(void)
{
    /* [AWS1] */
    struct sign_param h[] = {
        {"Host", "iam.amazonaws.com"},
        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
        {"X-Amz-Date", "20150830T123600Z"},
    };
    struct sigv4_request req = {
        .method = "GET", .path = "/", .query = "Action=ListUsers&Version=2010-05-08",
        .headers = h, .n_headers = 3, .amz_date = "20150830T123600Z",
        .region = "us-east-1", .service = "iam",
        .access_key_id = AWS_KEY, .secret = AWS_SECRET,
    };
    struct sigv4_result r;
    char hash[65];

    is_int(sign_sigv4(&req, &r, NULL), AKW_OK, "sigv4 ListUsers: signs");
    is_str(r.canonical_request,
           "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
           "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
           "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
           "content-type;host;x-amz-date\n" EMPTY_SHA256,
           "sigv4 ListUsers: canonical request [AWS1]");
    sign_sha256_hex(r.canonical_request, strlen(r.canonical_request), hash);
    is_str(hash, "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
           "sigv4 ListUsers: canonical request hash [AWS1]");
    is_str(r.string_to_sign,
           "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
           "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
           "sigv4 ListUsers: string to sign [AWS1]");
    is_str(r.signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
           "sigv4 ListUsers: signature [AWS1]");
    is_str(r.authorization,
           "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
           "SignedHeaders=content-type;host;x-amz-date, "
           "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
           "sigv4 ListUsers: Authorization header [AWS1]");
    ok(strstr(r.authorization, AWS_SECRET) == NULL &&
           strstr(r.canonical_request, AWS_SECRET) == NULL,
       "sigv4: the secret is in neither the header nor the canonical request");
    sigv4_result_done(&r);
}

static void
test_sigv4_get_vanilla(void)
{
    /* [AWS2] get-vanilla: headers given unsorted and with untrimmed spaces on purpose. */
    struct sign_param h[] = {
        {"X-Amz-Date", "20150830T123600Z"},
        {"Host", "  example.amazonaws.com  "},
    };
    struct sigv4_request req = {
        .method = "GET", .path = NULL, .query = NULL, .headers = h, .n_headers = 2,
        .amz_date = "20150830T123600Z", .region = "us-east-1", .service = "service",
        .access_key_id = AWS_KEY, .secret = AWS_SECRET,
    };
    struct sigv4_result r;
    char hash[65];

    is_int(sign_sigv4(&req, &r, NULL), AKW_OK, "get-vanilla: signs");
    is_str(r.canonical_request,
           "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
           "host;x-amz-date\n" EMPTY_SHA256,
           "get-vanilla: canonical request (get-vanilla.creq) [AWS2]");
    sign_sha256_hex(r.canonical_request, strlen(r.canonical_request), hash);
    is_str(hash, "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
           "get-vanilla: canonical request hash (get-vanilla.sts) [AWS2]");
    is_str(r.authorization,
           "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
           "SignedHeaders=host;x-amz-date, "
           "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
           "get-vanilla: Authorization (get-vanilla.authz) [AWS2]");
    sigv4_result_done(&r);

    req.secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz";
    sign_sigv4(&req, &r, NULL);
    ok(strcmp(r.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") != 0,
       "get-vanilla: one secret byte changed, another signature");
    sigv4_result_done(&r);
}

static void
test_sigv4_errors(void)
{
    struct sigv4_request req = {.method = "GET", .amz_date = "2015-08-30T12:36:00Z",
                                .region = "us-east-1", .service = "sts",
                                .access_key_id = AWS_KEY, .secret = AWS_SECRET};
    struct sigv4_result r;
    struct akw_err err;

    is_int(sign_sigv4(&req, &r, &err), AKW_ERR_USAGE, "sigv4: malformed amz_date refused");
    ok(strstr(err.msg, "YYYYMMDDTHHMMSSZ") != NULL, "sigv4: the error names the expected form");
    sigv4_result_done(&r);
    req.amz_date = "20150830T123600Z";
    req.secret = NULL;
    is_int(sign_sigv4(&req, &r, &err), AKW_ERR_USAGE, "sigv4: missing secret refused");
    sigv4_result_done(&r);
    sigv4_result_done(NULL);
    ok(1, "sigv4_result_done(NULL) is harmless");
}

static void
test_tc3(void)
{
    static const char payload[] = "{\"Limit\": 1, \"Filters\": [{\"Values\": "
                                  "[\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
    struct tc3_request req = {.host = "cvm.tencentcloudapi.com",
                              .content_type = "application/json; charset=utf-8",
                              .payload = payload, .payload_len = strlen(payload),
                              .timestamp = 1551113065, .service = "cvm",
                              .secret_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
                              .secret_key = "Gu5t9xGARNpq86cd98joQYCN3*******"};
    struct tc3_result r;
    char hash[65];

    is_int(sign_tc3(&req, &r, NULL), AKW_OK, "tc3: signs");
    is_str(r.canonical_request,
           "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
           "host:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
           "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
           "tc3: canonical request with the payload hash [TC1]");
    sign_sha256_hex(r.canonical_request, strlen(r.canonical_request), hash);
    is_str(hash, "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
           "tc3: canonical request hash [TC1]");
    is_str(r.string_to_sign,
           "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
           "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
           "tc3: string to sign, date in UTC [TC1]");
    is_str(r.signature, "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
           "tc3: signature [TC1]");
    is_str(r.authorization,
           "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/"
           "tc3_request, SignedHeaders=content-type;host, "
           "Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
           "tc3: Authorization header [TC1]");
    ok(!strstr(r.authorization, "Gu5t9x") && !strstr(r.canonical_request, "Gu5t9x"),
       "tc3: the SecretKey is in neither the header nor the canonical request");
    tc3_result_done(&r);
    req.host = "CVM.TencentCloudAPI.com";
    is_int(sign_tc3(&req, &r, NULL), AKW_OK, "tc3: a host in capitals signs");
    is_str(r.signature, "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
           "tc3: header values are signed lower-cased (same signature)");
    tc3_result_done(&r);
    req.secret_key = NULL;
    is_int(sign_tc3(&req, &r, NULL), AKW_ERR_USAGE, "tc3: a missing SecretKey is refused");
    tc3_result_done(&r);
}

int
main(void)
{
    test_percent_encode();
    test_primitives();
    test_alibaba();
    test_sigv4_listusers();
    test_sigv4_get_vanilla();
    test_sigv4_errors();
    test_tc3();
    return done_testing();
}
