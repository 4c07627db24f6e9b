#!/bin/sh
# store_copy.sh — `akwatch store copy FROM TO` on a private PostgreSQL cluster
# (tests/pglib.sh): a SQLite store with decisions, whitelist entries, audit rows, alerts,
# calls, access-log requests, a verification outcome and scan state goes into PostgreSQL
# and back into a new SQLite file; every table's rows are compared (as text, ids mapped
# to fingerprints), a second copy adds nothing, a target that holds leaks already keeps
# its decisions, and bad locations are one line, exit 2, nothing written.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
pg_start
cd "$T" || exit 1
plant proj
export USER=alice AKWATCH_NOW=1780000000
demo="$AKW_SRCDIR/data/demo"

# every row of every table as text, references shown as fingerprints / event keys
# clang-format off
dump_sql="
SELECT 'leak', id, fingerprint, rule, kind, description, ak_id, secret_masked, secret, severity,
 owned, status, handled_as, note, verified, verified_at, verified_identity, verify_error,
 first_seen, last_seen, handled_at, first_repo, first_path, confidence FROM leaks
 ORDER BY fingerprint;
SELECT 'location', l.fingerprint, c.platform, c.repo, c.path, c.line, c.col, c.commit_sha,
 c.url, c.author, c.committed_at, c.found_at, c.snippet FROM locations c JOIN leaks l ON l.id = c.leak_id
 ORDER BY 2, 3, 4, 5, 6, 8;
SELECT 'whitelist', ak_id, fingerprint, reason, who, added_at FROM whitelist
 ORDER BY coalesce(ak_id, ''), coalesce(fingerprint, '');
SELECT 'call', c.ak_id, l.fingerprint, c.at, c.source_ip, c.action, c.url, c.user_agent,
 c.source_file, c.source_line, c.kind, c.event_key FROM calls c LEFT JOIN leaks l ON l.id = c.leak_id
 ORDER BY event_key;
SELECT 'alert', coalesce(l.fingerprint, ''), coalesce(k.event_key, ''), a.type, a.created_at,
 a.state, a.sent_at, a.suppressed_reason, a.channel, a.attempts, a.last_error FROM alerts a
 LEFT JOIN leaks l ON l.id = a.leak_id LEFT JOIN calls k ON k.id = a.call_id ORDER BY a.id;
SELECT 'action', coalesce(l.fingerprint, ''), a.ak_id, a.who, a.what, a.note, a.at,
 a.old_status, a.new_status FROM actions a LEFT JOIN leaks l ON l.id = a.leak_id ORDER BY a.id;
SELECT 'state', source, key, value, updated_at FROM scan_state ORDER BY source, key;
SELECT 'request', at, source_ip, method, path, base, status, user_agent, source_file,
 source_line, event_key FROM access_requests ORDER BY event_key;"
# clang-format on
dump() { # dump STORE: the rows of a SQLite file or a server database
    case $1 in
    postgresql://*) psql -q -X -v ON_ERROR_STOP=1 -At "$1" -c "$dump_sql" ;;
    *) sqlite3 -bail -cmd '.timeout 10000' "$1" "$dump_sql" ;;
    esac
}
counts() { # the number of rows of each table, one line
    for t in leaks locations whitelist calls alerts actions scan_state access_requests; do
        case $1 in
        postgresql://*) pg_sql "$1" "SELECT count(*) FROM $t" ;;
        *) sqlite3 "$1" "SELECT count(*) FROM $t" ;;
        esac
    done | tr '\n' ' '
}

# --- a SQLite store with something in every table ---------------------------------------
A="$T/a.db"
for c in "scan proj" "handle 1 --as deleted --note rotated" \
    "handle 2 --as whitelisted --note test-key" "whitelist add LTAI5tNotSeen00000000001" \
    "handle 3 --as disabled" "handle 3 --as reopened" "handle 3 --as disabled --note again" \
    "calls import $demo/actiontrail.jsonl $demo/access.log"; do
    # shellcheck disable=SC2086
    akw --db "$A" $c >/dev/null 2>&1
