#!/bin/sh
# faults.sh — TAP: the store under a full disk, a read-only store, and two writers.
#  - disk full: `akwatch scan` where every write-side call from the Nth on fails with ENOSPC
#    (faultfs.so, LD_PRELOAD), for every N, into a new store and into one that has findings;
#    when root may mount, also a real 16 MiB tmpfs that fills up. Either the scan completes
#    with every finding, or it exits 2 with one line on stderr; the store stays sound and a
#    scan once there is room again gives the full result.
#  - read-only store (file 0400, folder 0500, as an unprivileged user when run as root):
#    exit 2, one line naming the store, the file byte for byte unchanged; list still works.
#  - two scans into one store at once: both succeed, the counts are exact.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
. "$AKW_SRCDIR/tests/reliability/faultlib.sh"
plant "$T/src"
akw() { AKWATCH_DB="$DB" "$AKWATCH_BIN" "$@"; }
set_of() {
    sqlite3 "$1" "select l.fingerprint, o.path, o.line from leaks l join locations o
                  on o.leak_id = l.id order by 1, 2, 3" 2>/dev/null
}
DB="$T/ref.db" akw scan "$T/src" >/dev/null 2>&1
set_of "$T/ref.db" >"$T/ref.set"
ok $([ -s "$T/ref.set" ]; echo $?) "reference scan has findings"
# a second tree: the store "with findings" gets new ones from it
mkdir -p "$T/more"
printf 'aws_access_key_id = AKIAQ3EGRZ7UO5XMBPTA\n' >"$T/more/creds"

faulted=0
# enospc_run NAME PREP — every ENOSPC point of a scan of src into a store made by PREP
enospc_run() {
    name=$1 prep=$2
    fresh() { rm -f "$T/d.db" "$T/d.db-wal" "$T/d.db-shm"; [ -z "$prep" ] || DB="$T/d.db" eval "$prep"; }
    fresh
    DB="$T/d.db" AKW_FAULT_COUNT="$T/count" LD_PRELOAD="$T/faultfs.so" akw scan "$T/src" >/dev/null 2>&1
    points=$(cat "$T/count")
    fresh; DB="$T/d.db" akw scan "$T/src" >/dev/null 2>&1; set_of "$T/d.db" >"$T/want.set"
    n=1 bad=0 failed=0
    while [ $n -le "$points" ]; do
        fresh
        DB="$T/d.db" AKW_ENOSPC_AT=$n LD_PRELOAD="$T/faultfs.so" akw scan "$T/src" >/dev/null 2>"$T/err"
        rc=$?
        why=""
        if [ $rc -eq 2 ]; then
            failed=$((failed + 1))
            [ "$(grep -c '' "$T/err")" -eq 1 ] && grep -q '^akwatch: ' "$T/err" || why="stderr not one line"
        elif [ $rc -eq 1 ]; then
            [ "$(set_of "$T/d.db")" = "$(cat "$T/want.set")" ] || why="exit 1 but findings missing"
        else why="exit $rc"; fi
        if [ -f "$T/d.db" ]; then
            chk=$(sqlite3 "$T/d.db" "pragma integrity_check" 2>&1)
            [ "$chk" = ok ] || why="$why integrity: $chk"
        fi
        DB="$T/d.db" akw scan "$T/src" >/dev/null 2>&1
        [ "$(set_of "$T/d.db")" = "$(cat "$T/want.set")" ] || why="$why rescan differs"
        [ -z "$why" ] || { bad=$((bad + 1)); echo "# ENOSPC from write $n: $why: $(head -c 200 "$T/err")"; }
        n=$((n + 1))
    done
    ok $([ "$failed" -gt 0 ]; echo $?) "$name: $points fault points, $failed of them end the scan with exit 2"
    is "$bad" 0 "$name: every point: complete or one-line exit 2, store sound, rescan complete"
    faulted=$((faulted + points))
}
enospc_run "disk full, new store" ""
enospc_run "disk full, store with findings" 'akw scan "$T/more" >/dev/null 2>&1'

# a real full file system, when this user may mount one
mkdir -p "$T/mnt"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=16m tmpfs "$T/mnt" 2>/dev/null; then
    trap 'umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
    head -c 16600000 /dev/urandom >"$T/mnt/filler"
    # many distinct findings so the store outgrows what is left
    mkdir -p "$T/big"
    /usr/bin/python3 -c '
