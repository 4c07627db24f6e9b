/* api — the GitHub endpoints akwatch uses, turned into plain structs: code search, events,
 * commits, compare, commit lists, repository lists, trees, blobs, contents, rate_limit.
 * Does no scheduling and keeps no state; http.c does the waiting and retrying. */
#include "config.h"
#include "github/github.h"

#include <stdlib.h>
#include <string.h>

#include "github/ghjson.h"

#define TEXT_MATCH "application/vnd.github.text-match+json"

/* The *_done functions below free arrays of structs: item_done(&arr[i]) for each of the n
 * items, then the array. */
#define FREE_ARRAY(arr, n, item_done)                                                        \
    do {                                                                                     \
        for (size_t i_ = 0; i_ < (n); i_++)                                                  \
            item_done(&(arr)[i_]);                                                           \
        free(arr);                                                                           \
    } while (0)

static char *
url_escape(const char *s)
{
    struct buf b;
    buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-_.~", *p))
            buf_putc(&b, (char)*p);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    buf_putc(&b, '\0');
    b.len--;
    return buf_steal(&b);
}

/* GET and parse into a JSON value of type want; *resp_out (optional) keeps headers. */
static enum akw_status
get_json(struct gh_client *c, const char *url, const struct gh_request *req, json_type want,
         json_object **out, struct gh_response *resp_out, struct akw_err *err)
{
    struct gh_response r;
    enum akw_status st = gh_get(c, url, req, &r, err);
    *out = NULL;
    if (st == AKW_OK && r.status != 304)
        st = ghj_parse(&r, want, url, out, err);
    if (resp_out)
        *resp_out = r;
    else
        gh_response_done(&r);
    return st;
}

/* ---- repositories ----------------------------------------------------------------------- */

void
gh_repo_ref_done(struct gh_repo_ref *r)
{
    free(r->full_name);
    free(r->owner);
    free(r->html_url);
    free(r->default_branch);
    free(r->pushed_at);
    memset(r, 0, sizeof *r);
}

static void
repo_from_json(json_object *j, struct gh_repo_ref *r)
{
    r->full_name = ghj_dup(j, "full_name");
    r->owner = xstrdup(ghj_str(ghj_get(j, "owner"), "login"));
    r->html_url = ghj_dup(j, "html_url");
    r->default_branch = xstrdup(ghj_str(j, "default_branch") ? ghj_str(j, "default_branch")
                                                               : "main");
    r->pushed_at = ghj_dup(j, "pushed_at");
    r->fork = ghj_bool(j, "fork");
    r->archived = ghj_bool(j, "archived");
    r->size = ghj_long(j, "size", 0);
}

void
gh_repo_list_done(struct gh_repo_list *l)
{
    FREE_ARRAY(l->v, l->n, gh_repo_ref_done);
    memset(l, 0, sizeof *l);
}

enum akw_status
gh_list_repos(struct gh_client *c, int is_org, const char *name, struct gh_repo_list *out,
              struct akw_err *err)
{
    char *esc = url_escape(name);
    char *url = xasprintf("/%s/%s/repos?per_page=100", is_org ? "orgs" : "users", esc);
    free(esc);
    memset(out, 0, sizeof *out);
    enum akw_status st = AKW_OK;
    while (url && st == AKW_OK) {
        json_object *j;
        struct gh_response r;
        st = get_json(c, url, NULL, json_type_array, &j, &r, err);
        free(url);
        url = st == AKW_OK && r.link_next ? xstrdup(r.link_next) : NULL;
        gh_response_done(&r);
        if (st != AKW_OK)
            break;
        size_t n = json_object_array_length(j);
        out->v = xrealloc(out->v, (out->n + n + 1) * sizeof *out->v);
        for (size_t i = 0; i < n; i++) {
            memset(&out->v[out->n], 0, sizeof out->v[0]);
            repo_from_json(json_object_array_get_idx(j, i), &out->v[out->n]);
            if (out->v[out->n].full_name)
                out->n++;
            else
                gh_repo_ref_done(&out->v[out->n]);
        }
        json_object_put(j);
    }
    free(url);
    if (st != AKW_OK)
        gh_repo_list_done(out);
    return st;
}

