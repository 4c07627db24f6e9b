#!/bin/sh
# export_bench — time and peak RSS of `akwatch export` on big stores (not part of make check:
# it takes minutes and measures the machine). Targets: 100k leaks in under 3 s, peak RSS
# under 64 MB at any size.
#   tests/bench/export_bench.sh [BUILDDIR] [SIZES...]     default: build 100000 1000000
# Stores are cached in $AKW_BENCH_DIR (default /tmp/akwatch-bench) as fill-N.db: N leaks,
# one location each (N findings). wall_s depends on the machine's load; cpu_s (user+sys)
# much less. Needs /usr/bin/time (Debian package time) and sqlite3.
set -eu
build=$(cd "${1:-build}" && pwd)
[ $# -gt 0 ] && shift
sizes=${*:-100000 1000000}
dir=${AKW_BENCH_DIR:-/tmp/akwatch-bench}
mkdir -p "$dir"
fill="$build/tests/bench/fill_store"
[ -x "$fill" ] || make -C "$build" tests/bench/fill_store >/dev/null
[ -x /usr/bin/time ] || { echo "export_bench: /usr/bin/time missing (Debian package time)"; exit 2; }

printf '%-9s %-6s %8s %8s %8s %10s %10s\n' leaks format wall_s cpu_s peak_MB file_MB locations
for n in $sizes; do
    db="$dir/fill-$n.db"
    if [ ! -f "$db" ]; then
        start=$(date +%s)
        "$fill" "$db" "$n"
        echo "# filled $n leaks in $(($(date +%s) - start)) s" >&2
    fi
    "$fill" "$db" 0 # a cached store from an older build: migrate it (export opens read-only)
    for fmt in xlsx csv json; do
        out="$dir/report-$n.$fmt"
        rm -rf "$out"
        AKWATCH_DB="$db" /usr/bin/time -v -o "$dir/time.txt" \
            "$build/akwatch" export --format "$fmt" -o "$out" >/dev/null ||
            { cat "$dir/time.txt"; exit 1; }
        secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt" |
            awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        cpu=$(sed -n 's/.*\(User\|System\) time (seconds): //p' "$dir/time.txt" |
            awk '{ s += $1 } END { print s }')
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
        size=$(du -sk "$out" | cut -f1)
        locs=$(sqlite3 "$db" 'SELECT count(*) FROM locations' 2>/dev/null || echo '?')
        awk -v n="$n" -v f="$fmt" -v s="$secs" -v c="$cpu" -v kb="$kb" -v sz="$size" -v l="$locs" \
            'BEGIN { printf "%-9s %-6s %8.2f %8.2f %8.1f %10.1f %10s\n", n, f, s, c, kb / 1024,
                     sz / 1024, l }'
        rm -rf "$out"
    done
done
