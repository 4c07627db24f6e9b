#!/bin/sh
# resume — kill -9 at any instant loses nothing and duplicates nothing: a slow fake, the
# scan killed mid-way through the default-branch scan and again mid-way through the events
# feed, then run to the end. Every planted leak is there exactly once, and the runs after a
# kill refetch at most the one blob or commit that was in flight.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
export AKWATCH_DB="$T/akwatch.db" AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_resume_token
fake_keys_world   # 20 files, 10 commits, events 500..509, blobs and commits 0.15 s

fake_kill_at '/git/blobs/' 7 "$AKWATCH_BIN" scan --github --once >>"$T/out" 2>>"$T/err"
b1=$(fake_count '/git/blobs/')
ok $([ "$b1" -lt 20 ]; echo $?) "first run killed mid-way through the blobs ($b1 of 20)"
fake_kill_at '/commits/[0-9a-f]{40}' 4 "$AKWATCH_BIN" scan --github --once >>"$T/out" 2>>"$T/err"
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
