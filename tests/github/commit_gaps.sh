#!/bin/sh
# commit_gaps — a new commit of an org repository that GitHub never serves (its commit answers
# HTML instead of JSON every time) while the repositories catch up on what was pushed: the run
# skips it, scans the commit after it and the other repository's, names it once, and keeps
# the repository's cursor before it so the next run tries it again. After give_up_after (3)
# failed runs in a row it is no longer fetched, the cursor moves past it, and it is still
# reported as skipped.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_commit_gap_token
printf '[github]\norg = acme\n' >"$T/config"
/usr/bin/python3 - "$T" <<'PY'
import json, random, sys
rnd = random.Random(5)
a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def leak():
    return "aliyun.accesskey.id=LTAI5t%s\naliyun.accesskey.secret=%s\n" % (
        "".join(rnd.choice(a) for _ in range(18)), "".join(rnd.choice(a) for _ in range(30)))
def commit(sha, path=None, day=1):
    c = {"sha": sha * 20, "message": "c", "author": {"name": "A", "email": "a@x",
         "date": "2026-11-%02dT00:00:00Z" % day}, "files": []}
    if path:
        text = leak()
        c["files"] = [{"filename": path, "status": "added", "patch": "@@ -0,0 +1,2 @@\n" +
                       "".join("+" + l + "\n" for l in text.splitlines())}]
    return c
def world(pushed):
    app = [commit("a1")]
    lib = [commit("b1")]
    if pushed:
        app += [commit("a2", "conf/bad.properties", 2), commit("a3", "conf/next.properties", 3)]
        lib += [commit("b2", "conf/lib.properties", 2)]
    at = "2026-11-0%dT00:00:00Z" % (3 if pushed else 1)
    return {"tokens": ["ghp_commit_gap_token"], "orgs": {"acme": ["acme/app", "acme/lib"]},
            "repos": {"acme/app": {"files": {"README.md": "# app\n"}, "commits": app,
                                   "pushed_at": at},
                      "acme/lib": {"files": {"README.md": "# lib\n"}, "commits": lib,
                                   "pushed_at": at}},
            "faults": [{"match": "/commits/" + "a2" * 20, "kind": "malformed", "times": 1000}]}
json.dump(world(False), open(sys.argv[1] + "/before.json", "w"))
json.dump(world(True), open(sys.argv[1] + "/pushed.json", "w"))
PY
BAD=$(printf 'a2%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)
fake_start "$T/before.json"
run() { # run N — one `scan --github --once`; $rc, $T/err.N; counts before it in b0 n0 l0
    b0=$(fake_count "/commits/$BAD"); n0=$(fake_count '/commits/a3a3')
    l0=$(fake_count '/repos/acme/lib/compare/')
    AKWATCH_DB="$T/a.db" timeout 120 "$AKWATCH_BIN" scan --github --once >"$T/out.$1" 2>"$T/err.$1"
    rc=$?
    sed 's/^/#   /' "$T/err.$1"
}
leaks() { sqlite3 "$T/a.db" "select count(*) || ' ' || (select count(*) from locations) from leaks"; }
delta() { echo $(($(fake_count "$1") - $2)); }

run 1
is "$(leaks)" "0 0" "run 1: the default branches walked, nothing found"
fake_reload "$T/pushed.json" >/dev/null

run 2
is "$rc" 1 "run 2: completes, exit 1 by findings (a skipped commit is not a failed run)"
is "$(leaks)" "2 2" "run 2: the commit after the bad one and acme/lib's new commit scanned"
is "$(delta "/commits/$BAD" "$b0")" 1 "run 2: the bad commit asked once"
is "$(grep -c "$BAD" "$T/err.2")" 1 "run 2: the commit is named once"
like "$(cat "$T/err.2")" "akwatch: acme/app: commit $BAD could not be fetched \(.*/commits/$BAD: .*JSON.*\): tried again next run \(failed 1 of 3\)" \
    "run 2: with its repository, the failed request and what happens next"

run 3
is "$rc" 1 "run 3: exit 1"
is "$(delta "/commits/$BAD" "$b0")" 1 "run 3: the bad commit is asked again (acme/app's cursor stayed before it)"
is "$(delta '/repos/acme/lib/compare/' "$l0")" 0 "run 3: acme/lib (caught up) is not compared again"
like "$(cat "$T/err.3")" "commit $BAD could not be fetched .*failed 2 of 3" "run 3: second failed run"

run 4
like "$(cat "$T/err.4")" "acme/app: commit $BAD could not be fetched in 3 runs in a row .*skipped from now on" \
    "run 4: given up after give_up_after = 3 runs"

run 5
is "$rc" 1 "run 5: exit 1"
is "$(delta "/commits/$BAD" "$b0")" 0 "run 5: the given-up commit is not asked for"
is "$(delta '/commits/a3a3' "$n0")" 0 "run 5: the cursor moved past it (the commit after it is not scanned again)"
is "$(grep -c "$BAD" "$T/err.5")" 1 "run 5: still named once"
like "$(cat "$T/err.5")" "acme/app: commit $BAD skipped: it could not be fetched in 3 runs" \
    "run 5: reported as skipped"
is "$(leaks)" "2 2" "runs 3-5: nothing found twice"
fake_stop
done_testing
