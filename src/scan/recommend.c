/* recommend — the advice table: one row per (kind, provider prefix), steps most urgent
 * first. Follows the seed console: disable, rotate, check the access log for the leaked
 * file's path, review the calls made with the key. Text only.
 */
#include "config.h"
#include "scan/recommend.h"

#include <string.h>

#include "util/util.h"

#define MAX_STEPS 8

struct advice {
    const char *kind;
    const char *provider; /* rule id prefix, NULL = any rule of the kind */
    const char *const steps[MAX_STEPS];
};

#define ACCESS_LOG N_("Search the web access logs for requests to the leaked file's path (shown under Locations) to learn who fetched it, and since when.")
#define PURGE N_("Delete the file or commit that holds it; if the repository is or was public, rewrite its history (git filter-repo) and assume the secret was copied already.")
#define CALLS N_("Review the calls made with this AccessKey ID since it was first seen (akwatch calls import FILE, then akwatch calls list --ak ID) for actions you do not recognise.")

// clang-format off
static const struct advice table[] = {
    {"cloud_accesskey", "alibaba", {
        N_("Disable the AccessKey at once in the RAM console (RAM > Users > the user > AccessKey), or delete it if nothing needs it."),
        N_("Create a new AccessKey, rotate it into every application that used the old one, then delete the old one."),
        ACCESS_LOG,
        CALLS,
        N_("Check ActionTrail for resources created or changed with the key (ECS instances, RAM users, OSS buckets)."),
        N_("Give the new key least privilege (a RAM user with only the policies it needs), prefer STS tokens or instance RAM roles, and keep keys out of code."),
        PURGE, NULL}},
    {"cloud_accesskey", "aws", {
        N_("Deactivate the access key at once in the IAM console (IAM > Users > Security credentials), or delete it."),
        N_("Create a new access key, rotate it into every application that used the old one, then delete the old one."),
        ACCESS_LOG,
        CALLS,
        N_("Check CloudTrail for resources created or changed with the key (EC2 instances, IAM users, S3 buckets)."),
        N_("Prefer IAM roles and short-lived credentials; give any new key least privilege."),
        PURGE, NULL}},
    {"cloud_accesskey", "tencent", {
        N_("Disable the SecretId at once in the CAM console (Access management > API keys), or delete it."),
        N_("Create a new API key, rotate it into every application that used the old one, then delete the old one."),
        ACCESS_LOG,
        CALLS,
        N_("Check CloudAudit for resources created or changed with the key."),
        PURGE, NULL}},
    {"cloud_accesskey", "huawei", {
        N_("Delete the access key at once in the IAM console (My credentials > Access keys)."),
        N_("Create a new access key and rotate it into every application that used the old one."),
        ACCESS_LOG,
        CALLS,
        N_("Check Cloud Trace Service (CTS) for resources created or changed with the key."),
        PURGE, NULL}},
    {"cloud_accesskey", NULL, {
        N_("Disable the AccessKey at once in the cloud console (RAM / IAM), or delete it."),
        N_("Create a new AccessKey, rotate it into every application that used the old one, then delete the old one."),
        ACCESS_LOG,
        CALLS,
        N_("Check the provider's audit trail for resources created or changed with the key."),
        PURGE, NULL}},
    {"database", NULL, {
        N_("Change the password of the database account now, and of any other account that shared it."),
        N_("Restrict the whitelist of client IPs (RDS whitelist / security group) to the servers that need the database; never 0.0.0.0/0."),
        N_("Check the database audit log (SQL audit) for logins from unknown addresses since the leak was first seen."),
        N_("Look for data read out or changed by those sessions (large SELECTs, dumps, new accounts)."),
        ACCESS_LOG,
        N_("Read the password from the environment or a secrets manager instead of the code."),
        PURGE, NULL}},
    {"server_password", NULL, {
        N_("Change the password on the server, and on every server that shared it."),
        N_("Disable password login over SSH (PasswordAuthentication no) and use keys; allow SSH only from known addresses."),
        N_("Check the login records (last, /var/log/auth.log, journalctl) for sessions from unknown addresses."),
        N_("Look for persistence: new users, authorized_keys entries, cron jobs, services."),
        PURGE, NULL}},
    {"private_key", NULL, {
        N_("Treat the key pair as compromised: remove its public key wherever it is trusted (authorized_keys, deploy keys) or revoke its certificate."),
        N_("Generate a new key pair and deploy it."),
        N_("Check the logs of the systems that trusted the key for its use since the leak was first seen."),
        PURGE, NULL}},
    {"api_token", NULL, {
        N_("Revoke the token with its provider (GitHub: Settings > Developer settings; Slack: the app's settings) and issue a new one with the smallest scope."),
        N_("Review the provider's audit log for use of the token since the leak was first seen."),
        ACCESS_LOG,
        PURGE, NULL}},
    {"generic_secret", NULL, {
        N_("Find what the secret protects and rotate it there."),
        N_("Check that system's logs for use of the secret since the leak was first seen."),
        ACCESS_LOG,
        N_("Keep secrets in the environment or a secrets manager, not in code."),
        PURGE, NULL}},
};

static const struct {
    const char *kind, *label;
} labels[] = {
    {"cloud_accesskey", N_("AccessKey")},
    {"database", N_("Database")},
    {"server_password", N_("Server password")},
    {"private_key", N_("Private key")},
    {"api_token", N_("API token")},
    {"generic_secret", N_("Secret")},
};
// clang-format on

static int
has_prefix(const char *rule_id, const char *provider)
{
    size_t n = strlen(provider);
    return rule_id && strncmp(rule_id, provider, n) == 0 && (rule_id[n] == '-' || rule_id[n] == '\0');
}

const char *const *
recommend_steps(const char *kind, const char *rule_id)
{
    const struct advice *generic = &table[sizeof table / sizeof table[0] - 1];
    for (size_t i = 0; kind && i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].kind, kind) != 0)
            continue;
        if (!table[i].provider || has_prefix(rule_id, table[i].provider))
            return table[i].steps;
    }
    return generic->steps;
}

const char *
recommend_kind_label(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].kind, kind) == 0)
            return labels[i].label;
    return kind ? kind : "";
}