import random, sys
r = random.Random(5); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
for i in range(400):
    open("%s/f%03d.ini" % (sys.argv[1], i), "w").write(
        "aws_access_key_id = AKIA%s\n" % "".join(r.choice(a) for _ in range(16)))' "$T/big"
    DB="$T/mnt/akwatch.db" akw scan "$T/big" >/dev/null 2>"$T/err"
    rc=$?
    is "$rc" 2 "tmpfs full: exit 2"
    like "$(cat "$T/err")" '^akwatch: .*(disk full|full|space)' "tmpfs full: says the disk is full"
    is "$(grep -c '' "$T/err")" 1 "tmpfs full: one line"
    is "$(sqlite3 "$T/mnt/akwatch.db" 'pragma integrity_check' 2>&1)" ok "tmpfs full: store sound"
    rm -f "$T/mnt/filler"
    DB="$T/mnt/akwatch.db" akw scan "$T/big" >/dev/null 2>&1
    is "$?" 1 "tmpfs with room again: the scan completes"
    is "$(sqlite3 "$T/mnt/akwatch.db" 'select count(*) from leaks')" 400 "all 400 findings"
    umount "$T/mnt"
    faulted=$((faulted + 1))
else
    echo "# no tmpfs (needs root and mount rights): the LD_PRELOAD disk-full points stand in"
fi

# read-only store
asuser() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
    asuser() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
    chmod 0755 "$T"
fi
mkdir -p "$T/ro"
cp "$T/ref.db" "$T/ro/akwatch.db"
[ "$(id -u)" -eq 0 ] && chown -R 65534:65534 "$T/ro" && chmod -R a+rX "$T/src"
chmod 0400 "$T/ro/akwatch.db"
sum=$(sha256sum <"$T/ro/akwatch.db")
AKWATCH_DB="$T/ro/akwatch.db" asuser "$AKWATCH_BIN" scan "$T/more" >/dev/null 2>"$T/err"
is "$?" 2 "read-only store file: scan exits 2"
is "$(grep -c '' "$T/err")" 1 "read-only store file: one line"
like "$(cat "$T/err")" 'akwatch\.db.*(read-only|readonly|permission|Permission)' "read-only store file: names the store and why"
is "$(sha256sum <"$T/ro/akwatch.db")" "$sum" "read-only store file: unchanged"
chmod 0600 "$T/ro/akwatch.db"; chmod 0500 "$T/ro"
AKWATCH_DB="$T/ro/akwatch.db" asuser "$AKWATCH_BIN" scan "$T/more" >/dev/null 2>"$T/err"
rc=$?
is "$rc" 2 "read-only store folder: scan exits 2"
is "$(grep -c '' "$T/err")" 1 "read-only store folder: one line ($(cat "$T/err"))"
is "$(sha256sum <"$T/ro/akwatch.db")" "$sum" "read-only store folder: file unchanged"
chmod 0700 "$T/ro"
faulted=$((faulted + 2))

# two writers at once
rm -f "$T/two.db"*
mkdir -p "$T/a" "$T/b"
/usr/bin/python3 -c '
import random, sys
r = random.Random(9); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
for d, n in ((sys.argv[1], 300), (sys.argv[2], 300)):
    for i in range(n):
        open("%s/k%03d.ini" % (d, i), "w").write(
            "aws_access_key_id = AKIA%s\n" % "".join(r.choice(a) for _ in range(16)))
# 50 keys in both trees: one finding each, two locations
for i in range(50):
    k = "AKIA" + "".join(r.choice(a) for _ in range(16))
    for d in sys.argv[1:3]:
        open("%s/shared%02d.ini" % (d, i), "w").write("aws_access_key_id = %s\n" % k)
' "$T/a" "$T/b"
# the second writer waits for the first's transaction: how long that takes depends on the
# machine's load (a sanitizer build on a busy CI host), so the test waits up to 10 minutes
# rather than the 5 s default; it checks that both finish, not how fast
export AKWATCH_DB_TIMEOUT_MS=600000
DB="$T/two.db" akw scan "$T/a" >/dev/null 2>"$T/ea" &
pa=$!
DB="$T/two.db" akw scan "$T/b" >/dev/null 2>"$T/eb" &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
unset AKWATCH_DB_TIMEOUT_MS
is "$ra $rb" "1 1" "two scans into one store at once: both succeed (exit 1, findings)"
[ "$ra $rb" = "1 1" ] || sed 's/^/# /' "$T/ea" "$T/eb"
is "$(sqlite3 "$T/two.db" 'select count(*) from leaks')" 650 "650 distinct findings"
is "$(sqlite3 "$T/two.db" 'select count(*) from locations')" 700 "700 locations"
is "$(sqlite3 "$T/two.db" 'pragma integrity_check')" ok "integrity_check ok"
mkdir -p "$AKW_BUILDDIR/tests/reliability"
echo "$faulted" >"$AKW_BUILDDIR/tests/reliability/faults.stats"
done_testing
