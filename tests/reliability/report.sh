#!/bin/sh
# report.sh — print what the reliability tests tried and survived, from the figures they
# leave in a build directory after `make check` (or `make fuzz`), for quoting in README.
#   tests/reliability/report.sh [BUILDDIR]     (default: build)
# Prints nothing it did not read from a test's own record; a missing record says "not run".
set -u
b=${1:-build}
src=$(cd "$(dirname "$0")/../.." && pwd)
r="$b/tests/reliability"
val() { if [ -s "$r/$1.stats" ]; then cat "$r/$1.stats"; else echo "not run"; fi; }

echo "akwatch reliability report ($(date -u +%Y-%m-%d), build: $b)"
echo
echo "Fuzzing (libFuzzer + ASan + UBSan; executions summed over every pass recorded):"
total=0
for h in rules detect config github calls; do
    f="$b/tests/fuzz/stats/$h"
    if [ -s "$f" ]; then
        set -- $(awk '{r += $1; s += $2} END {print r + 0, s + 0}' "$f")
        total=$((total + $1))
        corpus=$(find "$b/tests/fuzz/work/$h" -type f 2>/dev/null | wc -l)
        printf '  %-8s %12s executions in %6s s, corpus %s inputs\n' "$h" "$1" "$2" "$corpus"
    else
        printf '  %-8s not run\n' "$h"
    fi
done
regress=$(find "$src/tests/fuzz/regress" -type f 2>/dev/null | wc -l)
echo "  total    $total executions; $regress crashing input(s) found, fixed, kept as regressions"
echo
echo "Valgrind memcheck (library unit tests; errors and definite leaks fail):"
if [ -s "$r/valgrind.stats" ]; then
    awk '{n++; t += $2; s += $3} END {printf "  %d programs, %d TAP assertions, %d s, 0 errors, 0 definite leaks\n", n, t, s}' \
        "$r/valgrind.stats"
else
    echo "  not run"
fi
echo
echo "Faults:"
echo "  SIGKILL of akwatch watch mid-scan against the fake GitHub: $(val kill_watch) kills, no lost or duplicated finding"
echo "  SIGKILL at every store write of handle / whitelist add|remove / scan: $(val kill_decide) kills, every decision atomic"
echo "  SIGKILL of the TUI at every store write of a triage decision: $(val kill_tui) kills, every decision atomic"
echo "  disk full (ENOSPC at every write point, tmpfs), read-only store, two writers: $(val faults) fault runs survived"
echo
echo "Hostile input:"
echo "  hostile local files (NUL, bad UTF-8, 100 MB line, 2000-deep tree, loops, FIFO, churn, escapes): $(val hostile) kinds"
echo "  hostile API answers (lying Content-Length, truncated, non-JSON, 80 MiB, slow, lying resets): $(val api_hostile) kinds"
