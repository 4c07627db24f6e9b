#!/bin/sh
# Live verification in the TUI: the list's verification column (— until checked), `V`
# re-checks the selected leak on a thread of its own ("checking…" while the provider has not
# answered, then the outcome, stored), and `v` filters the list by the outcome. The provider
# is the loopback fake (tests/fakeprov) that recomputes Alibaba's signature; a silent
# listener holds a request open so "checking…" can be seen without timing.
. "$AKW_SRCDIR/tests/tui/lib.sh"

FAKE="$AKW_SRCDIR/tests/fakeprov/fakeprov.py"
ALI_LIVE=LTAI5tQ8zKp2Lm9Xw3Rt7YvBn1
ALI_SECRET=Hq3LmZp8Xw2Rt7YvBn4Kc9Jd6Fs1Ga
ALI_DEAD=LTAI5tN4bVc7Xz2Qw9Er5Ty8Ui3
ALI_WRONG=Pz7Kx2Mq9Wn4Lr8Vt3Bs6Hd1Jf5GcR
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; tui_cleanup' EXIT

wait_file() { i=0; while [ ! -s "$1" ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done; }
/usr/bin/python3 "$FAKE" --provider alibaba --log "$T/ali.log" --port-file "$T/ali.port" \
    --key "$ALI_LIVE,$ALI_SECRET" &
pids="$pids $!"
# the silent provider: accepts, reads, answers nothing until $T/release exists, then closes
/usr/bin/python3 - "$T/hold.port" "$T/release" <<'PY' &
import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    c, _ = s.accept()
    while not os.path.exists(sys.argv[2]): time.sleep(0.02)
    c.close()
PY
pids="$pids $!"
wait_file "$T/ali.port"
wait_file "$T/hold.port"

mkdir -p "$T/src"
printf 'aliyun.accesskey.id=%s\naliyun.accesskey.secret=%s\n' "$ALI_LIVE" "$ALI_SECRET" \
    >"$T/src/app.properties"
printf 'aliyun.accesskey.id=%s\naliyun.accesskey.secret=%s\n' "$ALI_DEAD" "$ALI_WRONG" \
    >"$T/src/old.properties"
write_config() { # write_config ALIBABA_PORT
    printf '[scan]\nstore_secrets = on\n[verify]\nalibaba_endpoint = http://127.0.0.1:%s\n' \
        "$1" >"$T/config"
}
write_config "$(cat "$T/ali.port")"
export AKWATCH_NOW=2026-03-04T08:00:00Z
AKWATCH_CONFIG="$T/config" akw --db "$DB" scan "$T/src" >/dev/null 2>&1
is "$?" 1 "the scan stores both key pairs"
stored() { # stored AK_ID -> its verification state in the store
    AKWATCH_CONFIG="$T/config" akw --db "$DB" list --format json |
        /usr/bin/python3 -c 'import json,sys
for line in sys.stdin:
    l = json.loads(line)
    if l.get("ak_id") == sys.argv[1]:
        v = l.get("verified")
        print((v.get("state") if isinstance(v, dict) else v) or "-")' "$1"
}
is "$(stored "$ALI_LIVE")" "-" "nothing is checked before V"

TUI_ENV="AKWATCH_CONFIG=$T/config AKWATCH_NOW=$AKWATCH_NOW"
tui_start 80 24
is "$(dump rows)" 2 "both leaks listed"
like "$(screen)" "Ver" "the list has a verification column"
is "$(screen | grep -c 'LTAI5t.* — ')" 2 "both rows show — (never checked)"
[ "$(dump selected_ak)" = "$ALI_LIVE" ] || press j
is "$(dump selected_ak)" "$ALI_LIVE" "the live key is selected"

press V
wait_screen "LIVE"
like "$(dump message)" "live" "the outcome replaces checking…"
is "$(dump recheck)" 0 "the job is done"
is "$(dump selected_verified)" "live" "the list row shows live"
is "$(stored "$ALI_LIVE")" "live" "the outcome is stored"
unlike "$(screen)" "$ALI_SECRET" "the secret is never on the screen"

if [ "$(dump sel_index)" = 0 ]; then press j; else press k; fi
is "$(dump selected_ak)" "$ALI_DEAD" "the other key is selected"
press V
wait_screen "dead"
is "$(dump selected_verified)" "invalid" "the wrong secret is invalid"
is "$(stored "$ALI_DEAD")" "invalid" "and stored"

press v
is "$(dump verify_filter)" "live" "v: only live keys"
is "$(dump rows)" 1 "one live key"
is "$(dump selected_ak)" "$ALI_LIVE" "the live one"
like "$(screen | head -n3)" "verified: live" "the filter is shown by the tabs"
press v
is "$(dump verify_filter)" "invalid" "v: invalid"
is "$(dump selected_ak)" "$ALI_DEAD" "the dead one"
press v
is "$(dump verify_filter)" "unknown" "v: unknown"
is "$(dump rows)" 0 "none unknown yet"
like "$(screen)" "No leak with this verification state" "the empty list says why"
press v
is "$(dump verify_filter)" "unchecked" "v: unchecked"
is "$(dump rows)" 0 "none unchecked"
press v
is "$(dump verify_filter)" "all" "v: back to all"
is "$(dump rows)" 2 "both again"

# the details pane re-checks too; a provider that does not answer shows checking… meanwhile
press q
wait_exit
write_config "$(cat "$T/hold.port")"
tui_start 80 24
[ "$(dump selected_ak)" = "$ALI_LIVE" ] || press j
press Enter
is "$(dump pane)" "details" "the details pane"
like "$(screen)" "Verified +live" "shows the stored outcome"
press V
like "$(dump message)" "checking…" "checking… while the provider is silent"
like "$(screen)" "checking…" "on the screen too"
press j k
is "$(dump recheck)" "$(dump details_id)" "keys still work while it checks (the UI never blocks)"
like "$(screen | tail -n 1)" "Leak [0-9]+: checking…" "the status line still says checking… after those keys"
: >"$T/release"
tui_wait "the re-check ends" sh -c "grep -qx 'recheck=0' '$DUMP'"
like "$(dump message)" "unknown" "a closed connection is unknown"
like "$(screen)" "Verified +unknown" "the details pane reloads with the new outcome"
is "$(stored "$ALI_LIVE")" "unknown" "stored"
press q q
wait_exit
is "$(cat "$T/exit")" 0 "exit 0"
done_testing
