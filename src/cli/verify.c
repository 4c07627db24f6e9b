/* cli/verify — `akwatch verify [ID|--all] [--force] [--format text|json]`: live-check
 * stored leaks with their provider and print each outcome. Running it is the opt-in for
 * on-demand checks ([verify] enabled governs checks during scans). Needs the raw secrets,
 * which the store keeps only with [scan] store_secrets = on.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli_int.h"
#include "verify/verify.h"

enum { FMT_TEXT, FMT_JSON };

struct run {
    struct cli_ctx *ctx;
    struct verifier *v;
    struct store *st;
    int force, format, single;
    long n_live, n_invalid, n_unknown, n_cached, n_no_secret, n_unsupported;
};

static const char *const how_names[] = {"checked", "cached", "no-secret", "unsupported"};

static void
print_json(const struct leak *l, const struct verify_outcome *o, enum verify_how how)
{
    json_object *j = json_object_new_object();
    int skipped = how == VERIFY_SKIP_NO_SECRET || how == VERIFY_SKIP_UNSUPPORTED;

    json_object_object_add(j, "id", json_object_new_int64(l->id));
    json_object_object_add(j, "rule", json_str_new(l->rule ? l->rule : ""));
    json_object_object_add(j, "provider",
                           json_str_new(verify_provider_name(
                               verify_provider_for_rule(l->rule))));
    json_object_object_add(j, "ak_id", json_str_new(l->ak_id));
    json_object_object_add(j, "secret_masked",
                           json_str_new(l->secret_masked ? l->secret_masked : ""));
    json_object_object_add(j, "how", json_str_new(how_names[how]));
    json_object_object_add(j, "verified",
                           skipped ? NULL : json_str_new(verify_state_name(o->state)));
    json_object_object_add(j, "checked_at",
                           skipped ? NULL : json_str_new(cli_time(o->checked_at)));
    json_object_object_add(j, "identity",
                           !skipped && *o->identity ? json_str_new(o->identity) : NULL);
    json_object_object_add(j, "error",
                           !skipped && *o->error ? json_str_new(o->error) : NULL);
    puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
                                               JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(j);
}

static void
print_text(const struct leak *l, const struct verify_outcome *o, enum verify_how how)
{
    const char *who = l->ak_id ? l->ak_id : l->secret_masked;

    printf("%-6lld %-8s %-28s ", (long long)l->id,
           verify_provider_name(verify_provider_for_rule(l->rule)), who ? who : "");
    switch (how) {
    case VERIFY_SKIP_NO_SECRET:
        printf("%s\n", _("not checked: raw secret not stored"));
        break;
    case VERIFY_SKIP_UNSUPPORTED:
        printf("%s\n", _("not checked: no verifier for this kind (or an ID without its secret)"));
        break;
    default:
        printf("%-8s %s%s%s\n", verify_state_name(o->state),
               o->state == VERIFY_LIVE ? o->identity : o->error,
               how == VERIFY_CACHED ? "  " : "", how == VERIFY_CACHED ? _("(cached)") : "");
    }
}

static void
count(struct run *r, const struct verify_outcome *o, enum verify_how how)
{
    if (how == VERIFY_SKIP_NO_SECRET)
        r->n_no_secret++;
    else if (how == VERIFY_SKIP_UNSUPPORTED)
        r->n_unsupported++;
    else {
        r->n_cached += how == VERIFY_CACHED;
        r->n_live += o->state == VERIFY_LIVE;
        r->n_invalid += o->state == VERIFY_INVALID;
        r->n_unknown += o->state == VERIFY_UNKNOWN;
    }
}

/* Returns 0, or CLI_ERROR after reporting. */
static int
verify_one(struct run *r, int64_t id)
{
    struct verify_outcome o;
    enum verify_how how;
    struct akw_err err;
    struct leak l;

    memset(&o, 0, sizeof o);
    if (verify_leak(r->v, r->st, id, NULL, r->force, cli_who(), &o, &how, &err) != AKW_OK)
        return cli_fail_err(&err);
    if (store_leak_get(r->st, id, &l, &err) != AKW_OK)
        return cli_fail_err(&err);
    count(r, &o, how);
    /* --all: leaks no provider can check (databases, passwords) are only counted; one leak
     * asked for by ID is explained by an error instead of a line. */
    if (how == VERIFY_SKIP_UNSUPPORTED && !r->single)
        ;
    else if (r->format == FMT_JSON)
        print_json(&l, &o, how);
    else if (!(r->single && (how == VERIFY_SKIP_NO_SECRET || how == VERIFY_SKIP_UNSUPPORTED)))
        print_text(&l, &o, how);
    leak_done(&l);
    return 0;
}

