/* Unit tests for config: every key type parsed into struct config, bad values reported as
 * "file:line: [section] key: message", config_check reporting every error, env overrides. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/conf.h"
#include "tap.h"

static char dir[] = "/tmp/akw-conf.XXXXXX";
static char path[256];

static void
write_conf(const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void
test_defaults_and_null(void)
{
    struct config c;
    struct akw_err err = {0};
    config_init(&c);
    is_str(c.api_url, "https://api.github.com", "default api_url");
    is_int(c.max_file_size, 10 << 20, "default max_file_size 10 MiB");
    is_int(c.bell, 1, "bell defaults on");
    is_int(c.events, 0, "events defaults off");
    is_int(c.give_up_after, 3, "give_up_after defaults to 3 runs");
    config_init(&c); /* twice in a row must not leak (checked under ASan) */
    config_done(&c);
    is_int(config_load("/nonexistent/akw/config", 0, &c, &err), AKW_OK,
           "missing file is fine when not required");
    ok(c.path == NULL, "path stays NULL when there is no file");
    config_done(&c);
    is_int(config_load("/nonexistent/akw/config", 1, &c, &err), AKW_ERR_IO,
           "missing file is an error when required");
    ok(strstr(err.msg, "/nonexistent/akw/config: ") == err.msg, "error names the file: %s",
       err.msg);
    config_done(&c);
}

/* given a file, when loaded, then fields hold the parsed values */
static void
test_every_type(void)
{
    write_conf("; comment\n"
               "[github]\n"
               "api_url = http://127.0.0.1:8080/api/v3\n"
               "token = tok1\n"
               "token = tok2\n"
               "query = \"LTAI\" filename:application.properties\n"
               "org = acme other\n"
               "org = third\n"
               "events = on\n"
               "keep_unowned = no\n"
               "poll_interval = 30\n"
               "give_up_after = 5\n"
               "[assets]\n"
               "access_key_id = LTAI5tExampleOnly0000000\n"
               "domain = acme.example\n"
               "endpoint = rm-acme.mysql.rds.aliyuncs.com\n"
               "host = 203.0.113.10   ; inline comment\n"
               "[notify]\n"
               "window = 08:00-20:00\n"
               "days = mon-fri\n"
               "tz = UTC\n"
               "webhook = https://hooks.example/x\n"
               "webhook_format = dingtalk\n"
               "command = /usr/local/bin/page-oncall --now\n"
               "bell = off\n"
               "[scan]\n"
               "max_file_size = 512K\n"
               "skip = vendor/ node_modules/\n"
               "skip = *.min.js\n"
               "store_secrets = true\n"
               "[verify]\n"
               "enabled = yes\n"
               "recheck_after = 12h\n"
               "[actions]\n"
               "on_deleted = echo deleted\n"
               "hook_timeout = 2m\n");
    struct config c;
    struct akw_err err = {0};
    unsetenv("GITHUB_TOKEN");
    unsetenv("AKWATCH_API_URL");
    int rc = config_load(path, 1, &c, &err);
    is_int(rc, AKW_OK, "full config loads (%s)", err.msg);
    is_str(c.path, path, "path recorded");
    is_str(c.api_url, "http://127.0.0.1:8080/api/v3", "str: api_url");
    is_int(c.tokens.n, 2, "list: two tokens");
    is_str(c.tokens.n == 2 ? c.tokens.v[1] : NULL, "tok2", "list keeps file order");
    is_str(c.queries.n ? c.queries.v[0] : NULL, "\"LTAI\" filename:application.properties",
           "list item keeps quotes and spaces");
    is_int(c.orgs.n, 3, "words: repeated and space-separated");
    is_str(c.orgs.n == 3 ? c.orgs.v[2] : NULL, "third", "words: order");
    is_int(c.events, 1, "bool on");
    is_int(c.keep_unowned, 0, "bool no");
    is_int(c.poll_interval, 30, "int");
    is_int(c.give_up_after, 5, "give_up_after");
    is_str(c.hosts.n ? c.hosts.v[0] : NULL, "203.0.113.10", "inline comment stripped");
    is_str(c.window, "08:00-20:00", "window");
    is_str(c.days, "mon-fri", "days");
    is_str(c.webhook_format, "dingtalk", "webhook_format");
    is_str(c.command, "/usr/local/bin/page-oncall --now", "command with spaces");
    is_int(c.bell, 0, "bell off");
    is_int(c.max_file_size, 512 * 1024, "size 512K");
    is_int(c.skip.n, 3, "skip list");
    is_int(c.store_secrets, 1, "store_secrets");
    is_int(c.verify_enabled, 1, "[verify] enabled");
    is_int(c.recheck_after, 12 * 3600, "seconds 12h");
    is_str(c.on_deleted, "echo deleted", "[actions] on_deleted");
    is_int(c.hook_timeout, 120, "[actions] hook_timeout 2m");
    config_done(&c);
    config_init(&c);
    is_int(c.hook_timeout, 30, "hook_timeout defaults to 30 s");
}

