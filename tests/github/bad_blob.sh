#!/bin/sh
# bad_blob — a file of an org repository that GitHub never serves (its blob answers HTML
# instead of JSON every time): the run skips it, scans every other file of that repository
# and of the others, names it once and counts it in the summary ("1 file could not be
# fetched"), exits by findings (1), and keeps that repository's cursor so the next run tries
# the file again (and only it). After give_up_after (3) failed runs in a row it is no longer
# fetched but still reported; when the fault goes away before that, the retry finds its leak.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_bad_blob_token
printf '[github]\norg = acme\n' >"$T/config"
# scenario FILE FAULT(0|1) — prints the broken file's blob sha
scenario() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import hashlib, json, random, sys
rnd = random.Random(7)
a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def leak():
    return "aliyun.accesskey.id=LTAI5t%s\naliyun.accesskey.secret=%s\n" % (
        "".join(rnd.choice(a) for _ in range(18)), "".join(rnd.choice(a) for _ in range(30)))
app = {"conf/a%d.properties" % i: leak() for i in range(3)}
app["conf/broken.properties"] = leak()
app["README.md"] = "# app\n"
lib = {"conf/lib%d.properties" % i: leak() for i in range(2)}
def commit(c):
    return [{"sha": c * 20, "message": "init", "author": {"name": "A", "email": "a@x",
             "date": "2026-11-01T00:00:00Z"}, "files": []}]
data = app["conf/broken.properties"].encode()
sha = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
sc = {"tokens": ["ghp_bad_blob_token"], "orgs": {"acme": ["acme/app", "acme/lib"]},
      "repos": {"acme/app": {"files": app, "commits": commit("a1")},
                "acme/lib": {"files": lib, "commits": commit("b1")}}}
if sys.argv[2] == "1":
    sc["faults"] = [{"match": "/git/blobs/" + sha, "kind": "malformed", "times": 1000}]
json.dump(sc, open(sys.argv[1], "w"))
print(sha)
PY
}
BROKEN=$(scenario "$T/fault.json" 1)
scenario "$T/fixed.json" 0 >/dev/null
fake_start "$T/fault.json"
# run DB N — one `scan --github --once`; $rc, $T/err.N; request counts before it in b0 t0
run() {
    b0=$(fake_count '/git/blobs/'); bb0=$(fake_count "/git/blobs/$BROKEN")
    t0=$(fake_count '/repos/acme/app/git/trees/'); l0=$(fake_count '/repos/acme/lib/git/trees/')
    AKWATCH_DB="$1" timeout 120 "$AKWATCH_BIN" scan --github --once >"$T/out.$2" 2>"$T/err.$2"
    rc=$?
    sed 's/^/#   /' "$T/err.$2"
}
leaks() { # leaks DB — "LEAKS LOCATIONS"
    sqlite3 "$1" "select count(*) || ' ' || coalesce(sum(n), 0) from (select count(*) n from locations group by leak_id)"
}
delta() { echo $(($(fake_count "$1") - $2)); }

# The fault stays: three runs retry the file, then it is given up but still reported.
run "$T/a.db" 1
is "$rc" 1 "run 1: completes, exit 1 by findings (a skipped file is not a failed run)"
is "$(leaks "$T/a.db")" "5 5" "run 1: the other 3 files of acme/app and both of acme/lib scanned"
is "$(grep -c 'conf/broken.properties' "$T/err.1")" 1 "run 1: the file is named once"
like "$(cat "$T/err.1")" "akwatch: acme/app: conf/broken.properties could not be fetched \(.*/repos/acme/app/git/blobs/$BROKEN: .*JSON.*\): tried again next run \(failed 1 of 3\)" \
    "run 1: with its repository, the failed request and what happens next"
like "$(tail -1 "$T/err.1")" "^github: .*; 1 file could not be fetched$" "run 1: counted in the summary"
is "$(delta "/git/blobs/$BROKEN" "$bb0")" 1 "run 1: the bad blob asked once (not retried: HTML is no transient error)"

run "$T/a.db" 2
is "$rc" 1 "run 2: exit 1"
is "$(delta '/git/blobs/' "$b0")" 1 "run 2: only the failed blob is fetched again"
is "$(delta '/repos/acme/app/git/trees/' "$t0")" 1 "run 2: acme/app's cursor did not move past the gap"
is "$(delta '/repos/acme/lib/git/trees/' "$l0")" 0 "run 2: acme/lib (complete) is not walked again"
like "$(cat "$T/err.2")" "conf/broken.properties could not be fetched .*failed 2 of 3" "run 2: second failed run"

run "$T/a.db" 3
like "$(cat "$T/err.3")" "acme/app: conf/broken.properties could not be fetched in 3 runs in a row .*skipped from now on" \
    "run 3: given up after give_up_after = 3 runs"
like "$(tail -1 "$T/err.3")" "; 1 file could not be fetched$" "run 3: counted"

run "$T/a.db" 4
is "$rc" 1 "run 4: exit 1"
is "$(delta "/git/blobs/$BROKEN" "$bb0")" 0 "run 4: the given-up blob is not asked for"
is "$(delta '/repos/acme/app/git/trees/' "$t0")" 0 "run 4: acme/app's cursor moved on"
is "$(grep -c 'conf/broken.properties' "$T/err.4")" 1 "run 4: still named once"
like "$(cat "$T/err.4")" "acme/app: conf/broken.properties skipped: it could not be fetched in 3 runs" \
    "run 4: reported as skipped"
like "$(tail -1 "$T/err.4")" "; 1 file could not be fetched$" "run 4: still counted in the summary"
is "$(leaks "$T/a.db")" "5 5" "runs 2-4: nothing found twice"

# The fault goes away before the file is given up: the retry finds its leak.
run "$T/b.db" 5
is "$(leaks "$T/b.db")" "5 5" "second store, run 1: 5 leaks, the broken file skipped"
fake_reload "$T/fixed.json" >/dev/null
run "$T/b.db" 6
is "$rc" 1 "second store, run 2: exit 1"
is "$(delta '/git/blobs/' "$b0")" 1 "second store, run 2: the one missing blob fetched"
is "$(leaks "$T/b.db")" "6 6" "second store, run 2: its leak found, every leak once"
unlike "$(cat "$T/err.6")" "could not be fetched|skipped" "second store, run 2: no gap left"
run "$T/b.db" 7
is "$(delta '/repos/acme/app/git/trees/' "$t0")" 0 "second store, run 3: the cursor moved on"
fake_stop
done_testing
