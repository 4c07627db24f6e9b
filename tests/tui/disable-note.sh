#!/bin/sh
# Mark a leak disabled manually with a note (CJK text included) from the details pane: the
# store records handled/disabled with the note, the audit log has it, and the list moves on.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
tui_start

press j j j
ak=$(dump selected_ak)
is "$ak" "AKIAUVZHMASQXEZYEX3R" "the AWS key is selected"
press Enter p
is "$(dump stack)" "list,details,processing" "p from the details pane opens processing"
press 2
is "$(dump choice)" "disabled" "2 chooses disabled manually"
type_text "已在控制台禁用 key disabled in IAM"
wait_screen "已在控制台禁用 key disabled in IAM"
ok $? "the note is shown as typed (CJK by display width)"
press BSpace BSpace BSpace BSpace
is "$(dump input)" "已在控制台禁用 key disabled in" "Backspace deletes characters"
type_text " IAM"
press Enter y
is "$(dump stack)" "list,details" "back in the details pane after y"
wait_screen "Disabled"
s=$(screen)
like "$s" "Status +Disabled" "details show the new status"
like "$s" "Note +已在控制台禁用 key disabled in IAM" "and the note"
is "$(store_leak "$ak")" "$(printf 'handled\tdisabled\t已在控制台禁用 key disabled in IAM')" "store: handled/disabled with the note"
like "$(store_audit | tail -n1)" "AKIAUVZHMASQXEZYEX3R.*disabled.*已在控制台禁用" "audit: logged with the note"
press q
is "$(dump rows)" "16" "the list no longer shows it under Unhandled"
unlike "$(screen)" "AKIAUVZHMASQXEZYEX3R" "and it is off the screen"

press p 1
press Escape
is "$(dump pane)" "processing" "Esc at the note prompt cancels the prompt"
press q
is "$(dump pane)" "list" "q leaves processing without a decision"
is "$("$FILL" --list "$DB" | awk -F'\t' '$3 == "handled"' | wc -l)" "6" "store: only one more handled leak"
press q
wait_exit
done_testing
