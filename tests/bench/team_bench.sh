#!/bin/sh
# team_bench.sh — the team mode's figures: the 1,000,000-leak benchmarks on SQLite and on
# PostgreSQL side by side. A private cluster (tests/pglib.sh: initdb in a temp folder, a
# socket there, stopped at exit) holds two databases; on each backend store_bench records N
# findings through the store API (findings per second, then its query timings) and
# tui_bench.sh drives the real TUI in tmux on N synthetic findings (first screen, AK ID
# search, page-down). Prints each tool's figures under a heading per backend, then a
# summary table. Not part of make check.
#
#   tests/bench/team_bench.sh [BUILD_DIR] [N]      (BUILD_DIR default: build, N 1000000)
# Targets (issue 14): first screen < 200 ms, AK ID search < 50 ms, page-down < 16 ms,
# recording >= 5,000 findings per second.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
N=${2:-1000000}
export AKWATCH_BIN="$build/akwatch" AKW_SRCDIR="$top" AKW_BUILDDIR="$build"
. "$top/tests/lib.sh"
. "$top/tests/pglib.sh"
pg_start
store_pg=$(pg_db bench_store) && tui_pg=$(pg_db bench_tui) || exit 1

# one BACKEND STORE_BENCH_DB TUI_DB: both tools on one backend, output kept in $T/BACKEND
one() {
    echo "== $1: store_bench ($N findings)"
    "$build/tests/bench/store_bench" "$2" "$N" 2>/dev/null | tee "$T/$1.store"
    echo "== $1: tui_bench"
    sh "$top/tests/bench/tui_bench.sh" "$build" "$N" "$3" | tee "$T/$1.tui"
}
one sqlite "$T/store.db" "$T/tui.db"
one postgresql "$store_pg" "$tui_pg"

# the summary: one row per figure, a column per backend
fig() { # fig BACKEND: recording/s, first screen, search, page-down avg and max
    rec=$(sed -n 's/^build: .* = \([0-9]*\) findings\/s wall.*/\1/p' "$T/$1.store")
    first=$(awk -v n="$N" '$1 == n { for (i = 1; i <= NF; i++) if ($i == "screen") print $(i + 1) }' "$T/$1.tui")
    search=$(awk -v n="$N" '$1 == n { for (i = 1; i <= NF; i++) if ($i == "search") print $(i + 1) }' "$T/$1.tui")
    pd=$(awk -v n="$N" 'f && /page-down/ { print $4 " / " $6; exit } $1 == n { f = 1 }' "$T/$1.tui")
    printf '%s|%s|%s|%s|%s\n' "$1" "${rec:-?}" "${first:-?}" "${search:-?}" "${pd:-?}"
}
echo
echo "== summary on $N findings (targets: >= 5000/s, < 200 ms, < 50 ms, < 16 ms)"
printf '%-11s %14s %18s %16s %24s\n' backend "recording/s" "first screen ms" "AK search ms" "page-down avg / max ms"
for b in sqlite postgresql; do
    fig $b | awk -F'|' '{ printf "%-11s %14s %18s %16s %24s\n", $1, $2, $3, $4, $5 }'
done
