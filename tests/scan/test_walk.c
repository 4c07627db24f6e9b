/* Unit tests for scan/: the walker on a temp tree (symlink loop, FIFO, binary, big file,
 * skip folders, .git), skip-fragment matching, ownership, and git history cut into added
 * lines on a real repository made with git init + commits. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan/local.h"
#include "tap.h"

static char tmp[] = "/tmp/akw-scan.XXXXXX";

static void
put(const char *rel, const char *text, size_t len)
{
    char *p = xasprintf("%s/%s", tmp, rel);
    FILE *f = fopen(p, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    free(p);
}

static void
mk(const char *rel)
{
    char *p = xasprintf("%s/%s", tmp, rel);
    mkdir(p, 0700);
    free(p);
}

static void
ln(const char *target, const char *rel)
{
    char *p = xasprintf("%s/%s", tmp, rel);
    if (symlink(target, p) != 0)
        perror("symlink");
    free(p);
}

struct seen {
    struct buf paths; /* "path|relpath\n" per file */
    int stop_after;
    int n;
};

static int
collect(const struct scan_file *f, void *user)
{
    struct seen *s = user;
    buf_printf(&s->paths, "%s|%s|%zu\n", f->path, f->relpath, f->len);
    return s->stop_after && ++s->n >= s->stop_after;
}

static void
make_tree(void)
{
    mk("root");
    mk("root/sub");
    mk("root/vendor");
    mk("root/.git");
    mk("root/deep");
    mk("root/deep/node_modules");
    put("root/a.txt", "hello\n", 6);
    put("root/sub/b.txt", "bee\n", 4);
    put("root/vendor/x.txt", "vendored\n", 9);
    put("root/deep/node_modules/y.txt", "mod\n", 4);
    put("root/.git/config", "[core]\n", 7);
    put("root/app.min.js", "min\n", 4);
    put("root/bin.dat", "\x7f" "ELF\0\0\0\0\x01\x02", 10);
    char big[3000];
    memset(big, 'x', sizeof big);
    put("root/big.txt", big, sizeof big);
    ln("..", "root/sub/loop");
    ln(".", "root/sub/self");
    ln("a.txt", "root/link-to-a");
    ln("nowhere", "root/broken");
    char *fifo = xasprintf("%s/root/fifo", tmp);
    mkfifo(fifo, 0600);
    free(fifo);
}

static void
test_walk_tree(void)
{
    static const char *const skip[] = {"vendor/", "node_modules/", "*.min.js"};
    struct scan_opts o = {.max_file_size = 1000, .skip = skip, .n_skip = 3};
    struct scan_stats st = {0};
    struct seen s = {0};
    struct akw_err err = {0};
    buf_init(&s.paths);
    char *arg = xasprintf("%s/root", tmp);
    is_int(scan_walk(arg, &o, collect, &s, &st, &err), AKW_OK, "walk succeeds (%s)", err.msg);
    char *want = xasprintf("%s/root/a.txt|a.txt|6\n%s/root/link-to-a|link-to-a|6\n"
                           "%s/root/sub/b.txt|sub/b.txt|4\n", tmp, tmp, tmp);
    is_str(s.paths.data, want, "files in sorted order, paths as reached from the argument");
    is_int(st.files, 3, "three files scanned");
    is_int(st.bytes, 16, "bytes counted");
    is_int(st.skipped[SCAN_SKIP_GIT], 1, ".git skipped and counted");
    is_int(st.skipped[SCAN_SKIP_CONFIG], 3, "vendor/, deep node_modules/ and *.min.js skipped");
    is_int(st.skipped[SCAN_SKIP_TOO_BIG], 1, "big file skipped");
    is_int(st.skipped[SCAN_SKIP_BINARY], 1, "binary file skipped");
    is_int(st.skipped[SCAN_SKIP_SPECIAL], 1, "FIFO skipped, not opened");
    is_int(st.skipped[SCAN_SKIP_LOOP], 2, "symlink loops (.. and .) walked once");
    is_int(st.skipped[SCAN_SKIP_UNREADABLE], 1, "broken symlink counted unreadable");
    free(want);
    free(arg);

    /* given a trailing slash, then no double slash */
    buf_reset(&s.paths);
    memset(&st, 0, sizeof st);
    arg = xasprintf("%s/root/sub/", tmp);
    scan_walk(arg, &o, collect, &s, &st, &err);
    want = xasprintf("%s/root/sub/b.txt|b.txt|4\n%s/root/sub/loop/a.txt|loop/a.txt|6\n"
                     "%s/root/sub/loop/link-to-a|loop/link-to-a|6\n", tmp, tmp, tmp);
    is_str(s.paths.data, want, "trailing slash kept once; a symlink up is followed once");
    free(want);
    free(arg);

    /* given a file argument, then its path is the argument and relpath its name */
    buf_reset(&s.paths);
    arg = xasprintf("%s/root/sub/b.txt", tmp);
    scan_walk(arg, &o, collect, &s, &st, &err);
    want = xasprintf("%s|b.txt|4\n", arg);
    is_str(s.paths.data, want, "file argument");
    free(want);
    free(arg);

    /* when the callback asks to stop, then the walk is cancelled */
    buf_reset(&s.paths);
    s.stop_after = 1;
    arg = xasprintf("%s/root", tmp);
    is_int(scan_walk(arg, &o, collect, &s, &st, &err), AKW_ERR_CANCEL, "stop from callback");
    free(arg);
    buf_done(&s.paths);
}

