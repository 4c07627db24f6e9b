/* show — `akwatch show ID`: every field of one leak (its provider and console from the
 * rule files), all its locations, its audit history and the "Related recommendation" for
 * its provider or kind (scan/recommend). Read-only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli_int.h"
#include "scan/recommend.h"

/* "  Label:  value" with labels aligned by display width (translations differ in width). */
static void
field(const char *label, const char *value)
{
    if (!value || !*value)
        return;
    fputs("  ", stdout);
    char *l = xasprintf("%s:", label);
    cli_pad(stdout, l, 15);
    free(l);
    printf(" %s\n", cli_safe(value));
}

static void
print_fields(const struct leak *l, const struct provider_info *pv)
{
    char buf[64];
    printf(_("Leak %lld\n"), (long long)l->id);
    char *rule = l->description && *l->description
                     ? xasprintf("%s (%s)", l->rule, _(l->description))
                     : xstrdup(l->rule);
    field(_("Rule"), rule);
    free(rule);
    if (pv) {
        field(_("Provider"), _(pv->name));
        field(_("Console"), pv->console);
    }
    field(_("Kind"), _(recommend_kind_label(l->kind)));
    field(_("Severity"), cli_severity(l->severity));
    field(_("Confidence"), cli_confidence(l->confidence));
    field(_("AccessKey ID"), l->ak_id);
    field(_("Secret"), l->secret_masked);
    field(_("Fingerprint"), l->fingerprint);
    const char *status = leak_status_name(l->status);
    char *st = l->handled_as != HANDLED_NONE
                   ? xasprintf("%s (%s)", _(status), cli_handled_as(l->handled_as))
                   : xstrdup(_(status));
    field(_("Status"), st);
    free(st);
    field(_("Note"), l->note);
    field(_("Owned"), l->owned ? _("yes (names one of your [assets])") : _("no"));
    field(_("Verified"), l->verified ? l->verified : _("not checked"));
    if (l->verified_at) { /* when, and what the provider said (verify layer) */
        const char *detail = l->verified_identity ? l->verified_identity : l->verify_error;
        char *v = xasprintf("%s%s%s", cli_time(l->verified_at), detail ? "  " : "",
                            detail ? detail : "");
        field(_("Checked"), v);
        free(v);
    }
    akw_time_iso(l->first_seen, buf);
    field(_("First seen"), buf);
    akw_time_iso(l->last_seen, buf);
    field(_("Last seen"), buf);
}

static void
print_locations(const struct location *locs, size_t n)
{
    printf("\n%s (%zu)\n", _("Locations"), n);
    for (size_t i = 0; i < n; i++) {
        const struct location *p = &locs[i];
        printf("  %zu. [%s] %s%s%s:%ld:%ld\n", i + 1, cli_safe(p->platform), cli_safe(p->repo),
               p->repo ? "  " : "", cli_safe(p->path), p->line,
               p->column);
        if (p->commit)
            printf(_("     commit %s by %s on %s\n"), cli_safe(p->commit), p->author ? cli_safe(p->author) : "?",
                   cli_time(p->committed_at));
        if (p->url)
            printf("     %s\n", cli_safe(p->url));
        printf(_("     found %s\n"), cli_time(p->found_at));
        if (p->snippet)
            printf("     > %s\n", cli_safe(p->snippet));
    }
}

/* "history": the audit rows of the leak, oldest first (decisions and verification verdicts). */
static int
add_history(struct store *st, int64_t id, json_object *j, struct akw_err *err)
{
    struct audit_entry *a = NULL;
    size_t n = 0;
    if (store_audit_list(st, id, &a, &n, err) != AKW_OK)
        return -1;
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "at", json_str_new(cli_time(a[i].at)));
        json_object_object_add(e, "who", json_str_new(a[i].who));
        json_object_object_add(e, "what", json_str_new(a[i].what ? a[i].what : ""));
        json_object_object_add(e, "note", json_str_new(a[i].note));
        json_object_array_add(arr, e);
    }
    json_object_object_add(j, "history", arr);
    store_audit_free(a, n);
    return 0;
}

