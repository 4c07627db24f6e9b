#!/bin/sh
# The confidence of findings everywhere the CLI shows them (scan text/json/tsv/sarif, list
# table/json/tsv, show), and the threshold: findings below [scan] min_confidence (or
# --min-confidence) are recorded but not printed, not counted in scan's exit status nor in
# list, until --all; `config check` names a bad value by file:line.
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
mkdir -p proj "$XDG_CONFIG_HOME/akwatch"
CONF="$XDG_CONFIG_HOME/akwatch/config"
AWS_ID=AKIAQ3EGRIPJ4LZ5W6XA
# a generic password assignment (medium) and an AWS key pair (high)
printf 'db_password = "Xk9#mQ2vLp7zR4tW"\n' >proj/app.conf
printf 'aws_access_key_id = %s\naws_secret_access_key = 9cQx2bV7nM4kL8pZ1rT6yW3eU5iO0aS2dF4gH7jK\n' \
    "$AWS_ID" >proj/creds

# --- shown in every scan format -------------------------------------------------------
out=$(akw scan --no-store proj 2>/dev/null); rc=$?
is "$rc" 1 "default threshold (medium): both reported, exit 1"
like "$out" "proj/app.conf:1:[0-9]+: medium password-assignment .* confidence=medium" "text: the generic one is medium"
like "$out" "proj/creds:2:[0-9]+: critical aws-access-key-id .* ak_id=$AWS_ID confidence=high" "text: the AWS pair is high"
json=$(akw scan --no-store --format json proj 2>/dev/null)
is "$(printf '%s\n' "$json" | "$PY" -c 'import sys, json
print(",".join(sorted(json.loads(l)["rule"] + "=" + json.loads(l)["confidence"] for l in sys.stdin)))')" \
    "aws-access-key-id=high,password-assignment=medium" "json: a confidence field on each finding"
tsv=$(akw scan --no-store --format tsv proj 2>/dev/null)
is "$(printf '%s\n' "$tsv" | head -1 | awk -F'\t' '{print $NF}')" "confidence" "tsv: the last column is confidence"
is "$(printf '%s\n' "$tsv" | awk -F'\t' 'NR > 1 {print $4 "=" $NF}' | sort | tr '\n' ,)" \
    "aws-access-key-id=high,password-assignment=medium," "tsv: one value per finding"
akw scan --no-store --format sarif proj >"$T/out.sarif" 2>/dev/null
is "$("$PY" - "$T/out.sarif" <<'EOF'
import sys, json
run = json.load(open(sys.argv[1]))["runs"][0]
print(",".join(sorted("%s=%s/%g" % (r["ruleId"], r["properties"]["confidence"], r["rank"])
                      for r in run["results"])))
EOF
)" "aws-access-key-id=high/90,password-assignment=medium/60" "sarif: properties.confidence and result.rank (0-100)"

# --- the threshold -----------------------------------------------------------------------
printf '[scan]\nmin_confidence = high\n' >"$CONF"
out=$(akw scan proj 2>"$T/err"); rc=$?
is "$rc" 1 "min_confidence = high: the AWS pair still fails the scan"
is "$(printf '%s\n' "$out" | grep -c .)" 1 "only the high finding is printed"
unlike "$out" "password-assignment" "the medium one is not"
like "$(cat "$T/err")" "2 files .* scanned, 1 finding, 1 leak left unhandled" "the summary counts what was reported"
like "$(cat "$T/err")" "not reported: 1 below the confidence threshold high \(--all shows them\)" "and says what it left out, and how to see it"
is "$(sqlite3 "$XDG_DATA_HOME/akwatch/akwatch.db" "select rule || '=' || confidence from leaks order by rule" | tr '\n' ,)" \
    "aws-access-key-id=3,password-assignment=2," "both are recorded, each with its confidence"
rm -f proj/creds
akw scan proj >/dev/null 2>&1
is "$?" 0 "only a finding below the threshold: exit 0"
out=$(akw scan --all proj 2>"$T/err"); rc=$?
is "$rc" 1 "--all reports it: exit 1"
like "$out" "password-assignment" "--all prints it"
unlike "$(cat "$T/err")" "not reported" "--all: nothing left out"
out=$(akw scan --min-confidence medium proj 2>/dev/null); rc=$?
is "$rc" 1 "--min-confidence medium overrides the config for the run"
akw scan --min-confidence sure proj >/dev/null 2>"$T/err"
is "$?" 2 "--min-confidence with a bad value: exit 2"
like "$(cat "$T/err")" "^akwatch: --min-confidence: 'sure' is not one of low, medium, high" "the option and the choices are named"

