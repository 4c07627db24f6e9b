/* test_detect — the detection engine against the shipped rules (data/rules from the source
 * tree): per rule true and false cases, pairing, masking, fingerprints, CRLF, long lines,
 * NUL bytes, binary detection. Rule-file errors are in test_rules.c.
 * Every key below is made up for these tests; none was ever issued. */
#include "config.h"
#include "detect/detect.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define MAXF 32

struct got {
    char rule[64], secret[4096], masked[4096], ak[256], fp[65], line_masked[512];
    enum severity sev;
    size_t line, col;
};

struct result {
    struct got g[MAXF];
    int n;
    int stop_after; /* callback returns 1 after this many findings, 0 = never */
};

static int
collect(const struct finding *f, void *user)
{
    struct result *r = user;
    if (r->n < MAXF) {
        struct got *g = &r->g[r->n];
        snprintf(g->rule, sizeof g->rule, "%s", f->rule->id);
        snprintf(g->secret, sizeof g->secret, "%s", f->secret);
        snprintf(g->masked, sizeof g->masked, "%s", f->secret_masked);
        snprintf(g->ak, sizeof g->ak, "%s", f->ak_id ? f->ak_id : "");
        snprintf(g->fp, sizeof g->fp, "%s", f->fingerprint);
        snprintf(g->line_masked, sizeof g->line_masked, "%s", f->line_masked);
        g->sev = f->severity;
        g->line = f->line;
        g->col = f->column;
    }
    r->n++;
    return r->stop_after && r->n >= r->stop_after;
}

static struct detect_ruleset *rs;
static struct detector *det;

static enum akw_status
scan_n(const char *path, const char *text, size_t len, struct result *r)
{
    memset(r, 0, sizeof *r);
    return detector_scan(det, path, text, len, collect, r);
}

static void
scan(const char *path, const char *text, struct result *r)
{
    scan_n(path, text, strlen(text), r);
}

/* ---- per-rule table ------------------------------------------------------------- */

struct tcase {
    const char *name;
    const char *path;
    const char *text;
    const char *rule;   /* expected rule of the single finding; NULL = no finding */
    const char *secret; /* expected secret */
};

