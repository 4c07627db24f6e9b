/* rules — `akwatch rules list` (every loaded rule: id, kind, severity, description) and
 * `akwatch rules test FILE` (run the rules on one file and print the findings; nothing is
 * stored). Loading the rules also validates them: a broken rule file is exit 2.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli_int.h"
#include "cli/scan_out.h"
#include "scan/recommend.h"

static int
rules_list(const struct detect_ruleset *rs, int fmt)
{
    size_t n = detect_rules_count(rs);
    struct cli_table *t = NULL;
    if (fmt == 0) {
        t = cli_table_new(4);
        const char *head[] = {_("ID"), _("KIND"), _("SEVERITY"), _("DESCRIPTION")};
        cli_table_add(t, head);
    } else if (fmt == 2) {
        static const char *const cols[] = {"id", "kind", "severity", "provider", "pair_with",
                                           "file", "description", NULL};
        for (size_t i = 0; cols[i]; i++)
            cli_tsv_field(stdout, cols[i], cols[i + 1] == NULL);
    }
    for (size_t i = 0; i < n; i++) {
        const struct rule_info *r = detect_rule_info(rs, i);
        if (fmt == 0) {
            const char *row[] = {r->id, r->kind, cli_severity(r->severity), _(r->description)};
            cli_table_add(t, row);
        } else if (fmt == 2) {
            const char *f[] = {r->id,           r->kind, severity_name(r->severity), r->provider,
                               r->pair_with,    r->file, r->description};
            for (size_t k = 0; k < 7; k++)
                cli_tsv_field(stdout, f[k], k == 6);
        } else {
            json_object *j = json_object_new_object();
            json_object_object_add(j, "id", json_str_new(r->id));
            json_object_object_add(j, "kind", json_str_new(r->kind));
            json_object_object_add(j, "severity", json_str_new(severity_name(r->severity)));
            json_object_object_add(j, "description", json_str_new(r->description));
            json_object_object_add(j, "provider", json_str_new(r->provider));
            json_object_object_add(j, "pair_with", json_str_new(r->pair_with));
            json_object_object_add(j, "pair_lines", json_object_new_int(r->pair_lines));
            json_object_object_add(j, "file", json_str_new(r->file));
            cli_json_line(stdout, j);
            json_object_put(j);
        }
    }
    if (t) {
        cli_table_print(t, stdout);
        cli_table_free(t);
    }
    return 0;
}

struct test_run {
    struct scan_out *out;
    const char *path;
    long n;
};

static int
on_finding(const struct finding *f, void *user)
{
    struct test_run *r = user;
    struct scan_hit h = {f, "local", r->path, NULL, r->path, NULL, NULL, 0};
    scan_out_hit(r->out, &h, 0);
    r->n++;
    return 0;
}

static int
rules_test(struct cli_ctx *ctx, const struct detect_ruleset *rs, const char *path, int fmt)
{
    struct akw_err err = {0};
    char *data = NULL;
    size_t len = 0;
    if (scan_path_check(path, &err) != AKW_OK || fs_read_all(path, &data, &len, &err) != AKW_OK)
        return cli_fail_err(&err);
    struct detector *d = detector_new(rs);
    struct test_run r = {scan_out_new((enum scan_format)fmt, stdout, rs), path, 0};
    detector_scan(d, path, data, len, on_finding, &r);
    scan_out_end(r.out);
    detector_free(d);
    memset(data, 0, len);
    free(data);
    if (!ctx->quiet)
        fprintf(stderr, ngettext("akwatch: %ld finding in %s\n", "akwatch: %ld findings in %s\n",
                                 (unsigned long)r.n), r.n, path);
    return r.n ? CLI_FOUND : CLI_OK;
}

static int
rules_main(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {0, 0, 0, 0}};
    static const char *const verbs[] = {"list", "test", NULL};
    static const char *const list_formats[] = {"table", "json", "tsv", NULL};
    const char *format = NULL;
    int rc = 0, c, verb, fmt = 0;
    while ((c = cli_getopt(ctx, argc, argv, "f:", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'f')
            format = optarg;
    }
    if (optind >= argc)
        return cli_usage_error(ctx, "rules", _("expected list or test FILE"));
    if (cli_choice(ctx, "rules", argv[optind], verbs, &verb))
        return CLI_ERROR;
    if (argc - optind - 1 != verb)
        return cli_usage_error(ctx, argv[optind],
                               verb ? _("expected one FILE") : _("takes no argument"));
    if (format && cli_choice(ctx, "--format", format, verb ? scan_format_names : list_formats, &fmt))
        return CLI_ERROR;
    const struct config *cfg; /* a bad configuration is an error for every command */
    if (cli_config(ctx, &cfg))
        return CLI_ERROR;
    struct detect_ruleset *rs;
    if (cli_rules(&rs))
        return CLI_ERROR;
    rc = verb ? rules_test(ctx, rs, argv[optind + 1], fmt) : rules_list(rs, fmt);
    detect_rules_free(rs);
    return rc;
}

const struct cli_command cli_cmd_rules = {
    "rules",
    rules_main,
    N_("list the detection rules, or try them on one file"),
    N_("rules list [--format table|json|tsv] | rules test [--format text|json|sarif|tsv] FILE"),
    N_("  list             every rule loaded from the data folder's rules/ (id, kind,\n"
       "                   severity, description); a broken rule file is reported with its\n"
       "                   file:line and exit status 2\n"
       "  test FILE        run the rules on FILE and print the findings as scan does (secrets\n"
       "                   masked); nothing is stored. Exit status 1 when something was found.\n"
       "\n"
       "The rules folder is $AKWATCH_DATADIR/rules when set, else the installed one.\n"),
};
