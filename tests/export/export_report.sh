#!/bin/sh
# export_report — `akwatch export` end to end on a real store: the xlsx read back with
# openpyxl and every Leaks/Locations cell compared with `akwatch list --format json`; csv
# and json read back with python's csv/json and compared the same way; the three formats
# carry the same rows; no raw secret anywhere; mode 0600; refusal to overwrite.
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
CHECK="$AKW_SRCDIR/tests/export/report_check.py"
FILL="$AKW_BUILDDIR/tests/bench/fill_store"
RAW=LTAI5tRAWSECRETplantedXYZ

export AKWATCH_DB="$T/store.db" AKWATCH_NOW=2026-02-01T08:00:00Z
"$FILL" "$AKWATCH_DB" --fixture
ok $? "fixture store built through the store API"
akw list --format json >"$T/list.jsonl"
ok $? "akwatch list --format json"
is "$(wc -l <"$T/list.jsonl" | tr -d ' ')" 4 "the list has the 4 fixture leaks"

# python check lines "0 desc" / "1 desc" / "# detail" -> TAP
pycheck() {
    "$PY" "$CHECK" "$@" >"$T/check.out" 2>&1
    rc=$?
    while IFS= read -r line; do
        case $line in
        "# "*) echo "$line" ;;
        [01]" "*) ok "${line%% *}" "${line#* }" ;;
        *) echo "# $line" ;;
        esac
    done <"$T/check.out"
    ok $rc "report_check $1 ran to the end"
}

cd "$T" || exit 2
# ---- xlsx, default name -------------------------------------------------------
out=$(akw export 2>"$T/err")
ok $? "export (xlsx by default) succeeds"
is "$out" "Report saved to akwatch-report-20260201.xlsx" "default name carries the date"
X="$T/akwatch-report-20260201.xlsx"
is "$(stat -c %a "$X")" 600 "xlsx mode 0600"
pycheck xlsx "$X" "$T/list.jsonl"

# no raw secret anywhere in the file (every zip member, decompressed)
"$PY" -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sys.exit(any(sys.argv[2].encode() in z.read(n) for n in z.namelist()))' "$X" "$RAW"
ok $? "xlsx: the raw secret stored in the db is nowhere in the workbook"
"$PY" -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sys.exit(not any(b"LTAI5t****************XYZ" in z.read(n) for n in z.namelist()))' "$X"
ok $? "xlsx: the masked secret is there (the check above can fail)"

# ---- refusal to overwrite -------------------------------------------------------
sum1=$(cksum <"$X")
akw export 2>"$T/err"
is $? 2 "second export without --force: exit 2"
like "$(cat "$T/err")" "file exists.*--force" "the error says to use --force"
is "$(cksum <"$X")" "$sum1" "the existing file is unchanged"
akw export --force >/dev/null
ok $? "--force replaces it"
is "$(stat -c %a "$X")" 600 "replaced file still 0600"
is "$(ls -A "$T" | grep -c '^\.akwatch-report')" 0 "no temporary file left beside"

# ---- csv folder and json document -------------------------------------------------
akw export --format csv -o "$T/report-csv" >/dev/null
ok $? "export --format csv -o DIR"
pycheck csv "$T/report-csv" "$T/list.jsonl"
grep -q "'=HYPERLINK" "$T/report-csv/audit.csv"
ok $? "csv: a note starting with = is prefixed with ' (formula injection guard)"
grep -q "'=cmd|" "$T/report-csv/locations.csv"
ok $? "csv: a path starting with = is guarded too"
akw export --format csv -o "$T/report-csv" 2>/dev/null
is $? 2 "csv into an existing folder without --force: exit 2"
akw export --format json -o "$T/r.json" >/dev/null
ok $? "export --format json -o FILE"
is "$(stat -c %a "$T/r.json")" 600 "json mode 0600"
pycheck json "$T/r.json" "$T/list.jsonl"
pycheck same "$X" "$T/report-csv" "$T/r.json"
! grep -rq "$RAW" "$T/report-csv" "$T/r.json"
ok $? "csv and json: no raw secret"

# ---- --status filter ----------------------------------------------------------------
akw export --format json --status unhandled -o "$T/u.json" >/dev/null
ok $? "export --status unhandled"
n=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(len(d["sheets"]["leaks"]), {r["status"] for r in d["sheets"]["leaks"]}, d["status_filter"])' "$T/u.json")
is "$n" "1 {'unhandled'} unhandled" "only unhandled leaks exported"
n=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
print([r["value"] for r in d["sheets"]["summary"] if r["item"] == "leaks with status"])' "$T/u.json")
is "$n" "['unhandled']" "the summary says the report is filtered"
akw export --status bogus -o "$T/b.xlsx" 2>/dev/null
is $? 2 "unknown status: exit 2"
akw export --format pdf 2>/dev/null
is $? 2 "unknown format: exit 2"
[ ! -e "$T/b.xlsx" ]
ok $? "nothing written on a usage error"

# ---- --sheets: only the sheets asked for, the Summary still counting everything ---------
akw export --sheets leaks,summary -o "$T/s.xlsx" >/dev/null
ok $? "export --sheets leaks,summary"
"$PY" - "$T/s.xlsx" "$X" >"$T/sheets.out" <<'PY'
import sys, openpyxl
part = openpyxl.load_workbook(sys.argv[1], read_only=True)
full = openpyxl.load_workbook(sys.argv[2], read_only=True)
rows = lambda wb, name: [r for r in wb[name].iter_rows(values_only=True)]
print(part.sheetnames)
print(rows(part, "Leaks") == rows(full, "Leaks"))
# the Summary's counts (not its generation time) equal the full report's
counts = lambda wb: [r for r in rows(wb, "Summary") if isinstance(r[2], int)]
print(counts(part) == counts(full), len(counts(full)) > 10)
PY
is "$(sed -n 1p "$T/sheets.out")" "['Summary', 'Leaks']" "xlsx: only Summary and Leaks, in report order"
is "$(sed -n 2p "$T/sheets.out")" "True" "xlsx: its Leaks sheet equals the full report's, cell for cell"
is "$(sed -n 3p "$T/sheets.out")" "True True" "xlsx: its Summary counts every sheet, as the full report's does"
akw export --format csv --sheets locations --sheets audit -o "$T/s-csv" >/dev/null
ok $? "export --format csv --sheets locations --sheets audit (repeatable)"
is "$(ls "$T/s-csv" | tr '\n' ' ')" "audit.csv locations.csv " "csv: only the files of the sheets asked for"
cmp -s "$T/s-csv/locations.csv" "$T/report-csv/locations.csv"
ok $? "csv: locations.csv equals the full report's"
akw export --format json --sheets calls -o "$T/s.json" >/dev/null
is "$("$PY" -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["sheets"]))' "$T/s.json")" \
    "['calls']" "json: only the member of the sheet asked for"
akw export --sheets leaks,bogus -o "$T/b.xlsx" 2>"$T/err"
is $? 2 "unknown sheet: exit 2"
like "$(cat "$T/err")" "--sheets.*'bogus' is not one of summary, leaks, locations" \
    "the error names the bad key and the valid ones"
[ ! -e "$T/b.xlsx" ]
ok $? "nothing written for an unknown sheet"

done_testing