/* given one bad line, when loaded, then the error names file:line: [section] key */
static void
test_bad_values(void)
{
    static const struct {
        const char *text;
        int line;
        const char *want; /* after "path:line: " */
    } cases[] = {
        {"[github]\nevents = maybe\n", 2, "[github] events: expected on or off (maybe)"},
        {"[scan]\nmax_file_size = 10Q\n", 2, "[scan] max_file_size: expected a size"},
        {"[scan]\nmax_file_size = 0\n", 2, "[scan] max_file_size: expected a size"},
        {"[scan]\nmax_file_size = -5M\n", 2, "[scan] max_file_size: expected a size"},
        {"[notify]\nwindow = 8-20\n", 2, "[notify] window: expected a time window"},
        {"[notify]\nwindow = 25:00-08:00\n", 2, "[notify] window: expected a time window"},
        {"[notify]\nwindow = 24:00-08:00\n", 2, "[notify] window: expected a time window"},
        {"[notify]\nwindow = 08:60-09:00\n", 2, "[notify] window: expected a time window"},
        {"[notify]\ndays = mon-funday\n", 2, "[notify] days: expected days"},
        {"[notify]\ntz = ../../etc/passwd\n", 2, "[notify] tz: unknown time zone"},
        {"[notify]\nwebhook_format = teams\n", 2, "[notify] webhook_format: expected generic"},
        {"[github]\napi_url = ftp://example.com\n", 2, "[github] api_url: expected an http"},
        {"[github]\napi_url = http://example.com/api\n", 2,
         "[github] api_url: plain http is only allowed to a loopback host"},
        {"[github]\napi_url = https:///nohost\n", 2, "[github] api_url: URL has no host"},
        {"[notify]\nwebhook = http://hooks.example/secret-path\n", 2,
         "[notify] webhook: plain http is only allowed to a loopback host; use https"},
        {"[github]\npoll_interval = soon\n", 2, "[github] poll_interval: expected a positive"},
        {"[github]\ngive_up_after = -1\n", 2, "[github] give_up_after: expected a positive"},
        {"[verify]\nrecheck_after = 3w\n", 2, "[verify] recheck_after: expected a duration"},
        {"\n[github]\ntokn = x\n", 3, "[github] tokn: unknown key"},
        {"[gihub]\ntoken = x\n", 2, "[gihub] token: unknown section"},
        {"[github]\napi_url = https://a.example\napi_url = https://b.example\n", 3,
         "[github] api_url: given twice (first on line 2)"},
        {"[scan]\nstore_secrets =\n", 2, "[scan] store_secrets: empty value"},
        {"[scan]\nthis line has no equals\n", 2, "syntax error"},
        {"token = x\n", 1, "[] token: unknown section"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_conf(cases[i].text);
        struct config c;
        struct akw_err err = {0};
        int rc = config_load(path, 1, &c, &err);
        char want[512];
        snprintf(want, sizeof want, "%s:%d: %s", path, cases[i].line, cases[i].want);
        is_int(rc, AKW_ERR_PARSE, "bad case %zu is a parse error", i);
        ok(strncmp(err.msg, want, strlen(want)) == 0, "message '%s' starts with '%s'", err.msg,
           want);
        is_str(c.api_url, "https://api.github.com", "after an error cfg holds only defaults");
        config_done(&c);
    }
}

static void
test_secret_not_echoed(void)
{
    write_conf("[notify]\nwebhook = ftp://hooks.example/T0KEN-SECRET\n");
    struct config c;
    struct akw_err err = {0};
    config_load(path, 1, &c, &err);
    ok(strstr(err.msg, "T0KEN-SECRET") == NULL, "webhook value not echoed: %s", err.msg);
    config_done(&c);
}

static void
test_long_line(void)
{
    char text[1200];
    memset(text, 'a', sizeof text);
    memcpy(text, "[github]\nquery = ", 17);
    text[sizeof text - 2] = '\n';
    text[sizeof text - 1] = '\0';
    write_conf(text);
    struct config c;
    struct akw_err err = {0};
    is_int(config_load(path, 1, &c, &err), AKW_ERR_PARSE, "over-long line is an error");
    char want[300];
    snprintf(want, sizeof want, "%s:2: line longer than", path);
    ok(strncmp(err.msg, want, strlen(want)) == 0, "long line named: %s", err.msg);
    config_done(&c);
}

static void
collect(const char *msg, void *user)
{
    int *n = user;
    (*n)++;
    printf("# check: %s\n", msg);
}

static void
test_check_reports_all(void)
{
    write_conf("[github]\nevents = maybe\n[scan]\nmax_file_size = huge\nbogus = 1\n");
    int n = 0;
    struct akw_err err = {0};
    is_int(config_check(path, collect, &n, &err), AKW_ERR_PARSE, "check fails");
    is_int(n, 3, "check reports every bad line");
    write_conf("[github]\nevents = on\n");
    n = 0;
    is_int(config_check(path, collect, &n, &err), AKW_OK, "check passes a good file");
    is_int(n, 0, "no messages for a good file");
}

static void
test_env(void)
{
    write_conf("[github]\ntoken = fromfile\n");
    setenv("GITHUB_TOKEN", "fromenv", 1);
    setenv("AKWATCH_API_URL", "http://127.0.0.1:9/", 1);
    struct config c;
    struct akw_err err = {0};
    is_int(config_load(path, 1, &c, &err), AKW_OK, "load with env");
    is_int(c.tokens.n, 2, "env token added to the pool");
    is_str(c.tokens.n ? c.tokens.v[0] : NULL, "fromenv", "GITHUB_TOKEN goes first");
    is_str(c.api_url, "http://127.0.0.1:9/", "AKWATCH_API_URL overrides api_url");
    config_done(&c);
    setenv("AKWATCH_API_URL", "http://evil.example/", 1);
    is_int(config_load(path, 1, &c, &err), AKW_ERR_PARSE, "bad AKWATCH_API_URL rejected");
    ok(strncmp(err.msg, "AKWATCH_API_URL: ", 17) == 0, "culprit is the variable: %s", err.msg);
    config_done(&c);
    unsetenv("GITHUB_TOKEN");
    unsetenv("AKWATCH_API_URL");
}

static void
test_parsers(void)
{
    static const struct {
        const char *in;
        long long want; /* -1 = rejected */
    } sizes[] = {
        {"1", 1},   {"10M", 10 << 20}, {"10m", 10 << 20}, {"2G", 2LL << 30}, {"3KiB", 3072},
        {"", -1},   {"M", -1},         {"1T", -1},        {"0", -1},         {NULL, -1},
        {"99999999999999999999", -1},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        long long v = -2;
        int rc = config_parse_size(sizes[i].in, &v);
        is_int(rc == 0 ? v : -1, sizes[i].want, "size '%s'", sizes[i].in ? sizes[i].in : "NULL");
    }
    int b = -1;
    ok(config_parse_bool(NULL, &b) == -1, "bool NULL rejected");
    ok(config_parse_bool("Off", &b) == 0 && b == 0, "bool Off");
    int from, to;
    ok(config_parse_window("22:00-06:30", &from, &to) == 0 && from == 1320 && to == 390,
       "window wrapping midnight");
    ok(config_parse_window("00:00-24:00", &from, &to) == 0 && to == 1440, "window to 24:00");
    ok(config_check_url("https://[::1]:8443/x") == NULL, "https IPv6 URL");
    ok(config_check_url("http://localhost:8080") == NULL, "http to localhost");
    ok(config_check_url("http://127.0.0.1") == NULL, "http to 127.0.0.1");
    ok(config_check_url("http://127.0.0.1.evil.example") != NULL, "http to a look-alike host");
    ok(config_check_url("https://a b") != NULL, "space in URL");
}

int
main(void)
{
    if (!mkdtemp(dir))
        return 99;
    snprintf(path, sizeof path, "%s/config", dir);
    test_defaults_and_null();
    test_every_type();
    test_bad_values();
    test_secret_not_echoed();
    test_long_line();
    test_check_reports_all();
    test_env();
    test_parsers();
    unlink(path);
    rmdir(dir);
    return done_testing();
}