# --- list and show ---------------------------------------------------------------------
printf 'aws_access_key_id = %s\naws_secret_access_key = 9cQx2bV7nM4kL8pZ1rT6yW3eU5iO0aS2dF4gH7jK\n' \
    "$AWS_ID" >proj/creds
akw scan proj >/dev/null 2>&1
out=$(akw list 2>"$T/err")
like "$(printf '%s\n' "$out" | head -1)" "^ID +SEVERITY +CONFIDENCE +STATUS" "list table: a CONFIDENCE column"
is "$(printf '%s\n' "$out" | grep -c "$AWS_ID")" 1 "list: the high leak is listed"
unlike "$out" "generic_secret" "list: the medium one is not (threshold high)"
is "$(cat "$T/err")" "akwatch: 1 leak below the confidence threshold high is not listed (--all lists it)" \
    "list says how many it left out"
is "$(akw list --all | grep -c 'generic_secret')" 1 "list --all lists it"
is "$(akw list --confidence medium | grep -c 'unhandled')" 1 "list --confidence medium: only that level"
is "$(akw list --confidence medium --confidence high 2>&1 | grep -c 'unhandled')" 2 "--confidence repeats"
akw list --confidence low >"$T/out" 2>"$T/err"
is "$(cat "$T/out")" "No leaks." "list --confidence low: none"
is "$(cat "$T/err")" "" "an explicit --confidence hides nothing, so no note"
is "$(akw list --all --format json | "$PY" -c 'import sys, json
print(",".join(sorted(json.loads(l)["confidence"] for l in sys.stdin)))')" "high,medium" "list json: a confidence field"
is "$(akw list --format json | grep -c '"confidence"')" 1 "list json follows the threshold too"
is "$(akw list --all --format tsv | head -1 | awk -F'\t' '{print $NF}')" "confidence" "list tsv: the last column is confidence"
id=$(sqlite3 "$XDG_DATA_HOME/akwatch/akwatch.db" "select id from leaks where rule = 'password-assignment'")
like "$(akw show "$id")" "Confidence: +medium" "show: the confidence of the leak"
like "$(akw show --format json "$id")" '"confidence":"medium"' "show --format json: too"
akw list --confidence maybe >/dev/null 2>"$T/err"
is "$?" 2 "list --confidence with a bad value: exit 2"

# --- the default threshold (no config): low is recorded, not shown, not listed ----------
mv "$CONF" "$T/conf.saved"
mkdir -p lowproj/tests
printf 'password = "Strength2024"\n' >lowproj/settings.py             # human-chosen: low
printf 'api_token = "q7Zr2LmT5vXw9Kp3Nb7Y"\n' >lowproj/tests/test_client.py # in a test: low
out=$(akw --db "$T/low.db" scan lowproj 2>"$T/err"); rc=$?
is "$rc" 0 "no config: two low findings fail nothing (default medium)"
is "$out" "" "and neither is printed"
like "$(cat "$T/err")" "not reported: 2 below the confidence threshold medium" "the summary counts them"
is "$(sqlite3 "$T/low.db" "select count(*) from leaks where confidence = 1")" 2 "both recorded as low"
akw --db "$T/low.db" list >"$T/out" 2>"$T/err"
is "$(cat "$T/out")" "No leaks." "list (no config): nothing at medium and up"
is "$(cat "$T/err")" "akwatch: 2 leaks below the confidence threshold medium are not listed (--all lists them)" \
    "and says how many it left out"
is "$(akw --db "$T/low.db" list --all --format json | grep -c '"confidence":"low"')" 2 "list --all lists them, as low"
mv "$T/conf.saved" "$CONF"

# --- config check ----------------------------------------------------------------------
printf '[scan]\nmin_confidence = sure\n[notify]\nmin_confidence = HIGH\n' >"$CONF"
akw config check >/dev/null 2>"$T/err"
is "$?" 2 "config check: a bad min_confidence fails"
is "$(cat "$T/err")" "akwatch: $CONF:2: [scan] min_confidence: expected low, medium or high (sure)" \
    "named by file:line, and only the bad one (HIGH is fine)"
akw list >/dev/null 2>"$T/err"
is "$?" 2 "every command refuses the bad config"
done_testing
