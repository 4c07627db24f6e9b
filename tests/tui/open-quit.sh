#!/bin/sh
# Open the TUI on the demo store: the first screen (header counts, tabs, newest leaks
# first), then every way out — q, Esc, Ctrl-C, SIGTERM — exits and gives the terminal back.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
audit0=$(store_audit | wc -l)

tui_start
screen_is "first screen: header, tabs, titles and the newest unhandled leaks" 1 8 <<'SCREEN'
 AK leaks 24 | Call alerts 0 | GitHub | Last 2026-11-25 01:15 | Scan off
 Unhandled (17)   Handled (7)   All (24)                              sort: time
SEV  AK ID / secret           Kind      Repo:path    First seen Ver  Status
CRIT LTAI5tu8jzPde0IgxLd6Gncf AccessKey …on-prod.yml 2026-11-24 —    Unhandled
CRIT LTAI5tIhKtJ0RlgLKOmxgJTe AccessKey …s-upload.sh 2026-11-24 —    Unhandled
HIGH LTAI5tCsMehGAkWvj7FAc9Qe AccessKey …settings.py 2026-11-24 —    Unhandled
CRIT AKIAUVZHMASQXEZYEX3R     AccessKey …form.tfvars 2026-11-23 —    Unhandled
HIGH jcnq***********R         Database  ….properties 2026-11-23 —    Unhandled
SCREEN
is "$(dump pane)" "list" "the list pane is on top"
is "$(dump view)" "unhandled" "the view starts on Unhandled"
is "$(dump rows)" "17" "17 unhandled leaks in the demo store"
is "$(dump selected_ak)" "LTAI5tu8jzPde0IgxLd6Gncf" "the newest leak is selected"
like "$(screen | tail -n1)" "Enter:open +p:process" "the status line lists the main keys"

press q
wait_exit
is "$(cat "$T/exit")" "0" "q quits with status 0"
like "$(cat "$T/stty")" "[^-]icanon" "the terminal is back in canonical mode after q"
like "$(cat "$T/stty")" "[^-]echo " "echo is back on after q"
is "$("$FILL" --list "$DB" | wc -l)" "24" "the store still holds 24 leaks"
is "$(store_audit | wc -l)" "$audit0" "opening and quitting writes nothing to the audit log"

tmx kill-server
tui_start
press Escape
wait_exit
is "$(cat "$T/exit")" "0" "Esc on the list quits"

tmx kill-server
tui_start
tmx send-keys -t t C-c
wait_exit
is "$(cat "$T/exit")" "130" "Ctrl-C quits (status 130)"
like "$(cat "$T/stty")" "[^-]icanon" "the terminal is restored after Ctrl-C"

tmx kill-server
tui_start
tui_kill TERM
wait_exit
is "$(cat "$T/exit")" "143" "SIGTERM quits (status 143)"
like "$(cat "$T/stty")" "[^-]echo " "the terminal is restored after SIGTERM"
done_testing
