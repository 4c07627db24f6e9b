#!/bin/sh
# Triage from the command line: handle, whitelist, cancel whitelist, reopen — each checked
# in `list --format json` AND directly in the SQLite file; show prints every part.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
plant proj
export USER=alice
DB="$T/store.db"
export AKWATCH_DB="$DB"
akw scan --quiet proj >/dev/null

# field of the list json of the leak whose ak_id is $1 (or rule when no ak_id)
field() { # field AK_ID_OR_RULE FIELD [status-filter]
    akw list --format json ${3:+--status "$3"} | $PY -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if sys.argv[1] in (r["ak_id"], r["rule"]):
        v = r[sys.argv[2]]
        print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"
}
id_of() { sqlite3 "$DB" "select id from leaks where ak_id = '$1'"; }
AK=$(id_of "$AK_ID")
AWS=$(id_of "$AWS_ID")

# --- list json contract ------------------------------------------------------------------
res=$(akw list --format json | $PY -c '
import json, re, sys
need = ["id", "fingerprint", "rule", "kind", "ak_id", "secret_masked", "severity", "status",
        "handled_as", "owned", "verified", "first_seen", "last_seen", "locations"]
lneed = ["platform", "repo", "path", "line", "commit", "url", "author", "committed_at", "found_at"]
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
bad = []
for l in sys.stdin:
    r = json.loads(l)
    bad += [k for k in need if k not in r]
    if not iso.match(r["first_seen"]) or not iso.match(r["last_seen"]): bad.append("time")
    for loc in r["locations"]:
        bad += [k for k in lneed if k not in loc]
        if not iso.match(loc["found_at"]): bad.append("found_at")
print("ok" if not bad else " ".join(bad))')
is "$res" ok "list json: every contract field, ISO 8601 UTC times"
is "$(field "$AK_ID" status)" unhandled "new leak is unhandled"

# --- handle --as deleted --------------------------------------------------------------
out=$(akw handle "$AK" --as deleted --note "key deleted in RAM")
is "$out" "leak $AK: handled (deleted)" "handle prints the new status"
is "$(field "$AK_ID" status)" handled "list: handled"
is "$(field "$AK_ID" handled_as)" deleted "list: handled_as deleted"
is "$(field "$AK_ID" note)" "key deleted in RAM" "list: note"
is "$(sqlite3 "$DB" "select status||'|'||handled_as||'|'||note from leaks where id=$AK")" "1|1|key deleted in RAM" "sqlite: status handled, handled_as deleted, note"
is "$(sqlite3 "$DB" "select who||'|'||what||'|'||note from actions where leak_id=$AK")" "alice|deleted|key deleted in RAM" "sqlite: audit row with who=\$USER, what, note"
is "$(akw list --status unhandled --format json | grep -c "\"$AK_ID\"")" 0 "--status unhandled hides it"
is "$(akw list --status handled --format json | grep -c "\"$AK_ID\"")" 1 "--status handled shows it"

# --- whitelist via handle, then cancel via whitelist remove ----------------------------
out=$(akw handle "$AWS" --as whitelisted --note "test account")
like "$out" "leak $AWS: whitelisted" "handle --as whitelisted"
is "$(field "$AWS_ID" status)" whitelisted "list: whitelisted"
is "$(sqlite3 "$DB" "select count(*) from whitelist where ak_id='$AWS_ID'")" 1 "sqlite: the AK ID is in the whitelist table"
like "$(akw whitelist list)" "$AWS_ID +1 " "whitelist list shows the AK ID and its leak count"
akw scan --quiet proj >/dev/null
is "$?" 1 "rescan: the database leak is still unhandled"
is "$(field "$AWS_ID" status)" whitelisted "rescan: whitelisted AK ID stays whitelisted"
out=$(akw whitelist remove "$AWS_ID")
like "$out" "whitelist cancelled" "cancel whitelist"
is "$(field "$AWS_ID" status)" unhandled "list: back to unhandled"
is "$(sqlite3 "$DB" "select count(*) from whitelist where ak_id='$AWS_ID'")" 0 "sqlite: whitelist row gone"
is "$(sqlite3 "$DB" "select status from leaks where id=$AWS")" 0 "sqlite: status unhandled"
like "$(sqlite3 "$DB" "select group_concat(what, ',') from actions where leak_id=$AWS or ak_id='$AWS_ID'")" "whitelist" "sqlite: the cancel is in the audit log too"

# --- whitelist add before a finding: future findings are whitelisted ------------------------
NEW_ID=LTAIBAepfJBd0Kh8
akw whitelist add "$NEW_ID" --reason "vendor demo key" >/dev/null
is "$?" 0 "whitelist add"
mkdir later
printf 'access_key_id: %s\n' "$NEW_ID" >later/conf.yml
akw scan --quiet later >/dev/null
is "$?" 0 "a finding of a whitelisted AK ID leaves nothing unhandled: exit 0"
is "$(field "$NEW_ID" status)" whitelisted "future finding of a whitelisted AK ID is whitelisted"

# --- reopen ---------------------------------------------------------------------------
akw handle "$AK" --as reopened >/dev/null
is "$(field "$AK_ID" status)" unhandled "handle --as reopened"
is "$(sqlite3 "$DB" "select count(*) from actions where leak_id=$AK")" 2 "sqlite: both decisions kept in the audit log"

# --- show -------------------------------------------------------------------------------
show=$(akw show "$AK")
like "$show" "AccessKey ID: +$AK_ID" "show: AK ID"
like "$show" "Secret: +oOOL8d\*+KO" "show: masked secret"
like "$show" "Locations \(1\)" "show: locations"
like "$show" "src/main/App.java:2:" "show: the location"
like "$show" "alice +deleted +\"key deleted in RAM\"" "show: history with who and note"
like "$show" "Related recommendation" "show: recommendation section"
like "$show" "RAM console" "show: Alibaba advice names the RAM console"
like "$show" "access logs for requests to the leaked file's path" "show: access log advice"
like "$show" "Provider: +Alibaba Cloud" "show: the provider's name (from its [provider] section)"
like "$show" "Console: +https://ram.console.aliyun.com/" "show: the provider's console link"
unlike "$show" "$AK_SECRET" "show: no raw secret"
DBID=$(sqlite3 "$DB" "select id from leaks where kind='database'")
like "$(akw show "$DBID")" "whitelist of client IPs" "show: database advice restricts client IPs"
is "$(akw show --format json "$AK" | $PY -c 'import json,sys; print(json.load(sys.stdin)["ak_id"])')" "$AK_ID" "show --format json"
is "$(akw show --format json "$AK" | $PY -c 'import json,sys; p = json.load(sys.stdin)["provider"]; print(p["id"], p["name"], p["console"])')" \
    "alibaba Alibaba Cloud https://ram.console.aliyun.com/manage/ak" "show --format json: provider id, name, console"
DBSHOW=$(akw show "$DBID")
like "$DBSHOW" "Provider: +Alibaba Cloud" "show: an RDS endpoint's password: its provider too"
unlike "$DBSHOW" "RAM console \\(RAM" "show: but a database password gets no AccessKey steps"
done_testing
