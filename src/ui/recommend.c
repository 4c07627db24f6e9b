/* recommend — short labels of finding kinds and the "Related recommendation" shown in the
 * details pane for each kind (the seed console's advice: disable, rotate, check the access
 * log for the file path, review suspicious calls). Text only; no store access.
 */
#include "config.h"

#include <string.h>

#include "ui/ui_priv.h"

/* clang-format off */
static const struct {
    const char *kind;
    const char *label; /* TRANSLATORS: kind column, at most 9 columns wide */
    const char *const lines[6];
} kinds[] = {
    {"cloud_accesskey", N_("AccessKey"), {
        N_("Disable the AccessKey at once in the cloud console (RAM / IAM), then create a new one and rotate it into the applications that used it."),
        N_("Delete the file or commit that holds the key, and rewrite the history if the repository is public; assume it was copied already."),
        N_("Search the web access logs for requests to the leaked file path (the URL that served the key) to learn who fetched it."),
        N_("Review the suspicious calls made with this AccessKey ID (ActionTrail / CloudTrail) since it was first seen."),
        N_("Give the new key least privilege (a RAM user with only the policies it needs) and keep it in a secrets manager, not in code."),
        NULL}},
    {"database", N_("Database"), {
        N_("Change the database password now and restrict the account to the hosts that need it (whitelist / security group)."),
        N_("Check the database audit log for logins from unknown addresses since the leak was first seen."),
        N_("Delete the file or commit that holds the credentials; read them from the environment or a secrets manager instead."),
        NULL}},
    {"server_password", N_("Password"), {
        N_("Change the server password and disable password login in favour of SSH keys where possible."),
        N_("Check the login records (last, auth.log) for unknown sessions since the leak was first seen."),
        N_("Delete the file or commit that holds the password."),
        NULL}},
    {"api_token", N_("Token"), {
        N_("Revoke the token with its provider and issue a new one with the smallest scope."),
        N_("Review the provider's audit log for use of the token since the leak was first seen."),
        N_("Delete the file or commit that holds the token."),
        NULL}},
    {"private_key", N_("Priv key"), {
        N_("Treat the key pair as compromised: replace it everywhere it is trusted (authorized_keys, TLS certificates, signing)."),
        N_("Delete the file or commit that holds the private key and rewrite public history."),
        NULL}},
    {"generic_secret", N_("Secret"), {
        N_("Find what the secret protects, rotate it, and check that system's logs since the leak was first seen."),
        N_("Delete the file or commit that holds it; keep secrets in the environment or a secrets manager."),
        NULL}},
};
/* clang-format on */

static int
kind_index(const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kind && strcmp(kinds[i].kind, kind) == 0)
            return (int)i;
    return (int)(sizeof kinds / sizeof kinds[0]) - 1; /* generic_secret */
}

const char *const *
recommend_lines(const char *kind)
{
    return kinds[kind_index(kind)].lines;
}

const char *
kind_label(const char *kind)
{
    return _(kinds[kind_index(kind)].label);
}
