#!/bin/sh
# signals — `akwatch watch` stops cleanly on SIGINT and SIGTERM, even while waiting for the
# next poll or for a rate-limit reset: exit 0, the summary printed, the store consistent.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
export AKWATCH_DB="$T/akwatch.db" AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_akwatch_test_token_1
cat >"$T/config" <<'CONF'
[github]
org = acme
events = on
poll_interval = 60
CONF
fake_start "$AKW_SRCDIR/tests/fakegh/scenarios/basic.json"
for sig in INT TERM; do
    n=$(fake_count '/events')
    "$AKWATCH_BIN" watch >"$T/out.$sig" 2>"$T/err.$sig" &
    pid=$!
    wait_for 30 sh -c "[ \$(grep -c '/events' '$FAKE_LOG') -gt $n ]"
    ok $? "SIG$sig: watch polled the feed"
    kill -$sig $pid
    # Generous guard only: the loop notices within a second.
    wait_for 20 sh -c "! kill -0 $pid 2>/dev/null"
    ok $? "SIG$sig: watch ended"
    wait $pid
    is "$?" 0 "SIG$sig: exit 0"
    like "$(cat "$T/err.$sig")" "^github: " "SIG$sig: summary printed"
done
is "$(sqlite3 "$AKWATCH_DB" 'pragma integrity_check')" ok "store intact"
# A rate-limit wait is interrupted too.
cat >"$T/limited.json" <<'JSON'
{"tokens": ["ghp_akwatch_test_token_1"], "orgs": {"acme": []},
 "faults": [{"match": "/orgs/", "kind": "primary", "reset": 600}]}
JSON
fake_reload "$T/limited.json"
"$AKWATCH_BIN" watch >"$T/out.rl" 2>"$T/err.rl" &
pid=$!
wait_for 30 grep -q '"fault": "primary"' "$FAKE_LOG"
ok $? "watch hit a primary limit with a 10-minute reset"
kill -INT $pid
wait_for 20 sh -c "! kill -0 $pid 2>/dev/null"
ok $? "SIGINT ends the rate-limit wait"
wait $pid
is "$?" 0 "exit 0"
done_testing
