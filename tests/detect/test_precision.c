/* test_precision — the engine's precision gates and its confidence on one table: each hard
 * negative (shapes that real public code is full of: pagination tokens, identifiers, type
 * names, hashes, templates, natural language, placeholder key bodies, an access key ID in a
 * presigned URL, prose about redis-cli -a) gives no finding at all, at any confidence; each
 * positive gives exactly one finding, of that rule, with that secret and that confidence.
 * Every value here is made up. */
#include "config.h"
#include "detect/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define MAXF 8

/* A made-up body that decodes to a whole DER SEQUENCE (0x30 0x82, length 290): a key's
 * structure, random bytes inside. */
#define DER_BODY                                                                   \
    "MIIBIqVNyhglMLsdbRMs3tYjey7ZHj9yH8sZcRdElNZJPJ1cNGC+MSAeaf7aoO7o\n"           \
    "uZl/XHwpmf2v5ZMlPNZUr0361xQnoK6z/ukjL4ryIR+e5JHFsQvstVY7/B5vk0J+\n"           \
    "y8j+KVXlzY5G3I7Ut8J2TSpaTXZ3BvhdhpACSta9o0Ab6cjLzMk19s0fYSJq4VM4\n"           \
    "rho0AE0zug0kasBMgbG68j47+e71958rSTSvh/VSC2m5Sw2YLoW7VbZyqHJjes10\n"           \
    "Zvy2Dg6P8YRjsOSyuilwNHTwZKxo9wD1sCs9xmb0W96qLMrtzStRV0EOTe5K8rNP\n"           \
    "QwoHNEfeY2wOgGyVe6aE1kMfterXQk0J4V0CTFhI8j0fpvc2HX9hjRUy5w4g4qZm\n"           \
    "jef0foRn\n"
/* The same length of random text that decodes to no key structure this knows. */
#define RANDOM_BODY                                                                \
    "c92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpj7ZfZzp72dpiifA9SHEA8J\n"           \
    "MOE9mQfHdlNwl9cyhDujS38BqRV1p0do/43+7tcVtUFQwjqDSQcRkMQbZhvYSmIR\n"
#define PEM(body) "-----BEGIN RSA PRIVATE KEY-----\n" body "-----END RSA PRIVATE KEY-----\n"

struct pcase {
    const char *what, *path, *text;
    const char *rule;   /* NULL: a hard negative, no finding of any rule */
    const char *secret; /* the finding's secret (NULL: not checked) */
    const char *conf;   /* low, medium, high */
};

