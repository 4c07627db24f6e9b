/* cases_core — positives and hard negatives of the first rule files: cloud.conf (Alibaba,
 * Tencent, Huawei, AWS), tokens.conf (Google, GitHub, Slack), keys.conf, database.conf,
 * server.conf and generic.conf. Made-up keys only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

#define PEM_BODY                                                                              \
    "c92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpj7ZfZzp72dpiifA9SHEA8J\n"                     \
    "MOE9mQfHdlNwl9cyhDujS38BqRV1p0do/43+7tcVtUFQwjqDSQcRkMQbZhvYSmIR\n"                     \
    "9QTYrwA2Ne3pDXhg+rVlaxKQoTLHrEVWFk9VA/ZowuweIj+0GQIPd8x8La6PMHKC\n"
#define PEM_SECRET                                                                            \
    "c92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpj7ZfZzp72dpiifA9SHEA8J"                       \
    "MOE9mQfHdlNwl9cyhDujS38BqRV1p0do/43+7tcVtUFQwjqDSQcRkMQbZhvYSmIR"                       \
    "9QTYrwA2Ne3pDXhg+rVlaxKQoTLHrEVWFk9VA/ZowuweIj+0GQIPd8x8La6PMHKC"

// clang-format off
const struct rule_case cases_core[] = {
    /* cloud.conf */
    {"alibaba-accesskey-id", "App.java", "String ak = \"LTAI5tu8jzPde0IgxLd6Gncf\";\n",
     "LTAI5tu8jzPde0IgxLd6Gncf", "LTAI5tu8jzPde0IgxLd6Gncf"},
    {"alibaba-accesskey-id", "App.java", "String ak = \"XLTAI5tu8jzPde0IgxLd6Gncf\";\n", NULL, NULL},
    {"alibaba-accesskey-secret", "App.java", "accessKeySecret = \"oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO\";\n",
     "oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO", NULL},
    {"alibaba-accesskey-secret", "App.java", "accessKeySecret = \"oOOL8dKLzdocJ2isAjIhKtJ0RlgLKOx\";\n",
     NULL, NULL},
    {"tencent-secret-id", "config.py", "SecretId: AKIDwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2\n",
     "AKIDwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2", NULL},
    {"tencent-secret-id", "config.py", "SecretId: AKIDwR4y9ojfljo\n", NULL, NULL},
    {"tencent-secret-key", "config.py", "secretKey = \"G8NPRVdD53X83RZJzzzzgEOzdmenCkhv\"\n",
     "G8NPRVdD53X83RZJzzzzgEOzdmenCkhv", NULL},
    {"tencent-secret-key", "config.py", "secret_key = \"5f4dcc3b5aa765d61d8327deb882cf99\"\n", NULL, NULL},
    {"huawei-access-key", "env.sh", "HUAWEICLOUD_SDK_AK=DGAJ8GXBENYJQWX4HH53\n", "DGAJ8GXBENYJQWX4HH53", NULL},
    {"huawei-access-key", "env.sh", "HUAWEICLOUD_SDK_AK=DGAJ8GXBENYJQWX4HH5\n", NULL, NULL},
    {"huawei-secret-key", "Main.java", ".withSk(\"EEtfjgVvVqE1SkHbn88HxjSI6bWHtP3fS2qHx6kw\")\n",
     "EEtfjgVvVqE1SkHbn88HxjSI6bWHtP3fS2qHx6kw", NULL},
    {"huawei-secret-key", "Main.java", ".withSk(System.getenv(\"HUAWEICLOUD_SDK_SK\"))\n", NULL, NULL},
    {"aws-access-key-id", "credentials", "aws_access_key_id = AKIAT75V2SEH60KVJ50C\n",
     "AKIAT75V2SEH60KVJ50C", NULL},
    {"aws-access-key-id", "credentials", "aws_access_key_id = AKIAT75V2SEH60KVJ50\n", NULL, NULL},
    {"aws-secret-access-key", "credentials", "aws_secret_access_key = jORS+6ilI8ihN5KXSc7Tvo+hBKqFYY+kv5ZJr3J1\n",
     "jORS+6ilI8ihN5KXSc7Tvo+hBKqFYY+kv5ZJr3J1", NULL},
    {"aws-secret-access-key", "README.md", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
     NULL, NULL},
    /* tokens.conf */
    {"google-api-key", "index.html", "<script src=\"https://maps.googleapis.com/maps/api/js?key=AIzaCQCyEZDz-TddJ8HyS5SUkCnD8zRA9a9SkpX\">\n",
     "AIzaCQCyEZDz-TddJ8HyS5SUkCnD8zRA9a9SkpX", NULL},
    {"google-api-key", "index.html", "key=AIzaCQCyEZDz-TddJ8HyS5SUkCnD8zRA9a9Skp\n", NULL, NULL},
    {"github-token", "ci.sh", "git clone https://ghp_YTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0M@github.com/acme/x\n",
     "ghp_YTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0M", NULL},
    {"github-token", "ci.sh", "git clone https://ghp_YTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0@github.com/acme/x\n",
     NULL, NULL},
    {"github-fine-grained-token", "ci.sh",
     "GH=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\n",
     "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", NULL},
    {"github-fine-grained-token", "ci.sh",
     "GH=github_pat_EQ7wjJJibaZUPgHV7iB3m_3nbqnsGpWLuqIA1id6Vw5DQL05HA064GiIjHGb3CXlMaXZjljENUhJduRHH\n",
     NULL, NULL},
    {"slack-token", "bot.py", "SLACK = 'xoxb-871803340187-8017598983478-IZEG8pSH4487q7J58m1CiAhz'\n",
     "xoxb-871803340187-8017598983478-IZEG8pSH4487q7J58m1CiAhz", NULL},
    {"slack-token", "bot.py", "SLACK = 'xoxz-871803340187-8017598983478-IZEG8pSH4487q7J58m1CiAhz'\n", NULL, NULL},
    {"slack-webhook", "notify.sh",
     "curl -X POST https://hooks.slack.com/services/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\n",
     "hooks.slack.com/services/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", NULL},
    {"slack-webhook", "notify.sh", "see https://hooks.slack.com/services/ for the URL\n", NULL, NULL},
    /* keys.conf */
    {"private-key", "key.pem", "-----BEGIN RSA PRIVATE KEY-----\n" PEM_BODY "-----END RSA PRIVATE KEY-----\n",
     PEM_SECRET, NULL},
    {"private-key", "key.pem", "-----BEGIN RSA PUBLIC KEY-----\n" PEM_BODY "-----END RSA PUBLIC KEY-----\n",
     NULL, NULL},
    /* database.conf */
    {"database-url", "app.py", "DB = 'mysql://app:Zq7pW2xv@db.internal:3306/shop'\n", "Zq7pW2xv", NULL},
    {"database-url", "app.py", "DB = 'mysql://app@db.internal:3306/shop'\n", NULL, NULL},
    {"jdbc-password", "db.properties", "url=jdbc:mysql://db.internal:3306/shop?user=root&password=Jd8cK3xZ9\n",
     "Jd8cK3xZ9", NULL},
    {"jdbc-password", "db.properties", "url=jdbc:mysql://db.internal:3306/shop?user=root&password=${DB_PASS}\n",
     NULL, NULL},
    {"aliyun-rds-endpoint", "application.properties",
     "spring.datasource.url=jdbc:mysql://rm-bp1abc2def3gh4ij5.mysql.rds.aliyuncs.com:3306/shop\n"
     "spring.datasource.password=Hk2vQ9zP4w\n",
     "Hk2vQ9zP4w", "rm-bp1abc2def3gh4ij5.mysql.rds.aliyuncs.com"},
    {"aliyun-rds-endpoint", "hosts.txt", "db: rm-bp1abc2def3gh4ij5.mysql.rds.aliyuncs.com\n", NULL, NULL},
    {"aliyun-redis-endpoint", "application.yml",
     "spring:\n  redis:\n    host: r-bp1q2w3e4r5t6y7u8.redis.rds.aliyuncs.com\n    password: Rd8vK2mQ7x\n",
     "Rd8vK2mQ7x", "r-bp1q2w3e4r5t6y7u8.redis.rds.aliyuncs.com"},
    {"aliyun-redis-endpoint", "application.yml",
     "spring:\n  redis:\n    host: r-bp1q2w3e4r5t6y7u8.redis.rds.aliyuncs.com\n    port: 6379\n", NULL, NULL},
    {"spring-datasource-password", "application.properties", "spring.datasource.password=Sp7rQ2xWk\n",
     "Sp7rQ2xWk", NULL},
    {"spring-datasource-password", "application.properties", "spring.datasource.password=${DB_PASSWORD}\n",
     NULL, NULL},
    {"spring-datasource-password-yaml", "application.yml",
     "spring:\n  datasource:\n    username: shop\n    password: Yq8mW3zKp\n", "Yq8mW3zKp", NULL},
    {"spring-datasource-password-yaml", "application.yml",
     "spring:\n  datasource:\n    username: shop\n    password: ${DB_PASSWORD:}\n", NULL, NULL},
    {"django-db-password", "settings.py", "DATABASES = {'default': {\n    'PASSWORD': 'Dj4ngoPw9x',\n}}\n",
     "Dj4ngoPw9x", NULL},
    {"django-db-password", "settings.py", "    'PASSWORD': os.environ['DB_PASSWORD'],\n", NULL, NULL},
    {"php-db-connect", "db.php", "$c = mysqli_connect(\"localhost\", \"root\", \"Ph9qLm2x\", \"shop\");\n",
     "Ph9qLm2x", NULL},
    {"php-db-connect", "db.php", "$pdo = new PDO($dsn, $user, $pass);\n", NULL, NULL},
    {"dotenv-db-password", ".env", "APP_ENV=prod\nDB_PASSWORD=Env5Qx9wT\n", "Env5Qx9wT", NULL},
    {"dotenv-db-password", ".env", "DB_PASSWORD=${SECRET_DB_PASSWORD}\n", NULL, NULL},
    {"redis-requirepass", "redis.conf", "requirepass Rq7xZ2pL9\n", "Rq7xZ2pL9", NULL},
    {"redis-requirepass", "redis.conf", "# requirepass foobared\nrequirepass foobared\n", NULL, NULL},
    {"redis-cli-password", "check.sh", "redis-cli -h 10.0.0.3 -a Rc8vN3xQ ping\n", "Rc8vN3xQ", NULL},
    {"redis-cli-password", "check.sh", "redis-cli -h 10.0.0.3 -a \"$REDIS_PASS\" ping\n", NULL, NULL},
    /* server.conf */
    {"sshpass-password", "deploy.sh", "sshpass -p 'Ss9hPx2q' ssh root@10.0.0.8 uptime\n", "Ss9hPx2q", NULL},
    {"sshpass-password", "deploy.sh", "sshpass -p \"$SSH_PASS\" ssh root@10.0.0.8\n", NULL, NULL},
    {"ansible-password", "hosts", "web1 ansible_host=10.0.0.9 ansible_ssh_pass=An5ibleX9 ansible_user=root\n",
     "An5ibleX9", NULL},
    {"ansible-password", "group_vars/all.yml", "ansible_password: \"{{ vault_ssh_pass }}\"\n", NULL, NULL},
    {"ssh-connect-password", "ops.py", "ssh.connect('10.0.0.1', username='root', password='Pk8mX2qz')\n",
     "Pk8mX2qz", NULL},
    {"ssh-connect-password", "ops.py", "ssh.connect(host, username=user, password=pw)\n", NULL, NULL},
    /* generic.conf */
    {"password-assignment", "client.py", "api_token = \"q7Zr2LmT5vXw9Kp3Nb7Y\"\n", "q7Zr2LmT5vXw9Kp3Nb7Y", NULL},
    {"password-assignment", "client.py", "client_secret = \"123e4567-e89b-12d3-a456-426614174000\"\n", NULL, NULL},
    {"password-config", "config.yml", "service:\n  secret: vJDCTbyvHNsG9e\n", "vJDCTbyvHNsG9e", NULL},
    {"password-config", "config.yml", "service:\n  secret: ${SERVICE_SECRET}\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
