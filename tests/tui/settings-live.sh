#!/bin/sh
# A window saved in the settings pane applies to the running background scan at once (no
# restart of akwatch): with the window closed the scan's alerts are suppressed; after the
# window is cleared (always open) and saved, the scan restarts with it, and a leak pushed
# to the fake GitHub afterwards is alerted through the command hook.
. "$AKW_SRCDIR/tests/tui/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
trap 'fake_stop; tui_cleanup' EXIT
TOKEN=ghp_akwatch_test_token_1 # one the fake accepts
printf '#!/bin/sh\ncat >>"%s/alerts.jsonl"; echo >>"%s/alerts.jsonl"\n' "$T" "$T" >"$T/hook.sh"
chmod +x "$T/hook.sh"
cat >"$T/config" <<CONF
[github]
org = acme
events = on
poll_interval = 1
[notify]
window = 03:00-03:01
tz = UTC
bell = off
command = $T/hook.sh
CONF
chmod 600 "$T/config"
fake_start "$AKW_SRCDIR/tests/fakegh/scenarios/basic.json"
# 12:00 UTC: outside the 03:00-03:01 window
TUI_ARGS="" TUI_ENV="AKWATCH_CONFIG=$T/config GITHUB_TOKEN=$TOKEN AKWATCH_API_URL=$FAKE_URL AKWATCH_NOW=2026-11-20T12:00:00Z AKWATCH_HTTP_TIMEOUT=5" \
    tui_start 100 30

# the store exists once the scan's findings are listed; read it only then, and read-only (a
# sqlite3 that opened the path first would hold a replaced file)
rows_seen() { [ "$(dump rows)" -ge 3 ] 2>/dev/null; }
tui_wait "the scan's findings to be listed" rows_seen
alerts() { sqlite3 -readonly "$DB" "select count(*) from alerts where state = '$1'" 2>/dev/null || echo 0; }
suppressed() { [ "$(alerts suppressed)" -ge 1 ] 2>/dev/null; }
tui_wait "the first scan's alerts to be recorded suppressed" suppressed
ok $? "window closed: the background scan's alerts are suppressed"
is "$(alerts sent)" 0 "none sent"
[ ! -s "$T/alerts.jsonl" ]
ok $? "the hook did not run"

# a push to the org repository: the running scan does not look before its next repos round
fake_reload "$AKW_SRCDIR/tests/fakegh/scenarios/basic_pushed.json"
before=$(fake_count '"path": "/orgs/acme/repos')

press m j
is "$(dump menu_item)" "Notification settings" "the menu entry"
press Enter
press Enter C-u
press Enter
is "$(dump settings_window)" "" "the window cleared (always)"
press s
like "$(dump message)" "Saved to .*; the scan uses it now" "saved, and the scan takes it now"
restarted() { [ "$(fake_count '"path": "/orgs/acme/repos')" -gt "$before" ]; }
tui_wait "the scan to start again" restarted
ok $? "the scan restarted with the new settings"
sent() { [ "$(alerts sent)" -ge 1 ] 2>/dev/null; }
tui_wait "the pushed leak to be alerted" sent
ok $? "the leak pushed after the save is alerted (the window is open now)"
like "$(cat "$T/alerts.jsonl")" 'rm-acme\.mysql\.rds\.aliyuncs\.com' "through the hook: the pushed database leak"
unlike "$(cat "$T/alerts.jsonl")" 'R00tPassw0rdAcme7' "with its password masked"
! grep -q '^window' "$T/config"
ok $? "the file says the same: no window line (always)"

press q q
if [ "$(dump pane)" = confirm ]; then press y; fi
wait_exit
is "$(cat "$T/exit")" "0" "quits cleanly"
done_testing
