#!/bin/sh
# kill_soak — a benchmark, not a CI test: SIGKILL akwatch N times at random moments of its
# three kinds of work and check after each kill that nothing was lost or duplicated.
#   usage: tests/reliability/kill_soak.sh N [SEED]   (from the build folder, or set
#          AKWATCH_BIN; N = 1000 for the figure in doc/reliability.md; SEED = 1 by default,
#          the same seed gives the same kill points)
# The kills come in rounds taken in turn, each a CI kill test run with a random plan:
#   watch   kill_watch.sh, rounds of 10 kills, each after a random request 1..4 of a run
#           against the fake GitHub; the run after the round must hold exactly the findings
#           and locations of a clean run (none lost, none twice)
#   scan    kill_decide.sh, rounds of 10 kills at random store writes of triage commands
#           (handle, whitelist add/remove) and of a local scan (then rescanned: the same set)
#   TUI     kill_tui.sh, rounds of 10 kills at random store writes of a decision taken in
#           the TUI (tmux): the decision all there or absent, the store sound
# Prints one line per round and the totals; exits 1 if any check failed. The TAP logs of
# the failed rounds are kept in the printed folder. Needs what the CI tests need (tmux,
# python3, sqlite3, a C compiler for the fault library; ./setup.sh deps installs them).
set -u
n=${1:?usage: kill_soak.sh N [SEED]}
seed=${2:-1}
case $n in '' | *[!0-9]*) echo "kill_soak: N must be a number of kills, not '$n'" >&2; exit 2 ;; esac
case $seed in '' | *[!0-9]*) echo "kill_soak: SEED must be a number, not '$seed'" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${AKWATCH_BIN:-./akwatch}
[ -x "$bin" ] || { echo "kill_soak: no akwatch binary at $bin (run from the build folder or set AKWATCH_BIN)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
export AKWATCH_BIN="$bin" AKW_SRCDIR="$here" AKW_BUILDDIR="$(dirname "$bin")"
logs=$(mktemp -d /tmp/akw-killsoak.XXXXXX)
# the CI runs' figures (tests/reliability/report.sh) are put back at the end
rel=$AKW_BUILDDIR/tests/reliability
mkdir -p "$rel" "$logs/ci-stats"
for t in kill_watch kill_decide kill_tui; do [ -f "$rel/$t.stats" ] && cp "$rel/$t.stats" "$logs/ci-stats/"; done
restore() {
    for t in kill_watch kill_decide kill_tui; do
        rm -f "$rel/$t.stats"
        [ -f "$logs/ci-stats/$t.stats" ] && cp "$logs/ci-stats/$t.stats" "$rel/"
    done
    return 0
}
trap restore EXIT
per=10
total=0 failed=0 round=0
start=$(date +%s)

# kills a finished round made: the sum of the test's "killed at" counts (its .stats file)
stats_of() { cat "$rel/$1.stats" 2>/dev/null || echo 0; }

# run_round TEST KIND — one round of TEST with a random plan; adds to total/failed
run_round() {
    t=$1 kind=$2
    round=$((round + 1))
    rm -f "$rel/$t.stats"
    AKW_KILL_SEED=$((seed * 100000 + round)) AKW_KILL_SAMPLE=$per AKW_KILLS=$per \
        sh "$here/tests/reliability/$t.sh" >"$logs/$round-$t.log" 2>&1
    rc=$?
    k=$(stats_of "$t")
    bad=$(grep -c '^not ok' "$logs/$round-$t.log")
    total=$((total + k))
    eval "by_$t=\$((\${by_$t:-0} + k))"
    if [ $rc -ne 0 ] || [ "$bad" -gt 0 ]; then
        failed=$((failed + 1))
        echo "round $round ($kind): $k kills, $bad checks FAILED — see $logs/$round-$t.log"
    else
        echo "round $round ($kind): $k kills, every check passed"
        rm -f "$logs/$round-$t.log"
    fi
}

while [ "$total" -lt "$n" ]; do
    before=$total
    run_round kill_watch watch
    [ "$total" -lt "$n" ] && run_round kill_decide "scan and triage commands"
    [ "$total" -lt "$n" ] && run_round kill_tui "TUI triage"
    if [ "$total" -eq "$before" ]; then
        echo "kill_soak: three rounds killed nothing — the tests cannot run here (see $logs)" >&2
        exit 2
    fi
done
secs=$(($(date +%s) - start))
echo "kill_soak: $total SIGKILLs in $round rounds ($secs s, seed $seed): watch ${by_kill_watch:-0}," \
    "scan and triage commands ${by_kill_decide:-0}, TUI triage ${by_kill_tui:-0}; $failed rounds failed"
restore
trap - EXIT
[ "$failed" -eq 0 ] && rm -rf "$logs"
[ "$failed" -eq 0 ]
