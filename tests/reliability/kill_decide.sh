#!/bin/sh
# kill_decide.sh — TAP: triage decisions are atomic. `akwatch handle` and `akwatch whitelist
# add|remove` are killed with SIGKILL at every write-side system call they make to the store
# (faultfs.so, LD_PRELOAD: the Nth write/pwrite/fsync/ftruncate raises SIGKILL), each on a
# fresh copy of the same store. After every kill: PRAGMA integrity_check = ok, the kept row
# counts agree with the rows, and the decision is either fully there (status, note and its
# audit row in actions) or not at all.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
. "$AKW_SRCDIR/tests/reliability/faultlib.sh"
plant "$T/src"
export AKWATCH_DB="$T/base.db"
akw scan "$T/src" >/dev/null 2>&1
is "$?" 1 "a store with findings"
sqlite3 "$T/base.db" "pragma wal_checkpoint(truncate)" >/dev/null
id=$(sqlite3 "$T/base.db" "select id from leaks where ak_id = '$AK_ID'")
ok $([ -n "$id" ]; echo $?) "the Alibaba pair is leak $id"

counts_ok() { # the trigger-kept counts equal the rows
    sqlite3 "$1" "select (select count(*) from (select status, owned, confidence, n from leak_counts
                   where n > 0 except select status, owned != 0, coalesce(confidence, 3), count(*)
                   from leaks group by 1, 2, 3))
                 + (select count(*) from (select status, owned != 0, coalesce(confidence, 3),
                   count(*) from leaks group by 1, 2, 3
                   except select status, owned, confidence, n from leak_counts))"
}

total_kills=0
# kill_points NAME STATE-SQL PREPARE-CMD -- CMD...: every kill point of CMD on a copy of the
# base store (after PREPARE-CMD, "" for none); STATE-SQL names the decision's rows.
kill_points() {
    name=$1 state=$2 prep=$3; shift 4
    fresh() {
        rm -f "$T/k.db" "$T/k.db-wal" "$T/k.db-shm"; cp "$T/base.db" "$T/k.db"
        [ -z "$prep" ] || AKWATCH_DB="$T/k.db" sh -c "$prep" >/dev/null 2>&1
    }
    fresh
    before=$(sqlite3 "$T/k.db" "$state")
    AKWATCH_DB="$T/k.db" AKW_FAULT_COUNT="$T/count" LD_PRELOAD="$T/faultfs.so" "$@" >/dev/null 2>&1
    after=$(sqlite3 "$T/k.db" "$state")
    points=$(cat "$T/count")
    ok $([ "$before" != "$after" ] && [ "$points" -gt 0 ]; echo $?) \
        "$name: the decision changes the store ($points write calls)"
    killed=0 bad=0 tried=0
    for n in $(kill_plan 1 "$points"); do
        tried=$((tried + 1))
        fresh
        AKWATCH_DB="$T/k.db" AKW_KILL_AT=$n LD_PRELOAD="$T/faultfs.so" "$@" >/dev/null 2>&1
        [ $? -eq 137 ] && killed=$((killed + 1))
        chk=$(sqlite3 "$T/k.db" "pragma integrity_check" 2>&1)
        now=$(sqlite3 "$T/k.db" "$state" 2>&1)
        c=$(counts_ok "$T/k.db")
        if [ "$chk" != ok ] || [ "$c" != 0 ] || { [ "$now" != "$before" ] && [ "$now" != "$after" ]; }; then
            bad=$((bad + 1))
            printf '# kill at write %s: integrity %s, counts off %s, state %s\n' "$n" "$chk" "$c" "$now"
        fi
    done
    is "$killed" "$tried" "$name: killed at $tried of its $points write calls (every one unless sampled)"
    is "$bad" 0 "$name: after every kill the store is sound and the decision all there or absent"
    total_kills=$((total_kills + killed))
}

leak_state="select status, handled_as, coalesce(note, ''), (select count(*) from actions where leak_id = $id)
            from leaks where id = $id"
kill_points "handle --as deleted" "$leak_state" "" -- \
    "$AKWATCH_BIN" handle "$id" --as deleted --note "removed from the repo"
kill_points "handle --as whitelisted" "$leak_state; select count(*) from whitelist" "" -- \
    "$AKWATCH_BIN" handle "$id" --as whitelisted --note "test key"
wl_state="select count(*) from whitelist; select group_concat(status) from leaks where ak_id = '$AWS_ID';
          select count(*) from actions"
kill_points "whitelist add" "$wl_state" "" -- "$AKWATCH_BIN" whitelist add "$AWS_ID"
kill_points "whitelist remove" "$wl_state" "\"$AKWATCH_BIN\" whitelist add $AWS_ID" -- \
    "$AKWATCH_BIN" whitelist remove "$AWS_ID"

# a local scan killed at each of its writes into a new store, then run again: the findings
# and locations of an uninterrupted scan, none lost or doubled
set_of() {
    sqlite3 "$1" "select l.fingerprint, o.path, o.line from leaks l join locations o
                  on o.leak_id = l.id order by 1, 2, 3"
}
set_of "$T/base.db" >"$T/base.set"
rm -f "$T/s.db"*
AKWATCH_DB="$T/s.db" AKW_FAULT_COUNT="$T/count" LD_PRELOAD="$T/faultfs.so" \
    "$AKWATCH_BIN" scan "$T/src" >/dev/null 2>&1
points=$(cat "$T/count")
killed=0 bad=0 tried=0
for n in $(kill_plan 1 "$points"); do
    tried=$((tried + 1))
    rm -f "$T/s.db" "$T/s.db-wal" "$T/s.db-shm"
    AKWATCH_DB="$T/s.db" AKW_KILL_AT=$n LD_PRELOAD="$T/faultfs.so" \
        "$AKWATCH_BIN" scan "$T/src" >/dev/null 2>&1
    [ $? -eq 137 ] && killed=$((killed + 1))
    chk=ok
    [ -f "$T/s.db" ] && chk=$(sqlite3 "$T/s.db" "pragma integrity_check" 2>&1)
    AKWATCH_DB="$T/s.db" "$AKWATCH_BIN" scan "$T/src" >/dev/null 2>&1
    rc=$?
    if [ "$chk" != ok ] || [ $rc -ne 1 ] || [ "$(set_of "$T/s.db")" != "$(cat "$T/base.set")" ] \
       || [ "$(counts_ok "$T/s.db")" != 0 ]; then
        bad=$((bad + 1))
        echo "# scan killed at write $n: integrity $chk, rescan exit $rc"
    fi
done
is "$killed" "$tried" "scan into a new store: killed at $tried of its $points write calls"
is "$bad" 0 "scan: after every kill the store is sound and a rescan gives the uninterrupted findings"
total_kills=$((total_kills + killed))
mkdir -p "$AKW_BUILDDIR/tests/reliability"
echo "$total_kills" >"$AKW_BUILDDIR/tests/reliability/kill_decide.stats"
done_testing
