/* scan/local — scanning what is on this machine: files and folders (walked recursively,
 * symlinks followed without loops) and a git repository's history (the added lines of
 * every commit, through `git log -p`). Results go to callbacks; nothing here prints,
 * stores or decides what a finding means (cli/ and the TUI do).
 *
 *   walk.c     the file walker: skip rules, size and binary gates, reading files in full
 *   skip.c     matching of [scan] skip path fragments
 *   gitlog.c   running git log -p (or git diff --cached) and cutting its output into
 *              per-file added lines
 *   local.c    the detector over walked files, history patches and staged changes
 *   owned.c    does a finding name one of the configured [assets]?
 *   baseline.c the ignore file of a scanned root (.akwatchignore): read, look up, write
 *
 * Threads: every function may run on any thread; the detector passed in must belong to
 * the calling thread. Callbacks run on the calling thread.
 */
#ifndef AKW_SCAN_LOCAL_H
#define AKW_SCAN_LOCAL_H

#include <stddef.h>
#include <time.h>

#include "detect/detect.h"
#include "util/util.h"

/* Why a file or folder was not scanned. Each is counted, never silent. */
enum scan_skip {
    SCAN_SKIP_GIT = 0,    /* a .git/ folder */
    SCAN_SKIP_CONFIG,     /* matched [scan] skip */
    SCAN_SKIP_TOO_BIG,    /* larger than max_file_size */
    SCAN_SKIP_BINARY,     /* binary content (detect_is_binary) */
    SCAN_SKIP_SPECIAL,    /* FIFO, socket or device */
    SCAN_SKIP_LOOP,       /* folder already walked (symlink loop or second link to it) */
    SCAN_SKIP_UNREADABLE, /* permission denied, broken symlink, vanished while walking */
    SCAN_SKIP_N
};
/* Short untranslated name ("binary", "too big", ...); translate with _() to show. */
const char *scan_skip_name(enum scan_skip r);

struct scan_stats {
    long files;       /* files (or, for history, changed files of commits) scanned */
    long long bytes;  /* bytes handed to the detector */
    long findings;
    long commits;     /* history only */
    long skipped[SCAN_SKIP_N];
};

struct scan_opts {
    long long max_file_size;  /* bytes; <= 0 = no limit */
    const char *const *skip;  /* [scan] skip fragments (borrowed) */
    size_t n_skip;
    /* Called after each file with the totals so far and the path just done (may be NULL);
     * return non-zero to stop the scan (AKW_ERR_CANCEL). May be NULL. */
    int (*on_progress)(const struct scan_stats *st, const char *path, void *user);
    void *user;
};

/* ---- the walker (usable without the detector's matching) --------------------------- */

/* One regular file, read in full. Borrowed, valid during the callback only. */
struct scan_file {
    const char *path;    /* as reached from the argument, like grep: "dir/sub/file" */
    const char *root;    /* absolute path of the folder the argument names (for a file
                            argument: its folder) */
    const char *relpath; /* path below root */
    const char *data;    /* NUL-terminated after len */
    size_t len;
};
/* Return 0 to go on, non-zero to stop (the walk returns AKW_ERR_CANCEL). */
typedef int (*scan_file_cb)(const struct scan_file *f, void *user);

/* Check that arg can be scanned (exists, readable, a file or folder) without reading it:
 * AKW_ERR_IO "ARG: message" otherwise. For validating every argument before any work. */
enum akw_status scan_path_check(const char *arg, struct akw_err *err);

/* Walk arg (file or folder): sorted, recursive, symlinks followed but each folder walked
 * once (dev/inode), .git/ and [scan] skip matches pruned, FIFOs/devices/sockets, files
 * over max_file_size and binary files skipped — each skip counted in st (which is added
 * to, not reset). An unreadable arg is an error; an unreadable entry below it is a skip. */
enum akw_status scan_walk(const char *arg, const struct scan_opts *o, scan_file_cb cb,
                          void *user, struct scan_stats *st, struct akw_err *err);

/* ---- git history ------------------------------------------------------------------ */

