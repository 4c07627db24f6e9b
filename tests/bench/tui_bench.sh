#!/bin/sh
# tui_bench.sh — the TUI on a big store: fills N synthetic findings (default 1,000,000)
# through the store API, drives the real binary in tmux at 80x24 and reads the UI's own
# timing log (AKWATCH_TUI_TIMING): time to the first full screen, an AK ID search, each
# page-down near the top and deep in the list, and the peak RSS, next to the same figures
# on a 1,000-finding store (memory must not grow with the row count).
#
#   tests/bench/tui_bench.sh [BUILD_DIR] [N] [STORE]      (BUILD_DIR default: build)
# The big store is kept as BUILD_DIR/bench-N.db so later runs skip the fill; STORE (a path
# or a postgresql:// URL of an empty or already filled store) puts it there instead
# (tests/bench/team_bench.sh runs it on PostgreSQL).
# Targets: first screen < 200 ms, search < 50 ms, page-down < 16 ms.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
N=${2:-1000000}
BIG=${3:-}
export AKWATCH_BIN="$build/akwatch" AKW_SRCDIR="$top" AKW_BUILDDIR="$build"
export TUI_TIMEOUT=120 TUI_WATCHDOG=3600
. "$top/tests/tui/lib.sh"

fill() { # fill DB N (a URL is filled once: when it holds no leak yet)
    case $1 in
    postgres*://*)
        [ "$(psql -X -At "$1" -c 'SELECT count(*) FROM leaks' 2>/dev/null)" -gt 0 ] 2>/dev/null && return 0
        s=$(date +%s.%N)
        AKWATCH_NOW=2026-11-25T12:00:00Z "$FILL" --synthetic "$2" "$1" || exit 1
        echo "filled $2 findings in $(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
        return 0 ;;
    esac
    [ -f "$1" ] && return 0
    s=$(date +%s.%N)
    AKWATCH_NOW=2026-11-25T12:00:00Z "$FILL" --synthetic "$2" "$1.tmp" || exit 1
    mv "$1.tmp" "$1"
    echo "filled $2 findings in $(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
}

# run DB LABEL: one session; prints the figures of its timing log
run() {
    DB=$1
    log="$T/timing-$2"
    rm -f "$log"
    TUI_ENV="AKWATCH_TUI_TIMING=$log" tui_start
    ak=$(dump selected_ak | cut -c1-12)
    press / && type_text "$ak" && press Enter
    found=$(dump rows)
    press Escape
    i=0; while [ $i -lt 50 ]; do press NPage; i=$((i + 1)); done
    press End
    i=0; while [ $i -lt 20 ]; do press PPage; i=$((i + 1)); done
    rows=$(dump rows)
    press q
    wait_exit
    awk -v label="$2" -v rows="$rows" -v found="$found" '
        /^first_screen/ { split($2, a, "="); first = a[2] }
        /^key=Enter/ { split($2, a, "="); search = a[2] }
        /^key=PgDn/ { split($2, a, "="); n++; s += a[2]; if (a[2] > mx) mx = a[2] }
        /^key=End/ { split($2, a, "="); bottom = a[2] }
        /^key=PgUp/ { split($2, a, "="); m++; t += a[2]; if (a[2] > mu) mu = a[2] }
        /^peak_rss_kb/ { split($1, a, "="); rss = a[2] }
        END {
            printf "%-10s rows %8d  first screen %7.1f ms  search %6.1f ms (%d found)\n", label, rows, first, search, found
            printf "%-10s page-down top avg %5.2f max %5.2f ms  G %6.1f ms  page-up deep avg %6.2f max %6.2f ms  peak RSS %d KiB\n", "", s / n, mx, bottom, t / m, mu, rss
        }' "$log"
}

fill "$T/small.db" 1000
BIG=${BIG:-$build/bench-$N.db}
fill "$BIG" "$N"
echo "TUI at 80x24 (the UI's own timing: key read to screen updated)"
run "$T/small.db" "1k"
run "$BIG" "$N"
trap - EXIT
tui_cleanup
