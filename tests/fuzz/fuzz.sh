#!/bin/sh
# fuzz.sh — TAP: build the libFuzzer harnesses (run.sh), replay every regression input and
# corpus file, then fuzz each harness for FUZZ_SECONDS (10 by default; `make fuzz` sets 60).
# A crash fails the test and leaves the input in BUILDDIR/tests/fuzz/crash-HARNESS-*; copy
# it to tests/fuzz/regress/HARNESS/ with the fix. In a sanitizer build (build-asan) only the
# replay runs: the same harnesses would be fuzzed twice. Executions per harness are kept in
# BUILDDIR/tests/fuzz/stats/ for tests/reliability/report.sh.
. "$AKW_SRCDIR/tests/lib.sh"
fb="$AKW_BUILDDIR/tests/fuzz"
fsrc="$AKW_SRCDIR/tests/fuzz"

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
    echo "1..0 # SKIP clang is not installed (./setup.sh deps installs clang)"
    exit 0
fi
if [ ! -f "$fb/fuzz.env" ]; then
    echo "1..0 # SKIP $fb/fuzz.env missing (run through make check)"
    exit 0
fi
secs=${FUZZ_SECONDS:-10}
case $(sed -n 's/^FUZZ_WARN=//p' "$fb/fuzz.env") in *fsanitize*) [ -n "${FUZZ_SECONDS:-}" ] || secs=0 ;; esac

harnesses=$("$fsrc/run.sh" "$fb/fuzz.env" 2>"$T/build.log")
ok $? "fuzz harnesses build with clang -fsanitize=fuzzer,address,undefined"
[ -n "$harnesses" ] || { sed 's/^/# /' "$T/build.log" | tail -30; done_testing; exit; }

mkdir -p "$fb/stats" "$fb/work"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for h in $harnesses; do
    corpus="$fsrc/corpus/$h"
    dirs=""
    [ -d "$fsrc/regress/$h" ] && dirs="$fsrc/regress/$h"
    [ -d "$corpus" ] && dirs="$dirs $corpus"
    # shellcheck disable=SC2086
    "$fb/fuzz_$h" -runs=0 -rss_limit_mb=2048 -timeout=20 $dirs >"$T/replay-$h.log" 2>&1
    rc=$?
    ok $rc "fuzz_$h: every regression input and corpus file runs clean"
    [ $rc -eq 0 ] || grep -E 'ERROR|SUMMARY|#[0-9]+ ' "$T/replay-$h.log" | head -20 | sed 's/^/# /'
    [ "$secs" -gt 0 ] || continue
    mkdir -p "$fb/work/$h"
    # shellcheck disable=SC2086
    "$fb/fuzz_$h" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$fb/crash-$h-" "$fb/work/$h" $dirs \
        >"$T/fuzz-$h.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/fuzz-$h.log" | tail -1)
    ok $rc "fuzz_$h: ${secs}s of fuzzing (${runs:-?} executions) without a crash, leak or timeout"
    if [ $rc -ne 0 ]; then
        grep -E 'ERROR|SUMMARY|Test unit written|#[0-9]+ +pulse|^ +#[0-9]+ ' "$T/fuzz-$h.log" \
            | head -30 | sed 's/^/# /'
    else
        # cumulative figures: runs seconds (one line per pass)
        echo "${runs:-0} $secs" >>"$fb/stats/$h"
    fi
done
done_testing
