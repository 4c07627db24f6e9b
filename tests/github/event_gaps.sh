#!/bin/sh
# event_gaps — a pushed commit of the public events feed that GitHub never serves (it answers
# HTML instead of JSON every time) does not hold the feed's cursor: the poll skips it, scans
# the push's other commit and the next event, names it once and puts it on a retry list, so
# the next poll tries it again (and only it). After give_up_after (3) failed polls in a row it
# is no longer fetched but still reported; when the fault goes away before that, the retry
# finds its leak.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_event_gap_token
printf '[github]\nevents = on\nkeep_unowned = on\n' >"$T/config"
BAD=$(printf 'c1%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)
/usr/bin/python3 - "$T" "$BAD" <<'PY'
import json, random, sys
rnd = random.Random(3)
a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def commit(sha, path):
    text = "aliyun.accesskey.id=LTAI5t%s\naliyun.accesskey.secret=%s\n" % (
        "".join(rnd.choice(a) for _ in range(18)), "".join(rnd.choice(a) for _ in range(30)))
    return {"sha": sha, "message": "c", "author": {"name": "A", "email": "a@x",
            "date": "2026-11-02T00:00:00Z"},
            "files": [{"filename": path, "status": "added", "patch": "@@ -0,0 +1,2 @@\n" +
                       "".join("+" + l + "\n" for l in text.splitlines())}]}
bad, good, other = sys.argv[2], "c2" * 20, "c3" * 20
def world(fault):
    sc = {"tokens": ["ghp_event_gap_token"],
          "repos": {"dev/app": {"files": {}, "commits": [commit(bad, "conf/bad.properties"),
                                                         commit(good, "conf/good.properties")]},
                    "dev/lib": {"files": {}, "commits": [commit(other, "conf/lib.properties")]}},
          "events": [{"id": "201", "repo": "dev/app", "payload": {"head": good, "commits": [bad, good]}},
                     {"id": "202", "repo": "dev/lib", "payload": {"head": other, "commits": [other]}}]}
    if fault:
        sc["faults"] = [{"match": "/commits/" + bad, "kind": "malformed", "times": 1000}]
    return sc
json.dump(world(True), open(sys.argv[1] + "/fault.json", "w"))
json.dump(world(False), open(sys.argv[1] + "/fixed.json", "w"))
PY
fake_start "$T/fault.json"
run() { # run DB N — one `scan --github --once`; $rc, $T/err.N; counts before it in b0 o0
    b0=$(fake_count "/commits/$BAD"); o0=$(fake_count '/commits/c2c2|/commits/c3c3')
    AKWATCH_DB="$1" timeout 120 "$AKWATCH_BIN" scan --github --once >"$T/out.$2" 2>"$T/err.$2"
    rc=$?
    sed 's/^/#   /' "$T/err.$2"
}
leaks() { sqlite3 "$1" "select count(*) || ' ' || (select count(*) from locations) from leaks"; }
delta() { echo $(($(fake_count "$1") - $2)); }

run "$T/a.db" 1
is "$rc" 1 "poll 1: completes, exit 1 by findings (a skipped commit is not a failed poll)"
is "$(leaks "$T/a.db")" "2 2" "poll 1: the push's other commit and the next event scanned"
is "$(delta "/commits/$BAD" "$b0")" 1 "poll 1: the bad commit asked once"
is "$(grep -c "$BAD" "$T/err.1")" 1 "poll 1: the commit is named once"
like "$(cat "$T/err.1")" "akwatch: dev/app: commit $BAD could not be fetched \(.*/commits/$BAD: .*JSON.*\): tried again next run \(failed 1 of 3\)" \
    "poll 1: with its repository, the failed request and what happens next"
is "$(sqlite3 "$T/a.db" "select value from scan_state where source = 'github.events' and key = 'last_id'")" 202 \
    "poll 1: the cursor moved past the event"

run "$T/a.db" 2
is "$rc" 1 "poll 2: exit 1"
is "$(delta "/commits/$BAD" "$b0")" 1 "poll 2: the bad commit is tried again"
is "$(delta '/commits/c2c2|/commits/c3c3' "$o0")" 0 "poll 2: the scanned commits are not fetched again"
like "$(cat "$T/err.2")" "commit $BAD could not be fetched .*failed 2 of 3" "poll 2: second failed poll"

run "$T/a.db" 3
like "$(cat "$T/err.3")" "dev/app: commit $BAD could not be fetched in 3 runs in a row .*skipped from now on" \
    "poll 3: given up after give_up_after = 3 polls"

run "$T/a.db" 4
is "$rc" 1 "poll 4: exit 1"
is "$(delta "/commits/$BAD" "$b0")" 0 "poll 4: the given-up commit is not asked for"
is "$(grep -c "$BAD" "$T/err.4")" 1 "poll 4: still named once"
like "$(cat "$T/err.4")" "dev/app: commit $BAD skipped: it could not be fetched in 3 runs" \
    "poll 4: reported as skipped"
is "$(leaks "$T/a.db")" "2 2" "polls 2-4: nothing found twice"

# The fault goes away before the commit is given up: the retry finds its leak.
run "$T/b.db" 5
is "$(leaks "$T/b.db")" "2 2" "second store, poll 1: 2 leaks, the bad commit skipped"
fake_reload "$T/fixed.json" >/dev/null
run "$T/b.db" 6
is "$rc" 1 "second store, poll 2: exit 1"
is "$(delta "/commits/$BAD" "$b0")" 1 "second store, poll 2: the commit fetched again"
is "$(leaks "$T/b.db")" "3 3" "second store, poll 2: its leak found, every leak once"
unlike "$(cat "$T/err.6")" "could not be fetched|skipped" "second store, poll 2: no gap left"
run "$T/b.db" 7
is "$(delta "/commits/$BAD" "$b0")" 0 "second store, poll 3: off the retry list"
fake_stop
done_testing
