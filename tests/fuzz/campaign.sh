#!/bin/sh
# campaign — a long fuzzing campaign over every libFuzzer harness, for a given total number
# of executions, in the background and resumable. A benchmark, not a CI test (CI keeps the
# short passes of fuzz.sh).
#   tests/fuzz/campaign.sh start TOTAL [JOBS]   start (or resume) in the background until
#                                               TOTAL executions in all harnesses together,
#                                               JOBS harnesses at once (default: the cores)
#   tests/fuzz/campaign.sh run TOTAL [JOBS]     the same in the foreground
#   tests/fuzz/campaign.sh status               executions done per harness, crashes, log
#   tests/fuzz/campaign.sh stop                 stop it (a later start resumes)
# Run from the build folder (it needs tests/fuzz/fuzz.env, written by `make check` or
# `make tests/fuzz/fuzz.env`); the state lives in BUILD/tests/fuzz/campaign/ (FUZZ_STATE to
# move it). The harnesses share the time, not the count: each of the JOBS queues takes its
# harnesses in turn, a chunk of FUZZ_CHUNK_SECONDS (300 by default) of fuzzing each, until
# the executions of all harnesses add up to TOTAL. The harnesses' speeds differ by 50x (the
# rule loader builds a keyword automaton for every input), so an equal count would spend
# nearly all the time on the slowest one; an equal time gives every harness the same search
# effort. After each chunk its count is added to the harness's tally and the inputs that
# reached new code are merged into the kept corpus, tests/fuzz/corpus/HARNESS/ of the source
# tree (libFuzzer -merge=1: only inputs that add coverage), and a line "HARNESS EXECUTIONS
# SECONDS WHEN" goes to tests/fuzz/campaign.tally (FUZZ_TALLY to move it), so a stopped
# campaign loses at most one chunk per queue. Commit the corpus and the tally together: a
# campaign longer than one machine's session then goes on from the count it reached on
# another (a clean clone's start resumes it).
# A crash, leak or timeout leaves its input in campaign/crashes/ and stops that harness
# (fix it, copy the input to tests/fuzz/regress/HARNESS/, start again).
# New inputs are at most FUZZ_MAX_LEN bytes (4096, libFuzzer's own default): with 64 KiB
# the scanners spent their time on long inputs and ran 10-100 times slower, for paths
# that short inputs reach too; the short passes of fuzz.sh (CI) keep 64 KiB, and the
# merge keeps every corpus input whole. Do not pause a harness (SIGSTOP): libFuzzer's
# timeout is wall-clock, so a paused one reports a timeout; stop the campaign instead.
set -u
cmd=${1:-status}
build=$(pwd)
env=$build/tests/fuzz/fuzz.env
src=$(cd "$(dirname "$0")/../.." && pwd)
state=${FUZZ_STATE:-$build/tests/fuzz/campaign}
chunk_secs=${FUZZ_CHUNK_SECONDS:-300}
max_len=${FUZZ_MAX_LEN:-4096}
tallyf=${FUZZ_TALLY:-$src/tests/fuzz/campaign.tally}
fb=$build/tests/fuzz

die() { echo "campaign: $*" >&2; exit 2; }
number() { case $1 in '' | *[!0-9]*) die "$2 must be a whole number, not '$1'" ;; esac; }
[ -f "$env" ] || die "no $env here: run from the build folder after 'make check' (or 'make tests/fuzz/fuzz.env')"

# tally HARNESS — executions done so far
tally() { awk -v h="$1" '$1 == h { s += $2 } END { print s + 0 }' "$tallyf" 2>/dev/null || echo 0; }

# all_done — executions done so far by every harness together
all_done() { awk '{ s += $2 } END { print s + 0 }' "$tallyf" 2>/dev/null || echo 0; }

status() {
    [ -d "$state" ] || { echo "campaign: nothing started in $state"; return 0; }
    [ -s "$state/harnesses" ] || { echo "campaign: building the harnesses (log $state/build.log)"; return 0; }
    target=$(cat "$state/target" 2>/dev/null || echo 0)
    all=0 secs=0
    for h in $(cat "$state/harnesses"); do
        d=$(tally "$h")
        s=$(awk -v h="$h" '$1 == h { s += $3 } END { print s + 0 }' "$tallyf" 2>/dev/null || echo 0)
        all=$((all + d)) secs=$((secs + s))
        note=""
        [ -f "$state/failed-$h" ] && note="  STOPPED: $(cat "$state/failed-$h")"
        # a chunk still running (no final stats yet): its progress so far, not yet tallied
        if [ -z "$note" ] && [ -f "$state/last-$h.log" ] &&
           ! grep -q '^stat::number_of_executed_units' "$state/last-$h.log"; then
            cur=$(grep -o '^#[0-9]*' "$state/last-$h.log" | tail -1 | tr -d '#')
            [ -n "$cur" ] && note="  (+$cur in the running chunk)"
        fi
        rate=0
        [ "$s" -gt 0 ] && rate=$((d / s))
        printf '  %-8s %12s executions in %6s s (%6s/s)%s\n' "$h" "$d" "$s" "$rate" "$note"
    done
    run="stopped"
    if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then run="running (pid $(cat "$state/pid"))"; fi
    echo "campaign: $all of $target executions in $secs harness-seconds, $(ls "$state/crashes" 2>/dev/null | grep -vc -- '-slow-unit-') crash inputs, $(ls "$state/crashes" 2>/dev/null | grep -c -- '-slow-unit-') slow inputs (kept, not failures); $run; log $state/log"
}

