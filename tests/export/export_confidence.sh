#!/bin/sh
# The export follows the confidence threshold like the lists: the xlsx (read back with
# openpyxl) holds the leaks at or above [scan] min_confidence, each with its Confidence
# cell, and its Summary says which levels it holds and counts them; --all exports every
# leak; csv and json carry the same column.
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
FILL="$AKW_BUILDDIR/tests/tools/akw_fill"
export AKWATCH_DB="$T/store.db" AKWATCH_NOW=2026-12-01T08:00:00Z
cat >"$T/conf.data" <<'DATA'
[leak]
rule = alibaba-accesskey-id
kind = cloud_accesskey
ak_id = LTAI5tSureSureSureSure01
secret = BAepfJBd0Kh8oOOL8dKLzdocJ2isAj
severity = critical
confidence = high
first_seen = 2026-11-20T10:00:00Z
[location]
platform = github
repo = acme/app
path = conf/prod.yml
line = 3
found_at = 2026-11-20T10:00:00Z
snippet = secret: {masked}

[leak]
rule = password-assignment
kind = generic_secret
secret = Xk9mQ2vLp7zR4tWq
severity = medium
confidence = medium
first_seen = 2026-11-19T10:00:00Z
[location]
platform = github
repo = acme/app
path = conf/app.conf
line = 9
found_at = 2026-11-19T10:00:00Z
snippet = db_password = "{masked}"

[leak]
rule = password-assignment
kind = generic_secret
secret = ExampleDocPass1234
severity = medium
confidence = low
first_seen = 2026-11-18T10:00:00Z
[location]
platform = github
repo = acme/docs
path = guide/setup.md
line = 40
found_at = 2026-11-18T10:00:00Z
snippet = password = "{masked}"
DATA
"$FILL" "$AKWATCH_DB" "$T/conf.data"
ok $? "a store with a high, a medium and a low leak"
cd "$T" || exit 2

# read an xlsx: the Leaks sheet's confidence column, then Summary rows as "section/item=value"
leaks_and_summary() {
    "$PY" - "$1" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = list(wb["Leaks"].iter_rows(values_only=True))
col = rows[0].index("Confidence")
print(",".join(str(r[col]) for r in rows[1:]))
section = None
out = []
for r in wb["Summary"].iter_rows(min_row=2, values_only=True):
    section = r[0] or section
    if section in ("Confidence", "Report") and r[1] != "generated at (UTC)":
        out.append("%s/%s=%s" % (section, r[1], r[2]))
print(" ".join(out))
EOF
}

akw export -o "$T/default.xlsx" >/dev/null
ok $? "export with the default threshold"
got=$(leaks_and_summary "$T/default.xlsx")
is "$(printf '%s\n' "$got" | sed -n 1p)" "high,medium" "xlsx Leaks: the high and the medium leak, with their Confidence cells"
like "$(printf '%s\n' "$got" | sed -n 2p)" "Confidence/high=1 Confidence/medium=1 Confidence/low=0" "xlsx Summary: counts by confidence"
like "$(printf '%s\n' "$got" | sed -n 2p)" "Report/leaks with confidence=medium,high" "xlsx Summary: the levels it holds"

akw export --all -o "$T/all.xlsx" >/dev/null
ok $? "export --all"
got=$(leaks_and_summary "$T/all.xlsx")
is "$(printf '%s\n' "$got" | sed -n 1p)" "high,medium,low" "--all: the low leak too"
like "$(printf '%s\n' "$got" | sed -n 2p)" "Confidence/low=1 .*Report/leaks with confidence=all" "--all: the Summary says all"

mkdir -p "$XDG_CONFIG_HOME/akwatch"
printf '[scan]\nmin_confidence = high\n' >"$XDG_CONFIG_HOME/akwatch/config"
akw export -o "$T/high.xlsx" >/dev/null
is "$(leaks_and_summary "$T/high.xlsx" | sed -n 1p)" "high" "[scan] min_confidence = high: only the high leak"
akw export --format csv -o "$T/csv" >/dev/null
is "$("$PY" -c 'import csv, sys
print(",".join(r["confidence"] for r in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/csv/leaks.csv")" \
    "high" "csv: a confidence column"
akw export --all --format json -o "$T/r.json" >/dev/null
is "$("$PY" -c 'import json, sys
print(",".join(r["confidence"] for r in json.load(open(sys.argv[1]))["sheets"]["leaks"]))' "$T/r.json")" \
    "high,medium,low" "json --all: every leak with its confidence"
printf '[scan]\nmin_confidence = maybe\n' >"$XDG_CONFIG_HOME/akwatch/config"
akw export -o "$T/bad.xlsx" 2>"$T/err"
is $? 2 "a bad min_confidence: exit 2"
[ ! -e "$T/bad.xlsx" ]
ok $? "and nothing written"
done_testing
