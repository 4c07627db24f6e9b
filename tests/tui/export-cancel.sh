#!/bin/sh
# Esc during a long export (here 5000 leaks, two progress passes) cancels it: the status line
# says so, and neither the report nor a temporary file is left behind; the next export
# still works.
. "$AKW_SRCDIR/tests/tui/lib.sh"
AKWATCH_NOW=2026-11-25T12:00:00Z "$FILL" --synthetic 5000 "$DB" || exit 1
TUI_ENV="AKWATCH_NOW=2026-11-25T12:00:00Z" tui_start

press e C-u
type_text "big.xlsx"
# Enter starts the export on the UI thread; the Esc right behind it is read by the export's
# progress check (it never reaches the panes, so only the Enter counts as a handled key)
tmx send-keys -t t Enter Escape
keys_sent=$((keys_sent + 1))
wait_idle
is "$(dump message)" "Export cancelled; nothing was written." "Esc cancels the export"
is "$(dump pane)" "list" "back on the list, no Done box"
[ ! -e "$T/big.xlsx" ]
ok $? "no report written"
is "$(ls -A "$T" | grep -c 'big')" 0 "no temporary file left beside it"

press e C-u
type_text "big.xlsx"
press Enter
is "$(dump dialog_title)" "Done" "the next export runs to the end"
test -s "$T/big.xlsx"
ok $? "and writes the report"
press x q
wait_exit
is "$(cat "$T/exit")" "0" "quits cleanly"
done_testing