/* ---- code search ------------------------------------------------------------------------ */

static void
search_item_done(struct gh_search_item *s)
{
    free(s->path), free(s->sha), free(s->url), free(s->html_url);
    gh_repo_ref_done(&s->repo);
    memset(s, 0, sizeof *s);
}

void
gh_search_page_done(struct gh_search_page *p)
{
    FREE_ARRAY(p->items, p->n, search_item_done);
    free(p->next);
    memset(p, 0, sizeof *p);
}

enum akw_status
gh_search_code(struct gh_client *c, const char *q, const char *next_url,
               struct gh_search_page *out, struct akw_err *err)
{
    struct gh_request req = {.accept = TEXT_MATCH};
    char *url;
    if (next_url) {
        url = xstrdup(next_url);
    } else {
        char *esc = url_escape(q);
        url = xasprintf("/search/code?q=%s&per_page=100", esc);
        free(esc);
    }
    memset(out, 0, sizeof *out);
    json_object *j;
    struct gh_response r;
    enum akw_status st = get_json(c, url, &req, json_type_object, &j, &r, err);
    free(url);
    if (st == AKW_OK) {
        out->next = xstrdup(r.link_next);
        out->total_count = ghj_long(j, "total_count", 0);
        out->incomplete = ghj_bool(j, "incomplete_results");
        json_object *items = ghj_get(j, "items");
        size_t n = items && json_object_is_type(items, json_type_array)
                       ? json_object_array_length(items) : 0;
        out->items = xcalloc(n + 1, sizeof *out->items);
        for (size_t i = 0; i < n; i++) {
            json_object *it = json_object_array_get_idx(items, i);
            struct gh_search_item *s = &out->items[out->n];
            s->path = ghj_dup(it, "path");
            s->sha = ghj_dup(it, "sha");
            s->url = ghj_dup(it, "url");
            s->html_url = ghj_dup(it, "html_url");
            repo_from_json(ghj_get(it, "repository"), &s->repo);
            if (s->path && s->sha && s->url && s->repo.full_name)
                out->n++;
            else
                search_item_done(s);
        }
        json_object_put(j);
    }
    gh_response_done(&r);
    return st;
}

/* ---- events ------------------------------------------------------------------------------ */

static void
push_commit_done(struct gh_push_commit *pc)
{
    free(pc->sha), free(pc->author_name), free(pc->author_email);
}

static void
event_done(struct gh_event *e)
{
    free(e->id_str), free(e->type), free(e->actor), free(e->repo), free(e->created_at);
    free(e->ref), free(e->head), free(e->before);
    FREE_ARRAY(e->commits, e->n_commits, push_commit_done);
}

void
gh_events_page_done(struct gh_events_page *p)
{
    FREE_ARRAY(p->events, p->n, event_done);
    free(p->etag);
    free(p->next);
    memset(p, 0, sizeof *p);
}

static void
push_from_json(json_object *pl, struct gh_event *e)
{
    e->ref = ghj_dup(pl, "ref");
    e->head = ghj_dup(pl, "head");
    e->before = ghj_dup(pl, "before");
    e->size = ghj_long(pl, "size", -1);
    json_object *cl = ghj_get(pl, "commits");
    if (!cl || !json_object_is_type(cl, json_type_array))
        return;
    e->has_commits = 1;
    size_t n = json_object_array_length(cl);
    e->commits = xcalloc(n + 1, sizeof *e->commits);
    for (size_t i = 0; i < n; i++) {
        json_object *cj = json_object_array_get_idx(cl, i);
        if (!ghj_str(cj, "sha"))
            continue;
        struct gh_push_commit *pc = &e->commits[e->n_commits++];
        pc->sha = ghj_dup(cj, "sha");
        pc->author_name = xstrdup(ghj_str(ghj_get(cj, "author"), "name"));
        pc->author_email = xstrdup(ghj_str(ghj_get(cj, "author"), "email"));
    }
}

