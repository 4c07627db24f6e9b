#!/bin/sh
# team_restart — a TUI on a PostgreSQL store whose server restarts (issue 14 item 6): the
# status line says "store connection lost — reconnecting…" while the server is down, the
# UI keeps answering keys, and once the server is back it says so, listens again and shows
# a leak a watcher records after the restart without a key pressed.
TUI_ON_POSTGRESQL=1 # tests/tui/lib.sh starts the cluster (a TAP skip without the server)
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
tui_start

rows_are() { [ "$(dump rows)" = "$1" ]; }
message_is() { [ "$(dump message)" = "$1" ]; }
n0=$(dump rows)
ok $([ "$n0" -gt 0 ]; echo $?) "the list shows $n0 unhandled leaks"

pg_ctl_ stop -m fast
ok $? "the server stopped"
tui_wait "the lost line" message_is "store connection lost — reconnecting…"
ok $? "the status line says the store connection is lost"
wait_screen "store connection lost"
ok $? "and the screen shows it"
press j
ok $? "the UI still answers a key"
is "$(dump message)" "store connection lost — reconnecting…" "and still says so after it"
ok $([ -z "$(cat "$T/exit" 2>/dev/null)" ]; echo $?) "the TUI did not exit"

pg_ctl_ start
ok $? "the server started again"
tui_wait "the back line" message_is "store connection back"
ok $? "the status line says the store is back"
"$FILL" --synthetic 1 "$DB" >/dev/null
tui_wait "the leak recorded after the restart" rows_are $((n0 + 1))
ok $? "a leak recorded after the restart shows without a key: $((n0 + 1)) rows"
press q
wait_exit
is "$(cat "$T/exit")" 0 "the TUI exits 0"
done_testing
