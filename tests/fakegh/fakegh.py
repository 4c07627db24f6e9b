#!/usr/bin/python3
"""fakegh — a fake GitHub REST API for akwatch's tests, following shared/github-api/README.md.

Scripted from a JSON scenario (see tests/fakegh/README and tests/fakegh/*.json): repositories
with files and commits, orgs/users, the public events feed (or a synthetic fast stream for the
benchmark), code search with text matches, rate-limit buckets per token, ETags, and faults.
Every request is appended to a JSON-lines log that tests assert on. Standard library only.
It does not implement anything akwatch does not use; it serves only 127.0.0.1.

  fakegh.py SCENARIO.json [--port-file F] [--log F]     (prints the port on stdout)
  SIGHUP or GET /_fake/reload[?file=PATH] re-reads the scenario (repos, events, faults),
  keeping budgets, fault counters and the log.
"""
import base64
import hashlib
import json
import math
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

WEB = "https://github.com"
DEFAULT_LIMITS = {  # bucket -> (limit, window seconds)
    "core": (5000, 3600), "search": (30, 60), "code_search": (10, 60),
}
ANON_LIMITS = {"core": (60, 3600), "search": (10, 60), "code_search": (10, 60)}


def blob_sha(content):
    data = content.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse_iso(s):
    return float(time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)


class Bucket:
    def __init__(self, limit, window):
        self.limit, self.window = limit, window
        self.used, self.reset = 0, math.ceil(time.time() + window)

    def roll(self, now):
        if now >= self.reset:
            self.used, self.reset = 0, math.ceil(now + self.window)

    def remaining(self):
        return max(0, self.limit - self.used)


