#!/bin/sh
# [actions] hooks: deciding "disabled" runs on_disabled with AKWATCH_AK_ID, AKWATCH_LEAK_ID
# and AKWATCH_ACTION (never the secret); its outcome is shown in the processing pane and on
# the status line, and recorded as an audit row of its own (hook-disabled). A failing hook
# is reported, and the decision (made by hand) still stands.
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
wait_screen "Hook: on_disabled done (exit 0): ticket SEC-1042 opened"
ok $? "the processing pane shows the hook's outcome"
like "$(dump message)" "on_disabled done \(exit 0\): ticket SEC-1042 opened" "and the status line too"
is "$(cat "$T/hook.env")" "$(printf 'AKWATCH_ACTION=disabled\nAKWATCH_AK_ID=%s\nAKWATCH_LEAK_ID=%s' "$ak" "$id")" \
    "the hook got the AK ID, the leak id and the action"
unlike "$(cat "$T/hook.allenv")" "KdNnFRIBXuDL7DxtpYlSXpfKtHF4vU|\*\*\*\*" "and neither the secret nor its masked form"
is "$(store_leak "$ak")" "$(printf 'handled\tdisabled\trotated')" "store: the decision and its note"
like "$(store_audit | tail -n1)" "^$id	$ak	[^	]+	hook-disabled	on_disabled done \(exit 0\): ticket SEC-1042 opened\$" \
    "audit: the hook's outcome is a row of its own"

press q
ak2=$(dump selected_ak)
press p 1
press Enter y
wait_screen "Hook: on_deleted failed (exit 3): cannot reach the CMDB"
ok $? "a failing hook is reported"
like "$(store_leak "$ak2")" "^handled	deleted" "the decision is still made (by hand)"
like "$(store_audit | tail -n1)" "hook-deleted	on_deleted failed \(exit 3\): cannot reach the CMDB" "audit: the failure is recorded"
press q q
wait_exit
done_testing
