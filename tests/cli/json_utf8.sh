#!/bin/sh
# Every JSON output is valid JSON whatever bytes the scanned file held: invalid UTF-8 in a
# file name and in the matched line becomes U+FFFD, control characters are escaped
# (list, show, scan --format json/sarif, export --format json).
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
export AKWATCH_DB="$T/akwatch.db"
mkdir proj
# a name with a C0 control, an invalid byte and ESC; a matched line with invalid bytes and
# controls (the secret line is the one a pair reports; detect masks its controls itself)
name=$(printf 'proj/bad\001\377name\033.java')
printf 'String accessKeyId = "%s";\nString accessKeySecret = "%s"; // \377\376\001\033[31m caf\351\n' \
    "$AK_ID" "$AK_SECRET" >"$name"

# check FILE WHAT: strict UTF-8 decode, json.loads of each line (strict: no raw controls in
# strings), U+FFFD and the escaped control found in the string fields named
check() {
    $PY - "$1" "$2" <<'PYEOF'
import json, sys
path, what = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
try:
    text = raw.decode("utf-8")  # strict: any invalid byte fails here
except UnicodeDecodeError as e:
    print("invalid UTF-8:", e); sys.exit(1)
docs = [json.loads(text)] if what in ("sarif", "export") else [json.loads(l) for l in text.splitlines()]
def strings(o):
    if isinstance(o, dict):
        for v in o.values(): yield from strings(v)
    elif isinstance(o, list):
        for v in o: yield from strings(v)
    elif isinstance(o, str):
        yield o
found = [s for d in docs for s in strings(d)]
names = [s for s in found if "name" in s and "\ufffd" in s]
lines = [s for s in found if "caf\ufffd" in s]
if what == "sarif":  # URIs are percent-encoded: validity is the point there
    names = [s for s in found if "name%1B" in s]
if not names: print("no file name with U+FFFD in", found); sys.exit(1)
if what not in ("export", "sarif") and not any("\x01" in s and "\x1b" in s for s in names):
    print("control characters lost from", names); sys.exit(1)
if what in ("list", "show", "export") and not lines:
    print("no matched line with U+FFFD in", found); sys.exit(1)
if b"\x01" in raw or b"\x1b" in raw:
    print("raw control byte in output"); sys.exit(1)
PYEOF
}

akw scan --quiet proj >/dev/null
# a snippet stored with invalid bytes and controls (a GitHub source, an older version): the
# writers must cope with whatever the store holds
sqlite3 "$AKWATCH_DB" "update locations set snippet = CAST(X'6361669e20ff01c3' AS TEXT) || 'caf' || CAST(X'e90a1b' AS TEXT)"
akw list --format json >list.json
check list.json list; ok $? "list --format json: valid JSON, U+FFFD in path and line, controls escaped"
id=$(sqlite3 "$AKWATCH_DB" 'select id from leaks limit 1')
akw show "$id" --format json >show.json
check show.json show; ok $? "show --format json: the same"
akw scan --quiet --format json proj >scan.json
check scan.json scan; ok $? "scan --format json: the same"
akw scan --quiet --format sarif proj >scan.sarif
check scan.sarif sarif; ok $? "scan --format sarif: a valid document"
akw export --quiet --format json -o export.json >/dev/null
check export.json export; ok $? "export --format json: valid JSON with U+FFFD"
unlike "$(cat list.json show.json scan.json export.json)" "$AK_SECRET" "no raw secret in any of them"
done_testing
