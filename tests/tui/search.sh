#!/bin/sh
# `/` searches by AccessKey ID prefix (and falls back to repo/path text); `n` goes to the
# next result; Esc clears the search, and a second Esc quits.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
tui_start

press /
is "$(dump pane)" "input" "/ opens the search prompt"
wait_screen "Search AK ID or repo/path:"
type_text "LTAI5tCsM"
press Enter
is "$(dump search)" "LTAI5tCsM" "the search is applied"
is "$(dump search_mode)" "ak" "an AK ID prefix matches by prefix"
is "$(dump rows)" "1" "one leak has that AK ID prefix"
is "$(dump selected_ak)" "LTAI5tCsMehGAkWvj7FAc9Qe" "the matching leak is selected"
wait_screen "1 match for \"LTAI5tCsM\""
ok $? "the status line counts the matches"
screen_has "nimbus-games/cdn-refresh" || screen_has "…settings.py"
ok $? "the result row is on the screen"

press /
press C-u
type_text "ltai5t"
press Enter
is "$(dump search_mode)" "ak" "AK ID prefixes match case-insensitively"
n=$(dump rows)
is "$n" "9" "every unhandled Alibaba key matches LTAI5t"
s0=$(dump selected)
press n
is "$(dump sel_index)" "1" "n goes to the next result"
i=1
while [ "$i" -lt "$n" ]; do press n; i=$((i + 1)); done
is "$(dump sel_index)" "0" "n wraps to the first result"
wait_screen "Search wrapped"
ok $? "the wrap is announced"

press /
press C-u
type_text "payment-gateway"
press Enter
is "$(dump search_mode)" "text" "text that is no AK ID prefix searches repo/path"
is "$(dump rows)" "1" "one unhandled leak lives in payment-gateway"
is "$(dump selected_ak)" "LTAI5tu8jzPde0IgxLd6Gncf" "it is the production gateway key"

press /
press C-u
type_text "no-such-thing"
press Enter
is "$(dump rows)" "0" "a search without result shows an empty list"
wait_screen "No leak matches the search"
ok $? "the empty list says why"

press Escape
is "$(dump search)" "" "Esc clears the search"
is "$(dump rows)" "17" "all unhandled leaks are back"
is "$(dump pane)" "list" "the TUI is still open"
press Escape
wait_exit
is "$(cat "$T/exit")" "0" "Esc without a search quits"
done_testing