enum akw_status
gh_events(struct gh_client *c, const char *etag, int per_page, const char *next_url,
          struct gh_events_page *out, struct akw_err *err)
{
    struct gh_request req = {.if_none_match = next_url ? NULL : etag};
    char *url = next_url ? xstrdup(next_url) : xasprintf("/events?per_page=%d", per_page);
    memset(out, 0, sizeof *out);
    json_object *j;
    struct gh_response r;
    enum akw_status st = get_json(c, url, &req, json_type_array, &j, &r, err);
    free(url);
    if (st == AKW_OK) {
        out->not_modified = r.status == 304;
        out->etag = xstrdup(r.etag ? r.etag : etag);
        out->poll_interval = r.poll_interval;
        out->next = xstrdup(r.link_next);
    }
    if (st == AKW_OK && j) {
        size_t n = json_object_array_length(j);
        out->events = xcalloc(n + 1, sizeof *out->events);
        for (size_t i = 0; i < n; i++) {
            json_object *ej = json_object_array_get_idx(j, i);
            const char *id = ghj_str(ej, "id");
            if (!id)
                continue;
            struct gh_event *e = &out->events[out->n++];
            e->id_str = xstrdup(id);
            e->id = strtoll(id, NULL, 10);
            e->type = ghj_dup(ej, "type");
            e->actor = xstrdup(ghj_str(ghj_get(ej, "actor"), "login"));
            e->repo = xstrdup(ghj_str(ghj_get(ej, "repo"), "name"));
            e->created_at = ghj_dup(ej, "created_at");
            if (e->type && strcmp(e->type, "PushEvent") == 0)
                push_from_json(ghj_get(ej, "payload"), e);
        }
        json_object_put(j);
    }
    gh_response_done(&r);
    return st;
}

/* ---- commits ----------------------------------------------------------------------------- */

static void
file_change_done(struct gh_file_change *f)
{
    free(f->filename), free(f->status), free(f->patch);
}

void
gh_commit_done(struct gh_commit *c)
{
    free(c->sha), free(c->html_url), free(c->message);
    free(c->author_name), free(c->author_email), free(c->author_login);
    FREE_ARRAY(c->files, c->n_files, file_change_done);
    memset(c, 0, sizeof *c);
}

static void
commit_from_json(json_object *j, struct gh_commit *c)
{
    c->sha = ghj_dup(j, "sha");
    c->html_url = ghj_dup(j, "html_url");
    json_object *a = ghj_path(j, "commit", "author");
    c->message = xstrdup(ghj_str(ghj_get(j, "commit"), "message"));
    c->author_name = ghj_dup(a, "name");
    c->author_email = ghj_dup(a, "email");
    c->author_login = xstrdup(ghj_str(ghj_get(j, "author"), "login"));
    const char *date = ghj_str(a, "date");
    if (!date || akw_time_parse(date, &c->date) != 0)
        c->date = 0;
    json_object *files = ghj_get(j, "files");
    if (!files || !json_object_is_type(files, json_type_array))
        return;
    size_t n = json_object_array_length(files);
    c->files = xcalloc(n + 1, sizeof *c->files);
    for (size_t i = 0; i < n; i++) {
        json_object *f = json_object_array_get_idx(files, i);
        if (!ghj_str(f, "filename"))
            continue;
        struct gh_file_change *fc = &c->files[c->n_files++];
        fc->filename = ghj_dup(f, "filename");
        fc->status = ghj_dup(f, "status");
        fc->patch = ghj_dup(f, "patch");
    }
}

/* Files of a later page of a commit (GitHub pages them beyond 300) appended to c. */
static void
files_append(struct gh_commit *c, json_object *j)
{
    struct gh_commit more = {0};
    commit_from_json(j, &more);
    if (more.n_files) {
        c->files = xrealloc(c->files, (c->n_files + more.n_files + 1) * sizeof *c->files);
        memcpy(c->files + c->n_files, more.files, more.n_files * sizeof *more.files);
        c->n_files += more.n_files;
        more.n_files = 0; /* moved */
    }
    gh_commit_done(&more);
}

