/* cases_webhooks — positives and hard negatives of webhooks.conf (DingTalk, WeCom,
 * Feishu / Lark, Microsoft Teams, Zapier) and jwt.conf (a JWT with its signing secret).
 * A pair (a robot's URL and its signing secret, a JWT and its secret) is one finding under
 * the URL's or the JWT's rule. Made-up URLs, keys and tokens only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

#define DING_URL "https://oapi.dingtalk.com/robot/send?access_token=b5659b72a3a4bf4d4459f8cb627f08d9b07986af040042e945ea14feab2c10b5"
#define DING_SEC "SEC9dec547800a594df68332b32c392b8cea887a9612793163dd3ff1ba6d37744db"
#define FEISHU_URL "https://open.feishu.cn/open-apis/bot/v2/hook/641ad0da-0a1c-6db5-916f-34f89b54a93e"
#define TEAMS_URL "https://acme.webhook.office.com/webhookb2/a9197384-998e-ec7e-5f39-9b57c0efa7bd@d0d7106c-47b9-fb30-0827-17862b330cad/IncomingWebhook/a0c9a5271fc19c23321e2e1edb6924ec/3e0af3da-378b-7d9d-7025-8386f2e5c315/V2cVlsh2BQEnlCklKhXGhDZ4QgTkqGJHKXLwzGp767soX"
#define JWT "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZyIsInJvbGUiOiJhZG1pbiIsImlhdCI6MTczMzU2ODAwMCwiZXhwIjoxNzY1MTA0MDAwfQ.7w6v7srd5n9KlBssxAERolDAaoJmwNT3FwT2O3_nQhs"

// clang-format off
const struct rule_case cases_webhooks[] = {
    {"dingtalk-robot-webhook", "alert.py", "WEBHOOK = '" DING_URL "'\n", DING_URL, NULL},
    {"dingtalk-robot-webhook", "application.yml", "dingtalk:\n  webhook: " DING_URL "\n  secret: " DING_SEC "\n", DING_SEC, DING_URL},
    {"dingtalk-robot-webhook", "README.md", "POST https://oapi.dingtalk.com/robot/send?access_token=ACCESS_TOKEN\n", NULL, NULL},
    {"dingtalk-robot-secret", ".env", "DINGTALK_SECRET=" DING_SEC "\n", DING_SEC, NULL},
    {"dingtalk-robot-secret", "checksums.txt", "SEC9dec547800a594df68332b32c392b8cea887a9612793163dd3ff1ba6d37744db build.tar.gz\n", NULL, NULL},
    /* one hex digit short */
    {"dingtalk-robot-secret", ".env", "DINGTALK_SECRET=SEC9dec547800a594df68332b32c392b8cea887a9612793163dd3ff1ba6d37744d\n", NULL, NULL},
    {"wecom-robot-webhook", "notify.sh", "curl 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=7729030d-c2c9-de95-e075-4ca0ee14d5cc' -H 'Content-Type: application/json' -d @msg.json\n",
     "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=7729030d-c2c9-de95-e075-4ca0ee14d5cc", NULL},
    {"wecom-robot-webhook", "config.py", "WECOM_ROBOT_KEY = '7729030d-c2c9-de95-e075-4ca0ee14d5cc'\n", "7729030d-c2c9-de95-e075-4ca0ee14d5cc", NULL},
    {"wecom-robot-webhook", "config.py", "WECOM_CORP_ID = '7729030d-c2c9-de95-e075-4ca0ee14d5cc'\n", NULL, NULL},
    {"feishu-robot-webhook", "notify.go", "const hook = \"" FEISHU_URL "\"\n", FEISHU_URL, NULL},
    {"feishu-robot-webhook", "config.yaml", "feishu:\n  webhook: " FEISHU_URL "\n  secret: 6hJXsiuDsAiVj7yYyLuuze\n", "6hJXsiuDsAiVj7yYyLuuze", FEISHU_URL},
    {"feishu-robot-webhook", "docs.md", "https://open.feishu.cn/open-apis/bot/v2/hook/{hook_id}\n", NULL, NULL},
    {"feishu-secret", ".env", "FEISHU_APP_SECRET=6hJXsiuDsAiVj7yYyLuuze\n", "6hJXsiuDsAiVj7yYyLuuze", NULL},
    {"feishu-secret", "config.yaml", "feishu:\n  secret: feishu_bot_sign_secret\n", NULL, NULL},
    {"teams-webhook", "notify.ps1", "$uri = '" TEAMS_URL "'\n", TEAMS_URL, NULL},
    {"teams-webhook", "notify.ps1", "$uri = 'https://acme.webhook.office.com/webhookb2/a9197384-998e-ec7e-5f39-9b57c0efa7bd@d0d7106c-47b9-fb30-0827-17862b330cad/IncomingWebhook/'\n", NULL, NULL},
    {"zapier-webhook", "hooks.js", "fetch('https://hooks.zapier.com/hooks/catch/4839201/h554a5yb/', {method: 'POST'});\n",
     "https://hooks.zapier.com/hooks/catch/4839201/h554a5yb/", NULL},
    {"zapier-webhook", "hooks.js", "fetch('https://hooks.zapier.com/hooks/catch/123/abc/');\n", NULL, NULL},
    {"jwt-token", "test_auth.py", "JWT_SECRET = 'DqiUC8M8KuYfLKe5RRTfJSmWpIycWZV6'\nADMIN_TOKEN = '" JWT "'\n", "DqiUC8M8KuYfLKe5RRTfJSmWpIycWZV6", JWT},
    {"jwt-token", "api.http", "Authorization: Bearer " JWT "\n", NULL, NULL},
    {"jwt-signing-secret", "config/default.json", "  \"jwtSecret\": \"DqiUC8M8KuYfLKe5RRTfJSmWpIycWZV6\",\n", "DqiUC8M8KuYfLKe5RRTfJSmWpIycWZV6", NULL},
    {"jwt-signing-secret", "auth.js", "const token = jwt.sign({ sub: user.id }, 'DqiUC8M8KuYfLKe5RRTfJSmWpIycWZV6', { expiresIn: '1h' });\n", "DqiUC8M8KuYfLKe5RRTfJSmWpIycWZV6", NULL},
    {"jwt-signing-secret", "application.yml", "jwt:\n  secret-name: JWT_SIGNING_SECRET\njwt.secret: jwt_signing_secret_name\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