/* The added lines of one file in one commit. Borrowed, valid during the callback only. */
struct scan_patch {
    const char *commit;  /* full hash */
    const char *author;  /* "Name <email>" */
    time_t committed_at; /* author date */
    const char *path;    /* path in the repository (new name) */
    const char *data;    /* the added lines, each ending in '\n'; NUL-terminated */
    size_t len;
    const long *line_no; /* line_no[i] = line in the new file of data's line i+1 */
    size_t n_lines;
};
typedef int (*scan_patch_cb)(const struct scan_patch *p, void *user);

/* Run `git -C repo log -p --all --full-history -U0 ...` (no shell; argument vector) and
 * hand over each file's added lines per commit. [scan] skip and max_file_size apply per
 * patch; binary patches are skipped and counted. Errors: AKW_ERR_IO "REPO: message" when
 * git cannot run or fails (not a repository...). */
enum akw_status scan_git_log(const char *repo, const struct scan_opts *o, scan_patch_cb cb,
                             void *user, struct scan_stats *st, struct akw_err *err);

/* Run `git -C repo diff --cached -p -U0 -M ...`: the added lines of each file the next
 * commit would change (renamed files: the lines the rename adds; deleted files: nothing),
 * as scan_git_log hands them, with commit NULL. repo may be any folder of the work tree;
 * paths are from its top. Errors as scan_git_log. */
enum akw_status scan_git_staged(const char *repo, const struct scan_opts *o, scan_patch_cb cb,
                                void *user, struct scan_stats *st, struct akw_err *err);

/* The folder git runs repo's hooks from (`git rev-parse --git-path hooks`: .git/hooks, the
 * main repository's for a linked work tree, core.hooksPath when set), joined to repo when
 * git gives it relative; it need not exist. Caller frees *out. Errors as scan_git_check. */
enum akw_status scan_git_hooks_dir(const char *repo, char **out, struct akw_err *err);

/* Check that repo is a git repository git can read (git rev-parse), without scanning:
 * AKW_ERR_IO "REPO: git's message" otherwise. */
enum akw_status scan_git_check(const char *repo, struct akw_err *err);

/* ---- the detector over both ------------------------------------------------------- */

/* One finding with where it was found. Borrowed, valid during the callback only. The
 * finding's line is the line in the file (for history: in the new file of the commit). */
struct scan_hit {
    const struct finding *f;
    const char *platform; /* "local" | "git" | "staged" */
    const char *path;     /* as reached from the argument */
    const char *root;     /* where the file is, whatever the argument was (scan_place_of):
                             the git work tree holding it, absolute; NULL outside one */
    const char *relpath;  /* the file's path below root (absolute when root is NULL) */
    const char *commit, *author; /* NULL for local files */
    time_t committed_at;         /* 0 for local files */
};
typedef int (*scan_hit_cb)(const struct scan_hit *h, void *user);

/* Scan a file or folder with d (the caller's detector); counts in st. */
enum akw_status scan_local(struct detector *d, const char *arg, const struct scan_opts *o,
                           scan_hit_cb cb, void *user, struct scan_stats *st,
                           struct akw_err *err);
/* Scan a repository's history with d; counts in st. */
enum akw_status scan_history(struct detector *d, const char *repo, const struct scan_opts *o,
                             scan_hit_cb cb, void *user, struct scan_stats *st,
                             struct akw_err *err);

/* Scan what the next commit of the work tree holding repo would add (scan_git_staged)
 * with d: hits have platform "staged", path the path in the work tree, root its top (so its
 * baseline applies), no commit; counts in st. */
enum akw_status scan_staged(struct detector *d, const char *repo, const struct scan_opts *o,
                            scan_hit_cb cb, void *user, struct scan_stats *st,
                            struct akw_err *err);

/* ---- a finding's place ------------------------------------------------------------ */

/* The place of files found below a scanned root, identified the same way whatever folder
 * the command line named: zero-initialise, call scan_place_of per file, then
 * scan_place_done. Caches the work-tree lookup of the last folder. Not thread-safe. */
struct scan_place {
    char *dir;  /* folder of the last file asked about */
    char *top;  /* the work tree holding it; NULL outside one */
    char *path; /* the last file's path below top */
};
/* The file root/relpath (root absolute and resolved, relpath below it without "." or "..";
 * it need not exist: history) is at *path below *repo: *repo is the nearest folder upward
 * holding a .git entry (work tree, linked work tree, submodule); outside any, *repo is NULL
 * and *path the absolute path. Both point into p, valid until the next call or
 * scan_place_done. */
