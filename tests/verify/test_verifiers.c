/* test_verifiers — each verifier against the fake providers on loopback (which recompute the
 * signatures with the known secret): live, invalid (unknown ID, wrong secret, disabled),
 * unknown (throttled, connection refused, refused URL); the rate bound measured in the fake's
 * own request log; secrets never on the wire (AK pairs) nor in outcomes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/conf.h"
#include "fakeprov.h"
#include "github/provider_http.h"
#include "tap.h"
#include "verify/verify.h"
#include "verify/verify_int.h"

#define ALI_LIVE "LTAI5tLiveKeyId0000000001"
#define ALI_SECRET "AliSecretLive0123456789abcdefXY"
#define ALI_OFF "LTAI5tDisabledKey00000002"
#define ALI_SLOW "LTAI5tThrottledKey0000003"
#define ALI_RAM "LTAI5tRamNoPermission0004"
#define AWS_LIVE "AKIAQLIVEKEYID000001"
#define AWS_SECRET "AwsSecretLive/0123456789+abcdefghijklmnop"
#define AWS_ARN "arn:aws:iam::210987654321:user/ci-deploy"
#define AWS_SKEW "AKIAQCLOCKSKEWKEY001"
#define TC_LIVE "AKIDLiveSecretId00000000000000000001"
#define TC_SECRET "TcSecretKeyLive0123456789abcdefX"
#define TC_ARN "qcs::cam::uin/100012345678:uin/100012345678"
#define TC_CAM "AKIDCamDeniedSecretId000000000000002"
#define TC_SKEW "AKIDClockSkewSecretId000000000000003"
#define GH_TOKEN "ghp_LiveToken0123456789abcdefghijklmnopq"
#define GH_SCOPED "ghp_ScopedToken0123456789abcdefghijklmno"

static char tmpdir[] = "/tmp/akw-verify.XXXXXX";

static void
check(struct verifier *v, enum verify_provider p, const char *id, const char *secret,
      enum verify_state want, const char *want_text, const char *what)
{
    struct verify_outcome o;

    verifier_check(v, p, id, secret, &o);
    if (!ok(o.state == want, "%s: %s", what, verify_state_name(want)))
        printf("#   got %s, error '%s'\n", verify_state_name(o.state), o.error);
    if (want_text) {
        const char *hay = want == VERIFY_LIVE ? o.identity : o.error;
        if (!ok(strstr(hay, want_text) != NULL, "%s: mentions '%s'", what, want_text))
            printf("#   got identity '%s' error '%s'\n", o.identity, o.error);
    }
    ok(!strstr(o.error, secret) && !strstr(o.identity, secret), "%s: no secret in the outcome",
       what);
}

static void
test_tables(void)
{
    static const struct {
        const char *rule;
        enum verify_provider want;
    } rules[] = {
        {NULL, VERIFY_PROVIDER_NONE},
        {"", VERIFY_PROVIDER_NONE},
        {"alibaba-accesskey-id", VERIFY_PROVIDER_ALIBABA},
        {"aliyun-accesskey-pair", VERIFY_PROVIDER_ALIBABA},
        {"aws-access-key-id", VERIFY_PROVIDER_AWS},
        {"github-token", VERIFY_PROVIDER_GITHUB},
        {"github-fine-grained-token", VERIFY_PROVIDER_GITHUB},
        {"github-pat", VERIFY_PROVIDER_GITHUB},
        {"mysql-url", VERIFY_PROVIDER_NONE},
        {"awsome-thing", VERIFY_PROVIDER_NONE},
        /* same families, other secrets: never sent to the AccessKey/token checks */
        {"aliyun-rds-endpoint", VERIFY_PROVIDER_NONE},
        {"aliyun-redis-endpoint", VERIFY_PROVIDER_NONE},
        {"github-app-private-key", VERIFY_PROVIDER_NONE},
        {"tencent-secret-id", VERIFY_PROVIDER_TENCENT},
        {"tencent-secret-key", VERIFY_PROVIDER_TENCENT},
        {"huawei-access-key", VERIFY_PROVIDER_NONE},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        is_int(verify_provider_for_rule(rules[i].rule), rules[i].want, "provider for rule '%s'",
               rules[i].rule ? rules[i].rule : "(null)");

    enum verify_state s;
    for (int i = VERIFY_NONE; i <= VERIFY_UNKNOWN; i++)
        ok(verify_state_parse(verify_state_name((enum verify_state)i), &s) == 0 && (int)s == i,
           "state name '%s' round-trips", verify_state_name((enum verify_state)i));
    ok(verify_state_parse("alive", &s) == -1, "unknown state name refused");

    /* given checked_at, recheck_after, now → due? */
    static const struct {
        time_t at;
        long every, now;
        int want;
    } due[] = {
        {0, 3600, 1000, 1}, {1000, 3600, 1000, 0}, {1000, 3600, 4599, 0},
        {1000, 3600, 4600, 1}, {1000, 0, 1000 + 86399, 0}, {1000, 0, 1000 + 86400, 1},
    };
    for (size_t i = 0; i < sizeof due / sizeof due[0]; i++)
        is_int(verify_is_due(due[i].at, due[i].every, due[i].now), due[i].want,
               "due? checked %ld every %ld now %ld", (long)due[i].at, due[i].every, due[i].now);

    /* [verify] in the configuration */
    struct config cfg;
    struct verify_config vc;
    config_init(&cfg);
    verify_config_from(&vc, &cfg);
    ok(vc.rate == 2.0 && vc.recheck_after == 86400 && !vc.alibaba_endpoint,
       "config defaults: 2 requests/s, a day, the real endpoints");
    config_done(&cfg);
    char cpath[600];
    snprintf(cpath, sizeof cpath, "%s/config", tmpdir);
    FILE *cf = fopen(cpath, "w");
    if (cf) {
        fputs("[verify]\nrate = 5\nrecheck_after = 2h\n"
              "alibaba_endpoint = https://ecs.cn-hangzhou.aliyuncs.com\n", cf);
        fclose(cf);
    }
    struct akw_err cerr;
    ok(config_load(cpath, 1, &cfg, &cerr) == AKW_OK, "config with [verify] rate loads");
    verify_config_from(&vc, &cfg);
    ok(vc.rate == 5.0 && vc.recheck_after == 7200 &&
           strcmp(vc.alibaba_endpoint, "https://ecs.cn-hangzhou.aliyuncs.com") == 0,
       "config: rate, recheck_after and endpoint reach the verifier");
    config_done(&cfg);

    is_int(verify_alert_allowed(0, VERIFY_INVALID), 1, "gate off: an invalid key alerts");
    is_int(verify_alert_allowed(0, VERIFY_NONE), 1, "gate off: an unchecked key alerts");
    is_int(verify_alert_allowed(1, VERIFY_LIVE), 1, "gate on: a live key alerts");
    is_int(verify_alert_allowed(1, VERIFY_INVALID), 0, "gate on: an invalid key does not");
    is_int(verify_alert_allowed(1, VERIFY_UNKNOWN), 0, "gate on: an unknown key does not");

    static const struct {
        const char *url, *want;
    } auth[] = {
        {"https://sts.amazonaws.com/", "sts.amazonaws.com"},
        {"https://sts.amazonaws.com:443/x", "sts.amazonaws.com"},
        {"https://sts.amazonaws.com:8443", "sts.amazonaws.com:8443"},
        {"http://127.0.0.1:8080/?a=b", "127.0.0.1:8080"},
        {"http://127.0.0.1:80/", "127.0.0.1"},
        {"no-scheme", NULL},
    };
    for (size_t i = 0; i < sizeof auth / sizeof auth[0]; i++) {
        char *a = verify_url_authority(auth[i].url);
        is_str(a, auth[i].want, "authority of %s", auth[i].url);
        free(a);
    }
    static const struct {
        const char *host;
        int want;
    } lo[] = {{"127.0.0.1", 1}, {"127.1.2.3", 1}, {"localhost", 1}, {"[::1]", 1}, {"::1", 1},
              {"128.0.0.1", 0}, {"10.0.0.1", 0}, {"example.com", 0}, {"", 0}, {NULL, 0},
              {"localhost.evil.com", 0}};
    for (size_t i = 0; i < sizeof lo / sizeof lo[0]; i++)
        is_int(provider_http_is_loopback(lo[i].host), lo[i].want, "loopback? %s",
               lo[i].host ? lo[i].host : "(null)");
}

