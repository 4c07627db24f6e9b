#!/bin/sh
# Bad input never half-writes: unknown flags, unreadable paths, a broken rule file, a
# corrupt / foreign / locked store, a bad config, bad ids — each is one line
# "akwatch: culprit: message" on stderr, exit 2, and the store file is unchanged.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
plant proj
DB="$T/store.db"
export AKWATCH_DB="$DB"
akw scan --quiet proj/app.py >/dev/null   # a store with one leak in it
before=$(db_sum "$DB")

# expect_error DESCRIPTION REGEX-OF-THE-LINE COMMAND...
expect_error() {
    desc=$1 re=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    is "$rc" 2 "$desc: exit 2"
    is "$(count_lines "$(cat "$T/err")")" 1 "$desc: one line on stderr"
    like "$(cat "$T/err")" "^akwatch: $re" "$desc: names the culprit"
    is "$(db_sum "$DB")" "$before" "$desc: store unchanged"
}

expect_error "unknown flag" "--frobnicate: unknown option" akw scan --frobnicate proj
expect_error "unknown global flag" "--frob: unknown option" akw --frob list
expect_error "missing option value" "--format: needs a value" akw scan proj --format
expect_error "bad format" "--format: 'xml' is not one of" akw scan --format xml proj
expect_error "unknown command" "frob: unknown command" akw frob
expect_error "no path" "scan: no PATH given" akw scan
expect_error "unreadable path after a good one" "$T/nope: No such file or directory" akw scan proj "$T/nope"
is "$(cat "$T/out")" "" "nothing printed when an argument is bad (checked before scanning)"
mkfifo "$T/fifo"
expect_error "FIFO argument" "$T/fifo: not a regular file or folder" akw scan "$T/fifo"
expect_error "bad leak id" "abc: not a leak id" akw show abc
expect_error "missing leak" "no leak with id 999" akw handle 999 --as deleted
expect_error "bad action" "--as: 'eaten' is not one of" akw handle 1 --as eaten
expect_error "handle without --as" "--as: missing" akw handle 1
expect_error "cancel a whitelist that is not there" ".*not whitelisted" akw whitelist remove LTAIBAepfJBd0Kh8
expect_error "bad whitelist verb" "whitelist: 'drop' is not one of" akw whitelist drop X
expect_error "rules test on a missing file" "$T/none: No such file" akw rules test "$T/none"

# broken rule file: a copy of the data folder with one bad line
cp -r "$AKW_SRCDIR/data" "$T/data"
printf '\n[broken-rule]\nkind = cloud_accesskey\nregex = (unclosed\n' >>"$T/data/rules/cloud.conf"
AKWATCH_DATADIR="$T/data" expect_error "broken rule file (scan)" ".*cloud.conf:[0-9]+: " akw scan proj
AKWATCH_DATADIR="$T/data" expect_error "broken rule file (rules list)" ".*cloud.conf:[0-9]+: " akw rules list

# bad config
mkdir -p "$XDG_CONFIG_HOME/akwatch"
printf '[scan]\nmax_file_size = 10Q\n' >"$XDG_CONFIG_HOME/akwatch/config"
expect_error "bad config (scan)" "$XDG_CONFIG_HOME/akwatch/config:2: \[scan\] max_file_size: expected a size" akw scan proj
expect_error "bad config (list)" "$XDG_CONFIG_HOME/akwatch/config:2: \[scan\] max_file_size" akw list
expect_error "bad config (handle)" "$XDG_CONFIG_HOME/akwatch/config:2: " akw handle 1 --as deleted
rm "$XDG_CONFIG_HOME/akwatch/config"
expect_error "missing --config file" "$T/none.conf: No such file" akw --config "$T/none.conf" list
AKWATCH_CONFIG="$T/none.conf" expect_error "missing \$AKWATCH_CONFIG file" "$T/none.conf: No such file" akw list
expect_error "bad --api-url" "--api-url: plain http is only allowed to a loopback host" akw --api-url http://example.com list

# corrupt and foreign stores are refused and left as they were
printf 'this is not a database at all, just text of some length\n%.0s' 1 2 3 4 5 6 7 8 >"$T/corrupt.db"
csum=$(sha256sum <"$T/corrupt.db")
akw --db "$T/corrupt.db" scan --quiet proj >"$T/out" 2>"$T/err"
is "$?" 2 "corrupt store: exit 2"
like "$(cat "$T/err")" "^akwatch: $T/corrupt.db: " "corrupt store: one line naming the file"
is "$(sha256sum <"$T/corrupt.db")" "$csum" "corrupt store: file unchanged"
sqlite3 "$T/foreign.db" 'create table t(x); insert into t values (1);'
fsum=$(sha256sum <"$T/foreign.db")
akw --db "$T/foreign.db" list >"$T/out" 2>"$T/err"
is "$?" 2 "foreign SQLite database: exit 2"
like "$(cat "$T/err")" "^akwatch: $T/foreign.db: not an akwatch store" "foreign store named"
is "$(sha256sum <"$T/foreign.db")" "$fsum" "foreign store unchanged"

# locked store: another writer holds the lock; the scan finds, fails to record, records
# nothing at all (one transaction at the end)
$PY - "$DB" "$T/locked" <<'EOF' &
import sqlite3, sys, time, os
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(30)
EOF
locker=$!
i=0
while [ ! -f "$T/locked" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
AKWATCH_DB_TIMEOUT_MS=100 expect_error "locked store" "$DB: database is locked" akw scan proj
kill "$locker" 2>/dev/null
wait "$locker" 2>/dev/null
is "$(sqlite3 "$DB" 'select count(*) from leaks')" 1 "locked store: none of the scan's findings recorded"
is "$(sqlite3 "$DB" 'select count(*) from locations')" 1 "locked store: no location recorded"

# commands that only read never create a store
akw --db "$T/never.db" list >/dev/null 2>&1
akw --db "$T/never.db" whitelist list >/dev/null 2>&1
akw --db "$T/never.db" show 1 >/dev/null 2>&1
akw --db "$T/never.db" handle 1 --as deleted >/dev/null 2>&1
ok "$([ ! -e "$T/never.db" ]; echo $?)" "list/show/handle/whitelist list create no store"
done_testing
