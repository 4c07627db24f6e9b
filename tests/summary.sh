#!/bin/sh
# summary.sh BUILDDIR... — add up the automake .trs results of each build's test run and
# print "N passed, N failed[, N skipped]" alone on the last line. Exit 1 on any failure
# (or when no test ran at all).
pass=0 fail=0 skip=0
for d in "$@"; do
    for r in $(find "$d" -name '*.trs' 2>/dev/null); do
        p=$(grep -c '^:test-result: PASS' "$r"); pass=$((pass + p))
        f=$(grep -c -E '^:test-result: (FAIL|XPASS|ERROR)' "$r"); fail=$((fail + f))
        s=$(grep -c -E '^:test-result: (SKIP|XFAIL)' "$r"); skip=$((skip + s))
        if [ "$f" -gt 0 ]; then echo "FAILED in $r:"; grep -E '^not ok' "${r%.trs}.log" | head -20; fi
    done
done
if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"
else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
