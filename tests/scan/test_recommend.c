/* Unit tests for scan/recommend: every kind has advice, cloud AccessKeys get their
 * provider's console, unknown kinds fall back to the generic advice. */
#include "config.h"

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

int
main(void)
{
    static const struct {
        const char *kind, *rule, *word;
    } cases[] = {
        {"cloud_accesskey", "alibaba-accesskey-id", "RAM console"},
        {"cloud_accesskey", "alibaba-accesskey-id", "access logs for requests to the leaked file's path"},
        {"cloud_accesskey", "alibaba-accesskey-id", "calls made with this AccessKey ID"},
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
        {"api_token", "github-token", "Revoke the token"},
        {"generic_secret", "generic-password", "rotate it"},
        {"no_such_kind", NULL, "rotate it"},
        {NULL, NULL, "rotate it"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const *steps = recommend_steps(cases[i].kind, cases[i].rule);
        ok(steps && steps[0] && mentions(steps, cases[i].word), "%s/%s advice mentions '%s'",
           cases[i].kind ? cases[i].kind : "NULL", cases[i].rule ? cases[i].rule : "NULL",
           cases[i].word);
    }
    ok(!mentions(recommend_steps("cloud_accesskey", "alibabax-id"), "RAM console"),
       "provider prefix matches whole words only");
    is_str(recommend_kind_label("database"), "Database", "kind label");
    is_str(recommend_kind_label("weird"), "weird", "unknown kind label is the kind");
    is_str(recommend_kind_label(NULL), "", "NULL kind label");
    return done_testing();
}