// clang-format off
static const struct tcase cases[] = {
    /* Alibaba Cloud */
    {"alibaba id (modern)", "App.java", "String ak = \"LTAI5tu8jzPde0IgxLd6Gncf\";\n",
     "alibaba-accesskey-id", "LTAI5tu8jzPde0IgxLd6Gncf"},
    {"alibaba id (old form)", "conf.yml", "access_key_id: LTAIBAepfJBd0Kh8\n",
     "alibaba-accesskey-id", "LTAIBAepfJBd0Kh8"},
    {"alibaba secret", "App.java", "accessKeySecret = \"oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO\";\n",
     "alibaba-accesskey-secret", "oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO"},
    {"alibaba secret env", "run.sh", "export ALIBABA_CLOUD_ACCESS_KEY_SECRET=mxgJTeKdNnFRIBXuDL7DxtpYlSXpfK\n",
     "alibaba-accesskey-secret", "mxgJTeKdNnFRIBXuDL7DxtpYlSXpfK"},
    {"alibaba id masked placeholder", "a.py", "access_key_id = 'LTAI****************'\n", NULL, NULL},
    {"alibaba id xxxx placeholder", "a.py", "access_key_id = 'LTAIxxxxxxxxxxxxxxxx'\n", NULL, NULL},
    {"alibaba id your-key", "a.py", "accessKeyId: <your-access-key-id>\n", NULL, NULL},
    {"alibaba secret placeholder", "a.py", "access_key_secret = \"your_access_key_secret\"\n", NULL, NULL},
    {"alibaba secret templated", "a.yml", "access_key_secret: \"{{ aliyun_secret }}\"\n", NULL, NULL},
    {"alibaba secret getenv", "a.py", "access_key_secret = os.getenv('ALIBABA_CLOUD_ACCESS_KEY_SECRET')\n", NULL, NULL},
    /* AWS */
    {"aws id", "credentials", "aws_access_key_id = AKIAT75V2SEH60KVJ50C\n",
     "aws-access-key-id", "AKIAT75V2SEH60KVJ50C"},
    {"aws secret", "credentials", "aws_secret_access_key = jORS+6ilI8ihN5KXSc7Tvo+hBKqFYY+kv5ZJr3J1\n",
     "aws-secret-access-key", "jORS+6ilI8ihN5KXSc7Tvo+hBKqFYY+kv5ZJr3J1"},
    {"aws documentation id", "README.md", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", NULL, NULL},
    {"aws documentation secret", "README.md",
     "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", NULL, NULL},
    {"aws secret from env", "app.js", "secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,\n", NULL, NULL},
    /* Tencent Cloud */
    {"tencent secret id", "config.py", "SecretId: AKIDwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2\n",
     "tencent-secret-id", "AKIDwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2"},
    {"tencent secret key", "config.py", "secretKey = \"G8NPRVdD53X83RZJzzzzgEOzdmenCkhv\"\n",
     "tencent-secret-key", "G8NPRVdD53X83RZJzzzzgEOzdmenCkhv"},
    {"tencent secret key is a hash", "config.py", "secret_key = \"5f4dcc3b5aa765d61d8327deb882cf99\"\n", NULL, NULL},
    /* Huawei Cloud */
    {"huawei ak", "env.sh", "HUAWEICLOUD_SDK_AK=DGAJ8GXBENYJQWX4HH53\n", "huawei-access-key", "DGAJ8GXBENYJQWX4HH53"},
    {"huawei sk", "Main.java", ".withSk(\"EEtfjgVvVqE1SkHbn88HxjSI6bWHtP3fS2qHx6kw\")\n",
     "huawei-secret-key", "EEtfjgVvVqE1SkHbn88HxjSI6bWHtP3fS2qHx6kw"},
    {"huawei sk from env", "Main.java", ".withSk(System.getenv(\"HUAWEICLOUD_SDK_SK\"))\n", NULL, NULL},
    /* tokens */
    {"google api key", "index.html", "<script src=\"https://maps.googleapis.com/maps/api/js?key=AIzaCQCyEZDz-TddJ8HyS5SUkCnD8zRA9a9SkpX\">\n",
     "google-api-key", "AIzaCQCyEZDz-TddJ8HyS5SUkCnD8zRA9a9SkpX"},
    {"google api key placeholder", "index.html", "key=AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n", NULL, NULL},
    {"github classic token", "ci.sh", "git clone https://ghp_YTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0M@github.com/acme/x\n",
     "github-token", "ghp_YTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0M"},
    {"github fine-grained token", "ci.sh",
     "GH=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\n",
     "github-fine-grained-token",
     "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"},
    {"github token placeholder", "ci.sh", "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", NULL, NULL},
    {"slack bot token", "bot.py", "SLACK = 'xoxb-871803340187-8017598983478-IZEG8pSH4487q7J58m1CiAhz'\n",
     "slack-token", "xoxb-871803340187-8017598983478-IZEG8pSH4487q7J58m1CiAhz"},
    {"slack webhook", "notify.sh",
     "curl -X POST https://hooks.slack.com/services/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\n",
     "slack-webhook", "hooks.slack.com/services/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"},
    /* private keys (body placeholders) */
    {"private key placeholder", "README.md",
     "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n", NULL, NULL},
    {"private key header only", "pem.py", "if line == '-----BEGIN PRIVATE KEY-----':\n    pass\n", NULL, NULL},
    /* databases */
    {"mysql url", "app.py", "DB = 'mysql://app:Zq7pW2xv@db.internal:3306/shop'\n", "database-url", "Zq7pW2xv"},
    {"postgresql url", "app.py", "url = \"postgresql://svc:Pg8kLm2qZ@10.0.0.5/app\"\n", "database-url", "Pg8kLm2qZ"},
    {"mongodb+srv url", "app.js", "const uri = 'mongodb+srv://admin:Mg7xP2wQk@cluster0.abcde.mongodb.net/test';\n",
     "database-url", "Mg7xP2wQk"},
    {"redis url, no user", "app.py", "REDIS_URL = 'redis://:Rd5mQ8zX@cache.internal:6379/0'\n", "database-url", "Rd5mQ8zX"},
    {"sqlalchemy url", "app.py", "engine = create_engine('mysql+pymysql://u:Sq9xK2pL@h/db')\n", "database-url", "Sq9xK2pL"},
    {"jdbc password param", "db.properties", "url=jdbc:mysql://db.internal:3306/shop?user=root&password=Jd8cK3xZ9\n",
     "jdbc-password", "Jd8cK3xZ9"},
    {"db url templated", "app.py", "DB = f'mysql://app:${DB_PASS}@db.internal/shop'\n", NULL, NULL},
    {"db url placeholder", "README.md", "mysql://root:password@localhost:3306/test\n", NULL, NULL},
    {"db url with angle placeholder", "README.md", "postgres://user:<password>@host/db\n", NULL, NULL},
    {"spring properties", "application.properties", "spring.datasource.password=Sp7rQ2xWk\n",
     "spring-datasource-password", "Sp7rQ2xWk"},
    {"spring properties from env", "application.properties", "spring.datasource.password=${DB_PASSWORD}\n", NULL, NULL},
    {"spring properties jasypt", "application.properties", "spring.datasource.password=ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)\n", NULL, NULL},
    {"spring yaml", "application.yml",
     "spring:\n  datasource:\n    url: jdbc:mysql://localhost/db\n    username: shop\n    password: Yq8mW3zKp\n",
     "spring-datasource-password-yaml", "Yq8mW3zKp"},
    {"spring yaml from env", "application.yml",
     "spring:\n  datasource:\n    username: shop\n    password: ${DB_PASSWORD:}\n", NULL, NULL},
    {"django", "settings.py", "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql',\n    'PASSWORD': 'Dj4ngoPw9x',\n}}\n",
     "django-db-password", "Dj4ngoPw9x"},
    {"django from environ", "settings.py", "    'PASSWORD': os.environ['DB_PASSWORD'],\n", NULL, NULL},
    {"php mysqli_connect", "db.php", "$c = mysqli_connect(\"localhost\", \"root\", \"Ph9qLm2x\", \"shop\");\n",
     "php-db-connect", "Ph9qLm2x"},
    {"php pdo", "db.php", "$pdo = new PDO('mysql:host=localhost;dbname=shop', 'shop', 'Pd0Xy7qZ');\n",
     "php-db-connect", "Pd0Xy7qZ"},
    {"php pdo variable", "db.php", "$pdo = new PDO($dsn, $user, $pass);\n", NULL, NULL},
    {".env DB_PASSWORD", ".env", "APP_ENV=prod\nDB_PASSWORD=Env5Qx9wT\n", "dotenv-db-password", "Env5Qx9wT"},
    {".env.production DB_PASSWORD", "deploy/.env.production", "DB_PASSWORD=\"Env5Qx9wT\"\n", "dotenv-db-password", "Env5Qx9wT"},
    {".env reference", ".env", "DB_PASSWORD=${SECRET_DB_PASSWORD}\n", NULL, NULL},
    {".env placeholder", ".env", "DB_PASSWORD=changeme\n", NULL, NULL},
    {"DB_PASSWORD outside .env", "notes.txt", "DB_PASSWORD=Env5Qx9wT\n", NULL, NULL},
    {"redis requirepass", "redis.conf", "requirepass Rq7xZ2pL9\n", "redis-requirepass", "Rq7xZ2pL9"},
    {"redis requirepass example", "redis.conf", "# requirepass foobared\nrequirepass foobared\n", NULL, NULL},
    {"redis-cli -a", "check.sh", "redis-cli -h 10.0.0.3 -a Rc8vN3xQ ping\n", "redis-cli-password", "Rc8vN3xQ"},
    /* server passwords */
    {"sshpass", "deploy.sh", "sshpass -p 'Ss9hPx2q' ssh root@10.0.0.8 uptime\n", "sshpass-password", "Ss9hPx2q"},
    {"sshpass variable", "deploy.sh", "sshpass -p \"$SSH_PASS\" ssh root@10.0.0.8\n", NULL, NULL},
    {"ansible inventory", "hosts", "web1 ansible_host=10.0.0.9 ansible_ssh_pass=An5ibleX9 ansible_user=root\n",
     "ansible-password", "An5ibleX9"},
    {"ansible become", "group_vars/all.yml", "ansible_become_pass: \"Bc7mK2xQ\"\n", "ansible-password", "Bc7mK2xQ"},
    {"ansible vault", "group_vars/all.yml", "ansible_password: !vault |\n", NULL, NULL},
    {"ansible templated", "group_vars/all.yml", "ansible_password: \"{{ vault_ssh_pass }}\"\n", NULL, NULL},
    {"paramiko connect", "ops.py", "ssh.connect('10.0.0.1', username='root', password='Pk8mX2qz')\n",
     "ssh-connect-password", "Pk8mX2qz"},
    {"paramiko connect variable", "ops.py", "ssh.connect(host, username=user, password=pw)\n", NULL, NULL},
    /* generic */
    {"generic token", "client.py", "api_token = \"q7Zr2LmT5vXw9Kp3Nb7Y\"\n", "password-assignment", "q7Zr2LmT5vXw9Kp3Nb7Y"},
    {"generic config", "config.yml", "service:\n  secret: vJDCTbyvHNsG9e\n", "password-config", "vJDCTbyvHNsG9e"},
    {"generic uuid", "client.py", "client_secret = \"123e4567-e89b-12d3-a456-426614174000\"\n", NULL, NULL},
    {"generic sha256", "client.py",
     "token = \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"\n", NULL, NULL},
    {"generic low entropy", "client.py", "password = \"aaaabbbb\"\n", NULL, NULL},
    {"generic word", "client.py", "token_type = \"access_token\"\n", NULL, NULL},
    {"generic process.env", "client.js", "const apiKey = process.env.API_KEY;\n", NULL, NULL},
    {"generic %(var)s", "settings.ini", "password = %(db_password)s\n", NULL, NULL},
    {"generic ENV[]", "client.rb", "password = ENV['DB_PASSWORD']\n", NULL, NULL},
    {"generic System.getenv", "Client.java", "String secret = System.getenv(\"SECRET\");\n", NULL, NULL},
    {"generic stars", "config.yml", "token: '******'\n", NULL, NULL},
    {"generic dummy", "client.py", "password = \"dummy\"\n", NULL, NULL},
    {"generic test", "client.py", "password = \"test\"\n", NULL, NULL},
    {"generic example", "client.py", "secret_key = \"example-secret-key-value\"\n", NULL, NULL},
    {"generic across string pieces", "p.pas", "writeln('Size=',CurTokenIndex,' x');\n", NULL, NULL},
    {"generic printf template", "lex.py", "_token = r'(?:%s|%s|%s)' % (a, b, c)\n", NULL, NULL},
    {"generic RFC 6749 example", "oauth.py", "\"access_token\":\"2YotnFZFEjr1zCsicMWpAA\",\n", NULL, NULL},
    {"generic e-mail (anonymous ftp)", "ftp.pas", "Pwd := 'nobody@nowhere.com';\n", NULL, NULL},
    {"generic in lock file", "package-lock.json", "\"token\": \"q7Zr2LmT5vXw9Kp3Nb7Y\"\n", NULL, NULL},
};
// clang-format on

static void
test_table(void)
{
    struct result r;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct tcase *c = &cases[i];
        scan(c->path, c->text, &r);
        if (!c->rule) {
            if (!ok(r.n == 0, "false case: %s", c->name))
                printf("#   found %s '%s'\n", r.g[0].rule, r.g[0].secret);
            continue;
        }
        if (!ok(r.n == 1, "true case: %s: one finding", c->name)) {
            printf("#   got %d findings\n", r.n);
            for (int k = 0; k < r.n && k < MAXF; k++)
                printf("#   %s '%s'\n", r.g[k].rule, r.g[k].secret);
            continue;
        }
        is_str(r.g[0].rule, c->rule, "true case: %s: rule", c->name);
        is_str(r.g[0].secret, c->secret, "true case: %s: secret", c->name);
    }
}

/* That every shipped rule has a positive and a hard negative is test_providers.c's job. */

/* ---- pairing ------------------------------------------------------------------- */

static void
test_pairing(void)
{
    struct result r;
    scan("App.java",
         "// oss client\n"
         "String accessKeyId = \"LTAI5tu8jzPde0IgxLd6Gncf\";\n"
         "String region = \"cn-hangzhou\";\n"
         "String accessKeySecret = \"oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO\";\n",
         &r);
    is_int(r.n, 1, "alibaba ID + secret within 5 lines: one finding");
    is_str(r.g[0].rule, "alibaba-accesskey-id", "pair: reported under the ID rule");
    is_int(r.g[0].sev, SEVERITY_CRITICAL, "pair: critical");
    is_str(r.g[0].secret, "oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO", "pair: secret is the AccessKey Secret");
    is_str(r.g[0].ak, "LTAI5tu8jzPde0IgxLd6Gncf", "pair: ak_id is the AccessKey ID");
    is_int(r.g[0].line, 4, "pair: line of the secret");
    is_int(r.g[0].col, 27, "pair: column of the secret");

    scan("App.java",
         "String accessKeyId = \"LTAI5tu8jzPde0IgxLd6Gncf\";\n"
         "\n\n\n\n\n\n\n\n"
         "String accessKeySecret = \"oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO\";\n",
         &r);
    is_int(r.n, 2, "ID and secret 9 lines apart: two findings");
    is_str(r.g[0].rule, "alibaba-accesskey-id", "lone ID: ID rule");
    is_int(r.g[0].sev, SEVERITY_HIGH, "lone ID: high");
    is_str(r.g[0].secret, "LTAI5tu8jzPde0IgxLd6Gncf", "lone ID: secret is the ID");
    is_str(r.g[0].ak, "LTAI5tu8jzPde0IgxLd6Gncf", "lone ID: ak_id is the ID");
    is_str(r.g[1].rule, "alibaba-accesskey-secret", "lone secret: secret rule");
    is_str(r.g[1].ak, "", "lone secret: no ak_id");

    scan("conf.ini",
         "[prod]\nak = LTAI5tu8jzPde0IgxLd6Gncf\nsecret = oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO\n"
         "[test]\nak = LTAIBAepfJBd0Kh8\nsecret = mxgJTeKdNnFRIBXuDL7DxtpYlSXpfK\n",
         &r);
    is_int(r.n, 2, "two pairs in one file: two findings");
    ok(r.n == 2 && strcmp(r.g[0].ak, "LTAI5tu8jzPde0IgxLd6Gncf") == 0 &&
           strcmp(r.g[0].secret, "oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO") == 0 &&
           strcmp(r.g[1].ak, "LTAIBAepfJBd0Kh8") == 0 &&
           strcmp(r.g[1].secret, "mxgJTeKdNnFRIBXuDL7DxtpYlSXpfK") == 0,
       "each ID takes its nearest secret");

    scan("Main.java",
         "DefaultProfile p = DefaultProfile.getProfile(\"cn-hangzhou\", \"LTAI5tu8jzPde0IgxLd6Gncf\", "
         "\"oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO\");\n",
         &r);
    is_int(r.n, 1, "ID and secret as call arguments: one finding");
    is_int(r.g[0].sev, SEVERITY_CRITICAL, "call arguments: critical pair");
    ok(!strstr(r.g[0].line_masked, "LTAI5tu8jzPde0IgxLd6Gncf") &&
           !strstr(r.g[0].line_masked, "oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO"),
       "call arguments: neither ID nor secret in the masked line");

    scan("credentials",
         "[default]\naws_access_key_id = AKIAT75V2SEH60KVJ50C\n"
         "aws_secret_access_key = jORS+6ilI8ihN5KXSc7Tvo+hBKqFYY+kv5ZJr3J1\n",
         &r);
    ok(r.n == 1 && r.g[0].sev == SEVERITY_CRITICAL && strcmp(r.g[0].ak, "AKIAT75V2SEH60KVJ50C") == 0,
       "aws ID + secret: one critical finding");

    scan("tc.py",
         "cred = credential.Credential(\"AKIDwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2\", "
         "\"G8NPRVdD53X83RZJzzzzgEOzdmenCkhv\")\n",
         &r);
    ok(r.n == 1 && r.g[0].sev == SEVERITY_CRITICAL && strcmp(r.g[0].rule, "tencent-secret-id") == 0,
       "tencent SecretId + SecretKey: one critical finding");

    scan("obs.env", "HUAWEICLOUD_SDK_AK=DGAJ8GXBENYJQWX4HH53\nHUAWEICLOUD_SDK_SK=EEtfjgVvVqE1SkHbn88HxjSI6bWHtP3fS2qHx6kw\n",
         &r);
    ok(r.n == 1 && r.g[0].sev == SEVERITY_CRITICAL && strcmp(r.g[0].rule, "huawei-access-key") == 0,
       "huawei AK + SK: one critical finding");

    scan("application.properties",
         "spring.datasource.url=jdbc:mysql://rm-bp1abc2def3gh4ij5.mysql.rds.aliyuncs.com:3306/shop\n"
         "spring.datasource.username=shop\n"
         "spring.datasource.password=Hk2vQ9zP4w\n",
         &r);
    is_int(r.n, 1, "RDS endpoint + password: one finding");
    is_str(r.g[0].rule, "aliyun-rds-endpoint", "RDS pair: endpoint rule");
    is_int(r.g[0].sev, SEVERITY_CRITICAL, "RDS pair: critical");
    is_str(r.g[0].secret, "Hk2vQ9zP4w", "RDS pair: secret is the password");
    is_str(r.g[0].ak, "rm-bp1abc2def3gh4ij5.mysql.rds.aliyuncs.com", "RDS pair: ak_id is the endpoint");

    scan("application.yml",
         "spring:\n  redis:\n    host: r-bp1q2w3e4r5t6y7u8.redis.rds.aliyuncs.com\n    port: 6379\n"
         "    password: Rd8vK2mQ7x\n",
         &r);
    ok(r.n == 1 && strcmp(r.g[0].rule, "aliyun-redis-endpoint") == 0 && r.g[0].sev == SEVERITY_CRITICAL &&
           strcmp(r.g[0].secret, "Rd8vK2mQ7x") == 0,
       "Redis endpoint + password: one critical finding");

    scan("app.py", "DB = 'mysql://app:Zq7pW2xv@rm-bp1abc2def3gh4ij5.mysql.rds.aliyuncs.com:3306/shop'\n", &r);
    ok(r.n == 1 && strcmp(r.g[0].rule, "aliyun-rds-endpoint") == 0 && strcmp(r.g[0].secret, "Zq7pW2xv") == 0,
       "RDS endpoint inside the database URL: one critical finding");

    scan("hosts.txt", "db: rm-bp1abc2def3gh4ij5.mysql.rds.aliyuncs.com\n", &r);
    is_int(r.n, 0, "RDS endpoint without a password: no finding");
}

/* ---- private keys ---------------------------------------------------------------- */

static const char *const pem_lines[] = {
    "c92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpj7ZfZzp72dpiifA9SHEA8J",
    "MOE9mQfHdlNwl9cyhDujS38BqRV1p0do/43+7tcVtUFQwjqDSQcRkMQbZhvYSmIR",
    "9QTYrwA2Ne3pDXhg+rVlaxKQoTLHrEVWFk9VA/ZowuweIj+0GQIPd8x8La6PMHKC",
    "MPy7xCFrpGIdZWv9NgBF3fj5zZdN/+IFNS9k/tqapJMZCv0lNnFCAsWcVNRLYhIT",
    "FzWVoj4DmV5fn3Qg9ZZ71ZMi3WIuoCdP6DrRnD+5MCi9ofCNMq/zY+F7mhRrDBob",
    "CYP2QT29tGRBa9LnmH1LhSztuPoRIDp6j6fanZ0SRzbq6jS/BBFEaXI/DwstSF6H",
    "kvkhF1wj5HP7VKi7sIWV8iOXCOwEeelbs0/2CAWZohN7EbtPUSL/EhNzi168C+bv",
    "vLy0Icv26ldaFa955hPf22rxygfdf5IDn6lhYZUDmxIUF6Md/kHharpUY++8sZR1",
    "cHbWihWEwIMHT5kWewU69bIcf8edqOt8QeUCXk0krZwzhCvA51eo7nF/5D1TZ6pA",
    "MqJuzc7B6jPhNmI4letRNSIif1nW5dkKthDz+kbSKxxzeEbsNtRpYaCFfqxQt9bX",
    "+59zUhPUCEffmwqttUeSWk+mypAEpCJndDAGxNREPMckywz7oR1yG6GJp6POXvUT",
    "rzIz0nlBLbYCwXiItgktOUXHWIqy8oWAnf/BKGTZyrPnORZp7uS4YyFzdDKg4+gB",
    "YIyRp+GAy9HxV3ZTpvs0Gbjd0cyk7Lcf",
};
#define PEM_FP "54c46cd076c32ae02e03497de0e3628afc5f3ebd97f6ee4b6f64f93c7ecc5fd1"

static char *
pem(const char *type, const char *nl, const char *before, const char *after)
{
    static char buf[8192];
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s-----BEGIN %sPRIVATE KEY-----%s", before, type, nl);
    for (size_t i = 0; i < sizeof pem_lines / sizeof *pem_lines; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", pem_lines[i], nl);
    snprintf(buf + n, sizeof buf - n, "-----END %sPRIVATE KEY-----%s", type, after);
    return buf;
}

static void
test_private_keys(void)
{
    struct result r;
    static const struct {
        const char *name, *type, *nl, *before, *after;
    } forms[] = {
        {"RSA PEM, LF", "RSA ", "\n", "", "\n"},
        {"PKCS#8 PEM, CRLF", "", "\r\n", "", "\r\n"},
        {"OpenSSH", "OPENSSH ", "\n", "# deploy key\n", "\n"},
        {"EC PEM in a JSON string", "EC ", "\\n", "{\"private_key\": \"", "\\n\"}\n"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        scan("key.pem", pem(forms[i].type, forms[i].nl, forms[i].before, forms[i].after), &r);
        if (!ok(r.n == 1 && strcmp(r.g[0].rule, "private-key") == 0, "private key: %s", forms[i].name))
            continue;
        is_str(r.g[0].fp, PEM_FP, "private key: %s: fingerprint independent of layout", forms[i].name);
        is_int(r.g[0].sev, SEVERITY_CRITICAL, "private key: %s: critical", forms[i].name);
        ok(!strstr(r.g[0].line_masked, "c92P2+zHd3OC2pYwL82De"), "private key: %s: body masked", forms[i].name);
        const char *m = r.g[0].masked;
        if (!ok(strncmp(m, "c92P2+****************", 22) == 0 && strlen(m) < 48 &&
                    strcmp(m + strlen(m) - 7, " chars)") == 0,
                "private key: %s: secret_masked is compact", forms[i].name))
            printf("#   got '%s'\n", m);
    }
}

/* ---- masking and fingerprints ---------------------------------------------------- */

static void
test_mask(void)
{
    char out[256];
    detect_mask("LTAI5tu8jzPde0IgxLd6Gncf", out);
    is_str(out, "LTAI5t****************cf", "mask: modern AccessKey ID keeps LTAI5t and 2 chars");
    detect_mask("", out);
    is_str(out, "", "mask: empty");
    detect_mask("ab", out);
    is_str(out, "**", "mask: 2 chars all hidden");
    detect_mask("oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO", out);
    is_str(out, "oOOL8d**********************KO", "mask: 30-char secret");
    int worst = 0;
    char s[201];
    for (size_t n = 0; n <= 200; n++) {
        memset(s, 'k', n);
        s[n] = '\0';
        detect_mask(s, out);
        size_t shown = 0;
        for (size_t i = 0; i < n; i++)
            shown += out[i] != '*';
        if (shown * 3 > n || strlen(out) != n)
            worst = 1;
    }
    ok(!worst, "mask: never more than a third shown, length kept (0..200)");
    char *c = detect_mask_compact("LTAI5tu8jzPde0IgxLd6Gncf");
    is_str(c, "LTAI5t****************cf", "mask_compact: a short secret as detect_mask");
    free(c);
    memset(s, 'k', 64);
    s[64] = '\0';
    c = detect_mask_compact(s);
    is_int(strlen(c), 64, "mask_compact: 64 characters kept whole");
    free(c);
    memset(s, 'k', 200);
    s[200] = '\0';
    s[0] = 'A', s[199] = 'Z';
    c = detect_mask_compact(s);
    is_str(c, "Akkkkk****************kkkZ (200 chars)", "mask_compact: 200 characters cut");
    free(c);

    struct result r;
    scan("a.sh", "\x1b]0;pwned\x07\x1b[31mapi_token = \"q7Zr2LmT5vXw9Kp3Nb7Y\"\x1b[0m \xc2\x9b" "2J\n", &r);
    is_int(r.n, 1, "line with escapes: finding");
    ok(!strchr(r.g[0].line_masked, 0x1b) && !strchr(r.g[0].line_masked, 0x07) &&
           !strstr(r.g[0].line_masked, "\xc2\x9b"),
       "line_masked: no ESC, BEL or C1 CSI left");
    ok(!strstr(r.g[0].line_masked, "q7Zr2LmT5vXw9Kp3Nb7Y"), "line_masked: secret masked");
    is_str(r.g[0].masked, "q7Zr2**************Y", "secret_masked: 20 chars, 6 shown");

    char fp[65];
    detect_fingerprint("alibaba-accesskey-id", "LTAI5tu8jzPde0IgxLd6Gncf", fp);
    is_str(fp, "c063065401033ee2b235ba87d29916dd711d9aea9128cf868e946954f81bc0fb",
           "fingerprint = sha256(rule, NUL, secret)");
    scan("a/App.java", "String ak = \"LTAI5tu8jzPde0IgxLd6Gncf\";\n", &r);
    struct result r2;
    scan("b/other.yml", "\n\nkey: LTAI5tu8jzPde0IgxLd6Gncf\n", &r2);
    ok(r.n == 1 && r2.n == 1 && strcmp(r.g[0].fp, r2.g[0].fp) == 0 && strcmp(r.g[0].fp, fp) == 0,
       "fingerprint: same key in two files, one fingerprint");
}

/* ---- odd input ------------------------------------------------------------------- */

static void
test_odd_input(void)
{
    struct result r;
    scan("App.java",
         "class A {\r\n  String id = \"LTAI5tu8jzPde0IgxLd6Gncf\";\r\n"
         "  String accessKeySecret = \"oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO\";\r\n}\r\n",
         &r);
    ok(r.n == 1 && r.g[0].line == 3 && strcmp(r.g[0].secret, "oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO") == 0 &&
           !strchr(r.g[0].line_masked, '\r'),
       "CRLF file: pair found, line 3, no CR in secret or line");
    scan(".env", "DB_PASSWORD=Env5Qx9wT\r\nX=1\r\n", &r);
    ok(r.n == 1 && strcmp(r.g[0].secret, "Env5Qx9wT") == 0, "CRLF .env: CR not part of the value");

    /* an 8 MiB line with the secret in the middle */
    size_t half = 4u << 20;
    const char *mid = " api_token = \"q7Zr2LmT5vXw9Kp3Nb7Y\" ";
    size_t len = 2 * half + strlen(mid);
    char *big = malloc(len);
    memset(big, 'a', half);
    memcpy(big + half, mid, strlen(mid));
    memset(big + half + strlen(mid), 'b', half);
    scan_n("big.js", big, len, &r);
    ok(r.n == 1 && r.g[0].line == 1 && r.g[0].col == half + 15, "8 MiB line: finding at its column");
    ok(r.n == 1 && strlen(r.g[0].line_masked) <= 300, "8 MiB line: line_masked cut to 300 bytes");

    /* the same line dense with keywords: every byte near a hit, nothing to find */
    for (size_t i = 0; i + 9 <= len; i += 9)
        memcpy(big + i, "password ", 9);
    scan_n("big.js", big, len, &r);
    is_int(r.n, 0, "8 MiB line of keywords: completes, no finding");
    free(big);

    static const char bin[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0key=\0LTAI5tu8jzPde0IgxLd6Gncf\0\0\x01\x02";
    scan_n("a.out", bin, sizeof bin - 1, &r);
    ok(r.n == 1 && strcmp(r.g[0].secret, "LTAI5tu8jzPde0IgxLd6Gncf") == 0, "NUL bytes: still scanned");
    ok(detect_is_binary(bin, sizeof bin - 1), "binary: NUL bytes");
    ok(!detect_is_binary("hello\r\nworld\n\tx\n", 16), "binary: text with CRLF and tab is text");
    ok(!detect_is_binary("", 0), "binary: empty is text");
    char ctrl[200];
    for (size_t i = 0; i < sizeof ctrl; i++)
        ctrl[i] = (char)(i % 2 ? 0x01 : 'a');
    ok(detect_is_binary(ctrl, sizeof ctrl), "binary: mostly control bytes");
    ok(!detect_is_binary("\xe4\xbd\xa0\xe5\xa5\xbd password", 15), "binary: UTF-8 text is text");

    scan("a.txt", "", &r);
    is_int(r.n, 0, "empty buffer: no finding");
    scan(NULL, "DB_PASSWORD=Env5Qx9wT\n", &r);
    is_int(r.n, 0, "NULL path: path-gated rules do not run");

    r.stop_after = 1;
    const char *two = "a = 'LTAI5tu8jzPde0IgxLd6Gncf'\n\n\n\n\n\n\n\nb = 'LTAIBAepfJBd0Kh8'\n";
    memset(&r, 0, sizeof r);
    r.stop_after = 1;
    enum akw_status st = detector_scan(det, "x", two, strlen(two), collect, &r);
    ok(st == AKW_ERR_CANCEL && r.n == 1, "callback stop: AKW_ERR_CANCEL after one finding");

    scan("x.py", "b = 'LTAIBAepfJBd0Kh8'\n\n\n\n\n\n\n\n\na = 'LTAI5tu8jzPde0IgxLd6Gncf'\n", &r);
    ok(r.n == 2 && r.g[0].line == 1 && r.g[1].line == 10, "findings in order of position");
}

/* ---- threads: one shared ruleset, a detector per thread ----------------------------- */

struct worker {
    struct detector *d;
    int ok;
};

static void *
worker_run(void *arg)
{
    struct worker *w = arg;
    const char *text = "[prod]\nak = LTAI5tu8jzPde0IgxLd6Gncf\nsecret = oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO\n"
                       "url = 'mysql://app:Zq7pW2xv@db.internal:3306/shop'\n";
    w->ok = 1;
    for (int i = 0; i < 300 && w->ok; i++) {
        struct result r;
        memset(&r, 0, sizeof r);
        detector_scan(w->d, "conf.ini", text, strlen(text), collect, &r);
        w->ok = r.n == 2 && strcmp(r.g[0].secret, "oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO") == 0 &&
                r.g[0].sev == SEVERITY_CRITICAL && strcmp(r.g[1].secret, "Zq7pW2xv") == 0;
    }
    return NULL;
}

static void
test_threads(void)
{
    struct worker w[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        w[i].d = detector_new(rs);
        pthread_create(&t[i], NULL, worker_run, &w[i]);
    }
    int all = 1;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        all &= w[i].ok;
        detector_free(w[i].d);
    }
    ok(all, "4 threads, one shared ruleset, a detector each: same findings every time");
}

static void
test_ruleset(void)
{
    ok(detect_rules_count(rs) >= 20, "shipped rules: at least 20 (%zu)", detect_rules_count(rs));
    const struct rule_info *ri = NULL;
    for (size_t i = 0; i < detect_rules_count(rs); i++)
        if (strcmp(detect_rule_info(rs, i)->id, "alibaba-accesskey-id") == 0)
            ri = detect_rule_info(rs, i);
    ok(ri != NULL, "rule alibaba-accesskey-id exists");
    if (!ri)
        return;
    is_str(ri->kind, "cloud_accesskey", "alibaba id: kind");
    is_str(ri->provider, "alibaba", "alibaba id: provider");
    is_int(ri->severity, SEVERITY_HIGH, "alibaba id: high alone");
    is_str(ri->pair_with, "alibaba-accesskey-secret", "alibaba id: pairs with the secret rule");
    is_int(ri->pair_lines, 5, "alibaba id: within 5 lines");
    ok(strstr(ri->file, "cloud.conf") != NULL, "alibaba id: file");
    ok(detect_rule_info(rs, detect_rules_count(rs)) == NULL, "rule info out of range: NULL");
}

int
main(void)
{
    const char *src = getenv("AKW_SRCDIR");
    char *dir = xasprintf("%s/data/rules", src && *src ? src : AKW_SRCDIR);
    struct akw_err err = {0};
    enum akw_status st = detect_rules_load(dir, &rs, &err);
    if (!ok(st == AKW_OK, "load %s", dir)) {
        printf("#   %s\n", err.msg);
        free(dir);
        return done_testing();
    }
    free(dir);
    det = detector_new(rs);
    test_ruleset();
    test_table();
    test_pairing();
    test_private_keys();
    test_mask();
    test_odd_input();
    test_threads();
    detector_free(det);
    detect_rules_free(rs);
    return done_testing();
}
