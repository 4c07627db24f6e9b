#!/bin/sh
# Scroll and page through 500 synthetic findings: j/k, PgDn/PgUp, G/g move the selection,
# only the visible window is fetched, and looking around changes nothing in the store.
. "$AKW_SRCDIR/tests/tui/lib.sh"
AKWATCH_NOW=2026-11-25T12:00:00Z "$FILL" --synthetic 500 "$DB" || exit 1
audit0=$(store_audit | wc -l)
unhandled=$("$FILL" --list "$DB" | awk -F'\t' '$3 == "unhandled"' | wc -l)

tui_start
is "$(dump rows)" "$unhandled" "the list counts every unhandled finding"
is "$(dump sel_index)" "0" "the first row is selected"
first=$(dump selected)

press j j j
is "$(dump sel_index)" "3" "j moves down one row at a time"
press k
is "$(dump sel_index)" "2" "k moves up"
press Down Up Down
is "$(dump sel_index)" "3" "the arrow keys move too"

press NPage
is "$(dump sel_index)" "23" "PgDn moves one page (20 rows at 80x24)"
is "$(dump top)" "20" "PgDn scrolls the window by a page"
press NPage NPage
is "$(dump sel_index)" "63" "two more pages"
is "$(dump top)" "60" "the window follows"
press PPage
is "$(dump sel_index)" "43" "PgUp moves back one page"

press G
is "$(dump sel_index)" "$((unhandled - 1))" "G goes to the last row"
is "$(dump top)" "$((unhandled - 20))" "the last page is full"
last=$(dump selected)
sel_row=$(screen | grep -c "LTAI5t")
is "$sel_row" "20" "the last page shows 20 leak rows"
press g
is "$(dump sel_index)" "0" "g goes back to the top"
is "$(dump selected)" "$first" "the first leak is selected again"
press End
is "$(dump selected)" "$last" "End is G"
press Home
is "$(dump sel_index)" "0" "Home is g"
press k
is "$(dump sel_index)" "0" "k at the top stays on the first row"

press q
wait_exit
is "$(cat "$T/exit")" "0" "q quits"
is "$(store_audit | wc -l)" "$audit0" "scrolling writes nothing to the store"
done_testing
