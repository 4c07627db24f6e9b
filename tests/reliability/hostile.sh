#!/bin/sh
# hostile.sh — TAP: files written by strangers. NUL bytes, invalid UTF-8, a 100 MB single
# line (peak RSS measured with /usr/bin/time -v), a 2000-level deep folder tree, symlink
# loops, a FIFO, files truncated and grown while scanned, and terminal escape sequences in
# file contents and names: no crash, no hang (every run has a timeout as a guard), bounded
# memory, and no ESC/BEL/CSI byte from the scanned text reaches the terminal (scan, list,
# show). Counts go to BUILDDIR/tests/reliability/hostile.stats for report.sh.
. "$AKW_SRCDIR/tests/lib.sh"
export AKWATCH_DB="$T/akwatch.db" AKWATCH_CONFIG="$T/config"
: >"$T/config"
AK=AKIAQ3EGRZ7UO5XMBPTA
esc=$(printf '\033') bel=$(printf '\007') csi=$(printf '\233')
hostile=0
run() { timeout 300 "$AKWATCH_BIN" "$@"; }
# no_ctl FILE: no ESC, BEL or C1 CSI byte in FILE
no_ctl() { ! LC_ALL=C grep -q "[$esc$bel$csi]" "$1"; }

# NUL bytes and invalid UTF-8
mkdir -p "$T/enc"
printf 'aws_access_key_id = %s\n\000\000\000 more\n' "$AK" >"$T/enc/nul.conf"
printf '\377\376\375 caf\351 \300\200 aws_access_key_id = AKIAV3ND0RSK1PQ7XW2M \355\240\200\n' \
    >"$T/enc/bad-utf8.conf"
run scan "$T/enc" >"$T/out" 2>"$T/err"
is "$?" 1 "NUL bytes and invalid UTF-8: the scan completes with findings"
like "$(cat "$T/out")" 'bad-utf8.conf:1:.*AKIAV' "the key inside invalid UTF-8 is found"
like "$(cat "$T/err")" 'binary: 1' "the file with NUL bytes is skipped as binary, and said so"
hostile=$((hostile + 2))

# a 100 MB single line, over max_file_size by default, scanned when allowed
mkdir -p "$T/huge"
/usr/bin/python3 -c '
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"x" * 50000000 + b" aws_access_key_id = AKIAW7LGWX3RJ2ZPQ4CY " + b"y" * 50000000)' \
    "$T/huge/line.txt"
run scan "$T/huge" >"$T/out" 2>"$T/err"
is "$?" 0 "100 MB line: skipped under the default max_file_size (exit 0)"
like "$(cat "$T/err")" 'skipped too big: 1' "and the skip is reported"
printf '[scan]\nmax_file_size = 200M\n' >"$T/config"
/usr/bin/time -v -o "$T/time" timeout 300 "$AKWATCH_BIN" scan "$T/huge" >"$T/out" 2>"$T/err"
is "$?" 1 "100 MB line with max_file_size = 200M: scanned, the key found"
like "$(cat "$T/out")" 'line.txt:1:50000022:' "found at line 1, column 50000022"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$T/time")
# ASan's shadow memory and redzones double a build's footprint: a looser bound there
limit=300000
grep -q __asan_init "$AKWATCH_BIN" && limit=700000
ok $([ "${rss:-999999999}" -lt $limit ]; echo $?) "100 MB line: peak RSS ${rss} KiB < $((limit / 1000)) MB (${secs} wall)"
: >"$T/config"
hostile=$((hostile + 1))
rm -f "$T/huge/line.txt"

# a 2000-level deep tree with a key at the bottom
/usr/bin/python3 -c '
import os, sys
os.chdir(sys.argv[1]); os.mkdir("deep"); os.chdir("deep")
for i in range(2000):
    os.mkdir("d"); os.chdir("d")
open("creds", "w").write("aws_access_key_id = AKIAX2MB7YQ4RN3ZKVPA\n")' "$T"
run scan "$T/deep" >"$T/out" 2>"$T/err"
rc=$?
ok $([ $rc -le 1 ]; echo $?) "2000-level deep tree: no crash (exit $rc)"
like "$(cat "$T/out" "$T/err")" 'AKIAX\*+A' \
    "the key at the bottom is found"
hostile=$((hostile + 1))

# symlink loops, a FIFO
mkdir -p "$T/links/sub"
ln -s . "$T/links/self"; ln -s ../sub "$T/links/sub/up"; ln -s loop2 "$T/links/loop1"
ln -s loop1 "$T/links/loop2"; ln -s "$T/links" "$T/links/sub/abs"
mkfifo "$T/links/pipe"
printf 'aws_access_key_id = %s\n' "$AK" >"$T/links/sub/creds"
run scan "$T/links" >"$T/out" 2>"$T/err"
is "$?" 1 "symlink loops and a FIFO: the scan ends (no hang) with the finding"
is "$(grep -c "$AK" "$T/out")" 1 "the key behind the loops is reported once"
hostile=$((hostile + 2))

# files truncated and grown while read (20 scans racing a writer)
mkdir -p "$T/churn"
( i=0; while [ $i -lt 4000 ] && [ ! -f "$T/churn.stop" ]; do
      head -c $(( (i * 7919) % 300000 )) /dev/zero >"$T/churn/f.txt"
      printf 'aws_access_key_id = %s\n' "$AK" >>"$T/churn/f.txt"
      : >"$T/churn/g.txt"; i=$((i + 1)); done ) &
wp=$!
crash=0 n=0
while [ $n -lt 20 ]; do
    run scan "$T/churn" >/dev/null 2>&1
    rc=$?
    [ $rc -le 2 ] || { crash=$((crash + 1)); echo "# scan $n exit $rc"; }
    n=$((n + 1))
done
touch "$T/churn.stop"; wait $wp
is "$crash" 0 "20 scans of files truncated and grown while read: no crash"
hostile=$((hostile + 1))

# terminal escapes in contents and in a file name
mkdir -p "$T/esc"
printf 'title = "\033]0;owned\007\033[2J\033[31m" aws_access_key_id = %s \233 \033P+q\033\\\n' \
    "AKIAR5TQ2MZXN7WLVB3C" >"$T/esc/evil.conf"
printf 'aws_access_key_id = AKIAB2GQ7ZLXW4NMVRT5\n' >"$T/esc/$(printf 'x\033]0;t\007.conf')"
run scan "$T/esc" >"$T/out" 2>"$T/err"
is "$?" 1 "escape sequences: the keys are found"
no_ctl "$T/out"; ok $? "scan output carries no raw ESC/BEL/CSI from the scanned text"
no_ctl "$T/err"; ok $? "scan messages carry none"
run list >"$T/out" 2>&1; no_ctl "$T/out"; ok $? "list carries none"
for id in $(sqlite3 "$AKWATCH_DB" "select id from leaks"); do
    run show "$id" >>"$T/show" 2>&1
done
no_ctl "$T/show"; ok $? "show of every finding carries none"
like "$(cat "$T/show")" 'AKIAR' "show printed the finding"
hostile=$((hostile + 2))
mkdir -p "$AKW_BUILDDIR/tests/reliability"
echo "$hostile" >"$AKW_BUILDDIR/tests/reliability/hostile.stats"
done_testing