enum akw_status
gh_commit_get(struct gh_client *c, const char *full, const char *ref, struct gh_commit *out,
              struct akw_err *err)
{
    char *url = xasprintf("/repos/%s/commits/%s", full, ref);
    memset(out, 0, sizeof *out);
    enum akw_status st = AKW_OK;
    for (int page = 0; url && st == AKW_OK && page < 30; page++) { /* 30 x 300 files */
        json_object *j;
        struct gh_response r;
        st = get_json(c, url, NULL, json_type_object, &j, &r, err);
        free(url);
        url = st == AKW_OK && r.link_next ? xstrdup(r.link_next) : NULL;
        gh_response_done(&r);
        if (st != AKW_OK)
            break;
        if (page == 0)
            commit_from_json(j, out);
        else
            files_append(out, j);
        json_object_put(j);
    }
    free(url);
    if (st == AKW_OK && !out->sha)
        st = akw_err_set(err, AKW_ERR_PARSE, _("commit %s of %s: no sha in answer"), ref, full);
    if (st != AKW_OK)
        gh_commit_done(out);
    return st;
}

void
gh_commit_list_done(struct gh_commit_list *l)
{
    FREE_ARRAY(l->v, l->n, gh_commit_done);
    memset(l, 0, sizeof *l);
}

static void
commits_append(struct gh_commit_list *l, json_object *arr)
{
    size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr)
                                                                : 0;
    l->v = xrealloc(l->v, (l->n + n + 1) * sizeof *l->v);
    for (size_t i = 0; i < n; i++) {
        memset(&l->v[l->n], 0, sizeof l->v[0]);
        commit_from_json(json_object_array_get_idx(arr, i), &l->v[l->n]);
        if (l->v[l->n].sha)
            l->n++;
        else
            gh_commit_done(&l->v[l->n]);
    }
}

enum akw_status
gh_compare(struct gh_client *c, const char *full, const char *base, const char *head,
           struct gh_commit_list *out, struct akw_err *err)
{
    char *url = xasprintf("/repos/%s/compare/%s...%s", full, base, head);
    json_object *j;
    memset(out, 0, sizeof *out);
    enum akw_status st = get_json(c, url, NULL, json_type_object, &j, NULL, err);
    free(url);
    if (st == AKW_OK) {
        commits_append(out, ghj_get(j, "commits"));
        json_object_put(j);
    }
    return st;
}

enum akw_status
gh_commits_since(struct gh_client *c, const char *full, const char *branch,
                 const char *since_iso, struct gh_commit_list *out, struct akw_err *err)
{
    char *eb = url_escape(branch), *es = url_escape(since_iso ? since_iso : "");
    char *url = since_iso ? xasprintf("/repos/%s/commits?sha=%s&since=%s&per_page=100", full, eb,
                                      es)
                          : xasprintf("/repos/%s/commits?sha=%s&per_page=100", full, eb);
    free(eb);
    free(es);
    memset(out, 0, sizeof *out);
    enum akw_status st = AKW_OK;
    while (url && st == AKW_OK) {
        json_object *j;
        struct gh_response r;
        st = get_json(c, url, NULL, json_type_array, &j, &r, err);
        free(url);
        url = st == AKW_OK && r.link_next ? xstrdup(r.link_next) : NULL;
        gh_response_done(&r);
        if (st == AKW_OK) {
            commits_append(out, j);
            json_object_put(j);
        }
    }
    free(url);
    if (st != AKW_OK) {
        gh_commit_list_done(out);
        return st;
    }
    for (size_t i = 0; i < out->n / 2; i++) { /* newest first → oldest first */
        struct gh_commit t = out->v[i];
        out->v[i] = out->v[out->n - 1 - i];
        out->v[out->n - 1 - i] = t;
    }
    return st;
}

/* ---- trees, blobs, contents ------------------------------------------------------------ */

static void
tree_entry_done(struct gh_tree_entry *e)
{
    free(e->path), free(e->sha);
}

