/* gitlog — run `git log -p -U0` on a repository, or `git diff --cached -U0` for what the
 * next commit would add (posix_spawn, argument vector, never a shell), and cut its output
 * into the added lines of each file (of each commit), with the line numbers those lines
 * have in the new file. Does not run the detector.
 */
#include "config.h"
#include "scan/local.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Commit header line: \x01 hash \x1f author <email> \x1f author time. The \x01 cannot
 * start a patch line (those start with + - space \ @ or "diff"). */
#define GIT_FORMAT "--format=%x01%H%x1f%an <%ae>%x1f%at"

struct gitlog {
    const struct scan_opts *o;
    scan_patch_cb cb;
    void *user;
    struct scan_stats *st;
    char commit[64];
    char *author;
    time_t at;
    char *path;      /* current file (new name), NULL when deleted or skipped */
    int skip_file;   /* path matched a skip rule or grew too big */
    int in_hunk;
    long next_line;  /* line number in the new file of the next added line */
    struct buf added;
    long *line_no;
    size_t n_lines, cap_lines;
    int stop;
    /* staged with a size limit: git labels files over it binary (core.bigFileThreshold),
     * so binary files are told from big ones afterwards by their blob's size */
    int sort_binary;
    char blob[72];    /* the current file's new blob ("index OLD..NEW" line; SHA-1 or -256) */
    struct buf blobs; /* the new blobs of the binary files, one per line */
};

/* Undo git's C-style quoting of a path ("a\tb", "\303\244"); in place. */
static void
unquote_path(char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        return;
    char *out = s;
    for (const char *p = s + 1; p < s + n - 1; p++) {
        if (*p != '\\' || p + 1 >= s + n - 1) {
            *out++ = *p;
            continue;
        }
        p++;
        static const char from[] = "abtnvfr\"\\", to[] = "\a\b\t\n\v\f\r\"\\";
        const char *esc = strchr(from, *p);
        if (*p >= '0' && *p <= '7') {
            int v = 0;
            for (int i = 0; i < 3 && *p >= '0' && *p <= '7'; i++, p++)
                v = v * 8 + (*p - '0');
            p--;
            *out++ = (char)v;
        } else if (esc && *esc)
            *out++ = to[esc - from];
        else
            *out++ = *p;
    }
    *out = '\0';
}

static void
flush_file(struct gitlog *g)
{
    if (g->path && !g->skip_file && g->added.len > 0 && !g->stop) {
        if (detect_is_binary(g->added.data, g->added.len))
            g->st->skipped[SCAN_SKIP_BINARY]++;
        else {
            g->st->files++;
            g->st->bytes += (long long)g->added.len;
            struct scan_patch p = {g->commit[0] ? g->commit : NULL,
                                   g->author,
                                   g->at,
                                   g->path,
                                   g->added.data,
                                   g->added.len,
                                   g->line_no,
                                   g->n_lines};
            if (g->cb(&p, g->user))
                g->stop = 1;
            else if (g->o->on_progress && g->o->on_progress(g->st, g->path, g->o->user))
                g->stop = 1;
        }
    }
    free(g->path);
    g->path = NULL;
    g->skip_file = 0;
    g->in_hunk = 0;
    buf_reset(&g->added);
    g->n_lines = 0;
}

static void
on_commit(struct gitlog *g, char *line)
{
    flush_file(g);
    char *f[3] = {line + 1, NULL, NULL};
    for (int i = 1; i < 3; i++) {
        char *sep = f[i - 1] ? strchr(f[i - 1], '\x1f') : NULL;
        if (sep) {
            *sep = '\0';
            f[i] = sep + 1;
        }
    }
    snprintf(g->commit, sizeof g->commit, "%s", f[0]);
    free(g->author);
    g->author = xstrdup(f[1] ? f[1] : "");
    g->at = f[2] ? (time_t)strtoll(f[2], NULL, 10) : 0;
    g->st->commits++;
}