static void
test_alibaba(struct verifier *v)
{
    check(v, VERIFY_PROVIDER_ALIBABA, ALI_LIVE, ALI_SECRET, VERIFY_LIVE, "3 regions: cn-qingdao",
          "alibaba live pair");
    check(v, VERIFY_PROVIDER_ALIBABA, "LTAI5tNobodyKnowsThis0009", ALI_SECRET, VERIFY_INVALID,
          "InvalidAccessKeyId.NotFound", "alibaba unknown ID");
    check(v, VERIFY_PROVIDER_ALIBABA, ALI_LIVE, "AliSecretLive0123456789abcdefXZ", VERIFY_INVALID,
          "SignatureDoesNotMatch", "alibaba wrong secret");
    check(v, VERIFY_PROVIDER_ALIBABA, ALI_OFF, ALI_SECRET, VERIFY_INVALID,
          "InvalidAccessKeyId.Inactive", "alibaba disabled key");
    check(v, VERIFY_PROVIDER_ALIBABA, ALI_SLOW, ALI_SECRET, VERIFY_UNKNOWN, "Throttling.User",
          "alibaba throttled");
    check(v, VERIFY_PROVIDER_ALIBABA, ALI_RAM, ALI_SECRET, VERIFY_LIVE, "no permission",
          "alibaba RAM user without the permission");
}

