#!/bin/sh
# export_bench — time and peak RSS of `akwatch export` on big stores (not part of make check:
# it takes minutes and measures the machine). Targets: 100k rows in under 3 s, peak RSS
# under 64 MB at any size. Each size is exported in full (Leaks + Locations rows: two per
# leak here) and as `--sheets summary,leaks` (one row per leak); `rows` is the data rows of
# the Leaks and Locations sheets written, cpu_100k the CPU seconds per 100k of them.
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

printf '%-9s %-20s %8s %8s %8s %9s %8s %10s\n' leaks format rows wall_s cpu_s cpu_100k peak_MB file_MB
for n in $sizes; do
    db="$dir/fill-$n.db"
    if [ ! -f "$db" ]; then
        start=$(date +%s)
        "$fill" "$db" "$n"
        echo "# filled $n leaks in $(($(date +%s) - start)) s" >&2
    fi
    "$fill" "$db" 0 # a cached store from an older build: migrate it (export opens read-only)
    locs=$(sqlite3 "$db" 'SELECT count(*) FROM locations')
    for run in xlsx csv json xlsx:summary,leaks csv:summary,leaks; do
        fmt=${run%%:*} sheets=
        [ "$fmt" = "$run" ] || sheets=${run#*:}
        rows=$((n + locs))
        [ -z "$sheets" ] || rows=$n
        out="$dir/report-$n.$fmt"
        rm -rf "$out"
        AKWATCH_DB="$db" /usr/bin/time -v -o "$dir/time.txt" \
            "$build/akwatch" export --format "$fmt" ${sheets:+--sheets "$sheets"} -o "$out" \
            >/dev/null || { cat "$dir/time.txt"; exit 1; }
        secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt" |
            awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        cpu=$(sed -n 's/.*\(User\|System\) time (seconds): //p' "$dir/time.txt" |
            awk '{ s += $1 } END { print s }')
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
        size=$(du -sk "$out" | cut -f1)
        awk -v n="$n" -v f="$run" -v r="$rows" -v s="$secs" -v c="$cpu" -v kb="$kb" \
            -v sz="$size" 'BEGIN { printf "%-9s %-20s %8d %8.2f %8.2f %9.2f %8.1f %10.1f\n",
                n, f, r, s, c, c * 100000 / r, kb / 1024, sz / 1024 }'
        rm -rf "$out"
    done
done