static int
print_audit(struct store *st, int64_t id, struct akw_err *err)
{
    struct audit_entry *a = NULL;
    size_t n = 0;
    if (store_audit_list(st, id, &a, &n, err) != AKW_OK)
        return -1;
    printf("\n%s\n", _("History"));
    if (n == 0)
        printf("  %s\n", _("no decisions yet"));
    for (size_t i = 0; i < n; i++) {
        printf("  %s  %s  %s", cli_time(a[i].at), cli_safe(a[i].who), cli_safe(a[i].what));
        if (a[i].note && *a[i].note)
            printf("  \"%s\"", cli_safe(a[i].note));
        putchar('\n');
    }
    store_audit_free(a, n);
    return 0;
}

static void
print_advice(const struct leak *l, const struct detect_ruleset *rs)
{
    printf("\n%s\n", _("Related recommendation"));
    const char *steps[RECOMMEND_MAX];
    recommend_steps(rs, l->kind, l->rule, steps);
    for (size_t i = 0; steps[i]; i++)
        printf("  %zu. %s\n", i + 1, _(steps[i]));
}

/* "provider": {"id", "name", "console"} of the leak's rule, when it names one. */
static void
add_provider(json_object *j, const struct provider_info *pv)
{
    if (!pv)
        return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_str_new(pv->id));
    json_object_object_add(o, "name", json_str_new(pv->name));
    json_object_object_add(o, "console", json_str_new(*pv->console ? pv->console : NULL));
    json_object_object_add(j, "provider", o);
}

static int
show_main(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {0, 0, 0, 0}};
    static const char *const formats[] = {"text", "json", NULL};
    int rc = 0, c, fmt = 0;
    while ((c = cli_getopt(ctx, argc, argv, "f:", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'f' && cli_choice(ctx, "--format", optarg, formats, &fmt))
            return CLI_ERROR;
    }
    if (argc - optind != 1)
        return cli_usage_error(ctx, "show", _("expected one leak ID"));
    const struct config *cfg; /* a bad configuration is an error for every command */
    if (cli_config(ctx, &cfg))
        return CLI_ERROR;
    int64_t id;
    if (cli_parse_id(ctx, argv[optind], &id))
        return CLI_ERROR;
    struct detect_ruleset *rs; /* provider names, consoles and advice */
    if (cli_rules_meta(&rs))
        return CLI_ERROR;
    struct store *st;
    if (cli_store(ctx, 1, 1, &st)) {
        detect_rules_free(rs);
        return CLI_ERROR;
    }
    if (!st) {
        detect_rules_free(rs);
        return cli_fail(_("no leak with id %lld"), (long long)id);
    }
    struct leak l;
    memset(&l, 0, sizeof l);
    struct akw_err err = {0};
    if (store_leak_get(st, id, &l, &err) != AKW_OK) {
        store_close(st);
        detect_rules_free(rs);
        return cli_fail_err(&err);
    }
    const struct provider_info *pv = detect_rule_provider(rs, l.rule);
    if (fmt == 1) {
        json_object *j = cli_leak_json(st, &l, &err);
        if (j)
            add_provider(j, pv);
        if (j && add_history(st, id, j, &err) != 0) {
            json_object_put(j);
            j = NULL;
        }
        if (j) {
            cli_json_line(stdout, j);
            json_object_put(j);
        } else
            rc = cli_fail_err(&err);
    } else {
        struct location *locs = NULL;
        size_t n = 0;
        print_fields(&l, pv);
        if (store_locations_get(st, id, &locs, &n, &err) != AKW_OK)
            rc = cli_fail_err(&err);
        else {
            print_locations(locs, n);
            store_locations_free(locs, n);
            if (print_audit(st, id, &err) != 0)
                rc = cli_fail_err(&err);
            else
                print_advice(&l, rs);
        }
    }
    leak_done(&l);
    store_close(st);
    detect_rules_free(rs);
    return rc;
}

const struct cli_command cli_cmd_show = {
    "show",
    show_main,
    N_("show one leak: every field, its locations, its history, what to do"),
    N_("show [--format text|json] ID"),
    N_("Shows the leak ID (from akwatch list): rule, provider and its console, kind,\n"
       "severity, confidence, AccessKey ID, masked secret, fingerprint, status, note, owned,\n"
       "verified, first and last seen; every location with its masked line; every triage\n"
       "decision (who, when, what, note); and the related recommendation for its provider\n"
       "or kind.\n"
       "\n"
       "  --format FORMAT  text (default) or json (the list --format json object)\n"),
};
