#!/bin/sh
# With [github] sources configured the TUI runs the scan in its background thread against
# the fake GitHub on loopback: findings appear in the list and the header without a key
# being pressed, the store holds them, and quitting stops the thread cleanly.
. "$AKW_SRCDIR/tests/tui/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
trap 'fake_stop; tui_cleanup' EXIT
TOKEN=ghp_akwatch_test_token_1 # one the fake accepts
cat >"$T/config" <<'CONF'
[github]
org = acme
events = on
poll_interval = 1
[assets]
access_key_id = LTAI5tR7xK2mQ9pW4vN8sB3dZ
[notify]
bell = off
CONF
fake_start "$AKW_SRCDIR/tests/fakegh/scenarios/basic.json"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN="$TOKEN" AKWATCH_HTTP_TIMEOUT=5
TUI_ARGS="" TUI_ENV="AKWATCH_CONFIG=$T/config GITHUB_TOKEN=$TOKEN AKWATCH_API_URL=$FAKE_URL" \
    tui_start 100 30

rows_seen() { [ "$(dump rows)" -ge 3 ] 2>/dev/null; }
tui_wait "findings to appear without a key" rows_seen
ok $? "the scan thread's findings appear in the list on their own"
is "$(dump keys)" "0" "no key was pressed"
wait_screen "config/application.properties"
ok $? "the org repository's leak is listed"
like "$(screen | head -n1)" "AK leaks:? [3-9]" "the header counts them"
like "$(screen | head -n1)" "Scan:? (idle|running|stopped)" "the header shows the scan state"
is "$("$FILL" --list "$DB" | wc -l)" "$(dump rows)" "the store holds what the list shows"
unlike "$(screen)" "$TOKEN" "the token is never on the screen"

press m j j j
is "$(dump menu_item)" "Scan status" "the menu has the scan status"
press Enter
is "$(dump dialog_title)" "Scan status" "it opens a box"
s=$(screen)
like "$s" "Found: +[0-9]+ findings" "with the counters"
like "$s" "Token 1: +(core [0-9]+/[0-9]+|budget not known yet)" "and the API budget of the token"
unlike "$s" "$TOKEN" "never the token itself"
press x
before=$(fake_count '"path": "/orgs/acme/repos')
press m j j Enter
is "$(dump message)" "Rescan requested." "Rescan now restarts the scan"
more_repos() { [ "$(fake_count '"path": "/orgs/acme/repos')" -gt "$before" ]; }
tui_wait "the org's repositories to be listed again" more_repos
ok $? "every source runs again at once"

press q
if [ "$(dump pane)" = confirm ]; then press y; fi
wait_exit
is "$(cat "$T/exit")" "0" "q stops the scan thread and quits"
like "$(cat "$T/stty")" "[^-]icanon" "the terminal is restored"
done_testing
