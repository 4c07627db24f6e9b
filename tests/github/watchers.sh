#!/bin/sh
# watchers — two `akwatch watch` on one store (a PostgreSQL database, then a SQLite file):
# each GitHub source is leased by one of them at a time (`akwatch watchers` shows who), the
# one scanning the org repositories is killed with SIGKILL mid-way, the other takes the
# source over once the lease expires ([team] lease_seconds = 3) and goes on from the stored
# cursor: every planted leak exactly once, no blob fetched by both, and a watcher stopped
# with SIGTERM gives its leases back. Skips its PostgreSQL half (only) without a server.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
. "$AKW_SRCDIR/tests/github/teamlib.sh"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_resume_token
PG_THEN='fake_stop; rm -rf "$T"'

holds() { [ "$(holder "$1")" = "$2" ]; }

run_on() { # run_on NAME: the scenario on the store $AKWATCH_DB
    name=$1
    fake_keys_world delay=0.3 # 20 files, 10 commits in the feed; blobs and commits 0.3 s
    printf '[team]\nlease_seconds = 3\n' >>"$T/config"
    "$AKWATCH_BIN" watch >"$T/a.out" 2>"$T/a.err" &
    a=$!
    wait_for 30 holds repos $a
    ok $? "$name: watcher A takes the org's repositories"
    "$AKWATCH_BIN" watch >"$T/b.out" 2>"$T/b.err" &
    b=$!
    wait_for 30 holds events $b
    ok $? "$name: watcher B takes the feed, which A is not running"
    is "$(holder repos)" "$a" "$name: A still holds the repositories"
    like "$(akw watchers)" "^SOURCE +WATCHER +SINCE +UNTIL +TOKEN BUDGET" "$name: the table's header"

    wait_for 60 sh -c "n=\$(grep -c '/git/blobs/' '$FAKE_LOG'); [ \"\${n:-0}\" -ge 7 ]"
    kill -9 $a
    wait $a 2>/dev/null
    blobs_at_kill=$(fake_count '/git/blobs/')
    ok $([ "$blobs_at_kill" -lt 20 ]; echo $?) "$name: A killed mid-way ($blobs_at_kill of 20 blobs)"
    wait_for 60 holds repos $b
    ok $? "$name: B takes the repositories over once A's lease expired"
    wait_for 60 leaks_are "alibaba 20 aws 10 maxloc 1"
    ok $? "$name: every leak exactly once, one location each"
    blobs=$(fake_count '/git/blobs/')
    ok $([ "$blobs" -ge 20 ] && [ "$blobs" -le 21 ]; echo $?) \
        "$name: blobs fetched $blobs times for 20 files (from the cursor, at most one refetch)"
    commits=$(fake_count '/commits/[0-9a-f]{40}')
    ok $([ "$commits" -ge 10 ] && [ "$commits" -le 11 ]; echo $?) \
        "$name: commits fetched $commits times for 10 (only B ran the feed)"

    kill -TERM $b
    wait $b
    is "$?" 0 "$name: B stops on SIGTERM"
    is "$(akw watchers)" "No watcher holds a source." "$name: and gives its leases back"
    is "$(akw watchers --format json)" "" "$name: json: nothing"
    fake_stop
    rm -f "$FAKE_LOG"
}

export AKWATCH_DB="$T/akwatch.db"
run_on sqlite

akw watchers --format xml >/dev/null 2>"$T/err"
is "$?" 2 "--format xml: exit 2"
is "$(wc -l <"$T/err")" 1 "one line"
akw watchers extra >/dev/null 2>&1
is "$?" 2 "an argument: exit 2"

if [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; then
    pg_start
    AKWATCH_DB=$PG_URL
    run_on postgresql
else
    echo "# SKIP the PostgreSQL half: server binaries not installed"
fi
done_testing