struct prog {
    long calls, last_files;
    int monotonic, stop_at;
};

static int
count_progress(const struct scan_stats *st, const char *path, void *user)
{
    struct prog *p = user;
    p->calls++;
    if (st->files < p->last_files || !path)
        p->monotonic = 0;
    p->last_files = st->files;
    return p->stop_at && p->calls >= p->stop_at;
}

static int
ignore_file(const struct scan_file *f, void *user)
{
    (void)f;
    (void)user;
    return 0;
}

/* the progress callback sees every file with growing totals, and can cancel */
static void
test_progress(void)
{
    struct prog p = {0, 0, 1, 0};
    struct scan_opts o = {.max_file_size = 1000, .on_progress = count_progress, .user = &p};
    struct scan_stats st = {0};
    struct akw_err err = {0};
    char *arg = xasprintf("%s/root", tmp);
    scan_walk(arg, &o, ignore_file, NULL, &st, &err);
    is_int(p.calls, st.files + st.skipped[SCAN_SKIP_TOO_BIG] + st.skipped[SCAN_SKIP_BINARY],
           "progress called once per regular file met (scanned, too big or binary)");
    ok(p.monotonic, "progress totals only grow, with the path");
    struct prog q = {0, 0, 1, 2};
    o.user = &q;
    memset(&st, 0, sizeof st);
    is_int(scan_walk(arg, &o, ignore_file, NULL, &st, &err), AKW_ERR_CANCEL,
           "progress returning non-zero cancels the walk");
    is_int(st.files, 2, "cancelled after the second file");
    free(arg);
}

static void
test_path_check(void)
{
    struct akw_err err = {0};
    char *p = xasprintf("%s/missing", tmp);
    is_int(scan_path_check(p, &err), AKW_ERR_IO, "missing path rejected");
    ok(strstr(err.msg, p) == err.msg && strstr(err.msg, "No such file"), "names it: %s",
       err.msg);
    free(p);
    p = xasprintf("%s/root/fifo", tmp);
    is_int(scan_path_check(p, &err), AKW_ERR_IO, "FIFO argument rejected");
    ok(strstr(err.msg, "not a regular file or folder") != NULL, "says why: %s", err.msg);
    free(p);
    is_int(scan_path_check("", &err), AKW_ERR_IO, "empty path rejected");
    if (geteuid() != 0) {
        p = xasprintf("%s/secret.txt", tmp);
        put("secret.txt", "x", 1);
        chmod(p, 0);
        is_int(scan_path_check(p, &err), AKW_ERR_IO, "unreadable file rejected");
        free(p);
    } else {
        ok(1, "unreadable file check skipped (running as root) # SKIP root reads anything");
    }
}

