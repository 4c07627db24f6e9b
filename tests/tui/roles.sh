#!/bin/sh
# roles — the TUI under least privilege (`akwatch store roles`) on a private PostgreSQL
# cluster: victor (akwatch_viewer) opens the list and the details, and a decision he
# confirms is refused with the one line naming what he lacks, the leak and the audit log
# as they were; alice (akwatch_analyst) takes the same decision and it is hers.
TUI_ON_POSTGRESQL=1 # tests/tui/lib.sh starts the cluster (a TAP skip without the server)
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
OWNER=$DB
akw --db "$OWNER" store roles --apply >/dev/null 2>&1
ok $? "the roles are made"
pg_sql "$OWNER" "CREATE ROLE victor LOGIN IN ROLE akwatch_viewer;
  CREATE ROLE alice LOGIN IN ROLE akwatch_analyst"
as_role() { echo "postgresql://$1@/akw?host=$PG_DIR"; }

DB=$(as_role victor)
tui_start
n0=$(dump rows)
ok $([ "${n0:-0}" -gt 0 ]; echo $?) "victor (viewer) sees the list: $n0 unhandled rows"
ak=$(dump selected_ak)
audit0=$(store_audit | wc -l)
before=$(store_leak "$ak")
press p 2 Enter
is "$(dump pane)" "confirm" "victor is asked to confirm 'disabled' for $ak"
press y
wait_screen "permission denied"
ok $? "the decision is refused"
is "$(dump message)" \
    "permission denied: role victor (akwatch_viewer) may not update leaks: triage needs akwatch_analyst" \
    "with the one line naming what he lacks"
is "$(store_leak "$ak")" "$before" "the leak is as it was"
is "$(store_audit | wc -l)" "$audit0" "and the audit log too"
is "$(dump rows)" "$n0" "the list still holds it"
press q
press q
wait_exit
is "$(cat "$T/exit")" 0 "victor's TUI quits cleanly"

DB=$(as_role alice)
tui_start
is "$(dump selected_ak)" "$ak" "alice (analyst) sees the same leak first"
press p 2 Enter y
tui_wait "the list to drop it" sh -c "[ \"\$(sed -n 's/^rows=//p' '$DUMP' | head -n1)\" = $((n0 - 1)) ]"
ok $? "alice's decision is taken"
like "$(store_leak "$ak")" "disabled" "the leak is disabled"
like "$(store_audit | grep "$ak")" "alice" "and the audit log names alice"
is "$(dump stack)" "list" "back in the list"
press q
wait_exit
done_testing
