/* calls — `akwatch calls import FILE...`, `calls list [--ak ID] [--leak ID]` and
 * `calls access LEAK_ID`: import trails and access logs, list the suspicious calls made with
 * leaked keys, and search imported access logs for the paths of the files that held a key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "calls/calls.h"
#include "cli/cli_int.h"
#include "notify/notify.h"

/* Malformed lines printed per file before only counting them. */
#define WARN_MAX 20

struct warn_state {
    const char *file;
    long shown;
};

static void
on_warn(void *user, const char *file, long line, const char *why)
{
    struct warn_state *w = user;
    if (!w->file || strcmp(w->file, file) != 0) {
        w->file = file;
        w->shown = 0;
    }
    if (w->shown++ < WARN_MAX)
        fprintf(stderr, _("akwatch: %s:%ld: %s (line skipped)\n"), file, line, why);
}

static void
print_summary(const char *file, const struct calls_file_result *r)
{
    printf(_("%s: %s, %ld events, %ld with a leaked key (%ld new), %ld access-log requests "
             "stored, %ld malformed\n"),
           file, r->format, r->events, r->with_leaked_key, r->calls_new, r->requests_new,
           r->malformed);
}

static int
calls_import(struct cli_ctx *ctx, int argc, char **argv)
{
    if (argc == 0)
        return cli_usage_error(ctx, "calls import", _("no FILE given"));
    const struct config *cfg;
    if (cli_config(ctx, &cfg))
        return CLI_ERROR;
    struct akw_err err = {0};
    struct notify *n = NULL;
    if (notify_new(cfg, &n, &err) != AKW_OK) /* a bad [notify] fails before any import */
        return cli_fail_err(&err);
    struct store *st;
    if (cli_store(ctx, 0, 0, &st)) {
        notify_free(n);
        return CLI_ERROR;
    }
    struct warn_state ws = {NULL, 0};
    struct calls_import *im = NULL;
    int rc = 0;
    if (calls_import_new(st, on_warn, &ws, &im, &err) != AKW_OK) {
        rc = cli_fail_err(&err);
        argc = 0;
    }
    for (int i = 0; i < argc; i++) {
        struct calls_file_result r;
        akw_err_clear(&err);
        enum akw_status s = calls_import_file(im, argv[i], &r, &err);
        if (ws.file && strcmp(ws.file, argv[i]) == 0 && ws.shown > WARN_MAX)
            fprintf(stderr, _("akwatch: %s: %ld more malformed lines not shown\n"), argv[i],
                    ws.shown - WARN_MAX);
        if (s != AKW_OK) {
            fprintf(stderr, _("akwatch: %s (nothing imported from this file)\n"), err.msg);
            rc = CLI_ERROR;
        } else {
            if (!ctx->quiet)
                print_summary(argv[i], &r);
            if (notify_calls_found(n, st, r.new_call_ids, r.n_new_call_ids, &err) != AKW_OK)
                rc = cli_fail_err(&err);
        }
        calls_file_result_done(&r);
    }
    if (notify_tick(n, st, &err) != AKW_OK)
        rc = cli_fail_err(&err);
    if (notify_bell_take() > 0 && isatty(2)) /* the bell channel, on a terminal */
        fputc('\a', stderr);
    calls_import_free(im);
    notify_free(n);
    store_close(st);
    return rc;
}

struct list_out {
    int json;
    struct cli_table *t;
    long n;
};

static int
list_one(const struct call *c, void *user)
{
    struct list_out *o = user;
    o->n++;
    if (o->json) {
        json_object *j = json_object_new_object();
        json_object_object_add(j, "id", json_object_new_int64(c->id));
        json_object_object_add(j, "leak_id", json_object_new_int64(c->leak_id));
        json_object_object_add(j, "ak_id", json_str_new(c->ak_id));
        json_object_object_add(j, "at", json_str_new(cli_time(c->at)));
        json_object_object_add(j, "source_ip", json_str_new(c->source_ip));
        json_object_object_add(j, "action", json_str_new(c->action));
        json_object_object_add(j, "url", json_str_new(c->url));
        json_object_object_add(j, "user_agent", json_str_new(c->user_agent));
        json_object_object_add(j, "kind", json_str_new(c->kind));
        json_object_object_add(j, "source_file", json_str_new(c->source_file));
        json_object_object_add(j, "source_line", json_object_new_int64(c->source_line));
        cli_json_line(stdout, j);
        json_object_put(j);
        return 0;
    }
    char when[32], src[512];
    akw_time_iso(c->at, when);
    snprintf(src, sizeof src, "%s:%ld", c->source_file ? c->source_file : "", c->source_line);
    const char *row[] = {when, c->ak_id, c->source_ip, c->action, c->user_agent, src};
    cli_table_add(o->t, row);
    return 0;
}

static int
calls_list(struct cli_ctx *ctx, struct store *st, const char *ak, int64_t leak_id, int json)
{
    (void)ctx;
    struct list_out o = {.json = json};
    struct akw_err err = {0};
    if (!json) {
        o.t = cli_table_new(6);
        const char *head[] = {_("TIME"), _("AK ID"), _("SOURCE IP"), _("ACTION / URL"),
                              _("USER AGENT"), _("FILE:LINE")};
        cli_table_add(o.t, head);
    }
    struct call_filter f = {.ak_id = ak, .leak_id = leak_id};
    int rc = 0;
    if (st && store_calls_foreach(st, &f, list_one, &o, &err) != AKW_OK)
        rc = cli_fail_err(&err);
    if (!json) {
        if (o.n == 0 && rc == 0)
            printf("%s\n", _("No suspicious calls."));
        else if (rc == 0)
            cli_table_print(o.t, stdout);
        cli_table_free(o.t);
    }
    return rc;
}

