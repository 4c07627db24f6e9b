/* Unit tests for scan/recommend: every kind has advice; a key or token of a provider gets
 * the steps of its [provider] section in the shipped rules (its console), then what every
 * leak of the kind needs; database and server passwords keep their kind's advice; unknown
 * kinds, rules and a missing ruleset fall back to the generic advice. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scan/recommend.h"
#include "tap.h"

static int
mentions(const char *const *steps, const char *word)
{
    for (size_t i = 0; steps[i]; i++)
        if (strstr(steps[i], word))
            return 1;
    return 0;
}

static struct detect_ruleset *
load(void)
{
    const char *src = getenv("AKW_SRCDIR");
    char *dir = xasprintf("%s/data/rules", src && *src ? src : AKW_SRCDIR);
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};
    if (!ok(detect_rules_load_meta(dir, &rs, &err) == AKW_OK, "load %s (metadata)", dir))
        printf("#   %s\n", err.msg);
    free(dir);
    return rs;
}

int
main(void)
{
    struct detect_ruleset *rs = load();
    static const struct {
        const char *kind, *rule, *word;
    } cases[] = {
        {"cloud_accesskey", "alibaba-accesskey-id", "RAM console"},
        {"cloud_accesskey", "alibaba-accesskey-id", "access logs for requests to the leaked file's path"},
        {"cloud_accesskey", "alibaba-accesskey-id", "calls made with this AccessKey ID"},
        {"cloud_accesskey", "alibaba-accesskey-id", "rewrite its history"},
        {"cloud_accesskey", "aws-access-key-id", "IAM console"},
        {"cloud_accesskey", "aws-access-key-id", "CloudTrail"},
        {"cloud_accesskey", "tencent-secret-id", "CAM console"},
        {"cloud_accesskey", "huawei-access-key", "IAM console"},
        {"cloud_accesskey", "someother-key", "cloud console (RAM / IAM)"},
        {"cloud_accesskey", NULL, "cloud console (RAM / IAM)"},
        {"database", "database-url", "Change the password"},
        {"database", "aliyun-rds-endpoint", "whitelist of client IPs"},
        {"server_password", "sshpass", "Disable password login"},
        {"private_key", "private-key", "key pair"},
        {"api_token", "github-token", "Personal access tokens"},
        {"api_token", "github-token", "audit log for use of the token"},
        {"api_token", "slack-webhook", "Incoming Webhooks"},
        {"api_token", "no-such-rule", "Revoke the token with its provider"},
        {"generic_secret", "generic-password", "rotate it"},
        {"no_such_kind", NULL, "rotate it"},
        {NULL, NULL, "rotate it"},
    };
    const char *steps[RECOMMEND_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = recommend_steps(rs, cases[i].kind, cases[i].rule, steps);
        ok(n > 0 && steps[n] == NULL && mentions(steps, cases[i].word),
           "%s/%s advice mentions '%s'", cases[i].kind ? cases[i].kind : "NULL",
           cases[i].rule ? cases[i].rule : "NULL", cases[i].word);
    }
    recommend_steps(rs, "database", "aliyun-rds-endpoint", steps);
    ok(!mentions(steps, "RAM console"), "a database password of an Alibaba endpoint: no AccessKey steps");
    recommend_steps(rs, "cloud_accesskey", "alibaba-accesskey-id", steps);
    ok(strstr(steps[0], "RAM console") != NULL, "the provider's steps come first");
    recommend_steps(NULL, "cloud_accesskey", "alibaba-accesskey-id", steps);
    ok(mentions(steps, "cloud console (RAM / IAM)") && !mentions(steps, "RAM console (RAM"),
       "no ruleset: the kind's generic advice");
    is_str(recommend_kind_label("database"), "Database", "kind label");
    is_str(recommend_kind_label("weird"), "weird", "unknown kind label is the kind");
    is_str(recommend_kind_label(NULL), "", "NULL kind label");
    detect_rules_free(rs);
    return done_testing();
}
