/* test_baseline — the .akwatchignore reader and writer on real files in a temp folder: a
 * missing file ignores nothing; comments, blank lines, CRLF, any case and trailing comments
 * are read; a malformed line names FILE:LINE and yields nothing; lookups are exact; the
 * writer sorts, keeps one line per fingerprint, makes comments one line, writes 0600 and
 * atomically, and what it writes reads back. Roots: the work tree, else the folder. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan/local.h"
#include "tap.h"

#define FP_A "74e33aafeb57398311c1e55fbac6b6104d56cd6986a997c7fb8c2dbc71e903a5"
#define FP_B "dbd2014fe764831f53e5deb84e0cfb23c621b49e02df4050977b0cbeff30da68"
#define FP_C "0000000000000000000000000000000000000000000000000000000000000001"

static char dir[64];

static const char *
path_of(const char *name)
{
    static char buf[4][256];
    static int k;
    char *b = buf[k++ % 4];
    snprintf(b, 256, "%s/%s", dir, name);
    return b;
}

static void
put(const char *name, const char *text)
{
    FILE *f = fopen(path_of(name), "w");
    fputs(text, f);
    fclose(f);
}

static void
test_read(void)
{
    struct scan_baseline *b = (struct scan_baseline *)1;
    struct akw_err err = {0};
    ok(scan_baseline_load(path_of("missing"), &b, &err) == AKW_OK && b == NULL,
       "a missing file: no error, nothing ignored");
    ok(!scan_baseline_has(NULL, FP_A), "the empty set has nothing");
    put("good", "# header comment\n"
                "\n"
                FP_A "  # password-assignment app.conf:1\n"
                "   " "DBD2014FE764831F53E5DEB84E0CFB23C621B49E02DF4050977B0CBEFF30DA68\r\n"
                "\t# indented comment\n");
    ok(scan_baseline_load(path_of("good"), &b, &err) == AKW_OK && b, "read a good file (%s)",
       err.msg);
    is_int(scan_baseline_count(b), 2, "two fingerprints");
    ok(scan_baseline_has(b, FP_A), "the first");
    ok(scan_baseline_has(b, FP_B), "the second, given in upper case with CRLF");
    ok(!scan_baseline_has(b, FP_C), "no other");
    scan_baseline_free(b);

    static const struct {
        const char *text;
        int line;
        const char *word;
    } bad[] = {
        {FP_A "\nnot-a-fingerprint\n", 2, "'not-a-fingerprint'"},
        {"# ok\n" FP_A "0\n", 2, "'" FP_A "0'"},
        {FP_A " trailing words\n", 1, "'" FP_A "'"},
        {"app.conf:password-assignment:1\n", 1, "'app.conf:password-assignment:1'"},
        {"74e33aafeb57398311c1e55fbac6b6104d56cd6986a997c7fb8c2dbc71e903aZ\n", 1, "903aZ'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put("bad", bad[i].text);
        akw_err_clear(&err);
        b = (struct scan_baseline *)1;
        enum akw_status rc = scan_baseline_load(path_of("bad"), &b, &err);
        char where[300];
        snprintf(where, sizeof where, "%s:%d: ", path_of("bad"), bad[i].line);
        ok(rc == AKW_ERR_PARSE && b == NULL && strncmp(err.msg, where, strlen(where)) == 0 &&
               strstr(err.msg, bad[i].word),
           "bad line %zu: FILE:LINE and the word (%s)", i + 1, err.msg);
    }
}

static void
test_write(void)
{
    struct scan_baseline_entry e[] = {
        {FP_B, "aws-access-key-id", "creds:2"},
        {FP_A, "password-assignment", "app.conf:1"},
        {FP_B, "aws-access-key-id", "other:9"},
        {FP_C, "generic", "evil\nname:3"},
    };
    size_t written = 0;
    struct akw_err err = {0};
    const char *p = path_of(".akwatchignore");
    ok(scan_baseline_write(p, e, 4, "# head 1\n# head 2\n", &written, &err) == AKW_OK,
       "write (%s)", err.msg);
    is_int(written, 3, "three distinct fingerprints written");
    char *text = NULL;
    fs_read_all(p, &text, NULL, NULL);
    is_str(text,
           "# head 1\n# head 2\n"
           FP_C "  # generic evil?name:3\n"
           FP_A "  # password-assignment app.conf:1\n"
           FP_B "  # aws-access-key-id creds:2\n",
           "header, then sorted lines, the first place of each, control characters as ?");
    free(text);
    struct stat sb;
    ok(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600");
    struct scan_baseline *b = NULL;
    ok(scan_baseline_load(p, &b, &err) == AKW_OK && scan_baseline_count(b) == 3 &&
           scan_baseline_has(b, FP_C),
       "what was written reads back");
    scan_baseline_free(b);
    char *cmd = xasprintf("ls -A '%s' | grep -c '^\\.\\.akwatchignore' >/dev/null", dir);
    ok(system(cmd) != 0, "no temporary file left beside it");
    free(cmd);
    ok(scan_baseline_write(path_of("no/such/dir/x"), e, 1, "", &written, &err) == AKW_ERR_IO &&
           written == 0,
       "an unwritable place: an error, nothing counted");
}

static void
test_roots(void)
{
    char *plain = xasprintf("%s/plain", dir), *repo = xasprintf("%s/repo", dir);
    char *git = xasprintf("%s/.git", repo), *sub = xasprintf("%s/src", repo);
    mkdir(plain, 0700);
    mkdir(repo, 0700);
    mkdir(git, 0700);
    mkdir(sub, 0700);
    put("repo/src/a.conf", "x\n");
    put("plain/b.conf", "x\n");
    char *r = scan_baseline_root_of(sub);
    is_str(r, repo, "a folder in a work tree: the work tree");
    free(r);
    r = scan_baseline_root_of(path_of("repo/src/a.conf"));
    is_str(r, repo, "a file in it: the work tree too");
    free(r);
    r = scan_baseline_root_of(plain);
    is_str(r, plain, "a folder outside any work tree: itself");
    free(r);
    r = scan_baseline_root_of(path_of("plain/b.conf"));
    is_str(r, plain, "a file outside any: its folder");
    free(r);
    ok(scan_baseline_root_of(path_of("nope")) == NULL, "a missing path: NULL");

    struct scan_baselines c = {0};
    const struct scan_baseline *b;
    struct akw_err err = {0};
    put("repo/.akwatchignore", FP_A "\n");
    ok(scan_baselines_get(&c, repo, &b, &err) == AKW_OK && scan_baseline_has(b, FP_A),
       "the repository's baseline");
    put("repo/.akwatchignore", FP_B "\n");
    ok(scan_baselines_get(&c, repo, &b, &err) == AKW_OK && scan_baseline_has(b, FP_A),
       "read once per run");
    ok(scan_baselines_get(&c, plain, &b, &err) == AKW_OK && b == NULL, "a root without one");
    scan_baselines_done(&c);
    free(plain);
    free(repo);
    free(git);
    free(sub);
}

int
main(void)
{
    snprintf(dir, sizeof dir, "/tmp/akw-baseline-XXXXXX");
    if (!mkdtemp(dir))
        return 99;
    char *real = realpath(dir, NULL);
    snprintf(dir, sizeof dir, "%s", real);
    free(real);
    test_read();
    test_write();
    test_roots();
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    free(cmd);
    return done_testing();
}
