#!/bin/sh
# Whitelist a record from the processing pane (3, note, Enter, y): it leaves Unhandled and
# shows as Whitelisted under Handled; the whitelist pane lists it, and `c` `y` cancels the
# whitelist, which returns it to Unhandled. The store and its audit log agree at each step.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
tui_start

press j j
ak=$(dump selected_ak)
is "$ak" "LTAI5tCsMehGAkWvj7FAc9Qe" "the third unhandled leak is selected"
press p
is "$(dump pane)" "processing" "p opens the processing pane"
wait_screen "[3] Add to whitelist"
ok $? "the three choices are shown"
press 3
is "$(dump choice)" "whitelisted" "3 chooses add to whitelist"
is "$(dump pane)" "input" "then asks for a note"
type_text "CDN test account, read-only"
press Enter
is "$(dump pane)" "confirm" "Enter asks for confirmation"
wait_screen "Mark LTAI5tCsMehGAkWvj7FAc9Qe as \"Add to whitelist\"?"
ok $? "the question names the key and the decision"
press Enter
is "$(dump pane)" "confirm" "Enter does not answer the question"
press n
is "$(dump pane)" "processing" "n cancels: back in the processing pane"
is "$(store_leak "$ak" | cut -f1)" "unhandled" "nothing was written after n"
press Enter
is "$(dump input)" "CDN test account, read-only" "the note is kept for a second try"
press Enter
press y
is "$(dump pane)" "list" "y applies and returns to the list"
is "$(dump rows)" "16" "the leak left the Unhandled view"
wait_screen "LTAI5tCsMehGAkWvj7FAc9Qe: Add to whitelist"
ok $? "the status line confirms"
is "$(store_leak "$ak")" "$(printf 'whitelisted\t\tCDN test account, read-only')" "store: whitelisted with the note"
like "$(store_whitelist)" "$ak" "store: the AK ID is on the whitelist"
like "$(store_audit | tail -n2 | head -n1)" "$ak[[:space:]][^[:space:]]+[[:space:]]whitelisted[[:space:]]CDN test account" "audit: the decision is logged"

press Tab
is "$(dump view)" "handled" "Tab shows the Handled view"
screen | grep -F "$ak" | grep -q "Whitelisted"
ok $? "the record is listed as Whitelisted under Handled"

press w
is "$(dump pane)" "whitelist" "w opens the whitelist pane"
is "$(dump whitelist_rows)" "4" "three demo entries plus the new one"
s=$(screen)
like "$s" "LTAI5tRlrwZbqcabUGJmGEp7" "the demo's CI sandbox key is listed"
like "$s" "$ak" "the new entry is listed"
i=0
while [ "$(dump whitelist_selected)" != "$ak" ] && [ $i -lt 5 ]; do press j; i=$((i + 1)); done
is "$(dump whitelist_selected)" "$ak" "the new entry is selected"
press c
is "$(dump pane)" "confirm" "c asks before cancelling"
wait_screen "Cancel the whitelist of $ak?"
ok $? "the question names the key"
press y
is "$(dump pane)" "whitelist" "back in the whitelist pane"
is "$(dump whitelist_rows)" "3" "the entry is gone"
wait_screen "Whitelist of $ak cancelled"
ok $? "the status line confirms"
is "$(store_leak "$ak" | cut -f1)" "unhandled" "store: the leak is Unhandled again"
unlike "$(store_whitelist)" "$ak" "store: the AK ID is off the whitelist"
like "$(store_audit | tail -n1)" "$ak" "audit: the cancel is logged"

press q
is "$(dump pane)" "list" "q closes the whitelist pane"
press Tab Tab
is "$(dump view)" "unhandled" "Tab cycles back to Unhandled"
is "$(dump rows)" "17" "the leak is back in the Unhandled view"
press q
wait_exit
done_testing