static int
access_one(const struct access_request *r, void *user)
{
    struct list_out *o = user;
    o->n++;
    char when[32], status[16], src[512];
    akw_time_iso(r->at, when);
    snprintf(status, sizeof status, "%d", r->status);
    snprintf(src, sizeof src, "%s:%ld", r->source_file ? r->source_file : "", r->source_line);
    if (o->json) {
        json_object *j = json_object_new_object();
        json_object_object_add(j, "at", json_str_new(when));
        json_object_object_add(j, "client", json_str_new(r->source_ip));
        json_object_object_add(j, "method", json_str_new(r->method));
        json_object_object_add(j, "path", json_str_new(r->path));
        json_object_object_add(j, "status", json_object_new_int(r->status));
        json_object_object_add(j, "user_agent", json_str_new(r->user_agent));
        json_object_object_add(j, "source_file", json_str_new(r->source_file));
        json_object_object_add(j, "source_line", json_object_new_int64(r->source_line));
        cli_json_line(stdout, j);
        json_object_put(j);
        return 0;
    }
    const char *row[] = {when, r->source_ip, r->method, r->path, status, r->user_agent, src};
    cli_table_add(o->t, row);
    return 0;
}

static int
calls_access(struct cli_ctx *ctx, struct store *st, int64_t leak_id, int json)
{
    struct akw_err err = {0};
    struct leak l;
    if (!st || store_leak_get(st, leak_id, &l, &err) != AKW_OK)
        return st ? cli_fail_err(&err) : cli_fail(_("no leak with id %lld"), (long long)leak_id);
    leak_done(&l);
    (void)ctx;
    struct list_out o = {.json = json};
    if (!json) {
        o.t = cli_table_new(7);
        const char *head[] = {_("TIME"), _("CLIENT"), _("METHOD"), _("PATH"), _("STATUS"),
                              _("USER AGENT"), _("FILE:LINE")};
        cli_table_add(o.t, head);
    }
    int rc = 0;
    if (store_access_for_leak(st, leak_id, access_one, &o, &err) != AKW_OK)
        rc = cli_fail_err(&err);
    if (!json) {
        if (o.n == 0 && rc == 0)
            printf("%s\n", _("No imported access-log request asked for the files that held "
                             "this key."));
        else if (rc == 0)
            cli_table_print(o.t, stdout);
        cli_table_free(o.t);
    }
    return rc;
}

static int
calls_main(struct cli_ctx *ctx, int argc, char **argv)
{
    // clang-format off
    static const struct option opts[] = {
        {"ak",     required_argument, NULL, 'a'},
        {"leak",   required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {0, 0, 0, 0},
    };
    // clang-format on
    static const char *const verbs[] = {"import", "list", "access", NULL};
    static const char *const formats[] = {"table", "json", NULL};
    const char *ak = NULL;
    int64_t leak_id = 0;
    int rc = 0, c, fmt = 0, verb;
    while ((c = cli_getopt(ctx, argc, argv, "a:l:f:", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'a')
            ak = optarg;
        else if (c == 'l' && cli_parse_id(ctx, optarg, &leak_id))
            return CLI_ERROR;
        else if (c == 'f' && cli_choice(ctx, "--format", optarg, formats, &fmt))
            return CLI_ERROR;
    }
    if (optind >= argc)
        return cli_usage_error(ctx, "calls", _("expected import, list or access"));
    if (cli_choice(ctx, "calls", argv[optind], verbs, &verb))
        return CLI_ERROR;
    int nargs = argc - optind - 1;
    if (verb == 0)
        return calls_import(ctx, nargs, argv + optind + 1);
    if ((verb == 1 && nargs != 0) || (verb == 2 && nargs != 1))
        return cli_usage_error(ctx, argv[optind],
                               verb == 1 ? _("takes no argument") : _("expected one leak ID"));
    if (verb == 2 && cli_parse_id(ctx, argv[optind + 1], &leak_id))
        return CLI_ERROR;
    const struct config *cfg;
    if (cli_config(ctx, &cfg))
        return CLI_ERROR;
    struct store *st;
    if (cli_store(ctx, 1, 1, &st))
        return CLI_ERROR;
    rc = verb == 1 ? calls_list(ctx, st, ak, leak_id, fmt) : calls_access(ctx, st, leak_id, fmt);
    store_close(st);
    return rc;
}

const struct cli_command cli_cmd_calls = {
    "calls",
    calls_main,
    N_("import trail and access logs; list suspicious calls made with leaked keys"),
    N_("calls import FILE... | list [--ak ID] [--leak ID] [--format table|json] | "
       "access LEAK_ID [--format table|json]"),
    N_("  import FILE...   read Alibaba Cloud ActionTrail and AWS CloudTrail event files (JSON,\n"
       "                   one event per line or a {\"Records\":[...]} document; .gz too) and web\n"
       "                   access logs (combined log format). A call made with a leaked\n"
       "                   AccessKey ID at or after the leak was first seen is stored as a\n"
       "                   suspicious call and alerts (inside the [notify] window). Each file\n"
       "                   is imported in one transaction; importing it again adds nothing.\n"
       "                   Malformed lines are reported as FILE:LINE and skipped.\n"
       "  list             the suspicious calls, oldest first (--ak ID: of one key; --leak ID)\n"
       "  access LEAK_ID   the access-log search: imported requests whose URL path is the path\n"
       "                   of a file that held the leak's key\n"
       "\n"
       "Exit status: 0, or 2 when a file could not be imported.\n"),
};
