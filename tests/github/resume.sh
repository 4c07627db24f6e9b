#!/bin/sh
# resume — kill -9 at any instant loses nothing and duplicates nothing: a slow fake, the
# scan killed mid-way through the default-branch scan and again mid-way through the events
# feed, then run to the end. Every planted leak is there exactly once, and the runs after a
# kill refetch at most the one blob or commit that was in flight.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
export AKWATCH_DB="$T/akwatch.db" AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_resume_token
/usr/bin/python3 - "$T/scenario.json" <<'PY'
import json, sys, hashlib, random
rnd = random.Random(7)
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def rs(n, chars=alnum): return "".join(rnd.choice(chars) for _ in range(n))
files = {}
for i in range(20):
    files["conf/app%02d.properties" % i] = ("x=%d\naliyun.accesskey.id=LTAI5t%s\n"
        "aliyun.accesskey.secret=%s\n" % (i, rs(18), rs(30)))
commits, events = [], []
for i in range(10):
    sha = hashlib.sha1(b"c%d" % i).hexdigest()
    key = "AKIA" + rs(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    commits.append({"sha": sha, "message": "c%d" % i,
                    "author": {"name": "Dev", "email": "d@x", "login": "dev", "date": "2026-11-0%dT00:00:00Z" % (1 + i % 9)},
                    "files": [{"filename": "k%d.py" % i, "status": "added",
                               "patch": "@@ -0,0 +1,1 @@\n+aws_key = \"%s\"" % key}]})
    events.append({"id": str(500 + i), "repo": "dev/keys", "payload": {"head": sha, "commits": [sha]}})
sc = {"tokens": ["ghp_resume_token"], "poll_interval": 1,
      "repos": {"acme/many": {"files": files, "commits": [{"sha": "ab" * 20, "message": "init",
                "author": {"name": "A", "email": "a@x", "date": "2026-11-01T00:00:00Z"}, "files": []}]},
                "dev/keys": {"files": {}, "commits": commits}},
      "orgs": {"acme": ["acme/many"]}, "events": events,
      "slow": [{"match": "/git/blobs/|/commits/[0-9a-f]{40}", "delay": 0.15}]}
json.dump(sc, open(sys.argv[1], "w"))
PY
cat >"$T/config" <<'CONF'
[github]
org = acme
events = on
keep_unowned = on
CONF
fake_start "$T/scenario.json"

kill_when() { # kill_when REGEX N — start a scan, kill -9 it once the log has N matching lines
    "$AKWATCH_BIN" scan --github --once >>"$T/out" 2>>"$T/err" &
    pid=$!
    wait_for 60 sh -c "n=\$(grep -cE '$1' '$FAKE_LOG' 2>/dev/null); [ \"\${n:-0}\" -ge $2 ]"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
}
kill_when '/git/blobs/' 7
b1=$(fake_count '/git/blobs/')
ok $([ "$b1" -lt 20 ]; echo $?) "first run killed mid-way through the blobs ($b1 of 20)"
kill_when '/commits/[0-9a-f]{40}' 4
c2=$(fake_count '/commits/[0-9a-f]{40}')
ok $([ "$c2" -lt 10 ]; echo $?) "second run killed mid-way through the feed ($c2 of 10 commits)"
akw scan --github --once >>"$T/out" 2>>"$T/err"
is "$?" 1 "third run completes (exit 1: leaks found)"

akw list --format json >"$T/list"
res=$(/usr/bin/python3 - "$T/list" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ali = [r for r in rows if r["rule"].startswith("alibaba")]
aws = [r for r in rows if r["rule"].startswith("aws")]
print("alibaba %d aws %d maxloc %d" % (len(ali), len(aws), max(len(r["locations"]) for r in rows)))
PY
)
is "$res" "alibaba 20 aws 10 maxloc 1" "every leak exactly once, one location each"
blobs=$(fake_count '/git/blobs/'); commits=$(fake_count '/commits/[0-9a-f]{40}')
ok $([ "$blobs" -ge 20 ] && [ "$blobs" -le 21 ]; echo $?) "blobs fetched $blobs times for 20 files (at most one refetch)"
ok $([ "$commits" -ge 10 ] && [ "$commits" -le 12 ]; echo $?) "commits fetched $commits times for 10 (at most one refetch per kill)"
is "$(sqlite3 "$AKWATCH_DB" "select value from scan_state where source='github.events' and key='last_id'")" 509 "events cursor at the newest id"
done_testing
