#!/bin/sh
# team — several analysts on one PostgreSQL store: a TUI shows another analyst's decision
# and a watcher's new leak without a key pressed (LISTEN/NOTIFY; the list is not polled),
# and a decision confirmed on a leak someone else decided meanwhile is refused with who
# and when, leaving their decision and the audit log as they were.
TUI_ON_POSTGRESQL=1 # tests/tui/lib.sh starts the cluster (a TAP skip without the server)
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
tui_start

id_of() { akw --db "$DB" list --all --ak "$1" --format json | sed -n 's/^{"id":\([0-9]*\),.*/\1/p'; }
rows_are() { [ "$(dump rows)" = "$1" ]; }
n0=$(dump rows)
ak=$(dump selected_ak)
id=$(id_of "$ak")
ok $([ -n "$id" ]; echo $?) "the selected leak is $ak, id $id"

# another analyst decides on the selected leak
t0=$(date +%s%N)
USER=bob akw --db "$DB" --quiet handle "$id" --as disabled
tui_wait "the list to drop bob's leak" rows_are $((n0 - 1))
ok $? "bob's decision shows without a key: $((n0 - 1)) unhandled rows"
echo "# shown after $((($(date +%s%N) - t0) / 1000000)) ms"
unlike "$(dump selected_ak)" "^$ak\$" "and the leak left the Unhandled list"

# a watcher records a new leak
t0=$(date +%s%N)
"$FILL" --synthetic 1 "$DB" >/dev/null
tui_wait "the new leak" rows_are "$n0"
ok $? "a new leak shows without a key: $n0 rows"
echo "# shown after $((($(date +%s%N) - t0) / 1000000)) ms"

# alice opens the processing pane, bob decides first, alice confirms: refused
ak2=$(dump selected_ak)
id2=$(id_of "$ak2")
press p 2 Enter
is "$(dump pane)" "confirm" "alice is asked to confirm 'disabled' for $ak2"
USER=bob akw --db "$DB" --quiet handle "$id2" --as deleted
tui_wait "the list to follow" rows_are $((n0 - 1))
press y
wait_screen "was changed by bob at"
ok $? "alice's decision is refused, naming bob"
like "$(dump message)" "^leak $id2 was changed by bob at [0-9T:-]+Z \(it is deleted now\)" \
    "with when and what it is now"
is "$(store_leak "$ak2" | cut -f2)" "deleted" "bob's decision stands"
is "$(store_audit | grep -c "$ak2")" 1 "the audit log has bob's decision only"
like "$(store_audit | grep "$ak2")" "bob" "and names bob"
is "$(dump stack)" "list,processing" "alice is back in the processing pane"
wait_screen "Deleted"
like "$(screen)" "Status +Deleted" "which shows what the leak is now"
press q
press q
wait_exit
done_testing