void
gh_tree_done(struct gh_tree *t)
{
    FREE_ARRAY(t->v, t->n, tree_entry_done);
    memset(t, 0, sizeof *t);
}

enum akw_status
gh_tree_get(struct gh_client *c, const char *full, const char *ref, struct gh_tree *out,
            struct akw_err *err)
{
    char *url = xasprintf("/repos/%s/git/trees/%s?recursive=1", full, ref);
    json_object *j;
    memset(out, 0, sizeof *out);
    enum akw_status st = get_json(c, url, NULL, json_type_object, &j, NULL, err);
    free(url);
    if (st != AKW_OK)
        return st;
    out->truncated = ghj_bool(j, "truncated");
    json_object *tree = ghj_get(j, "tree");
    size_t n = tree && json_object_is_type(tree, json_type_array) ? json_object_array_length(tree)
                                                                  : 0;
    out->v = xcalloc(n + 1, sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(tree, i);
        const char *type = ghj_str(e, "type");
        if (!type || strcmp(type, "blob") != 0 || !ghj_str(e, "path") || !ghj_str(e, "sha"))
            continue;
        struct gh_tree_entry *te = &out->v[out->n++];
        te->path = ghj_dup(e, "path");
        te->sha = ghj_dup(e, "sha");
        te->size = ghj_long(e, "size", 0);
    }
    json_object_put(j);
    return AKW_OK;
}

static enum akw_status
decode_content(json_object *j, const char *what, struct buf *out, struct akw_err *err)
{
    const char *content = ghj_str(j, "content");
    const char *enc = ghj_str(j, "encoding");
    if (!content || !enc || strcmp(enc, "base64") != 0)
        return akw_err_set(err, AKW_ERR_PARSE, _("%s: no base64 content"), what);
    if (gh_b64_decode(content, strlen(content), out) != 0)
        return akw_err_set(err, AKW_ERR_PARSE, _("%s: bad base64 content"), what);
    return AKW_OK;
}

enum akw_status
gh_blob_get(struct gh_client *c, const char *full, const char *sha, struct buf *out,
            struct akw_err *err)
{
    char *url = xasprintf("/repos/%s/git/blobs/%s", full, sha);
    json_object *j;
    enum akw_status st = get_json(c, url, NULL, json_type_object, &j, NULL, err);
    if (st == AKW_OK) {
        st = decode_content(j, url, out, err);
        json_object_put(j);
    }
    free(url);
    return st;
}

enum akw_status
gh_contents_get(struct gh_client *c, const char *url, struct buf *out, char **html_url,
                struct akw_err *err)
{
    json_object *j;
    enum akw_status st = get_json(c, url, NULL, json_type_object, &j, NULL, err);
    if (st != AKW_OK)
        return st;
    if (html_url)
        *html_url = ghj_dup(j, "html_url");
    const char *enc = ghj_str(j, "encoding");
    if (enc && strcmp(enc, "base64") == 0 && ghj_str(j, "content") &&
        *ghj_str(j, "content")) {
        st = decode_content(j, url, out, err);
    } else if (ghj_str(j, "download_url") && *ghj_str(j, "download_url")) {
        /* Large files: the API leaves content out; the raw host gets no credentials
         * (gh_get sends Authorization only to the API's own origin). */
        struct gh_response r;
        st = gh_get(c, ghj_str(j, "download_url"), NULL, &r, err);
        if (st == AKW_OK)
            buf_append(out, r.body.data, r.body.len);
        gh_response_done(&r);
    } else {
        st = akw_err_set(err, AKW_ERR_PARSE, _("%s: no content and no download_url"), url);
    }
    json_object_put(j);
    return st;
}

/* ---- rate_limit -------------------------------------------------------------------------- */

enum akw_status
gh_rate_limit_refresh(struct gh_client *c, struct akw_err *err)
{
    json_object *j;
    enum akw_status st = get_json(c, "/rate_limit", NULL, json_type_object, &j, NULL, err);
    if (st == AKW_OK)
        json_object_put(j);
    return st;
}
