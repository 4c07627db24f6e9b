#!/bin/sh
# valgrind.sh — TAP: the C unit tests of the library layers (util, config, detect, store,
# calls, notify, export, scan) under valgrind memcheck: any invalid read/write, use of an
# uninitialised value or definitely lost block fails. Skipped in a sanitizer build (ASan and
# valgrind cannot share a process) and when valgrind is missing. The detector runs its regexes
# without PCRE2's JIT here (AKWATCH_NO_JIT): valgrind cannot follow JIT-generated code and
# reports its reads as uninitialised; ASan covers the JIT path.
. "$AKW_SRCDIR/tests/lib.sh"
b="$AKW_BUILDDIR"
progs="util/test_util config/test_config detect/test_detect detect/test_rules
detect/test_prefilter store/test_store_open store/test_store_leaks store/test_store_page
store/test_store_concurrent calls/test_parse calls/test_import notify/test_window
notify/test_confsave notify/test_notify notify/test_scan_alerts export/test_export_text
export/test_export scan/test_walk scan/test_recommend"

if ! command -v valgrind >/dev/null 2>&1; then
    echo "1..0 # SKIP valgrind is not installed (./setup.sh deps installs it)"
    exit 0
fi
if grep -q __asan_init "$b/tests/util/test_util" 2>/dev/null; then
    echo "1..0 # SKIP sanitizer build: valgrind runs in the normal build"
    exit 0
fi
export AKWATCH_NO_JIT=1
mkdir -p "$b/tests/reliability"
stats="$b/tests/reliability/valgrind.stats"
: >"$stats"
for p in $progs; do
    exe="$b/tests/$p"
    log="$T/$(echo "$p" | tr / _).vg"
    start=$(date +%s)
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        --error-exitcode=99 --log-file="$log" "$exe" >"$T/out" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    tap=$(grep -c '^ok ' "$T/out")
    ok $rc "valgrind tests/$p: $tap TAP points pass, no memory error, no definite leak (${secs}s)"
    if [ $rc -ne 0 ]; then
        grep -E '^not ok' "$T/out" | head -10 | sed 's/^/# /'
        head -60 "$log" | sed 's/^/# /'
    else
        echo "$p $tap $secs" >>"$stats"
    fi
done
done_testing