// clang-format off
static const struct pcase cases[] = {
    /* keys that name pagination, idempotency or request state */
    {"NextToken (base64 JSON)", "examples.json",
     "{\"NextToken\": \"eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxMH0=\"}\n", NULL, NULL, NULL},
    {"nextBackwardToken", "events.json",
     "\"nextBackwardToken\": \"b/31965284390426375836582834294745038766917018392926453760\",\n", NULL, NULL, NULL},
    {"ClientToken", "run.json", "\"ClientToken\": \"Ab3kZ9qP2mX7vR4tW8\",\n", NULL, NULL, NULL},
    {"PurchaseToken", "offer.rst", "    \"PurchaseToken\": \"Zq7vWk2P9xRt4mLc8N\",\n", NULL, NULL, NULL},
    {"NodeAssociationStatusToken", "node.rst",
     "\"NodeAssociationStatusToken\": \"AHUY8wFe4pdXtZC5DiJa5SOLp5o14DH\",\n", NULL, NULL, NULL},
    {"output_token of a paginator", "paginators-1.json", "\"output_token\": \"StreamDescription.Shards[-1].ShardId\",\n", NULL, NULL, NULL},
    {"base64 JSON state under a token key", "client.py",
     "token = \"eyJhd3NBY2NvdW50SWQiOnsicyI6IjMwMjc3NjMifX0=\"\n", NULL, NULL, NULL},
    /* keys that name something about a secret */
    {"token_type", "client_base.py", "self.token_type = b\"servicebus.windows.net:sastoken\"\n", NULL, NULL, NULL},
    {"secret_ref", "models.py", "    'secret_ref': 'V1LocalObjectReference',\n", NULL, NULL, NULL},
    {"list of SDK secret types", "models.py", "    'image_pull_secrets': 'list[V1LocalObjectReference]',\n", NULL, NULL, NULL},
    {"ARN-valued key", "rds.json", "\"TdeCredentialArn\": \"arn:aws:kms:us-east-1:123456789012:key/Ab9x\",\n", NULL, NULL, NULL},
    {"secret name", "app.py", "secret_name = \"prod/Db9Kx/Credentials2\"\n", NULL, NULL, NULL},
    /* identifiers, type names, paths, URLs without userinfo */
    {"CamelCase type name", "models.py", "secrets = \"RestAccountKeyDatastoreSecrets\"\n", NULL, NULL, NULL},
    {"dotted STS call name", "provider.go", "// token: \"STS.AssumeRoleWithWebIdentity\"\n", NULL, NULL, NULL},
    {"SNMP constant", "snmp.py", "params={'credential_sub_type': 'SNMPV2_READ_COMMUNITY'}\n", NULL, NULL, NULL},
    {"a camelCase name with a digit", "auth.py", "AUTH_KEY2 = \"authKey2\"\n", NULL, NULL, NULL},
    {"URL path constant", "imds.py", "_TOKEN_PATH = 'latest/api/token'\n", NULL, NULL, NULL},
    {"grammar reference", "expressions.rst", "the :token:`~python-grammar:expression_list`\n", NULL, NULL, NULL},
    {"a version", "setup.py", "token_version = \"2023-05-01\"\n", NULL, NULL, NULL},
    {"a timestamp", "iam.json", "\"PasswordLastUsed\": \"2016-09-24T16:18:07Z\",\n", NULL, NULL, NULL},
    /* hashes */
    {"hash named by the key", "users.py", "password_hash = \"Kd8xPq2mZr7vTw4nLs9b\"\n", NULL, NULL, NULL},
    {"{SSHA} password hash", "ldap.py", "password = \"{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\"\n", NULL, NULL, NULL},
    {"bcrypt hash", "seed.py", "password = \"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW\"\n", NULL, NULL, NULL},
    {"htpasswd line", "prepare.yml", "htpasswd: \"test:$2y$05$zgjczyp96jCIp//CGmnWiefhd\"\n", NULL, NULL, NULL},
    {"0x hex SNMP key sample", "snmp.py", "privacy_password: \"0x5632724fb8ac3699296af26281e1d0f1\"\n", NULL, NULL, NULL},
    {"short 0x hex SNMP sample", "snmp.yml", "snmp_auth_password: \"0x5632a1b0c4d7e9f2\"\n", NULL, NULL, NULL},
    {"a publishable Mapbox token", ".env", "MAPBOX_TOKEN=pk.eyJ1IjoiYWNtZSIsImEiOiJjbG41In0.q9Vb2nR7xW4mZ1pL8sK3tA\n", NULL, NULL, NULL},
    {"hex digest under a type name", "hashes.json", "\"AWS::SecretsManager::Secret\": \"c851e4a3b9f0d2c7a6e5b4d3c2b1a0f9\",\n", NULL, NULL, NULL},
    /* templates and lookups */
    {"kubectl jsonpath", "deploy.sh", "password: '{.credentials.password}'\n", NULL, NULL, NULL},
    {"Jinja lookup", "vars.py", "token = \"{{ lookup('env', 'GH_TOKEN') }}\"\n", NULL, NULL, NULL},
    {"Puppet hiera", "db.py", "secret = \"%{hiera('db_secret_9x')}\"\n", NULL, NULL, NULL},
    {"ERB", "db.py", "password = \"<%= @db_password_9x %>\"\n", NULL, NULL, NULL},
    {"Terraform variable", "main.py", "api_key = \"var.api_key_9x2\"\n", NULL, NULL, NULL},
    {"YAML alias", "argument_specs.yml", "    api_key_file: *api_key_file\n", NULL, NULL, NULL},
    /* natural language, labels, text in base64, ciphertext */
    {"a message in another script", "i18n/ru.json", "\"yourpassword\": \"Паролюгъуз:\",\n", NULL, NULL, NULL},
    {"a label", "i18n/nl.json", "\"passwordreset-username\": \"Gebruikersnaam:\",\n", NULL, NULL, NULL},
    {"a sentence in base64", "provider_test.go", "accessToken: \"dGhpcyBpcyBub3QgYSByZWFsIHZhbHVl\",\n", NULL, NULL, NULL},
    {"OpenSSL ciphertext", "bgp.py", "pwd: 'U2FsdGVkX1/4sRsZ624wbAJfDmagPLq2LsGDOcW/47M='\n", NULL, NULL, NULL},
    /* placeholder private keys (issue 13 item 5) */
    {"private key: EXAMPLE body", "create-key-pair.rst",
     PEM("EXAMPLEBAAKCAQEA+AD3qeU2toBy5O5v7wnRLVoqyTzG8K4M3nj8UnZ5Bq7rB2dKv0FqR\nc92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpj7ZfZzp72dpiifA9SHEA8J\n"),
     NULL, NULL, NULL},
    {"private key: filler body", "key.pem",
     PEM("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"),
     NULL, NULL, NULL},
    {"private key: ... body", "README.md", PEM("...\n"), NULL, NULL, NULL},
    {"private key: <key> body", "README.md", PEM("<your private key here>\n"), NULL, NULL, NULL},
    /* an ID alone in a presigned URL; prose about redis-cli -a */
    {"AWS key ID in X-Amz-Credential", "get-download-url.rst",
     "https://b.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA2E0A8F3B244C9986%2F20180101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=9f\n",
     NULL, NULL, NULL},
    {"redis-cli changelog prose", "Changelog", "* redis-cli: authenticate using -a switch (#3371)\n", NULL, NULL, NULL},
    {"default RabbitMQ guest", "publish.py", "url = \"amqp://guest:guest@localhost:5672/%2F\"\n", NULL, NULL, NULL},

    /* positives, and how sure each is */
    {"generic: random secret", "client.py", "api_token = \"q7Zr2LmT5vXw9Kp3Nb7Y\"\n",
     "password-assignment", "q7Zr2LmT5vXw9Kp3Nb7Y", "medium"},
    {"generic: the same in a test", "tests/test_client.py", "api_token = \"q7Zr2LmT5vXw9Kp3Nb7Y\"\n",
     "password-assignment", "q7Zr2LmT5vXw9Kp3Nb7Y", "low"},
    {"generic: the same in documentation", "README.md", "api_token = \"q7Zr2LmT5vXw9Kp3Nb7Y\"\n",
     "password-assignment", "q7Zr2LmT5vXw9Kp3Nb7Y", "low"},
    {"generic: the same on an example line", "client.py", "api_token = \"q7Zr2LmT5vXw9Kp3Nb7Y\"  # for example\n",
     "password-assignment", "q7Zr2LmT5vXw9Kp3Nb7Y", "low"},
    {"generic: human-chosen (words, digits)", "settings.py", "password = \"SuperSecret2024\"\n",
     "password-assignment", "SuperSecret2024", "low"},
    {"generic: a random key whose letters run on (gjbw: no word)", "client.py",
     "api_token = \"bWuoagjbwPB5tz6FYxrypzYc\"\n", "password-assignment", "bWuoagjbwPB5tz6FYxrypzYc",
     "medium"},
    {"generic: a word with four consonants in a row is still a word", "settings.py",
     "password = \"Strength2024\"\n", "password-assignment", "Strength2024", "low"},
    {"generic: leetspeak", "settings.py", "password = \"C1sco12345!\"\n",
     "password-assignment", "C1sco12345!", "low"},
    {"generic: short", "settings.py", "password = \"Xk9#mQ2v\"\n", "password-assignment", "Xk9#mQ2v", "low"},
    {"generic: a real token key (access_token)", "auth.py", "access_token = \"Kd8xPq2mZr7vTw4nLs9bQ3\"\n",
     "password-assignment", "Kd8xPq2mZr7vTw4nLs9bQ3", "medium"},
    {"generic: SessionToken is a credential", "creds.json", "\"SessionToken\": \"Fw9kQz2pLm7vXr4tNb8cYd\",\n",
     "password-assignment", "Fw9kQz2pLm7vXr4tNb8cYd", "medium"},
    {"generic config", "config.yml", "service:\n  secret: vJDCTbyvHNsG9eQ2\n", "password-config", "vJDCTbyvHNsG9eQ2", "medium"},
    {"provider: AWS key ID alone", "deploy.sh", "export AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\n",
     "aws-access-key-id", "AKIA2E0A8F3B244C9986", "high"},
    {"provider: GitHub token in a README", "README.md", "git clone https://ghp_YTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0M@github.com/acme/x\n",
     "github-token", "ghp_YTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0M", "high"},
    {"private key with a whole body", "id_rsa", PEM(DER_BODY), "private-key", NULL, "high"},
    {"private key of no known structure", "key.pem", PEM(RANDOM_BODY), "private-key", NULL, "medium"},
    {"private key cut short (a DER header saying 1214 bytes)", "README.md",
     PEM("MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDL45vSN+ZZinAu\n"
         "L25W0+cz1Oi69AKkI7d9nbFics2ay5+7o+4rKqf3en2R4MSxiJvy+iDlOmATib5O\n"),
     "private-key", NULL, "low"},
    {"server: sshpass password", "deploy.sh", "sshpass -p 'Ss9hPx2qLw4z' ssh root@10.0.0.8 uptime\n",
     "sshpass-password", "Ss9hPx2qLw4z", "high"},
    {"server: a bare word", "hosts", "web1 ansible_host=10.0.0.9 ansible_password=Lighthouse\n",
     "ansible-password", "Lighthouse", "low"},
    {"database: weak password", "app.py", "url = \"postgres://app:Summer2024@db.internal:5432/app\"\n",
     "database-url", "Summer2024", "medium"},
    {"redis-cli command line", "check.sh", "redis-cli -h 10.0.0.3 -a Rc8vN3xQ ping\n",
     "redis-cli-password", "Rc8vN3xQ", "high"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
// clang-format on

struct got {
    char rule[64], secret[4096], conf[16];
};

struct result {
    struct got g[MAXF];
    int n;
};

static int
collect(const struct finding *f, void *user)
{
    struct result *r = user;
    if (r->n < MAXF) {
        snprintf(r->g[r->n].rule, sizeof r->g[r->n].rule, "%s", f->rule->id);
        snprintf(r->g[r->n].secret, sizeof r->g[r->n].secret, "%s", f->secret);
        snprintf(r->g[r->n].conf, sizeof r->g[r->n].conf, "%s", confidence_name(f->confidence));
    }
    r->n++;
    return 0;
}

int
main(void)
{
    const char *src = getenv("AKW_SRCDIR");
    src = src && *src ? src : AKW_SRCDIR;
    char *dir = xasprintf("%s/data/rules", src);
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};
    if (!ok(detect_rules_load(dir, &rs, &err) == AKW_OK, "load %s", dir)) {
        printf("#   %s\n", err.msg);
        free(dir);
        return done_testing();
    }
    struct detector *d = detector_new(rs);
    for (const struct pcase *c = cases; c->what; c++) {
        struct result r;
        memset(&r, 0, sizeof r);
        detector_scan(d, c->path, c->text, strlen(c->text), collect, &r);
        int good = c->rule ? r.n == 1 && strcmp(r.g[0].rule, c->rule) == 0 &&
                                 (!c->secret || strcmp(r.g[0].secret, c->secret) == 0) &&
                                 strcmp(r.g[0].conf, c->conf) == 0
                           : r.n == 0;
        if (!ok(good, "%s: %s", c->rule ? "positive" : "hard negative", c->what)) {
            if (c->rule)
                printf("#   want %s '%s' %s\n", c->rule, c->secret ? c->secret : "-", c->conf);
            for (int k = 0; k < r.n && k < MAXF; k++)
                printf("#   found %s '%s' %s\n", r.g[k].rule, r.g[k].secret, r.g[k].conf);
        }
    }
    detector_free(d);
    detect_rules_free(rs);
    free(dir);
    return done_testing();
}