void scan_place_of(struct scan_place *p, const char *root, const char *relpath,
                   const char **repo, const char **path);
void scan_place_done(struct scan_place *p);

/* The work tree holding the folder dir (absolute, resolved): the nearest folder upward
 * with a .git entry; NULL outside any. Caller frees. */
char *scan_work_tree_of(const char *dir);

/* ---- the baseline (ignore file) ------------------------------------------------------ */

/* Its name, at the root of a scanned work tree (or of a scanned folder outside one). */
#define SCAN_BASELINE_FILE ".akwatchignore"

/* A set of fingerprints whose findings are not reported. Lines: a fingerprint (64 hex
 * digits, any case), optionally followed by a "# comment"; blank and "#" lines are skipped.
 * NULL is the empty set. */
struct scan_baseline;
/* Read path. A missing file is no error: *out = NULL (nothing ignored). A malformed line:
 * AKW_ERR_PARSE "PATH:LINE: not a fingerprint ...: 'word'" and *out NULL. Caller frees. */
enum akw_status scan_baseline_load(const char *path, struct scan_baseline **out,
                                   struct akw_err *err);
int scan_baseline_has(const struct scan_baseline *b, const char *fingerprint);
size_t scan_baseline_count(const struct scan_baseline *b);
void scan_baseline_free(struct scan_baseline *b);

/* Where the baseline of a command-line PATH is: the work tree holding it, else the folder
 * it names (for a file: its folder); absolute. NULL (errno) when PATH cannot be resolved.
 * Caller frees. */
char *scan_baseline_root_of(const char *arg);

/* The baselines of the roots a scan meets, each read once. Zero-initialise; done frees. */
struct scan_baselines {
    struct {
        char *root;
        struct scan_baseline *b;
    } *v;
    size_t n;
};
/* The baseline of root (ROOT/.akwatchignore), read on first use; *out borrowed until done
 * (NULL: none). Errors as scan_baseline_load (then nothing is cached for root). */
enum akw_status scan_baselines_get(struct scan_baselines *c, const char *root,
                                   const struct scan_baseline **out, struct akw_err *err);
void scan_baselines_done(struct scan_baselines *c);

/* One line of a baseline being written; strings borrowed. */
struct scan_baseline_entry {
    const char *fingerprint; /* 64 lower-case hex digits */
    const char *rule, *where; /* for the comment: rule id, "path:line" */
};
/* Write header (comment lines, each ending in '\n') and one line per distinct fingerprint,
 * sorted ("FP  # rule path:line", the first place of a fingerprint in sort order; control
 * characters in the comment shown as '?'), to path atomically (a 0600 temp file beside it,
 * renamed over it). Sorts e in place; *written gets the number of fingerprint lines. */
enum akw_status scan_baseline_write(const char *path, struct scan_baseline_entry *e, size_t n,
                                    const char *header, size_t *written, struct akw_err *err);

/* ---- ownership --------------------------------------------------------------------- */

/* What is yours ([assets]); borrowed arrays. */
struct scan_assets {
    const char *const *ak_ids; /* access_key_id */
    size_t n_ak_ids;
    const char *const *names;  /* domains, endpoints and hosts together */
    size_t n_names;
};
/* Does a finding name one of the assets? True when ak_id is one of ak_ids, or when one of
 * names occurs in line or secret (case-insensitive, on name boundaries: "acme.example"
 * matches "db.acme.example" but neither "notacme.example" nor "acme.example.org").
 * ak_id, line, secret and a may be NULL. */
int scan_owned(const struct scan_assets *a, const char *ak_id, const char *line,
               const char *secret);

/* Does a [scan] skip list match relpath (is_dir: it names a folder)? A fragment ending in
 * "/" names folders only; one starting with "/" is anchored at the root; otherwise it
 * matches at any depth on component boundaries ("vendor/" matches "a/vendor"); shell
 * wildcards (* ? [..]) work within components ("*.min.js"). */
int scan_skip_match(const char *const *skip, size_t n, const char *relpath, int is_dir);
/* The same for a file met without walking (history): does skip match relpath or any of
 * the folders it is in? */
int scan_skip_match_file(const char *const *skip, size_t n, const char *relpath);

#endif
