#!/bin/sh
# The TUI redraws on resize: wider columns at 120x40, still usable at 60x15, and back to
# 80x24 with the selection kept.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
tui_start

press j j
tmx resize-window -t t -x 120 -y 40
tui_wait "the UI sees 120 columns" dump_has "cols=120"
tui_wait "and 40 lines" dump_has "lines=40"
wait_screen "Platform: GitHub"
ok $? "the wide header uses the long form"
s=$(screen)
like "$s" "acme-pay/settlement-jobs:deploy/oss-upload.sh" "repo:path is shown whole when it fits"
is "$(dump selected_ak)" "LTAI5tCsMehGAkWvj7FAc9Qe" "the selection is kept"
is "$(screen | grep -c 'Unhandled$')" "17" "all 17 unhandled rows fit in 40 lines"

tmx resize-window -t t -x 60 -y 15
tui_wait "the UI sees 60 columns" dump_has "cols=60"
s=$(screen)
is "$(echo "$s" | wc -L)" "60" "the screen is redrawn 60 columns wide"
like "$s" "HIGH LTAI5tCsMehGAkWvj… AccessKey" "the selected key is still visible, cut with an ellipsis"
press j
is "$(dump sel_index)" "3" "keys work at 60x15"

tmx resize-window -t t -x 80 -y 24
tui_wait "back at 80x24" dump_has "cols=80"
screen_is "back at 80x24: header and titles redrawn" 1 3 <<'SCREEN'
 AK leaks 24 | Call alerts 0 | GitHub | Last 2026-11-25 01:15 | Scan off
 Unhandled (17)   Handled (7)   All (24)                              sort: time
SEV  AK ID / secret           Kind      Repo:path    First seen Ver  Status
SCREEN
press q
wait_exit
is "$(cat "$T/exit")" "0" "quits cleanly after resizing"
done_testing
