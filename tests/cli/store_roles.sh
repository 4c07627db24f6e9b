#!/bin/sh
# store_roles.sh — least privilege on a PostgreSQL store (tests/pglib.sh): `akwatch store
# roles` prints the SQL and --apply makes the three group roles; login roles walt
# (watcher), alice (analyst) and victor (viewer) then run akwatch as themselves. The
# watcher records (and reopens a regression) but may not triage; the analyst triages,
# whitelists and exports; the viewer reads and exports, and a decision or a whitelist
# entry is one line naming what it lacks, exit 2, nothing changed. A SQLite store has no
# roles; a password in a URL on the command line is hidden from ps.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
pg_start
cd "$T" || exit 1
plant proj
export USER=osuser AKWATCH_NOW=1780000000
P=$(pg_db team)
as() { # as ROLE ARGS...: akwatch logged in as ROLE
    _r=$1
    shift
    akw --db "postgresql://$_r@/team?host=$PG_DIR" "$@"
}
rows() { pg_sql "$P" "SELECT id, status, handled_as, coalesce(note, '') FROM leaks ORDER BY id;
  SELECT count(*) FROM whitelist; SELECT count(*) FROM actions" | tr '\n' ' '; }

# --- printing and applying ------------------------------------------------------------
out=$(akw --db "$P" store roles 2>&1); rc=$?
is "$rc" 0 "store roles prints the SQL (exit 0)"
like "$out" 'CREATE ROLE akwatch_viewer NOLOGIN' "three NOLOGIN group roles"
like "$out" 'GRANT UPDATE \(status, handled_as, note, handled_at' "the analyst's triage columns"
like "$out" 'GRANT USAGE ON SEQUENCE whitelist_id_seq TO akwatch_analyst' "sequences are granted"
like "$out" 'GRANT EXECUTE ON PROCEDURE akw_reopen\(BIGINT, TEXT\) TO akwatch_watcher' \
    "the watcher's reopen procedure"
is "$(pg_sql "$P" "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'akwatch\_%'")" 0 \
    "printing made no role"
out=$(akw --db "$P" store roles --apply 2>&1); rc=$?
is "$rc" 0 "--apply exits 0"
like "$out" 'GRANT akwatch_analyst TO alice' "and says how to give a person a role"
akw --db "$P" store roles --apply >/dev/null 2>&1
ok $? "a second --apply is fine (the roles exist)"
is "$(pg_sql "$P" "SELECT string_agg(rolname || ':' || rolcanlogin, ' ' ORDER BY rolname)
  FROM pg_roles WHERE rolname LIKE 'akwatch\_%'")" \
    "akwatch_analyst:false akwatch_viewer:false akwatch_watcher:false" "the three group roles"
is "$(pg_sql "$P" "SELECT has_table_privilege('akwatch_viewer', 'leaks', 'UPDATE'),
  has_table_privilege('akwatch_viewer', 'leaks', 'SELECT'),
  has_column_privilege('akwatch_watcher', 'leaks', 'status', 'UPDATE'),
  has_column_privilege('akwatch_analyst', 'leaks', 'status', 'UPDATE'),
  has_table_privilege('akwatch_watcher', 'whitelist', 'INSERT')" | tr '\n' ' ')" "f|t|f|t|f " \
    "viewer reads only, only the analyst writes a decision or a whitelist entry"
pg_sql "$P" "CREATE ROLE walt LOGIN IN ROLE akwatch_watcher; CREATE ROLE alice LOGIN IN ROLE
  akwatch_analyst; CREATE ROLE victor LOGIN IN ROLE akwatch_viewer; CREATE ROLE nobody LOGIN"

# --- the watcher ------------------------------------------------------------------------
as walt scan proj >/dev/null 2>&1
is "$?" 1 "walt (watcher) scans and records: exit 1, unhandled findings"
is "$(pg_sql "$P" "SELECT count(*) FROM leaks")" 3 "three leaks recorded by the watcher"
before=$(rows)
out=$(as walt handle 1 --as deleted --note gone 2>&1); rc=$?
is "$rc" 2 "walt may not handle: exit 2"
is "$out" "akwatch: permission denied: role walt (akwatch_watcher) may not update leaks: triage needs akwatch_analyst" \
    "one line naming the role, the privilege, the table and the role it needs"
is "$(rows)" "$before" "nothing changed"
as walt calls import "$AKW_SRCDIR/data/demo/actiontrail.jsonl" "$AKW_SRCDIR/data/demo/access.log" \
    >/dev/null 2>&1
is "$?" 0 "walt imports calls and access logs"
is "$(pg_sql "$P" "SELECT count(*) > 0 FROM calls; SELECT count(*) > 0 FROM access_requests" |
    tr '\n' ' ')" "t t " "they are recorded"

# --- the analyst ------------------------------------------------------------------------
as alice handle 1 --as deleted --note rotated >/dev/null 2>&1
is "$?" 0 "alice (analyst) handles leak 1"
as alice whitelist add LTAI5tNotSeen00000000001 --reason test >/dev/null 2>&1
is "$?" 0 "alice whitelists"
is "$(pg_sql "$P" "SELECT status, note FROM leaks WHERE id = 1; SELECT who FROM whitelist" |
    tr '\n' ' ')" "1|rotated alice " "the decision and the entry are alice's"