done
sqlite3 "$A" "UPDATE leaks SET verified = 'live', verified_at = 1780000100,
    verified_identity = 'acs:ram::1234:root' WHERE id = 1;
  INSERT INTO scan_state(source, key, value, updated_at) VALUES
    ('events', 'etag', 'W/\"abc\"', 1780000200), ('search:LTAI', 'cursor', '7', 1780000300);"
is "$(counts "$A")" "3 4 2 4 7 7 2 4 " "the SQLite store has rows in every table"

# --- SQLite -> PostgreSQL --------------------------------------------------------------
P=$(pg_db moved)
out=$(akw store copy "$A" "$P" 2>&1); rc=$?
is "$rc" 0 "store copy SQLite -> PostgreSQL exits 0"
like "$out" "^Copied $A \(sqlite\) into .*moved.* \(postgresql\):" "the report names both stores"
like "$out" 'leaks +3 +3 +0 +3' "leaks: 3 in FROM, 3 copied, 0 already there, 3 now"
like "$out" 'actions +7 +7 +0 +7' "every audit row"
like "$out" 'Checked: all 3 fingerprints of FROM are in TO' "the check is reported"
like "$out" 'kept their ids' "the leaks kept their ids"
dump "$A" >a.dump
dump "$P" >p.dump
is "$(cut -d'|' -f1 a.dump | sort -u | tr '\n' ' ')" \
    "action alert call leak location request state whitelist " "the dump reads every table"
diff a.dump p.dump >diff.out
ok $? "every row of every table is the same in PostgreSQL"
[ -s diff.out ] && head -20 diff.out | sed 's/^/# /'
is "$(akw --db "$P" show 1 2>&1 | sed "s|$P|STORE|")" "$(akw --db "$A" show 1 2>&1 | sed "s|$A|STORE|")" \
    "show 1 says the same on both"
is "$(akw --db "$P" whitelist list 2>&1)" "$(akw --db "$A" whitelist list 2>&1)" \
    "whitelist list says the same on both"

out=$(akw store copy "$A" "$P" 2>&1); rc=$?
is "$rc" 0 "a second copy exits 0"
like "$out" 'leaks +3 +0 +3 +3' "and copies no leak"
is "$(printf '%s\n' "$out" | awk 'NR > 2 && NR <= 10 && $3 != 0' | wc -l)" 0 \
    "nor any other row"
dump "$P" >p2.dump
cmp -s p.dump p2.dump
ok $? "PostgreSQL's rows are unchanged"
akw --db "$P" scan proj >/dev/null 2>&1
is "$(pg_sql "$P" "SELECT count(*) FROM leaks")" 3 "a scan after the copy finds the same leaks"
mkdir -p extra && printf 'String accessKeyId = "LTAI5tQ9rWm2XkPz7NbVc3Ds";\nString accessKeySecret = "V7kLm2Qp9Rt4Xw8Yz1Ab3Cd5Ef6Gh0";\n' >extra/B.java
akw --db "$P" scan extra >/dev/null 2>&1
is "$(pg_sql "$P" "SELECT max(id) FROM leaks")" 4 "a new leak after the copy gets the next id"

# --- PostgreSQL -> SQLite --------------------------------------------------------------
C="$T/back/c.db"
out=$(akw store copy "$P" "$C" 2>&1); rc=$?
is "$rc" 0 "store copy PostgreSQL -> SQLite exits 0 (and creates the file and its folder)"
like "$out" 'leaks +4 +4 +0 +4' "4 leaks copied back"
is "$(stat -c %a "$C")" 600 "the new store file is 0600"
dump "$P" >p3.dump
dump "$C" >c.dump
diff p3.dump c.dump >diff.out
ok $? "every row of every table is the same in the SQLite copy"
[ -s diff.out ] && head -20 diff.out | sed 's/^/# /'
out=$(akw store copy "$P" "$C" 2>&1)
like "$out" 'leaks +4 +0 +4 +4' "a second copy back adds nothing"
dump "$C" >c2.dump
cmp -s c.dump c2.dump
ok $? "the SQLite copy's rows are unchanged"