/* "+++ b/path" or "+++ /dev/null" */
static void
on_new_name(struct gitlog *g, char *name)
{
    free(g->path);
    g->path = NULL;
    if (strcmp(name, "/dev/null") == 0)
        return;
    size_t n = strlen(name);
    if (n && name[n - 1] == '\t') /* git marks names with spaces by a trailing tab */
        name[n - 1] = '\0';
    unquote_path(name);
    if (strncmp(name, "b/", 2) == 0)
        name += 2;
    g->path = xstrdup(name);
    if (scan_skip_match_file(g->o->skip, g->o->n_skip, g->path)) {
        g->st->skipped[SCAN_SKIP_CONFIG]++;
        g->skip_file = 1;
    }
}

static void
on_added(struct gitlog *g, const char *text, size_t len)
{
    long no = g->next_line++;
    if (!g->path || g->skip_file)
        return;
    long long limit = g->o->max_file_size;
    if (limit > 0 && (long long)(g->added.len + len + 1) > limit) {
        g->st->skipped[SCAN_SKIP_TOO_BIG]++;
        g->skip_file = 1;
        return;
    }
    buf_append(&g->added, text, len);
    buf_putc(&g->added, '\n');
    if (g->n_lines == g->cap_lines) {
        g->cap_lines = g->cap_lines ? 2 * g->cap_lines : 256;
        g->line_no = xrealloc(g->line_no, g->cap_lines * sizeof *g->line_no);
    }
    g->line_no[g->n_lines++] = no;
}

static void
on_line(struct gitlog *g, char *line, size_t len)
{
    if (line[0] == '\x01') {
        on_commit(g, line);
    } else if (strncmp(line, "diff --git ", 11) == 0) {
        flush_file(g);
        g->blob[0] = '\0';
    } else if (!g->in_hunk && strncmp(line, "+++ ", 4) == 0) {
        on_new_name(g, line + 4);
    } else if (!g->in_hunk && strncmp(line, "index ", 6) == 0) {
        const char *dots = strstr(line, "..");
        size_t n = dots ? strspn(dots + 2, "0123456789abcdef") : 0;
        snprintf(g->blob, sizeof g->blob, "%.*s", (int)(n < sizeof g->blob ? n : 0),
                 dots ? dots + 2 : "");
    } else if (!g->in_hunk && strncmp(line, "Binary files ", 13) == 0) {
        if (strstr(line, " and /dev/null differ") != NULL) /* a deletion adds nothing */
            ;
        else if (g->sort_binary && g->blob[0]) {
            buf_puts(&g->blobs, g->blob);
            buf_putc(&g->blobs, '\n');
        } else
            g->st->skipped[SCAN_SKIP_BINARY]++;
    } else if (strncmp(line, "@@ ", 3) == 0) {
        /* @@ -a[,b] +c[,d] @@ */
        const char *plus = strstr(line, " +");
        g->next_line = plus ? strtol(plus + 2, NULL, 10) : 1;
        g->in_hunk = 1;
    } else if (g->in_hunk && line[0] == '+') {
        on_added(g, line + 1, len - 1);
    } else if (g->in_hunk && line[0] == ' ') {
        g->next_line++;
    }
}

/* The argument vectors; repo is one element of them, never parsed by a shell. The
 * scanned repository is untrusted: no pager, no external diff or textconv drivers, no
 * signature checks (gpg.program) and no fsmonitor hook, whatever its config says. */
#define GIT_SAFE                                                                             \
    "-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "core.fsmonitor=false"
#define GIT_DIFF_SAFE                                                                        \
    "-p", "--no-color", "-U0", "--no-ext-diff", "--no-textconv", "--src-prefix=a/",          \
        "--dst-prefix=b/"

/* --relative: a folder inside a repository scans only that folder's history, with paths
 * below it, so paths stay "as reached from the argument". */
static void
git_log_argv(const char *repo, const char **argv)
{
    const char *v[] = {"git", "--no-pager", "-C", repo, GIT_SAFE, "log", GIT_DIFF_SAFE,
                       "--full-history", "--all", "--relative", GIT_FORMAT, NULL};
    memcpy(argv, v, sizeof v);
}

/* What `git commit` would record: the index against HEAD (against the empty tree before
 * the first commit; in a merge, against the first parent). GIT_INDEX_FILE, which git sets
 * for a hook of `git commit -a` or `git commit PATH`, is inherited. Renames are found
 * (-M), so a file moved unchanged adds no line; deletions add none; paths are the work
 * tree's, whatever folder of it repo names. big ("core.bigFileThreshold=N", or NULL): git
 * neither reads nor diffs a file over the size limit, it calls it binary (a 50 MB file
 * costs git a second otherwise); --full-index names its blob for sort_blobs. */