as alice export --format json -o alice.json >/dev/null 2>&1
is "$?" 0 "alice exports"
like "$(cat alice.json 2>/dev/null)" "$AK_ID" "the export holds the leaks"

# --- a regression: the watcher reopens through the server ------------------------------
mkdir -p proj/more
printf 'String accessKeyId = "%s";\nString accessKeySecret = "%s";\n' "$AK_ID" "$AK_SECRET" \
    >proj/more/Copy.java
id=$(pg_sql "$P" "SELECT id FROM leaks WHERE ak_id = '$AK_ID'")
pg_sql "$P" "UPDATE leaks SET status = 1, handled_as = 1, handled_at = 1, note = 'was' WHERE id = $id"
as walt scan proj >/dev/null 2>&1
is "$?" 1 "walt scans again"
is "$(pg_sql "$P" "SELECT status, note FROM leaks WHERE id = $id;
  SELECT what FROM actions WHERE leak_id = $id ORDER BY id DESC LIMIT 1" | tr '\n' ' ')" \
    "0|regression reopened " "the handled leak found in a new place is reopened for the watcher"

# --- the viewer -------------------------------------------------------------------------
like "$(as victor list 2>&1)" "$AK_ID" "victor (viewer) lists the leaks"
as victor watchers >/dev/null 2>&1
is "$?" 0 "victor lists the watchers"
as victor show 1 >/dev/null 2>&1
is "$?" 0 "victor shows a leak"
as victor export --format json -o victor.json >/dev/null 2>&1
is "$?" 0 "victor exports"
like "$(cat victor.json 2>/dev/null)" "$AK_ID" "the viewer's export holds the leaks"
before=$(rows)
out=$(as victor handle 2 --as deleted 2>&1); rc=$?
is "$rc" 2 "victor may not handle: exit 2"
is "$out" "akwatch: permission denied: role victor (akwatch_viewer) may not update leaks: triage needs akwatch_analyst" \
    "one line: what the viewer lacks and who has it"
out=$(as victor whitelist add LTAI5tNotSeen00000000002 2>&1); rc=$?
is "$rc" 2 "victor may not whitelist: exit 2"
is "$out" "akwatch: permission denied: role victor (akwatch_viewer) may not insert whitelist: whitelisting needs akwatch_analyst" \
    "one line naming the whitelist"
out=$(as victor scan proj 2>&1 >/dev/null); rc=$?
is "$rc" 2 "victor may not record findings: exit 2"
like "$out" "^akwatch: permission denied: role victor \(akwatch_viewer\) may not insert leaks: recording findings needs akwatch_watcher$" \
    "recording (a leak seen again, in the one statement that inserts or touches it) needs the watcher's role"
is "$(rows)" "$before" "nothing the viewer tried changed a row"
out=$(as nobody list 2>&1); rc=$?
is "$rc" 2 "a role in no akwatch role: exit 2"
is "$(printf '%s\n' "$out" | wc -l)" 1 "one line"
like "$out" "permission denied" "saying permission denied"

# --- other prefixes, SQLite, bad input -------------------------------------------------
like "$(akw --db "$P" store roles --prefix scan 2>&1)" 'CREATE ROLE scan_watcher NOLOGIN' \
    "--prefix names the roles"
out=$(akw --db "$P" store roles --prefix 'x; DROP' 2>&1); rc=$?
is "$rc" 2 "a prefix that is no plain name: exit 2"
is "$(printf '%s\n' "$out" | wc -l)" 1 "in one line"
out=$(akw --db "$T/solo.db" store roles 2>&1); rc=$?
is "$rc" 2 "store roles on SQLite: exit 2"
is "$out" "akwatch: store roles: roles need a PostgreSQL store (--db postgresql://...); a SQLite file has none" \
    "one line saying roles need PostgreSQL"
[ ! -e "$T/solo.db" ]
ok $? "and no SQLite file was made"

# --- a password on the command line is hidden from ps ----------------------------------
# a socket that accepts and never answers holds akwatch in its connect; ps is read then
mkdir -p "$T/mute"
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1] + "/.s.PGSQL.5432"); s.listen(1)
open(sys.argv[1] + "/ready", "w").close()
c, _ = s.accept(); open(sys.argv[1] + "/accepted", "w").close(); time.sleep(30)
' "$T/mute" &
mute=$!
n=0
while [ ! -e "$T/mute/ready" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
"$AKWATCH_BIN" --db "postgresql://walt:s3cretPW@/team?host=$T/mute&password=s3cretPW" list \
    >mute.out 2>&1 &
pid=$!
n=0
while [ ! -e "$T/mute/accepted" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
cmdline=$(tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null)
like "$cmdline" 'postgresql://walt:\*+@/team' "ps shows the URL (read while akwatch connects)"
unlike "$cmdline" 's3cretPW' "but not the password (user info nor query)"
kill "$mute" 2>/dev/null
wait "$pid"
unlike "$(cat mute.out)" 's3cretPW' "nor does its message"
done_testing
