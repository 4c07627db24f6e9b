#!/bin/sh
# The confidence in the TUI: the list shows the leaks at or above [scan] min_confidence and
# says how many it hides; c shows them (dimmed) and hides them again; `tui --all` starts
# with them shown; the tab counts follow; a Conf column on wide terminals; the details pane
# names the confidence.
. "$AKW_SRCDIR/tests/tui/lib.sh"
cat >"$T/conf.data" <<'DATA'
[leak]
rule = alibaba-accesskey-id
kind = cloud_accesskey
ak_id = LTAI5tSureSureSureSure01
secret = BAepfJBd0Kh8oOOL8dKLzdocJ2isAj
severity = critical
confidence = high
first_seen = 2026-11-20T10:00:00Z
[location]
platform = github
repo = acme/app
path = conf/prod.yml
line = 3
found_at = 2026-11-20T10:00:00Z
snippet = secret: {masked}

[leak]
rule = password-assignment
kind = generic_secret
secret = Xk9mQ2vLp7zR4tWq
severity = medium
confidence = medium
first_seen = 2026-11-19T10:00:00Z
[location]
platform = github
repo = acme/app
path = conf/app.conf
line = 9
found_at = 2026-11-19T10:00:00Z
snippet = db_password = "{masked}"

[leak]
rule = password-assignment
kind = generic_secret
secret = ExampleDocPass1234
severity = medium
confidence = low
first_seen = 2026-11-18T10:00:00Z
[location]
platform = github
repo = acme/docs
path = guide/setup.md
line = 40
found_at = 2026-11-18T10:00:00Z
snippet = password = "{masked}"
DATA
demo_store "$T/conf.data"

tui_start
is "$(dump rows)" "2" "the list holds the high and the medium leak"
is "$(dump confidence_filter)" "threshold" "at the threshold (medium)"
is "$(dump hidden)" "1" "one leak is hidden"
like "$(screen | sed -n 2p)" "Unhandled \(2\) .*\+1 below medium \(c\)" "the tabs count what is listed and say what is hidden"
unlike "$(screen)" "guide/setup.md" "the low leak is not on screen"
press c
is "$(dump rows)" "3" "c: all three"
is "$(dump confidence_filter)" "all" "c shows every confidence"
like "$(screen | sed -n 2p)" "Unhandled \(3\) .*confidence: all" "the tabs say so"
like "$(screen)" "setup.md" "the low leak is listed"
press G
is "$(dump selected_confidence)" "low" "the oldest row is the low one"
press Enter
like "$(screen)" "Confidence +low" "the details pane names its confidence"
press q c
is "$(dump rows)" "2" "c again hides it"
press q
wait_exit

# wide terminals get a confidence column
tui_start 130 20
screen_is "a Conf column beside the severity (130 columns)" 3 5 <<'SCREEN'
SEV  Conf AK ID / secret             Kind      Repo:path                                           First seen Verified Status
CRIT high LTAI5tSureSureSureSure01   AccessKey acme/app:conf/prod.yml                              2026-11-20 —        Unhandled
MED  med  Xk9m***********q           Secret    acme/app:conf/app.conf                              2026-11-19 —        Unhandled
SCREEN
press q
wait_exit

# --all starts with everything; a stricter threshold from the config
TUI_ARGS="--no-scan --all" tui_start
is "$(dump rows)" "3" "tui --all starts with all three listed"
is "$(dump confidence_filter)" "all" "and says so"
press q
wait_exit
printf '[scan]\nmin_confidence = high\n' >"$T/high.conf"
tui_start 80 24 --config "$T/high.conf"
is "$(dump rows)" "1" "[scan] min_confidence = high: only the high leak"
is "$(dump hidden)" "2" "two hidden"
like "$(screen | sed -n 2p)" "\+2 below high \(c\)" "the tab line names the threshold"
press Tab Tab
is "$(dump rows)" "1" "the All view follows the threshold too"
press q
wait_exit
is "$(cat "$T/exit")" "0" "quits cleanly"
done_testing
