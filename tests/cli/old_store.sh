#!/bin/sh
# Read-only commands on a store of an older schema: upgraded in place when the file is
# writable (then listed as usual), one clear line and exit 2 when it is not.
. "$AKW_SRCDIR/tests/lib.sh"
cd "$T" || exit 1
FIX="$AKW_SRCDIR/tests/store/fixture-v1.sql"

sqlite3 v1.db <"$FIX"
is "$(sqlite3 v1.db "select value from meta where key = 'schema_version'")" 1 "a real v1 store"
out=$(AKWATCH_DB="$T/v1.db" akw list --format json 2>"$T/err"); rc=$?
is "$rc" 0 "list on a writable v1 store works"
is "$(printf '%s\n' "$out" | grep -c '"fingerprint"')" 3 "and lists its three leaks"
is "$(cat "$T/err")" "" "nothing on stderr"
is "$(sqlite3 v1.db "select value from meta where key = 'schema_version'")" 5 "the store is upgraded (schema 5)"
like "$(AKWATCH_DB="$T/v1.db" akw show 2 2>&1)" "LTAI5tFixture0000000002" "show reads it afterwards"

# not writable: root writes anything, so run that part as nobody
asuser() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
    asuser() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
    chmod 0755 "$T"
fi
mkdir ro
sqlite3 ro/v1.db <"$FIX"
[ "$(id -u)" -eq 0 ] && chown -R 65534:65534 ro
chmod 0400 ro/v1.db
sum=$(sha256sum <ro/v1.db)
for cmd in "list" "show 1" "export --format json -o $T/ro-report.json"; do
    # shellcheck disable=SC2086
    AKWATCH_DB="$T/ro/v1.db" asuser "$AKWATCH_BIN" $cmd >/dev/null 2>"$T/err"
    is "$?" 2 "$cmd on a read-only v1 store: exit 2"
    is "$(grep -c '' "$T/err")" 1 "$cmd: one line"
    like "$(cat "$T/err")" "^akwatch: $T/ro/v1\.db: .*version 1.*not writable.*upgrade" \
        "$cmd: names the file, its version, and what to do"
done
is "$(sha256sum <ro/v1.db)" "$sum" "the read-only store is untouched"
ok "$([ ! -e "$T/ro-report.json" ]; echo $?)" "no report written"
done_testing
