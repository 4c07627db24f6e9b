#!/bin/sh
# The notification settings pane (menu → Notification settings): edit the [notify] window in
# an input field, save, and only the window line of the config changes (comments and other
# keys kept); an invalid window or days value shows an error on the pane
# and writes nothing. Also: the details pane lists each alert of the leak with its delivery
# state (suppressed outside the window with the reason, sent inside it).
. "$AKW_SRCDIR/tests/tui/lib.sh"

cat >"$T/config" <<'CONF'
# akwatch config: our team's settings
[scan]
store_secrets = off

[notify]
# alert during office hours only
window = 09:00-18:00
days = mon-fri
tz = Asia/Shanghai
bell = off
command = true

# trailing comment
CONF
chmod 600 "$T/config"
cp "$T/config" "$T/config.orig"

# two leaks found at different times: one outside the window (Sunday), one inside (Monday)
mkdir -p "$T/a" "$T/b"
printf 'aliyun.accesskey.id=LTAI5tQ8zKp2Lm9Xw3Rt7YvBn1\naliyun.accesskey.secret=Hq3LmZp8Xw2Rt7YvBn4Kc9Jd6Fs1Ga\n' >"$T/a/app.properties"
printf 'aliyun.accesskey.id=LTAI5tN4bVc7Xz2Qw9Er5Ty8Ui3\naliyun.accesskey.secret=Pz7Kx2Mq9Wn4Lr8Vt3Bs6Hd1Jf5GcR\n' >"$T/b/old.properties"
AKWATCH_CONFIG="$T/config" AKWATCH_NOW=2026-03-01T03:00:00Z akw --db "$DB" scan "$T/a" >/dev/null 2>&1
is "$?" 1 "a leak found on Sunday (outside the window)"
AKWATCH_CONFIG="$T/config" AKWATCH_NOW=2026-03-02T03:00:00Z akw --db "$DB" scan "$T/b" >/dev/null 2>&1
is "$?" 1 "a leak found on Monday 11:00 Shanghai (inside)"

TUI_ENV="AKWATCH_CONFIG=$T/config"
tui_start 100 32
[ "$(dump selected_ak)" = "LTAI5tQ8zKp2Lm9Xw3Rt7YvBn1" ] || press j
press Enter
s=$(screen)
like "$s" "Alerts" "the details pane has an Alerts section"
like "$s" "leak alert: suppressed: [^ ]" "the Sunday alert: suppressed, with the reason"
press q
[ "$(dump sel_index)" = 0 ] && press j || press k
is "$(dump selected_ak)" "LTAI5tN4bVc7Xz2Qw9Er5Ty8Ui3" "the Monday leak"
press Enter
like "$(screen)" "leak alert: sent at 2026-03-02 03:00 \(command\)" "the Monday alert: sent at, by which channel"
press q

press m j
is "$(dump menu_item)" "Notification settings" "the menu entry"
press Enter
is "$(dump pane)" "settings" "opens the settings pane"
s=$(screen)
like "$s" "Window +09:00-18:00" "shows the window"
like "$s" "Days +mon-fri" "the days"
like "$s" "Time zone +Asia/Shanghai" "the time zone"
like "$s" "Config file: .*config" "and the file it saves to"

press Enter
is "$(dump pane)" "input" "Enter edits the window in an input field"
press C-u
type_text "22:00-06:00"
press Enter
is "$(dump settings_window)" "22:00-06:00" "the new window"
is "$(dump settings_error)" "" "valid"
cmp -s "$T/config" "$T/config.orig"
ok $? "nothing written before s"
press s
like "$(dump message)" "Saved to" "s saves"
diff "$T/config.orig" "$T/config" >"$T/diff"
cat >"$T/want" <<'DIFF'
7c7
< window = 09:00-18:00
---
> window = 22:00-06:00
DIFF
diff -u "$T/want" "$T/diff" >"$T/diff2"
ok $? "only the window line changed; comments and every other line kept"
sed 's/^/#   /' "$T/diff2"
is "$(stat -c %a "$T/config")" 600 "the file keeps mode 0600"
AKWATCH_CONFIG="$T/config" akw config check >/dev/null 2>&1
is "$?" 0 "the saved config loads"
cp "$T/config" "$T/config.saved"

press Enter C-u
type_text "25:00-99:00"
press Enter
like "$(dump settings_error)" "HH:MM-HH:MM" "an invalid window is an error"
like "$(screen)" "expected a time window HH:MM-HH:MM" "shown on the pane"
press s
like "$(dump message)" "Not saved" "s refuses"
cmp -s "$T/config" "$T/config.saved"
ok $? "an invalid window writes nothing"

press Enter C-u
type_text "08:00-20:00"
press Enter j Enter C-u
type_text "funday"
press Enter
is "$(dump settings_field)" 1 "the days field"
like "$(dump settings_error)" "days" "invalid days are an error too (the notifier's parser)"
press s
cmp -s "$T/config" "$T/config.saved"
ok $? "and write nothing"

press q
is "$(dump pane)" "list" "q closes the settings"
press q
wait_exit
is "$(cat "$T/exit")" 0 "exit 0"
done_testing
