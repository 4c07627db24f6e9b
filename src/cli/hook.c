/* hook — `akwatch hook install [--force] [REPO]` writes the pre-commit hook of the git work
 * tree holding REPO (default: the current folder) that runs `akwatch scan --staged`, so a
 * commit adding a credential is refused; `akwatch hook uninstall [REPO]` removes it. The
 * hooks folder is git's own answer (core.hooksPath honoured). Another program's hook is
 * never replaced without --force, nor removed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "scan/local.h"

/* The line that tells akwatch's hook from any other. */
#define HOOK_MARK "# akwatch-pre-commit-hook"

/* This program's absolute path, for the hook to call the very akwatch that wrote it (a
 * build folder's, an installed one); "akwatch" (found in PATH) when unknown. Caller frees. */
static char *
self_path(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return xstrdup("akwatch");
    exe[n] = '\0';
    return xstrdup(exe);
}

/* s in single quotes for sh ('\'' for a quote). */
static void
put_sh_quoted(struct buf *b, const char *s)
{
    buf_putc(b, '\'');
    for (; *s; s++)
        if (*s == '\'')
            buf_puts(b, "'\\''");
        else
            buf_putc(b, *s);
    buf_putc(b, '\'');
}

/* The hook's text: English, like every file committed or kept beside code. */
static void
hook_text(struct buf *b)
{
    char *exe = self_path();
    buf_puts(b, "#!/bin/sh\n" HOOK_MARK "\n"
                "# Written by `akwatch hook install`: refuses a commit whose staged changes add\n"
                "# a credential (findings printed masked). `git commit --no-verify` skips it\n"
                "# once; `akwatch hook uninstall` removes it. A false finding: mark its line\n"
                "# with akwatch:allow, or list it in .akwatchignore (`akwatch baseline`).\n"
                "akwatch=");
    put_sh_quoted(b, exe);
    buf_puts(b, "\n"
                "[ -x \"$akwatch\" ] || akwatch=akwatch\n"
                "exec \"$akwatch\" scan --staged\n");
    free(exe);
}

/* 1 when the file at path is akwatch's hook, 0 when it is another one, -1 when there is
 * none; *is_link when it is a symbolic link (never akwatch's). */
static int
hook_state(const char *path, int *is_link)
{
    struct stat sb;
    *is_link = 0;
    if (lstat(path, &sb) != 0)
        return -1;
    if (S_ISLNK(sb.st_mode)) {
        *is_link = 1;
        return 0;
    }
    char *text = NULL;
    size_t len = 0;
    if (!S_ISREG(sb.st_mode) || fs_read_all(path, &text, &len, NULL) != AKW_OK)
        return 0;
    int ours = strstr(text, "\n" HOOK_MARK "\n") != NULL;
    free(text);
    return ours;
}

/* Write text to path atomically, mode 0755 (a link there is replaced, not followed). */
static enum akw_status
write_hook(const char *path, const struct buf *text, struct akw_err *err)
{
    char *tmp = NULL;
    int fd = fs_open_tmp_beside(path, &tmp);
    if (fd < 0)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(errno));
    size_t off = 0;
    while (off < text->len) {
        ssize_t w = write(fd, text->data + off, text->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno ? errno : EIO;
            close(fd);
            unlink(tmp);
            free(tmp);
            return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(e));
        }
        off += (size_t)w;
    }
    if (fchmod(fd, 0755) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", path, strerror(e));
    }
    enum akw_status rc = fs_commit_tmp(fd, tmp, path, 1, err);
    free(tmp);
    return rc;
}