static void
summary(const struct run *r)
{
    if (r->ctx->quiet)
        return;
    fprintf(stderr, _("verify: %ld live, %ld invalid, %ld unknown (%ld from cache); "
                      "%ld not checked without a stored secret, %ld not verifiable\n"),
            r->n_live, r->n_invalid, r->n_unknown, r->n_cached, r->n_no_secret,
            r->n_unsupported);
    if (r->n_no_secret)
        fprintf(stderr, "%s\n",
                _("verify: on-demand checks need the raw secret, which the store keeps only "
                  "with [scan] store_secrets = on (rescan after turning it on); with [verify] "
                  "enabled = on, scans verify the keys they find as they find them"));
}

static int
single_skip_error(const struct run *r, int64_t id)
{
    if (r->n_no_secret)
        return cli_fail(_("leak %lld: the raw secret is not stored, so it cannot be verified "
                          "on demand; set [scan] store_secrets = on and rescan, or set [verify] "
                          "enabled = on so scans verify keys as they find them"),
                        (long long)id);
    if (r->n_unsupported)
        return cli_fail(_("leak %lld: no verifier for this kind of secret (verifiable: Alibaba "
                          "Cloud and AWS AccessKey pairs, GitHub tokens)"),
                        (long long)id);
    return 0;
}

static int
run_all(struct run *r)
{
    int64_t *ids = NULL;
    size_t n = 0;
    struct akw_err err;
    int rc = 0;

    /* Every leak; verify_leak() answers from the cache for the fresh ones. */
    if (store_verify_due(r->st, (time_t)INT64_MAX / 2, 0, &ids, &n, &err) != AKW_OK)
        return cli_fail_err(&err);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = verify_one(r, ids[i]);
    free(ids);
    return rc;
}

static int
cmd_verify(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"all", no_argument, NULL, 'a'},
        {"force", no_argument, NULL, 'f'},
        {"format", required_argument, NULL, 'F'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    struct run r = {.ctx = ctx};
    const struct config *cfg;
    struct verify_config vc;
    int all = 0, c, code = 0;
    int64_t id = 0;

    while ((c = cli_getopt(ctx, argc, argv, "", longopts, &code)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return code;
        if (c == 'a')
            all = 1;
        else if (c == 'f')
            r.force = 1;
        else if (c == 'F' && cli_choice(ctx, "--format", optarg, formats, &r.format) != 0)
            return CLI_ERROR;
    }
    if (all == (optind < argc) || argc - optind > 1)
        return cli_usage_error(ctx, "verify", _("give one leak ID or --all"));
    if (!all && cli_parse_id(ctx, argv[optind], &id) != 0)
        return CLI_ERROR;
    if (cli_config(ctx, &cfg) != 0 || cli_store(ctx, 0, 0, &r.st) != 0)
        return CLI_ERROR;
    verify_config_from(&vc, cfg);
    r.v = verifier_new(&vc);
    r.single = !all;
    code = all ? run_all(&r) : verify_one(&r, id);
    if (code == 0 && !all)
        code = single_skip_error(&r, id);
    if (code == 0) {
        summary(&r);
        code = r.n_live ? CLI_FOUND : CLI_OK;
    }
    verifier_free(r.v);
    store_close(r.st);
    return code;
}

struct verifier *
cli_verifier_new(const struct config *cfg)
{
    struct verify_config vc;

    if (!cfg->verify_enabled)
        return NULL;
    verify_config_from(&vc, cfg);
    return verifier_new(&vc);
}

const char *
cli_verify_found(struct verifier *v, struct store *st, int64_t leak_id, const char *secret)
{
    struct verify_outcome o;
    enum verify_how how;
    struct akw_err err;

    if (verify_leak(v, st, leak_id, secret, 0, "akwatch", &o, &how, &err) != AKW_OK) {
        fprintf(stderr, _("akwatch: warning: verifying leak %lld: %s\n"), (long long)leak_id,
                err.msg);
        return NULL;
    }
    return how == VERIFY_CHECKED || how == VERIFY_CACHED ? verify_state_name(o.state) : NULL;
}

const struct cli_command cli_cmd_verify = {
    "verify",
    cmd_verify,
    N_("live-check leaked keys with their provider (opt-in)"),
    N_("verify [--force] [--format text|json] ID | --all"),
    N_("Checks whether leaked keys still work with one signed, read-only call to their\n"
       "provider: Alibaba Cloud (DescribeRegions), AWS (STS GetCallerIdentity), Tencent\n"
       "Cloud (STS GetCallerIdentity), GitHub (GET /user). Prints live, invalid or unknown\n"
       "per leak and stores it. An outcome is\n"
       "reused for [verify] recheck_after (an unknown one for a tenth of it) unless --force.\n"
       "At most [verify] rate requests per second go to each provider (default 2).\n"
       "The raw secret must be in the store ([scan] store_secrets = on). Exit status: 1 when\n"
       "a live key was reported, 0 when none, 2 on error.\n"
       "  --all          every stored leak\n"
       "  --force        ask the provider even when a fresh outcome is stored\n"
       "  --format FMT   text (default) or json (one object per line)\n"),
};
