#!/bin/sh
# [keys] bind lines rebind the real TUI: a new key works, a key bound to `none` does
# nothing (also where the generic binding would apply), and `?` and the status line's key
# hints show the bindings in force.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
cat >"$T/config" <<'CONF'
[keys]
bind = list x process
bind = list p none
bind = generic J move-down
bind = list q none
bind = generic ^D bottom
CONF
TUI_ENV="AKWATCH_CONFIG=$T/config" tui_start 100 60

hint=$(screen | tail -n1)
like "$hint" "Enter:open +x:process +/:search" "the status line hints the rebound key (x:process)"
unlike "$hint" "p:process|q:quit" "and not the unbound ones"
first=$(dump selected)
press J
is "$(dump selected)" "$((first + 1))" "J (bind = generic J move-down) moves down"
press j
is "$(dump selected)" "$((first + 2))" "j still does (defaults stay unless rebound)"
press p
is "$(dump pane)" "list" "p (bind = list p none) does nothing in the list"
like "$(dump message)" "^p: no action here" "and says so"
press x
is "$(dump pane)" "processing" "x (bind = list x process) opens the processing pane"
press q
is "$(dump pane)" "list" "q still closes other panes (only the list's q is unbound)"
press q
is "$(dump pane)" "list" "q in the list (bind = list q none) does not fall back to quit"
exited
ok $((!$?)) "the TUI still runs"
press C-d
like "$(dump selected)" "^[0-9]+$" "^D (bind = generic ^D bottom) runs"
test "$(dump selected)" -gt "$((first + 2))"
ok $? "and went to the bottom"

press ?
is "$(dump pane)" "help" "? opens the help"
s=$(screen)
like "$s" "x +Process the selected leak \[process\]" "help: the list's x processes"
like "$s" "J, j, Down +Move down|j, Down, J +Move down" "help: J moves down with j and Down"
like "$s" "G, End, \^D +Go to the bottom|\^D, G, End +Go to the bottom" "help: ^D goes to the bottom"
list_part=$(printf '%s\n' "$s" | sed -n '/^Leak list (list)/,/^$/p')
unlike "$list_part" "(^| )p +Process" "help: p is gone from the list's keys"
unlike "$list_part" "(^| )q " "help: and so is the list's q"
like "$s" "Details \(details\)" "help names each context as [keys] spells it"
press q Escape
wait_exit
is "$(cat "$T/exit")" 0 "Esc still quits from the list"
done_testing