static void
test_aws(struct verifier *v)
{
    check(v, VERIFY_PROVIDER_AWS, AWS_LIVE, AWS_SECRET, VERIFY_LIVE,
          AWS_ARN " (account 210987654321)",
          "aws live pair");
    check(v, VERIFY_PROVIDER_AWS, "AKIAQNOBODYKNOWS0009", AWS_SECRET, VERIFY_INVALID,
          "InvalidClientTokenId", "aws unknown key ID");
    check(v, VERIFY_PROVIDER_AWS, AWS_LIVE, "AwsSecretLive/0123456789+abcdefghijklmnoq",
          VERIFY_INVALID, "SignatureDoesNotMatch", "aws wrong secret");
    check(v, VERIFY_PROVIDER_AWS, AWS_SKEW, AWS_SECRET, VERIFY_UNKNOWN, "Signature expired",
          "aws: a clock 15 minutes off says nothing about the key");
}

static void
test_tencent(struct verifier *v)
{
    check(v, VERIFY_PROVIDER_TENCENT, TC_LIVE, TC_SECRET, VERIFY_LIVE,
          TC_ARN " (account 100012345678)", "tencent live pair");
    check(v, VERIFY_PROVIDER_TENCENT, "AKIDNobodyKnowsThisId00000000000009", TC_SECRET,
          VERIFY_INVALID, "AuthFailure.SecretIdNotFound", "tencent unknown SecretId");
    check(v, VERIFY_PROVIDER_TENCENT, TC_LIVE, "TcSecretKeyLive0123456789abcdefY", VERIFY_INVALID,
          "AuthFailure.SignatureFailure", "tencent wrong SecretKey");
    check(v, VERIFY_PROVIDER_TENCENT, TC_CAM, TC_SECRET, VERIFY_LIVE, "no permission",
          "tencent CAM user without the permission");
    check(v, VERIFY_PROVIDER_TENCENT, TC_SKEW, TC_SECRET, VERIFY_UNKNOWN,
          "AuthFailure.SignatureExpire", "tencent: a clock off says nothing about the key");
}

static void
test_github(struct verifier *v)
{
    check(v, VERIFY_PROVIDER_GITHUB, NULL, GH_TOKEN, VERIFY_LIVE, "leaky-bot (User)",
          "github live token");
    check(v, VERIFY_PROVIDER_GITHUB, NULL, GH_SCOPED, VERIFY_LIVE,
          "ci-bot (User), scopes: repo, admin:org", "github classic token: its scopes");
    check(v, VERIFY_PROVIDER_GITHUB, NULL, "ghp_RevokedToken0123456789abcdefghijklmn",
          VERIFY_INVALID, "401", "github revoked token");
}

static void
test_unknowns(struct verifier *v)
{
    long before = verifier_requests(v, VERIFY_PROVIDER_ALIBABA);

    check(v, VERIFY_PROVIDER_ALIBABA, ALI_LIVE, ALI_LIVE, VERIFY_UNKNOWN, "AccessKey ID alone",
          "an ID-only finding");
    check(v, VERIFY_PROVIDER_ALIBABA, NULL, ALI_SECRET, VERIFY_UNKNOWN,
          "its AccessKey ID was not found", "a secret without its ID");
    check(v, VERIFY_PROVIDER_NONE, "x", "y", VERIFY_UNKNOWN, NULL, "no provider");
    long aws_before = verifier_requests(v, VERIFY_PROVIDER_AWS);
    check(v, VERIFY_PROVIDER_AWS, "ASIAQTEMPKEYID000001", AWS_SECRET, VERIFY_UNKNOWN,
          "session token", "an AWS temporary key (ASIA) is not judged without its token");
    check(v, VERIFY_PROVIDER_ALIBABA, "STS.NUgYrLnoC37mZZCNnAbez2", ALI_SECRET, VERIFY_UNKNOWN,
          "session token", "an Alibaba STS key is not judged without its token");
    is_int(verifier_requests(v, VERIFY_PROVIDER_AWS), aws_before, "nothing sent for them");
    is_int(verifier_requests(v, VERIFY_PROVIDER_ALIBABA), before,
           "nothing was sent for those");
}