# one_chunk H — one chunk of H (at most the executions still missing from the total);
# returns 1 when H failed (crash, leak, timeout) and is stopped
one_chunk() {
    h=$1
    mkdir -p "$state/work/$h" "$state/crashes" "$src/tests/fuzz/corpus/$h"
    left=$((target - $(all_done)))
    [ "$left" -gt 0 ] || return 0
    t0=$(date +%s)
    dirs="$state/work/$h $src/tests/fuzz/corpus/$h"
    [ -d "$src/tests/fuzz/regress/$h" ] && dirs="$dirs $src/tests/fuzz/regress/$h"
    # shellcheck disable=SC2086
    "$fb/fuzz_$h" -runs="$left" -max_total_time="$chunk_secs" -timeout=20 -rss_limit_mb=2048 -max_len="$max_len" \
        -print_final_stats=1 -artifact_prefix="$state/crashes/$h-" $dirs \
        >"$state/last-$h.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$state/last-$h.log" | tail -1)
    echo "$h ${runs:-0} $(($(date +%s) - t0)) $(date -u +%FT%TZ)" >>"$tallyf"
    if [ $rc -ne 0 ]; then
        grep -m1 -E 'ERROR|SUMMARY' "$state/last-$h.log" >"$state/failed-$h" || echo "exit $rc" >"$state/failed-$h"
        echo "$(date -u +%FT%TZ) $h: STOPPED after $(tally "$h") executions: $(cat "$state/failed-$h")" >>"$state/log"
        return 1
    fi
    "$fb/fuzz_$h" -merge=1 -rss_limit_mb=2048 -max_len=65536 "$src/tests/fuzz/corpus/$h" \
        "$state/work/$h" >"$state/merge-$h.log" 2>&1
    echo "$(date -u +%FT%TZ) $h: $(tally "$h") executions; all $(all_done) of $target; corpus $(ls "$src/tests/fuzz/corpus/$h" | wc -l) files" >>"$state/log"
}

# queue H... — the harnesses in turn, a chunk each, until the total is reached or all failed
queue() {
    while [ "$(all_done)" -lt "$target" ]; do
        live=0
        for h in "$@"; do
            [ -f "$state/failed-$h" ] && continue
            [ "$(all_done)" -lt "$target" ] || break
            one_chunk "$h" && live=1
        done
        [ $live -eq 1 ] || break
    done
}

run() {
    total=$1 jobs=$2
    number "$total" TOTAL
    number "$jobs" JOBS
    [ "$jobs" -ge 1 ] || die "JOBS must be at least 1"
    harnesses=$("$src/tests/fuzz/run.sh" "$env" 2>"$state/build.log") ||
        die "the harnesses did not build (clang, libfuzzer; ./setup.sh deps): see $state/build.log"
    echo "$harnesses" | tr ' ' '\n' | grep . >"$state/harnesses"
    echo "$total" >"$state/target"
    target=$total
    export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:allocator_may_return_null=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    echo "$(date -u +%FT%TZ) start: $total executions in all ($(all_done) done), $jobs harnesses at once, chunks of $chunk_secs s" >>"$state/log"
    # JOBS queues, harness i in queue i % JOBS
    q=0 pids=""
    while [ $q -lt "$jobs" ]; do
        mine=$(awk -v j="$jobs" -v q="$q" '(NR - 1) % j == q' "$state/harnesses")
        # shellcheck disable=SC2086
        [ -n "$mine" ] && { queue $mine & pids="$pids $!"; }
        q=$((q + 1))
    done
    # shellcheck disable=SC2086
    wait $pids
    echo "$(date -u +%FT%TZ) end" >>"$state/log"
    status
}

case $cmd in
start)
    number "${2:-}" TOTAL
    mkdir -p "$state"
    if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then die "already running (pid $(cat "$state/pid"))"; fi
    rm -f "$state"/failed-*
    nohup sh "$0" run "$2" "${3:-$(nproc)}" >"$state/run.out" 2>&1 </dev/null &
    echo $! >"$state/pid"
    echo "campaign: started in the background (pid $!); 'tests/fuzz/campaign.sh status' from $build"
    ;;
run)
    number "${2:-}" TOTAL
    mkdir -p "$state"
    run "$2" "${3:-$(nproc)}"
    ;;
status) status ;;
stop)
    [ -f "$state/pid" ] || die "nothing running"
    p=$(cat "$state/pid")
    # the whole group: the queues and the harness processes
    pkill -TERM -P "$p" 2>/dev/null
    kill "$p" 2>/dev/null
    for f in $(cat "$state/harnesses" 2>/dev/null); do pkill -f "$fb/fuzz_$f " 2>/dev/null; done
    rm -f "$state/pid"
    echo "campaign: stopped; start again to resume"
    ;;
*) die "unknown command '$cmd' (start TOTAL [JOBS] | run TOTAL [JOBS] | status | stop)" ;;
esac
