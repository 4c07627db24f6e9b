#!/bin/sh
# akwatch notify status|test: the window as it stands at a fixed "now" (overnight, DST), the
# channels, and a test alert through a loopback webhook and a command hook.
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
CONF="$T/config"
export AKWATCH_CONFIG="$CONF" AKWATCH_DB="$T/akwatch.db"
. "$AKW_SRCDIR/tests/notify/receiver.sh"

printf '[notify]\nwindow = 22:00-06:00\ndays = mon-fri\ntz = Europe/Berlin\nwebhook = %s\nwebhook_format = dingtalk\ndigest = on\n' "$HOOK" >"$CONF"
# Fri 2026-03-27 23:30 CET: inside; Sun 2026-03-29 04:30 CEST (after spring forward): outside
out=$(AKWATCH_NOW=2026-03-27T22:30:00Z akw notify status)
like "$out" "window: +22:00-06:00 mon,tue,wed,thu,fri Europe/Berlin" "status names the window"
like "$out" "now: +inside" "friday night is inside"
like "$out" "channels: webhook\(dingtalk\),bell" "channels listed"
out=$(AKWATCH_NOW=2026-03-29T02:30:00Z akw notify status)
like "$out" "now: +outside \(alerts are suppressed and summarised in a digest\); opens at 2026-03-30T20:00:00Z" \
    "sunday is outside; opens monday 22:00 CEST"

out=$(akw notify test); rc=$?
is "$rc" 0 "notify test exits 0"
like "$out" "test alert sent through webhook\(dingtalk\),bell" "and says where"
like "$(cat "$T/capture")" '\\"msgtype\\": ?\\"text\\".*akwatch: test alert' "the receiver got a DingTalk text message"
is "$(sqlite3 "$T/akwatch.db" 'select count(*) from alerts' 2>/dev/null || echo 0)" 0 "nothing stored"

printf '#!/bin/sh\necho "$AKWATCH_ALERT_TYPE" >"%s/hook.out"; cat >>"%s/hook.out"; exit 0\n' "$T" "$T" >"$T/hook.sh"
chmod +x "$T/hook.sh"
printf '[notify]\ncommand = %s\nbell = off\n' "$T/hook.sh" >"$CONF"
akw --quiet notify test; is "$?" 0 "command hook test"
like "$(cat "$T/hook.out")" '^test' "the hook got AKWATCH_ALERT_TYPE=test"
like "$(cat "$T/hook.out")" '"type":"test"' "and the JSON on stdin"
printf '[notify]\ncommand = /bin/false\nbell = off\n' >"$CONF"
akw notify test 2>"$T/err"; rc=$?
is "$rc" 2 "a failing hook makes notify test exit 2"
like "$(cat "$T/err")" "command /bin/false: exit status 1" "with the reason"
printf '[notify]\nbell = off\n' >"$CONF"
akw notify test 2>"$T/err"; rc=$?
is "$rc" 2 "no channel: exit 2"
like "$(cat "$T/err")" "no notification channel configured" "with the reason"
done_testing
