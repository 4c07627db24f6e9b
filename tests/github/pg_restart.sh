#!/bin/sh
# pg_restart — faults of a PostgreSQL store (issue 14 item 6). The server is stopped
# (pg_ctl stop -m fast) in the middle of a watch on the fake GitHub and started again: the
# watcher says "store unreachable, retrying in N s", pauses (nothing more is fetched while
# it waits), goes on when the server is back, and in the end holds every leak exactly once:
# the same fingerprints as a clean run of the same world on a SQLite file, one location
# each. A server that cannot be reached at start: one line naming the store without its
# password, exit status 2, for a command and for watch. A watcher waiting for the store
# stops at once on SIGTERM. Skips without server binaries.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
. "$AKW_SRCDIR/tests/github/teamlib.sh"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_resume_token
cleanup() { fake_stop; rm -rf "$T"; }
PG_THEN=cleanup
pg_start

fingerprints() { # sorted fingerprints of the store, one a line
    akw list --format json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
print("\n".join(sorted(json.loads(l)["fingerprint"] for l in sys.stdin)))'
}
lines() { c=$(grep -c -- "$2" "$1" 2>/dev/null); echo "${c:-0}"; }
at_least() { [ "$(lines "$1" "$2")" -ge "$3" ]; }
all="alibaba 20 aws 10 maxloc 1"

# ---- a clean run of the world, on a SQLite file: what the store must hold -------------
fake_keys_world delay=0.02
export AKWATCH_DB="$T/clean.db"
"$AKWATCH_BIN" watch >"$T/clean.out" 2>"$T/clean.err" &
w=$!
wait_for 120 leaks_are "$all"
ok $? "clean run: $all"
kill -TERM $w
wait $w
fingerprints >"$T/clean.fp"
is "$(wc -l <"$T/clean.fp")" 30 "clean run: 30 fingerprints"
fake_stop
rm -f "$FAKE_LOG"

# ---- the same world on a server that restarts mid-way --------------------------------
export AKWATCH_DB="$PG_URL"
fake_keys_world delay=0.3
"$AKWATCH_BIN" watch >"$T/w.out" 2>"$T/w.err" &
w=$!
wait_for 60 sh -c "n=\$(grep -c '/git/blobs/' '$FAKE_LOG'); [ \"\${n:-0}\" -ge 5 ]"
ok $? "the watch is under way (5 blobs fetched)"
pg_ctl_ stop -m fast
ok $? "the server stopped (pg_ctl stop -m fast)"
wait_for 60 at_least "$T/w.err" "store unreachable, retrying in" 2
ok $? "the watcher says the store is unreachable, and retries"
like "$(grep -m1 'store unreachable' "$T/w.err")" \
    "^akwatch: store unreachable, retrying in [0-9.]+ s: postgresql://akwatch@/akw\\?host=.*: cannot connect to the store: " \
    "one line naming the store and libpq's reason"
blobs_down=$(fake_count '/git/blobs/')
n=$(lines "$T/w.err" "store unreachable")
wait_for 60 at_least "$T/w.err" "store unreachable" $((n + 1))
is "$(fake_count '/git/blobs/')" "$blobs_down" "the scan pauses while the store is down (no blob fetched)"
kill -0 $w 2>/dev/null
ok $? "the watcher is still running"
ok $([ "$blobs_down" -lt 20 ]; echo $?) "stopped mid-way ($blobs_down of 20 blobs)"
pg_ctl_ start
ok $? "the server started again"
wait_for 60 at_least "$T/w.err" "store reachable again" 1
ok $? "the watcher says the store is back"
wait_for 120 leaks_are "$all"
ok $? "every leak once, one location each: $all"
fingerprints >"$T/pg.fp"
if cmp -s "$T/clean.fp" "$T/pg.fp"; then ok 0 "the fingerprints of the clean run"; else
    diff "$T/clean.fp" "$T/pg.fp" | sed 's/^/# /' | head -10
    ok 1 "the fingerprints of the clean run"
fi
is "$(pg_sql "$PG_URL" 'SELECT count(*) - count(DISTINCT fingerprint) FROM leaks')" 0 \
    "no fingerprint twice"
is "$(pg_sql "$PG_URL" "SELECT count(*) FROM locations")" 30 "30 locations"
blobs=$(fake_count '/git/blobs/')
ok $([ "$blobs" -ge 20 ] && [ "$blobs" -le 22 ]; echo $?) \
    "blobs fetched $blobs times for 20 files (what was held back was recorded, not refetched)"
kill -0 $w 2>/dev/null
ok $? "the watcher is still running"

# down again: a waiting watcher still stops on SIGTERM, at once
n=$(lines "$T/w.err" "store unreachable")
pg_ctl_ stop -m fast
wait_for 60 at_least "$T/w.err" "store unreachable" $((n + 1))
ok $? "the server stopped again: the idle watcher notices at its next poll"
kill -TERM $w
wait_for 10 sh -c "! kill -0 $w 2>/dev/null"
ok $? "SIGTERM stops it while it waits for the store"
wait $w
is "$?" 0 "exit status 0"
unlike "$(cat "$T/w.err")" "AddressSanitizer|runtime error|Segmentation" "no crash"
fake_stop

# ---- a server that cannot be reached at start ---------------------------------------
bad="postgresql://akwatch:s3cretpw@/akw?host=$T/nowhere"
for cmd in list watch; do
    AKWATCH_DB="$bad" "$AKWATCH_BIN" $cmd >"$T/out" 2>"$T/err"
    is "$?" 2 "unreachable at start, $cmd: exit 2"
    is "$(wc -l <"$T/err")" 1 "$cmd: one line"
    like "$(cat "$T/err")" "^akwatch: postgresql://akwatch@/akw\\?host=$T/nowhere: cannot connect to the store: .+" \
        "$cmd: it names the store and libpq's reason"
    unlike "$(cat "$T/err")" "s3cretpw" "$cmd: no password"
done
done_testing