class World:
    """The scenario, expanded: repos by full name, events sorted, commit index."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.buckets = {}          # (token, bucket) -> Bucket
        self.fault_hits = {}       # fault index -> matching requests seen
        self.t0 = time.time()
        self.gen_commits = {}
        self.load()

    def load(self):
        with open(self.path) as f:
            sc = json.load(f)
        self.sc = sc
        self.tokens = sc.get("tokens")
        self.poll_interval = sc.get("poll_interval", 60)
        self.limits = dict(DEFAULT_LIMITS)
        for k, v in sc.get("limits", {}).items():
            self.limits[k] = (v["limit"], v.get("window", DEFAULT_LIMITS.get(k, (0, 60))[1]))
        self.faults = sc.get("faults", [])
        self.slow = sc.get("slow", [])  # [{"match": re, "delay": s}] for every matching request
        self.repos = {}
        for i, (full, r) in enumerate(sorted(sc.get("repos", {}).items())):
            owner, name = full.split("/")
            commits = []
            prev = None
            for c in r.get("commits", []):
                c = dict(c)
                c.setdefault("sha", hashlib.sha1(("%s-%d" % (full, len(commits))).encode()).hexdigest())
                c.setdefault("parents", [prev] if prev else [])
                prev = c["sha"]
                commits.append(c)
            files = r.get("files", {})
            head = commits[-1]["sha"] if commits else hashlib.sha1(full.encode()).hexdigest()
            self.repos[full] = {
                "id": 1000 + i, "owner": owner, "name": name, "full": full,
                "owner_type": r.get("owner_type", "User"),
                "default_branch": r.get("default_branch", "main"),
                "pushed_at": r.get("pushed_at", "2026-01-01T00:00:00Z"),
                "fork": r.get("fork", False), "archived": r.get("archived", False),
                "private": False, "files": files, "commits": commits, "head": head,
                "large": set(r.get("large", [])),
            }
        self.orgs = sc.get("orgs", {})
        self.users = sc.get("users", {})
        self.events = sorted(sc.get("events", []), key=lambda e: -int(e["id"]))
        self.gen = sc.get("generate")

    # ---- rate limits -------------------------------------------------------------
    def bucket(self, token, name):
        key = (token or "", name)
        b = self.buckets.get(key)
        if b is None:
            lim = (self.limits if token else ANON_LIMITS).get(name, (5000, 3600))
            b = self.buckets[key] = Bucket(*lim)
        b.roll(time.time())
        return b

    # ---- synthetic stream (benchmark) ------------------------------------------
    def generated_events(self):
        g = self.gen
        n = int((time.time() - self.t0) * g.get("rate", 20))
        base = g.get("first_id", 40000000000)
        out = []
        for k in range(max(0, n - 300), n):
            eid = base + k
            shas = [hashlib.sha1(("gen-%d-%d" % (eid, j)).encode()).hexdigest()
                    for j in range(g.get("commits_per_push", 2))]
            for j, s in enumerate(shas):
                self.gen_commits.setdefault(s, (eid, j))
            repo = "gen%d/repo%d" % (eid % 97, eid % 13)
            ev = {"id": str(eid), "type": "PushEvent", "actor": "dev%d" % (eid % 50),
                  "repo": repo, "created_at": iso(self.t0 + k / g.get("rate", 20)),
                  "payload": {"ref": "refs/heads/main", "head": shas[-1],
                              "before": hashlib.sha1(("b%d" % eid).encode()).hexdigest(),
                              "commits": shas}}
            if g.get("omit_commits_every") and eid % g["omit_commits_every"] == 0:
                ev["payload"]["commits"] = None
            out.append(ev)
        if g.get("other_every"):
            out = [e if int(e["id"]) % g["other_every"] else dict(e, type="WatchEvent", payload={})
                   for e in out]
        return sorted(out, key=lambda e: -int(e["id"]))

    def generated_commit(self, full, sha):
        if sha not in self.gen_commits:
            return None
        eid, j = self.gen_commits[sha]
        g = self.gen
        files = []
        for f in range(g.get("files_per_commit", 2)):
            lines = ["line %d of file %d" % (i, f) for i in range(1, 9)]
            if (eid + j + f) % g.get("leak_every", 10) == 0:
                h = hashlib.sha256(b"%d-%d-%d" % (eid, j, f)).digest()
                al = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                rs = "".join(al[b % 62] for b in h)
                lines[3] = 'access_key_id = "LTAI5t%s"' % rs[:18]
                lines[4] = 'access_key_secret = "%s"' % rs[2:32]
            patch = "@@ -0,0 +1,%d @@\n" % len(lines) + "\n".join("+" + l for l in lines)
            files.append({"filename": "src/f%d.conf" % f, "status": "added", "patch": patch})
        return {"sha": sha, "message": "generated", "parents": [],
                "author": {"name": "Dev", "email": "dev@example.com", "login": "dev",
                           "date": iso(self.t0)}, "files": files}


W = None  # the World
LOG = None
LOG_LOCK = threading.Lock()


def log_request(rec):
    if LOG is None:
        return
    with LOG_LOCK:
        LOG.write(json.dumps(rec) + "\n")
        LOG.flush()


def bucket_for(path):
    if path.startswith("/search/code"):
        return "code_search"
    if path.startswith("/search/"):
        return "search"
    if path.startswith("/rate_limit") or path.startswith("/_raw/") or path.startswith("/_fake/"):
        return None
    return "core"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakegh/1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls

    def log_message(self, *a):
        pass

    # ---- helpers --------------------------------------------------------------
    def base(self):
        return "http://" + self.headers.get("Host", "127.0.0.1") + self.prefix

    def other_host_base(self):
        host = self.headers.get("Host", "127.0.0.1")
        port = host.rsplit(":", 1)[-1]
        return ("http://localhost:" if host.startswith("127.") else "http://127.0.0.1:") + port

    def send(self, status, body=None, headers=None, raw=None):
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        self.rec["status"] = status
        if self.bkt is not None:
            self.rec["remaining"], self.rec["reset"] = self.bkt.remaining(), self.bkt.reset
        self.flush_log()  # before the client can see the answer, so tests never race it
        self.send_response(status)
        hdrs = {"Content-Type": "application/json; charset=utf-8"}
        hdrs.update(self.rl_headers)
        hdrs.update(headers or {})
        for k, v in hdrs.items():
            self.send_header(k, str(v))
        if status != 304:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status != 304 and self.command != "HEAD":
            self.wfile.write(data)

    def flush_log(self):
        if not self.rec.get("logged"):
            self.rec["end"] = time.time()
            self.rec["logged"] = True
            log_request(dict((k, v) for k, v in self.rec.items() if k != "logged"))

    def error(self, status, message, headers=None, extra=None):
        body = {"message": message, "documentation_url": "https://docs.github.com/rest"}
        body.update(extra or {})
        self.send(status, body, headers)

    def etag_send(self, body, headers=None, weak=True):
        data = json.dumps(body).encode()
        tag = ('W/"%s"' if weak else '"%s"') % hashlib.sha1(data).hexdigest()
        inm = self.headers.get("If-None-Match")
        hdrs = {"ETag": tag}
        hdrs.update(headers or {})
        if inm and inm == tag:
            self.uncount()
            self.send(304, None, hdrs)
            return
        self.send(200, None, hdrs, raw=data)

    def uncount(self):
        if self.bkt is not None:
            self.bkt.used -= 1
            self.set_rl_headers()
        self.rec["counted"] = False

    def set_rl_headers(self):
        b = self.bkt
        if b is None:
            self.rl_headers = {}
            return
        self.rl_headers = {"X-RateLimit-Limit": b.limit, "X-RateLimit-Remaining": b.remaining(),
                           "X-RateLimit-Reset": b.reset, "X-RateLimit-Used": b.used,
                           "X-RateLimit-Resource": W.sc.get("resource_names", {}).get(self.bname, self.bname)}

    def paged(self, items, q, default=30):
        per = min(max(100, default), int(q.get("per_page", [default])[0]))
        page = max(1, int(q.get("page", [1])[0]))
        chunk = items[(page - 1) * per: page * per]
        last = max(1, math.ceil(len(items) / per))
        links = []
        u = urlsplit(self.path)
        other = [(k, v[0]) for k, v in q.items() if k not in ("page", "per_page")]
        def url(p):
            qs = "&".join("%s=%s" % (k, quote(v, safe=":")) for k, v in other)
            return "http://%s%s?%s%sper_page=%d&page=%d" % (self.headers.get("Host"), u.path, qs,
                                                          "&" if qs else "", per, p)
        if page < last:
            links.append('<%s>; rel="next"' % url(page + 1))
            links.append('<%s>; rel="last"' % url(last))
        if page > 1:
            links.append('<%s>; rel="first"' % url(1))
            links.append('<%s>; rel="prev"' % url(page - 1))
        return chunk, ({"Link": ", ".join(links)} if links else {})

    # ---- dispatch -------------------------------------------------------------
    def do_GET(self):
        u = urlsplit(self.path)
        path, q = unquote(u.path), parse_qs(u.query)
        # GitHub Enterprise Server serves the API under /api/v3: accept both roots.
        self.prefix = "/api/v3" if path.startswith("/api/v3/") else ""
        path = path[len(self.prefix):]
        auth = self.headers.get("Authorization")
        self.rec = {"ts": time.time(), "method": "GET", "path": self.path,
                    "host": self.headers.get("Host"), "auth": auth,
                    "user_agent": self.headers.get("User-Agent"),
                    "accept": self.headers.get("Accept"),
                    "api_version": self.headers.get("X-GitHub-Api-Version"),
                    "if_none_match": self.headers.get("If-None-Match"),
                    "counted": False}
        self.rl_headers, self.bkt = {}, None
        try:
            self.dispatch(path, q, auth)
        except (BrokenPipeError, ConnectionResetError):
            self.rec["status"] = "reset"
        finally:
            self.flush_log()

    def dispatch(self, path, q, auth):
        if not self.headers.get("User-Agent"):
            return self.error(403, "Request forbidden by administrative rules. Please make sure "
                              "your request has a User-Agent header (https://docs.github.com/"
                              "en/rest/overview/resources-in-the-rest-api#user-agent-required).")
        token = None
        if auth and path.startswith("/_raw/"):
            auth = None  # raw host ignores credentials (the log still shows them)
        if auth:
            m = re.match(r"(?:Bearer|token) (\S+)$", auth)
            token = m.group(1) if m else "?"
            if W.tokens is not None and token not in W.tokens:
                return self.error(401, "Bad credentials")
        self.bname = bucket_for(path)
        with W.lock:
            if self.bname:
                self.bkt = W.bucket(token, self.bname)
                self.rec["bucket"] = self.bname
                self.set_rl_headers()
                if self.bkt.remaining() == 0:
                    self.rec["limited"] = "primary"
                    return self.error(403, "API rate limit exceeded for user ID 1.")
                self.bkt.used += 1
                self.rec["counted"] = True
                self.set_rl_headers()
            fault = self.pick_fault()
        for s in W.slow:
            if re.search(s["match"], self.path):
                time.sleep(s.get("delay", 1))
        if fault and self.apply_fault(fault):
            return
        for pat, fn in ROUTES:
            m = re.match(pat, path)
            if m:
                return fn(self, q, *m.groups())
        self.error(404, "Not Found")

    def pick_fault(self):
        for i, f in enumerate(W.faults):
            if not re.search(f.get("match", ""), self.path):
                continue
            seen = W.fault_hits.get(i, 0)
            W.fault_hits[i] = seen + 1
            skip, times = f.get("skip", 0), f.get("times", 1)
            if skip <= seen < skip + times:
                return f
        return None

    def apply_fault(self, f):
        kind = self.rec["fault"] = f["kind"]
        if kind == "primary":
            b = self.bkt
            b.used = b.limit
            # reset_at: an absolute X-RateLimit-Reset (a lie: far past or far future)
            b.reset = f["reset_at"] if "reset_at" in f else math.ceil(time.time() + f.get("reset", 1))
            self.set_rl_headers()
            self.error(f.get("status", 403), "API rate limit exceeded for user ID 1.")
        elif kind == "secondary":
            hdrs = {} if f.get("no_header") else {"Retry-After": f.get("retry_after", 1)}
            self.error(f.get("status", 403), "You have exceeded a secondary rate limit. Please "
                       "wait a few minutes before you try again.", hdrs)
        elif kind == "status":
            self.error(f.get("status", 500), f.get("message", "Server Error"))
        elif kind == "hang":
            self.rec["status"] = "hang"
            self.flush_log()
            time.sleep(f.get("delay", 30))
            self.close_connection = True
        elif kind == "short":  # promise more bytes than sent, then close
            self.rec["status"] = "short"
            self.flush_log()
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b'{"partial": ')
            self.close_connection = True
        elif kind == "huge":  # a body of f["bytes"] (default 80 MiB) of JSON whitespace;
            # "undeclared": true sends no Content-Length (the body ends when the connection closes)
            size = f.get("bytes", 80 << 20)
            self.rec["status"] = "huge"
            self.flush_log()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if f.get("undeclared"):
                self.send_header("Connection", "close")
            else:
                self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk, sent = b" " * (1 << 20), 0
            try:
                while sent < size:
                    n = min(len(chunk), size - sent)
                    self.wfile.write(chunk[:n])
                    sent += n
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif kind == "truncated":
            self.send(200, raw=b'{"total_count": 3, "items": [{"name": "a"')
        elif kind == "malformed":
            self.send(200, raw=b"<html>not json</html>")
        elif kind == "redirect":  # a renamed repository: 301 to the new path
            new = self.path.replace(f["from"], f["to"])
            host = self.other_host_base() if f.get("other_host") else "http://" + self.headers.get("Host")
            self.error(f.get("status", 301), "Moved Permanently", {"Location": host + new})
        elif kind == "unauthorized":
            self.error(401, "Bad credentials")
        else:
            return False
        return True

    # ---- endpoints -------------------------------------------------------------
    def repo_json(self, r):
        return {"id": r["id"], "name": r["name"], "full_name": r["full"],
                "owner": {"login": r["owner"], "type": r["owner_type"]},
                "html_url": "%s/%s" % (WEB, r["full"]), "private": False, "fork": r["fork"],
                "archived": r["archived"], "default_branch": r["default_branch"],
                "pushed_at": r["pushed_at"], "size": sum(len(c) for c in r["files"].values()),
                "url": "%s/repos/%s" % (self.base(), r["full"])}

    def get_rate_limit(self, q):
        tok = None
        auth = self.headers.get("Authorization")
        if auth:
            tok = auth.split(" ", 1)[1]
        with W.lock:
            res = {}
            for name in ("core", "search", "code_search"):
                b = W.bucket(tok, name)
                res[name] = {"limit": b.limit, "remaining": b.remaining(), "reset": b.reset,
                             "used": b.used, "resource": name}
        self.send(200, {"resources": res, "rate": res["core"]})

    def list_repos(self, q, kind, who):
        names = (W.orgs if kind == "orgs" else W.users).get(who)
        if names is None:
            return self.error(404, "Not Found")
        repos = [self.repo_json(W.repos[n]) for n in names if n in W.repos]
        chunk, hdrs = self.paged(repos, q)
        self.etag_send(chunk, hdrs)

    def repo(self, full):
        return W.repos.get(full)

    def resolve(self, r, ref):
        if ref in (None, "", r["head"], r["default_branch"], "HEAD", "refs/heads/" + r["default_branch"]):
            return r["head"]
        for c in r["commits"]:
            if c["sha"].startswith(ref) and len(ref) >= 7:
                return c["sha"]
        return None

    def commit_json(self, r, c, with_files=True):
        a = c.get("author", {})
        out = {"sha": c["sha"], "html_url": "%s/%s/commit/%s" % (WEB, r["full"] if r else "x/y", c["sha"]),
               "url": "%s/repos/%s/commits/%s" % (self.base(), r["full"] if r else "x/y", c["sha"]),
               "commit": {"author": {"name": a.get("name", "Dev"), "email": a.get("email", "dev@example.com"),
                                     "date": a.get("date", "2026-01-01T00:00:00Z")},
                          "committer": {"name": a.get("name", "Dev"), "email": a.get("email", "dev@example.com"),
                                        "date": a.get("date", "2026-01-01T00:00:00Z")},
                          "message": c.get("message", "")},
               "author": {"login": a["login"]} if a.get("login") else None,
               "parents": [{"sha": p} for p in c.get("parents", [])]}
        if with_files:
            out["files"] = [dict(f, additions=f.get("patch", "").count("\n+"), deletions=0, changes=0)
                            for f in c.get("files", [])]
        return out

    def get_commit(self, q, owner, name, ref):
        full = owner + "/" + name
        r = self.repo(full)
        if r is None and W.gen:
            c = W.generated_commit(full, ref)
            if c:
                return self.send(200, self.commit_json({"full": full}, c))
        if r is None:
            return self.error(404, "Not Found")
        sha = self.resolve(r, ref)
        for c in r["commits"]:
            if c["sha"] == sha:
                out = self.commit_json(r, c)
                # At most 300 files per answer; the rest on later pages (Link).
                files, hdrs = self.paged(out["files"], q, default=300) if len(out["files"]) > 300 \
                    else (out["files"], {})
                out["files"] = files
                return self.etag_send(out, hdrs)
        if not r["commits"] and sha:
            return self.error(409, "Git Repository is empty.")
        self.error(422, "No commit found for SHA: " + ref)

    def list_commits(self, q, owner, name):
        r = self.repo(owner + "/" + name)
        if r is None:
            return self.error(404, "Not Found")
        since = q.get("since", [None])[0]
        cs = r["commits"]
        if since:
            t = parse_iso(since)
            cs = [c for c in cs if parse_iso(c.get("author", {}).get("date", "2026-01-01T00:00:00Z")) >= t]
        items = [self.commit_json(r, c, False) for c in reversed(cs)]
        chunk, hdrs = self.paged(items, q)
        self.etag_send(chunk, hdrs)

    def compare(self, q, owner, name, base, head):
        r = self.repo(owner + "/" + name)
        if r is None:
            return self.error(404, "Not Found")
        shas = [c["sha"] for c in r["commits"]]
        b, h = self.resolve(r, base), self.resolve(r, head)
        if b not in shas or h not in shas:
            return self.error(404, "Not Found")
        i, j = shas.index(b), shas.index(h)
        between = r["commits"][i + 1: j + 1]
        files = {}
        for c in between:
            for f in c.get("files", []):
                prev = files.get(f["filename"])
                if prev and "patch" in prev and "patch" in f:
                    prev = dict(prev, patch=prev["patch"] + "\n" + f["patch"])
                files[f["filename"]] = prev or dict(f)
        self.send(200, {"status": "ahead" if j > i else "identical", "ahead_by": max(0, j - i),
                        "behind_by": 0, "total_commits": len(between),
                        "commits": [self.commit_json(r, c, False) for c in between],
                        "files": list(files.values())})

    def tree(self, q, owner, name, ref):
        r = self.repo(owner + "/" + name)
        if r is None:
            return self.error(404, "Not Found")
        sha = self.resolve(r, ref)
        if sha is None:
            return self.error(404, "Not Found")
        entries, dirs = [], set()
        for p, content in sorted(r["files"].items()):
            parts = p.split("/")
            for k in range(1, len(parts)):
                dirs.add("/".join(parts[:k]))
            entries.append({"path": p, "mode": "100644", "type": "blob", "sha": blob_sha(content),
                            "size": len(content.encode()),
                            "url": "%s/repos/%s/git/blobs/%s" % (self.base(), r["full"], blob_sha(content))})
        for d in sorted(dirs):
            entries.append({"path": d, "mode": "040000", "type": "tree",
                            "sha": hashlib.sha1(d.encode()).hexdigest()})
        entries.sort(key=lambda e: e["path"])
        self.etag_send({"sha": sha, "url": "", "tree": entries, "truncated": False})

    def blob(self, q, owner, name, sha):
        r = self.repo(owner + "/" + name)
        if r is None:
            return self.error(404, "Not Found")
        for content in r["files"].values():
            if blob_sha(content) == sha:
                data = content.encode()
                b64 = base64.encodebytes(data).decode()
                return self.etag_send({"sha": sha, "size": len(data), "encoding": "base64",
                                       "content": b64, "node_id": "B"})
        self.error(404, "Not Found")

    def contents(self, q, owner, name, path):
        r = self.repo(owner + "/" + name)
        if r is None:
            return self.error(404, "Not Found")
        ref = q.get("ref", [r["default_branch"]])[0]
        if self.resolve(r, ref) is None:
            return self.error(404, "No commit found for the ref " + ref)
        if path in r["files"]:
            content = r["files"][path]
            data = content.encode()
            out = {"type": "file", "name": path.rsplit("/", 1)[-1], "path": path,
                   "sha": blob_sha(content), "size": len(data),
                   "html_url": "%s/%s/blob/%s/%s" % (WEB, r["full"], ref, path),
                   "download_url": "%s/_raw/%s/%s/%s" % (self.other_host_base(), r["full"], ref, path),
                   "encoding": "base64", "content": base64.encodebytes(data).decode()}
            if path in r["large"]:
                out["encoding"], out["content"] = "none", ""
            return self.etag_send(out)
        items = [{"type": "file", "name": p[len(path):].lstrip("/"), "path": p}
                 for p in r["files"] if p.startswith(path.rstrip("/") + "/")]
        if items:
            return self.etag_send(items)
        self.error(404, "Not Found")

    def raw(self, q, owner, name, ref, path):
        r = self.repo(owner + "/" + name)
        if r is None or path not in r["files"]:
            return self.send(404, raw=b"404: Not Found", headers={"Content-Type": "text/plain"})
        self.send(200, raw=r["files"][path].encode(), headers={"Content-Type": "text/plain"})

    def events(self, q):
        evs = W.generated_events() if W.gen else W.events
        evs = evs[:300]
        out = []
        for e in evs:
            r = W.repos.get(e["repo"])
            ev = {"id": str(e["id"]), "type": e.get("type", "PushEvent"),
                  "actor": {"id": 1, "login": e.get("actor", "someone")},
                  "repo": {"id": r["id"] if r else 1, "name": e["repo"],
                           "url": "%s/repos/%s" % (self.base(), e["repo"])},
                  "payload": {}, "public": True,
                  "created_at": e.get("created_at", "2026-01-01T00:00:00Z")}
            p = e.get("payload", {})
            if ev["type"] == "PushEvent":
                pl = {"repository_id": ev["repo"]["id"], "push_id": int(e["id"]),
                      "ref": p.get("ref", "refs/heads/main"), "head": p.get("head"),
                      "before": p.get("before")}
                if r and not pl["head"]:
                    pl["head"] = r["head"]
                cl = p.get("commits", [])
                if cl is not None:
                    pl["size"] = pl["distinct_size"] = p.get("size", len(cl))
                    pl["commits"] = []
                    for sha in cl[:20]:  # GitHub lists at most 20 commits of a push
                        c = next((c for c in r["commits"] if c["sha"] == sha), {}) if r else {}
                        a = c.get("author", {})
                        pl["commits"].append({"sha": sha, "author": {"name": a.get("name", "Dev"),
                                              "email": a.get("email", "dev@example.com")},
                                              "message": c.get("message", ""), "distinct": True,
                                              "url": "%s/repos/%s/commits/%s" % (self.base(), e["repo"], sha)})
                ev["payload"] = pl
            out.append(ev)
        chunk, hdrs = self.paged(out, q)
        hdrs["X-Poll-Interval"] = W.poll_interval
        self.etag_send(chunk, hdrs)

    def search_code(self, q):
        query = q.get("q", [""])[0]
        if not query.strip():
            return self.error(422, "Validation Failed", extra={"errors": [
                {"resource": "Search", "field": "q", "code": "missing"}]})
        terms, quals = [], []
        for m in re.finditer(r'(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)', query):
            if m.group(1):
                quals.append((m.group(1).lower(), m.group(2).strip('"')))
            else:
                terms.append((m.group(3) if m.group(3) is not None else m.group(4)).lower())
        items = []
        for full, r in sorted(W.repos.items()):
            if not self.quals_repo(r, quals):
                continue
            for p, content in sorted(r["files"].items()):
                if not self.quals_path(p, quals):
                    continue
                low = content.lower()
                if not all(t in low for t in terms):
                    continue
                items.append(self.search_item(r, p, content, terms))
        items = items[:1000]
        chunk, hdrs = self.paged(items, q)
        body = {"total_count": len(items), "incomplete_results": False, "items": chunk}
        if "text-match" not in (self.headers.get("Accept") or ""):
            for it in chunk:
                it.pop("text_matches", None)
        self.send(200, body, hdrs)

    @staticmethod
    def quals_repo(r, quals):
        for k, v in quals:
            if k == "repo" and r["full"].lower() != v.lower():
                return False
            if k in ("org", "user") and r["owner"].lower() != v.lower():
                return False
        return True

    @staticmethod
    def quals_path(p, quals):
        name = p.rsplit("/", 1)[-1]
        for k, v in quals:
            if k == "filename" and name != v:
                return False
            if k == "extension" and not name.endswith("." + v):
                return False
            if k == "path" and not p.startswith(v.strip("/")):
                return False
        return True

    def search_item(self, r, p, content, terms):
        sha = blob_sha(content)
        low = content.lower()
        tms = []
        for t in terms[:1]:
            at = low.find(t)
            start = max(0, at - 40)
            frag = content[start: at + len(t) + 40]
            tms.append({"object_url": "%s/repositories/%d/contents/%s" % (self.base(), r["id"], p),
                        "object_type": "FileContent", "property": "content", "fragment": frag,
                        "matches": [{"text": content[at: at + len(t)],
                                     "indices": [at - start, at - start + len(t)]}]})
        return {"name": p.rsplit("/", 1)[-1], "path": p, "sha": sha,
                "url": "%s/repos/%s/contents/%s?ref=%s" % (self.base(), r["full"], quote(p), r["head"]),
                "git_url": "%s/repos/%s/git/blobs/%s" % (self.base(), r["full"], sha),
                "html_url": "%s/%s/blob/%s/%s" % (WEB, r["full"], r["head"], p),
                "repository": self.repo_json(r), "score": 1.0, "text_matches": tms}


def fake_reload(self, q):
    """Test control: re-read the scenario (optionally another file) before answering."""
    with W.lock:
        if "file" in q:
            W.path = q["file"][0]
        W.load()
    self.send(200, {"reloaded": W.path})


ROUTES = [
    (r"^/_fake/reload$", fake_reload),
    (r"^/rate_limit$", Handler.get_rate_limit),
    (r"^/(orgs|users)/([^/]+)/repos$", Handler.list_repos),
    (r"^/repos/([^/]+)/([^/]+)/commits/([^/]+)$", Handler.get_commit),
    (r"^/repos/([^/]+)/([^/]+)/commits$", Handler.list_commits),
    (r"^/repos/([^/]+)/([^/]+)/compare/([^/.]+)\.\.\.([^/]+)$", Handler.compare),
    (r"^/repos/([^/]+)/([^/]+)/git/trees/([^/]+)$", Handler.tree),
    (r"^/repos/([^/]+)/([^/]+)/git/blobs/([0-9a-f]+)$", Handler.blob),
    (r"^/repos/([^/]+)/([^/]+)/contents/(.*)$", Handler.contents),
    (r"^/_raw/([^/]+)/([^/]+)/([^/]+)/(.*)$", Handler.raw),
    (r"^/events$", Handler.events),
    (r"^/search/code$", Handler.search_code),
]


def main():
    global W, LOG
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    scenario, port_file, log_file = args[0], None, None
    i = 1
    while i < len(args):
        if args[i] == "--port-file":
            port_file, i = args[i + 1], i + 2
        elif args[i] == "--log":
            log_file, i = args[i + 1], i + 2
        else:
            sys.exit("fakegh: unknown option " + args[i])
    W = World(scenario)
    if log_file:
        LOG = open(log_file, "a")
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    port = srv.server_address[1]

    def reload(*_):
        with W.lock:
            W.load()
    signal.signal(signal.SIGHUP, reload)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if port_file:
        with open(port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.rename(port_file + ".tmp", port_file)
    print(port, flush=True)
    srv.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
