/* names — the words for statuses, handled-as values and triage actions (as written to
 * files, JSON and the audit log; untranslated), and freeing of the public structs. */
#include "config.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

// clang-format off
static const char *const status_names[] = {
    [LEAK_STATUS_UNHANDLED] = "unhandled",
    [LEAK_STATUS_HANDLED] = "handled",
    [LEAK_STATUS_WHITELISTED] = "whitelisted",
};
static const char *const handled_names[] = {
    [HANDLED_NONE] = "",
    [HANDLED_DELETED] = "deleted",
    [HANDLED_DISABLED] = "disabled",
};
static const char *const action_names[] = {
    [TRIAGE_DELETED] = "deleted",
    [TRIAGE_DISABLED] = "disabled",
    [TRIAGE_WHITELISTED] = "whitelisted",
    [TRIAGE_REOPENED] = "reopened",
};
// clang-format on

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Index of s in names[0..n), skipping holes, or -1. */
static int
name_index(const char *const *names, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (names[i] && *names[i] && strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *
leak_status_name(enum leak_status s)
{
    return (int)s >= 0 && (int)s < N_OF(status_names) ? status_names[s] : "unknown";
}

int
leak_status_parse(const char *s, enum leak_status *out)
{
    int i = name_index(status_names, N_OF(status_names), s);
    if (i < 0)
        return -1;
    *out = (enum leak_status)i;
    return 0;
}

const char *
handled_as_name(enum handled_as h)
{
    return (int)h >= 0 && (int)h < N_OF(handled_names) ? handled_names[h] : "";
}

const char *
triage_action_name(enum triage_action a)
{
    return (int)a > 0 && (int)a < N_OF(action_names) ? action_names[a] : "unknown";
}

int
triage_action_parse(const char *s, enum triage_action *out)
{
    int i = name_index(action_names, N_OF(action_names), s);
    if (i < 0)
        return -1;
    *out = (enum triage_action)i;
    return 0;
}

void
leak_done(struct leak *l)
{
    if (!l)
        return;
    free(l->rule);
    free(l->kind);
    free(l->description);
    free(l->ak_id);
    free(l->secret_masked);
    secret_free(l->secret);
    free(l->note);
    free(l->verified);
    free(l->verified_identity);
    free(l->verify_error);
    free(l->repo);
    free(l->path);
    memset(l, 0, sizeof *l);
}

void
location_done(struct location *l)
{
    if (!l)
        return;
    free(l->platform);
    free(l->repo);
    free(l->path);
    free(l->commit);
    free(l->url);
    free(l->author);
    free(l->snippet);
    memset(l, 0, sizeof *l);
}
