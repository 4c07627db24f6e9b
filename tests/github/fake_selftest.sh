#!/bin/sh
# fake_selftest — the fake GitHub itself follows shared/github-api/: User-Agent required,
# 401 for a bad token, rate-limit headers on every answer, ETag → 304 not counted, Link
# paging with per_page, X-Poll-Interval, code_search as its own bucket, a primary limit
# answered 403 with Remaining 0 until the reset. (Tests that rely on the fake rely on this.)
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
fake_start "$AKW_SRCDIR/tests/fakegh/scenarios/basic.json"
/usr/bin/python3 - "$FAKE_URL" >"$T/res" <<'PY'
import http.client, json, sys, time
host = sys.argv[1].split("//")[1]
def get(path, headers=None, ua=True):
    c = http.client.HTTPConnection(host, timeout=10)
    h = {"Authorization": "Bearer ghp_akwatch_test_token_1"}
    if ua:
        h["User-Agent"] = "selftest"
    h.update(headers or {})
    c.putrequest("GET", path, skip_accept_encoding=True)
    for k, v in h.items():
        if v is not None:
            c.putheader(k, v)
    c.endheaders()
    r = c.getresponse()
    body = r.read()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body
s, h, b = get("/events", ua=False)
print("no_ua", s, b"User-Agent" in b)
s, h, b = get("/events", {"Authorization": "Bearer nope"})
print("bad_token", s, json.loads(b)["message"])
s, h, b = get("/events?per_page=2")
print("events", s, len(json.loads(b)), h.get("x-poll-interval"), "rel=\"next\"" in h.get("link", ""),
      all(k in h for k in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
                           "x-ratelimit-used", "x-ratelimit-resource")))
rem = h["x-ratelimit-remaining"]
s2, h2, b2 = get("/events?per_page=2", {"If-None-Match": h["etag"]})
print("etag", s2, len(b2), h2["x-ratelimit-remaining"] == rem)
s, h, b = get("/search/code?q=LTAI5t")
print("search", s, h["x-ratelimit-resource"], h["x-ratelimit-limit"])
s, h, b = get("/orgs/nobody/repos")
print("notfound", s, json.loads(b)["message"])
s, h, b = get("/search/code?q=")
print("invalid", s, json.loads(b)["message"])
PY
res=$(cat "$T/res")
like "$res" "no_ua 403 True" "no User-Agent: 403 naming the header"
like "$res" "bad_token 401 Bad credentials" "bad token: 401 Bad credentials"
like "$res" "events 200 2 1 True True" "per_page, X-Poll-Interval, Link next, rate-limit headers"
like "$res" "etag 304 0 True" "If-None-Match: 304, no body, not counted"
like "$res" "search 200 code_search 10" "code search spends the code_search bucket (10/min)"
like "$res" "notfound 404 Not Found" "404 Not Found"
like "$res" "invalid 422 Validation Failed" "422 Validation Failed for an empty query"
done_testing