static int
hook_install(struct cli_ctx *ctx, const char *dir, int force)
{
    char *path = xasprintf("%s/pre-commit", dir);
    int is_link, state = hook_state(path, &is_link);
    int rc = 0;
    if (state == 0 && !force) {
        rc = cli_usage_error(ctx, path,
                             is_link ? _("a link to another pre-commit hook is there; --force "
                                         "replaces it (or run `akwatch scan --staged` from it)")
                                     : _("another pre-commit hook is there; --force replaces "
                                         "it (or run `akwatch scan --staged` from it)"));
        free(path);
        return rc;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        rc = cli_fail("%s: %s", dir, strerror(errno));
        free(path);
        return rc;
    }
    struct buf text;
    buf_init(&text);
    hook_text(&text);
    struct akw_err err = {0};
    if (write_hook(path, &text, &err) != AKW_OK)
        rc = cli_fail_err(&err);
    else if (!ctx->quiet)
        printf(state == 1   ? _("%s: the akwatch hook is updated\n")
               : state == 0 ? _("%s: replaced by the akwatch hook: each `git commit` runs "
                                "`akwatch scan --staged`\n")
                            : _("%s: written: each `git commit` runs `akwatch scan --staged`\n"),
               path);
    buf_done(&text);
    free(path);
    return rc;
}

static int
hook_uninstall(struct cli_ctx *ctx, const char *dir)
{
    char *path = xasprintf("%s/pre-commit", dir);
    int is_link, state = hook_state(path, &is_link);
    int rc = 0;
    if (state == 0)
        rc = cli_usage_error(ctx, path, _("not akwatch's hook; left as it is"));
    else if (state == 1 && unlink(path) != 0)
        rc = cli_fail("%s: %s", path, strerror(errno));
    else if (!ctx->quiet)
        printf(state == 1 ? _("%s: removed\n") : _("%s: no hook there; nothing to remove\n"),
               path);
    free(path);
    return rc;
}

static int
hook_main(struct cli_ctx *ctx, int argc, char **argv)
{
    // clang-format off
    static const struct option opts[] = {
        {"force", no_argument, NULL, 'F'},
        {0, 0, 0, 0},
    };
    // clang-format on
    static const char *const verbs[] = {"install", "uninstall", NULL};
    int rc = 0, c, force = 0, verb;
    while ((c = cli_getopt(ctx, argc, argv, "", opts, &rc)) != CLI_OPT_END) {
        if (c == CLI_OPT_EXIT)
            return rc;
        if (c == 'F')
            force = 1;
    }
    if (optind >= argc)
        return cli_usage_error(ctx, "hook", _("expected install or uninstall"));
    if (cli_choice(ctx, "hook", argv[optind], verbs, &verb))
        return CLI_ERROR;
    if (argc - optind > 2)
        return cli_usage_error(ctx, argv[optind + 2], _("expected one repository"));
    if (force && verb == 1)
        return cli_usage_error(ctx, "--force", _("only for install"));
    const char *repo = argc - optind == 2 ? argv[optind + 1] : ".";
    struct akw_err err = {0};
    char *dir = NULL;
    if (scan_git_check(repo, &err) != AKW_OK || scan_git_hooks_dir(repo, &dir, &err) != AKW_OK)
        return cli_fail_err(&err);
    rc = verb == 0 ? hook_install(ctx, dir, force) : hook_uninstall(ctx, dir);
    free(dir);
    return rc;
}

const struct cli_command cli_cmd_hook = {
    "hook",
    hook_main,
    N_("install the git pre-commit hook that runs `akwatch scan --staged`"),
    N_("hook install [--force] [REPO] | uninstall [REPO]"),
    N_("  install [REPO]   write the pre-commit hook of the git repository holding REPO\n"
       "                   (default: the current folder) in the folder git runs hooks from\n"
       "                   (.git/hooks, or core.hooksPath): it runs `akwatch scan --staged`\n"
       "                   and refuses the commit when the staged changes add a finding.\n"
       "                   Another pre-commit hook is left alone unless --force replaces it;\n"
       "                   akwatch's own is updated\n"
       "  uninstall [REPO] remove akwatch's hook (never another one)\n"
       "\n"
       "`git commit --no-verify` skips the hook once. With the pre-commit framework, use the\n"
       "hook id akwatch (akwatch's source tree has the .pre-commit-hooks.yaml) instead.\n"),
};
