#!/bin/sh
# export_bench — time and peak RSS of `akwatch export` on big stores (not part of make check:
# it takes minutes and measures the machine). Targets: 100k leaks in under 3 s, peak RSS
# under 64 MB at any size.
#   tests/bench/export_bench.sh [BUILDDIR] [SIZES...]     default: build 100000 1000000
# Stores are cached in $AKW_BENCH_DIR (default /tmp/akwatch-bench) as fill-N.db.
set -eu
build=$(cd "${1:-build}" && pwd)
[ $# -gt 0 ] && shift
sizes=${*:-100000 1000000}
dir=${AKW_BENCH_DIR:-/tmp/akwatch-bench}
mkdir -p "$dir"
fill="$build/tests/bench/fill_store"
[ -x "$fill" ] || make -C "$build" tests/bench/fill_store >/dev/null
[ -x /usr/bin/time ] || { echo "export_bench: /usr/bin/time missing (Debian package time)"; exit 2; }

printf '%-9s %-6s %10s %10s %12s %10s\n' leaks format seconds peak_MB file_MB locations
for n in $sizes; do
    db="$dir/fill-$n.db"
    if [ ! -f "$db" ]; then
        start=$(date +%s)
        "$fill" "$db" "$n"
        echo "# filled $n leaks in $(($(date +%s) - start)) s" >&2
    fi
    for fmt in xlsx csv json; do
        out="$dir/report-$n.$fmt"
        rm -rf "$out"
        AKWATCH_DB="$db" /usr/bin/time -v -o "$dir/time.txt" \
            "$build/akwatch" export --format "$fmt" -o "$out" >/dev/null ||
            { cat "$dir/time.txt"; exit 1; }
        secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt" |
            awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
        size=$(du -sk "$out" | cut -f1)
        locs=$(sqlite3 "$db" 'SELECT count(*) FROM locations' 2>/dev/null || echo '?')
        awk -v n="$n" -v f="$fmt" -v s="$secs" -v kb="$kb" -v sz="$size" -v l="$locs" \
            'BEGIN { printf "%-9s %-6s %10s %10.1f %12.1f %10s\n", n, f, s, kb / 1024, sz / 1024, l }' 
        rm -rf "$out"
    done
done