# --- a target that holds leaks already -------------------------------------------------
D="$T/d.db"
akw --db "$D" scan extra >/dev/null 2>&1   # the 4th leak, unhandled, id 1
akw --db "$D" scan proj >/dev/null 2>&1    # A's three, unhandled
akw --db "$D" handle 3 --as deleted --note mine >/dev/null 2>&1
out=$(akw store copy "$A" "$D" 2>&1); rc=$?
is "$rc" 0 "a copy into a store with leaks exits 0"
like "$out" 'leaks +3 +0 +3 +4' "its leaks are matched on fingerprints, not ids"
like "$out" 'another decision: TO.s decision was kept' "and the differing decisions are said"
is "$(sqlite3 "$D" "SELECT note FROM leaks WHERE id = 3")" "mine" "TO's decision is kept"
akw --db "$D" handle 4 --as reopened >/dev/null 2>&1
E="$T/e.db"
akw --db "$E" scan extra >/dev/null 2>&1
out=$(akw store copy "$A" "$E" 2>&1)
like "$out" 'got new ids' "a target with other leaks: the copied leaks get new ids"
fp1=$(sqlite3 -cmd '.timeout 10000' "$A" "SELECT fingerprint FROM leaks WHERE id = 1")
dump "$A" | grep -v '^leak|' | grep -F "$fp1" >a1.rows
ok $([ -n "$fp1" ] && [ -s a1.rows ]; echo $?) "A's leak 1 has locations, alerts or audit rows ($(grep -c '' a1.rows))"
is "$(dump "$E" | grep -v '^leak|' | grep -cF "$fp1")" "$(grep -c '' a1.rows)" \
    "and their locations, alerts and audit rows follow them"
fp1=$(sqlite3 "$A" "SELECT fingerprint FROM leaks WHERE id = 1")
is "$(sqlite3 "$E" "SELECT status || handled_as || note FROM leaks WHERE fingerprint = '$fp1'")" \
    "$(sqlite3 "$A" "SELECT status || handled_as || note FROM leaks WHERE id = 1")" \
    "with their decision"

# --- refused ---------------------------------------------------------------------------
out=$(akw store copy "$A" "$T/./a.db" 2>&1); rc=$?
is "$rc" 2 "FROM and TO the same file: exit 2"
like "$out" 'are the same store' "says so"
P2=$(printf '%s' "$P" | sed 's|^postgresql://|postgres://|')
out=$(akw store copy "$P" "$P2" 2>&1); rc=$?
is "$rc" 2 "one database by two URLs: exit 2"
is "$(printf '%s\n' "$out" | wc -l)" 1 "in one line"
dump "$P" >p4.dump
cmp -s p3.dump p4.dump
ok $? "and nothing changed"
out=$(akw store copy "$T/nosuch.db" "$T/new.db" 2>&1); rc=$?
is "$rc" 2 "a FROM that does not exist: exit 2"
like "$out" 'nosuch.db' "named"
[ ! -e "$T/new.db" ]
ok $? "and TO is not created"
out=$(akw store copy "$A" "mysql://u@h/db" 2>&1); rc=$?
is "$rc" 2 "a URL of another scheme: exit 2"
like "$out" 'not a store location' "says so"
[ ! -e mysql: ]
ok $? "and no folder is made of it"
out=$(akw store copy "$A" "postgresql://akwatch:s3cretPW@/nosuchdb?host=$PG_DIR" 2>&1); rc=$?
is "$rc" 2 "a TO database that does not exist: exit 2"
is "$(printf '%s\n' "$out" | wc -l)" 1 "one line"
like "$out" 'nosuchdb' "naming it"
unlike "$out" 's3cretPW' "without the password"
printf 'not a database\n' >junk.db
out=$(akw store copy "$A" junk.db 2>&1); rc=$?
is "$rc" 2 "a TO that is not a store: exit 2"
is "$(cat junk.db)" "not a database" "and it is left alone"
out=$(akw store copy "$A" 2>&1); rc=$?
is "$rc" 2 "TO missing: exit 2"
like "$out" 'expected FROM and TO' "says what is expected"
out=$(akw store 2>&1); rc=$?
is "$rc" 2 "store without a verb: exit 2"
done_testing