static void
git_staged_argv(const char *repo, const char *big, const char **argv)
{
    const char *v[] = {"git", "--no-pager", "-C", repo, GIT_SAFE,
                       "-c", big ? big : "core.bigFileThreshold=512m",
                       "diff", "--cached", GIT_DIFF_SAFE, "--full-index", "-M",
                       "--diff-filter=d", NULL};
    memcpy(argv, v, sizeof v);
}

/* First line of what git wrote on stderr, for the error message. */
static void
first_err_line(FILE *errf, char *out, size_t n)
{
    out[0] = '\0';
    rewind(errf);
    if (fgets(out, (int)n, errf))
        out[strcspn(out, "\n")] = '\0';
}

/* Start git with argv; its stdin is in (or /dev/null when NULL), its stdout is *out_fd
 * (or /dev/null when out_fd is NULL), its stderr goes to errf. Returns 0 or an errno. */
static int
spawn_git_in(const char **argv, FILE *in, int *out_fd, FILE *errf, pid_t *pid)
{
    int out[2] = {-1, -1};
    if (out_fd && pipe(out) != 0)
        return errno;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out_fd) {
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_addclose(&fa, out[0]);
    } else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
    if (in)
        posix_spawn_file_actions_adddup2(&fa, fileno(in), 0);
    else
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    int e = posix_spawnp(pid, "git", &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (out_fd) {
        close(out[1]);
        if (e != 0)
            close(out[0]);
        else
            *out_fd = out[0];
    }
    return e;
}

static int
spawn_git(const char **argv, int *out_fd, FILE *errf, pid_t *pid)
{
    return spawn_git_in(argv, NULL, out_fd, errf, pid);
}

