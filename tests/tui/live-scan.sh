#!/bin/sh
# With [github] sources configured the TUI runs the scan in its background thread against
# the fake GitHub on loopback: findings appear in the list and the header without a key
# being pressed, the store holds them, and quitting stops the thread cleanly. The token pool
# has a revoked token and one file GitHub will not serve: the scan goes on, and the status
# box says the token was dropped and the file skipped.
. "$AKW_SRCDIR/tests/tui/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
trap 'fake_stop; tui_cleanup' EXIT
TOKEN=ghp_akwatch_test_token_1 # one the fake accepts
BAD=ghp_revoked_token_0000001  # one it answers 401 Bad credentials
cat >"$T/config" <<CONF
[github]
token = $BAD
token = $TOKEN
org = acme
events = on
poll_interval = 1
[assets]
access_key_id = LTAI5tR7xK2mQ9pW4vN8sB3dZ
[notify]
bell = off
CONF
# basic.json, with acme/app's README.md (no leak in it) answering HTML instead of JSON
/usr/bin/python3 - "$AKW_SRCDIR/tests/fakegh/scenarios/basic.json" "$T/scenario.json" <<'PY'
import hashlib, json, sys
sc = json.load(open(sys.argv[1]))
data = sc["repos"]["acme/app"]["files"]["README.md"].encode()
sha = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
sc.setdefault("faults", []).append({"match": "/git/blobs/" + sha, "kind": "malformed",
                                    "times": 1000})
json.dump(sc, open(sys.argv[2], "w"))
PY
fake_start "$T/scenario.json"
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

FAILED_Q="select count(*) from scan_state where key like 'fail:%README.md'"
skipped_told() { # its failed run is in the store (the count follows in the same breath)
    n=$(sqlite3 "$DB" "$FAILED_Q"); [ "$n" = 1 ]
}
tui_wait "the unfetchable file to be recorded" skipped_told
ok $? "the file that cannot be fetched is skipped as the scan goes on"
press m j j j
is "$(dump menu_item)" "Scan status" "the menu has the scan status"
press Enter
is "$(dump dialog_title)" "Scan status" "it opens a box"
s=$(screen)
like "$s" "Found: +[0-9]+ findings" "with the counters"
like "$s" "Skipped: +1 file could not be fetched" "the file that could not be fetched"
like "$s" "Token 1: +dropped \(401 Bad credentials\)" "the revoked token, dropped from the pool"
like "$s" "Token 2: +(core [0-9]+/[0-9]+|budget not known yet)" "and the API budget of the other"
unlike "$s" "$TOKEN" "never a token itself"
unlike "$s" "$BAD" "not even the revoked one"
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
