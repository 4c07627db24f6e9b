/* recommend — the advice of a leak, most urgent first: its provider's own steps (the
 * [provider] section of the rule files: revoke in that console, check that audit log) or
 * its kind's generic ones, then what every leak of the kind needs (the access log for the
 * leaked file's path, the calls made with the key, purging the history). Text only.
 */
#include "config.h"
#include "scan/recommend.h"

#include <string.h>

#include "util/util.h"

#define MAX_STEPS 8

/* The advice of a kind: head is used when the rule's provider gives no steps of its own
 * (or the kind takes none: a database password is changed in the database, not in the
 * provider's console), tail always follows. */
struct advice {
    const char *kind;
    int provider_steps;
    const char *const head[MAX_STEPS];
    const char *const tail[MAX_STEPS];
};

#define ACCESS_LOG N_("Search the web access logs for requests to the leaked file's path (shown under Locations) to learn who fetched it, and since when.")
#define PURGE N_("Delete the file or commit that holds it; if the repository is or was public, rewrite its history (git filter-repo) and assume the secret was copied already.")
#define CALLS N_("Review the calls made with this AccessKey ID since it was first seen (akwatch calls import FILE, then akwatch calls list --ak ID) for actions you do not recognise.")

// clang-format off
static const struct advice table[] = {
    {"cloud_accesskey", 1, {
        N_("Disable the AccessKey at once in the cloud console (RAM / IAM), or delete it if nothing needs it."),
        N_("Create a new AccessKey, rotate it into every application that used the old one, then delete the old one."),
        N_("Check the provider's audit trail for resources created or changed with the key."),
        NULL}, {ACCESS_LOG, CALLS, PURGE, NULL}},
    {"database", 0, {
        N_("Change the password of the database account now, and of any other account that shared it."),
        N_("Restrict the whitelist of client IPs (RDS whitelist / security group) to the servers that need the database; never 0.0.0.0/0."),
        N_("Check the database audit log (SQL audit) for logins from unknown addresses since the leak was first seen."),
        N_("Look for data read out or changed by those sessions (large SELECTs, dumps, new accounts)."),
        NULL}, {ACCESS_LOG,
        N_("Read the password from the environment or a secrets manager instead of the code."),
        PURGE, NULL}},
    {"server_password", 0, {
        N_("Change the password on the server, and on every server that shared it."),
        N_("Disable password login over SSH (PasswordAuthentication no) and use keys; allow SSH only from known addresses."),
        N_("Check the login records (last, /var/log/auth.log, journalctl) for sessions from unknown addresses."),
        N_("Look for persistence: new users, authorized_keys entries, cron jobs, services."),
        NULL}, {PURGE, NULL}},
    {"private_key", 1, {
        N_("Treat the key pair as compromised: remove its public key wherever it is trusted (authorized_keys, deploy keys) or revoke its certificate."),
        N_("Generate a new key pair and deploy it."),
        N_("Check the logs of the systems that trusted the key for its use since the leak was first seen."),
        NULL}, {PURGE, NULL}},
    {"api_token", 1, {
        N_("Revoke the token with its provider and issue a new one with the smallest scope it needs."),
        NULL}, {
        N_("Review the provider's audit log for use of the token since the leak was first seen."),
        ACCESS_LOG, PURGE, NULL}},
    {"generic_secret", 0, {
        N_("Find what the secret protects and rotate it there."),
        N_("Check that system's logs for use of the secret since the leak was first seen."),
        NULL}, {ACCESS_LOG,
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

static const struct advice *
advice_of(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].kind, kind) == 0)
            return &table[i];
    return &table[sizeof table / sizeof table[0] - 1]; /* generic_secret */
}

static size_t
append(const char *out[RECOMMEND_MAX], size_t n, const char *const *steps)
{
    for (size_t i = 0; steps[i] && n < RECOMMEND_MAX - 1; i++)
        out[n++] = steps[i];
    return n;
}

size_t
recommend_steps(const struct detect_ruleset *rs, const char *kind, const char *rule_id,
                const char *out[RECOMMEND_MAX])
{
    const struct advice *a = advice_of(kind);
    const struct provider_info *pv = a->provider_steps ? detect_rule_provider(rs, rule_id) : NULL;
    size_t n = append(out, 0, pv && pv->nsteps ? pv->steps : a->head);
    n = append(out, n, a->tail);
    out[n] = NULL;
    return n;
}

const char *
recommend_kind_label(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].kind, kind) == 0)
            return labels[i].label;
    return kind ? kind : "";
}
