#!/bin/sh
# [actions] hooks: deciding "disabled" runs on_disabled with AKWATCH_AK_ID, AKWATCH_LEAK_ID
# and AKWATCH_ACTION (never the secret); its outcome is shown and appended to the note in
# the store. A failing hook is reported, and the decision (made by hand) still stands.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
cat >"$T/hook.sh" <<'SH'
#!/bin/sh
env | grep -E '^AKWATCH_(AK_ID|LEAK_ID|ACTION)=' | sort >"$(dirname "$0")/hook.env"
env >"$(dirname "$0")/hook.allenv"
echo "ticket SEC-1042 opened"
SH
chmod +x "$T/hook.sh"
cat >"$T/config" <<CONF
[actions]
on_disabled = $T/hook.sh
on_deleted = echo cannot reach the CMDB >&2; exit 3
CONF
TUI_ENV="AKWATCH_CONFIG=$T/config" tui_start

press j
ak=$(dump selected_ak)
id=$(dump selected)
press p
wait_screen "hook: $T/hook.sh"
ok $? "processing shows the configured hook"
press 2
type_text "rotated"
press Enter y
wait_screen "hook exit 0: ticket SEC-1042 opened"
ok $? "the hook's outcome is on the status line"
is "$(cat "$T/hook.env")" "$(printf 'AKWATCH_ACTION=disabled\nAKWATCH_AK_ID=%s\nAKWATCH_LEAK_ID=%s' "$ak" "$id")" \
    "the hook got the AK ID, the leak id and the action"
unlike "$(cat "$T/hook.allenv")" "KdNnFRIBXuDL7DxtpYlSXpfKtHF4vU|\*\*\*\*" "and neither the secret nor its masked form"
is "$(store_leak "$ak")" "$(printf 'handled\tdisabled\trotated [hook disabled: exit 0: ticket SEC-1042 opened]')" \
    "store: the note records the hook's outcome"

press p 1
press Enter y
wait_screen "hook exit 3: cannot reach the CMDB"
ok $? "a failing hook is reported"
like "$(dump message)" "Deleted manually; hook exit 3" "the decision is still made (by hand)"
like "$(store_audit | tail -n1)" "deleted.*\[hook deleted: exit 3: cannot reach the CMDB\]" "audit: the failure is recorded"
press q
wait_exit
done_testing
