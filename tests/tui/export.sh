#!/bin/sh
# `e` (and the menu) writes the xlsx report through src/export: a path prompt with the
# default name, progress, the "Done" box with the saved path, a question before replacing
# an existing file. The workbook holds the store's leaks, masked.
. "$AKW_SRCDIR/tests/tui/lib.sh"
demo_store
TUI_ENV="AKWATCH_NOW=2026-11-25T12:00:00Z" tui_start

press e
is "$(dump pane)" "input" "e asks where to save the report"
is "$(dump input)" "akwatch-report-20261125.xlsx" "the default name carries the date"
press Enter
is "$(dump pane)" "message" "the Done box opens"
is "$(dump dialog_title)" "Done" "titled Done"
wait_screen "Report saved to akwatch-report-20261125.xlsx"
ok $? "it names the saved file"
press x
is "$(dump pane)" "list" "any key closes it"
f="$T/akwatch-report-20261125.xlsx"
test -f "$f"
ok $? "the workbook exists"
is "$(stat -c %a "$f")" "600" "it is private (0600)"
/usr/bin/python3 - "$f" >"$T/xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(" ".join(wb.sheetnames))
leaks = wb["Leaks"]
rows = list(leaks.iter_rows(values_only=True))
print(len(rows) - 1)
print("raw-secret" if any("BAepfJBd0Kh8oOOL8dKLzdocJ2isAj" in str(c) for r in rows for c in r) else "masked")
PY
ok $? "openpyxl reads it"
like "$(sed -n 1p "$T/xlsx")" "Summary Leaks Locations" "sheets Summary, Leaks, Locations..."
is "$(sed -n 2p "$T/xlsx")" "24" "every leak is in the Leaks sheet"
is "$(sed -n 3p "$T/xlsx")" "masked" "no raw secret in the workbook"

press m Enter
is "$(dump pane)" "input" "the menu's export entry asks too"
press Enter
is "$(dump pane)" "confirm" "an existing file: asks before replacing it"
wait_screen "akwatch-report-20261125.xlsx exists. Replace it?"
ok $? "the question names the file"
press y
is "$(dump dialog_title)" "Done" "y replaces it: Done"
press x
press e C-u
type_text "sub/none/report.xlsx"
press Enter
is "$(dump pane)" "list" "a folder that does not exist: no Done box"
like "$(dump message)" "^Export failed: " "the error is on the status line"
press q
wait_exit
is "$(cat "$T/exit")" "0" "quits cleanly"
done_testing