static void
test_skip_match(void)
{
    static const struct {
        const char *item, *rel;
        int is_dir, want;
    } cases[] = {
        {"vendor/", "vendor", 1, 1},          {"vendor/", "a/b/vendor", 1, 1},
        {"vendor/", "vendor", 0, 0},          {"vendor/", "myvendor", 1, 0},
        {"/vendor/", "a/vendor", 1, 0},       {"/vendor/", "vendor", 1, 1},
        {"*.min.js", "x/app.min.js", 0, 1},   {"*.min.js", "app.min.json", 0, 0},
        {"docs/big.txt", "docs/big.txt", 0, 1}, {"docs/big.txt", "a/docs/big.txt", 0, 1},
        {"docs/big.txt", "adocs/big.txt", 0, 0}, {"test?", "test1", 1, 1},
        {"", "anything", 0, 0},               {"/", "x", 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *list[] = {cases[i].item};
        is_int(scan_skip_match(list, 1, cases[i].rel, cases[i].is_dir), cases[i].want,
               "skip '%s' vs %s '%s'", cases[i].item, cases[i].is_dir ? "dir" : "file",
               cases[i].rel);
    }
    is_int(scan_skip_match(NULL, 0, "x", 0), 0, "empty skip list matches nothing");
    static const char *const dirs[] = {"vendor/"};
    is_int(scan_skip_match_file(dirs, 1, "a/vendor/x/y.js"), 1, "file below a skipped folder");
    is_int(scan_skip_match_file(dirs, 1, "a/vendors/y.js"), 0, "file below a look-alike folder");
    is_int(scan_skip_match_file(dirs, 1, "vendor"), 0, "a file named like a skipped folder");
}

static void
test_owned(void)
{
    static const char *const ids[] = {"LTAI5tOwnedKey0000000001"};
    static const char *const names[] = {"acme.example", "203.0.113.10",
                                        "rm-acme.mysql.rds.aliyuncs.com"};
    struct scan_assets a = {ids, 1, names, 3};
    static const struct {
        const char *ak, *line, *secret;
        int want;
    } cases[] = {
        {"LTAI5tOwnedKey0000000001", NULL, NULL, 1},
        {"LTAI5tOtherKey0000000001", "x", "y", 0},
        {NULL, "url = https://api.acme.example/v1", NULL, 1},
        {NULL, "url = https://ACME.EXAMPLE", NULL, 1},
        {NULL, "url = https://notacme.example/", NULL, 0},
        {NULL, "url = https://acme.example.org/", NULL, 0},
        {NULL, "host: 203.0.113.100", NULL, 0},
        {NULL, "host: 203.0.113.10:3306", NULL, 1},
        {NULL, NULL, "mysql://u:p@rm-acme.mysql.rds.aliyuncs.com/db", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        is_int(scan_owned(&a, cases[i].ak, cases[i].line, cases[i].secret), cases[i].want,
               "owned case %zu", i);
    is_int(scan_owned(NULL, "x", "y", "z"), 0, "no assets: not owned");
}

/* ---- git history ------------------------------------------------------------------ */

struct patches {
    struct buf out;
};

static int
collect_patch(const struct scan_patch *p, void *user)
{
    struct patches *ps = user;
    buf_printf(&ps->out, "%.7s|%s|%lld|%s|", p->commit, p->author, (long long)p->committed_at,
               p->path);
    for (size_t i = 0; i < p->n_lines; i++)
        buf_printf(&ps->out, "%s%ld", i ? "," : "", p->line_no[i]);
    buf_printf(&ps->out, "|%s", p->data);
    return 0;
}

static int
git(const char *repo, const char *args)
{
    char *cmd = xasprintf("git -C '%s' -c user.name=Alice -c user.email=alice@example.com "
                          "-c commit.gpgsign=false %s >/dev/null 2>&1",
                          repo, args);
    int rc = system(cmd);
    free(cmd);
    return rc;
}

static char *
head_short(const char *repo, const char *rev)
{
    char *cmd = xasprintf("git -C '%s' rev-parse --short=7 %s", repo, rev);
    FILE *p = popen(cmd, "r");
    char line[64] = "";
    if (p) {
        if (!fgets(line, sizeof line, p))
            line[0] = '\0';
        pclose(p);
    }
    free(cmd);
    line[strcspn(line, "\n")] = '\0';
    return xstrdup(line);
}

static void
test_git_history(void)
{
    setenv("GIT_AUTHOR_NAME", "Alice", 1);
    setenv("GIT_AUTHOR_EMAIL", "alice@example.com", 1);
    setenv("GIT_COMMITTER_NAME", "Alice", 1);
    setenv("GIT_COMMITTER_EMAIL", "alice@example.com", 1);
    setenv("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z", 1);
    setenv("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z", 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    char *repo = xasprintf("%s/repo", tmp);
    mkdir(repo, 0700);
    ok(git(repo, "init -q -b main") == 0, "git init");
    put("repo/conf.txt", "one\ntwo\n", 8);
    git(repo, "add conf.txt");
    git(repo, "commit -q -m first");
    char *c1 = head_short(repo, "HEAD");
    setenv("GIT_AUTHOR_DATE", "2026-01-03T00:00:00Z", 1);
    put("repo/conf.txt", "one\nadded\ntwo\ntail\n", 19);
    put("repo/my file.txt", "spaced\n", 7);
    put("repo/vendor.js", "skipped\n", 8);
    put("repo/blob.bin", "\0\1\2\3", 4);
    git(repo, "add -A");
    git(repo, "commit -q -m second");
    char *c2 = head_short(repo, "HEAD");
    git(repo, "rm -q conf.txt");
    git(repo, "commit -q -m third");

    static const char *const skip[] = {"vendor.js"};
    struct scan_opts o = {.max_file_size = 1 << 20, .skip = skip, .n_skip = 1};
    struct scan_stats st = {0};
    struct patches ps;
    struct akw_err err = {0};
    buf_init(&ps.out);
    is_int(scan_git_log(repo, &o, collect_patch, &ps, &st, &err), AKW_OK, "git log scan (%s)",
           err.msg);
    char *want = xasprintf("%s|Alice <alice@example.com>|1767398400|conf.txt|2,4|added\ntail\n"
                           "%s|Alice <alice@example.com>|1767398400|my file.txt|1|spaced\n"
                           "%s|Alice <alice@example.com>|1767323045|conf.txt|1,2|one\ntwo\n",
                           c2, c2, c1);
    is_str(ps.out.data, want, "added lines per file and commit, new-file line numbers, "
                              "author, date, unquoted path");
    is_int(st.commits, 3, "three commits seen");
    is_int(st.files, 3, "three changed files scanned");
    is_int(st.skipped[SCAN_SKIP_CONFIG], 1, "skip rule applies to history paths");
    is_int(st.skipped[SCAN_SKIP_BINARY], 1, "binary patch skipped and counted");
    free(want);

    /* max_file_size applies to the added text of one file in one commit */
    o.max_file_size = 10;
    memset(&st, 0, sizeof st);
    buf_reset(&ps.out);
    scan_git_log(repo, &o, collect_patch, &ps, &st, &err);
    is_int(st.skipped[SCAN_SKIP_TOO_BIG], 1, "big patch skipped and counted");

    is_int(scan_git_check(repo, &err), AKW_OK, "scan_git_check accepts the repository");
    /* given a folder that is no repository, then git's complaint is the error */
    char *notrepo = xasprintf("%s/root", tmp);
    is_int(scan_git_log(notrepo, &o, collect_patch, &ps, &st, &err), AKW_ERR_IO,
           "not a repository is an error");
    ok(strstr(err.msg, notrepo) == err.msg && strstr(err.msg, "not a git repository"),
       "error names the folder and the reason: %s", err.msg);
    is_int(scan_git_check(notrepo, &err), AKW_ERR_IO, "scan_git_check refuses a plain folder");
    free(notrepo);
    buf_done(&ps.out);
    free(c1);
    free(c2);
    free(repo);
}

int
main(void)
{
    if (!mkdtemp(tmp))
        return 99;
    make_tree();
    test_walk_tree();
    test_progress();
    test_path_check();
    test_skip_match();
    test_owned();
    test_git_history();
    char *cmd = xasprintf("rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tmp);
    free(cmd);
    return done_testing();
}
