#!/bin/sh
# Alerts from `akwatch scan` on the real binary: a loopback webhook receiver, fixed clocks
# inside and outside an overnight window across the New York DST change, the command hook,
# digest mode, and no raw secret in any payload.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
DB="$XDG_DATA_HOME/akwatch/akwatch.db"
CONF="$XDG_CONFIG_HOME/akwatch/config"
mkdir -p "$(dirname "$CONF")"
. "$AKW_SRCDIR/tests/notify/receiver.sh"
cat >"$T/hook.sh" <<EOS
#!/bin/sh
{ echo "\$AKWATCH_ALERT_TYPE \$AKWATCH_AK_ID \$AKWATCH_SECRET_MASKED"; cat; echo; } >>"$T/hook.out"
EOS
chmod +x "$T/hook.sh"
conf() { # conf WINDOW DIGEST
    printf '; team config\n[scan]\nskip = node_modules/\n\n[notify]\nwindow = %s\ndays = mon-fri\ntz = America/New_York\n' "$1" >"$CONF"
    printf 'webhook = %s\nwebhook_format = slack\ncommand = %s\ndigest = %s\n' "$HOOK" "$T/hook.sh" "$2" >>"$CONF"
}

# --- inside: Tue 2026-03-10 05:30 EDT (09:30Z), Monday's overnight window ----------------
conf 22:00-06:00 off
plant proj
AKWATCH_NOW=2026-03-10T09:30:00Z akw --quiet scan proj >/dev/null; rc=$?
is "$rc" 1 "scan still exits 1 with unhandled findings"
is "$(posts)" 3 "three new leaks: three webhook messages before scan exits"
cap=$(cat "$T/capture")
like "$cap" '"body": "\{\\"text\\": ?\\"akwatch: new leak' "slack format"
unlike "$cap" "$AK_SECRET|$DB_PASS" "no raw secret in the webhook bodies"
is "$(grep -c '^leak ' "$T/hook.out")" 3 "the command hook ran for each, alert in its environment"
unlike "$(cat "$T/hook.out")" "$AK_SECRET|$DB_PASS" "no raw secret in the hook's env or stdin"
is "$(sqlite3 "$DB" "select count(*) from alerts where type='leak' and state='sent' and channel='webhook,command,bell'")" 3 "alerts recorded as sent through every channel"

AKWATCH_NOW=2026-03-10T09:40:00Z akw --quiet scan proj >/dev/null
is "$(posts)" 3 "rescan: the same leaks do not alert again"

# --- outside: 06:30 EDT (10:30Z) is past the window (it would be inside in EST) ----------
printf 'aws_secret_access_key_id = AKIAQ3EGVQ2XKP7ZLM4N\n' >proj/more.env
AKWATCH_NOW=2026-03-10T10:30:00Z akw --quiet scan proj >/dev/null
is "$(posts)" 3 "outside the window nothing is sent"
like "$(sqlite3 "$DB" "select state||': '||suppressed_reason from alerts order by id desc limit 1")" \
    "^suppressed: outside the notification window \(22:00-06:00 mon,tue,wed,thu,fri America/New_York\); not sent later; opens at 2026-03-11T02:00:00Z" \
    "suppressed with the reason and the next opening (22:00 EDT)"
AKWATCH_NOW=2026-03-11T02:30:00Z akw --quiet scan proj >/dev/null
is "$(posts)" 3 "when the window opens again the suppressed alert is not sent (no digest)"

# --- digest: suppressed alerts summarised once when the window opens ------------------------
conf 22:00-06:00 on
printf 'aws_access_key_id = AKIAZ7TQ4MVN2KD8XR5W\n' >proj/third.env
AKWATCH_NOW=2026-03-11T12:00:00Z akw --quiet scan proj >/dev/null
like "$(sqlite3 "$DB" "select suppressed_reason from alerts order by id desc limit 1")" \
    "in the digest sent when it opens at 2026-03-12T02:00:00Z" "digest mode: suppressed for the digest"
n=$(posts)
AKWATCH_NOW=2026-03-12T02:05:00Z akw --quiet scan proj >/dev/null
is "$(posts)" $((n + 1)) "the first scan inside the window sends one digest"
like "$(tail -n 1 "$T/capture")" "akwatch digest: [0-9]+ alerts suppressed" "the digest message"
AKWATCH_NOW=2026-03-12T02:10:00Z akw --quiet scan proj >/dev/null
is "$(posts)" $((n + 1)) "and only once"
is "$(sqlite3 "$DB" "select count(*) from alerts where type='digest' and state='sent'")" 1 "the digest is recorded as sent"

# --- a bad [notify] is refused before scanning ----------------------------------------------
printf '[notify]\nwebhook = http://hooks.example.com/x\n' >"$CONF"
before=$(sqlite3 "$DB" 'select count(*) from leaks')
printf 'aws_access_key_id = AKIAV4HNB7WQ3JZ6TP2C\n' >proj/fourth.env
akw --quiet scan proj >/dev/null 2>"$T/err"; rc=$?
is "$rc" 2 "a plain-http remote webhook fails the scan"
like "$(cat "$T/err")" "loopback" "with the reason"
is "$(sqlite3 "$DB" 'select count(*) from leaks')" "$before" "and nothing was stored"
done_testing