static int
wait_child(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

enum akw_status
scan_git_check(const char *repo, struct akw_err *err)
{
    enum akw_status rc = scan_path_check(repo, err);
    if (rc != AKW_OK)
        return rc;
    FILE *errf = tmpfile();
    if (!errf)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", repo, strerror(errno));
    const char *argv[] = {"git", "--no-pager", "-C", repo, "-c", "core.fsmonitor=false",
                          "rev-parse", "--git-dir", NULL};
    pid_t pid;
    int e = spawn_git(argv, NULL, errf, &pid);
    if (e != 0)
        rc = akw_err_set(err, AKW_ERR_IO, "git: %s", strerror(e));
    else if (wait_child(pid) != 0) {
        char msg[300];
        first_err_line(errf, msg, sizeof msg);
        rc = akw_err_set(err, AKW_ERR_IO, "%s: %s", repo, msg[0] ? msg : _("not a git repository"));
    }
    fclose(errf);
    return rc;
}

/* Count the binary files whose new blobs are listed (one per line) as too big or binary
 * by their size (one `git cat-file --batch-check`); all binary if git cannot say. */
static void
sort_blobs(const char *repo, const struct buf *blobs, long long limit, struct scan_stats *st)
{
    long n = 0;
    for (size_t i = 0; i < blobs->len; i++)
        n += blobs->data[i] == '\n';
    FILE *in = tmpfile(), *errf = tmpfile();
    const char *argv[] = {"git", "--no-pager", "-C", repo, "cat-file",
                          "--batch-check=%(objectsize)", NULL};
    pid_t pid;
    int fd = -1;
    long big = 0, seen = 0;
    if (in && errf && fwrite(blobs->data, 1, blobs->len, in) == blobs->len && fflush(in) == 0
        && fseek(in, 0, SEEK_SET) == 0 && spawn_git_in(argv, in, &fd, errf, &pid) == 0) {
        FILE *out = fdopen(fd, "r");
        char line[64];
        while (fgets(line, sizeof line, out)) {
            seen++;
            big += strtoll(line, NULL, 10) > limit;
        }
        fclose(out);
        if (wait_child(pid) != 0 || seen != n)
            big = 0;
    }
    if (in)
        fclose(in);
    if (errf)
        fclose(errf);
    st->skipped[SCAN_SKIP_TOO_BIG] += big;
    st->skipped[SCAN_SKIP_BINARY] += n - big;
}

/* Run git with argv and cut its patch output; what names the command in an error.
 * sort_binary: see struct gitlog. */
static enum akw_status
run_patches(const char *repo, const char **argv, const char *what, int sort_binary,
            const struct scan_opts *o, scan_patch_cb cb, void *user, struct scan_stats *st,
            struct akw_err *err)
{
    FILE *errf = tmpfile();
    if (!errf)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", repo, strerror(errno));
    pid_t pid;
    int fd = -1;
    int e = spawn_git(argv, &fd, errf, &pid);
    if (e != 0) {
        fclose(errf);
        return akw_err_set(err, AKW_ERR_IO, "git: %s", strerror(e));
    }
    FILE *in = fdopen(fd, "r");
    struct gitlog g = {.o = o, .cb = cb, .user = user, .st = st, .sort_binary = sort_binary};
    buf_init(&g.added);
    buf_init(&g.blobs);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!g.stop && (n = getline(&line, &cap, in)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        on_line(&g, line, (size_t)n);
    }
    flush_file(&g);
    if (g.stop)
        kill(pid, SIGTERM);
    fclose(in);
    free(line);
    int status = wait_child(pid);
    if (!g.stop && status == 0 && g.blobs.len)
        sort_blobs(repo, &g.blobs, o->max_file_size, st);
    buf_done(&g.blobs);
    buf_wipe(&g.added);
    free(g.line_no);
    free(g.author);
    free(g.path);
    enum akw_status rc = AKW_OK;
    if (g.stop)
        rc = AKW_ERR_CANCEL;
    else if (status != 0) {
        char msg[300];
        first_err_line(errf, msg, sizeof msg);
        rc = akw_err_set(err, AKW_ERR_IO, "%s: %s", repo, msg[0] ? msg : what);
    }
    fclose(errf);
    return rc;
}

enum akw_status
scan_git_log(const char *repo, const struct scan_opts *o, scan_patch_cb cb, void *user,
             struct scan_stats *st, struct akw_err *err)
{
    const char *argv[40];
    git_log_argv(repo, argv);
    return run_patches(repo, argv, _("git log failed"), 0, o, cb, user, st, err);
}

enum akw_status
scan_git_staged(const char *repo, const struct scan_opts *o, scan_patch_cb cb, void *user,
                struct scan_stats *st, struct akw_err *err)
{
    const char *argv[40];
    char big[64] = "";
    if (o->max_file_size > 0)
        snprintf(big, sizeof big, "core.bigFileThreshold=%lld", o->max_file_size + 1);
    git_staged_argv(repo, big[0] ? big : NULL, argv);
    return run_patches(repo, argv, _("git diff --cached failed"), big[0] != 0, o, cb, user, st,
                       err);
}

enum akw_status
scan_git_hooks_dir(const char *repo, char **out, struct akw_err *err)
{
    *out = NULL;
    FILE *errf = tmpfile();
    if (!errf)
        return akw_err_set(err, AKW_ERR_IO, "%s: %s", repo, strerror(errno));
    const char *argv[] = {"git", "--no-pager", "-C", repo, "rev-parse", "--git-path", "hooks",
                          NULL};
    pid_t pid;
    int fd = -1;
    int e = spawn_git(argv, &fd, errf, &pid);
    if (e != 0) {
        fclose(errf);
        return akw_err_set(err, AKW_ERR_IO, "git: %s", strerror(e));
    }
    FILE *in = fdopen(fd, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, in);
    while (getc(in) != EOF) /* drain */
        ;
    fclose(in);
    int status = wait_child(pid);
    enum akw_status rc = AKW_OK;
    if (status != 0 || n <= 1) {
        char msg[300];
        first_err_line(errf, msg, sizeof msg);
        rc = akw_err_set(err, AKW_ERR_IO, "%s: %s", repo, msg[0] ? msg : _("not a git repository"));
    } else {
        line[strcspn(line, "\n")] = '\0';
        size_t rn = strlen(repo);
        *out = line[0] == '/' || strcmp(repo, ".") == 0
                   ? xstrdup(line)
                   : xasprintf("%s%s%s", repo, rn && repo[rn - 1] == '/' ? "" : "/", line);
    }
    free(line);
    fclose(errf);
    return rc;
}