static void
test_refused(void)
{
    /* A closed port (bind then close) gives connection refused; plain http to a public
     * host is refused before any packet leaves. */
    struct verify_config c = {.alibaba_endpoint = "http://127.0.0.1:1",
                              .aws_sts_endpoint = "http://sts.example.invalid",
                              .github_api = "ftp://127.0.0.1/", .rate = 50};
    struct verifier *v = verifier_new(&c);

    check(v, VERIFY_PROVIDER_ALIBABA, ALI_LIVE, ALI_SECRET, VERIFY_UNKNOWN, "127.0.0.1",
          "alibaba endpoint down");
    check(v, VERIFY_PROVIDER_AWS, AWS_LIVE, AWS_SECRET, VERIFY_UNKNOWN,
          "plain http only to loopback",
          "aws endpoint over plain http to a public host");
    check(v, VERIFY_PROVIDER_GITHUB, NULL, GH_TOKEN, VERIFY_UNKNOWN, "refusing ftp://",
          "github endpoint with another scheme");
    verifier_free(v);
}

/* https with a self-signed certificate: certificate verification is on, so the check is
 * "unknown" with the TLS reason and the fake never sees a request. */
static void
test_tls(const char *dir)
{
    static const char *const keys[] = {ALI_LIVE "," ALI_SECRET, NULL};
    char cert[600], key[600], cmd[1600];
    struct fakeprov f;

    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s >/dev/null 2>&1",
             key, cert);
    if (!ok(system(cmd) == 0, "tls: a self-signed certificate made"))
        return;
    char sub[600];
    snprintf(sub, sizeof sub, "%s/tls", dir);
    mkdir(sub, 0700);
    if (!ok(fakeprov_start_tls(&f, "alibaba", keys, sub, cert, key) == 0,
            "tls: fake alibaba on https started"))
        return;
    struct verify_config c = {.alibaba_endpoint = f.url, .rate = 50};
    struct verifier *v = verifier_new(&c);
    check(v, VERIFY_PROVIDER_ALIBABA, ALI_LIVE, ALI_SECRET, VERIFY_UNKNOWN, "certificate",
          "tls: self-signed certificate refused");
    char *log = fakeprov_log(&f);
    is_str(log, "", "tls: no request got through");
    free(log);
    verifier_free(v);
    fakeprov_stop(&f);
}

/* Request times from the fake's log (the "t" field, its monotonic clock). */
static size_t
log_times(const char *log, double *t, size_t max)
{
    size_t n = 0;

    for (const char *p = strstr(log, "\"t\": "); p && n < max; p = strstr(p + 1, "\"t\": "))
        t[n++] = strtod(p + 5, NULL);
    return n;
}

static void
test_rate(const char *dir)
{
    static const char *const keys[] = {ALI_LIVE "," ALI_SECRET, NULL};
    struct fakeprov f;
    struct verify_config c = {.rate = 4};
    double t[16];
    size_t n;
    int gaps_ok = 1;
    char sub[600];

    snprintf(sub, sizeof sub, "%s/rate", dir);
    mkdir(sub, 0700);
    if (!ok(fakeprov_start(&f, "alibaba", keys, sub) == 0, "rate: fake alibaba started"))
        return;
    c.alibaba_endpoint = f.url;
    struct verifier *v = verifier_new(&c);
    for (int i = 0; i < 6; i++) {
        struct verify_outcome o;
        verifier_check(v, VERIFY_PROVIDER_ALIBABA, ALI_LIVE, ALI_SECRET, &o);
    }
    char *log = fakeprov_log(&f);
    n = log_times(log, t, 16);
    is_int(n, 6, "rate: the fake saw 6 requests");
    is_int(verifier_requests(v, VERIFY_PROVIDER_ALIBABA), 6, "rate: the verifier counted 6");
    /* At 4/s requests leave >= 0.25 s apart; arrival jitter on loopback is far below the
     * 0.05 s allowed. A slow machine only spreads them further. */
    for (size_t i = 1; i < n; i++)
        if (t[i] - t[i - 1] < 0.20)
            gaps_ok = 0, printf("#   gap %zu: %.3f s\n", i, t[i] - t[i - 1]);
    ok(gaps_ok, "rate: consecutive requests at least 1/rate apart at the provider");
    ok(n == 6 && t[5] - t[0] >= 5 * 0.25 - 0.05, "rate: 6 requests took at least 1.25 s");
    ok(!strstr(log, ALI_SECRET), "rate: the secret never went on the wire");
    free(log);
    verifier_free(v);
    fakeprov_stop(&f);
}

