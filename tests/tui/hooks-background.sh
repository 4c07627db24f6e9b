#!/bin/sh
# [actions] hooks run in the background: while a slow hook runs the UI keeps answering
# (moving, deciding another leak); a hook past [actions] hook_timeout is killed with its
# whole process group and reported; quitting with hooks running waits for them, a second q
# kills them; every outcome is a row of the audit log.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
mkfifo "$T/fifo"
# on_deleted: a child in the background (same group) that would outlive a plain kill
cat >"$T/slow.sh" <<SH
#!/bin/sh
sleep 20 &
echo \$! >"$T/child.pid"
echo started
wait
SH
chmod +x "$T/slow.sh"
cat >"$T/config" <<CONF
[actions]
on_deleted = $T/slow.sh
on_disabled = read line <"$T/fifo"; echo "got \$line"
CONF
TUI_ENV="AKWATCH_CONFIG=$T/config" tui_start

ak1=$(dump selected_ak)
press p 1 Enter y
wait_screen "Hook: running on_deleted… "
ok $? "the processing pane shows the hook running, with its seconds"
is "$(dump hooks_running)" 1 "one hook runs"
press q
before=$(dump selected)
press j
after=$(dump selected)
test -n "$after" && test "$after" != "$before"
ok $? "while it runs the list moves ($before -> $after)"
wait_screen "$(dump selected_ak)"
ok $? "and the screen shows the new row"
is "$(dump hooks_running)" 1 "the hook is still running"

ak2=$(dump selected_ak)
press p 2 Enter y
wait_screen "Hook: running on_disabled… "
ok $? "a second leak is decided while the first hook runs"
is "$(dump hooks_running)" 2 "both hooks run"
like "$(store_leak "$ak1")" "^handled	deleted" "store: the first decision is made"
like "$(store_leak "$ak2")" "^handled	disabled" "store: and the second"

press q q
is "$(dump quit_pending)" 1 "q with hooks running does not quit at once"
like "$(dump message)" "2 hooks are still running: quitting when they end \(at most 30 s\); q again kills them" \
    "and says so"
echo go >"$T/fifo" # the second hook ends; the UI waits on for the first
tui_wait "the on_disabled hook to end" dump_has "hooks_running=1"
ok $? "one hook ended, one runs"
like "$(store_audit | grep hook-disabled)" "^[0-9]+	$ak2	[^	]+	hook-disabled	on_disabled done \(exit 0\): got go$" \
    "audit: the ended hook's outcome"
exited
ok $((!$?)) "and the UI waits for the other"
press q
wait_exit
is "$(cat "$T/exit")" 0 "the second q kills it and quits"
like "$(store_audit | grep hook-deleted)" "^[0-9]+	$ak1	[^	]+	hook-deleted	on_deleted killed at quit after [0-9]+ s: started$" \
    "audit: the killed hook's outcome"
# gone, or a zombie its new parent has not reaped yet
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ]; }
gone "$(cat "$T/child.pid")"
ok $? "its whole process group was killed (the background sleep too)"

# a hook past the configured timeout
cat >"$T/config" <<CONF
[actions]
hook_timeout = 2
on_disabled = echo working; exec sleep 60
CONF
TUI_ENV="AKWATCH_CONFIG=$T/config" tui_start
ak3=$(dump selected_ak)
press p 2 Enter y
wait_screen "Hook: on_disabled killed after 2 s: working"
ok $? "a hung hook is killed at hook_timeout and reported in the pane"
like "$(dump message)" "$ak3: on_disabled killed after 2 s: working" "and on the status line"
is "$(dump hooks_running)" 0 "nothing runs any more"
like "$(store_audit | tail -n1)" "^[0-9]+	$ak3	[^	]+	hook-disabled	on_disabled killed after 2 s: working$" \
    "audit: the timeout is recorded"
press q q
wait_exit
is "$(cat "$T/exit")" 0 "with no hook running q quits at once"
done_testing
