#!/bin/sh
# team_scenario — three watchers and three analysts on one PostgreSQL store, on the fake
# GitHub, for a bounded run: two watchers lease the org's repositories and the events feed,
# the third waits; the one scanning the repositories is killed with SIGKILL mid-way and a
# standby takes the source over from the stored cursor. Meanwhile three analysts (alice,
# bob, carol: `akwatch handle` from their own processes) decide every leak they see, racing
# each other. At the end: every planted leak exactly once with one location, no blob or
# commit fetched twice but for the one at the kill, every decision an analyst was told it
# made is in the audit log under their name, and each leak is what its last audit row says.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
. "$AKW_SRCDIR/tests/github/teamlib.sh"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_resume_token
PG_THEN='touch "$T/stop"; kill ${pid_a:-} ${pid_b:-} ${pid_c:-} 2>/dev/null; fake_stop; rm -rf "$T"'
pg_start
export AKWATCH_DB=$PG_URL

two_held() { [ -n "$(holder repos)" ] && [ -n "$(holder events)" ]; }

# analyst NAME ACTION ORDER: until $T/stop exists and nothing is left unhandled, decide
# every unhandled leak it lists, in ORDER (sort -n or sort -rn or shuf); logs "ID NAME
# ACTION" to $T/decided for each decision the command reported done
analyst() {
    while :; do
        ids=$(akw list --all --status unhandled --format json 2>/dev/null |
            sed -n 's/^{"id":\([0-9]*\),.*/\1/p' | $3)
        if [ -z "$ids" ]; then
            [ -e "$T/stop" ] && return 0
            sleep 0.2
            continue
        fi
        for id in $ids; do
            USER=$1 akw --quiet handle "$id" --as "$2" --note "by $1" 2>>"$T/$1.err" &&
                echo "$id $1 $2" >>"$T/decided"
        done
    done
}

fake_keys_world delay=0.3 # 20 files in acme/many, 10 commits in the feed; slow answers
printf '[team]\nlease_seconds = 3\n' >>"$T/config"
: >"$T/decided"
for w in a b c; do
    "$AKWATCH_BIN" watch >"$T/$w.out" 2>"$T/$w.err" &
    eval "pid_$w=\$!"
done
wait_for 60 two_held
ok $? "two of the three watchers lease the repositories and the feed"
standby=$(for p in $pid_a $pid_b $pid_c; do holders | grep -q " $p\$" || echo "$p"; done)
is "$(echo "$standby" | grep -c .)" 1 "the third holds nothing (standby)"

analyst alice deleted "sort -n" &
an_a=$!
analyst bob disabled "sort -rn" &
an_b=$!
analyst carol deleted shuf &
an_c=$!

wait_for 60 sh -c "n=\$(grep -c '/git/blobs/' '$FAKE_LOG'); [ \"\${n:-0}\" -ge 7 ]"
victim=$(holder repos)
kill -9 "$victim"
wait "$victim" 2>/dev/null
blobs_at_kill=$(fake_count '/git/blobs/')
ok $([ "$blobs_at_kill" -lt 20 ]; echo $?) "the repositories' watcher killed mid-way ($blobs_at_kill of 20 blobs)"
new_holder() { h=$(holder repos); [ -n "$h" ] && [ "$h" != "$victim" ]; }
wait_for 60 new_holder
ok $? "another watcher takes the repositories over"
wait_for 120 leaks_are "alibaba 20 aws 10 maxloc 1"
ok $? "every planted leak exactly once, one location each (30)"
touch "$T/stop"
wait_for 120 sh -c "! kill -0 $an_a 2>/dev/null && ! kill -0 $an_b 2>/dev/null && ! kill -0 $an_c 2>/dev/null"
ok $? "the analysts finish: nothing is left unhandled"
wait $an_a $an_b $an_c 2>/dev/null

blobs=$(fake_count '/git/blobs/')
ok $([ "$blobs" -ge 20 ] && [ "$blobs" -le 21 ]; echo $?) \
    "blobs fetched $blobs times for 20 files (at most one refetch at the kill)"
commits=$(fake_count '/commits/[0-9a-f]{40}')
ok $([ "$commits" -ge 10 ] && [ "$commits" -le 11 ]; echo $?) \
    "commits fetched $commits times for 10 (one watcher ran the feed)"
is "$(pg_sql "$PG_URL" "SELECT count(*) FROM leaks WHERE status <> 1")" 0 "all 30 leaks are handled"

# every decision reported done is in the audit log, under its analyst's name
n_decided=$(grep -c . "$T/decided")
ok $([ "$n_decided" -ge 30 ]; echo $?) "the analysts made $n_decided decisions (30 leaks, some raced)"
pg_sql "$PG_URL" "SELECT leak_id || ' ' || who || ' ' || what FROM actions
    WHERE who IN ('alice', 'bob', 'carol') ORDER BY id" >"$T/audit"
is "$(sort "$T/decided")" "$(sort "$T/audit")" "every decision, and only those, in the audit log"
for who in alice bob carol; do
    is "$(grep -c " $who " "$T/decided")" "$(grep -c " $who " "$T/audit")" "$who's decisions all recorded"
done
# each leak is what its last decision made it
last=$(pg_sql "$PG_URL" "SELECT count(*) FROM leaks l JOIN (SELECT DISTINCT ON (leak_id) leak_id, what
    FROM actions ORDER BY leak_id, id DESC) a ON a.leak_id = l.id
    WHERE l.handled_as <> CASE a.what WHEN 'deleted' THEN 1 WHEN 'disabled' THEN 2 END")
is "$last" 0 "no lost update: every leak is handled as its last audit row says"
is "$(grep -c . "$T/alice.err" "$T/bob.err" "$T/carol.err" | awk -F: '{ s += $2 } END { print s }')" 0 \
    "no analyst saw an error"

for p in $pid_a $pid_b $pid_c; do
    [ "$p" = "$victim" ] || kill -TERM "$p"
done
for p in $pid_a $pid_b $pid_c; do
    [ "$p" = "$victim" ] || wait "$p"
done
is "$(akw watchers)" "No watcher holds a source." "the watchers stop and give their leases back"
done_testing
