#!/bin/sh
# kill_tui.sh — TAP: the TUI killed with SIGKILL at every store write of a triage decision
# (mark a key disabled with a note, from the details pane, in tmux) and of its quit, each on
# a fresh copy of the same store (faultfs.so raises SIGKILL at the Nth write call). After
# every kill: PRAGMA integrity_check = ok and the decision is all there (status, note, audit
# row) or not at all. Kill points while the TUI opens are the store's own (kill_decide.sh).
. "$AKW_SRCDIR/tests/tui/lib.sh"
. "$AKW_SRCDIR/tests/reliability/faultlib.sh"
demo_store
sqlite3 "$DB" "pragma wal_checkpoint(truncate)" >/dev/null
cp "$DB" "$T/base.db"
AK=AKIAUVZHMASQXEZYEX3R
state="select status, handled_as, coalesce(note, ''),
       (select count(*) from actions a where a.leak_id = l.id) from leaks l where ak_id = '$AK'"
fresh() { rm -f "$DB" "$DB-wal" "$DB-shm"; cp "$T/base.db" "$DB"; }
# up to the decision's confirmation: no write yet
to_confirm() { press j j j Enter p 2 && type_text "kill test" && press Enter; }
back_in_details() { [ "$(dump stack)" = "list,details" ]; }

# how many writes: opening alone, then opening + decision + quit
fresh
TUI_ENV="LD_PRELOAD=$T/faultfs.so AKW_FAULT_COUNT=$T/count" tui_start
press q; wait_exit
open_points=$(cat "$T/count")
fresh
before=$(sqlite3 "$DB" "$state")
TUI_ENV="LD_PRELOAD=$T/faultfs.so AKW_FAULT_COUNT=$T/count" tui_start
to_confirm; press y q q; wait_exit
points=$(cat "$T/count")
after=$(sqlite3 "$DB" "$state")
ok $([ "$points" -gt "$open_points" ] && [ "$before" != "$after" ]; echo $?) \
    "the decision writes the store (writes $((open_points + 1))..$points of $points)"

killed=0 bad=0 tried=0
for n in $(kill_plan $((open_points + 1)) "$points"); do
    tried=$((tried + 1))
    fresh
    TUI_ENV="LD_PRELOAD=$T/faultfs.so AKW_KILL_AT=$n" tui_start
    to_confirm
    tmx send-keys -t t y
    tui_wait "decision made or killed" sh -c "[ -f '$T/exit' ] || grep -qx 'stack=list,details' '$DUMP'"
    [ -f "$T/exit" ] || { tmx send-keys -t t q q; wait_exit; }
    [ "$(cat "$T/exit")" = 137 ] && killed=$((killed + 1))
    chk=$(sqlite3 "$DB" "pragma integrity_check" 2>&1)
    now=$(sqlite3 "$DB" "$state" 2>&1)
    if [ "$chk" != ok ] || { [ "$now" != "$before" ] && [ "$now" != "$after" ]; }; then
        bad=$((bad + 1)); echo "# kill at write $n: integrity $chk, state $now"
    fi
done
is "$killed" "$tried" "TUI killed at $tried of the decision's and quit's $((points - open_points)) writes"
is "$bad" 0 "after every kill the store is sound and the decision all there or absent"
mkdir -p "$AKW_BUILDDIR/tests/reliability"
echo "$killed" >"$AKW_BUILDDIR/tests/reliability/kill_tui.stats"
done_testing