int
main(void)
{
    static const char *const ali_keys[] = {ALI_LIVE "," ALI_SECRET,
                                           ALI_OFF "," ALI_SECRET ",,inactive",
                                           ALI_SLOW "," ALI_SECRET ",,throttle",
                                           ALI_RAM "," ALI_SECRET ",,forbidden", NULL};
    static const char *const aws_keys[] = {AWS_LIVE "," AWS_SECRET "," AWS_ARN,
                                           AWS_SKEW "," AWS_SECRET ",,skew", NULL};
    static const char *const tc_keys[] = {TC_LIVE "," TC_SECRET "," TC_ARN,
                                          TC_CAM "," TC_SECRET ",,forbidden",
                                          TC_SKEW "," TC_SECRET ",,skew", NULL};
    static const char *const gh_keys[] = {GH_TOKEN ",leaky-bot", GH_SCOPED ",ci-bot,repo admin:org",
                                          NULL};
    struct fakeprov ali, aws, gh, tc;

    if (!mkdtemp(tmpdir))
        return 1;
    setenv("AKWATCH_NOW", "2026-03-04T05:06:07Z", 1);
    test_tables();
    ok(fakeprov_start(&ali, "alibaba", ali_keys, tmpdir) == 0, "fake alibaba started");
    ok(fakeprov_start(&aws, "aws", aws_keys, tmpdir) == 0, "fake aws started");
    ok(fakeprov_start(&gh, "github", gh_keys, tmpdir) == 0, "fake github started");
    ok(fakeprov_start(&tc, "tencent", tc_keys, tmpdir) == 0, "fake tencent started");
    struct verify_config c = {.alibaba_endpoint = ali.url, .aws_sts_endpoint = aws.url,
                              .github_api = gh.url, .tencent_sts_endpoint = tc.url,
                              .rate = 50};
    struct verifier *v = verifier_new(&c);

    struct verify_outcome o;
    verifier_check(v, VERIFY_PROVIDER_ALIBABA, ALI_LIVE, ALI_SECRET, &o);
    is_int(o.checked_at, 1772600767, "checked_at comes from the clock seam (AKWATCH_NOW)");
    test_alibaba(v);
    test_aws(v);
    test_tencent(v);
    test_github(v);
    test_unknowns(v);
    is_int(verifier_requests(v, VERIFY_PROVIDER_ALIBABA), 7, "7 requests to alibaba");
    is_int(verifier_requests(v, VERIFY_PROVIDER_AWS), 4, "4 requests to aws");
    is_int(verifier_requests(v, VERIFY_PROVIDER_GITHUB), 3, "3 requests to github");
    is_int(verifier_requests(v, VERIFY_PROVIDER_TENCENT), 5, "5 requests to tencent");
    verifier_free(v);

    char *l1 = fakeprov_log(&ali), *l2 = fakeprov_log(&aws), *l3 = fakeprov_log(&gh);
    ok(!strstr(l1, ALI_SECRET) && !strstr(l1, "AliSecretLive"),
       "alibaba: no secret in any request (only the signature)");
    ok(!strstr(l2, AWS_SECRET) && !strstr(l2, "AwsSecretLive"),
       "aws: no secret in any request (only the signature)");
    ok(strstr(l2, "Credential=" AWS_LIVE "/20260304/us-east-1/sts/aws4_request") != NULL,
       "aws: credential scope from the clock seam");
    ok(!strstr(l1, GH_TOKEN) && !strstr(l2, GH_TOKEN), "the token went to github only");
    ok(strstr(l3, "\"User-Agent\": \"akwatch/") != NULL, "github: a User-Agent is sent");
    free(l1), free(l2), free(l3);
    char *l4 = fakeprov_log(&tc);
    ok(!strstr(l4, TC_SECRET) && !strstr(l4, "TcSecretKeyLive"),
       "tencent: no SecretKey in any request (only the signature)");
    ok(strstr(l4, "Credential=" TC_LIVE "/2026-03-04/sts/tc3_request") != NULL,
       "tencent: credential scope from the clock seam");
    ok(strstr(l4, "\"X-TC-Timestamp\": \"1772600767\"") != NULL,
       "tencent: X-TC-Timestamp from the clock seam");
    free(l4);
    fakeprov_stop(&tc);
    fakeprov_stop(&ali);
    fakeprov_stop(&aws);
    fakeprov_stop(&gh);

    test_refused();
    test_tls(tmpdir);
    test_rate(tmpdir);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        return 1;
    return done_testing();
}
