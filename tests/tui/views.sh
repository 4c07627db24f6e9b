#!/bin/sh
# Tab cycles Unhandled -> Handled -> All; `s` sorts by severity and back to time. Counts in
# the tabs match the store.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
tui_start

count() { "$FILL" --list "$DB" | awk -F'\t' -v s="$1" '$3 ~ s' | wc -l; }
is "$(dump rows)" "$(count '^unhandled$')" "Unhandled lists the store's unhandled leaks"
press Tab
is "$(dump view)" "handled" "Tab: Handled"
is "$(dump rows)" "$(count '^(handled|whitelisted)$')" "Handled lists handled and whitelisted leaks"
s=$(screen)
like "$s" "Disabled" "disabled leaks are there"
like "$s" "Deleted" "deleted leaks are there"
like "$s" "Whitelisted" "whitelisted leaks are there"
unlike "$s" "Unhandled  *$" "no unhandled row"
press Tab
is "$(dump view)" "all" "Tab: All"
is "$(dump rows)" "24" "All lists every leak"
like "$(screen | sed -n 2p)" "All \(24\)" "the tab shows the count"
press Tab
is "$(dump view)" "unhandled" "Tab wraps to Unhandled"

press s
is "$(dump sort)" "severity" "s sorts by severity"
like "$(screen | sed -n 4p)" "^CRIT " "critical first"
is "$(screen | sed -n '4,$p' | grep -c '^CRIT ')" "4" "the four unhandled critical leaks come first"
like "$(screen | sed -n 8p)" "^HIGH " "then high"
like "$(screen | sed -n 2p)" "sort: severity" "the sort is shown"
press s
is "$(dump sort)" "time" "s again sorts by time"
is "$(dump selected_ak)" "LTAI5tu8jzPde0IgxLd6Gncf" "newest first"
press q
wait_exit
done_testing
