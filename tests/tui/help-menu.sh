#!/bin/sh
# `?` lists every binding of the default table with its help; the menu (m / F2) offers
# export, notification settings, rescan, whitelist, help and quit, with unavailable entries
# explained.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
tui_start 100 60

press ?
is "$(dump pane)" "help" "? opens the help"
s=$(screen)
for want in "Leak list" "Processing" "Whitelist" "Everywhere" \
    "j, Down +Move down" "PgDn, Space +Next page" "g, Home +Go to the top" \
    "Enter, \^J, KpEnter +Open the selected item" "/ +Search by AccessKey ID prefix" \
    "n +Next search result" "Tab +Cycle the view" "s +Sort by time or by severity" \
    "p +Process the selected leak" "w +Show the whitelist" "1 +Mark as deleted manually" \
    "2 +Mark as disabled manually" "3 +Add to the whitelist" \
    "Enter, \^J, KpEnter +Write the note, then confirm the decision" \
    "c +Cancel the whitelist" "y, Y +Confirm" "e +Export a report" "m, F2 +Open the menu" \
    "q, Esc +Close the pane; quit from the list"; do
    like "$s" "$want" "help lists: $want"
done
press ?
is "$(dump stack)" "list,help" "? in the help does not stack another help"
press q
is "$(dump pane)" "list" "q closes the help"

press m
is "$(dump pane)" "menu" "m opens the menu"
s=$(screen)
like "$s" "Export report \(xlsx\)" "export entry"
like "$s" "Notification settings" "notification settings entry"
like "$s" "Rescan now \(unavailable\)" "rescan is unavailable without a scan"
like "$s" "Quit" "quit entry"
press j j
is "$(dump menu_item)" "Rescan now" "j moves in the menu"
wait_screen "no background scan"
ok $? "the reason is shown"
press Enter
is "$(dump pane)" "menu" "an unavailable entry does nothing"
press k
press Enter
is "$(dump pane)" "settings" "notification settings open the settings pane"
wait_screen "Notification settings"
ok $? "with its title"
press q
is "$(dump pane)" "list" "q closes it"
tmx send-keys -t t F2
keys_sent=$((keys_sent + 1))
wait_idle
is "$(dump pane)" "menu" "F2 opens the menu"
press Escape
is "$(dump pane)" "list" "Esc closes the menu"
press m k
is "$(dump menu_item)" "Export report (xlsx)" "k at the top stays on the first entry"
press G
is "$(dump menu_item)" "Quit" "G goes to the last entry"
press Enter
wait_exit
is "$(cat "$T/exit")" "0" "Quit from the menu quits"
done_testing
